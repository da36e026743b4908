import { describe, expect, it } from 'vitest';
import type { ForecastSeries } from '../contracts/forecast-api';
import {
  decompositionOption,
  forecastOption,
  initialZoomStart,
  residualsOption,
  trainingOption,
} from './forecast-charts';

const LABELS = { history: 'H', forecast: 'F', interval: 'I', anomalies: 'A', backtest: 'B' };

function series(): ForecastSeries {
  return {
    key: null,
    periods: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'],
    values: [1, 2, NaN, 4],
    gapsFilled: 0,
    seasonPeriod: 1,
    future: ['2024-01-05', '2024-01-06'],
    leaderboard: [],
    recommended: 'naive',
    verdict: 'baseline_best',
    challenger: null,
    baselineModel: 'naive',
    improvement: NaN,
    winShare: NaN,
    forecasts: { naive: { mean: [4, 4], median: [4, 4], lower: [-1, 2], upper: [6, 7], intervalMethod: 'analytic' } },
    backtests: { naive: [{ origin: 2, mean: [2, 2], lower: [1, 1], upper: [3, 3] }] },
    fitted: [NaN, 1, 2, NaN],
    residuals: [NaN, 1, NaN, 4],
    decomposition: { trend: [1, 2, 3, 4], seasonal: [[0, 0, 0, 0]], periods: [7] },
    anomalies: [{ index: 3, period: '2024-01-04', value: 4, expected: 2, holiday: false }],
    training: {},
  };
}

type Line = { name: string; data: unknown[]; stack?: string };

describe('forecast charts', () => {
  it('draws history, a stacked band (lower, then width), the P50 and anomalies on one axis', () => {
    const option = forecastOption(series(), 'naive', LABELS, { backtests: false }) as {
      xAxis: { data: string[] };
      series: Line[];
    };
    expect(option.xAxis.data).toHaveLength(6);
    const [history, lower, width, p50, anomalies] = option.series;
    expect(history!.data).toEqual([1, 2, null, 4, null, null]);
    expect(lower!.data).toEqual([null, null, null, null, -1, 2]);
    expect(width!.data).toEqual([null, null, null, null, 7, 5]);
    expect(lower!.stack).toBe('band');
    expect(width!.stack).toBe('band');
    expect(p50!.data).toEqual([null, null, null, null, 4, 4]);
    expect(anomalies!.data).toEqual([[3, 4]]);
    expect(option.series).toHaveLength(5);
  });

  it('adds backtest overlays at their origins when asked', () => {
    const option = forecastOption(series(), 'naive', LABELS, { backtests: true }) as { series: Line[] };
    const overlay = option.series.find((s) => s.name === 'B')!;
    expect(overlay.data).toEqual([null, null, 2, 2, null, null]);
  });

  it('shows the last max(120, 4H) periods first', () => {
    expect(initialZoomStart(100, 10)).toBe(0);
    expect(initialZoomStart(1000, 90)).toBe(64);
  });

  it('residuals, decomposition and training curves keep NaN as gaps', () => {
    const s = series();
    expect((residualsOption(s, 'r') as { series: Line[] }).series[0]!.data).toEqual([null, 1, null, 4]);
    const d = decompositionOption(s, { trend: 'T', seasonal: (p) => `S${p}` }) as { series: Line[] };
    expect(d.series.map((x) => x.name)).toEqual(['T', 'S7']);
    const t = trainingOption(
      [
        { epoch: 1, loss: 2, valLoss: 3 },
        { epoch: 2, loss: 1, valLoss: null },
      ],
      { loss: 'L', valLoss: 'V', epoch: 'E' },
    ) as { series: Line[] };
    expect(t.series[1]!.data).toEqual([3, null]);
  });
});

/**
 * The LSTM / GRU with calendar and covariate inputs, and the global model across series, on
 * real TF.js (cpu backend) with tiny networks: the data layout (shapes, the horizon's calendar
 * in the head, the series one-hot), the leakage guard (a covariate's values after the origin
 * never change a backtest unless the covariate is declared known), a holiday effect only the
 * calendar can explain, the global fit per series in its own units, and cancel without leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backtestGlobal, backtestModelAsync } from '../forecast/backtest';
import { columnsMatrix, concatColumns, expandHolidays, periodCalendar, type Exogenous } from '../forecast/exogenous';
import { fitScaler } from '../forecast/windowing';
import { seededRandom } from './common';
import { globalNeuralForecaster, neuralForecaster, neuralInputs, stackGlobalWindows } from './forecast-neural';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const START = Date.parse('2024-01-01') / 86_400_000; // a Monday, as a day index

describe('neuralInputs (layout)', () => {
  const n = 50;
  const L = 7;
  const H = 5;
  const series = Float64Array.from({ length: n }, (_, i) => 100 + i);
  const known = columnsMatrix([
    { name: 'k0', values: Array.from({ length: n + H }, (_, i) => i) },
    { name: 'k1', values: Array.from({ length: n + H }, (_, i) => (i % 3) * 10) },
  ]);
  const observed = columnsMatrix([{ name: 'o', values: Array.from({ length: n }, (_, i) => -i) }]);

  it('puts observed covariates in the window and the H target dates’ known rows in the head', () => {
    const inp = neuralInputs(series, { lookback: L, horizon: H, exogenous: { known, observed } });
    expect(inp.count).toBe(n - L - H + 1);
    expect(inp.features).toBe(2);
    expect(inp.nExtra).toBe(0);
    expect(inp.nStep).toBe(2);
    expect(inp.x.length).toBe(inp.count * L * 2);
    expect(inp.step.length).toBe(inp.count * H * 2);
    // Per-step head inputs of window k, step h, column c = the standardised known value at date targetStart[k] + h.
    const sc = [0, 1].map((c) =>
      fitScaler(
        Float64Array.from({ length: n + H }, (_, r) => known.data[r * 2 + c]!),
        'standard',
        n,
      ),
    );
    for (const k of [0, 7, inp.count - 1]) {
      for (let h = 0; h < H; h++) {
        for (let c = 0; c < 2; c++) {
          const date = inp.targetStart[k]! + h;
          const want = (known.data[date * 2 + c]! - sc[c]!.center) / sc[c]!.scale;
          expect(inp.step[k * H * 2 + h * 2 + c]).toBeCloseTo(want, 5);
        }
      }
    }
    // The forecast's head inputs are the rows n … n + H − 1 (the future dates).
    for (let h = 0; h < H; h++) {
      expect(inp.lastStep[h * 2]).toBeCloseTo((n + h - sc[0]!.center) / sc[0]!.scale, 5);
    }
    // The last window ends at the last observed period.
    expect(inp.lastX[(L - 1) * 2]).toBe(series[n - 1]);
    expect(inp.knownNames).toEqual(['k0', 'k1']);
    expect(inp.observedNames).toEqual(['o']);
  });

  it('refuses observed covariates that reach past the series (leakage guard) and short known inputs', () => {
    const tooLong = columnsMatrix([{ name: 'o', values: Array.from({ length: n + 1 }, (_, i) => i) }]);
    expect(() => neuralInputs(series, { lookback: L, horizon: H, exogenous: { observed: tooLong } })).toThrow();
    const short = columnsMatrix([{ name: 'k', values: Array.from({ length: n + H - 1 }, (_, i) => i) }]);
    expect(() => neuralInputs(series, { lookback: L, horizon: H, exogenous: { known: short } })).toThrow(/horizon/);
  });

  it('adds a one-hot series id to every step and to the head; stacks global windows by target date', () => {
    const a = neuralInputs(series, { lookback: L, horizon: H, scaleSeries: true, seriesId: { index: 0, count: 2 } });
    const b = neuralInputs(
      Float64Array.from(series, (v) => v * 10),
      { lookback: L, horizon: H, scaleSeries: true, seriesId: { index: 1, count: 2 } },
    );
    expect(a.features).toBe(3);
    expect(a.nExtra).toBe(2);
    expect([a.x[1], a.x[2], b.x[1], b.x[2]]).toEqual([1, 0, 0, 1]);
    expect(Array.from(b.extra.subarray(0, 2))).toEqual([0, 1]);
    // Each series scaled by its own statistics: ×10 gives the same scaled values.
    expect(b.x[0]).toBeCloseTo(a.x[0]!, 5);
    expect(b.scaler.scale).toBeCloseTo(a.scaler.scale * 10, 6);
    const g = stackGlobalWindows([a, b], L, H);
    expect(g.order.length).toBe(a.count + b.count);
    expect(g.order.slice(0, 4)).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(g.X.length).toBe((a.count + b.count) * L * 3);
    // Row 1 is series b's first window: its one-hot says series 1.
    expect([g.X[L * 3 + 1], g.X[L * 3 + 2]]).toEqual([0, 1]);
    expect(Array.from(g.extra.subarray(2, 4))).toEqual([0, 1]);
  });
});

/** Daily sales with a weekly profile and +40 on irregular holidays (only the calendar can know them). */
function holidaySales(n: number, seed = 2): { y: Float64Array; holidays: number[] } {
  const rand = seededRandom(seed);
  const holidays: number[] = [];
  for (let d = 9; d < n + 60; d += 9 + Math.floor(rand() * 9)) holidays.push(START + d);
  const hol = new Set(holidays);
  const profile = [0, 4, 8, 6, 2, -8, -12];
  const y = Float64Array.from(
    { length: n },
    (_, i) => 60 + profile[i % 7]! + (hol.has(START + i) ? 40 : 0) + (rand() - 0.5) * 4,
  );
  return { y, holidays };
}

function calendarInputs(rows: number, holidays: number[]): Exogenous {
  const days = Array.from({ length: rows }, (_, i) => START + i);
  return { known: periodCalendar(days, 'day', expandHolidays(holidays)) };
}

describe('LSTM / GRU with calendar inputs', () => {
  it('learns a holiday effect from the calendar that the plain model cannot see coming', async () => {
    const n = 280;
    const H = 14;
    const { y, holidays } = holidaySales(n);
    // A holiday 6 days after the end of the history.
    const future = [...holidays.filter((d) => d < START + n), START + n + 5];
    const exo = calendarInputs(n + H, future);
    const opts = { horizon: H, units: 8, epochs: 40, patience: 8, lookback: 21, seed: 1 };
    const withCal = await neuralForecaster({ ...opts, cell: 'gru', id: 'gru_x', inputs: true }).fit(y, {
      seasonPeriod: 7,
      exogenous: exo,
    });
    const jump = (mean: Float64Array) => {
      const others = Array.from(mean).filter((_, i) => i !== 5);
      return mean[5]! - others.reduce((s, v) => s + v, 0) / others.length;
    };
    const f = withCal.forecast(H, 0.8);
    expect(jump(f.mean)).toBeGreaterThan(15);
    // The same network without inputs has no way to know the date is a holiday.
    const plain = await neuralForecaster({ ...opts, cell: 'gru' }).fit(y, { seasonPeriod: 7, exogenous: exo });
    expect(jump(plain.forecast(H).mean)).toBeLessThan(jump(f.mean) - 10);
    expect(withCal.description).toMatch(/known: dow_mon/);
    f.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(f.upper[i]!));
  });

  it('backtests: observed covariates after the origin change nothing; a known covariate’s future does', async () => {
    const n = 120;
    const H = 7;
    const { y } = holidaySales(n, 5);
    const promo = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const opts = { horizon: H, units: 6, epochs: 4, patience: 0, lookback: 14, seed: 3 };
    const entry = () => ({
      id: 'lstm_x',
      family: 'neural' as const,
      complexity: 13,
      forecaster: neuralForecaster({ ...opts, cell: 'lstm', inputs: true }),
    });
    const run = (exo: Exogenous) =>
      backtestModelAsync(y, entry(), { horizon: H, origins: 2, seasonPeriod: 7, seed: 3, exogenous: exo });
    const lastOrigin = n - H;
    const altered = Float64Array.from(promo, (v, i) => (i >= lastOrigin ? 1000 + y[i]! : v));
    const a = await run({ observed: columnsMatrix([{ name: 'promo', values: promo }]) });
    const b = await run({ observed: columnsMatrix([{ name: 'promo', values: altered }]) });
    expect(a.error).toBeUndefined();
    expect(a.perOrigin.map((o) => o.origin)).toEqual([n - 2 * H, n - H]);
    a.perOrigin.forEach((o, k) =>
      expect(Array.from(b.perOrigin[k]!.forecast.mean)).toEqual(Array.from(o.forecast.mean)),
    );
    // Declared known: the same change reaches the forecast of the last origin.
    const known = (v: Float64Array) =>
      concatColumns([calendarInputs(n, []).known!, columnsMatrix([{ name: 'promo_planned', values: v }])]);
    const c = await run({ known: known(promo) });
    const d = await run({ known: known(altered) });
    expect(Array.from(d.perOrigin[0]!.forecast.mean)).toEqual(Array.from(c.perOrigin[0]!.forecast.mean));
    expect(Array.from(d.perOrigin[1]!.forecast.mean)).not.toEqual(Array.from(c.perOrigin[1]!.forecast.mean));
  });
});

describe('global LSTM / GRU', () => {
  const n = 150;
  const H = 7;
  const levels = [10, 100, 1000];
  const series = levels.map((level, s) => {
    const rand = seededRandom(10 + s);
    return Float64Array.from(
      { length: n },
      (_, i) => level * (1 + 0.3 * Math.sin((2 * Math.PI * i) / 7) + (rand() - 0.5) * 0.1),
    );
  });
  const opts = { horizon: H, units: 8, epochs: 15, patience: 5, lookback: 14, seed: 2 };

  it('fits one network over every series and forecasts each in its own units', async () => {
    const before = tf.memory().numTensors;
    const fits = await globalNeuralForecaster({ ...opts, cell: 'lstm' }).fitMany(series, { seasonPeriod: 7 });
    expect(fits).toHaveLength(3);
    fits.forEach((fit, s) => {
      const f = fit.forecast(H, 0.8);
      const mean = f.mean.reduce((a, v) => a + v, 0) / H;
      expect(Math.abs(mean / levels[s]! - 1)).toBeLessThan(0.3);
      f.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(f.upper[i]!));
      expect(fit.modelId).toBe('lstm_global');
      expect(fit.description).toMatch(/global over 3 series/);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('backtests on shared origins, one row per series', async () => {
    const bt = await backtestGlobal(
      series,
      {
        id: 'gru_global',
        family: 'neural',
        complexity: 14,
        forecaster: globalNeuralForecaster({ ...opts, cell: 'gru', epochs: 3 }),
      },
      { horizon: H, origins: 2, seasonPeriod: 7, seed: 2 },
    );
    expect(bt).toHaveLength(3);
    for (const r of bt) {
      expect(r.error).toBeUndefined();
      expect(r.perOrigin.map((o) => o.origin)).toEqual([n - 2 * H, n - H]);
      expect(Number.isFinite(r.aggregate.mase)).toBe(true);
    }
    await expect(
      backtestGlobal(
        [series[0]!, series[1]!.subarray(1)],
        {
          id: 'gru_global',
          family: 'neural',
          complexity: 14,
          forecaster: globalNeuralForecaster({ ...opts, cell: 'gru' }),
        },
        { horizon: H, origins: 1 },
      ),
    ).rejects.toThrow(/same calendar/);
  });

  it('cancels mid-training and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    let epochs = 0;
    const signal = {
      get cancelled() {
        return epochs >= 2;
      },
    };
    await expect(
      globalNeuralForecaster({ ...opts, cell: 'lstm', epochs: 200, patience: 0, onEpoch: () => void epochs++ }).fitMany(
        series,
        { seasonPeriod: 7, signal },
      ),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(epochs).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

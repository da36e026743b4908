/**
 * Rolling-origin backtest and the recommendation rule, on seeded synthetic series whose right
 * answer is known by construction (pure noise: nothing beats the baseline; a strong weekly
 * pattern with trend: Holt-Winters must win). Thresholds are the documented DEFAULT_RULE.
 */
import { describe, expect, it } from 'vitest';
import {
  backtest,
  backtestModelAsync,
  backtestOrigins,
  leaderboard,
  verdictSentence,
  type ModelBacktest,
} from './backtest';
import { movingAverageForecaster, naiveForecaster, seasonalNaiveForecaster } from './baselines';
import { etsForecaster } from './ets';
import { normalRandom, seededRandom } from './math';
import type { AsyncForecaster } from './types';

const noise = (n: number, seed: number) => {
  const z = normalRandom(seededRandom(seed));
  return Float64Array.from({ length: n }, () => 100 + 5 * z());
};

describe('rolling-origin backtest', () => {
  it('places k origins H apart, ending H before the end', () => {
    expect(backtestOrigins(100, { horizon: 10, origins: 3 })).toEqual([70, 80, 90]);
    expect(backtestOrigins(100, { horizon: 10, origins: 3, step: 5 })).toEqual([80, 85, 90]);
    // Origins that would leave too little training data are dropped.
    expect(backtestOrigins(40, { horizon: 10, origins: 5, step: 6, seasonPeriod: 7 })).toEqual([24, 30]);
  });

  it('refits per origin and aggregates metrics as the mean over origins', () => {
    const y = noise(120, 1);
    const [r] = backtest(y, [{ id: 'naive', family: 'baseline', complexity: 0, forecaster: naiveForecaster }], {
      horizon: 7,
      origins: 4,
    });
    expect(r!.perOrigin.map((o) => o.origin)).toEqual([92, 99, 106, 113]);
    // Naive at each origin forecasts the last training value.
    for (const o of r!.perOrigin) expect(o.forecast.mean[0]).toBe(y[o.origin - 1]);
    const meanMase = r!.perOrigin.reduce((s, o) => s + o.metrics.mase, 0) / 4;
    expect(r!.aggregate.mase).toBeCloseTo(meanMase, 12);
  });

  it('supports asynchronous (TF.js-style) forecasters with the same scoring', async () => {
    const y = noise(80, 2);
    const asyncNaive: AsyncForecaster = { modelId: 'lstm', fit: async (s, o) => naiveForecaster.fit(s, o) };
    const a = await backtestModelAsync(
      y,
      { id: 'lstm', family: 'neural', complexity: 10, forecaster: asyncNaive },
      { horizon: 5 },
    );
    const [b] = backtest(y, [{ id: 'naive', family: 'baseline', complexity: 0, forecaster: naiveForecaster }], {
      horizon: 5,
    });
    expect(a.aggregate.mase).toBeCloseTo(b!.aggregate.mase, 12);
  });

  it('records a failing model instead of throwing', () => {
    const boom = {
      modelId: 'boom',
      fit: () => {
        throw new Error('nope');
      },
    };
    const [r] = backtest(noise(60, 3), [{ id: 'boom', family: 'statistical', complexity: 5, forecaster: boom }], {
      horizon: 5,
    });
    expect(r!.error).toBe('nope');
    expect(leaderboard([r!]).verdict).toBe('insufficient_history');
  });
});

describe('leaderboard recommendation rule', () => {
  const fake = (id: string, family: ModelBacktest['family'], complexity: number, mases: number[]): ModelBacktest => ({
    id,
    family,
    complexity,
    perOrigin: mases.map((m, i) => ({
      origin: 100 + i,
      metrics: { mae: m, rmse: m, smape: m, mase: m, coverage: 0.8, pinball: m },
      forecast: {
        mean: new Float64Array(0),
        lower: new Float64Array(0),
        upper: new Float64Array(0),
        level: 0.8,
        intervalMethod: 'none',
      },
    })),
    aggregate: {
      mae: 0,
      rmse: 0,
      smape: 0,
      mase: mases.reduce((s, v) => s + v, 0) / mases.length,
      coverage: 0.8,
      pinball: 0,
    },
  });

  it('keeps the baseline when a complex model is only marginally better', () => {
    const board = leaderboard([
      fake('seasonal_naive', 'baseline', 1, [1, 1, 1]),
      fake('lstm', 'neural', 10, [0.97, 0.98, 0.97]),
    ]);
    expect(board.verdict).toBe('lstm_not_better_than_baseline');
    expect(board.recommended?.id).toBe('seasonal_naive');
    expect(verdictSentence(board)).toContain('not clearly better');
  });

  it('keeps the baseline when the gain comes from one lucky window', () => {
    const board = leaderboard([
      fake('naive', 'baseline', 0, [1, 1, 1]),
      fake('arima', 'statistical', 7, [0.5, 1.05, 1.05]),
    ]);
    expect(board.improvement).toBeGreaterThan(0.05);
    expect(board.winShare).toBeCloseTo(1 / 3, 12);
    expect(board.verdict).toBe('arima_not_better_than_baseline');
  });

  it('recommends the simplest model tied with a clear winner', () => {
    const board = leaderboard([
      fake('seasonal_naive', 'baseline', 1, [1, 1, 1]),
      fake('lstm', 'neural', 10, [0.8, 0.8, 0.8]),
      fake('holt_winters', 'statistical', 4, [0.81, 0.81, 0.81]),
    ]);
    expect(board.verdict).toBe('lstm_beats_baseline');
    expect(board.recommended?.id).toBe('holt_winters');
  });

  it('says baseline_best when a baseline ranks first', () => {
    const board = leaderboard([fake('naive', 'baseline', 0, [0.9]), fake('ets', 'statistical', 5, [1.2])]);
    expect(board.verdict).toBe('baseline_best');
  });

  it('on real fits: noise → baseline kept; strong weekly pattern → Holt-Winters wins', () => {
    const entries = [
      { id: 'seasonal_naive', family: 'baseline' as const, complexity: 1, forecaster: seasonalNaiveForecaster },
      { id: 'moving_average', family: 'baseline' as const, complexity: 2, forecaster: movingAverageForecaster(28) },
      {
        id: 'holt_winters',
        family: 'statistical' as const,
        complexity: 4,
        forecaster: etsForecaster({ trend: 'add', seasonal: 'add' }),
      },
    ];
    const flat = leaderboard(backtest(noise(150, 4), entries, { horizon: 14, origins: 2, seasonPeriod: 7 }));
    expect(flat.recommended?.family).toBe('baseline');
    const z = normalRandom(seededRandom(5));
    const week = [0, 10, 20, 15, 5, -25, -25];
    const seasonal = Float64Array.from({ length: 150 }, (_, t) => 100 + 0.5 * t + week[t % 7]! + 2 * z());
    const strong = leaderboard(backtest(seasonal, entries, { horizon: 14, origins: 2, seasonPeriod: 7 }));
    expect(strong.verdict).toBe('holt_winters_beats_baseline');
    expect(strong.recommended?.id).toBe('holt_winters');
  });
});

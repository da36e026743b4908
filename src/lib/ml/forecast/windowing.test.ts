/**
 * Windowing utilities for the neural forecasters: shapes and contents checked by hand on tiny
 * series (the expected arrays are written out below).
 */
import { describe, expect, it } from 'vitest';
import {
  applyScaler,
  calendarFeatures,
  fillDailyGaps,
  fitScaler,
  invertScaler,
  lastWindow,
  makeWindows,
} from './windowing';
import { getModelSpec, listModels, registerModel, backtestEntry, defaultParams } from './registry';

describe('windowing', () => {
  const y = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('makes direct multi-output windows [count, L, F] → [count, H]', () => {
    const w = makeWindows(y, { lookback: 3, horizon: 2 });
    expect(w.count).toBe(6);
    expect(Array.from(w.x.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(w.y.subarray(0, 2))).toEqual([3, 4]);
    expect(Array.from(w.y.subarray(10, 12))).toEqual([8, 9]);
    expect(Array.from(w.targetStart)).toEqual([3, 4, 5, 6, 7, 8]);
    // `end` keeps the test window out; stride thins the samples.
    expect(makeWindows(y, { lookback: 3, horizon: 2, end: 8 }).count).toBe(4);
    expect(makeWindows(y, { lookback: 3, horizon: 2, stride: 2 }).count).toBe(3);
  });

  it('interleaves covariates per time step and emits known-future features for targets', () => {
    const cov = { data: Float32Array.from(y, (v) => v * 10), rows: 10, names: ['promo'] };
    const fut = { data: Float32Array.from(y, (v) => -v), rows: 10, names: ['dow'] };
    const w = makeWindows(y, { lookback: 2, horizon: 1, covariates: cov, future: fut });
    expect(w.features).toBe(2);
    expect(Array.from(w.x.subarray(0, 4))).toEqual([0, 0, 1, 10]);
    expect(Array.from(w.xFuture!.subarray(0, 2))).toEqual([-2, -3]);
    expect(Array.from(lastWindow(y, 2, cov))).toEqual([8, 80, 9, 90]);
  });

  it('scales with statistics from the training part only and inverts exactly', () => {
    const s = fitScaler(y, 'standard', 5); // mean 2, sd √2 from [0..4]
    expect(s.center).toBeCloseTo(2, 12);
    expect(s.scale).toBeCloseTo(Math.SQRT2, 12);
    const back = invertScaler(applyScaler(y, s), s);
    back.forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 5));
    expect(fitScaler(y, 'minmax')).toMatchObject({ center: 0, scale: 9 });
    expect(fitScaler(y, 'mean').scale).toBeCloseTo(4.5, 12);
  });

  it('calendar features: Monday = 0, one-hot and sin/cos', () => {
    const monday = Date.UTC(2024, 0, 1); // 2024-01-01 was a Monday
    const oh = calendarFeatures([monday, monday + 6 * 86_400_000], { encoding: 'onehot' });
    expect(oh.names.length).toBe(19);
    expect(oh.data[0]).toBe(1);
    expect(oh.data[19 + 6]).toBe(1); // Sunday
    expect(oh.data[7]).toBe(1); // January
    const sc = calendarFeatures([monday], { dayOfYear: true });
    expect(sc.names).toEqual(['dow_sin', 'dow_cos', 'month_sin', 'month_cos', 'doy_sin', 'doy_cos']);
    expect(sc.data[1]).toBeCloseTo(1, 6);
  });

  it('fills missing days with zeros and counts them', () => {
    const g = fillDailyGaps([10, 11, 14], [1, 2, 3]);
    expect(Array.from(g.values)).toEqual([1, 2, 0, 0, 3]);
    expect(g.missing).toBe(2);
    expect(g.start).toBe(10);
  });
});

describe('model registry', () => {
  it('lists built-in models simplest first with UI parameter specs', () => {
    const ids = listModels().map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(['naive', 'seasonal_naive', 'moving_average']);
    expect(ids).toContain('holt_winters');
    expect(ids).toContain('arima');
    expect(defaultParams(getModelSpec('holt_winters')!)).toEqual({ trend: 'add_damped', seasonal: 'add' });
  });

  it('accepts an asynchronous neural model from outside the folder', () => {
    registerModel({
      id: 'lstm_test',
      label: 'LSTM',
      family: 'neural',
      complexity: 10,
      params: [{ name: 'lookback', kind: 'int', default: 28, min: 7, max: 365 }],
      async: true,
      create: () => ({ modelId: 'lstm_test', fit: async () => Promise.reject(new Error('not in unit tests')) }),
    });
    expect(listModels().at(-1)?.id).toBe('lstm_test');
    expect(backtestEntry('lstm_test').family).toBe('neural');
    expect(() => backtestEntry('nope')).toThrow(RangeError);
  });
});

/**
 * Baseline forecasters every other model must beat: naive (last value), seasonal naive (value one
 * season ago) and a trailing moving average. Naive and seasonal naive have the textbook analytic
 * intervals (random-walk variance σ²h and σ²(⌊(h−1)/m⌋ + 1)); the moving average uses empirical
 * quantiles of its own in-sample k-step errors because it has no generative model.
 */
import { gaussianInterval } from './intervals';
import { quantile } from './math';
import {
  type FitOptions,
  type FittedModel,
  type Forecaster,
  type ForecastResult,
  residualsOf,
  usableSeasonPeriod,
} from './types';

function meanSquare(r: Float64Array): number {
  let s = 0;
  let n = 0;
  for (const v of r) {
    if (Number.isFinite(v)) {
      s += v * v;
      n++;
    }
  }
  return n > 0 ? s / n : 0;
}

/** Seasonal naive fit (m = 1 gives the plain naive model). */
export function fitSeasonalNaive(
  y: Float64Array,
  m: number,
  modelId = m > 1 ? 'seasonal_naive' : 'naive',
): FittedModel {
  const n = y.length;
  if (n < m + 1) throw new RangeError(`seasonal naive needs more than ${m} observations`);
  const fitted = new Float64Array(n).fill(NaN);
  for (let t = m; t < n; t++) fitted[t] = y[t - m]!;
  const residuals = residualsOf(y, fitted);
  const sigma2 = meanSquare(residuals);
  return {
    modelId,
    description: m > 1 ? `Seasonal naive[${m}]` : 'Naive',
    fitted,
    residuals,
    params: { seasonPeriod: m, sigma2 },
    forecast(h: number, level = 0.8): ForecastResult {
      const mean = new Float64Array(h);
      const v = new Float64Array(h);
      for (let i = 0; i < h; i++) {
        mean[i] = y[n - m + (i % m)]!;
        v[i] = sigma2 * (Math.floor(i / m) + 1);
      }
      return gaussianInterval(mean, v, level);
    },
  };
}

/** Naive forecaster: tomorrow equals today. */
export const naiveForecaster: Forecaster = { modelId: 'naive', fit: (y) => fitSeasonalNaive(y, 1, 'naive') };

/** Seasonal naive forecaster: next week's Monday equals this week's Monday (falls back to naive without two seasons). */
export const seasonalNaiveForecaster: Forecaster = {
  modelId: 'seasonal_naive',
  fit: (y, options: FitOptions = {}) =>
    fitSeasonalNaive(y, usableSeasonPeriod(y.length, options.seasonPeriod), 'seasonal_naive'),
};

/** Trailing moving-average fit over `window` periods. */
export function fitMovingAverage(y: Float64Array, window: number): FittedModel {
  const n = y.length;
  const w = Math.max(1, Math.min(Math.round(window), n - 1));
  const fitted = new Float64Array(n).fill(NaN);
  const prefix = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) prefix[t + 1] = prefix[t]! + y[t]!;
  const avgBefore = (t: number) => (prefix[t]! - prefix[t - w]!) / w;
  for (let t = w; t < n; t++) fitted[t] = avgBefore(t);
  const residuals = residualsOf(y, fitted);
  const last = avgBefore(n);
  return {
    modelId: 'moving_average',
    description: `Moving average(${w})`,
    fitted,
    residuals,
    params: { window: w, sigma2: meanSquare(residuals) },
    forecast(h: number, level = 0.8): ForecastResult {
      const mean = new Float64Array(h).fill(last);
      const lower = new Float64Array(h);
      const upper = new Float64Array(h);
      const lo = (1 - level) / 2;
      for (let k = 1; k <= h; k++) {
        // Errors of the in-sample k-step-ahead forecasts made from every past origin.
        const errs: number[] = [];
        for (let t = w; t + k - 1 < n; t++) errs.push(y[t + k - 1]! - avgBefore(t));
        lower[k - 1] = last + (errs.length > 0 ? quantile(errs, lo) : 0);
        upper[k - 1] = last + (errs.length > 0 ? quantile(errs, 1 - lo) : 0);
      }
      return { mean, lower, upper, level, intervalMethod: 'empirical' };
    },
  };
}

/** Moving-average forecaster with a fixed window (28 days by default: four weekly cycles). */
export function movingAverageForecaster(window = 28): Forecaster {
  return { modelId: 'moving_average', fit: (y) => fitMovingAverage(y, window) };
}

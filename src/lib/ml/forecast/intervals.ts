/**
 * Prediction-interval helpers: Gaussian intervals from a variance path, and a seeded residual
 * bootstrap for models without a closed form (multiplicative ETS, moving average).
 */
import { quantile, seededRandom, zForLevel } from './math';
import type { ForecastResult } from './types';

/** Central Gaussian interval mean ± z·sqrt(variance) for each step. */
export function gaussianInterval(mean: Float64Array, variance: Float64Array, level: number): ForecastResult {
  const z = zForLevel(level);
  const lower = new Float64Array(mean.length);
  const upper = new Float64Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    const half = z * Math.sqrt(Math.max(0, variance[i]!));
    lower[i] = mean[i]! - half;
    upper[i] = mean[i]! + half;
  }
  return { mean, lower, upper, level, intervalMethod: 'analytic' };
}

/** The finite residuals, centred, as the bootstrap pool (centring keeps the simulated paths unbiased). */
export function residualPool(residuals: Float64Array): Float64Array {
  const pool = Array.from(residuals).filter(Number.isFinite);
  const m = pool.reduce((s, v) => s + v, 0) / Math.max(1, pool.length);
  return Float64Array.from(pool, (v) => v - m);
}

/**
 * Interval from simulated future paths: `simulate(h, shock)` runs the model forward drawing one
 * shock per step; shocks are resampled residuals. The point forecast stays the model's mean.
 */
export function bootstrapInterval(
  mean: Float64Array,
  simulate: (h: number, shock: () => number) => Float64Array,
  pool: Float64Array,
  level: number,
  options: { paths?: number; seed?: number } = {},
): ForecastResult {
  const h = mean.length;
  const nPaths = options.paths ?? 1000;
  const rand = seededRandom(options.seed ?? 42);
  const draws: Float64Array[] = Array.from({ length: h }, () => new Float64Array(nPaths));
  const shock = pool.length > 0 ? () => pool[Math.floor(rand() * pool.length)]! : () => 0;
  for (let p = 0; p < nPaths; p++) {
    const path = simulate(h, shock);
    for (let i = 0; i < h; i++) draws[i]![p] = path[i]!;
  }
  const lo = (1 - level) / 2;
  const lower = Float64Array.from(draws, (d) => quantile(d, lo));
  const upper = Float64Array.from(draws, (d) => quantile(d, 1 - lo));
  const median = Float64Array.from(draws, (d) => quantile(d, 0.5));
  return { mean, lower, upper, median, level, intervalMethod: 'bootstrap' };
}

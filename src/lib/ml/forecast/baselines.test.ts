/**
 * Baselines and helpers, checked by hand-computed values (no external reference needed: the
 * formulas are one line each). Normal quantiles are checked against scipy.stats.norm.ppf values.
 */
import { describe, expect, it } from 'vitest';
import { fitMovingAverage, fitSeasonalNaive, naiveForecaster, seasonalNaiveForecaster } from './baselines';
import { normalQuantile, seededRandom } from './math';
import { nelderMead } from './optimize';
import { defaultSeasonPeriod, inferFrequency, usableSeasonPeriod } from './types';

describe('baseline forecasters', () => {
  const y = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8]);

  it('seasonal naive repeats the last season with σ²(⌊(h−1)/m⌋+1) variance', () => {
    const fit = fitSeasonalNaive(y, 7);
    expect(fit.residuals.slice(7).every((r) => r === 1)).toBe(true);
    const fc = fit.forecast(9, 0.8);
    expect(Array.from(fc.mean)).toEqual([2, 3, 4, 5, 6, 7, 8, 2, 3]);
    const half = (i: number) => fc.upper[i]! - fc.mean[i]!;
    expect(half(0)).toBeCloseTo(1.2815515655446004, 9); // σ = 1, z(0.9)
    expect(half(7)).toBeCloseTo(1.2815515655446004 * Math.SQRT2, 9);
  });

  it('naive forecasts the last value with a widening random-walk interval', () => {
    const fc = naiveForecaster.fit(y).forecast(4);
    expect(Array.from(fc.mean)).toEqual([8, 8, 8, 8]);
    expect(fc.upper[3]! - fc.mean[3]!).toBeCloseTo(2 * (fc.upper[0]! - fc.mean[0]!), 9);
  });

  it('seasonal naive falls back to naive without two full seasons', () => {
    expect(seasonalNaiveForecaster.fit(y.slice(0, 10), { seasonPeriod: 7 }).params.seasonPeriod).toBe(1);
  });

  it('moving average forecasts the trailing mean with empirical intervals', () => {
    const fit = fitMovingAverage(y, 4);
    const fc = fit.forecast(3, 0.8);
    expect(fc.mean[0]).toBeCloseTo((5 + 6 + 7 + 8) / 4, 12);
    expect(fc.intervalMethod).toBe('empirical');
    expect(fc.lower[0]!).toBeLessThanOrEqual(fc.upper[0]!);
  });
});

describe('numeric helpers', () => {
  it('normalQuantile matches scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });

  it('seededRandom is deterministic', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('bounded Nelder-Mead finds a constrained minimum on the boundary', () => {
    // Minimum of (x−2)² + (y+1)² inside [0, 1]²  is (1, 0).
    const r = nelderMead((x) => (x[0]! - 2) ** 2 + (x[1]! + 1) ** 2, [0.5, 0.5], { lower: [0, 0], upper: [1, 1] });
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(0, 6);
    // Rosenbrock, unbounded.
    const ros = nelderMead((x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2, [-1.2, 1], {
      maxEvaluations: 5000,
    });
    expect(ros.x[0]).toBeCloseTo(1, 4);
  });

  it('frequency helpers', () => {
    expect(defaultSeasonPeriod('daily')).toBe(7);
    expect(defaultSeasonPeriod('weekly')).toBe(52);
    expect(defaultSeasonPeriod('monthly')).toBe(12);
    const day = 86_400_000;
    expect(inferFrequency([0, day, 2 * day])).toBe('daily');
    expect(inferFrequency([0, 7 * day, 14 * day])).toBe('weekly');
    expect(inferFrequency([0, 31 * day, 59 * day])).toBe('monthly');
    expect(usableSeasonPeriod(20, 7)).toBe(7);
    expect(usableSeasonPeriod(13, 7)).toBe(1);
  });
});

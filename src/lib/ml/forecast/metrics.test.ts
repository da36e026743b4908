/**
 * Metrics against the reference values in forecast-reference.json ("metrics"), produced by
 * docs/reference/forecast_reference.py: MAE and RMSE with statsmodels.tools.eval_measures
 * (meanabs, rmse), sMAPE / MASE / coverage / pinball with the numpy formulas written there.
 * Tolerance 1e-12 relative: identical arithmetic on the same inputs.
 */
import { describe, expect, it } from 'vitest';
import ref from './forecast-reference.json';
import { coverage, forecastMetrics, mae, mase, pinball, rmse, seasonalNaiveScale, smape } from './metrics';

const r = ref.metrics;
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

describe('forecast metrics', () => {
  it('match the statsmodels / numpy reference', () => {
    close(mae(r.actual, r.predicted), r.mae);
    close(rmse(r.actual, r.predicted), r.rmse);
    close(smape(r.actual, r.predicted), r.smape);
    close(mase(r.actual, r.predicted, r.train, r.seasonPeriod), r.mase);
    close(coverage(r.actual, r.lower, r.upper), r.coverage);
    close(pinball(r.actual, r.predicted, 0.9), r.pinball90);
  });

  it('combine into one record, pinball averaging both interval ends', () => {
    const m = forecastMetrics(
      r.actual,
      { mean: r.predicted, lower: r.lower, upper: r.upper, level: 0.8 },
      r.train,
      r.seasonPeriod,
    );
    close(m.mase, r.mase);
    close(m.pinball, (pinball(r.actual, r.lower, 0.1) + pinball(r.actual, r.upper, 0.9)) / 2);
  });

  it('handle edge cases: 0/0 in sMAPE, short training data, mismatched lengths', () => {
    expect(smape([0, 2], [0, 2])).toBe(0);
    expect(seasonalNaiveScale([1, 3, 2], 7)).toBeCloseTo(1.5, 12); // falls back to naive scaling
    expect(() => mae([1, 2], [1])).toThrow(RangeError);
    expect(Number.isNaN(mase([1], [1], [5, 5, 5], 1))).toBe(true); // flat history: no scale
  });
});

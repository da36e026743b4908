/**
 * Long-season adjustment around any base forecaster (the idea of R's forecast::stlf): estimate
 * the yearly profile of a daily series with the STL-lite decomposition (weekly and yearly
 * together, so neither absorbs the other), subtract only the yearly part, let the base model
 * (ETS, ARIMA…) handle level, trend and the weekly cycle, then add the yearly profile back to
 * the forecasts. Models with m = 7 cannot represent a 365-day season themselves; this can.
 * The yearly profile is treated as known, so intervals are the base model's shifted by it.
 */
import { decompose } from './decompose';
import type { FitOptions, FittedModel, Forecaster, ForecastResult } from './types';

/** Fit `base` to the series minus its long seasonal profile (no-op when fewer than two long seasons). */
export function fitSeasonallyAdjusted(
  y: Float64Array,
  base: Forecaster,
  longPeriod: number,
  options: FitOptions = {},
  modelId = `${base.modelId}_yearly`,
): FittedModel {
  const short = options.seasonPeriod ?? 1;
  const d = decompose(y, short > 1 ? [short, longPeriod] : [longPeriod]);
  const k = d.periods.indexOf(Math.round(longPeriod));
  if (k < 0) {
    const fit = base.fit(y, options);
    return { ...fit, modelId };
  }
  const profile = d.seasonal[k]!.subarray(0, longPeriod);
  const n = y.length;
  const adjusted = Float64Array.from(y, (v, t) => v - d.seasonal[k]![t]!);
  const fit = base.fit(adjusted, options);
  const fitted = Float64Array.from(fit.fitted, (v, t) => v + d.seasonal[k]![t]!);
  return {
    modelId,
    description: `${fit.description} + yearly[${longPeriod}]`,
    fitted,
    residuals: fit.residuals,
    params: { ...fit.params },
    logLik: fit.logLik,
    aic: fit.aic,
    forecast(h: number, level = 0.8): ForecastResult {
      const f = fit.forecast(h, level);
      const add = (x: Float64Array) => Float64Array.from(x, (v, i) => v + profile[(n + i) % longPeriod]!);
      return {
        ...f,
        mean: add(f.mean),
        lower: add(f.lower),
        upper: add(f.upper),
        ...(f.median ? { median: add(f.median) } : {}),
      };
    },
  };
}

/** Forecaster wrapper: `base` on the yearly-adjusted series (period 365 for daily data by default). */
export function seasonallyAdjustedForecaster(base: Forecaster, longPeriod = 365): Forecaster {
  return {
    modelId: `${base.modelId}_yearly`,
    fit: (y, options) => fitSeasonallyAdjusted(y, base, longPeriod, options),
  };
}

/**
 * Point and interval forecast accuracy measures. sMAPE is in percent (M4 definition, a 0/0 term
 * counts as 0); MASE is scaled by the in-sample MAE of the seasonal naive one-step forecast
 * (Hyndman & Koehler 2006), so MASE < 1 beats seasonal naive on its own training data.
 */

/** The metric set reported by backtests and the leaderboard. */
export interface ForecastMetrics {
  mae: number;
  rmse: number;
  smape: number;
  mase: number;
  /** Share of actuals inside [lower, upper]. */
  coverage: number;
  /** Mean pinball loss of the lower and upper bounds at their quantiles. */
  pinball: number;
}

function check(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`length mismatch: ${a.length} vs ${b.length}`);
  if (a.length === 0) throw new RangeError('empty input');
}

/** Mean absolute error. */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check(actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - predicted[i]!);
  return s / actual.length;
}

/** Root mean squared error. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check(actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - predicted[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}

/** Symmetric MAPE in percent: mean of 200·|a − p| / (|a| + |p|). */
export function smape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check(actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]!) + Math.abs(predicted[i]!);
    s += d === 0 ? 0 : (200 * Math.abs(actual[i]! - predicted[i]!)) / d;
  }
  return s / actual.length;
}

/** In-sample MAE of the seasonal naive forecast, the MASE denominator (m = 1: naive). */
export function seasonalNaiveScale(train: ArrayLike<number>, seasonPeriod: number): number {
  const m = Math.max(1, Math.round(seasonPeriod));
  const k = train.length >= m + 1 ? m : 1;
  let s = 0;
  let n = 0;
  for (let t = k; t < train.length; t++) {
    s += Math.abs(train[t]! - train[t - k]!);
    n++;
  }
  return n > 0 ? s / n : NaN;
}

/** Mean absolute scaled error against the in-sample seasonal naive MAE. */
export function mase(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  train: ArrayLike<number>,
  seasonPeriod: number,
): number {
  const scale = seasonalNaiveScale(train, seasonPeriod);
  return scale > 0 ? mae(actual, predicted) / scale : NaN;
}

/** Share of actuals inside their interval (both ends inclusive). */
export function coverage(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  check(actual, lower);
  check(actual, upper);
  let k = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) k++;
  return k / actual.length;
}

/** Mean pinball (quantile) loss of a forecast of quantile q. */
export function pinball(actual: ArrayLike<number>, quantilePrediction: ArrayLike<number>, q: number): number {
  check(actual, quantilePrediction);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = actual[i]! - quantilePrediction[i]!;
    s += Math.max(q * d, (q - 1) * d);
  }
  return s / actual.length;
}

/** Every metric at once for one forecast window. */
export function forecastMetrics(
  actual: ArrayLike<number>,
  forecast: { mean: ArrayLike<number>; lower: ArrayLike<number>; upper: ArrayLike<number>; level: number },
  train: ArrayLike<number>,
  seasonPeriod: number,
): ForecastMetrics {
  const lo = (1 - forecast.level) / 2;
  return {
    mae: mae(actual, forecast.mean),
    rmse: rmse(actual, forecast.mean),
    smape: smape(actual, forecast.mean),
    mase: mase(actual, forecast.mean, train, seasonPeriod),
    coverage: coverage(actual, forecast.lower, forecast.upper),
    pinball: (pinball(actual, forecast.lower, lo) + pinball(actual, forecast.upper, 1 - lo)) / 2,
  };
}

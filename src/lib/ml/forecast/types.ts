/**
 * The forecasting contract shared by every model in ShopSight: classical models in this folder
 * and the neural ones (LSTM/GRU on TF.js, src/lib/ml/tf/) that plug into the same registry.
 * Series are Float64Array in time order, one value per period, no gaps (fill missing days first).
 */
import type { Exogenous } from './exogenous';

/** How intervals were produced (closed form, simulated paths, in-sample error quantiles), so the UI can say so. */
export type IntervalMethod = 'analytic' | 'bootstrap' | 'empirical' | 'none';

/** Options every model's fit accepts; models ignore what they do not use. */
export interface FitOptions {
  /** Season length in periods (7 daily-weekly, 52 weekly-yearly, 12 monthly, 1 = none). */
  seasonPeriod?: number;
  /** Seed for anything random (bootstrap intervals, neural initialisation). */
  seed?: number;
  /** Optional covariates aligned with the series, one Float64Array per feature (neural models). */
  covariates?: readonly Float64Array[];
  /** Calendar and covariate inputs (neural models with inputs; classical models ignore them). */
  exogenous?: Exogenous;
  /** Cooperative cancellation: models check it between expensive steps. */
  signal?: { readonly cancelled: boolean };
}

/** A point forecast with a central prediction interval. */
export interface ForecastResult {
  /** Point forecast (mean; equals the median for the symmetric analytic intervals). */
  mean: Float64Array;
  /** Lower bound of the central interval, e.g. P10 for level 0.8. */
  lower: Float64Array;
  /** Upper bound, e.g. P90 for level 0.8. */
  upper: Float64Array;
  /** P50 where it differs from the mean (simulated intervals); absent means median = mean. */
  median?: Float64Array;
  /** Central coverage probability of [lower, upper]. */
  level: number;
  intervalMethod: IntervalMethod;
}

/** A fitted model: in-sample diagnostics plus out-of-sample forecasts. */
export interface FittedModel {
  /** Registry id of the model family, e.g. 'ets'. */
  readonly modelId: string;
  /** Human-readable specification, e.g. 'ETS(A,Ad,A)' or 'ARIMA(1,1,1)(0,1,1)[7]'. */
  readonly description: string;
  /** One-step-ahead in-sample predictions (NaN where the model has no prediction yet). */
  readonly fitted: Float64Array;
  /** series − fitted (NaN where fitted is NaN). */
  readonly residuals: Float64Array;
  /** Estimated parameters by name (smoothing weights, AR/MA coefficients, sigma2…). */
  readonly params: Readonly<Record<string, number>>;
  /** Gaussian log-likelihood at the optimum, where the model has one. */
  readonly logLik?: number;
  /** Akaike information criterion, where the model has a likelihood. */
  readonly aic?: number;
  /** Forecast h steps ahead with a central interval of the given level (default 0.8 → P10/P90). */
  forecast(h: number, level?: number): ForecastResult;
}

/** A model family with fixed hyper-parameters, ready to be fitted to any series. */
export interface Forecaster {
  readonly modelId: string;
  fit(series: Float64Array, options?: FitOptions): FittedModel;
}

/** Same contract for models whose training is asynchronous (TF.js neural models). */
export interface AsyncForecaster {
  readonly modelId: string;
  fit(series: Float64Array, options?: FitOptions): Promise<FittedModel>;
}

/** A hyper-parameter the UI can render as a control. */
export type ParamSpec =
  | { name: string; kind: 'int' | 'number'; default: number; min: number; max: number; step?: number }
  | { name: string; kind: 'enum'; default: string; options: readonly string[] }
  | { name: string; kind: 'boolean'; default: boolean };

/** Values for a model's hyper-parameters, keyed by ParamSpec name. */
export type ParamValues = Record<string, number | string | boolean>;

/** Which shelf of the leaderboard a model belongs to: baselines win ties. */
export type ModelFamily = 'baseline' | 'statistical' | 'neural';

/** Registry entry: enough for the UI to list, describe and instantiate a model. */
export interface ModelSpec {
  /** Stable id, also the i18n key suffix (forecast.model.<id>). */
  id: string;
  /** English label (the UI translates by id). */
  label: string;
  family: ModelFamily;
  /** Rank for the "prefer simpler" rule: lower is simpler (naive 0 … neural 10). */
  complexity: number;
  params: readonly ParamSpec[];
  /** Whether fit is synchronous (classical) or asynchronous (TF.js). */
  async: boolean;
  create(params?: ParamValues): Forecaster | AsyncForecaster;
}

/** Calendar frequency of a series, used to pick a default season length. */
export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** Default season period: 7 for daily (weekly cycle), 52 for weekly (yearly), 12 monthly, 4 quarterly, 1 yearly. */
export function defaultSeasonPeriod(frequency: Frequency): number {
  switch (frequency) {
    case 'daily':
      return 7;
    case 'weekly':
      return 52;
    case 'monthly':
      return 12;
    case 'quarterly':
      return 4;
    case 'yearly':
      return 1;
  }
}

/** Secondary (long) season for a frequency where one exists: 365 for daily (yearly), none otherwise. */
export function longSeasonPeriod(frequency: Frequency): number | undefined {
  return frequency === 'daily' ? 365 : undefined;
}

/** Guess the frequency from the median spacing of ISO dates or epoch-ms timestamps. */
export function inferFrequency(times: ArrayLike<number>): Frequency {
  if (times.length < 2) return 'daily';
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / 86_400_000);
  gaps.sort((a, b) => a - b);
  const g = gaps[Math.floor(gaps.length / 2)]!;
  if (g < 2) return 'daily';
  if (g < 10) return 'weekly';
  if (g < 45) return 'monthly';
  if (g < 130) return 'quarterly';
  return 'yearly';
}

/** Effective season period for a series: falls back to 1 when fewer than two full seasons are available. */
export function usableSeasonPeriod(n: number, seasonPeriod: number | undefined): number {
  const m = Math.max(1, Math.round(seasonPeriod ?? 1));
  return m > 1 && n >= 2 * m ? m : 1;
}

/** Residuals of a fit: y − fitted, NaN where fitted is NaN. */
export function residualsOf(series: Float64Array, fitted: Float64Array): Float64Array {
  const r = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) r[i] = series[i]! - fitted[i]!;
  return r;
}

/**
 * The forecast chapter's boundary (ML worker ↔ UI and embed): one job reads a table with a date
 * and a value, turns it into one regular series per group, backtests every chosen model with
 * rolling origins, recommends one, and writes the forecasts as a derived table (kind 'forecast').
 * Results are plain arrays (JSON-safe for the embed API; NaN crosses as null in JSON).
 */
import type { ProgressEvent } from './data-api';

/** Calendar step of the series; 'auto' detects it from the median gap between distinct dates. */
export type ForecastFrequency = 'day' | 'week' | 'month';

/** What a forecast job is asked to do. */
export interface ForecastRequest {
  table: string;
  /** Date or timestamp column. */
  date: string;
  /** Numeric column summed per period (revenue, units …). */
  value: string;
  /** Optional numeric column the value is multiplied by per row (e.g. quantity × unit price = revenue). */
  multiplyBy?: string;
  /** Optional column to split by (one series per value). */
  by?: string;
  /** With `by`: keep the N groups with the largest total (default 5); the others are left out. */
  topN?: number;
  /** Default 'auto'. */
  freq?: ForecastFrequency | 'auto';
  /** Periods to forecast after the last one. */
  horizon: number;
  /** Model ids (see `FORECAST_MODEL_IDS`); baselines are always added. Default: every classical model. */
  models?: string[];
  /** Options of the LSTM / GRU (when chosen). */
  neural?: { epochs?: number; units?: number; lookback?: number; patience?: number };
  /** Rolling-origin backtest: k origins, H periods each (defaults 3 and min(horizon, …)). */
  backtest?: { origins: number; horizon?: number };
  /** Central interval level (default 0.8 → P10/P50/P90). */
  level?: number;
  /** ISO dates of holidays; history anomalies on them are marked as holidays, and with `calendar` they are a model input. */
  holidays?: string[];
  /** Also count the days this many days before and after each holiday as holidays (0–7, default 0). */
  holidayWindow?: number;
  /**
   * Calendar inputs for the LSTM / GRU (future-known): weekday and month for daily series, week of
   * year and month for weekly, month for monthly, plus the holidays. Adds the '<cell>_x' variants
   * beside the plain ones, so the leaderboard shows both.
   */
  calendar?: boolean;
  /** Numeric columns aggregated per period as LSTM / GRU inputs (also the '<cell>_x' variants). */
  covariates?: ForecastCovariate[];
  /** Also train one LSTM / GRU across all series of `by` ('<cell>_global'); needs `by`. */
  global?: boolean;
  /** Name of the result table (default `<table>_forecast`). */
  into?: string;
}

/** A column of the table used as a model input, aggregated per period. */
export interface ForecastCovariate {
  column: string;
  /** Per period: 'mean' (default for prices, discounts, 0/1 flags), 'sum' (default for quantities and amounts) or 'max'. */
  aggregate?: 'mean' | 'sum' | 'max';
  /**
   * Declared known in advance (a planned promotion, a set price): the model may use its value at
   * the forecast dates, taken from `future`. Otherwise it sees only past values (lagged), never the
   * value of a period it forecasts.
   */
  known?: boolean;
  /** With `known`: the planned values of the forecast periods (one value for all, or one per period). */
  future?: number[];
}

/** Leaderboard id of a neural variant: '<cell>_x' with inputs, '<cell>_global' across series. */
export function neuralVariantId(cell: 'lstm' | 'gru', variant: 'x' | 'global'): string {
  return `${cell}_${variant}`;
}

/** Every model id a request may name. Baselines: naive, seasonal_naive, moving_average. */
export const FORECAST_MODEL_IDS = [
  'naive',
  'seasonal_naive',
  'moving_average',
  'ses',
  'holt_winters',
  'ets',
  'ets_yearly',
  'arima',
  'lstm',
  'gru',
] as const;
export type ForecastModelId = (typeof FORECAST_MODEL_IDS)[number];

/** The always-present baselines. */
export const FORECAST_BASELINES: readonly ForecastModelId[] = ['naive', 'seasonal_naive', 'moving_average'];

/** Progress: phases 'read' | 'evaluate' | 'train' | 'write'; neural epochs carry `epoch`. */
export interface ForecastProgressEvent extends ProgressEvent {
  epoch?: { model: string; series: string; epoch: number; epochs: number; loss: number; valLoss: number | null };
}
export type ForecastProgressCallback = (event: ForecastProgressEvent) => void;

/** A forecast path with its central interval. */
export interface ForecastPath {
  mean: number[];
  /** P50 (equals mean for symmetric intervals). */
  median: number[];
  lower: number[];
  upper: number[];
  intervalMethod: 'analytic' | 'bootstrap' | 'empirical' | 'none';
}

/** One leaderboard row (metrics are means over the backtest origins). */
export interface ForecastLeaderboardRow {
  model: string;
  family: 'baseline' | 'statistical' | 'neural';
  mae: number;
  rmse: number;
  smape: number;
  mase: number;
  /** Share of backtest actuals inside the interval (nominal = level). */
  coverage: number;
  /** Wall time of the backtest plus the final fit. */
  ms: number;
  /** The best baseline the others are compared with. */
  baseline: boolean;
  recommended: boolean;
  /** Set when the model failed (then it has no metrics). */
  error?: string;
  /** Model description of the final fit, e.g. 'ETS(A,Ad,A)'. */
  description?: string;
}

/** One model's forecast at one backtest origin (index into `periods`). */
export interface BacktestOverlay {
  origin: number;
  mean: number[];
  lower: number[];
  upper: number[];
}

/** A history point outside the recommended model's in-sample interval. */
export interface ForecastAnomaly {
  index: number;
  period: string;
  value: number;
  expected: number;
  holiday: boolean;
}

/** Everything about one series. */
export interface ForecastSeries {
  /** The group value (null without `by`). */
  key: string | null;
  /** Period starts `YYYY-MM-DD` of the history. */
  periods: string[];
  values: number[];
  /** Periods without any row, filled with 0. */
  gapsFilled: number;
  seasonPeriod: number;
  /** Period starts of the forecast. */
  future: string[];
  leaderboard: ForecastLeaderboardRow[];
  recommended: string | null;
  /** Machine-readable verdict (see ml/forecast/backtest `VerdictCode`). */
  verdict: string;
  /** The best non-baseline model (the one the verdict names), if any. */
  challenger: string | null;
  baselineModel: string | null;
  /** Relative MASE gain of the challenger over the best baseline (negative = worse). */
  improvement: number;
  winShare: number;
  /** Final forecasts by model id. */
  forecasts: Record<string, ForecastPath>;
  /** Backtest forecasts by model id. */
  backtests: Record<string, BacktestOverlay[]>;
  /** One-step in-sample fit and residuals of the recommended model. */
  fitted: number[];
  residuals: number[];
  decomposition: { trend: number[]; seasonal: number[][]; periods: number[] };
  anomalies: ForecastAnomaly[];
  /** Loss per epoch of the neural models' final fits. */
  training: Record<string, { epoch: number; loss: number; valLoss: number | null }[]>;
}

/** What a forecast job returns. */
export interface ForecastResult {
  jobId: string;
  /** The derived table with period, series, model, p_lo / p50 / p_hi (e.g. p10, p50, p90). */
  table: string;
  /** Frequency used, and what detection found (null when the request fixed it). */
  freq: ForecastFrequency;
  detectedFreq: ForecastFrequency | null;
  medianGapDays: number | null;
  horizon: number;
  backtest: { origins: number; horizon: number };
  level: number;
  /** Column names of the interval in the table, e.g. ['p10', 'p50', 'p90']. */
  quantileColumns: [string, string, string];
  models: string[];
  series: ForecastSeries[];
  /** Groups left out by top N. */
  groupsDropped: number;
  elapsedMs: number;
}

/** The forecast chapter's worker API. */
export interface ForecastApi {
  /** Rejects with `cancelled` after `cancel(jobId)`; see i18n for the `forecast_*` error codes. */
  forecast(jobId: string, request: ForecastRequest, onProgress?: ForecastProgressCallback): Promise<ForecastResult>;
}

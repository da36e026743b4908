/**
 * Rolling-origin evaluation ("time-series cross-validation"): for k origins spaced `step` apart
 * and ending H periods before the end, refit each model on the history up to the origin,
 * forecast H periods, score against what happened. Then a leaderboard with a conservative
 * recommendation rule, so the UI never recommends a complex model for a noise-level gain.
 */
import { sliceExogenous, type Exogenous } from './exogenous';
import { forecastMetrics, type ForecastMetrics } from './metrics';
import type { AsyncForecaster, FitOptions, FittedModel, ForecastResult, Forecaster, ModelFamily } from './types';

/** Settings for a rolling-origin backtest. */
export interface BacktestOptions {
  /** Forecast horizon H per origin. */
  horizon: number;
  /** Number of origins k (default 3). */
  origins?: number;
  /** Distance between consecutive origins (default H: non-overlapping test windows). */
  step?: number;
  /** Season period passed to every fit and used for MASE scaling. */
  seasonPeriod?: number;
  /** Central interval level scored by coverage and pinball (default 0.8). */
  level?: number;
  /** Minimum training length at the first origin (default 2 seasons + H, at least 10). */
  minTrain?: number;
  seed?: number;
  signal?: { readonly cancelled: boolean };
  /** Calendar / covariates of the whole series; each origin's fit gets only what {@link sliceExogenous} allows. */
  exogenous?: Exogenous;
}

/** One model's result at one origin. */
export interface OriginResult {
  /** Training length = index of the first forecast point. */
  origin: number;
  metrics: ForecastMetrics;
  forecast: ForecastResult;
}

/** A model entered into a backtest, with what the leaderboard needs to know about it. */
export interface BacktestEntry<F extends Forecaster | AsyncForecaster = Forecaster> {
  id: string;
  family: ModelFamily;
  /** Lower is simpler (see ModelSpec.complexity). */
  complexity: number;
  forecaster: F;
}

/** One model's backtest: per-origin and aggregate (mean over origins) metrics. */
export interface ModelBacktest {
  id: string;
  family: ModelFamily;
  complexity: number;
  perOrigin: OriginResult[];
  aggregate: ForecastMetrics;
  /** Set when a fit failed at some origin; the model is then left off the leaderboard. */
  error?: string;
}

/** Training lengths at which models are refitted, oldest first. */
export function backtestOrigins(n: number, options: BacktestOptions): number[] {
  const h = options.horizon;
  const k = options.origins ?? 3;
  const step = options.step ?? h;
  const m = options.seasonPeriod ?? 1;
  const minTrain = options.minTrain ?? Math.max(10, 2 * m + h);
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const origin = n - h - i * step;
    if (origin < minTrain) break;
    out.unshift(origin);
  }
  return out;
}

const METRIC_KEYS: (keyof ForecastMetrics)[] = ['mae', 'rmse', 'smape', 'mase', 'coverage', 'pinball'];

function aggregate(perOrigin: OriginResult[]): ForecastMetrics {
  const out = { mae: NaN, rmse: NaN, smape: NaN, mase: NaN, coverage: NaN, pinball: NaN };
  if (perOrigin.length === 0) return out;
  for (const key of METRIC_KEYS) out[key] = perOrigin.reduce((s, o) => s + o.metrics[key], 0) / perOrigin.length;
  return out;
}

function scoreOrigin(
  series: Float64Array,
  origin: number,
  forecast: ForecastResult,
  options: BacktestOptions,
): OriginResult {
  const actual = series.subarray(origin, origin + options.horizon);
  const metrics = forecastMetrics(actual, forecast, series.subarray(0, origin), options.seasonPeriod ?? 1);
  return { origin, metrics, forecast };
}

function fitOptions(options: BacktestOptions, origin: number): FitOptions {
  const exogenous = sliceExogenous(options.exogenous, origin, options.horizon);
  return {
    seasonPeriod: options.seasonPeriod,
    seed: options.seed,
    signal: options.signal,
    ...(exogenous ? { exogenous } : {}),
  };
}

/** Backtest one synchronous model. */
export function backtestModel(series: Float64Array, entry: BacktestEntry, options: BacktestOptions): ModelBacktest {
  const perOrigin: OriginResult[] = [];
  let error: string | undefined;
  for (const origin of backtestOrigins(series.length, options)) {
    if (options.signal?.cancelled) break;
    try {
      const fit = entry.forecaster.fit(series.slice(0, origin), fitOptions(options, origin));
      perOrigin.push(scoreOrigin(series, origin, fit.forecast(options.horizon, options.level ?? 0.8), options));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      break;
    }
  }
  return {
    id: entry.id,
    family: entry.family,
    complexity: entry.complexity,
    perOrigin,
    aggregate: aggregate(perOrigin),
    error,
  };
}

/** Backtest one model whose fit is asynchronous (TF.js); same origins and scoring as {@link backtestModel}. */
export async function backtestModelAsync(
  series: Float64Array,
  entry: BacktestEntry<Forecaster | AsyncForecaster>,
  options: BacktestOptions,
): Promise<ModelBacktest> {
  const perOrigin: OriginResult[] = [];
  let error: string | undefined;
  for (const origin of backtestOrigins(series.length, options)) {
    if (options.signal?.cancelled) break;
    try {
      const fit = await entry.forecaster.fit(series.slice(0, origin), fitOptions(options, origin));
      perOrigin.push(scoreOrigin(series, origin, fit.forecast(options.horizon, options.level ?? 0.8), options));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      break;
    }
  }
  return {
    id: entry.id,
    family: entry.family,
    complexity: entry.complexity,
    perOrigin,
    aggregate: aggregate(perOrigin),
    error,
  };
}

/** A model fitted once on many series at a time (the global LSTM / GRU): one fitted model per series back. */
export interface MultiSeriesForecaster {
  readonly modelId: string;
  fitMany(
    series: readonly Float64Array[],
    options: Omit<FitOptions, 'exogenous'> & { exogenous?: readonly (Exogenous | undefined)[] },
  ): Promise<FittedModel[]>;
}

/**
 * Backtest a multi-series model on the same origins as {@link backtestModelAsync}: at each
 * origin one fit on every series cut at that origin (all series share one calendar), then each
 * series is scored on its own, so the leaderboard of each series gets an ordinary row.
 */
export async function backtestGlobal(
  series: readonly Float64Array[],
  entry: { id: string; family: ModelFamily; complexity: number; forecaster: MultiSeriesForecaster },
  options: BacktestOptions & { exogenousPerSeries?: readonly (Exogenous | undefined)[] },
): Promise<ModelBacktest[]> {
  const n = series[0]?.length ?? 0;
  if (series.some((s) => s.length !== n))
    throw new RangeError('every series of a global model needs the same calendar');
  const perSeries: OriginResult[][] = series.map(() => []);
  let error: string | undefined;
  for (const origin of backtestOrigins(n, options)) {
    if (options.signal?.cancelled) break;
    try {
      const fits = await entry.forecaster.fitMany(
        series.map((s) => s.slice(0, origin)),
        {
          seasonPeriod: options.seasonPeriod,
          seed: options.seed,
          signal: options.signal,
          exogenous: series.map((_, i) => sliceExogenous(options.exogenousPerSeries?.[i], origin, options.horizon)),
        },
      );
      fits.forEach((fit, i) =>
        perSeries[i]!.push(
          scoreOrigin(series[i]!, origin, fit.forecast(options.horizon, options.level ?? 0.8), options),
        ),
      );
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      break;
    }
  }
  return perSeries.map((perOrigin) => ({
    id: entry.id,
    family: entry.family,
    complexity: entry.complexity,
    perOrigin,
    aggregate: aggregate(perOrigin),
    error,
  }));
}

/** Backtest several synchronous models on the same origins. */
export function backtest(
  series: Float64Array,
  entries: readonly BacktestEntry[],
  options: BacktestOptions,
): ModelBacktest[] {
  return entries.map((e) => backtestModel(series, e, options));
}

/** Machine-readable verdict; the UI turns it into a sentence (see {@link verdictSentence}). */
export type VerdictCode =
  'insufficient_history' | 'baseline_best' | `${string}_beats_baseline` | `${string}_not_better_than_baseline`;

/** Thresholds of the recommendation rule. */
export interface RecommendationRule {
  /** A non-baseline must cut the best baseline's MASE by at least this fraction (default 0.05). */
  minImprovement: number;
  /** …and have lower MASE at no fewer than this share of origins (default 0.5). */
  minWinShare: number;
  /** Among models that clear the bar, any within this fraction of the best MASE counts as tied, and the simplest tied one wins (default 0.02). */
  tieTolerance: number;
}

/** The default rule: 5% MASE improvement, winning at least half the origins, 2% ties go to the simpler model. */
export const DEFAULT_RULE: RecommendationRule = { minImprovement: 0.05, minWinShare: 0.5, tieTolerance: 0.02 };

/** Ranked models plus the recommendation and why. */
export interface Leaderboard {
  /** Successful models by aggregate MASE, best first. */
  ranking: ModelBacktest[];
  recommended?: ModelBacktest;
  /** The best baseline the others were compared with. */
  baseline?: ModelBacktest;
  verdict: VerdictCode;
  /** Relative MASE improvement of the best non-baseline over the best baseline (negative = worse). */
  improvement: number;
  /** Share of origins where the best non-baseline beat the baseline. */
  winShare: number;
}

/**
 * Rank by aggregate MASE and recommend. Rule: the best baseline (naive, seasonal naive, moving
 * average) is the default. The best non-baseline replaces it only if its MASE is at least
 * `minImprovement` lower AND it wins at `minWinShare` of the origins; then the simplest model
 * within `tieTolerance` of that winner is recommended. Verdicts name the best non-baseline:
 * e.g. 'lstm_not_better_than_baseline' or 'arima_beats_baseline'.
 */
export function leaderboard(results: readonly ModelBacktest[], rule: RecommendationRule = DEFAULT_RULE): Leaderboard {
  const ranking = results
    .filter((r) => !r.error && r.perOrigin.length > 0 && Number.isFinite(r.aggregate.mase))
    .sort((a, b) => a.aggregate.mase - b.aggregate.mase || a.complexity - b.complexity);
  const baseline = ranking.find((r) => r.family === 'baseline');
  const challenger = ranking.find((r) => r.family !== 'baseline');
  if (ranking.length === 0) return { ranking, verdict: 'insufficient_history', improvement: NaN, winShare: NaN };
  if (!baseline || !challenger) {
    return { ranking, recommended: ranking[0], baseline, verdict: 'baseline_best', improvement: NaN, winShare: NaN };
  }
  const improvement = 1 - challenger.aggregate.mase / baseline.aggregate.mase;
  let wins = 0;
  let compared = 0;
  for (const o of challenger.perOrigin) {
    const b = baseline.perOrigin.find((x) => x.origin === o.origin);
    if (!b) continue;
    compared++;
    if (o.metrics.mase < b.metrics.mase) wins++;
  }
  const winShare = compared > 0 ? wins / compared : 0;
  if (improvement >= rule.minImprovement && winShare >= rule.minWinShare) {
    const limit = challenger.aggregate.mase * (1 + rule.tieTolerance);
    const recommended = ranking
      .filter((r) => r.family !== 'baseline' && r.aggregate.mase <= limit)
      .sort((a, b) => a.complexity - b.complexity || a.aggregate.mase - b.aggregate.mase)[0]!;
    return { ranking, recommended, baseline, verdict: `${challenger.id}_beats_baseline`, improvement, winShare };
  }
  const verdict: VerdictCode = ranking[0] === baseline ? 'baseline_best' : `${challenger.id}_not_better_than_baseline`;
  return { ranking, recommended: baseline, baseline, verdict, improvement, winShare };
}

/** English sentence for a verdict (the UI's i18n layer should translate from the code instead). */
export function verdictSentence(board: Leaderboard): string {
  const pct = (x: number) => `${(Math.abs(x) * 100).toFixed(1)}%`;
  const b = board.baseline?.id ?? 'the baseline';
  if (board.verdict === 'insufficient_history') return 'Not enough history to compare models.';
  if (board.verdict === 'baseline_best') return `The simple baseline (${b}) is the most accurate; use it.`;
  const c = board.ranking.find((r) => r.family !== 'baseline')?.id ?? 'model';
  if (board.verdict.endsWith('_beats_baseline')) {
    return `${c} beats ${b} by ${pct(board.improvement)} MASE at ${pct(board.winShare)} of test windows; recommended: ${board.recommended?.id}.`;
  }
  return `${c} is not clearly better than ${b} (${board.improvement >= 0 ? pct(board.improvement) + ' better' : pct(board.improvement) + ' worse'}, wins ${pct(board.winShare)} of windows); keep ${b}.`;
}

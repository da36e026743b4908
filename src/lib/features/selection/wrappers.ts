/**
 * Model-based selection: recursive feature elimination with logistic regression (sklearn's
 * `RFE(LogisticRegression(...), step=1)`) and permutation importance for any model given as a
 * prediction function.
 */
import {
  fitLogistic,
  fitStandardizer,
  matrixFromColumns,
  standardizeColumns,
  type LogisticModel,
  type LogisticOptions,
} from '../../ml/linear/logistic';
import { RandomState } from './random';
import type { Columns } from './univariate';

/** RFE settings; the logistic options are passed through (C, class weights, tolerance). */
export interface RfeOptions extends Omit<LogisticOptions, 'warmStart'> {
  /** Features left at the end (sklearn default: half, rounded down). */
  nFeaturesToSelect?: number;
  /** Features removed per round: an integer ≥ 1, or a fraction of all features in (0, 1) (sklearn's `step`); default 1. */
  step?: number;
  /** Standardise the columns once before eliminating (default true; sklearn users do this with StandardScaler). */
  standardize?: boolean;
}

/** RFE outcome: sklearn's `ranking_` (1 = kept) and `support_`, plus the order of elimination. */
export interface RfeResult {
  ranking: Int32Array;
  support: boolean[];
  /** Column indices in the order they were removed (first = least important). */
  eliminated: number[];
  /** The model fitted on the surviving features. */
  model: LogisticModel;
}

/**
 * RFE as a generator that yields the number of features left after each fit, so that an async
 * caller can yield to the event loop (and notice a cancel) between fits; returns the result.
 */
export function* rfeLogisticSteps(
  columns: Columns,
  y: ArrayLike<number>,
  options: RfeOptions = {},
): Generator<number, RfeResult, void> {
  const p = columns.length;
  const target = options.nFeaturesToSelect ?? Math.floor(p / 2);
  if (!Number.isInteger(target) || target < 1 || target > p)
    throw new Error(`nFeaturesToSelect must be within 1..${p}.`);
  const { nFeaturesToSelect: _n, standardize = true, step: stepOption = 1, ...logistic } = options;
  // sklearn: a fraction is of the original feature count, at least one.
  const step = stepOption > 0 && stepOption < 1 ? Math.max(1, Math.floor(stepOption * p)) : stepOption;
  if (!Number.isInteger(step) || step < 1) throw new Error('step must be an integer ≥ 1 or a fraction in (0, 1).');
  const cols = standardize ? standardizeColumns(columns, fitStandardizer(columns)) : [...columns];
  let remaining = Array.from({ length: p }, (_, j) => j);
  const ranking = new Int32Array(p).fill(1);
  const eliminated: number[] = [];
  let model = fitLogistic(matrixFromColumns(remaining.map((j) => cols[j]!)), y, logistic);
  yield remaining.length;
  while (remaining.length > target) {
    const importance = remaining.map((_, q) => model.coef.reduce((s, row) => s + row[q]! * row[q]!, 0));
    // Smallest importance first; exact ties drop the earlier column.
    const order = importance.map((_, q) => q).sort((a, b) => importance[a]! - importance[b]! || a - b);
    const drop = new Set(order.slice(0, Math.min(step, remaining.length - target)));
    for (const q of drop) eliminated.push(remaining[q]!);
    remaining = remaining.filter((_, q) => !drop.has(q));
    const kept = new Set(remaining);
    for (let j = 0; j < p; j++) if (!kept.has(j)) ranking[j]! += 1;
    const warmStart = { coef: model.coef.map((row) => row.filter((_, q) => !drop.has(q))), intercept: model.intercept };
    model = fitLogistic(matrixFromColumns(remaining.map((j) => cols[j]!)), y, { ...logistic, warmStart });
    yield remaining.length;
  }
  return { ranking, support: Array.from(ranking, (r) => r === 1), eliminated, model };
}

/** Runs a step generator to its end and returns its result. */
export function drain<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Recursive feature elimination with L2 logistic regression (sklearn's `RFE`, default step 1):
 * fit, drop the feature(s) with the smallest squared coefficient (summed over classes for
 * multinomial, as sklearn's `importance_getter='auto'`), repeat. Each fit is warm-started from
 * the previous one, which changes the number of Newton steps, not the optimum.
 */
export function rfeLogistic(columns: Columns, y: ArrayLike<number>, options: RfeOptions = {}): RfeResult {
  return drain(rfeLogisticSteps(columns, y, options));
}

/** A model as a function of feature columns (same order as given), returning one prediction per row. */
export type PredictFn = (columns: readonly Float64Array[]) => Float64Array;
/** A score of predictions against the truth; higher is better (as sklearn scorers). */
export type MetricFn = (yTrue: ArrayLike<number>, yPred: Float64Array) => number;

/** Permutation-importance settings. */
export interface PermutationOptions {
  /** Shuffles per feature (sklearn default 5). */
  nRepeats?: number;
  /** Seed of the shuffles (MT19937); the same seed gives the same result. */
  randomState?: number;
}

/** Mean and population standard deviation over repeats of baseline score − permuted score, per feature. */
export interface PermutationResult {
  baseline: number;
  mean: Float64Array;
  std: Float64Array;
  /** importances[j][r]: drop in score when feature j is shuffled in repeat r. */
  importances: Float64Array[];
}

/**
 * Permutation importance (Breiman; sklearn's `permutation_importance`): the drop in `metric` when
 * one feature's values are shuffled across rows, repeated `nRepeats` times. Each feature's row
 * order is reshuffled cumulatively from the previous repeat, as sklearn does; the shuffles come
 * from one seeded stream, so results are reproducible but not sklearn's draws.
 */
export function permutationImportance(
  columns: Columns,
  y: ArrayLike<number>,
  predict: PredictFn,
  metric: MetricFn,
  options: PermutationOptions = {},
): PermutationResult {
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1) throw new Error('nRepeats must be a positive integer.');
  const n = y.length;
  for (const c of columns) if (c.length !== n) throw new Error('Every column needs one value per target row.');
  const rng = new RandomState(options.randomState ?? 0);
  const baseline = metric(y, predict(columns));
  const importances = columns.map((column, j) => {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const shuffled = new Float64Array(n);
    const input = [...columns];
    input[j] = shuffled;
    return Float64Array.from({ length: nRepeats }, () => {
      rng.shuffle(order);
      for (let i = 0; i < n; i++) shuffled[i] = column[order[i]!]!;
      return baseline - metric(y, predict(input));
    });
  });
  const mean = Float64Array.from(importances, (r) => r.reduce((a, b) => a + b, 0) / nRepeats);
  const std = Float64Array.from(importances, (r, j) =>
    Math.sqrt(r.reduce((a, b) => a + (b - mean[j]!) * (b - mean[j]!), 0) / nRepeats),
  );
  return { baseline, mean, std, importances };
}

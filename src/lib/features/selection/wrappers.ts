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

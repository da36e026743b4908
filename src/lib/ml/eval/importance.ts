/** Permutation importance (`sklearn.inspection.permutation_importance`): the score lost when a column is shuffled. */
import { withColumn, column, type Matrix, type Vector } from '../matrix';
import { Rng } from '../random';
import { predictOf, type Metric, type Model } from './cv';

/** Mean and population std of the score drop per feature, plus every repeat's drop (nCols × nRepeats). */
export interface PermutationImportance {
  baseline: number;
  mean: Float64Array;
  std: Float64Array;
  drops: Float64Array;
}

/** Shuffles each column `nRepeats` times (seeded) and records baseline − permuted score (sign-flipped for losses). */
export function permutationImportance(
  model: Model,
  X: Matrix,
  y: Vector,
  metric: Metric,
  opts: { nRepeats?: number; seed?: number; greaterIsBetter?: boolean } = {},
): PermutationImportance {
  const reps = opts.nRepeats ?? 5;
  const sign = opts.greaterIsBetter === false ? -1 : 1;
  const rng = new Rng(opts.seed ?? 0);
  const baseline = metric(y, predictOf(model, X));
  const p = X.nCols;
  const drops = new Float64Array(p * reps);
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = column(X, j);
    for (let r = 0; r < reps; r++) {
      const shuffled = rng.shuffle(col.slice());
      const s = metric(y, predictOf(model, withColumn(X, j, shuffled)));
      drops[j * reps + r] = sign * (baseline - s);
    }
    let m = 0;
    for (let r = 0; r < reps; r++) m += drops[j * reps + r]!;
    m /= reps;
    let v = 0;
    for (let r = 0; r < reps; r++) v += (drops[j * reps + r]! - m) ** 2;
    mean[j] = m;
    std[j] = Math.sqrt(v / reps);
  }
  return { baseline, mean, std, drops };
}

/** Options of `groupPermutationImportance`. */
export interface GroupPermutationOptions {
  nRepeats?: number;
  seed?: number;
  /** false for losses (MAE, RMSE): the drop is then permuted − baseline. Default true (R², ROC-AUC). */
  greaterIsBetter?: boolean;
  /** Called before each group (check a cancel token, report progress, yield). */
  onGroup?: (group: number, nGroups: number) => void | Promise<void>;
}

/**
 * Permutation importance of column *groups* (an original feature and all its one-hot columns are
 * shuffled together, with one row permutation) for any async model and score, e.g. R² for a
 * regressor or ROC-AUC for a classifier: per group, the mean and population std of the score lost.
 */
export async function groupPermutationImportance(
  predict: (X: Matrix) => Promise<Float64Array>,
  X: Matrix,
  y: Vector,
  groups: ArrayLike<number>,
  metric: Metric,
  opts: GroupPermutationOptions = {},
): Promise<{ baseline: number; mean: Float64Array; std: Float64Array }> {
  const reps = opts.nRepeats ?? 3;
  const sign = opts.greaterIsBetter === false ? -1 : 1;
  const rng = new Rng(opts.seed ?? 0);
  const baseline = metric(y, await predict(X));
  let nGroups = 0;
  for (let j = 0; j < groups.length; j++) nGroups = Math.max(nGroups, groups[j]! + 1);
  const mean = new Float64Array(nGroups);
  const std = new Float64Array(nGroups);
  const { nRows: n, nCols: p } = X;
  for (let g = 0; g < nGroups; g++) {
    await opts.onGroup?.(g, nGroups);
    const cols: number[] = [];
    for (let j = 0; j < p; j++) if (groups[j] === g) cols.push(j);
    const drops: number[] = [];
    for (let r = 0; r < reps; r++) {
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const data = Float64Array.from(X.data);
      for (let i = 0; i < n; i++) for (const j of cols) data[i * p + j] = X.data[order[i]! * p + j]!;
      drops.push(sign * (baseline - metric(y, await predict({ data, nRows: n, nCols: p }))));
    }
    const m = drops.reduce((a, b) => a + b, 0) / reps;
    mean[g] = m;
    std[g] = Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / reps);
  }
  return { baseline, mean, std };
}

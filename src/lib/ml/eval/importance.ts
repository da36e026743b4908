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

/**
 * Model-based feature rankings for the Select tab, on the classifier chapter's random forest:
 *
 * - `permutation`: fit a forest on a stratified 75 % of the rows, then shuffle each feature on
 *   the held-out 25 % and measure how much the score drops (scikit-learn's
 *   `permutation_importance`). Measured on rows the model never saw, so a feature the forest
 *   merely memorised scores near zero — the honest version of "importance".
 * - `rfe_forest`: recursive elimination with the forest's impurity importances in place of
 *   logistic-regression weights (scikit-learn's `RFE(RandomForestClassifier())`): it catches
 *   non-linear and interaction effects that the linear RFE misses.
 *
 * Both are generators yielding progress, so the caller can yield to the event loop between
 * units of work and honour a cancel (permutation yields 0, 1, 2 of 2 steps: split, fit, score).
 */
import { matrix, takeRows, takeVector, type Matrix } from '../../ml/matrix';
import { permutationImportance } from '../../ml/eval/importance';
import { stratifiedSplit, trainTestSplit } from '../../ml/eval/split';
import { accuracy } from '../../ml/metrics/classification';
import { rocAuc } from '../../ml/metrics/ranking';
import { r2 } from '../../ml/metrics/regression';
import { RandomForestClassifier, RandomForestRegressor } from '../../ml/tree';

/** Forest size for ranking: enough trees for stable importances, few enough to stay interactive. */
export const RANKING_FOREST = { nEstimators: 60, minSamplesLeaf: 3 } as const;

/** Column-major feature columns as a row-major matrix. */
export function toMatrix(columns: readonly Float64Array[]): Matrix {
  const p = columns.length;
  const n = columns[0]?.length ?? 0;
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = columns[j]!;
    for (let i = 0; i < n; i++) data[i * p + j] = col[i]!;
  }
  return matrix(data, n, p);
}

export interface PermutationRanking {
  /** Mean score drop per feature (higher = more important). */
  mean: Float64Array;
  std: Float64Array;
  /** The held-out score of the unshuffled model. */
  baseline: number;
  metric: 'roc_auc' | 'accuracy' | 'r2';
}

/**
 * Permutation importance of each column; `classes` (integer labels) for classification or
 * `target` for regression.
 */
export function* permutationRankingSteps(
  columns: readonly Float64Array[],
  y: { classes: Int32Array; nClasses: number } | { target: Float64Array },
  options: { seed?: number; nRepeats?: number } = {},
): Generator<number, PermutationRanking, void> {
  const seed = options.seed ?? 0;
  const X = toMatrix(columns);
  const classification = 'classes' in y;
  const labels = classification ? y.classes : y.target;
  const split = classification ? stratifiedSplit(labels, 0.25, seed) : trainTestSplit(labels.length, 0.25, seed);
  const Xtrain = takeRows(X, split.train);
  const Xtest = takeRows(X, split.test);
  const ytrain = takeVector(labels, split.train);
  const ytest = takeVector(labels, split.test);
  yield 0;
  const model = classification
    ? new RandomForestClassifier({ ...RANKING_FOREST, seed }).fit(Xtrain, ytrain)
    : new RandomForestRegressor({ ...RANKING_FOREST, seed }).fit(Xtrain, ytrain);
  const binary = classification && y.nClasses === 2;
  const metric: PermutationRanking['metric'] = binary ? 'roc_auc' : classification ? 'accuracy' : 'r2';
  const scorer =
    metric === 'roc_auc'
      ? (t: ArrayLike<number>, p: Float64Array) => rocAuc(t, p)
      : metric === 'accuracy'
        ? (t: ArrayLike<number>, p: Float64Array) => accuracy(t, p)
        : (t: ArrayLike<number>, p: Float64Array) => r2(t, p);
  yield 1;
  const result = permutationImportance(model, Xtest, ytest, scorer, { nRepeats: options.nRepeats ?? 5, seed });
  yield 2;
  const { mean, std, baseline } = result;
  return { mean, std, baseline, metric };
}

export interface ForestRfeResult {
  /** 1 = kept to the end (best); larger = eliminated earlier. */
  ranking: Int32Array;
}

/**
 * Recursive feature elimination driven by forest importances: refit on the surviving
 * features, drop the `step` least important, until `nFeaturesToSelect` remain. Yields how many
 * features are left.
 */
export function* rfeForestSteps(
  columns: readonly Float64Array[],
  classes: Int32Array,
  options: { nFeaturesToSelect?: number; step?: number; seed?: number } = {},
): Generator<number, ForestRfeResult, void> {
  const p = columns.length;
  const keep = Math.max(1, options.nFeaturesToSelect ?? 1);
  const step = Math.max(1, Math.floor(options.step ?? 1));
  const ranking = new Int32Array(p).fill(1);
  let alive = Array.from({ length: p }, (_, j) => j);
  while (alive.length > keep) {
    yield alive.length;
    const forest = new RandomForestClassifier({ ...RANKING_FOREST, seed: options.seed ?? 0 }).fit(
      toMatrix(alive.map((j) => columns[j]!)),
      classes,
    );
    const order = alive
      .map((j, local) => ({ j, importance: forest.featureImportances[local]! }))
      // Ties broken by position, as scikit-learn's argsort does.
      .sort((a, b) => a.importance - b.importance || a.j - b.j);
    const drop = new Set(order.slice(0, Math.min(step, alive.length - keep)).map((o) => o.j));
    alive = alive.filter((j) => !drop.has(j));
    // As scikit-learn's RFE.ranking_: every feature out of the race loses one more place per round.
    const kept = new Set(alive);
    for (let j = 0; j < p; j++) if (!kept.has(j)) ranking[j]! += 1;
  }
  return { ranking };
}

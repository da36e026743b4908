/**
 * Classify's explanations and hyperparameter search, as the service runs them in the ML worker:
 * partial dependence of the top features on the held-out rows (through the fitted
 * preprocessing and the model), per-row contributions summed back to the original features,
 * the top-3 reason columns of a scored table, and a grid / random search scored by the
 * comparison's own stratified folds. Pure glue over `ml/explain/*` and `ml/eval/search.ts`;
 * `classify-service.ts` holds the sessions and models and calls these.
 */
import type { FrameColumn, JobToken, AnalysisProgressCallback } from '../../contracts/frame';
import type { ClassifyFamily, ClassifyParams, FeatureImportance } from '../../contracts/classify-api';
import type {
  ClassifySearchRequest,
  PartialDependenceCurve,
  RowExplanation,
  SearchCandidateRow,
  SearchFamily,
} from '../../contracts/classify-explain-api';
import { SEARCH_FAMILIES } from '../../contracts/classify-explain-api';
import type { Matrix } from '../matrix';
import { encodedGroups, transformColumns, type FittedPreprocess } from '../preprocess';
import { fitClassifier, type FittedClassifier } from '../classify/models';
import { partialDependence } from '../explain/partial-dependence';
import {
  groupContributions,
  probabilityOf,
  rawOf,
  reasonText,
  topReasons,
  type RowContributions,
} from '../explain/contributions';
import { gridPoints, randomPoints } from '../eval/search';
import { meanStd } from '../eval/cv';
import { rocAuc } from '../metrics';

/** Features that get a partial dependence curve (the top ones by permutation importance). */
export const PD_TOP = 4;
/** Held-out rows a partial dependence averages over at most (evenly spaced beyond that). */
export const PD_MAX_ROWS = 2000;

/** The held-out part an evaluated model keeps for explanations. */
export interface HeldOut {
  /** Raw feature columns, test rows only. */
  columns: FrameColumn[];
  y: Int32Array;
  scores: Float64Array;
  classes: [string, string];
}

/** Copies the rows `rows` of each column. */
export function rowsOf(columns: readonly FrameColumn[], rows: ArrayLike<number>): FrameColumn[] {
  return columns.map((c) => {
    if (c.kind === 'string') return { ...c, values: Array.from(rows, (i) => c.values[i] ?? null) };
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = c.values[rows[k]!]!;
    return { ...c, values: out };
  });
}

/** Partial dependence of the `top` most important features (positive permutation importance first). */
export async function topPartialDependence(
  heldOut: HeldOut,
  preprocess: FittedPreprocess,
  model: FittedClassifier,
  importance: readonly FeatureImportance[],
  ctx: { token: JobToken; pause: () => Promise<void>; onStep?: (done: number, total: number) => void },
  top = PD_TOP,
): Promise<PartialDependenceCurve[]> {
  const n = heldOut.y.length;
  const step = Math.max(1, Math.ceil(n / PD_MAX_ROWS));
  const rows = Int32Array.from({ length: Math.ceil(n / step) }, (_, k) => k * step);
  const columns = step === 1 ? heldOut.columns : rowsOf(heldOut.columns, rows);
  const features = importance.slice(0, top).map((i) => i.feature);
  const out: PartialDependenceCurve[] = [];
  let done = 0;
  for (const feature of features) {
    if (!columns.some((c) => c.name === feature && c.kind !== 'date')) continue;
    out.push(
      await partialDependence(columns, feature, (cols) => model.predict(transformColumns(preprocess, cols)), {
        gridResolution: 20,
        percentiles: [0.05, 0.95],
        onStep: async () => {
          ctx.token.throwIfCancelled();
          await ctx.pause();
        },
      }),
    );
    done += 1;
    ctx.onStep?.(done, features.length);
  }
  return out;
}

function unsupported(family: ClassifyFamily): never {
  throw {
    code: 'explain_unsupported',
    message: `Per-row explanations exist for logistic regression, linear SVM, decision trees, forests and boosting, not for ${family}.`,
    params: { family },
  };
}

/** Contributions per original feature for the encoded rows X (throws `explain_unsupported` for other families). */
export async function featureContributions(
  model: FittedClassifier,
  preprocess: FittedPreprocess,
  X: Matrix,
  means: ArrayLike<number> | undefined,
): Promise<RowContributions> {
  if ((model.family === 'logistic' || model.family === 'svm') && !means) {
    throw {
      code: 'explain_unsupported',
      message: 'This linear model was saved without its training means; evaluate it again to explain it.',
      params: { family: model.family },
    };
  }
  const encoded = await model.contributions(X, means ?? new Float64Array(X.nCols));
  if (!encoded) unsupported(model.family);
  return groupContributions(encoded, encodedGroups(preprocess), preprocess.columns.length);
}

/** Why held-out row `row` (default: the top-scored one) got its score. */
export async function explainHeldOutRow(
  modelId: string,
  model: FittedClassifier,
  preprocess: FittedPreprocess,
  means: ArrayLike<number> | undefined,
  heldOut: HeldOut,
  row?: number,
): Promise<RowExplanation> {
  const n = heldOut.y.length;
  let i = row ?? -1;
  if (row === undefined) {
    for (let k = 0; k < n; k++) if (i < 0 || heldOut.scores[k]! > heldOut.scores[i]!) i = k;
  }
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw {
      code: 'explain_bad_row',
      message: `Row ${row} is not in the held-out part (rows 0 to ${n - 1}).`,
      params: { row: row ?? -1, rows: n },
    };
  }
  const X = transformColumns(preprocess, heldOut.columns, [i]);
  const c = await featureContributions(model, preprocess, X, means);
  const byName = new Map(heldOut.columns.map((col) => [col.name, col]));
  const contributions = preprocess.columns
    .map((spec, j) => {
      const col = byName.get(spec.name);
      const v = col ? col.values[i] : null;
      const value = typeof v === 'number' ? (Number.isNaN(v) ? null : v) : (v ?? null);
      return { feature: spec.name, value, contribution: c.values[j]! };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const raw = rawOf(c, 0);
  return {
    modelId,
    family: model.family,
    row: i,
    nRows: n,
    actual: heldOut.classes[heldOut.y[i]!]!,
    probability: probabilityOf(raw, c.units),
    units: c.units,
    bias: c.bias,
    raw,
    contributions,
  };
}

/** The three reason columns (`reason_1`…`reason_3`) for encoded rows X: "Recency (+0.42)" or null. */
export async function reasonColumnsFor(
  model: FittedClassifier,
  preprocess: FittedPreprocess,
  X: Matrix,
  means: ArrayLike<number> | undefined,
): Promise<(string | null)[][]> {
  const c = await featureContributions(model, preprocess, X, means);
  const names = preprocess.columns.map((s) => s.name);
  const out: (string | null)[][] = [[], [], []];
  for (let i = 0; i < X.nRows; i++) {
    const reasons = topReasons(c, i, names, 3);
    for (let r = 0; r < 3; r++) out[r]!.push(reasons[r] ? reasonText(reasons[r]!, c.units) : null);
  }
  return out;
}

/** The default values searched per family (kept small: every point costs one CV run). */
export function defaultSpace(family: SearchFamily): Partial<Record<keyof ClassifyParams, number[]>> {
  switch (family) {
    case 'forest':
      return { nEstimators: [50, 100], maxDepth: [6, 12], minSamplesLeaf: [1, 5] };
    case 'boosting':
      return { learningRate: [0.05, 0.1, 0.2], maxLeafNodes: [15, 31] };
    case 'logistic':
    case 'svm':
      return { C: [0.01, 0.1, 1, 10] };
    case 'knn':
      return { k: [5, 15, 25, 50] };
    case 'tree':
      return { maxDepth: [3, 4, 6, 8, 12] };
  }
}

const SEARCHABLE: Record<SearchFamily, readonly (keyof ClassifyParams)[]> = {
  forest: ['nEstimators', 'maxDepth', 'minSamplesLeaf'],
  boosting: ['learningRate', 'maxLeafNodes', 'maxIter', 'minSamplesLeaf'],
  logistic: ['C'],
  svm: ['C'],
  knn: ['k'],
  tree: ['maxDepth', 'minSamplesLeaf'],
};

const INTEGER_PARAMS = new Set<keyof ClassifyParams>([
  'nEstimators',
  'maxDepth',
  'minSamplesLeaf',
  'maxLeafNodes',
  'maxIter',
  'k',
]);

function badSearch(message: string, params: Record<string, string | number>): never {
  throw { code: 'bad_search', message, params };
}

/** The candidate parameter sets of a request: every grid point, or `nIter` distinct random draws. */
export function searchPoints(request: ClassifySearchRequest): ClassifyParams[] {
  if (!SEARCH_FAMILIES.includes(request.family)) {
    badSearch(`A search tunes ${SEARCH_FAMILIES.join(', ')}, not ${String(request.family)}.`, {
      family: String(request.family),
    });
  }
  const space = request.space ?? defaultSpace(request.family);
  const allowed = SEARCHABLE[request.family];
  for (const [key, values] of Object.entries(space)) {
    const name = key as keyof ClassifyParams;
    if (!allowed.includes(name)) {
      badSearch(`${request.family} has no searchable parameter "${key}"; use ${allowed.join(', ')}.`, {
        family: request.family,
        param: key,
      });
    }
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((v) => typeof v === 'number' && v > 0 && (!INTEGER_PARAMS.has(name) || Number.isInteger(v)))
    ) {
      badSearch(`The values of "${key}" must be a non-empty list of positive numbers.`, {
        family: request.family,
        param: key,
      });
    }
  }
  const grid = space as Record<string, number[]>;
  let points: ClassifyParams[] = gridPoints(grid) as ClassifyParams[];
  if (request.mode === 'random') {
    const nIter = Math.max(1, Math.min(points.length, Math.floor(request.nIter ?? 6)));
    // Draw until nIter distinct points (the space is finite, so cap the attempts).
    const seen = new Set<string>();
    const drawn: ClassifyParams[] = [];
    const draws = randomPoints(grid, nIter * 20, request.seed ?? 0) as ClassifyParams[];
    for (const p of draws) {
      const key = JSON.stringify(p);
      if (seen.has(key)) continue;
      seen.add(key);
      drawn.push(p);
      if (drawn.length === nIter) break;
    }
    points = drawn;
  }
  if (points.length > 60) {
    badSearch(`The grid has ${points.length} points; keep it at 60 or fewer, or use random search.`, {
      family: request.family,
      points: points.length,
    });
  }
  return points;
}

/** One cross-validation fold, encoded with preprocessing fitted on its training rows only. */
export interface EncodedFold {
  Xtr: Matrix;
  Xte: Matrix;
  ytr: Int32Array;
  yte: Int32Array;
}

/** Scores every point by mean CV ROC-AUC on the same folds; best first (ties: the earlier point). */
export async function runSearch(
  family: SearchFamily,
  points: readonly ClassifyParams[],
  folds: readonly EncodedFold[],
  ctx: { token: JobToken; pause: () => Promise<void>; seed: number; onProgress?: AnalysisProgressCallback },
): Promise<SearchCandidateRow[]> {
  const k = folds.length;
  const total = points.length * k;
  const rows: (SearchCandidateRow & { order: number })[] = [];
  let done = 0;
  for (let c = 0; c < points.length; c++) {
    const params = points[c]!;
    const scores: number[] = [];
    const fitMs: number[] = [];
    for (const fold of folds) {
      ctx.token.throwIfCancelled();
      const detail = `${family} ${c + 1}/${points.length}`;
      ctx.onProgress?.({ phase: 'train', done, total, detail });
      const t0 = performance.now();
      const model = await fitClassifier(family, fold.Xtr, fold.ytr, params, {
        token: ctx.token,
        pause: ctx.pause,
        seed: ctx.seed,
        onFraction: (x) => ctx.onProgress?.({ phase: 'train', done: done + Math.min(1, x), total, detail }),
      });
      fitMs.push(performance.now() - t0);
      try {
        scores.push(rocAuc(fold.yte, await model.predict(fold.Xte)));
      } finally {
        model.dispose();
      }
      done += 1;
      await ctx.pause();
    }
    rows.push({ params, rocAuc: meanStd(scores), foldRocAuc: scores, fitMs: meanStd(fitMs).mean, order: c });
  }
  ctx.onProgress?.({ phase: 'train', done: total, total });
  rows.sort((a, b) => b.rocAuc.mean - a.rocAuc.mean || a.order - b.order);
  return rows.map((r) => ({ params: r.params, rocAuc: r.rocAuc, foldRocAuc: r.foldRocAuc, fitMs: r.fitMs }));
}

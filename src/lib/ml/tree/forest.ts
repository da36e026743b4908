/** Random forests (bootstrap + random feature subsets per split) with OOB scores and importances. */
import {
  checkXy,
  countClasses,
  type Classifier,
  type FitOptions,
  type Regressor,
  type SerialisedModel,
} from '../model';
import type { Matrix, Vector } from '../matrix';
import { Rng } from '../random';
import {
  accumulate,
  addContributions,
  buildTree,
  createWorkspace,
  leafOf,
  normalise,
  presort,
  treeFromJson,
  treeToJson,
  type MaxFeatures,
  type Target,
  type TreeArrays,
  type TreeJson,
  type TreeParams,
} from './cart';
import { treeDefaults, weightsOf, type Contributions, type DecisionTreeParams } from './decision-tree';
import { accuracy } from '../metrics/classification';
import { r2 } from '../metrics/regression';

/** Forest hyperparameters (scikit-learn 1.2 defaults: 100 trees, bootstrap, 'sqrt' features for classification). */
export interface ForestParams extends DecisionTreeParams {
  nEstimators: number;
  bootstrap: boolean;
  oobScore: boolean;
}

interface Fitted {
  trees: TreeArrays[];
  importances: Float64Array;
  oobPrediction: Float64Array | null;
}

/** Grows the trees; OOB predictions are averaged only over the trees that did not see a row. */
function growForest(
  X: Matrix,
  target: Target,
  params: TreeParams & { nEstimators: number; bootstrap: boolean; oobScore: boolean },
  opts: FitOptions,
): Fitted {
  const n = X.nRows;
  const pre = presort(X);
  const userW = weightsOf(n, opts.sampleWeight);
  const rng = new Rng(params.seed);
  const trees: TreeArrays[] = [];
  const importances = new Float64Array(X.nCols);
  const nOut = target.kind === 'class' ? target.nClasses : 1;
  const oobSum = params.oobScore && params.bootstrap ? new Float64Array(n * nOut) : null;
  const oobCount = oobSum ? new Float64Array(n) : null;
  const w = new Float64Array(n);
  const ws = createWorkspace(n, X.nCols);
  for (let t = 0; t < params.nEstimators; t++) {
    const treeRng = rng.fork();
    if (params.bootstrap) {
      // Bootstrap as integer sample weights (like sklearn): duplicated rows are counted, not copied.
      w.fill(0);
      for (let i = 0; i < n; i++) w[treeRng.randint(n)]!++;
      for (let i = 0; i < n; i++) w[i]! *= userW[i]!;
    } else w.set(userW);
    const { tree, importances: imp } = buildTree(pre, target, w, params, treeRng, ws);
    trees.push(tree);
    normalise(imp);
    for (let j = 0; j < imp.length; j++) importances[j]! += imp[j]!;
    if (oobSum && oobCount) {
      for (let i = 0; i < n; i++) {
        if (w[i]! > 0 || userW[i]! <= 0) continue;
        const leaf = leafOf(tree, X.data, i * X.nCols);
        for (let c = 0; c < nOut; c++) oobSum[i * nOut + c]! += tree.value[leaf * nOut + c]!;
        oobCount[i]!++;
      }
    }
    opts.onProgress?.((t + 1) / params.nEstimators);
  }
  let oobPrediction: Float64Array | null = null;
  if (oobSum && oobCount) {
    oobPrediction = new Float64Array(n * nOut);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < nOut; c++)
        oobPrediction[i * nOut + c] = oobCount[i]! > 0 ? oobSum[i * nOut + c]! / oobCount[i]! : NaN;
    }
  }
  return { trees, importances: normalise(importances), oobPrediction };
}

function forestDefaults(p: Partial<ForestParams>, classify: boolean) {
  const base = treeDefaults(
    { ...p, maxFeatures: p.maxFeatures ?? ((classify ? 'sqrt' : 'all') as MaxFeatures) },
    classify ? 'gini' : 'mse',
  );
  return { ...base, nEstimators: p.nEstimators ?? 100, bootstrap: p.bootstrap ?? true, oobScore: p.oobScore ?? false };
}

type ResolvedForestParams = ReturnType<typeof forestDefaults>;

function paramsJson(p: ResolvedForestParams): Record<string, unknown> {
  return { ...p, maxDepth: Number.isFinite(p.maxDepth) ? p.maxDepth : null };
}

function paramsFrom(j: Record<string, unknown>): ResolvedForestParams {
  return {
    ...(j as unknown as ResolvedForestParams),
    maxDepth: j.maxDepth === null ? Infinity : (j.maxDepth as number),
  };
}

/** A random forest classifier (`RandomForestClassifier`): the mean of the trees' class probabilities. */
export class RandomForestClassifier implements Classifier {
  readonly params: ResolvedForestParams;
  nClasses = 2;
  nFeatures = 0;
  trees: TreeArrays[] = [];
  /** Mean impurity-decrease importance over trees, summing to 1. */
  featureImportances: Float64Array = new Float64Array(0);
  /** OOB accuracy (when `oobScore`), like sklearn's `oob_score_`. */
  oobScore: number | null = null;
  /** OOB probabilities (P(y=1), or n × k), NaN for rows in every bootstrap. */
  oobProba: Float64Array | null = null;

  /** Creates an unfitted forest; unspecified hyperparameters take scikit-learn's defaults. */
  constructor(params: Partial<ForestParams> = {}) {
    this.params = forestDefaults(params, true);
  }

  /** Grows `nEstimators` trees on integer labels 0..k-1. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    this.nClasses = countClasses(y);
    this.nFeatures = X.nCols;
    const yi = Int32Array.from(y);
    const f = growForest(X, { kind: 'class', y: yi, nClasses: this.nClasses }, this.params, opts);
    this.trees = f.trees;
    this.featureImportances = f.importances;
    if (f.oobPrediction) {
      const k = this.nClasses;
      const rows: number[] = [];
      const pred: number[] = [];
      for (let i = 0; i < X.nRows; i++) {
        if (Number.isNaN(f.oobPrediction[i * k]!)) continue;
        let best = 0;
        for (let c = 1; c < k; c++) if (f.oobPrediction[i * k + c]! > f.oobPrediction[i * k + best]!) best = c;
        rows.push(yi[i]!);
        pred.push(best);
      }
      this.oobScore = accuracy(rows, pred);
      this.oobProba = k > 2 ? f.oobPrediction : f.oobPrediction.filter((_, j) => j % 2 === 1);
    }
    return this;
  }

  /** P(y=1) per row when binary, else nRows × k class probabilities. */
  predictProba(X: Matrix): Float64Array {
    if (this.trees.length === 0) throw new Error('RandomForestClassifier: call fit() first');
    const k = this.nClasses;
    const all = new Float64Array(X.nRows * k);
    for (const t of this.trees) accumulate(t, X, all, 1 / this.trees.length);
    if (k > 2) return all;
    const out = new Float64Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) out[i] = all[i * 2 + 1]!;
    return out;
  }

  /** Saabas contributions to P(y = `cls`), averaged over the trees. */
  contributions(X: Matrix, cls = 1): Contributions {
    const contributions = new Float64Array(X.nRows * X.nCols);
    let bias = 0;
    for (const t of this.trees) bias += addContributions(t, X, cls, contributions, 1 / this.trees.length);
    return { bias, contributions };
  }

  /** Compact JSON (no node weights); `RandomForestClassifier.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return {
      kind: 'RandomForestClassifier',
      version: 1,
      params: paramsJson(this.params),
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      importances: Array.from(this.featureImportances),
      oobScore: this.oobScore,
      trees: this.trees.map((t) => treeToJson(t, true)),
    };
  }

  /** Restores a forest serialised by `toJSON`. */
  static load(json: SerialisedModel): RandomForestClassifier {
    if (json.kind !== 'RandomForestClassifier') throw new Error(`not a RandomForestClassifier: ${json.kind}`);
    const m = new RandomForestClassifier(paramsFrom(json.params as Record<string, unknown>));
    m.nClasses = json.nClasses as number;
    m.nFeatures = json.nFeatures as number;
    m.featureImportances = Float64Array.from(json.importances as number[]);
    m.oobScore = json.oobScore as number | null;
    m.trees = (json.trees as TreeJson[]).map(treeFromJson);
    return m;
  }
}

/** A random forest regressor (`RandomForestRegressor`): the mean of the trees' predictions. */
export class RandomForestRegressor implements Regressor {
  readonly params: ResolvedForestParams;
  nFeatures = 0;
  trees: TreeArrays[] = [];
  /** Mean impurity-decrease importance over trees, summing to 1. */
  featureImportances: Float64Array = new Float64Array(0);
  /** OOB R² (when `oobScore`), like sklearn's `oob_score_`. */
  oobScore: number | null = null;
  /** OOB predictions, NaN for rows in every bootstrap. */
  oobPrediction: Float64Array | null = null;

  /** Creates an unfitted forest; unspecified hyperparameters take scikit-learn's defaults (all features per split). */
  constructor(params: Partial<ForestParams> = {}) {
    this.params = forestDefaults(params, false);
  }

  /** Grows `nEstimators` trees on real targets. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    this.nFeatures = X.nCols;
    const f = growForest(X, { kind: 'real', y: Float64Array.from(y) }, this.params, opts);
    this.trees = f.trees;
    this.featureImportances = f.importances;
    if (f.oobPrediction) {
      this.oobPrediction = f.oobPrediction;
      const yt: number[] = [];
      const yp: number[] = [];
      for (let i = 0; i < X.nRows; i++) {
        if (Number.isNaN(f.oobPrediction[i]!)) continue;
        yt.push(y[i]!);
        yp.push(f.oobPrediction[i]!);
      }
      this.oobScore = r2(yt, yp);
    }
    return this;
  }

  /** Mean of the trees' predictions. */
  predict(X: Matrix): Float64Array {
    if (this.trees.length === 0) throw new Error('RandomForestRegressor: call fit() first');
    const out = new Float64Array(X.nRows);
    for (const t of this.trees) accumulate(t, X, out, 1 / this.trees.length);
    return out;
  }

  /** Saabas contributions, averaged over the trees. */
  contributions(X: Matrix): Contributions {
    const contributions = new Float64Array(X.nRows * X.nCols);
    let bias = 0;
    for (const t of this.trees) bias += addContributions(t, X, 0, contributions, 1 / this.trees.length);
    return { bias, contributions };
  }

  /** Compact JSON; `RandomForestRegressor.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return {
      kind: 'RandomForestRegressor',
      version: 1,
      params: paramsJson(this.params),
      nFeatures: this.nFeatures,
      importances: Array.from(this.featureImportances),
      oobScore: this.oobScore,
      trees: this.trees.map((t) => treeToJson(t, true)),
    };
  }

  /** Restores a forest serialised by `toJSON`. */
  static load(json: SerialisedModel): RandomForestRegressor {
    if (json.kind !== 'RandomForestRegressor') throw new Error(`not a RandomForestRegressor: ${json.kind}`);
    const m = new RandomForestRegressor(paramsFrom(json.params as Record<string, unknown>));
    m.nFeatures = json.nFeatures as number;
    m.featureImportances = Float64Array.from(json.importances as number[]);
    m.oobScore = json.oobScore as number | null;
    m.trees = (json.trees as TreeJson[]).map(treeFromJson);
    return m;
  }
}

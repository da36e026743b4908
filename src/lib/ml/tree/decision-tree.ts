/** CART decision trees (classifier and regressor) with impurity importances and Saabas contributions. */
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
  normalise,
  presort,
  treeFromJson,
  treeToJson,
  type Criterion,
  type MaxFeatures,
  type TreeArrays,
  type TreeJson,
  type TreeParams,
} from './cart';

/** Decision-tree hyperparameters (scikit-learn defaults: unlimited depth, all features). */
export interface DecisionTreeParams {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  minImpurityDecrease: number;
  seed: number;
}

/** Fills in scikit-learn's defaults. */
export function treeDefaults(p: Partial<DecisionTreeParams>, criterion: Criterion): TreeParams {
  return {
    criterion: p.criterion ?? criterion,
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesSplit: p.minSamplesSplit ?? 2,
    minSamplesLeaf: p.minSamplesLeaf ?? 1,
    maxFeatures: p.maxFeatures ?? 'all',
    minImpurityDecrease: p.minImpurityDecrease ?? 0,
    seed: p.seed ?? 0,
  };
}

/** Per-row weights as Float64Array (all ones when absent). */
export function weightsOf(n: number, w?: Vector): Float64Array {
  const out = new Float64Array(n);
  if (w) {
    if (w.length !== n) throw new Error(`sampleWeight has ${w.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) out[i] = w[i]!;
  } else out.fill(1);
  return out;
}

/** Saabas attribution: `bias + Σ_j contributions[i·p + j]` equals the prediction for row i. */
export interface Contributions {
  bias: number;
  contributions: Float64Array;
}

function paramsToJson(p: TreeParams): Record<string, unknown> {
  // JSON has no Infinity; null stands for "no depth limit".
  return { ...p, maxDepth: Number.isFinite(p.maxDepth) ? p.maxDepth : null };
}

function paramsFromJson(j: Record<string, unknown>): TreeParams {
  return { ...(j as unknown as TreeParams), maxDepth: j.maxDepth === null ? Infinity : (j.maxDepth as number) };
}

/** A CART classification tree (`DecisionTreeClassifier`). */
export class DecisionTreeClassifier implements Classifier {
  readonly params: TreeParams;
  nClasses = 2;
  nFeatures = 0;
  tree: TreeArrays | null = null;
  /** Impurity-decrease importances, summing to 1. */
  featureImportances: Float64Array = new Float64Array(0);

  /** Creates an unfitted tree; unspecified hyperparameters take scikit-learn's defaults. */
  constructor(params: Partial<DecisionTreeParams> = {}) {
    this.params = treeDefaults(params, 'gini');
  }

  /** Grows the tree on integer labels 0..k-1. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    this.nClasses = countClasses(y);
    this.nFeatures = X.nCols;
    const res = buildTree(
      presort(X),
      { kind: 'class', y: Int32Array.from(y), nClasses: this.nClasses },
      weightsOf(X.nRows, opts.sampleWeight),
      this.params,
      new Rng(this.params.seed),
    );
    this.tree = res.tree;
    this.featureImportances = normalise(res.importances);
    return this;
  }

  /** P(y=1) per row when binary, else nRows × k class probabilities. */
  predictProba(X: Matrix): Float64Array {
    const tree = this.fitted();
    const k = this.nClasses;
    const all = new Float64Array(X.nRows * k);
    accumulate(tree, X, all);
    if (k > 2) return all;
    const out = new Float64Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) out[i] = all[i * 2 + 1]!;
    return out;
  }

  /** Saabas contributions to P(y = `cls`) (the positive class by default). */
  contributions(X: Matrix, cls = 1): Contributions {
    const contributions = new Float64Array(X.nRows * X.nCols);
    const bias = addContributions(this.fitted(), X, cls, contributions);
    return { bias, contributions };
  }

  /** Number of leaves. */
  get nLeaves(): number {
    return this.tree ? this.tree.feature.filter((f) => f < 0).length : 0;
  }

  /** JSON form; `DecisionTreeClassifier.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return {
      kind: 'DecisionTreeClassifier',
      version: 1,
      params: paramsToJson(this.params),
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      importances: Array.from(this.featureImportances),
      tree: treeToJson(this.fitted()),
    };
  }

  /** Restores a tree serialised by `toJSON`. */
  static load(json: SerialisedModel): DecisionTreeClassifier {
    if (json.kind !== 'DecisionTreeClassifier') throw new Error(`not a DecisionTreeClassifier: ${json.kind}`);
    const m = new DecisionTreeClassifier(paramsFromJson(json.params as Record<string, unknown>));
    m.nClasses = json.nClasses as number;
    m.nFeatures = json.nFeatures as number;
    m.featureImportances = Float64Array.from(json.importances as number[]);
    m.tree = treeFromJson(json.tree as TreeJson);
    return m;
  }

  private fitted(): TreeArrays {
    if (!this.tree) throw new Error('DecisionTreeClassifier: call fit() first');
    return this.tree;
  }
}

/** A CART regression tree (`DecisionTreeRegressor`, squared error). */
export class DecisionTreeRegressor implements Regressor {
  readonly params: TreeParams;
  nFeatures = 0;
  tree: TreeArrays | null = null;
  /** Impurity-decrease importances, summing to 1. */
  featureImportances: Float64Array = new Float64Array(0);

  /** Creates an unfitted tree; unspecified hyperparameters take scikit-learn's defaults. */
  constructor(params: Partial<DecisionTreeParams> = {}) {
    this.params = treeDefaults(params, 'mse');
  }

  /** Grows the tree on real targets. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    this.nFeatures = X.nCols;
    const res = buildTree(
      presort(X),
      { kind: 'real', y: Float64Array.from(y) },
      weightsOf(X.nRows, opts.sampleWeight),
      this.params,
      new Rng(this.params.seed),
    );
    this.tree = res.tree;
    this.featureImportances = normalise(res.importances);
    return this;
  }

  /** Leaf means per row. */
  predict(X: Matrix): Float64Array {
    const out = new Float64Array(X.nRows);
    accumulate(this.fitted(), X, out);
    return out;
  }

  /** Saabas contributions to the prediction. */
  contributions(X: Matrix): Contributions {
    const contributions = new Float64Array(X.nRows * X.nCols);
    const bias = addContributions(this.fitted(), X, 0, contributions);
    return { bias, contributions };
  }

  /** JSON form; `DecisionTreeRegressor.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return {
      kind: 'DecisionTreeRegressor',
      version: 1,
      params: paramsToJson(this.params),
      nFeatures: this.nFeatures,
      importances: Array.from(this.featureImportances),
      tree: treeToJson(this.fitted()),
    };
  }

  /** Restores a tree serialised by `toJSON`. */
  static load(json: SerialisedModel): DecisionTreeRegressor {
    if (json.kind !== 'DecisionTreeRegressor') throw new Error(`not a DecisionTreeRegressor: ${json.kind}`);
    const m = new DecisionTreeRegressor(paramsFromJson(json.params as Record<string, unknown>));
    m.nFeatures = json.nFeatures as number;
    m.featureImportances = Float64Array.from(json.importances as number[]);
    m.tree = treeFromJson(json.tree as TreeJson);
    return m;
  }

  private fitted(): TreeArrays {
    if (!this.tree) throw new Error('DecisionTreeRegressor: call fit() first');
    return this.tree;
  }
}

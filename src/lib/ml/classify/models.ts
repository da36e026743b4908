/**
 * One interface over every Classify model family: the TypeScript models (trees, forest,
 * boosting, naive Bayes, the prior baseline) and the TF.js ones (logistic regression, k-NN, MLP,
 * on whatever backend is active). Fitting checks the job token between trees / batches, and
 * every model serialises to JSON and loads back with identical predictions.
 */
import * as tf from '@tensorflow/tfjs';
import type { JobToken } from '../../contracts/frame';
import type { ClassifyFamily, ClassifyModelFile, ClassifyParams } from '../../contracts/classify-api';
import type { SerialisedModelInfo, TrainBackendName } from '../../contracts/train-api';
import { takeRows, type Matrix } from '../matrix';
import type { Classifier, SerialisedModel } from '../model';
import { DummyClassifier } from '../eval/baseline';
import { DecisionTreeClassifier, HistGradientBoostingClassifier, RandomForestClassifier } from '../tree';
import { GaussianNB } from '../bayes';
import { base64ToFloats, type CancelFlag, type SerialisedModel as TfSerialised } from '../tf/common';
import { LinearSvm, LogisticRegression } from '../tf/linear';
import { Knn } from '../tf/knn';
import { Mlp } from '../tf/mlp';
import { linearContributions, type RowContributions } from '../explain/contributions';
import { stratifiedKFold } from '../eval/split';
import { fitPlatt, plattProbability, type PlattSigmoid } from './platt';

/** A fitted model of any family: P(positive) per row. */
export interface FittedClassifier {
  readonly family: ClassifyFamily;
  readonly engine: TrainBackendName | 'js';
  predict(X: Matrix): Promise<Float64Array>;
  /** Impurity / gain importances per encoded column (tree families), else null. */
  importances(): Float64Array | null;
  /** Log-odds coefficients of the positive class per encoded column (logistic regression), else null. */
  coefficients(): Promise<Float64Array | null>;
  toFile(): Promise<ClassifyModelFile['model']>;
  /**
   * Per-row contributions on the encoded columns (logistic: centred on `means`, the training
   * column means; trees: Saabas), or null for families without one (naive Bayes, k-NN, MLP).
   */
  contributions(X: Matrix, means: ArrayLike<number>): Promise<RowContributions | null>;
  dispose(): void;
}

/** What a fit may use: the job's cancel token, a yield so cancel messages land, progress 0..1. */
export interface FitContext {
  token: JobToken;
  pause: () => Promise<void>;
  onFraction?: (fraction: number) => void;
  seed: number;
}

function f32(data: Float64Array | Float32Array): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

function tfMatrix(X: Matrix) {
  return { data: f32(X.data), nRows: X.nRows, nCols: X.nCols };
}

/** Balanced sample weights n / (2 · count) per row. */
function balancedWeights(y: Int32Array): Float64Array {
  const counts = [0, 0];
  for (const v of y) counts[v]! += 1;
  const w = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) w[i] = y.length / (2 * counts[y[i]!]!);
  return w;
}

class JsModel implements FittedClassifier {
  readonly engine = 'js' as const;
  constructor(
    readonly family: ClassifyFamily,
    readonly model: Classifier,
  ) {}
  async predict(X: Matrix): Promise<Float64Array> {
    return this.model.predictProba(X);
  }
  importances(): Float64Array | null {
    const m = this.model as Partial<{ featureImportances: Float64Array }>;
    return m.featureImportances ?? null;
  }
  async coefficients(): Promise<Float64Array | null> {
    return null;
  }
  async toFile(): Promise<ClassifyModelFile['model']> {
    return { engine: 'js', json: this.model.toJSON() };
  }
  async contributions(X: Matrix): Promise<RowContributions | null> {
    const m = this.model;
    // Boosting explains its raw score (log-odds); a tree or forest its P(positive) directly.
    const c =
      m instanceof HistGradientBoostingClassifier
        ? { ...m.contributions(X), units: 'log-odds' as const }
        : m instanceof DecisionTreeClassifier || m instanceof RandomForestClassifier
          ? { ...m.contributions(X, 1), units: 'probability' as const }
          : null;
    return c && { bias: c.bias, values: c.contributions, nRows: X.nRows, nCols: X.nCols, units: c.units };
  }
  dispose(): void {}
}

type TfModel = LogisticRegression | Knn | Mlp;

class TfFitted implements FittedClassifier {
  constructor(
    readonly family: ClassifyFamily,
    readonly model: TfModel,
    readonly engine: TrainBackendName | 'js',
  ) {}
  async predict(X: Matrix): Promise<Float64Array> {
    const proba = await this.model.predictProba(tfMatrix(X));
    // [nRows × 2] class probabilities: keep P(class 1).
    const out = new Float64Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) out[i] = proba[i * 2 + 1]!;
    return out;
  }
  importances(): Float64Array | null {
    return null;
  }
  async coefficients(): Promise<Float64Array | null> {
    if (!(this.model instanceof LogisticRegression)) return null;
    const s = await this.model.serialise();
    const w = base64ToFloats(s.weights.w!.data);
    const p = s.weights.w!.shape[0]!;
    const out = new Float64Array(p);
    // Softmax over two classes: the log-odds of class 1 is (w1 − w0)·x.
    for (let j = 0; j < p; j++) out[j] = w[j * 2 + 1]! - w[j * 2]!;
    return out;
  }
  async toFile(): Promise<ClassifyModelFile['model']> {
    return { engine: 'tf', json: (await this.model.serialise()) as SerialisedModelInfo };
  }
  async contributions(X: Matrix, means: ArrayLike<number>): Promise<RowContributions | null> {
    if (!(this.model instanceof LogisticRegression)) return null;
    const coef = (await this.coefficients())!;
    const b = base64ToFloats((await this.model.serialise()).weights.b!.data);
    return linearContributions(X, coef, b[1]! - b[0]!, means);
  }
  dispose(): void {
    this.model.dispose();
  }
}

/**
 * A linear SVM (one-vs-rest hinge on TF.js) with Platt-scaled probabilities. Its decision value
 * is the half difference of the two one-vs-rest margins, (f₁ − f₀)/2, which is the margin of the
 * equivalent binary SVM (the two columns are mirror images at the optimum); P(positive) is the
 * fitted sigmoid of it. Coefficients and contributions are in calibrated log-odds, −A·margin − B,
 * which is linear in x, so bias + Σ contributions is exactly the logit of the reported probability.
 */
class SvmFitted implements FittedClassifier {
  readonly family: ClassifyFamily;
  constructor(
    family: ClassifyFamily,
    readonly model: LinearSvm,
    readonly sigmoid: PlattSigmoid,
    readonly engine: TrainBackendName | 'js',
  ) {
    this.family = family;
  }
  /** Rebuilds a model saved by `toFile` (the sigmoid travels in the config). */
  static load(family: ClassifyFamily, json: TfSerialised): SvmFitted {
    const a = Number(json.config.plattA);
    const b = Number(json.config.plattB);
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      throw { code: 'bad_model', message: 'This SVM model file has no Platt calibration (plattA, plattB).' };
    }
    return new SvmFitted(family, LinearSvm.deserialise(json), { a, b }, activeBackend());
  }
  /** Decision values (f₁ − f₀)/2 per row. */
  async decision(X: Matrix): Promise<Float64Array> {
    const { w, b } = await svmMargin(this.model);
    return marginOf(X, w, b);
  }
  async predict(X: Matrix): Promise<Float64Array> {
    return plattProbability(this.sigmoid, await this.decision(X));
  }
  importances(): Float64Array | null {
    return null;
  }
  async coefficients(): Promise<Float64Array | null> {
    const { w } = await svmMargin(this.model);
    return w.map((v) => -this.sigmoid.a * v);
  }
  async toFile(): Promise<ClassifyModelFile['model']> {
    const s = await this.model.serialise();
    const json = { ...s, config: { ...s.config, plattA: this.sigmoid.a, plattB: this.sigmoid.b } };
    return { engine: 'tf', json: json as SerialisedModelInfo };
  }
  async contributions(X: Matrix, means: ArrayLike<number>): Promise<RowContributions | null> {
    const { w, b } = await svmMargin(this.model);
    const { a, b: pb } = this.sigmoid;
    return linearContributions(
      X,
      w.map((v) => -a * v),
      -a * b - pb,
      means,
    );
  }
  dispose(): void {
    this.model.dispose();
  }
}

/** The binary margin weights w and intercept b of an SVM's (f₁ − f₀)/2. */
async function svmMargin(model: LinearSvm): Promise<{ w: Float64Array; b: number }> {
  const s = await model.serialise();
  const W = base64ToFloats(s.weights.w!.data);
  const B = base64ToFloats(s.weights.b!.data);
  const p = s.weights.w!.shape[0]!;
  const w = new Float64Array(p);
  for (let j = 0; j < p; j++) w[j] = (W[j * 2 + 1]! - W[j * 2]!) / 2;
  return { w, b: (B[1]! - B[0]!) / 2 };
}

/** X·w + b per row, in float64 (the margins the sigmoid was fitted on are computed the same way). */
function marginOf(X: Matrix, w: Float64Array, b: number): Float64Array {
  const out = new Float64Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) {
    let s = b;
    for (let j = 0; j < X.nCols; j++) s += X.data[i * X.nCols + j]! * w[j]!;
    out[i] = s;
  }
  return out;
}

/** Inner folds whose held-out margins calibrate the SVM (libsvm uses 5; 3 keeps the cost at 4 fits). */
export const SVM_CALIBRATION_FOLDS = 3;

/**
 * Fits the linear SVM and its Platt sigmoid on the training rows only. Like libsvm's
 * `probability=True`, the sigmoid is fitted on out-of-fold decision values of an inner stratified
 * k-fold of these rows (each margin comes from an SVM that never saw the row: fitting on the
 * margins of the model's own training rows would be overconfident, as those sit beyond the
 * margin by construction), and the returned SVM is then trained on all of them. Inner CV rather
 * than one held-out part uses every training row for both the sigmoid and the final model; the
 * caller's test rows are never passed in, so held-out metrics stay honest.
 */
async function fitSvm(
  X: Matrix,
  y: Int32Array,
  params: ClassifyParams,
  ctx: FitContext,
  flag: CancelFlag,
  onEpoch: (log: { epoch: number; epochs: number }) => void,
): Promise<SvmFitted> {
  await tf.ready();
  const train = async (Xt: Matrix, yt: Int32Array, seed: number, report?: typeof onEpoch) => {
    const m = new LinearSvm();
    await m.fit(
      tfMatrix(Xt),
      Float32Array.from(yt),
      {
        epochs: params.epochs ?? 60,
        batchSize: 256,
        // A small step and patient early stopping: the hinge is not smooth, and at 0.05 / 5 the
        // fold-to-fold spread on Online Shoppers was 3× scikit-learn's (0.020 vs 0.007).
        learningRate: 0.01,
        patience: 10,
        validationSplit: 0.1,
        // sklearn's C weighs the summed hinge against ‖w‖²/2; ours is a mean hinge. Default C = 1.
        l2: 1 / ((params.C ?? 1) * Math.max(1, Xt.nRows)),
        seed,
        ...(params.classWeight === 'balanced' ? { classWeight: 'balanced' as const } : {}),
      },
      report,
      flag,
    );
    return m;
  };
  const margins = new Float64Array(X.nRows);
  const folds = stratifiedKFold(y, SVM_CALIBRATION_FOLDS, ctx.seed + 1);
  const steps = folds.length + 1;
  for (let k = 0; k < folds.length; k++) {
    const { train: tr, test: te } = folds[k]!;
    const inner = await train(
      takeRows(X, tr),
      Int32Array.from(tr, (i) => y[i]!),
      ctx.seed + 17 * (k + 1),
    );
    try {
      const { w, b } = await svmMargin(inner);
      const d = marginOf(takeRows(X, te), w, b);
      for (let t = 0; t < te.length; t++) margins[te[t]!] = d[t]!;
    } finally {
      inner.dispose();
    }
    ctx.onFraction?.((k + 1) / steps);
    await ctx.pause();
  }
  const sigmoid = fitPlatt(margins, y);
  const model = await train(X, y, ctx.seed, (log) =>
    onEpoch({ epoch: log.epochs * folds.length + log.epoch, epochs: log.epochs * steps }),
  );
  return new SvmFitted('svm', model, sigmoid, activeBackend());
}

/** The optional tree-shape parameters a search may set (absent: each family's default). */
function treeShape(params: ClassifyParams): { maxDepth?: number; minSamplesLeaf?: number } {
  return {
    ...(params.maxDepth === undefined ? {} : { maxDepth: params.maxDepth }),
    ...(params.minSamplesLeaf === undefined ? {} : { minSamplesLeaf: params.minSamplesLeaf }),
  };
}

/** Trees per chunk when growing a forest: the job token is checked between chunks. */
const FOREST_CHUNK = 10;

async function fitForest(X: Matrix, y: Int32Array, params: ClassifyParams, ctx: FitContext) {
  const total = params.nEstimators ?? 100;
  const sampleWeight = params.classWeight === 'balanced' ? balancedWeights(y) : undefined;
  const merged = new RandomForestClassifier({ nEstimators: total, seed: ctx.seed });
  const importances = new Float64Array(X.nCols);
  for (let done = 0, chunk = 0; done < total; chunk++) {
    ctx.token.throwIfCancelled();
    const size = Math.min(FOREST_CHUNK, total - done);
    const part = new RandomForestClassifier({ nEstimators: size, seed: ctx.seed * 7919 + chunk, ...treeShape(params) });
    part.fit(X, y, sampleWeight ? { sampleWeight } : {});
    merged.trees.push(...part.trees);
    merged.nClasses = part.nClasses;
    merged.nFeatures = part.nFeatures;
    for (let j = 0; j < importances.length; j++) importances[j]! += part.featureImportances[j]! * size;
    done += size;
    ctx.onFraction?.(done / total);
    await ctx.pause();
  }
  let sum = 0;
  for (const v of importances) sum += v;
  merged.featureImportances = importances.map((v) => (sum > 0 ? v / sum : 0));
  return merged;
}

/** Where a TF.js-family model computes: the MLP's typed-array engine reports 'js', the rest the backend. */
function engineOf(model: TfModel): TrainBackendName | 'js' {
  return model instanceof Mlp && model.engine === 'js' ? 'js' : activeBackend();
}

/** The TF.js backend in use (cpu in Node tests). */
export function activeBackend(): TrainBackendName {
  return (tf.getBackend() || 'cpu') as TrainBackendName;
}

/** Fits `family` on X (encoded) and integer labels y (0/1). */
export async function fitClassifier(
  family: ClassifyFamily,
  X: Matrix,
  y: Int32Array,
  params: ClassifyParams,
  ctx: FitContext,
): Promise<FittedClassifier> {
  ctx.token.throwIfCancelled();
  const balanced = params.classWeight === 'balanced';
  const sampleWeight = balanced ? balancedWeights(y) : undefined;
  const opts = sampleWeight ? { sampleWeight } : {};
  const flag: CancelFlag = {
    get aborted() {
      return ctx.token.cancelled;
    },
  };
  const onEpoch = (log: { epoch: number; epochs: number }) => ctx.onFraction?.(log.epoch / log.epochs);
  try {
    switch (family) {
      case 'baseline':
        return new JsModel(family, new DummyClassifier().fit(X, y, opts));
      case 'tree':
        return new JsModel(
          family,
          new DecisionTreeClassifier({ ...treeShape(params), maxDepth: params.maxDepth ?? 6, seed: ctx.seed }).fit(
            X,
            y,
            opts,
          ),
        );
      case 'forest':
        return new JsModel(family, await fitForest(X, y, params, ctx));
      case 'boosting':
        return new JsModel(
          family,
          new HistGradientBoostingClassifier({
            maxIter: params.maxIter ?? 100,
            seed: ctx.seed,
            ...(params.learningRate === undefined ? {} : { learningRate: params.learningRate }),
            ...(params.maxLeafNodes === undefined ? {} : { maxLeafNodes: params.maxLeafNodes }),
          }).fit(X, y, {
            ...opts,
            onProgress: ctx.onFraction,
          }),
        );
      case 'naive_bayes':
        return new JsModel(family, new GaussianNB().fit(X, y, opts));
      case 'logistic': {
        await tf.ready();
        const m = new LogisticRegression();
        await m.fit(
          tfMatrix(X),
          Float32Array.from(y),
          {
            epochs: params.epochs ?? 60,
            batchSize: 256,
            learningRate: 0.05,
            patience: 5,
            validationSplit: 0.1,
            // sklearn's C penalises ‖w‖²/(2C) against the summed loss; ours is a mean loss.
            l2: params.C === undefined ? 1e-4 : 1 / (params.C * Math.max(1, X.nRows)),
            seed: ctx.seed,
            ...(balanced ? { classWeight: 'balanced' as const } : {}),
          },
          onEpoch,
          flag,
        );
        return new TfFitted(family, m, activeBackend());
      }
      case 'mlp': {
        await tf.ready();
        const m = new Mlp();
        await m.fit(
          tfMatrix(X),
          Float32Array.from(y),
          {
            hidden: params.hidden ?? [64],
            epochs: params.epochs ?? 60,
            batchSize: 128,
            learningRate: 0.001,
            patience: 6,
            validationSplit: 0.1,
            l2: 1e-4,
            seed: ctx.seed,
            ...(balanced ? { classWeight: 'balanced' as const } : {}),
          },
          onEpoch,
          flag,
        );
        return new TfFitted(family, m, engineOf(m));
      }
      case 'svm':
        return await fitSvm(X, y, params, ctx, flag, onEpoch);
      case 'knn': {
        await tf.ready();
        const m = new Knn();
        await m.fit(tfMatrix(X), Float32Array.from(y), { k: params.k ?? 25 }, undefined, flag);
        return new TfFitted(family, m, activeBackend());
      }
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'cancelled') throw { code: 'cancelled', message: 'Cancelled.' };
    throw error;
  }
}

/** Loads a model saved with `toFile`. */
export async function loadClassifier(
  family: ClassifyFamily,
  model: ClassifyModelFile['model'],
): Promise<FittedClassifier> {
  if (model.engine === 'tf') {
    await tf.ready();
    const json = model.json as unknown as TfSerialised;
    if (json.kind === 'svm') return SvmFitted.load(family, json);
    const loaded =
      json.kind === 'logistic'
        ? LogisticRegression.deserialise(json)
        : json.kind === 'mlp'
          ? Mlp.deserialise(json)
          : json.kind === 'knn'
            ? Knn.deserialise(json)
            : null;
    if (!loaded) throw { code: 'bad_model', message: `Unknown TF.js model kind ${json.kind}.` };
    return new TfFitted(family, loaded, engineOf(loaded));
  }
  const json = model.json as SerialisedModel;
  const loaders: Record<string, (j: SerialisedModel) => Classifier> = {
    DummyClassifier: (j) => DummyClassifier.load(j),
    DecisionTreeClassifier: (j) => DecisionTreeClassifier.load(j),
    RandomForestClassifier: (j) => RandomForestClassifier.load(j),
    HistGradientBoostingClassifier: (j) => HistGradientBoostingClassifier.load(j),
    GaussianNB: (j) => GaussianNB.load(j),
  };
  const load = loaders[json.kind];
  if (!load) throw { code: 'bad_model', message: `Unknown model kind ${json.kind}.` };
  return new JsModel(family, load(json));
}

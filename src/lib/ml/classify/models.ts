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
import type { Matrix } from '../matrix';
import type { Classifier, SerialisedModel } from '../model';
import { DummyClassifier } from '../eval/baseline';
import { DecisionTreeClassifier, HistGradientBoostingClassifier, RandomForestClassifier } from '../tree';
import { GaussianNB } from '../bayes';
import { base64ToFloats, type CancelFlag, type SerialisedModel as TfSerialised } from '../tf/common';
import { LogisticRegression } from '../tf/linear';
import { Knn } from '../tf/knn';
import { Mlp } from '../tf/mlp';
import { linearContributions, type RowContributions } from '../explain/contributions';

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

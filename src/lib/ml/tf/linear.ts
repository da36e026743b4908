/**
 * Linear classifiers on TF.js: multinomial logistic regression (softmax cross-entropy) and a
 * one-vs-rest linear SVM (hinge loss), both with L2 and per-class weights. Features are
 * expected already scaled (the pipeline standardises them); labels are integers 0..K-1.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type CancelFlag,
  type FitOptions,
  type LoopResult,
  type Matrix,
  type OnEpoch,
  type SerialisedModel,
  checkShapes,
  classWeightsFor,
  countClasses,
  deserialiseTensor,
  loopOptions,
  makeVariable,
  runTrainingLoop,
  serialiseTensor,
} from './common';

/** Options of both linear classifiers. */
export interface LinearOptions extends FitOptions {
  /** L2 penalty on the weights (not the bias). */
  l2?: number;
  /** Per-class loss weights, or 'balanced' for n / (K · count). */
  classWeight?: 'balanced' | number[];
}

type LinearKind = 'logistic' | 'svm';

/** Shared implementation; the two public classes only pick the loss. */
abstract class LinearClassifier {
  protected abstract readonly kind: LinearKind;
  #w: tf.Variable | null = null;
  #b: tf.Variable | null = null;
  #nClasses = 0;
  #nFeatures = 0;
  #l2 = 0;

  /** Trains on `X` (row-major) and integer labels `y`. */
  async fit(
    X: Matrix,
    y: Float32Array,
    options: LinearOptions = {},
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    checkShapes(X, y);
    this.dispose();
    const nClasses = countClasses(y);
    const weights = classWeightsFor(y, nClasses, options.classWeight);
    const l2 = options.l2 ?? 1e-4;
    const opts = loopOptions(options, true, { learningRate: 0.05, epochs: 100, patience: 10 });
    this.#nClasses = nClasses;
    this.#nFeatures = X.nCols;
    this.#l2 = l2;
    const w = makeVariable(() => tf.zeros([X.nCols, nClasses]));
    const b = makeVariable(() => tf.zeros([nClasses]));
    this.#w = w;
    this.#b = b;
    const optimizer = tf.train.adam(opts.learningRate);
    const xs = tf.tensor2d(X.data, [X.nRows, X.nCols]);
    const ys = tf.tensor1d(y, 'float32');
    const classW = tf.tensor1d(weights);
    try {
      return await runTrainingLoop(
        xs,
        ys,
        {
          variables: [w, b],
          optimizer,
          loss: (xb, yb) => this.#loss(xb, yb, classW),
          metric: (xb, yb) =>
            tf.mean(tf.cast(tf.equal(tf.argMax(this.#logits(xb), 1), tf.cast(yb, 'int32')), 'float32')),
        },
        opts,
        onEpoch,
        signal,
      );
    } catch (error) {
      this.dispose();
      throw error;
    } finally {
      // model variables survive; the optimizer's slots and the data do not.
      optimizer.dispose();
      tf.dispose([xs, ys, classW]);
    }
  }

  #logits(x: tf.Tensor): tf.Tensor2D {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.#w!), this.#b!);
  }

  #loss(x: tf.Tensor, y: tf.Tensor, classW: tf.Tensor1D): tf.Scalar {
    const labels = tf.cast(y, 'int32') as tf.Tensor1D;
    const rowW = tf.gather(classW, labels);
    const logits = this.#logits(x);
    const onehot = tf.oneHot(labels, this.#nClasses);
    let perRow: tf.Tensor;
    if (this.kind === 'logistic') {
      perRow = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1));
    } else {
      // One-vs-rest hinge: the true class's margin ≥ +1, every other ≤ −1.
      const target = tf.sub(tf.mul(onehot, 2), 1);
      perRow = tf.sum(tf.relu(tf.sub(1, tf.mul(target, logits))), 1);
    }
    const data = tf.div(tf.sum(tf.mul(perRow, rowW)), tf.sum(rowW));
    return tf.add(data, tf.mul(0.5 * this.#l2, tf.sum(tf.square(this.#w!)))) as tf.Scalar;
  }

  /** Class probabilities [nRows × K] (for the SVM, a softmax of its margins, not calibrated). */
  async predictProba(X: Matrix): Promise<Float32Array> {
    if (!this.#w) throw new Error('The model is not trained.');
    const out = tf.tidy(() => tf.softmax(this.#logits(tf.tensor2d(X.data, [X.nRows, X.nCols]))));
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** Number of classes learnt. */
  get nClasses(): number {
    return this.#nClasses;
  }

  /** Frees the weights. */
  dispose(): void {
    tf.dispose([this.#w, this.#b].filter((v): v is tf.Variable => v !== null));
    this.#w = null;
    this.#b = null;
  }

  /** JSON with base64 weights. */
  async serialise(): Promise<SerialisedModel> {
    if (!this.#w || !this.#b) throw new Error('The model is not trained.');
    return {
      kind: this.kind,
      version: 1,
      config: { nClasses: this.#nClasses, nFeatures: this.#nFeatures, l2: this.#l2 },
      weights: { w: await serialiseTensor(this.#w), b: await serialiseTensor(this.#b) },
    };
  }

  protected load(model: SerialisedModel): this {
    if (model.kind !== this.kind) throw new Error(`Expected a ${this.kind} model, got ${model.kind}.`);
    this.dispose();
    this.#nClasses = Number(model.config.nClasses);
    this.#nFeatures = Number(model.config.nFeatures);
    this.#l2 = Number(model.config.l2);
    this.#w = makeVariable(() => deserialiseTensor(model.weights.w!));
    this.#b = makeVariable(() => deserialiseTensor(model.weights.b!));
    return this;
  }
}

/** Multinomial logistic regression with L2 and class weights. */
export class LogisticRegression extends LinearClassifier {
  protected readonly kind = 'logistic' as const;

  /** Rebuilds a model from `serialise()`. */
  static deserialise(model: SerialisedModel): LogisticRegression {
    return new LogisticRegression().load(model);
  }
}

/** One-vs-rest linear SVM (hinge loss) with L2 and class weights. */
export class LinearSvm extends LinearClassifier {
  protected readonly kind = 'svm' as const;

  /** Rebuilds a model from `serialise()`. */
  static deserialise(model: SerialisedModel): LinearSvm {
    return new LinearSvm().load(model);
  }
}

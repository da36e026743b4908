/**
 * A multilayer perceptron on TF.js with ReLU hidden layers, dropout, and early stopping on
 * a validation split. Written on raw variables rather than tf.layers so the training loop
 * owns every tensor (and the optimizer) and can free all of them on cancel.
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
  readAndDispose,
  runTrainingLoop,
  serialiseTensor,
} from './common';

/** Options of the MLP. */
export interface MlpOptions extends FitOptions {
  /** Units per hidden layer (default [64]). */
  hidden?: number[];
  /** Dropout rate after each hidden layer while training (default 0). */
  dropout?: number;
  /** 'classification' (softmax over labels 0..K-1) or 'regression' (one output, MSE). */
  task?: 'classification' | 'regression';
  l2?: number;
  classWeight?: 'balanced' | number[];
}

type MlpConfig = { task: 'classification' | 'regression'; sizes: number[]; dropout: number; l2: number };

/** A feed-forward network for classification or regression. */
export class Mlp {
  #weights: tf.Variable[] = [];
  #config: MlpConfig | null = null;

  /** Trains on `X` (row-major) and `y` (labels or targets). */
  async fit(
    X: Matrix,
    y: Float32Array,
    options: MlpOptions = {},
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    checkShapes(X, y);
    this.dispose();
    const task = options.task ?? 'classification';
    const nClasses = task === 'classification' ? countClasses(y) : 1;
    const sizes = [X.nCols, ...(options.hidden ?? [64]), nClasses];
    const opts = loopOptions(options, true, { learningRate: 0.001, epochs: 50 });
    const dropout = options.dropout ?? 0;
    const l2 = options.l2 ?? 0;
    this.#config = { task, sizes, dropout, l2 };
    for (let i = 0; i + 1 < sizes.length; i++) {
      const fanIn = sizes[i]!;
      // He initialisation suits ReLU; seeded so runs are reproducible.
      this.#weights.push(
        makeVariable(() => tf.randomNormal([fanIn, sizes[i + 1]!], 0, Math.sqrt(2 / fanIn), 'float32', opts.seed + i)),
        makeVariable(() => tf.zeros([sizes[i + 1]!])),
      );
    }
    const rowWeights = task === 'classification' ? classWeightsFor(y, nClasses, options.classWeight) : null;
    const optimizer = tf.train.adam(opts.learningRate);
    const xs = tf.tensor2d(X.data, [X.nRows, X.nCols]);
    const ys = tf.tensor1d(y, 'float32');
    const classW = rowWeights ? tf.tensor1d(rowWeights) : null;
    try {
      return await runTrainingLoop(
        xs,
        ys,
        {
          variables: this.#weights,
          optimizer,
          loss: (xb, yb, training) => this.#loss(xb, yb, training, classW),
          metric: (xb, yb) =>
            task === 'classification'
              ? tf.mean(tf.cast(tf.equal(tf.argMax(this.#forward(xb, false), 1), tf.cast(yb, 'int32')), 'float32'))
              : tf.sqrt(tf.mean(tf.square(tf.sub(tf.squeeze(this.#forward(xb, false), [1]), yb)))),
        },
        opts,
        onEpoch,
        signal,
      );
    } catch (error) {
      this.dispose();
      throw error;
    } finally {
      optimizer.dispose();
      tf.dispose([xs, ys, ...(classW ? [classW] : [])]);
    }
  }

  #forward(x: tf.Tensor, training: boolean): tf.Tensor2D {
    const { dropout } = this.#config!;
    let h = x as tf.Tensor2D;
    const layers = this.#weights.length / 2;
    for (let i = 0; i < layers; i++) {
      h = tf.add(tf.matMul(h, this.#weights[2 * i]!), this.#weights[2 * i + 1]!);
      if (i + 1 < layers) {
        h = tf.relu(h);
        if (training && dropout > 0) h = tf.dropout(h, dropout) as tf.Tensor2D;
      }
    }
    return h;
  }

  #loss(x: tf.Tensor, y: tf.Tensor, training: boolean, classW: tf.Tensor1D | null): tf.Scalar {
    const { task, l2 } = this.#config!;
    const out = this.#forward(x, training);
    let data: tf.Scalar;
    if (task === 'regression') {
      data = tf.mean(tf.square(tf.sub(tf.squeeze(out, [1]), y)));
    } else {
      const labels = tf.cast(y, 'int32') as tf.Tensor1D;
      const perRow = tf.neg(tf.sum(tf.mul(tf.oneHot(labels, out.shape[1]), tf.logSoftmax(out)), 1));
      const rowW = tf.gather(classW!, labels);
      data = tf.div(tf.sum(tf.mul(perRow, rowW)), tf.sum(rowW));
    }
    if (l2 > 0) {
      const penalty = tf.addN(this.#weights.filter((_, i) => i % 2 === 0).map((w) => tf.sum(tf.square(w))));
      data = tf.add(data, tf.mul(0.5 * l2, penalty));
    }
    return data;
  }

  /** Class probabilities [nRows × K], or predictions [nRows] for regression. */
  async predictProba(X: Matrix): Promise<Float32Array> {
    if (!this.#config) throw new Error('The model is not trained.');
    const task = this.#config.task;
    return readAndDispose(
      tf.tidy(() => {
        const out = this.#forward(tf.tensor2d(X.data, [X.nRows, X.nCols]), false);
        return task === 'classification' ? tf.softmax(out) : tf.squeeze(out, [1]);
      }),
    );
  }

  /** Frees the weights. */
  dispose(): void {
    tf.dispose(this.#weights);
    this.#weights = [];
  }

  /** JSON with base64 weights. */
  async serialise(): Promise<SerialisedModel> {
    if (!this.#config) throw new Error('The model is not trained.');
    const weights: SerialisedModel['weights'] = {};
    for (let i = 0; i < this.#weights.length; i++) weights[`p${i}`] = await serialiseTensor(this.#weights[i]!);
    return { kind: 'mlp', version: 1, config: { ...this.#config }, weights };
  }

  /** Rebuilds a model from `serialise()`. */
  static deserialise(model: SerialisedModel): Mlp {
    if (model.kind !== 'mlp') throw new Error(`Expected an mlp model, got ${model.kind}.`);
    const mlp = new Mlp();
    mlp.#config = model.config as unknown as MlpConfig;
    const count = Object.keys(model.weights).length;
    for (let i = 0; i < count; i++) mlp.#weights.push(makeVariable(() => deserialiseTensor(model.weights[`p${i}`]!)));
    return mlp;
  }
}

/**
 * k-nearest-neighbour classification with the distance matrix computed on the TF.js backend,
 * a batch of query rows at a time so memory stays at batch × nTrain floats.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type CancelFlag,
  type Matrix,
  type OnEpoch,
  type SerialisedModel,
  checkShapes,
  countClasses,
  deserialiseTensor,
  serialiseTensor,
  throwIfCancelled,
} from './common';

/** Options of k-NN. */
export interface KnnOptions {
  k?: number;
  /** Weight votes by 1 / distance instead of equally. */
  distanceWeighted?: boolean;
  /** Query rows per distance batch (default 512). */
  batchSize?: number;
}

/** k-NN classifier (Euclidean). */
export class Knn {
  #x: tf.Tensor2D | null = null;
  #xNorms: tf.Tensor1D | null = null;
  #y: tf.Tensor1D | null = null;
  #nClasses = 0;
  #options: Required<KnnOptions> = { k: 5, distanceWeighted: false, batchSize: 512 };

  /** Stores the training rows on the backend (k-NN has no epochs; `onEpoch` fires once). */
  async fit(
    X: Matrix,
    y: Float32Array,
    options: KnnOptions = {},
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<void> {
    checkShapes(X, y);
    throwIfCancelled(signal);
    this.dispose();
    this.#options = {
      k: options.k ?? 5,
      distanceWeighted: options.distanceWeighted ?? false,
      batchSize: options.batchSize ?? 512,
    };
    this.#nClasses = countClasses(y);
    this.#x = tf.tensor2d(X.data, [X.nRows, X.nCols]);
    this.#xNorms = tf.tidy(() => tf.sum(tf.square(this.#x!), 1));
    this.#y = tf.tensor1d(y, 'int32');
    await onEpoch?.({ epoch: 1, epochs: 1, loss: 0, valLoss: null, metric: null, etaMs: 0 });
  }

  /** Vote shares [nRows × K] among the k nearest training rows. */
  async predictProba(X: Matrix, signal?: CancelFlag): Promise<Float32Array> {
    if (!this.#x || !this.#y || !this.#xNorms) throw new Error('The model is not trained.');
    const { k: kWanted, distanceWeighted, batchSize } = this.#options;
    const k = Math.min(kWanted, this.#x.shape[0]);
    const K = this.#nClasses;
    const out = new Float32Array(X.nRows * K);
    for (let start = 0; start < X.nRows; start += batchSize) {
      throwIfCancelled(signal);
      const end = Math.min(X.nRows, start + batchSize);
      const proba = tf.tidy(() => {
        const q = tf.tensor2d(X.data.subarray(start * X.nCols, end * X.nCols), [end - start, X.nCols]);
        // ‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖²: one matmul instead of a [b, n, d] difference tensor.
        const d2 = tf.relu(
          tf.add(tf.sub(tf.sum(tf.square(q), 1, true), tf.mul(2, tf.matMul(q, this.#x!, false, true))), this.#xNorms!),
        );
        const { values, indices } = tf.topk(tf.neg(d2), k);
        const labels = tf.gather(this.#y!, indices);
        const votes = distanceWeighted ? tf.div(1, tf.add(tf.sqrt(tf.neg(values)), 1e-9)) : tf.onesLike(values);
        const perClass = tf.sum(tf.mul(tf.oneHot(labels, K), tf.expandDims(votes, 2)), 1);
        return tf.div(perClass, tf.sum(perClass, 1, true));
      });
      const values = (await proba.data()) as Float32Array;
      proba.dispose();
      out.set(values, start * K);
    }
    return out;
  }

  /** Frees the stored rows. */
  dispose(): void {
    tf.dispose([this.#x, this.#xNorms, this.#y].filter((t) => t !== null) as tf.Tensor[]);
    this.#x = null;
    this.#xNorms = null;
    this.#y = null;
  }

  /** JSON with the training rows as base64 (k-NN's "weights" are its data). */
  async serialise(): Promise<SerialisedModel> {
    if (!this.#x || !this.#y) throw new Error('The model is not trained.');
    return {
      kind: 'knn',
      version: 1,
      config: { ...this.#options, nClasses: this.#nClasses },
      weights: { x: await serialiseTensor(this.#x), y: await serialiseTensor(this.#y) },
    };
  }

  /** Rebuilds a model from `serialise()`. */
  static deserialise(model: SerialisedModel): Knn {
    if (model.kind !== 'knn') throw new Error(`Expected a knn model, got ${model.kind}.`);
    const knn = new Knn();
    const c = model.config as Required<KnnOptions> & { nClasses: number };
    knn.#options = { k: c.k, distanceWeighted: c.distanceWeighted, batchSize: c.batchSize };
    knn.#nClasses = c.nClasses;
    knn.#x = deserialiseTensor(model.weights.x!) as tf.Tensor2D;
    knn.#xNorms = tf.tidy(() => tf.sum(tf.square(knn.#x!), 1));
    knn.#y = tf.tidy(() => tf.cast(deserialiseTensor(model.weights.y!), 'int32')) as tf.Tensor1D;
    return knn;
  }
}

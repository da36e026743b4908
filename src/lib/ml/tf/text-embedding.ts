/**
 * A small review-sentiment network on TF.js: token embeddings (dim 32, learnt from scratch, no
 * downloaded weights) → global average + max pooling over the review's tokens → dense (ReLU)
 * → sigmoid P(positive). Trained with class-weighted log loss, Adam, and early stopping on a
 * validation split (the shared loop in ./common.ts, which checks cancel per batch and restores
 * the best weights). Raw variables, so every tensor is owned and freed.
 *
 * The embedding lookup has its own gradient (a scatter-add with `scatterND`): TF.js's gather
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks, and wasm is the backend
 * ShopSight runs on when there is no real GPU.
 */
import * as tf from '@tensorflow/tfjs';
import {
  PAD_ID,
  type Vocabulary,
  type VocabularyOptions,
  buildVocabulary,
  encodeSequences,
  sequenceLength,
} from '../text/vocabulary';
import {
  type CancelFlag,
  type FitOptions,
  type LoopResult,
  type OnEpoch,
  loopOptions,
  makeVariable,
  runTrainingLoop,
} from './common';

/** Options of the embedding model. */
export interface EmbeddingSentimentOptions extends FitOptions {
  /** Embedding size (default 32). */
  dim?: number;
  /** Units of the hidden dense layer (default 16). */
  hidden?: number;
  /** 'mean' or 'mean_max' (default): average and max of the token vectors, concatenated. */
  pooling?: 'mean' | 'mean_max';
  /** Dropout on the pooled vector while training (default 0.2). */
  dropout?: number;
  /** Share of a review's tokens hidden at random in each training step (default 0.25): the network cannot lean on one word. */
  tokenDropout?: number;
  /** 'balanced' (default) weights each class by n / (2 · count); null for none. */
  classWeight?: 'balanced' | null;
}

interface Config {
  vocabSize: number;
  length: number;
  dim: number;
  hidden: number;
  pooling: 'mean' | 'mean_max';
  dropout: number;
  tokenDropout: number;
}

/** Embedding rows for `ids` ([…] int32 → […, dim]), with a scatter-add gradient that runs on every backend. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape;
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, i, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const flat = tf.reshape(i, [-1]);
    save([flat]);
    return {
      value: tf.reshape(tf.gather(t, flat), [...i.shape, dim]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = Array.isArray(dy) ? dy[0]! : dy;
        // Repeated ids add up (scatterND sums duplicates), as the gather gradient would.
        const grad = tf.scatterND(tf.reshape(saved[0]!, [-1, 1]), tf.reshape(g, [-1, dim]), [vocab, dim]);
        return [grad, tf.zerosLike(i)];
      },
    };
  });
  return lookup(table, ids);
}

/** Sentiment from padded token-id sequences (see ml/text/vocabulary.ts). */
export class EmbeddingSentiment {
  #vars: tf.Variable[] = [];
  /** Seeds the dropout masks, one per training step, so a seeded fit is reproducible. */
  #noiseSeed = 0;
  #config: Config | null = null;

  /** Trains on `ids` (row-major nRows × length, int32) and `y` (1 positive, 0 negative). */
  async fit(
    ids: Int32Array,
    length: number,
    y: Float32Array,
    vocabSize: number,
    options: EmbeddingSentimentOptions = {},
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    const n = y.length;
    if (ids.length !== n * length) throw new Error(`ids has ${ids.length} values, expected ${n} × ${length}.`);
    if (n < 2) throw new Error('Need at least two reviews to train.');
    this.dispose();
    const opts = loopOptions(options, true, {
      epochs: 30,
      batchSize: 64,
      learningRate: 0.002,
      validationSplit: 0.1,
      patience: 3,
    });
    const config: Config = {
      vocabSize,
      length,
      dim: options.dim ?? 32,
      hidden: options.hidden ?? 16,
      pooling: options.pooling ?? 'mean_max',
      dropout: options.dropout ?? 0.2,
      tokenDropout: options.tokenDropout ?? 0.25,
    };
    this.#config = config;
    this.#noiseSeed = opts.seed * 100_003;
    const pooled = config.pooling === 'mean_max' ? 2 * config.dim : config.dim;
    this.#vars = [
      makeVariable(() => tf.randomNormal([vocabSize, config.dim], 0, 0.1, 'float32', opts.seed)),
      makeVariable(() => tf.randomNormal([pooled, config.hidden], 0, Math.sqrt(2 / pooled), 'float32', opts.seed + 1)),
      makeVariable(() => tf.zeros([config.hidden])),
      makeVariable(() =>
        tf.randomNormal([config.hidden, 1], 0, Math.sqrt(1 / config.hidden), 'float32', opts.seed + 2),
      ),
      makeVariable(() => tf.zeros([1])),
    ];
    let positives = 0;
    for (const v of y) positives += v;
    const weights =
      options.classWeight === null || positives === 0 || positives === n
        ? [1, 1]
        : [n / (2 * (n - positives)), n / (2 * positives)];
    const optimizer = tf.train.adam(opts.learningRate);
    const xs = tf.tensor2d(ids, [n, length], 'int32');
    const ys = tf.tensor1d(y, 'float32');
    try {
      return await runTrainingLoop(
        xs,
        ys,
        {
          variables: this.#vars,
          optimizer,
          loss: (xb, yb, training) => this.#loss(xb, yb, training, weights),
          metric: (xb, yb) =>
            tf.mean(tf.cast(tf.equal(tf.cast(tf.greater(this.#logits(xb, false), 0), 'float32'), yb), 'float32')),
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
      tf.dispose([xs, ys]);
    }
  }

  #logits(ids: tf.Tensor, training: boolean): tf.Tensor1D {
    const { pooling, dropout, tokenDropout } = this.#config!;
    const [table, w1, b1, w2, b2] = this.#vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    const emb = embeddingLookup(table as unknown as tf.Tensor2D, ids); // [b, L, dim]
    let present = tf.cast(tf.notEqual(ids, PAD_ID), 'float32');
    if (training && tokenDropout > 0)
      present = tf.mul(
        present,
        tf.cast(tf.greater(tf.randomUniform(ids.shape, 0, 1, 'float32', ++this.#noiseSeed), tokenDropout), 'float32'),
      );
    const mask = tf.expandDims(present, 2); // [b, L, 1]
    const count = tf.sum(mask, 1); // [b, 1]
    let pooled: tf.Tensor = tf.div(tf.sum(tf.mul(emb, mask), 1), tf.maximum(count, 1));
    if (pooling === 'mean_max') {
      // Padding gets −10⁴ so it never wins the max; an empty review pools to 0.
      const max = tf.max(tf.add(emb, tf.mul(tf.sub(mask, 1), 1e4)), 1);
      pooled = tf.concat([pooled, tf.mul(max, tf.minimum(count, 1))], 1);
    }
    if (training && dropout > 0) pooled = tf.dropout(pooled, dropout, undefined, ++this.#noiseSeed);
    const h = tf.relu(tf.add(tf.matMul(pooled as tf.Tensor2D, w1 as tf.Tensor2D), b1));
    return tf.squeeze(tf.add(tf.matMul(h, w2 as tf.Tensor2D), b2), [1]) as tf.Tensor1D;
  }

  #loss(ids: tf.Tensor, y: tf.Tensor, training: boolean, weights: number[]): tf.Scalar {
    const z = this.#logits(ids, training);
    // Stable log loss: max(z, 0) − z·y + log(1 + e^−|z|).
    const perRow = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    const w = tf.add(tf.mul(y, weights[1]! - weights[0]!), weights[0]!);
    return tf.div(tf.sum(tf.mul(perRow, w)), tf.sum(w)) as tf.Scalar;
  }

  /** P(positive) for each row of `ids` (nRows × the trained length), in batches. */
  async predict(ids: Int32Array, batchRows = 1024): Promise<Float32Array> {
    if (!this.#config) throw new Error('The model is not trained.');
    const { length } = this.#config;
    const n = ids.length / length;
    const out = new Float32Array(n);
    for (let start = 0; start < n; start += batchRows) {
      const rows = Math.min(batchRows, n - start);
      const p = tf.tidy(() =>
        tf.sigmoid(
          this.#logits(
            tf.tensor2d(ids.subarray(start * length, (start + rows) * length), [rows, length], 'int32'),
            false,
          ),
        ),
      );
      try {
        out.set((await p.data()) as Float32Array, start);
      } finally {
        p.dispose();
      }
    }
    return out;
  }

  /** Frees the weights. */
  dispose(): void {
    tf.dispose(this.#vars);
    this.#vars = [];
  }
}

/** A trained review model with its vocabulary and sequence length. */
export interface ReviewEmbeddingFit {
  model: EmbeddingSentiment;
  vocab: Vocabulary;
  length: number;
  loop: LoopResult;
  /** The TF.js backend it trained on. */
  backend: string;
}

/**
 * Learns the vocabulary from the training documents (tokens, e.g. from ml/text/tokenize.ts),
 * chooses the sequence length (95th percentile of their lengths, at most `maxLength`, default
 * 256) and trains the model. `y`: 1 positive, 0 negative.
 */
export async function fitReviewEmbedding(
  docs: readonly (readonly string[])[],
  y: ArrayLike<number>,
  options: EmbeddingSentimentOptions & VocabularyOptions & { maxLength?: number } = {},
  onEpoch?: OnEpoch,
  signal?: CancelFlag,
): Promise<ReviewEmbeddingFit> {
  const vocab = buildVocabulary(docs, {
    minDf: options.minDf ?? (docs.length >= 200 ? 2 : 1),
    ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
  });
  const length = sequenceLength(docs, 0.95, options.maxLength ?? 256);
  const model = new EmbeddingSentiment();
  const loop = await model.fit(
    encodeSequences(docs, vocab, length),
    length,
    Float32Array.from(y),
    vocab.size,
    options,
    onEpoch,
    signal,
  );
  return { model, vocab, length, loop, backend: tf.getBackend() };
}

/** P(positive) of tokenised documents with a fitted review model. */
export function predictReviewEmbedding(
  fit: ReviewEmbeddingFit,
  docs: readonly (readonly string[])[],
): Promise<Float32Array> {
  return fit.model.predict(encodeSequences(docs, fit.vocab, fit.length));
}

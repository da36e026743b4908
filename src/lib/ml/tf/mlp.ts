/**
 * A multilayer perceptron with ReLU hidden layers, dropout, and early stopping on a
 * validation split, with two engines behind one interface and one saved format:
 * - 'tf': raw TF.js variables (not tf.layers, so the training loop owns every tensor and the
 *   optimizer and can free all of them on cancel) on the active backend — the choice on a GPU;
 * - 'js': the typed-array engine of mlp-js.ts (hand-written backward and Adam, WebAssembly SIMD
 *   matmuls), several times faster on a CPU backend, where TF.js spends a small batch's time on
 *   op dispatch (bench/forecast/README.md).
 * 'auto' (the default) picks 'js' when the active TF.js backend is wasm or cpu.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type CancelFlag,
  type EpochLog,
  type FitOptions,
  type LoopOptions,
  type LoopResult,
  type Matrix,
  type OnEpoch,
  type SerialisedModel,
  base64ToFloats,
  checkShapes,
  classWeightsFor,
  countClasses,
  deserialiseTensor,
  floatsToBase64,
  loopOptions,
  makeVariable,
  readAndDispose,
  runTrainingLoop,
  seededRandom,
  serialiseTensor,
  shuffledIndices,
  splitRows,
  throwIfCancelled,
  yieldToEventLoop,
} from './common';
import { JsMlp, mlpParamCount } from './mlp-js';

/** Which implementation trains and predicts. */
export type MlpEngine = 'auto' | 'js' | 'tf';

/** The engine 'auto' resolves to on the active TF.js backend: 'js' on CPU backends, 'tf' on GPUs. */
export function autoMlpEngine(backend: string = tf.getBackend()): 'js' | 'tf' {
  return backend === 'wasm' || backend === 'cpu' || !backend ? 'js' : 'tf';
}

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
  /** 'auto' (default), 'js' or 'tf'; see the module comment. */
  engine?: MlpEngine;
  /** JS engine: use the WebAssembly SIMD kernels when available (default true). */
  simd?: boolean;
}

type MlpConfig = { task: 'classification' | 'regression'; sizes: number[]; dropout: number; l2: number };

/** A feed-forward network for classification or regression. */
export class Mlp {
  #weights: tf.Variable[] = [];
  #js: JsMlp | null = null;
  #config: MlpConfig | null = null;

  /** The engine holding the weights ('js' or 'tf'), null before a fit or load. */
  get engine(): 'js' | 'tf' | null {
    return this.#js ? 'js' : this.#weights.length ? 'tf' : null;
  }

  /** Whether the JS engine runs its matmuls in WebAssembly SIMD. */
  get simd(): boolean {
    return this.#js?.simd ?? false;
  }

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
    const engine = options.engine && options.engine !== 'auto' ? options.engine : autoMlpEngine();
    if (engine === 'js') {
      try {
        return await this.#fitJs(X, y, options, opts, onEpoch, signal);
      } catch (error) {
        this.dispose();
        throw error;
      }
    }
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

  /**
   * The TF.js loop's semantics on the JS engine: the same He-normal initial weights (drawn by
   * tf.randomNormal with the same seeds), the same split and per-epoch shuffles from one seeded
   * PRNG, a cancel check per batch, a yield every 50 ms, validation loss (data + L2) and metric
   * per epoch, and early stopping that restores the best weights.
   */
  async #fitJs(
    X: Matrix,
    y: Float32Array,
    options: MlpOptions,
    opts: LoopOptions,
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    const { task, sizes, dropout, l2 } = this.#config!;
    const init = new Float32Array(mlpParamCount(sizes));
    let offset = 0;
    for (let i = 0; i + 1 < sizes.length; i++) {
      const fanIn = sizes[i]!;
      const w = tf.randomNormal([fanIn, sizes[i + 1]!], 0, Math.sqrt(2 / fanIn), 'float32', opts.seed + i);
      init.set(await readAndDispose(w), offset);
      offset += fanIn * sizes[i + 1]! + sizes[i + 1]!;
    }
    const net = new JsMlp(sizes, init, {
      task,
      l2,
      dropout,
      capacity: opts.batchSize,
      ...(options.simd === false ? { simd: false } : {}),
    });
    this.#js = net;
    const rowWeights =
      task === 'classification' ? classWeightsFor(y, sizes[sizes.length - 1]!, options.classWeight) : null;
    const random = seededRandom(opts.seed);
    // Dropout masks from their own stream, so the shuffles match the TF.js path's.
    const dropRandom = dropout > 0 ? seededRandom(opts.seed ^ 0x5bd1e995) : null;
    const { train, val } = splitRows(X.nRows, opts.validationSplit, random, opts.shuffleSplit);
    const history: EpochLog[] = [];
    let best: Float32Array | null = null;
    let bestValLoss: number | null = null;
    let sinceBest = 0;
    const started = performance.now();
    let lastYield = performance.now();
    const rows = new Int32Array(opts.batchSize);
    let epoch = 1;
    for (; epoch <= opts.epochs; epoch++) {
      const order = shuffledIndices(train.length, random);
      let lossSum = 0;
      for (let s = 0; s < order.length; s += opts.batchSize) {
        // Training is synchronous: without a yield a cancel message could not land mid-epoch.
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        throwIfCancelled(signal);
        const end = Math.min(order.length, s + opts.batchSize);
        const batch = rows.subarray(0, end - s);
        for (let i = s; i < end; i++) batch[i - s] = train[order[i]!]!;
        lossSum += net.trainBatch(X.data, y, batch, opts.learningRate, rowWeights, dropRandom) * batch.length;
      }
      const valLoss = val.length ? net.loss(X.data, y, val, rowWeights) : null;
      const metric = val.length ? net.metric(X.data, y, val) : null;
      const elapsed = performance.now() - started;
      const log: EpochLog = {
        epoch,
        epochs: opts.epochs,
        loss: lossSum / Math.max(1, train.length),
        valLoss,
        metric,
        etaMs: (elapsed / epoch) * (opts.epochs - epoch),
      };
      history.push(log);
      if (valLoss !== null && (bestValLoss === null || valLoss < bestValLoss - 1e-7)) {
        bestValLoss = valLoss;
        sinceBest = 0;
        if (opts.patience > 0) best = Float32Array.from(net.flat);
      } else if (valLoss !== null) sinceBest += 1;
      await onEpoch?.(log);
      throwIfCancelled(signal);
      if (opts.patience > 0 && valLoss !== null && sinceBest >= opts.patience) break;
    }
    if (best) net.setParams(best);
    net.resetOptimizer();
    return { epochsRun: Math.min(epoch, opts.epochs), bestValLoss, history };
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
    if (this.#js) {
      const out = this.#js.outputs(
        X.data,
        Int32Array.from({ length: X.nRows }, (_, i) => i),
      );
      if (task === 'classification') softmaxRows(out, this.#config.sizes[this.#config.sizes.length - 1]!);
      return out;
    }
    return readAndDispose(
      tf.tidy(() => {
        const out = this.#forward(tf.tensor2d(X.data, [X.nRows, X.nCols]), false);
        return task === 'classification' ? tf.softmax(out) : tf.squeeze(out, [1]);
      }),
    );
  }

  /** Frees the weights (TF.js variables; the JS engine holds only typed arrays). */
  dispose(): void {
    tf.dispose(this.#weights);
    this.#weights = [];
    this.#js = null;
  }

  /** JSON with base64 weights. */
  async serialise(): Promise<SerialisedModel> {
    if (!this.#config) throw new Error('The model is not trained.');
    const weights: SerialisedModel['weights'] = {};
    const js = this.#js;
    if (js) {
      // The same p0, p1, … blocks and shapes as the TF.js variables: either engine loads either.
      for (let i = 0; i < 2 * (this.#config.sizes.length - 1); i++) {
        const { shape, values } = js.block(i);
        weights[`p${i}`] = { shape, data: floatsToBase64(Float32Array.from(values)) };
      }
    }
    for (let i = 0; i < this.#weights.length; i++) weights[`p${i}`] = await serialiseTensor(this.#weights[i]!);
    return { kind: 'mlp', version: 1, config: { ...this.#config }, weights };
  }

  /** Rebuilds a model from `serialise()` on `engine` ('auto': by the active backend, as fit does). */
  static deserialise(model: SerialisedModel, engine: MlpEngine = 'auto'): Mlp {
    if (model.kind !== 'mlp') throw new Error(`Expected an mlp model, got ${model.kind}.`);
    const mlp = new Mlp();
    const config = model.config as unknown as MlpConfig;
    mlp.#config = config;
    const count = Object.keys(model.weights).length;
    if ((engine === 'auto' ? autoMlpEngine() : engine) === 'js') {
      const flat = new Float32Array(mlpParamCount(config.sizes));
      let offset = 0;
      for (let i = 0; i < count; i++) {
        const block = base64ToFloats(model.weights[`p${i}`]!.data);
        flat.set(block, offset);
        offset += block.length;
      }
      mlp.#js = new JsMlp(config.sizes, flat, { task: config.task, l2: config.l2, dropout: config.dropout });
      return mlp;
    }
    for (let i = 0; i < count; i++) mlp.#weights.push(makeVariable(() => deserialiseTensor(model.weights[`p${i}`]!)));
    return mlp;
  }
}

/** In-place softmax of each row of `logits` [n, K]. */
function softmaxRows(logits: Float32Array, K: number): void {
  for (let r = 0; r < logits.length; r += K) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[r + k]!);
    let z = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logits[r + k]! - max);
      logits[r + k] = e;
      z += e;
    }
    for (let k = 0; k < K; k++) logits[r + k]! /= z;
  }
}

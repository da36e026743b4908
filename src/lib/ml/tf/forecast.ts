/**
 * LSTM and GRU forecasters: `lookback` steps in, the next `horizon` values out in one shot
 * (direct multi-step), early stopping on the most recent windows (the validation window).
 *
 * Two engines with one interface: 'js' (typed-array BPTT, rnn-js.ts — several times faster
 * for the small hidden sizes forecasting uses, on any machine) and 'layers' (tf.layers on the
 * active TF.js backend — the choice for big hidden sizes on a real GPU). 'auto' picks 'js'
 * up to 128 units.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type CancelFlag,
  type EpochLog,
  type FitOptions,
  type LoopResult,
  type OnEpoch,
  type SerialisedModel,
  base64ToFloats,
  deserialiseTensor,
  floatsToBase64,
  loopOptions,
  readAndDispose,
  runTrainingLoop,
  seededRandom,
  serialiseTensor,
  shuffledIndices,
  splitRows,
  throwIfCancelled,
  yieldToEventLoop,
} from './common';
import { type CellType, JsRnn, type RnnShape, type Vec, initParams } from './rnn-js';

/** Options of a forecaster. */
export interface ForecastOptions extends FitOptions {
  cell?: CellType;
  units?: number;
  lookback: number;
  horizon: number;
  /** Features per step (default 1; feature 0 is the series being forecast). */
  nFeatures?: number;
  engine?: 'auto' | 'js' | 'layers';
  /** JS engine: use the WebAssembly SIMD kernels when available (default true). */
  simd?: boolean;
  /**
   * Inputs per window for the dense head, [n, nExtra] row-major, used as given (the caller
   * scales them): the horizon's calendar, known covariates, a series one-hot. JS engine only
   * ('auto' picks it whenever extras are given).
   */
  extra?: Float32Array;
  nExtra?: number;
  /** Inputs per output step [n, horizon, nStep], weights shared across steps (the horizon's calendar); JS engine only. */
  step?: Float32Array;
  nStep?: number;
}

/** Windows cut from one series: X [n, lookback] and y [n, horizon], oldest first. */
export function makeWindows(
  series: Float32Array,
  lookback: number,
  horizon: number,
): { X: Float32Array; y: Float32Array; n: number } {
  const n = Math.max(0, series.length - lookback - horizon + 1);
  const X = new Float32Array(n * lookback);
  const y = new Float32Array(n * horizon);
  for (let i = 0; i < n; i++) {
    X.set(series.subarray(i, i + lookback), i * lookback);
    y.set(series.subarray(i + lookback, i + lookback + horizon), i * horizon);
  }
  return { X, y, n };
}

type Scaling = { mean: number[]; std: number[] };

function fitScaling(X: Float32Array, nFeatures: number): Scaling {
  const mean = new Array<number>(nFeatures).fill(0);
  const sq = new Array<number>(nFeatures).fill(0);
  const count = X.length / nFeatures;
  for (let i = 0; i < X.length; i++) {
    mean[i % nFeatures]! += X[i]!;
    sq[i % nFeatures]! += X[i]! * X[i]!;
  }
  const std = mean.map((s, f) => {
    const m = s / count;
    return Math.sqrt(Math.max(sq[f]! / count - m * m, 0)) || 1;
  });
  return { mean: mean.map((s) => s / count), std };
}

function scale(values: Float32Array, s: Scaling, stride: number, featureOf: (i: number) => number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const f = stride === 0 ? 0 : featureOf(i);
    out[i] = (values[i]! - s.mean[f]!) / s.std[f]!;
  }
  return out;
}

/** A recurrent multi-step forecaster (LSTM or GRU). */
export class Forecaster {
  #shape: RnnShape | null = null;
  #engine: 'js' | 'layers' = 'js';
  #js: JsRnn | null = null;
  #layers: tf.LayersModel | null = null;
  #scaling: Scaling | null = null;
  #extra: Float32Array | null = null;
  #step: Float32Array | null = null;

  #simdWanted = true;

  /** Whether the JS engine runs its matmuls in WebAssembly SIMD. */
  get simd(): boolean {
    return this.#js?.simd ?? false;
  }

  /** The engine the last fit used. */
  get engine(): 'js' | 'layers' {
    return this.#engine;
  }

  /** Trains on windows X [n, lookback, nFeatures] and targets y [n, horizon]. */
  async fit(
    X: Float32Array,
    y: Float32Array,
    options: ForecastOptions,
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    const nFeatures = options.nFeatures ?? 1;
    const nExtra = options.nExtra ?? 0;
    const nStep = options.nStep ?? 0;
    const shape: RnnShape = {
      cell: options.cell ?? 'lstm',
      units: options.units ?? 32,
      lookback: options.lookback,
      nFeatures,
      horizon: options.horizon,
      ...(nExtra > 0 ? { nExtra } : {}),
      ...(nStep > 0 ? { nStep } : {}),
    };
    const n = X.length / (shape.lookback * nFeatures);
    if (!Number.isInteger(n) || n < 2) throw new Error('X must hold at least two whole windows.');
    if (y.length !== n * shape.horizon) throw new Error(`y has ${y.length} values, expected ${n * shape.horizon}.`);
    if (nExtra > 0 && options.extra?.length !== n * nExtra) {
      throw new Error(`extra has ${options.extra?.length ?? 0} values, expected ${n * nExtra}.`);
    }
    if (nStep > 0 && options.step?.length !== n * shape.horizon * nStep) {
      throw new Error(`step has ${options.step?.length ?? 0} values, expected ${n * shape.horizon * nStep}.`);
    }
    if ((nExtra > 0 || nStep > 0) && options.engine === 'layers') {
      throw new Error('The tf.layers engine takes no extra head inputs; use the JS engine (engine "auto" or "js").');
    }
    this.dispose();
    this.#shape = shape;
    this.#simdWanted = options.simd ?? true;
    this.#extra = options.extra ?? null;
    this.#step = options.step ?? null;
    this.#engine =
      options.engine === 'layers' || (options.engine !== 'js' && nExtra + nStep === 0 && shape.units > 128)
        ? 'layers'
        : 'js';
    // Scale with the training windows' statistics so the same weights serve any series level.
    const scaling = fitScaling(X, nFeatures);
    this.#scaling = scaling;
    const xs = scale(X, scaling, nFeatures, (i) => i % nFeatures);
    const ys = scale(y, scaling, 0, () => 0);
    // Time order matters: validation is the latest windows, never a random sample.
    const opts = loopOptions(options, false, { learningRate: 0.005, epochs: 50, batchSize: 64 });
    try {
      return this.#engine === 'js'
        ? await this.#fitJs(xs, ys, n, opts, onEpoch, signal)
        : await this.#fitLayers(xs, ys, n, opts, onEpoch, signal);
    } catch (error) {
      this.dispose();
      throw error;
    } finally {
      this.#extra = null;
      this.#step = null;
    }
  }

  async #fitJs(
    X: Float32Array,
    y: Float32Array,
    n: number,
    opts: ReturnType<typeof loopOptions>,
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    const random = seededRandom(opts.seed);
    const net = new JsRnn(this.#shape!, initParams(this.#shape!, random), {
      capacity: opts.batchSize,
      simd: this.#simdWanted,
    });
    this.#js = net;
    const { train, val } = splitRows(n, opts.validationSplit, random, false);
    const extra = this.#extra ?? undefined;
    const step = this.#step ?? undefined;
    const history: EpochLog[] = [];
    let best: Vec | null = null;
    let bestValLoss: number | null = null;
    let sinceBest = 0;
    const started = performance.now();
    let lastYield = performance.now();
    let epoch = 1;
    for (; epoch <= opts.epochs; epoch++) {
      const order = shuffledIndices(train.length, random);
      let lossSum = 0;
      const rows = new Int32Array(opts.batchSize);
      for (let s = 0; s < order.length; s += opts.batchSize) {
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        throwIfCancelled(signal);
        const end = Math.min(order.length, s + opts.batchSize);
        const batch = rows.subarray(0, end - s);
        for (let i = s; i < end; i++) batch[i - s] = train[order[i]!]!;
        lossSum += net.trainBatch(X, y, batch, opts.learningRate, extra, step) * batch.length;
      }
      const valLoss = val.length ? net.mse(X, y, val, extra, step) : null;
      const elapsed = performance.now() - started;
      const log: EpochLog = {
        epoch,
        epochs: opts.epochs,
        loss: lossSum / train.length,
        valLoss,
        // RMSE in the series' own units.
        metric: valLoss === null ? null : Math.sqrt(valLoss) * this.#scaling!.std[0]!,
        etaMs: (elapsed / epoch) * (opts.epochs - epoch),
      };
      history.push(log);
      if (valLoss !== null && (bestValLoss === null || valLoss < bestValLoss - 1e-9)) {
        bestValLoss = valLoss;
        sinceBest = 0;
        if (opts.patience > 0) best = net.params.flat.slice();
      } else if (valLoss !== null) sinceBest += 1;
      await onEpoch?.(log);
      throwIfCancelled(signal);
      if (opts.patience > 0 && valLoss !== null && sinceBest >= opts.patience) break;
    }
    if (best) net.params.flat.set(best);
    net.resetOptimizer();
    return { epochsRun: Math.min(epoch, opts.epochs), bestValLoss, history };
  }

  async #fitLayers(
    X: Float32Array,
    y: Float32Array,
    n: number,
    opts: ReturnType<typeof loopOptions>,
    onEpoch?: OnEpoch,
    signal?: CancelFlag,
  ): Promise<LoopResult> {
    const { cell, units, lookback, nFeatures, horizon } = this.#shape!;
    const model = tf.sequential();
    this.#layers = model;
    const rnnArgs = {
      units,
      inputShape: [lookback, nFeatures],
      kernelInitializer: tf.initializers.glorotUniform({ seed: opts.seed }),
    };
    model.add(cell === 'lstm' ? tf.layers.lstm(rnnArgs) : tf.layers.gru(rnnArgs));
    model.add(tf.layers.dense({ units: horizon }));
    const optimizer = tf.train.adam(opts.learningRate);
    const xs = tf.tensor3d(X, [n, lookback, nFeatures]);
    const ys = tf.tensor2d(y, [n, horizon]);
    const std0 = this.#scaling!.std[0]!;
    try {
      return await runTrainingLoop(
        xs,
        ys,
        {
          variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
          optimizer,
          loss: (xb, yb, training) =>
            tf.losses.meanSquaredError(yb, model.apply(xb, { training }) as tf.Tensor) as tf.Scalar,
          metric: (xb, yb) => tf.mul(tf.sqrt(tf.losses.meanSquaredError(yb, model.predict(xb) as tf.Tensor)), std0),
        },
        opts,
        onEpoch,
        signal,
      );
    } finally {
      optimizer.dispose();
      tf.dispose([xs, ys]);
    }
  }

  /** Forecasts [n, horizon] in the series' units for windows X [n, lookback, nFeatures] (and their head inputs). */
  async predict(X: Float32Array, extra?: Float32Array, step?: Float32Array): Promise<Float32Array> {
    const shape = this.#shape;
    const scaling = this.#scaling;
    if (!shape || !scaling || (!this.#js && !this.#layers)) throw new Error('The model is not trained.');
    const n = X.length / (shape.lookback * shape.nFeatures);
    const nExtra = shape.nExtra ?? 0;
    if (nExtra > 0 && extra?.length !== n * nExtra) {
      throw new Error(`extra has ${extra?.length ?? 0} values, expected ${n * nExtra}.`);
    }
    const nStep = shape.nStep ?? 0;
    if (nStep > 0 && step?.length !== n * shape.horizon * nStep) {
      throw new Error(`step has ${step?.length ?? 0} values, expected ${n * shape.horizon * nStep}.`);
    }
    const xs = scale(X, scaling, shape.nFeatures, (i) => i % shape.nFeatures);
    let raw: ArrayLike<number>;
    if (this.#js) {
      raw = this.#js.predictRows(
        xs,
        Int32Array.from({ length: n }, (_, i) => i),
        extra,
        step,
      );
    } else {
      const model = this.#layers!;
      raw = await readAndDispose(
        tf.tidy(() => model.predict(tf.tensor3d(xs, [n, shape.lookback, shape.nFeatures])) as tf.Tensor),
      );
    }
    const out = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw[i]! * scaling.std[0]! + scaling.mean[0]!;
    return out;
  }

  /** Frees the network (tf.layers weights; the JS engine holds only typed arrays). */
  dispose(): void {
    this.#layers?.dispose();
    this.#layers = null;
    this.#js = null;
  }

  /** JSON with base64 weights. */
  async serialise(): Promise<SerialisedModel> {
    if (!this.#shape || !this.#scaling) throw new Error('The model is not trained.');
    const config = { ...this.#shape, engine: this.#engine, scaling: this.#scaling };
    if (this.#js) {
      return {
        kind: 'forecast',
        version: 1,
        config,
        weights: {
          flat: { shape: [this.#js.params.flat.length], data: floatsToBase64(Float32Array.from(this.#js.params.flat)) },
        },
      };
    }
    const weights: SerialisedModel['weights'] = {};
    const list = this.#layers!.getWeights();
    for (let i = 0; i < list.length; i++) weights[`w${i}`] = await serialiseTensor(list[i]!);
    return { kind: 'forecast', version: 1, config, weights };
  }

  /** Rebuilds a forecaster from `serialise()`. */
  static deserialise(model: SerialisedModel): Forecaster {
    if (model.kind !== 'forecast') throw new Error(`Expected a forecast model, got ${model.kind}.`);
    const c = model.config as unknown as RnnShape & { engine: 'js' | 'layers'; scaling: Scaling };
    const f = new Forecaster();
    f.#shape = {
      cell: c.cell,
      units: c.units,
      lookback: c.lookback,
      nFeatures: c.nFeatures,
      horizon: c.horizon,
      ...(c.nExtra ? { nExtra: c.nExtra } : {}),
      ...(c.nStep ? { nStep: c.nStep } : {}),
    };
    f.#scaling = c.scaling;
    f.#engine = c.engine;
    if (c.engine === 'js') {
      f.#js = new JsRnn(f.#shape, base64ToFloats(model.weights.flat!.data));
      return f;
    }
    const m = tf.sequential();
    const args = { units: c.units, inputShape: [c.lookback, c.nFeatures] };
    m.add(c.cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args));
    m.add(tf.layers.dense({ units: c.horizon }));
    const tensors = Object.keys(model.weights).map((_, i) => deserialiseTensor(model.weights[`w${i}`]!));
    m.setWeights(tensors);
    tf.dispose(tensors);
    f.#layers = m;
    return f;
  }
}

/**
 * Pieces every ShopSight TF.js model shares: the matrix and option types, cancellation,
 * weight (de)serialisation, and one mini-batch training loop with validation, early
 * stopping and guaranteed tensor clean-up.
 */
import * as tf from '@tensorflow/tfjs';

/** A dense row-major matrix: `data[row * nCols + col]`. */
export interface Matrix {
  data: Float32Array;
  nRows: number;
  nCols: number;
}

/** Anything with an `aborted` flag (an AbortSignal qualifies); checked once per batch. */
export interface CancelFlag {
  readonly aborted: boolean;
}

/** What `onEpoch` receives after each epoch. */
export interface EpochLog {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
  /** Task metric on the validation split (accuracy, or RMSE for regression), null if none. */
  metric: number | null;
  /** Estimated milliseconds until the last epoch ends. */
  etaMs: number;
}

/** Called after each epoch; may be async (progress crosses to the UI thread). */
export type OnEpoch = (log: EpochLog) => void | Promise<void>;

/** Options every iterative model understands. */
export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Fraction of rows held out for validation (0 = none). */
  validationSplit?: number;
  /** Epochs without val-loss improvement before stopping (0 = never stop early). */
  patience?: number;
  /** Seed for shuffling and initial weights. */
  seed?: number;
}

/** Thrown when a job was cancelled; carries the `cancelled` code the UI already knows. */
export class CancelledError extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledError';
  }
}

/** Serialised weights: shape plus base64 of the float32 bytes. */
export interface SerialisedTensor {
  shape: number[];
  data: string;
}

/** JSON form of a trained model. */
export interface SerialisedModel {
  kind: string;
  version: 1;
  config: Record<string, unknown>;
  weights: Record<string, SerialisedTensor>;
}

/** Encodes float32 values as base64 (4 bytes a value, far smaller than a JSON array). */
export function floatsToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  // Chunks: String.fromCharCode(...all) overflows the argument limit on big arrays.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Decodes `floatsToBase64`. */
export function base64ToFloats(text: string): Float32Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/** Serialises a tensor (await data(): safe on every backend). */
export async function serialiseTensor(t: tf.Tensor): Promise<SerialisedTensor> {
  const values = await t.data();
  // An int32 tensor (or a cast the backend kept lazy) hands back Int32Array bits.
  const floats = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  return { shape: t.shape.slice(), data: floatsToBase64(floats) };
}

/** Rebuilds a tensor from `serialiseTensor`. */
export function deserialiseTensor(s: SerialisedTensor): tf.Tensor {
  return tf.tensor(base64ToFloats(s.data), s.shape, 'float32');
}

/** A variable from `init()` without leaking the initial tensor (tf.variable copies it). */
export function makeVariable(init: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(init()));
}

/** Reads a tensor with `await data()` and disposes it. */
export async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** A small seeded PRNG (mulberry32) for shuffles; TF.js seeds only its own initialisers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of `0..n-1` into an Int32Array. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/** Lets queued messages (a cancel) run during long synchronous JS training. */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  if (typeof MessageChannel !== 'undefined') {
    // Unlike setTimeout(0), a message is not clamped to 4 ms when nested.
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Throws `CancelledError` when the flag is raised. */
export function throwIfCancelled(signal: CancelFlag | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Splits row indices into train and validation: random (`shuffle`) or the last rows (time series). */
export function splitRows(
  nRows: number,
  validationSplit: number,
  random: () => number,
  shuffle: boolean,
): { train: Int32Array; val: Int32Array } {
  const nVal = validationSplit > 0 ? Math.max(1, Math.min(nRows - 1, Math.round(nRows * validationSplit))) : 0;
  const order = shuffle ? shuffledIndices(nRows, random) : Int32Array.from({ length: nRows }, (_, i) => i);
  return { train: order.subarray(0, nRows - nVal), val: order.subarray(nRows - nVal) };
}

/** What a model hands the shared training loop. */
export interface LoopSpec {
  /** Trainable variables (snapshotted for early stopping). */
  variables: tf.Variable[];
  /** Mean loss of a batch; runs inside `optimizer.minimize`. */
  loss: (x: tf.Tensor, y: tf.Tensor, training: boolean) => tf.Scalar;
  /** Validation metric from (x, y), or null; called inside tidy. */
  metric?: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar | null;
  optimizer: tf.Optimizer;
}

/** Options of `runTrainingLoop` beyond FitOptions. */
export interface LoopOptions extends Required<Omit<FitOptions, 'seed'>> {
  seed: number;
  /** Shuffle before the split (false keeps the last rows as the validation window). */
  shuffleSplit: boolean;
}

/** Outcome of a training loop. */
export interface LoopResult {
  epochsRun: number;
  bestValLoss: number | null;
  history: EpochLog[];
}

/**
 * Mini-batch training on tensors `x` [n, …] and `y` [n, …]: shuffles each epoch, checks
 * `signal` per batch, reports each epoch, restores the best weights on early stopping.
 * Every tensor it creates is disposed whether it returns, is cancelled or throws.
 */
export async function runTrainingLoop(
  x: tf.Tensor,
  y: tf.Tensor,
  spec: LoopSpec,
  options: LoopOptions,
  onEpoch?: OnEpoch,
  signal?: CancelFlag,
): Promise<LoopResult> {
  const n = x.shape[0];
  const random = seededRandom(options.seed);
  const { train, val } = splitRows(n, options.validationSplit, random, options.shuffleSplit);
  const owned: tf.Tensor[] = [];
  let best: tf.Tensor[] | null = null;
  const history: EpochLog[] = [];
  let bestValLoss: number | null = null;
  try {
    let xVal: tf.Tensor | null = null;
    let yVal: tf.Tensor | null = null;
    if (val.length > 0) {
      const valIdx = tf.tensor1d(val, 'int32');
      owned.push(valIdx);
      xVal = tf.gather(x, valIdx);
      yVal = tf.gather(y, valIdx);
      owned.push(xVal, yVal);
    }
    const started = performance.now();
    let sinceBest = 0;
    let epoch = 0;
    for (epoch = 1; epoch <= options.epochs; epoch++) {
      const order = shuffledIndices(train.length, random);
      let lossSum = 0;
      let lossCount = 0;
      const batchLosses: tf.Scalar[] = [];
      try {
        let lastYield = performance.now();
        for (let start = 0; start < order.length; start += options.batchSize) {
          // CPU backends run ops synchronously: without a yield a cancel message could not
          // be delivered before the epoch ends.
          if (performance.now() - lastYield > 50) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
          throwIfCancelled(signal);
          const end = Math.min(order.length, start + options.batchSize);
          const rows = new Int32Array(end - start);
          for (let i = start; i < end; i++) rows[i - start] = train[order[i]!]!;
          const batchLoss = tf.tidy(() => {
            const idx = tf.tensor1d(rows, 'int32');
            const xb = tf.gather(x, idx);
            const yb = tf.gather(y, idx);
            const value = spec.optimizer.minimize(() => spec.loss(xb, yb, true), true, spec.variables);
            // Weight by batch size so the epoch loss is a per-row mean.
            return tf.mul(value!, end - start) as tf.Scalar;
          });
          batchLosses.push(batchLoss);
          lossCount += end - start;
        }
        // One read per epoch: reading per batch would stall GPU backends every step.
        const total = tf.tidy(() => tf.addN(batchLosses));
        lossSum = (await total.data())[0]!;
        total.dispose();
      } finally {
        tf.dispose(batchLosses);
      }
      let valLoss: number | null = null;
      let metric: number | null = null;
      if (xVal && yVal) {
        const [lossT, metricT] = tf.tidy(() => {
          const l = spec.loss(xVal!, yVal!, false);
          const m = spec.metric?.(xVal!, yVal!) ?? null;
          return m ? [l, m] : [l];
        });
        valLoss = (await lossT!.data())[0]!;
        lossT!.dispose();
        if (metricT) {
          metric = (await metricT.data())[0]!;
          metricT.dispose();
        }
      }
      const elapsed = performance.now() - started;
      const log: EpochLog = {
        epoch,
        epochs: options.epochs,
        loss: lossSum / Math.max(1, lossCount),
        valLoss,
        metric,
        etaMs: (elapsed / epoch) * (options.epochs - epoch),
      };
      history.push(log);
      if (valLoss !== null && (bestValLoss === null || valLoss < bestValLoss - 1e-7)) {
        bestValLoss = valLoss;
        sinceBest = 0;
        if (options.patience > 0) {
          tf.dispose(best ?? []);
          best = spec.variables.map((v) => tf.keep(v.clone()));
        }
      } else if (valLoss !== null) {
        sinceBest += 1;
      }
      await onEpoch?.(log);
      throwIfCancelled(signal);
      if (options.patience > 0 && valLoss !== null && sinceBest >= options.patience) break;
    }
    if (best) spec.variables.forEach((v, i) => v.assign(best![i]!));
    return { epochsRun: Math.min(epoch, options.epochs), bestValLoss, history };
  } finally {
    tf.dispose(owned);
    tf.dispose(best ?? []);
  }
}

/** Fills FitOptions defaults. */
export function loopOptions(
  options: FitOptions,
  shuffleSplit: boolean,
  defaults: Partial<FitOptions> = {},
): LoopOptions {
  return {
    epochs: options.epochs ?? defaults.epochs ?? 50,
    batchSize: options.batchSize ?? defaults.batchSize ?? 64,
    learningRate: options.learningRate ?? defaults.learningRate ?? 0.01,
    validationSplit: options.validationSplit ?? defaults.validationSplit ?? 0.2,
    patience: options.patience ?? defaults.patience ?? 5,
    seed: options.seed ?? defaults.seed ?? 42,
    shuffleSplit,
  };
}

/** Number of classes implied by integer labels 0..K-1 (at least 2). */
export function countClasses(y: Float32Array): number {
  let max = 1;
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`Class labels must be integers ≥ 0, got ${v}.`);
    if (v > max) max = v;
  }
  return max + 1;
}

/** Per-row weights from per-class weights ('balanced' = n / (K · count)). */
export function classWeightsFor(
  y: Float32Array,
  nClasses: number,
  weights: 'balanced' | number[] | undefined,
): number[] {
  if (!weights) return new Array<number>(nClasses).fill(1);
  if (weights !== 'balanced') return Array.from({ length: nClasses }, (_, k) => weights[k] ?? 1);
  const counts = new Array<number>(nClasses).fill(0);
  for (const v of y) counts[v]! += 1;
  return counts.map((c) => (c > 0 ? y.length / (nClasses * c) : 0));
}

/** Checks a matrix's shape against its data and the label vector. */
export function checkShapes(X: Matrix, y: Float32Array | null, yCols = 1): void {
  if (X.data.length !== X.nRows * X.nCols) {
    throw new Error(`X has ${X.data.length} values, expected ${X.nRows} × ${X.nCols}.`);
  }
  if (y && y.length !== X.nRows * yCols) throw new Error(`y has ${y.length} values, expected ${X.nRows * yCols}.`);
  if (X.nRows < 2) throw new Error('Need at least two rows to train.');
}

/**
 * The forecast benchmark's workload, shared by the Node runner and the browser page: LSTM(32)
 * on 2,000 windows × 28 steps × 1 feature, batch 64, horizon 7, timed per epoch.
 */
import * as tf from '../../src/lib/ml/tf/tf';
import { Forecaster, makeWindows } from '../../src/lib/ml/tf/forecast';

/** One measured configuration. */
export interface EpochTiming {
  /** What ran: 'layers-fit' (tf.layers model.fit, the baseline), the 'layers' engine, or the JS engine with SIMD kernels ('js') or without ('js-f64'). */
  engine: 'layers-fit' | 'layers' | 'js' | 'js-f64';
  backend: string;
  cell: 'lstm' | 'gru';
  /** Seconds of each timed epoch (after one warm-up epoch), scaled to 2,000 windows. */
  seconds: number[];
  /** Median of `seconds`. */
  median: number;
  /** Windows actually trained on (fewer for very slow backends; `seconds` are scaled). */
  windows: number;
  finalLoss: number;
}

/** The benchmark's fixed shape. */
export const SHAPE = { windows: 2000, lookback: 28, features: 1, batch: 64, horizon: 7, units: 32 } as const;

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Deterministic windows of a noisy seasonal series. */
export function benchWindows(windows: number = SHAPE.windows): { X: Float32Array; y: Float32Array } {
  const length = windows + SHAPE.lookback + SHAPE.horizon - 1;
  const series = new Float32Array(length);
  let seed = 12345;
  for (let t = 0; t < length; t++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    series[t] = 100 + 0.05 * t + 20 * Math.sin((2 * Math.PI * t) / 7) + (seed / 2 ** 32 - 0.5) * 5;
  }
  const { X, y } = makeWindows(series, SHAPE.lookback, SHAPE.horizon);
  return { X, y };
}

/** Times `epochs` epochs (plus one warm-up) of one engine on the active backend. */
export async function timeForecast(
  engine: EpochTiming['engine'],
  epochs = 3,
  cell: 'lstm' | 'gru' = 'lstm',
  windows: number = SHAPE.windows,
): Promise<EpochTiming> {
  const { X, y } = benchWindows(windows);
  const stamps: number[] = [];
  let finalLoss = NaN;
  if (engine === 'layers-fit') {
    // The baseline STACK-NOTES measured: a stock tf.layers model and model.fit.
    const model = tf.sequential();
    const args = { units: SHAPE.units, inputShape: [SHAPE.lookback, SHAPE.features] };
    model.add(cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args));
    model.add(tf.layers.dense({ units: SHAPE.horizon }));
    const optimizer = tf.train.adam(0.005);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const xs = tf.tensor3d(X, [windows, SHAPE.lookback, SHAPE.features]);
    const mean = X.reduce((a, b) => a + b, 0) / X.length;
    const ys = tf.tidy(() => tf.div(tf.sub(tf.tensor2d(y, [windows, SHAPE.horizon]), mean), 20));
    const xn = tf.tidy(() => tf.div(tf.sub(xs, mean), 20));
    stamps.push(performance.now());
    await model.fit(xn, ys, {
      epochs: epochs + 1,
      batchSize: SHAPE.batch,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (_epoch, logs) => {
          stamps.push(performance.now());
          finalLoss = Number(logs?.loss);
        },
      },
    });
    model.dispose();
    optimizer.dispose();
    tf.dispose([xs, ys, xn]);
  } else {
    const f = new Forecaster();
    stamps.push(performance.now());
    await f.fit(
      X,
      y,
      {
        engine: engine === 'js-f64' ? 'js' : engine,
        simd: engine !== 'js-f64',
        cell,
        units: SHAPE.units,
        lookback: SHAPE.lookback,
        horizon: SHAPE.horizon,
        epochs: epochs + 1,
        batchSize: SHAPE.batch,
        validationSplit: 0,
        patience: 0,
        learningRate: 0.005,
      },
      (log) => {
        stamps.push(performance.now());
        finalLoss = log.loss;
      },
    );
    f.dispose();
  }
  // Per-epoch cost is per batch × batches, so a subset scales linearly to the full set.
  const factor = Math.ceil(SHAPE.windows / SHAPE.batch) / Math.ceil(windows / SHAPE.batch);
  const seconds = stamps.slice(2).map((t, i) => ((t - stamps[i + 1]!) / 1000) * factor);
  return { engine, backend: tf.getBackend(), cell, seconds, median: median(seconds), windows, finalLoss };
}

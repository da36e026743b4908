/**
 * The training benchmark's workload, shared by the Node runner and the browser page: an MLP
 * 50,000 × 20 → 64 → 1 (regression), batch 256, timed per epoch.
 */
import * as tf from '../../src/lib/ml/tf/tf';
import { Mlp } from '../../src/lib/ml/tf/mlp';
import { median } from '../forecast/lstm-bench';

/** The benchmark's fixed shape. */
export const MLP_SHAPE = { rows: 50_000, cols: 20, hidden: 64, batch: 256 } as const;

/** One measured configuration. */
export interface MlpTiming {
  /**
   * 'layers-fit' (tf.layers model.fit), 'mlp' (ShopSight's Mlp, engine 'tf': raw variables on
   * the active backend) or 'mlp-js' (ShopSight's Mlp, engine 'js': typed arrays + SIMD kernels).
   */
  engine: 'layers-fit' | 'mlp' | 'mlp-js';
  backend: string;
  /** Seconds of each timed epoch, scaled to 50,000 rows. */
  seconds: number[];
  median: number;
  rows: number;
  finalLoss: number;
}

/** Deterministic rows with a non-linear target. */
export function mlpData(rows: number): { X: Float32Array; y: Float32Array } {
  const X = new Float32Array(rows * MLP_SHAPE.cols);
  const y = new Float32Array(rows);
  let seed = 99;
  for (let r = 0; r < rows; r++) {
    let target = 0;
    for (let c = 0; c < MLP_SHAPE.cols; c++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = seed / 2 ** 32 - 0.5;
      X[r * MLP_SHAPE.cols + c] = v;
      target += (c % 3 === 0 ? Math.sin(3 * v) : v * v) * (c + 1) * 0.1;
    }
    y[r] = target;
  }
  return { X, y };
}

/** Times `epochs` epochs (plus one warm-up) on the active backend. */
export async function timeMlp(
  engine: MlpTiming['engine'],
  epochs = 3,
  rows: number = MLP_SHAPE.rows,
): Promise<MlpTiming> {
  const { X, y } = mlpData(rows);
  const stamps: number[] = [];
  let finalLoss = NaN;
  if (engine === 'layers-fit') {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: MLP_SHAPE.hidden, activation: 'relu', inputShape: [MLP_SHAPE.cols] }));
    model.add(tf.layers.dense({ units: 1 }));
    const optimizer = tf.train.adam(0.001);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const xs = tf.tensor2d(X, [rows, MLP_SHAPE.cols]);
    const ys = tf.tensor2d(y, [rows, 1]);
    stamps.push(performance.now());
    await model.fit(xs, ys, {
      epochs: epochs + 1,
      batchSize: MLP_SHAPE.batch,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (_e, logs) => {
          stamps.push(performance.now());
          finalLoss = Number(logs?.loss);
        },
      },
    });
    model.dispose();
    optimizer.dispose();
    tf.dispose([xs, ys]);
  } else {
    const mlp = new Mlp();
    stamps.push(performance.now());
    await mlp.fit(
      { data: X, nRows: rows, nCols: MLP_SHAPE.cols },
      y,
      {
        task: 'regression',
        engine: engine === 'mlp-js' ? 'js' : 'tf',
        hidden: [MLP_SHAPE.hidden],
        epochs: epochs + 1,
        batchSize: MLP_SHAPE.batch,
        validationSplit: 0,
        patience: 0,
      },
      (log) => {
        stamps.push(performance.now());
        finalLoss = log.loss;
      },
    );
    mlp.dispose();
  }
  const factor = Math.ceil(MLP_SHAPE.rows / MLP_SHAPE.batch) / Math.ceil(rows / MLP_SHAPE.batch);
  const seconds = stamps.slice(2).map((t, i) => ((t - stamps[i + 1]!) / 1000) * factor);
  return { engine, backend: tf.getBackend(), seconds, median: median(seconds), rows, finalLoss };
}

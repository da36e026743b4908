/**
 * Where an epoch of the bench MLP (50,000 × 20 → 64 → 1, batch 256, Adam, MSE) goes, on the
 * active TF.js backend and in the JS engine: each stage of the TF.js Mlp's training step timed
 * on its own over a whole epoch's batches, plus the op count per step from tf.profile.
 * CPU backends run ops synchronously, so wall time around a stage is its cost (no GPU queue).
 */
import * as tf from '../../src/lib/ml/tf/tf';
import { JsMlp, mlpParamCount } from '../../src/lib/ml/tf/mlp-js';
import { seededRandom, shuffledIndices } from '../../src/lib/ml/tf/common';
import { MLP_SHAPE, mlpData } from './mlp-bench';

/** Milliseconds per epoch of each stage. */
export interface MlpProfile {
  backend: string;
  batches: number;
  /** TF.js stages, ms per epoch (each includes the ones above it where noted). */
  tf: Record<string, number>;
  /** Kernels (ops) one training step dispatches, and their summed kernel time per epoch. */
  opsPerStep: number;
  kernelMsPerEpoch: number;
  kernelNames: Record<string, number>;
  /** JS engine stages, ms per epoch. */
  js: Record<string, number>;
}

// Best of `reps` whole epochs: the machine is shared, the minimum is the least disturbed.
function timeEpoch(batches: Int32Array[], step: (rows: Int32Array) => void, reps = 5): number {
  for (const rows of batches.slice(0, 5)) step(rows);
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const started = performance.now();
    for (const rows of batches) step(rows);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Profiles one epoch's worth of batches, stage by stage. */
export async function profileMlp(): Promise<MlpProfile> {
  const { rows: n, cols: F, hidden: H, batch: B } = MLP_SHAPE;
  const { X, y } = mlpData(n);
  const order = shuffledIndices(n, seededRandom(1));
  const batches: Int32Array[] = [];
  for (let s = 0; s < n; s += B) batches.push(order.slice(s, Math.min(n, s + B)));

  const xs = tf.tensor2d(X, [n, F]);
  const ys = tf.tensor1d(y);
  const w1 = tf.variable(tf.randomNormal([F, H], 0, Math.sqrt(2 / F), 'float32', 42));
  const b1 = tf.variable(tf.zeros([H]));
  const w2 = tf.variable(tf.randomNormal([H, 1], 0, Math.sqrt(2 / H), 'float32', 43));
  const b2 = tf.variable(tf.zeros([1]));
  const vars = [w1, b1, w2, b2];
  const optimizer = tf.train.adam(0.001);
  const loss = (xb: tf.Tensor, yb: tf.Tensor) =>
    tf.mean(tf.square(tf.sub(tf.squeeze(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(xb, w1), b1)), w2), b2), [1]), yb)));
  const gather = (rows: Int32Array) => {
    const idx = tf.tensor1d(rows, 'int32');
    return [tf.gather(xs, idx), tf.gather(ys, idx)] as const;
  };
  // Warm up every kernel first (V8 tiers the wasm backend's code up in the background).
  timeEpoch(
    batches,
    (rows) =>
      tf.tidy(() => {
        const [xb, yb] = gather(rows);
        optimizer.minimize(() => loss(xb, yb) as tf.Scalar, true, vars);
      }),
    1,
  );
  const t: Record<string, number> = {};
  t['index tensor per batch (tensor1d of 256 int32)'] = timeEpoch(batches, (rows) =>
    tf.tidy(() => void tf.tensor1d(rows, 'int32')),
  );
  t['gather (index tensor + gather x + gather y)'] = timeEpoch(batches, (rows) => tf.tidy(() => void gather(rows)));
  t['gather + forward + loss'] = timeEpoch(batches, (rows) =>
    tf.tidy(() => {
      const [xb, yb] = gather(rows);
      loss(xb, yb);
    }),
  );
  t['gather + forward + taped backward (variableGrads)'] = timeEpoch(batches, (rows) =>
    tf.tidy(() => {
      const [xb, yb] = gather(rows);
      tf.variableGrads(() => loss(xb, yb) as tf.Scalar, vars);
    }),
  );
  t['full step (optimizer.minimize)'] = timeEpoch(batches, (rows) =>
    tf.tidy(() => {
      const [xb, yb] = gather(rows);
      optimizer.minimize(() => loss(xb, yb) as tf.Scalar, true, vars);
    }),
  );
  const fixedGrads = tf.tidy(() => {
    const [xb, yb] = gather(batches[0]!);
    return tf.variableGrads(() => loss(xb, yb) as tf.Scalar, vars).grads;
  });
  t['Adam update of the 4 variables alone'] = timeEpoch(batches, () =>
    optimizer.applyGradients(fixedGrads as Parameters<typeof optimizer.applyGradients>[0]),
  );
  // The arithmetic alone: the step's three matmuls as single ops on this backend.
  const xb0 = tf.tidy(() => gather(batches[0]!)[0]);
  const h0 = tf.randomNormal([B, H]);
  const d0 = tf.randomNormal([B, 1]);
  t['the 3 matmuls alone (x·W1, xᵀ·dZ1, dZ2·W2ᵀ)'] = timeEpoch(batches, () =>
    tf.tidy(() => {
      tf.matMul(xb0, w1);
      tf.matMul(xb0, h0, true, false);
      tf.matMul(d0, w2, false, true);
    }),
  );
  const profile = await tf.profile(() => {
    tf.tidy(() => {
      const [xb, yb] = gather(batches[1]!);
      optimizer.minimize(() => loss(xb, yb) as tf.Scalar, true, vars);
    });
  });
  const kernelNames: Record<string, number> = {};
  let kernelMs = 0;
  for (const k of profile.kernels) {
    kernelNames[k.name] = (kernelNames[k.name] ?? 0) + 1;
    kernelMs += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  }
  tf.dispose([xs, ys, ...vars, ...Object.values(fixedGrads), xb0, h0, d0]);
  optimizer.dispose();

  const sizes = [F, H, 1];
  const init = new Float32Array(mlpParamCount(sizes)).map((_, i) => Math.sin(i) * 0.1);
  const net = new JsMlp(sizes, init, { task: 'regression', capacity: B });
  const j: Record<string, number> = {};
  j['forward only (gather + 2 layers)'] = timeEpoch(batches, (rows) => void net.outputs(X, rows));
  j['full step (forward, backward, Adam)'] = timeEpoch(batches, (rows) => void net.trainBatch(X, y, rows, 0.001));
  const plain = new JsMlp(sizes, init, { task: 'regression', capacity: B, simd: false });
  j['full step, float64 JavaScript (no SIMD)'] = timeEpoch(batches, (rows) => void plain.trainBatch(X, y, rows, 0.001));
  return {
    backend: tf.getBackend(),
    batches: batches.length,
    tf: t,
    opsPerStep: profile.kernels.length,
    kernelMsPerEpoch: kernelMs * batches.length,
    kernelNames,
    js: j,
  };
}

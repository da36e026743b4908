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

/** Kernels one TF.js training step of this MLP dispatches (tf.profile; checked in the report). */
const OPS_PER_STEP = 105;

type Stage = [name: string, step: (rows: Int32Array) => void];

// Stages run round-robin, one whole epoch each per round, and each keeps its fastest round:
// the machine is shared, and a burst of other work then hits one round of every stage, not
// every round of one stage.
function timeStages(batches: Int32Array[], stages: Stage[], rounds: number): Record<string, number> {
  const best = stages.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    stages.forEach(([, step], i) => {
      const started = performance.now();
      for (const rows of batches) step(rows);
      best[i] = Math.min(best[i]!, performance.now() - started);
    });
  }
  return Object.fromEntries(stages.map(([name], i) => [name, best[i]!]));
}

/** Profiles one epoch's worth of batches, stage by stage. */
export async function profileMlp(rounds = 7): Promise<MlpProfile> {
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
  const step = (rows: Int32Array) =>
    tf.tidy(() => {
      const [xb, yb] = gather(rows);
      optimizer.minimize(() => loss(xb, yb) as tf.Scalar, true, vars);
    });
  // Warm up every kernel first (V8 tiers the wasm backend's code up in the background).
  timeStages(batches, [['warm-up', step]], 1);
  const fixedGrads = tf.tidy(() => {
    const [xb, yb] = gather(batches[0]!);
    return tf.variableGrads(() => loss(xb, yb) as tf.Scalar, vars).grads;
  });
  const xb0 = tf.tidy(() => gather(batches[0]!)[0]);
  const h0 = tf.randomNormal([B, H]);
  const d0 = tf.randomNormal([B, 1]);
  const one = tf.scalar(1);
  const t = timeStages(
    batches,
    [
      ['index tensor per batch (tensor1d of 256 int32)', (rows) => tf.tidy(() => void tf.tensor1d(rows, 'int32'))],
      ['gather (index tensor + gather x + gather y)', (rows) => tf.tidy(() => void gather(rows))],
      [
        'gather + forward + loss',
        (rows) =>
          tf.tidy(() => {
            const [xb, yb] = gather(rows);
            loss(xb, yb);
          }),
      ],
      [
        'gather + forward + taped backward (variableGrads)',
        (rows) =>
          tf.tidy(() => {
            const [xb, yb] = gather(rows);
            tf.variableGrads(() => loss(xb, yb) as tf.Scalar, vars);
          }),
      ],
      ['full step (optimizer.minimize)', step],
      [
        'Adam update of the 4 variables alone',
        () => optimizer.applyGradients(fixedGrads as Parameters<typeof optimizer.applyGradients>[0]),
      ],
      // What dispatch alone costs: as many ops as a step runs, each on a 1-element tensor.
      [
        `${OPS_PER_STEP} scalar adds (a step's op count, no arithmetic)`,
        () =>
          tf.tidy(() => {
            for (let i = 0; i < OPS_PER_STEP; i++) tf.add(one, one);
          }),
      ],
      ['matmul x·W1 (256×20 · 20×64) alone', () => tf.tidy(() => void tf.matMul(xb0, w1))],
      ['matmul xᵀ·dZ1 (20×256 · 256×64) alone', () => tf.tidy(() => void tf.matMul(xb0, h0, true, false))],
      // The arithmetic alone: the step's three matmuls as single ops on this backend.
      [
        'the 3 matmuls alone (x·W1, xᵀ·dZ1, dZ2·W2ᵀ)',
        () =>
          tf.tidy(() => {
            tf.matMul(xb0, w1);
            tf.matMul(xb0, h0, true, false);
            tf.matMul(d0, w2, false, true);
          }),
      ],
    ],
    rounds,
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
  tf.dispose([xs, ys, ...vars, ...Object.values(fixedGrads), xb0, h0, d0, one]);
  optimizer.dispose();

  const sizes = [F, H, 1];
  const init = new Float32Array(mlpParamCount(sizes)).map((_, i) => Math.sin(i) * 0.1);
  const net = new JsMlp(sizes, init, { task: 'regression', capacity: B });
  const plain = new JsMlp(sizes, init, { task: 'regression', capacity: B, simd: false });
  const j = timeStages(
    batches,
    [
      ['forward only (gather + 2 layers)', (rows) => void net.outputs(X, rows)],
      ['full step (forward, backward, Adam)', (rows) => void net.trainBatch(X, y, rows, 0.001)],
      ['full step, float64 JavaScript (no SIMD)', (rows) => void plain.trainBatch(X, y, rows, 0.001)],
    ],
    rounds,
  );
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

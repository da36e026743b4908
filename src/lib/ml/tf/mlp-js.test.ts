import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type Matrix, seededRandom } from './common';
import { Mlp, autoMlpEngine } from './mlp';
import { JsMlp, mlpParamCount } from './mlp-js';
import { comboRows, createMlpKernels } from './mlp-kernels';
import { blobs } from './test-data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function problem(sizes: number[], n: number, task: 'classification' | 'regression', seed = 5) {
  const random = seededRandom(seed);
  const init = Float64Array.from({ length: mlpParamCount(sizes) }, () => (random() * 2 - 1) * 0.6);
  const x = Float32Array.from({ length: n * sizes[0]! }, () => random() * 2 - 1);
  const K = sizes[sizes.length - 1]!;
  const y = Float32Array.from({ length: n }, () => (task === 'classification' ? Math.floor(random() * K) : random()));
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  return { init, x, y, rows };
}

/** A fixed stream of uniforms that restarts on every call of the factory (the same dropout masks). */
const replay = (seed: number) => {
  const values = Array.from({ length: 4096 }, seededRandom(seed));
  return () => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };
};

describe('JS MLP backprop', () => {
  it.each([
    ['classification, class weights, L2', [5, 6, 3], 'classification', 0, 1e-2],
    ['regression, two hidden layers, L2', [4, 7, 5, 1], 'regression', 0, 1e-2],
    ['classification with dropout (fixed masks)', [3, 8, 2], 'classification', 0.3, 0],
  ] as const)('matches finite differences: %s', (_, sizes, task, dropout, l2) => {
    const { init, x, y, rows } = problem([...sizes], 6, task);
    const net = new JsMlp(sizes, init, { task, simd: false, l2, dropout, capacity: 8 });
    const weights = task === 'classification' ? [0.7, 1.6, 1.1] : null;
    const masks = dropout > 0 ? replay(3) : () => null;
    const { grad } = net.gradient(x, y, rows, weights, masks());
    const flat = net.flat;
    const eps = 1e-6;
    let worst = 0;
    for (let i = 0; i < flat.length; i++) {
      const keep = flat[i]!;
      flat[i] = keep + eps;
      const up = net.gradient(x, y, rows, weights, masks()).loss;
      flat[i] = keep - eps;
      const down = net.gradient(x, y, rows, weights, masks()).loss;
      flat[i] = keep;
      const numeric = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - grad[i]!) / Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[i]!)));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  // Sizes chosen to run every kernel path: whole-v128 outputs (combo), the transposed path for a
  // 1–3 wide output, dotRows between hidden layers, a row wider than one 64-float tile, and a
  // layer with neither side a multiple of 4 (plain JavaScript).
  it.each([[[20, 64, 1]], [[8, 12, 2]], [[5, 8, 8, 3]], [[4, 72, 1]], [[5, 3, 2]], [[6, 9, 4]]])(
    'gives the float64 loss and gradient with the SIMD kernels at sizes %j',
    (sizes) => {
      const task = sizes[sizes.length - 1] === 1 ? 'regression' : 'classification';
      const { init, x, y, rows } = problem(sizes, 10, task, 9);
      const plain = new JsMlp(sizes, init, { task, simd: false, l2: 1e-2, capacity: 16 });
      const simd = new JsMlp(sizes, init, { task, l2: 1e-2, capacity: 16 });
      expect(simd.simd).toBe(true);
      const a = plain.gradient(x, y, rows);
      const b = simd.gradient(x, y, rows);
      expect(b.loss).toBeCloseTo(a.loss, 5);
      const scale = Math.max(...a.grad.map(Math.abs));
      for (let i = 0; i < a.grad.length; i++)
        expect(Math.abs(b.grad[i]! - a.grad[i]!)).toBeLessThan(1e-5 * scale + 1e-6);
      // And after a few Adam steps the parameters still agree.
      for (let s = 0; s < 3; s++) {
        plain.trainBatch(x, y, rows, 0.01);
        simd.trainBatch(x, y, rows, 0.01);
      }
      for (let i = 0; i < plain.flat.length; i++) expect(simd.flat[i]).toBeCloseTo(plain.flat[i]!, 4);
    },
  );

  it('combo kernel sums row tiles exactly like a loop', () => {
    const k = createMlpKernels(1 << 16)!;
    const I = 3;
    const T = 5;
    const cols = 72;
    // Views into the kernels' memory, filled in place (typed-array map would copy).
    const f = (off: number, n: number, value: (i: number) => number) => {
      const view = new Float32Array(k.memory.buffer, off, n);
      for (let i = 0; i < n; i++) view[i] = value(i);
      return view;
    };
    const a = f(0, I * T, Math.sin);
    const src = f(1024, T * cols, Math.cos);
    const dst = f(8192, I * cols, (i) => i * 0.01);
    const want = Float64Array.from(dst);
    for (let i = 0; i < I; i++)
      for (let t = 0; t < T; t++)
        for (let c = 0; c < cols; c++) want[i * cols + c]! += a[i * T + t]! * src[t * cols + c]!;
    comboRows(k, a.byteOffset, T * 4, 4, src.byteOffset, cols * 4, dst.byteOffset, cols * 4, I, T, cols);
    dst.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
  });
});

function regressionData(n: number, cols: number): { X: Matrix; y: Float32Array } {
  const random = seededRandom(21);
  const data = Float32Array.from({ length: n * cols }, () => random() * 2 - 1);
  const y = Float32Array.from({ length: n }, (_, r) => Math.sin(3 * data[r * cols]!) + data[r * cols + 1]! ** 2);
  return { X: { data, nRows: n, nCols: cols }, y };
}

describe('Mlp engines', () => {
  it('picks the JS engine on CPU backends and TF.js on GPU ones', () => {
    expect(autoMlpEngine('wasm')).toBe('js');
    expect(autoMlpEngine('cpu')).toBe('js');
    expect(autoMlpEngine('webgpu')).toBe('tf');
    expect(autoMlpEngine('webgl')).toBe('tf');
  });

  it.each([
    [
      'classification (balanced class weights, L2, early stopping)',
      () => {
        const { X, y } = blobs(60, 3, 4, 2);
        return { X, y, options: { classWeight: 'balanced' as const, l2: 1e-3, patience: 2 } };
      },
    ],
    [
      'regression (two hidden layers)',
      () => {
        const { X, y } = regressionData(300, 6);
        return { X, y, options: { task: 'regression' as const, hidden: [16, 8], learningRate: 0.01 } };
      },
    ],
  ])('JS and TF.js engines train the same curve: %s', async (_, make) => {
    const before = tf.memory().numTensors;
    const { X, y, options } = make();
    const fit = async (engine: 'js' | 'tf') => {
      const m = new Mlp();
      const result = await m.fit(X, y, { ...options, engine, epochs: 12, batchSize: 32, seed: 4 });
      expect(m.engine).toBe(engine);
      return { m, result, proba: await m.predictProba(X) };
    };
    const js = await fit('js');
    const ref = await fit('tf');
    expect(js.m.simd).toBe(true);
    expect(js.result.epochsRun).toBe(ref.result.epochsRun);
    js.result.history.forEach((log, i) => {
      const other = ref.result.history[i]!;
      expect(Math.abs(log.loss - other.loss)).toBeLessThan(1e-4 * Math.abs(other.loss) + 1e-6);
      expect(Math.abs(log.valLoss! - other.valLoss!)).toBeLessThan(1e-4 * Math.abs(other.valLoss!) + 1e-6);
      expect(log.metric).toBeCloseTo(other.metric!, 3);
    });
    js.proba.forEach((v, i) => expect(v).toBeCloseTo(ref.proba[i]!, 4));

    // One saved format: each engine's file loads on either engine.
    const jsFile = JSON.parse(JSON.stringify(await js.m.serialise()));
    const tfFile = JSON.parse(JSON.stringify(await ref.m.serialise()));
    expect(Object.keys(jsFile.weights)).toEqual(Object.keys(tfFile.weights));
    for (const key of Object.keys(jsFile.weights)) expect(jsFile.weights[key].shape).toEqual(tfFile.weights[key].shape);
    const reloaded = Mlp.deserialise(jsFile, 'js');
    expect(Array.from(await reloaded.predictProba(X))).toEqual(Array.from(js.proba));
    const onTf = Mlp.deserialise(jsFile, 'tf');
    (await onTf.predictProba(X)).forEach((v, i) => expect(v).toBeCloseTo(js.proba[i]!, 5));
    const tfOnJs = Mlp.deserialise(tfFile);
    expect(tfOnJs.engine).toBe('js');
    (await tfOnJs.predictProba(X)).forEach((v, i) => expect(v).toBeCloseTo(ref.proba[i]!, 5));
    for (const m of [js.m, ref.m, reloaded, onTf, tfOnJs]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels the JS engine within one batch and keeps nothing', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = blobs(100, 2, 4);
    const mlp = new Mlp();
    let checks = 0;
    const signal = {
      get aborted() {
        checks += 1;
        return checks > 3;
      },
    };
    await expect(mlp.fit(X, y, { engine: 'js', epochs: 5, batchSize: 16 }, undefined, signal)).rejects.toBeInstanceOf(
      CancelledError,
    );
    // The fourth check is the fourth batch of the first epoch: no batch ran after the cancel.
    expect(checks).toBe(4);
    expect(mlp.engine).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The Classify MLP on the cpu backend runs the typed-array engine, reports it, and round-trips
 * through the saved-model file; files written by the TF.js engine (every MLP saved before the
 * JS engine existed) still load, with the same probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Mlp } from '../tf/mlp';
import { seededRandom } from '../tf/common';
import type { SerialisedModelInfo } from '../../contracts/train-api';
import { fitClassifier, loadClassifier } from './models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function data(n: number) {
  const random = seededRandom(8);
  const X = new Float64Array(n * 3);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < 3; c++) X[r * 3 + c] = random() * 2 - 1;
    y[r] = X[r * 3]! + 0.5 * X[r * 3 + 1]! ** 2 + (random() - 0.5) * 0.3 > 0.2 ? 1 : 0;
  }
  return { X: { data: X, nRows: n, nCols: 3 }, y };
}

const ctx = {
  token: { cancelled: false, throwIfCancelled() {} },
  pause: async () => {},
  seed: 1,
};

describe('Classify MLP', () => {
  it('fits on the JS engine, saves and loads with identical probabilities', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = data(300);
    const fitted = await fitClassifier('mlp', X, y, { epochs: 15 }, ctx);
    expect(fitted.engine).toBe('js');
    const p = await fitted.predict(X);
    let right = 0;
    p.forEach((v, i) => (right += Number(v > 0.5) === y[i] ? 1 : 0));
    expect(right / y.length).toBeGreaterThan(0.8);
    const file = JSON.parse(JSON.stringify(await fitted.toFile()));
    const loaded = await loadClassifier('mlp', file);
    expect(loaded.engine).toBe('js');
    expect(Array.from(await loaded.predict(X))).toEqual(Array.from(p));
    fitted.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads a file the TF.js engine wrote', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = data(200);
    const X32 = { data: Float32Array.from(X.data), nRows: X.nRows, nCols: X.nCols };
    const old = new Mlp();
    await old.fit(X32, Float32Array.from(y), { engine: 'tf', epochs: 5, hidden: [8] });
    const proba = await old.predictProba(X32);
    const file = { engine: 'tf' as const, json: (await old.serialise()) as SerialisedModelInfo };
    const loaded = await loadClassifier('mlp', JSON.parse(JSON.stringify(file)));
    expect(loaded.engine).toBe('js');
    (await loaded.predict(X)).forEach((v, i) => expect(v).toBeCloseTo(proba[i * 2 + 1]!, 5));
    old.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

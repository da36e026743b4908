/**
 * The Classify linear SVM on TF.js (cpu backend): Platt-calibrated P(positive) that rises with
 * the margin, a sigmoid fitted on out-of-fold margins of the training rows (so a model that
 * memorises its training rows is not trusted on them), calibrated log-odds coefficients and
 * contributions that add up to the reported probability, and a model file that loads with
 * identical predictions. Tensors are checked for leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64ToFloats, seededRandom } from '../tf/common';
import { rocAuc } from '../metrics';
import type { Matrix } from '../matrix';
import { fitClassifier, loadClassifier } from './models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function linearData(n: number, seed = 3): { X: Matrix; y: Int32Array } {
  const random = seededRandom(seed);
  const p = 4;
  const X = new Float64Array(n * p);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) X[r * p + c] = random() * 2 - 1;
    y[r] = 1.5 * X[r * p]! - X[r * p + 1]! + (random() - 0.5) * 0.8 > 0.3 ? 1 : 0;
  }
  return { X: { data: X, nRows: n, nCols: p }, y };
}

const ctx = {
  token: { cancelled: false, throwIfCancelled() {} },
  pause: async () => {},
  seed: 0,
};

describe('Classify linear SVM', () => {
  it('gives calibrated probabilities monotone in the margin, and loads back identically', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = linearData(400);
    const fitted = await fitClassifier('svm', X, y, {}, ctx);
    expect(fitted.family).toBe('svm');
    const p = await fitted.predict(X);
    expect(rocAuc(y, p)).toBeGreaterThan(0.9);
    // Calibrated: the mean probability is near the positive rate (a softmax of margins is not).
    const rate = y.reduce((a, b) => a + b, 0) / y.length;
    expect(Math.abs(p.reduce((a, b) => a + b, 0) / p.length - rate)).toBeLessThan(0.05);

    // P(positive) is a monotone function of the coefficient-weighted score.
    const coef = (await fitted.coefficients())!;
    expect(coef[0]!).toBeGreaterThan(0);
    expect(coef[1]!).toBeLessThan(0);
    const score = Array.from({ length: X.nRows }, (_, i) => coef.reduce((s, w, j) => s + w * X.data[i * 4 + j]!, 0));
    const order = score.map((_, i) => i).sort((a, b) => score[a]! - score[b]!);
    for (let k = 1; k < order.length; k++) expect(p[order[k]!]!).toBeGreaterThanOrEqual(p[order[k - 1]!]! - 1e-9);

    // Contributions are calibrated log-odds: bias + Σ = logit P exactly.
    const means = new Float64Array(4).fill(0.1);
    const c = (await fitted.contributions(X, means))!;
    expect(c.units).toBe('log-odds');
    for (const i of [0, 7, 123]) {
      let raw = c.bias;
      for (let j = 0; j < 4; j++) raw += c.values[i * 4 + j]!;
      expect(1 / (1 + Math.exp(-raw))).toBeCloseTo(p[i]!, 6);
    }

    const file = JSON.parse(JSON.stringify(await fitted.toFile()));
    expect(file.engine).toBe('tf');
    expect(Number.isFinite(file.json.config.plattA)).toBe(true);
    const loaded = await loadClassifier('svm', file);
    expect(Array.from(await loaded.predict(X))).toEqual(Array.from(p));
    expect(Array.from((await loaded.coefficients())!)).toEqual(Array.from(coef));
    fitted.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fits the sigmoid on out-of-fold margins, not on the rows each SVM trained on', async () => {
    // Random labels with more columns than rows: every SVM separates its own training rows
    // (in-sample margins rank them perfectly) but the margins carry no signal on other rows.
    // A sigmoid fitted on in-sample margins would be steep; on out-of-fold ones it is flat, so
    // the calibrated probabilities stay near the base rate even on the training rows.
    const random = seededRandom(11);
    const n = 120;
    const p = 240;
    const data = new Float64Array(n * p);
    for (let i = 0; i < data.length; i++) data[i] = random() * 2 - 1;
    const y = Int32Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0));
    const X = { data, nRows: n, nCols: p };
    const fitted = await fitClassifier('svm', X, y, { epochs: 60, C: 100 }, ctx);
    const proba = await fitted.predict(X);
    // The final SVM did memorise: its own margin (f₁ − f₀)/2 separates its training rows.
    const file = await fitted.toFile();
    if (file.engine !== 'tf') throw new Error('expected a TF.js model file');
    const W = base64ToFloats(file.json.weights.w!.data);
    const margin = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < p; j++) s += ((W[j * 2 + 1]! - W[j * 2]!) / 2) * data[i * p + j]!;
      return s;
    });
    expect(rocAuc(y, margin)).toBeGreaterThan(0.95);
    const rate = y.reduce((a, b) => a + b, 0) / n;
    let maxDev = 0;
    for (const v of proba) maxDev = Math.max(maxDev, Math.abs(v - rate));
    expect(maxDev).toBeLessThan(0.2);
    fitted.dispose();
  });
});

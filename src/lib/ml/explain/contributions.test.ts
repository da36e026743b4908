/**
 * Per-row contributions: the linear formula on a hand-checked example, grouping encoded
 * columns back to features, the reasons text, and — through `fitClassifier`, on the real
 * models (TF.js logistic regression on the cpu backend) — the identity
 * bias + Σ contributions = the model's raw prediction (logit for logistic and boosting,
 * P(positive) for the tree and the forest) on every row.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyFamily } from '../../contracts/classify-api';
import { fitClassifier } from '../classify/models';
import { Rng } from '../random';
import type { Matrix } from '../matrix';
import {
  columnMeans,
  groupContributions,
  linearContributions,
  probabilityOf,
  rawOf,
  reasonText,
  topReasons,
} from './contributions';

function data(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const p = 4;
  const X = new Float64Array(n * p);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const level = rng.randint(2);
    X[i * p] = a;
    X[i * p + 1] = b;
    // A one-hot pair of one category.
    X[i * p + 2] = level === 0 ? 1 : 0;
    X[i * p + 3] = level === 1 ? 1 : 0;
    y[i] = 1.5 * a - b + (level === 1 ? 0.8 : 0) + 0.5 * rng.normal() > 0.3 ? 1 : 0;
  }
  return { X: { data: X, nRows: n, nCols: p }, y };
}

const ctx = () => ({
  token: { cancelled: false, throwIfCancelled: () => undefined },
  pause: async () => undefined,
  seed: 0,
});

describe('contributions', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes coef × (x − mean) with the bias at the means, and groups encoded columns', () => {
    const X: Matrix = { data: Float64Array.of(1, 0, 1, 3, 1, 0), nRows: 2, nCols: 3 };
    const means = columnMeans(X);
    expect(Array.from(means)).toEqual([2, 0.5, 0.5]);
    const c = linearContributions(X, [0.5, -1, 2], 0.25, means);
    // bias = 0.25 + 0.5·2 − 1·0.5 + 2·0.5 = 1.75
    expect(c.bias).toBeCloseTo(1.75, 12);
    expect(Array.from(c.values)).toEqual([-0.5, 0.5, 1, 0.5, -0.5, -1]);
    expect(rawOf(c, 0)).toBeCloseTo(0.25 + 0.5 + 2, 12);
    const g = groupContributions(c, [0, 1, 1], 2);
    expect(Array.from(g.values)).toEqual([-0.5, 1.5, 0.5, -1.5]);
    expect(rawOf(g, 1)).toBeCloseTo(rawOf(c, 1), 12);
    expect(probabilityOf(0, 'log-odds')).toBe(0.5);
    expect(probabilityOf(0.3, 'probability')).toBe(0.3);
  });

  it('ranks reasons by |contribution| and writes them as "Feature (+0.42)"', () => {
    const c = {
      bias: 0,
      values: Float64Array.of(0.42, -1.234, 0, 0.1),
      nRows: 1,
      nCols: 4,
      units: 'log-odds' as const,
    };
    const reasons = topReasons(c, 0, ['Recency', 'Frequency', 'Zero', 'Spend']);
    expect(reasons.map((r) => r.feature)).toEqual(['Frequency', 'Recency', 'Spend']);
    expect(reasons.map((r) => reasonText(r, 'log-odds'))).toEqual([
      'Frequency (-1.23)',
      'Recency (+0.42)',
      'Spend (+0.10)',
    ]);
    expect(reasonText({ feature: 'P', contribution: 0.0421 }, 'probability')).toBe('P (+0.042)');
    expect(topReasons(c, 0, ['a', 'b', 'c', 'd'], 1)).toHaveLength(1);
  });

  const families: ClassifyFamily[] = ['logistic', 'tree', 'forest', 'boosting'];
  for (const family of families) {
    it(`${family}: bias + Σ contributions = the raw prediction on every row`, async () => {
      const { X, y } = data(300, 1);
      const test = data(60, 2).X;
      const before = tf.memory().numTensors;
      const model = await fitClassifier(family, X, y, family === 'forest' ? { nEstimators: 20 } : {}, ctx());
      try {
        const means = columnMeans(X);
        const c = (await model.contributions(test, means))!;
        expect(c).not.toBeNull();
        expect(c.units).toBe(family === 'tree' || family === 'forest' ? 'probability' : 'log-odds');
        const p = await model.predict(test);
        // TF.js predicts in float32; the TypeScript trees add up in float64.
        const digits = family === 'logistic' ? 4 : 10;
        for (let i = 0; i < test.nRows; i++) {
          const raw = rawOf(c, i);
          const expected = c.units === 'log-odds' ? Math.log(p[i]! / (1 - p[i]!)) : p[i]!;
          // A float32 probability near 0 or 1 pins its logit down only loosely: compare there in probabilities.
          if (family !== 'logistic' || (p[i]! > 0.01 && p[i]! < 0.99)) expect(raw).toBeCloseTo(expected, digits);
          expect(probabilityOf(raw, c.units)).toBeCloseTo(p[i]!, family === 'logistic' ? 5 : 10);
        }
        // The strongest signal (column 0) gets the largest contributions on average.
        const meanAbs = [0, 1, 2, 3].map((j) => {
          let s = 0;
          for (let i = 0; i < test.nRows; i++) s += Math.abs(c.values[i * 4 + j]!);
          return s;
        });
        expect(meanAbs[0]).toBe(Math.max(...meanAbs));
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('has no per-row explanation for naive Bayes (null, not a made-up one)', async () => {
    const { X, y } = data(100, 3);
    const model = await fitClassifier('naive_bayes', X, y, {}, ctx());
    expect(await model.contributions(X, columnMeans(X))).toBeNull();
  });
});

/** Splits, cross-validation, search, baselines and permutation importance on small synthetic data. */
import { describe, expect, it } from 'vitest';
import { matrix } from '../matrix';
import { Rng } from '../random';
import { rocAuc } from '../metrics';
import { DecisionTreeClassifier } from '../tree';
import {
  DummyClassifier,
  DummyRegressor,
  crossValidate,
  gridPoints,
  gridSearch,
  kFold,
  permutationImportance,
  randomPoints,
  randomSearch,
  stratifiedKFold,
  stratifiedSplit,
  trainTestSplit,
} from './index';

function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const p = 4;
  const X = new Float64Array(n * p);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X[i * p + j] = rng.normal();
    // Only feature 0 (and a little of 1) carries signal; about 30 % positives.
    y[i] = X[i * p]! + 0.3 * X[i * p + 1]! + 0.5 * rng.normal() > 0.6 ? 1 : 0;
  }
  return { X: matrix(X, n, p), y };
}

describe('splits', () => {
  const { y } = data(503, 1);
  const pos = y.reduce((a, b) => a + b, 0);

  it('stratified split keeps class proportions and covers every row once', () => {
    const s = stratifiedSplit(y, 0.2, 7);
    expect(s.test.length).toBe(Math.ceil(503 * 0.2));
    expect(new Set([...s.train, ...s.test]).size).toBe(503);
    const testPos = Array.from(s.test).filter((i) => y[i] === 1).length;
    expect(Math.abs(testPos - (pos * s.test.length) / 503)).toBeLessThanOrEqual(1);
    expect(Array.from(stratifiedSplit(y, 0.2, 7).test)).toEqual(Array.from(s.test));
    expect(Array.from(stratifiedSplit(y, 0.2, 8).test)).not.toEqual(Array.from(s.test));
  });

  it('k-fold and stratified k-fold partition the rows; folds differ by at most one row per class', () => {
    for (const folds of [kFold(503, 5, 0), stratifiedKFold(y, 5, 0)]) {
      expect(folds).toHaveLength(5);
      const all = folds.flatMap((f) => Array.from(f.test));
      expect(new Set(all).size).toBe(503);
      expect(all).toHaveLength(503);
      for (const f of folds) expect(f.train.length + f.test.length).toBe(503);
    }
    const counts = stratifiedKFold(y, 5, 0).map((f) => Array.from(f.test).filter((i) => y[i] === 1).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(trainTestSplit(10, 3, 0).test).toHaveLength(3);
  });
});

describe('cross-validation and search', () => {
  const { X, y } = data(600, 2);

  it('cross-validates with mean ± std, timings and out-of-fold predictions', () => {
    const r = crossValidate(() => new DecisionTreeClassifier({ maxDepth: 3 }), X, y, {
      k: 4,
      metrics: { auc: rocAuc },
    });
    expect(r.folds).toHaveLength(4);
    expect(r.mean.auc).toBeGreaterThan(0.8);
    expect(r.std.auc).toBeGreaterThanOrEqual(0);
    expect(r.fitMs).toBeGreaterThanOrEqual(0);
    expect(r.oof.every((v) => !Number.isNaN(v))).toBe(true);
    const dummy = crossValidate(() => new DummyClassifier(), X, y, { k: 4, metrics: { auc: rocAuc } });
    expect(dummy.mean.auc).toBe(0.5);
  });

  it('grid search ranks candidates on shared folds; random search is seeded', () => {
    expect(gridPoints({ a: [1, 2], b: ['x', 'y', 'z'] })).toHaveLength(6);
    const g = gridSearch((p) => new DecisionTreeClassifier(p), { maxDepth: [1, 3], minSamplesLeaf: [1, 20] }, X, y, {
      metric: rocAuc,
      k: 3,
    });
    expect(g.candidates).toHaveLength(4);
    expect(g.best.params.maxDepth).toBe(3);
    for (let i = 1; i < 4; i++) expect(g.candidates[i - 1]!.mean).toBeGreaterThanOrEqual(g.candidates[i]!.mean);
    const space = { maxDepth: { min: 1, max: 6, integer: true }, minSamplesLeaf: [1, 5, 10] };
    expect(randomPoints(space, 5, 3)).toEqual(randomPoints(space, 5, 3));
    for (const p of randomPoints(space, 50, 1)) expect([1, 2, 3, 4, 5, 6]).toContain(p.maxDepth);
    const r = randomSearch((p) => new DecisionTreeClassifier(p), space, 3, X, y, { metric: rocAuc, k: 3, seed: 3 });
    expect(r.candidates).toHaveLength(3);
  });
});

describe('baselines and permutation importance', () => {
  const { X, y } = data(400, 3);

  it('the prior and mean baselines', () => {
    const d = new DummyClassifier().fit(X, y);
    const rate = y.reduce((a, b) => a + b, 0) / y.length;
    expect(d.predictProba(X)[0]).toBeCloseTo(rate, 12);
    expect(DummyClassifier.load(d.toJSON()).predictProba(X)[5]).toBe(d.predictProba(X)[5]);
    expect(new DummyRegressor().fit(X, [1, 2, 3, 6].concat(new Array(396).fill(0))).predict(X)[0]).toBeCloseTo(
      0.03,
      12,
    );
  });

  it('permutation importance credits the informative feature', () => {
    const m = new DecisionTreeClassifier({ maxDepth: 4 }).fit(X, y);
    const pi = permutationImportance(m, X, y, rocAuc, { nRepeats: 3, seed: 1 });
    expect(pi.baseline).toBeGreaterThan(0.85);
    expect(pi.mean[0]!).toBeGreaterThan(0.2);
    expect(pi.mean[0]!).toBeGreaterThan(pi.mean[2]! + 0.1);
    expect(pi.drops).toHaveLength(4 * 3);
  });
});

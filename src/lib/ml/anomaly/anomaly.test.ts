/**
 * Isolation forest and robust z-scores on synthetic Gaussian data with planted outliers.
 * c(n) and score_samples are checked against iforest.reference.json, produced by
 * `/usr/bin/python3 docs/reference/insights_reference.py` (sklearn 1.2.1 `_average_path_length`,
 * and a 10-tree IsolationForest whose fitted trees are exported and evaluated here).
 */
import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../segment/matrix';
import { createRng } from '../segment/prng';
import reference from './iforest.reference.json';
import {
  anomalyScores,
  averagePathLength,
  fitIsolationForest,
  meanPathLengths,
  pathAttribution,
  scoreSamples,
  treePathLength,
} from './isolation-forest';
import { explainRow, fitRobustScale, median, robustZScores } from './robust';

const rng = createRng(123);
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const N = 500;
const D = 4;
const PLANTED = [17, 99, 250, 333, 401, 488];
const rows = Array.from({ length: N }, () => Array.from({ length: D }, gauss));
// Each planted outlier is extreme in one feature only: feature = position % D.
PLANTED.forEach((r, p) => (rows[r]![p % D] = p % 2 ? -9 : 9));
const x = matrixFromRows(rows);

describe('isolation forest', () => {
  const forest = fitIsolationForest(x, { seed: 8 });

  it('uses ψ = 256 and depth limit ceil(log2 ψ) = 8', () => {
    expect(forest.maxSamples).toBe(256);
    expect(forest.trees).toHaveLength(100);
    for (const t of forest.trees) expect(t.size[0]).toBe(256);
    const maxH = Math.max(...Array.from({ length: N }, (_, i) => treePathLength(forest.trees[0]!, x, i)));
    expect(maxH).toBeLessThanOrEqual(8 + averagePathLength(256));
  });

  it('c(n) matches sklearn’s _average_path_length', () => {
    reference.n.forEach((n, i) => expect(averagePathLength(n)).toBeCloseTo(reference.c[i]!, 12));
  });

  it('ranks the planted outliers in the top 2% (AUC ≥ 0.99)', () => {
    // Single-feature outliers are hard for axis-parallel cuts: sklearn on the same design
    // (numpy seeds 0–2) also scores them only 0.58–0.70 and sometimes ranks a natural 3σ row
    // above one, so we assert the top 2% and the AUC rather than an exact top 6.
    const s = anomalyScores(forest, x);
    const top = Array.from(s.keys())
      .sort((a, b) => s[b]! - s[a]!)
      .slice(0, N / 50);
    for (const r of PLANTED) expect(top).toContain(r);
    const inliers = Array.from(s).filter((_, i) => !PLANTED.includes(i));
    let wins = 0;
    for (const r of PLANTED) for (const v of inliers) wins += s[r]! > v ? 1 : 0;
    expect(wins / (PLANTED.length * inliers.length)).toBeGreaterThanOrEqual(0.99);
    for (const r of PLANTED) expect(s[r]).toBeGreaterThan(0.55);
    expect(median(s)).toBeLessThan(0.5);
  });

  it('score_samples is −2^(−E[h]/c(ψ)), with E[h] the mean tree path length', () => {
    const h = meanPathLengths(forest, x);
    const ss = scoreSamples(forest, x);
    const manual = forest.trees.reduce((acc, t) => acc + treePathLength(t, x, 5), 0) / forest.trees.length;
    expect(h[5]).toBeCloseTo(manual, 12);
    expect(ss[5]).toBeCloseTo(-Math.pow(2, -manual / averagePathLength(256)), 12);
  });

  it('score_samples equals sklearn’s on sklearn’s own trees (loaded verbatim)', () => {
    const ref = reference.forest;
    const fx = matrixFromRows(ref.X);
    const loaded = {
      maxSamples: ref.max_samples,
      nFeatures: fx.nCols,
      trees: ref.trees.map((t) => ({
        feature: Int32Array.from(t.feature),
        threshold: Float64Array.from(t.threshold),
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        size: Int32Array.from(t.size),
      })),
    };
    const ours = scoreSamples(loaded, fx);
    ref.score_samples.forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 12));
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = anomalyScores(fitIsolationForest(x, { seed: 1, nEstimators: 20 }), x);
    const b = anomalyScores(fitIsolationForest(x, { seed: 1, nEstimators: 20 }), x);
    const c = anomalyScores(fitIsolationForest(x, { seed: 2, nEstimators: 20 }), x);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('handles tiny and constant inputs', () => {
    const f = fitIsolationForest(matrixFromRows([[1], [1], [1]]), { nEstimators: 3 });
    expect(f.maxSamples).toBe(3);
    // No split is possible, so h = c(3) and s = 2^(-1).
    expect(anomalyScores(f, matrixFromRows([[1]]))[0]).toBeCloseTo(0.5, 12);
  });

  it('path attribution credits the planted feature', () => {
    PLANTED.forEach((r, p) => {
      const a = pathAttribution(forest, x, r);
      expect(Array.from(a).indexOf(Math.max(...a))).toBe(p % D);
      expect(a.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    });
  });
});

describe('robust z-scores and explanations', () => {
  it('uses median and 1.4826·MAD', () => {
    const m = matrixFromRows([[1], [2], [3], [4], [100]]);
    const f = fitRobustScale(m);
    expect(f.median[0]).toBe(3);
    expect(f.scale[0]).toBeCloseTo(1.4826 * 1, 3);
    expect(robustZScores(m, f).data[4]).toBeCloseTo(97 / 1.482602218505602, 9);
  });
  it('falls back to the mean absolute deviation when MAD is 0, and ±Infinity when constant', () => {
    const m = matrixFromRows([
      [0, 5],
      [0, 5],
      [0, 5],
      [0, 5],
      [10, 5],
    ]);
    const f = fitRobustScale(m);
    expect(f.scale[0]).toBeCloseTo(1.2533141373155003 * 2, 12);
    expect(f.scale[1]).toBe(0);
    const z = robustZScores(matrixFromRows([[0, 6]]), f);
    expect(Array.from(z.data)).toEqual([0, Infinity]);
  });
  it('ignores NaN in the median', () => {
    expect(median([NaN, 1, 3])).toBe(2);
  });
  it('explains each planted outlier by its planted feature', () => {
    const fitted = fitRobustScale(x);
    const names = ['orders', 'revenue', 'discount', 'returns'];
    PLANTED.forEach((r, p) => {
      const why = explainRow(x, r, { fitted, names });
      expect(why[0]).toMatchObject({ feature: p % D, name: names[p % D], value: p % 2 ? -9 : 9 });
      expect(Math.abs(why[0]!.z)).toBeGreaterThan(6);
    });
    // A typical row has few or no reasons at |z| ≥ 3.
    expect(explainRow(x, 0, { fitted, minAbsZ: 3 })).toEqual([]);
  });
});

/**
 * k-means, silhouette and PCA against scikit-learn. The reference (kmeans.reference.json) was
 * produced by `/usr/bin/python3 docs/reference/insights_reference.py` with Debian's
 * scikit-learn 1.2.1: sklearn's RNG cannot be reproduced here, so it records sklearn's own
 * k-means++ initial centres, and we run our Lloyd iterations from them.
 */
import { describe, expect, it } from 'vitest';
import reference from './kmeans.reference.json';
import { elbow, inertia, kmeans, kmeansPlusPlus, lloyd } from './kmeans';
import { matrixFromRows, standardize } from './matrix';
import { pca, symmetricEigen } from './pca';
import { segmentProfiles, suggestAction } from './profile';
import { createRng } from './prng';
import { silhouetteSamples, silhouetteScore } from './silhouette';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('k-means against scikit-learn', () => {
  for (const c of reference.cases) {
    describe(c.name, () => {
      const x = matrixFromRows(c.X);
      const fit = lloyd(x, matrixFromRows(c.init));

      it('Lloyd from sklearn’s initial centres reproduces labels, centres, inertia and n_iter', () => {
        expect(Array.from(fit.labels)).toEqual(c.labels);
        expect(rel(fit.inertia, c.inertia)).toBeLessThan(1e-6);
        expect(fit.nIter).toBe(c.n_iter);
        c.centers.flat().forEach((v, i) => expect(fit.centers.data[i]).toBeCloseTo(v, 9));
      });

      it('k-means++ fed sklearn’s random draws picks sklearn’s initial centres', () => {
        // Replays RandomState: randint(n) first (as a uniform that floors to it), then the uniforms.
        const queue = [(c.pp_first + 0.5) / x.nRows, ...c.pp_uniforms.flat()];
        const replay = (): number => {
          const v = queue.shift();
          if (v === undefined) throw new Error('k-means++ drew more numbers than sklearn');
          return v;
        };
        const init = kmeansPlusPlus(x, c.k, replay);
        expect(queue).toHaveLength(0);
        c.init.flat().forEach((v, i) => expect(init.data[i]).toBe(v));
      });

      it('inertia() and silhouette on sklearn’s labels match within 1e-6 relative', () => {
        const labels = Int32Array.from(c.labels);
        expect(rel(inertia(x, matrixFromRows(c.centers), labels), c.inertia)).toBeLessThan(1e-6);
        expect(rel(silhouetteScore(x, labels), c.silhouette)).toBeLessThan(1e-6);
        const s = silhouetteSamples(x, labels);
        c.silhouette_samples.forEach((v, i) => expect(Math.abs(s[i]! - v)).toBeLessThan(1e-9));
      });

      it('our seeded k-means++ (n_init=10) is within 1% of sklearn’s best-of-10 inertia', () => {
        const ours = kmeans(x, c.k, { nInit: 10, seed: 42 });
        expect(ours.inertia).toBeLessThanOrEqual(c.best_of_10_inertia * 1.01);
      });
    });
  }

  it('k-means++ is deterministic for a seed and picks k distinct data rows', () => {
    const x = matrixFromRows(reference.cases[0]!.X);
    const a = kmeansPlusPlus(x, 4, createRng(5));
    const b = kmeansPlusPlus(x, 4, createRng(5));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const rows = new Set<string>();
    for (let c = 0; c < 4; c++) rows.add(Array.from(a.data.subarray(c * 3, c * 3 + 3)).join(','));
    expect(rows.size).toBe(4);
  });

  it('relocates an empty cluster instead of returning NaN centres', () => {
    const x = matrixFromRows([[0], [0.1], [10], [10.1]]);
    const res = lloyd(x, matrixFromRows([[0], [5000], [10]]));
    expect(Array.from(res.centers.data).every(Number.isFinite)).toBe(true);
    expect(new Set(res.labels).size).toBe(3);
  });

  it('elbow suggests the planted k = 4', () => {
    const x = matrixFromRows(reference.cases[0]!.X);
    const { points, suggestedK } = elbow(x, 1, 8, { nInit: 3, seed: 1 });
    expect(points.map((p) => p.k)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(points.every((p, i) => i === 0 || p.inertia <= points[i - 1]!.inertia + 1e-9)).toBe(true);
    expect(suggestedK).toBe(4);
  });
});

describe('silhouette edge cases', () => {
  it('gives 0 to singleton clusters, as sklearn does', () => {
    const x = matrixFromRows([[0], [1], [10]]);
    const s = silhouetteSamples(x, Int32Array.from([0, 0, 1]));
    expect(s[2]).toBe(0);
    // Row 1: a = 1 (to row 0), b = 9 (to row 2) → (9 − 1) / 9.
    expect(s[1]).toBeCloseTo(8 / 9, 12);
  });
  it('sampled score is seeded and close to the full score', () => {
    const c = reference.cases[0]!;
    const x = matrixFromRows(c.X);
    const labels = Int32Array.from(c.labels);
    const a = silhouetteScore(x, labels, { sampleSize: 150, seed: 3 });
    expect(a).toBe(silhouetteScore(x, labels, { sampleSize: 150, seed: 3 }));
    expect(Math.abs(a - c.silhouette)).toBeLessThan(0.05);
  });
});

describe('PCA against scikit-learn', () => {
  const p = reference.pca;
  const x = matrixFromRows(p.X);
  const res = pca(x, 2);
  it('explained variance (ratio) matches within 1e-9 relative', () => {
    p.explained_variance.forEach((v, i) => expect(rel(res.explainedVariance[i]!, v)).toBeLessThan(1e-9));
    p.explained_variance_ratio.forEach((v, i) => expect(rel(res.explainedVarianceRatio[i]!, v)).toBeLessThan(1e-9));
  });
  it('components and projection match up to each component’s sign', () => {
    for (let r = 0; r < 2; r++) {
      const ref = p.components[r]!;
      const ours = Array.from(res.components.data.subarray(r * 4, r * 4 + 4));
      const sign = Math.sign(ours.reduce((s, v, j) => s + v * ref[j]!, 0));
      ours.forEach((v, j) => expect(sign * v).toBeCloseTo(ref[j]!, 9));
      p.projection.forEach((row, i) => expect(sign * res.projection.data[i * 2 + r]!).toBeCloseTo(row[r]!, 8));
    }
  });
  it('makes each component’s largest |loading| positive', () => {
    for (let r = 0; r < 2; r++) {
      const comp = Array.from(res.components.data.subarray(r * 4, r * 4 + 4));
      const big = comp.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
      expect(big).toBeGreaterThan(0);
    }
  });
  it('symmetricEigen diagonalises a known matrix', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
  });
});

describe('profiles and actions', () => {
  it('computes size, share and means per segment', () => {
    const x = matrixFromRows([
      [10, 1],
      [20, 3],
      [100, 5],
    ]);
    const prof = segmentProfiles(x, Int32Array.from([0, 0, 1]), ['recency', 'frequency']);
    expect(prof).toEqual([
      { segment: 0, size: 2, share: 2 / 3, means: { recency: 15, frequency: 2 } },
      { segment: 1, size: 1, share: 1 / 3, means: { recency: 100, frequency: 5 } },
    ]);
  });
  it('maps RFM profiles to action codes', () => {
    const overall = { recency: 60, frequency: 4, monetary: 400 };
    expect(suggestAction({ recency: 10, frequency: 10, monetary: 1000 }, overall)).toBe('reward_champions');
    expect(suggestAction({ recency: 200, frequency: 6, monetary: 500 }, overall)).toBe('win_back_valuable');
    expect(suggestAction({ recency: 200, frequency: 1, monetary: 50 }, overall)).toBe('reactivate_or_let_go');
    expect(suggestAction({ recency: 20, frequency: 1, monetary: 80 }, overall)).toBe('nurture_new');
    expect(suggestAction({ recency: 60, frequency: 6, monetary: 400 }, overall)).toBe('loyalty_program');
    expect(suggestAction({ recency: 60, frequency: 3, monetary: 900 }, overall)).toBe('upsell_cross_sell');
    expect(suggestAction(overall, overall)).toBe('maintain');
  });
  it('standardize maps constant columns to 0', () => {
    const { matrix } = standardize(
      matrixFromRows([
        [1, 5],
        [3, 5],
      ]),
    );
    expect(Array.from(matrix.data)).toEqual([-1, 0, 1, 0]);
  });
});

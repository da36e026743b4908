/**
 * PCA via the eigen-decomposition of the (n−1)-normalised covariance matrix, using cyclic
 * Jacobi rotations (exact and robust for the small symmetric d × d matrices we see, unlike
 * power iteration when eigenvalues are close).
 *
 * Sign convention: each component is flipped so that its loading with the largest absolute
 * value is positive. (sklearn flips by the scores instead, so its signs may differ; the
 * magnitudes and explained variances agree.)
 */
import { type Matrix, columnMeans } from './matrix';

/** A fitted PCA: `components` is nComponents × nCols (rows are unit loading vectors). */
export interface PcaResult {
  mean: Float64Array;
  components: Matrix;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  /** Scores: nRows × nComponents projection of the centred data. */
  projection: Matrix;
}

/** Eigen-decomposition of a symmetric matrix (row-major d × d); eigenvalues sorted descending. */
export function symmetricEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Matrix } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * d + q]! - m[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < d; r++) {
          const arp = m[r * d + p]!;
          const arq = m[r * d + q]!;
          m[r * d + p] = c * arp - s * arq;
          m[r * d + q] = s * arp + c * arq;
        }
        for (let r = 0; r < d; r++) {
          const apr = m[p * d + r]!;
          const aqr = m[q * d + r]!;
          m[p * d + r] = c * apr - s * aqr;
          m[q * d + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p]!;
          const vrq = v[r * d + q]!;
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j]! - m[i * d + i]!);
  const values = Float64Array.from(order, (i) => m[i * d + i]!);
  // Rows of `vectors` are eigenvectors (columns of v), in descending eigenvalue order.
  const vectors = new Float64Array(d * d);
  order.forEach((col, r) => {
    for (let i = 0; i < d; i++) vectors[r * d + i] = v[i * d + col]!;
  });
  return { values, vectors: { data: vectors, nRows: d, nCols: d } };
}

/** Projects data onto its top `nComponents` principal axes (default 2). */
export function pca(x: Matrix, nComponents = 2): PcaResult {
  const { nRows: n, nCols: d } = x;
  const k = Math.min(nComponents, d);
  const mean = columnMeans(x);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      const va = x.data[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += va * (x.data[i * d + b]! - mean[b]!);
    }
  const denom = Math.max(1, n - 1);
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      cov[a * d + b]! /= denom;
      cov[b * d + a] = cov[a * d + b]!;
    }
  const { values, vectors } = symmetricEigen(cov, d);
  const comps = new Float64Array(k * d);
  for (let r = 0; r < k; r++) {
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors.data[r * d + j]!) > Math.abs(big)) big = vectors.data[r * d + j]!;
    const sign = big < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) comps[r * d + j] = sign * vectors.data[r * d + j]!;
  }
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  const explainedVariance = Float64Array.from(values.subarray(0, k), (v) => Math.max(0, v));
  const explainedVarianceRatio = Float64Array.from(explainedVariance, (v) => (total > 0 ? v / total : 0));
  const proj = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x.data[i * d + j]! - mean[j]!) * comps[r * d + j]!;
      proj[i * k + r] = s;
    }
  return {
    mean,
    components: { data: comps, nRows: k, nCols: d },
    explainedVariance,
    explainedVarianceRatio,
    projection: { data: proj, nRows: n, nCols: k },
  };
}

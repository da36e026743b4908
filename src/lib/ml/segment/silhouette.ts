/**
 * Silhouette coefficients with Euclidean distance, defined as in scikit-learn:
 * s(i) = (b − a) / max(a, b); rows in singleton clusters score 0. O(n²) time, O(n·k) memory —
 * pass `sampleSize` for large tables (sampling is seeded).
 */
import { type Matrix } from './matrix';
import { createRng, shuffleInPlace } from './prng';

/** Per-row silhouette values for the given labels (labels must be 0..k−1). */
export function silhouetteSamples(x: Matrix, labels: Int32Array): Float64Array {
  const { nRows: n, nCols: d } = x;
  let k = 0;
  for (const l of labels) k = Math.max(k, l + 1);
  const sizes = new Float64Array(k);
  for (const l of labels) sizes[l]!++;
  const out = new Float64Array(n);
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = x.data[i * d + c]! - x.data[j * d + c]!;
        s += diff * diff;
      }
      sums[labels[j]!]! += Math.sqrt(s);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    const m = Math.max(a, b);
    out[i] = m > 0 && Number.isFinite(b) ? (b - a) / m : 0;
  }
  return out;
}

/** Mean silhouette; with `sampleSize` < n, computed on a seeded random subset of rows. */
export function silhouetteScore(
  x: Matrix,
  labels: Int32Array,
  options: { sampleSize?: number; seed?: number } = {},
): number {
  let xs = x;
  let ls = labels;
  if (options.sampleSize !== undefined && options.sampleSize < x.nRows) {
    const idx = Int32Array.from({ length: x.nRows }, (_, i) => i);
    shuffleInPlace(idx, createRng(options.seed ?? 0));
    const pick = idx.subarray(0, options.sampleSize);
    const data = new Float64Array(pick.length * x.nCols);
    pick.forEach((r, i) => data.set(x.data.subarray(r * x.nCols, (r + 1) * x.nCols), i * x.nCols));
    xs = { data, nRows: pick.length, nCols: x.nCols };
    ls = Int32Array.from(pick, (r) => labels[r]!);
  }
  const s = silhouetteSamples(xs, ls);
  let t = 0;
  for (const v of s) t += v;
  return s.length ? t / s.length : 0;
}

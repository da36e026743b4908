/**
 * Dense-matrix helpers for the insights modules. The `Matrix` type is the shared one from
 * `src/lib/ml/matrix.ts`: row-major, element (i, j) at `data[i * nCols + j]`, Float64Array
 * (or Float32Array) with explicit `nRows`/`nCols` — plain data, cheap to post to a worker.
 * Everything created here is Float64.
 */
import type { Matrix } from '../matrix';

export type { Matrix } from '../matrix';

/** Builds a matrix from an array of equal-length rows. */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix & { data: Float64Array } {
  const nRows = rows.length;
  const nCols = nRows === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(nRows * nCols);
  rows.forEach((r, i) => {
    if (r.length !== nCols) throw new Error(`row ${i} has ${r.length} values, expected ${nCols}`);
    data.set(r, i * nCols);
  });
  return { data, nRows, nCols };
}

/** Returns row i as an array (copy). */
export function rowOf(m: Matrix, i: number): number[] {
  return Array.from(m.data.subarray(i * m.nCols, (i + 1) * m.nCols));
}

/** Squared Euclidean distance between row i of a and row j of b. */
export function sqDistRows(a: Matrix, i: number, b: Matrix, j: number): number {
  const d = a.nCols;
  const ao = i * d;
  const bo = j * d;
  let s = 0;
  for (let c = 0; c < d; c++) {
    const diff = a.data[ao + c]! - b.data[bo + c]!;
    s += diff * diff;
  }
  return s;
}

/** Column means. */
export function columnMeans(m: Matrix): Float64Array {
  const out = new Float64Array(m.nCols);
  for (let i = 0; i < m.nRows; i++) for (let j = 0; j < m.nCols; j++) out[j]! += m.data[i * m.nCols + j]!;
  for (let j = 0; j < m.nCols; j++) out[j]! /= Math.max(1, m.nRows);
  return out;
}

/**
 * Z-scores each column (population std, like sklearn's StandardScaler); constant columns
 * become 0 rather than NaN so one flat feature does not poison k-means.
 */
export function standardize(m: Matrix): { matrix: Matrix; mean: Float64Array; std: Float64Array } {
  const mean = columnMeans(m);
  const std = new Float64Array(m.nCols);
  const { nRows, nCols } = m;
  for (let i = 0; i < nRows; i++)
    for (let j = 0; j < nCols; j++) {
      const d = m.data[i * nCols + j]! - mean[j]!;
      std[j]! += d * d;
    }
  for (let j = 0; j < nCols; j++) std[j] = Math.sqrt(std[j]! / Math.max(1, nRows));
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++)
    for (let j = 0; j < nCols; j++) {
      const s = std[j]!;
      data[i * nCols + j] = s > 0 ? (m.data[i * nCols + j]! - mean[j]!) / s : 0;
    }
  return { matrix: { data, nRows, nCols }, mean, std };
}

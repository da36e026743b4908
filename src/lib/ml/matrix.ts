/**
 * Dense feature matrices for the pure-TypeScript models. Row-major: the value of row `i`,
 * column `j` is `data[i * nCols + j]`. Float64Array is the default; Float32Array is accepted
 * so that matrices handed over from TF.js or Arrow columns need no copy.
 */

/** A dense row-major matrix of `nRows × nCols` numbers; `NaN` marks a missing value. */
export interface Matrix {
  readonly data: Float64Array | Float32Array;
  readonly nRows: number;
  readonly nCols: number;
}

/** Labels or targets, one per row (class labels are integers `0..k-1`). */
export type Vector = ArrayLike<number>;

/** Wraps an existing row-major buffer as a matrix after checking its length. */
export function matrix(data: Float64Array | Float32Array, nRows: number, nCols: number): Matrix {
  if (data.length !== nRows * nCols) {
    throw new Error(`matrix: buffer has ${data.length} values, expected ${nRows}×${nCols}`);
  }
  return { data, nRows, nCols };
}

/** Builds a Float64 matrix from an array of equal-length rows. */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const nRows = rows.length;
  const nCols = nRows > 0 ? rows[0]!.length : 0;
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    const r = rows[i]!;
    if (r.length !== nCols) throw new Error(`fromRows: row ${i} has ${r.length} values, expected ${nCols}`);
    for (let j = 0; j < nCols; j++) data[i * nCols + j] = r[j]!;
  }
  return { data, nRows, nCols };
}

/** Reads value (row `i`, column `j`). */
export function at(X: Matrix, i: number, j: number): number {
  return X.data[i * X.nCols + j]!;
}

/** Copies the given rows (in the given order) into a new Float64 matrix. */
export function takeRows(X: Matrix, rows: ArrayLike<number>): Matrix {
  const { nCols } = X;
  const out = new Float64Array(rows.length * nCols);
  for (let k = 0; k < rows.length; k++) {
    const src = rows[k]! * nCols;
    // subarray+set is a memcpy; much faster than a per-value loop on wide matrices.
    out.set(X.data.subarray(src, src + nCols), k * nCols);
  }
  return { data: out, nRows: rows.length, nCols };
}

/** Picks the given entries of a vector into a new Float64Array. */
export function takeVector(v: Vector, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]!]!;
  return out;
}

/** Copies one column into a new Float64Array. */
export function column(X: Matrix, j: number): Float64Array {
  const out = new Float64Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) out[i] = X.data[i * X.nCols + j]!;
  return out;
}

/** Returns a copy of the matrix whose column `j` is replaced by `values`. */
export function withColumn(X: Matrix, j: number, values: ArrayLike<number>): Matrix {
  const data = Float64Array.from(X.data);
  for (let i = 0; i < X.nRows; i++) data[i * X.nCols + j] = values[i]!;
  return { data, nRows: X.nRows, nCols: X.nCols };
}

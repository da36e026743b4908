/**
 * TF-IDF as scikit-learn's TfidfVectorizer: idf = ln((1 + n) / (1 + df)) + 1 with smooth_idf
 * (ln(n / df) + 1 without), optional sublinear tf = 1 + ln(tf), rows L2-normalised. The
 * vocabulary is sorted (code-unit order), so columns line up with sklearn's for BMP text.
 */

/** Compressed sparse rows: row i's entries are `indices/data[indptr[i] .. indptr[i+1])`, columns ascending. */
export interface CsrMatrix {
  nRows: number;
  nCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** Vectoriser options (defaults as sklearn). */
export interface TfidfOptions {
  /** Drop terms in fewer than this many documents (default 1). */
  minDf?: number;
  /** Drop terms in more than this fraction of documents (default 1.0). */
  maxDfRatio?: number;
  /** Keep only the most frequent terms (by total count), default all. */
  maxFeatures?: number;
  /** tf → 1 + ln(tf) (default false). */
  sublinearTf?: boolean;
  /** Add one to document frequencies, as if an extra document held every term (default true). */
  smoothIdf?: boolean;
  /** 'l2' (default) or 'none'. */
  norm?: 'l2' | 'none';
}

/** A fitted vectoriser. */
export interface TfidfModel {
  terms: string[];
  index: Map<string, number>;
  idf: Float64Array;
  /** Documents containing each term in the fitting corpus. */
  df: Int32Array;
  sublinearTf: boolean;
  norm: 'l2' | 'none';
}

/** Learns vocabulary and idf from tokenised documents. */
export function fitTfidf(docs: readonly (readonly string[])[], options: TfidfOptions = {}): TfidfModel {
  const n = docs.length;
  const df = new Map<string, number>();
  const tf = new Map<string, number>();
  for (const d of docs) {
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const minDf = options.minDf ?? 1;
  const maxDf = (options.maxDfRatio ?? 1) * n;
  let terms = Array.from(df.keys()).filter((t) => df.get(t)! >= minDf && df.get(t)! <= maxDf);
  if (options.maxFeatures !== undefined && terms.length > options.maxFeatures) {
    terms = terms.sort((a, b) => tf.get(b)! - tf.get(a)! || (a < b ? -1 : 1)).slice(0, options.maxFeatures);
  }
  terms.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const smooth = (options.smoothIdf ?? true) ? 1 : 0;
  const dfArr = Int32Array.from(terms, (t) => df.get(t)!);
  return {
    terms,
    index: new Map(terms.map((t, i) => [t, i])),
    idf: Float64Array.from(dfArr, (f) => Math.log((n + smooth) / (f + smooth)) + 1),
    df: dfArr,
    sublinearTf: options.sublinearTf ?? false,
    norm: options.norm ?? 'l2',
  };
}

/** Turns tokenised documents into a TF-IDF CSR matrix (unknown terms are ignored). */
export function transformTfidf(model: TfidfModel, docs: readonly (readonly string[])[]): CsrMatrix {
  const indptr = new Int32Array(docs.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  docs.forEach((d, r) => {
    const counts = new Map<number, number>();
    for (const t of d) {
      const j = model.index.get(t);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const cols = Array.from(counts.keys()).sort((a, b) => a - b);
    const vals = cols.map((j) => (model.sublinearTf ? 1 + Math.log(counts.get(j)!) : counts.get(j)!) * model.idf[j]!);
    if (model.norm === 'l2') {
      const norm = Math.sqrt(vals.reduce((s, v) => s + v * v, 0));
      if (norm > 0) for (let k = 0; k < vals.length; k++) vals[k]! /= norm;
    }
    idx.push(...cols);
    val.push(...vals);
    indptr[r + 1] = idx.length;
  });
  return {
    nRows: docs.length,
    nCols: model.terms.length,
    indptr,
    indices: Int32Array.from(idx),
    data: Float64Array.from(val),
  };
}

/** Row i of a CSR matrix as a dense array (for tests and small displays). */
export function csrRowDense(m: CsrMatrix, i: number): Float64Array {
  const out = new Float64Array(m.nCols);
  for (let k = m.indptr[i]!; k < m.indptr[i + 1]!; k++) out[m.indices[k]!] = m.data[k]!;
  return out;
}

/** Subset of rows (in the given order). */
export function csrSelectRows(m: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  for (let r = 0; r < rows.length; r++) {
    nnz += m.indptr[rows[r]! + 1]! - m.indptr[rows[r]!]!;
    indptr[r + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  for (let r = 0; r < rows.length; r++) {
    const a = m.indptr[rows[r]!]!;
    const b = m.indptr[rows[r]! + 1]!;
    indices.set(m.indices.subarray(a, b), indptr[r]!);
    data.set(m.data.subarray(a, b), indptr[r]!);
  }
  return { nRows: rows.length, nCols: m.nCols, indptr, indices, data };
}

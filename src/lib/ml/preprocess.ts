/**
 * Automatic preprocessing for raw tables, fitted on training rows only: numbers (and booleans
 * as 0/1) get their missing values imputed with the training median and are standardised with
 * the training mean and std; text columns are one-hot encoded over their `topK` most frequent
 * training values (everything else, missing included, is all zeros: "other"). Dates are not
 * features. `transformColumns` applies a fitted encoding to any rows, so a cross-validation fold,
 * the test part and a table scored later all see exactly what the training rows taught.
 */
import type { FrameColumn } from '../contracts/frame';
import type { PreprocessJson } from '../contracts/classify-api';
import type { Matrix } from './matrix';

export type FittedPreprocess = PreprocessJson;

/** Median of the non-missing values at `rows` (NaN when there are none). */
function medianOf(values: Float64Array, rows: ArrayLike<number>): number {
  const v: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const x = values[rows[k]!]!;
    if (!Number.isNaN(x)) v.push(x);
  }
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Learns the encoding from the training rows `rows` of `columns` (date columns are skipped).
 * A number column with no value at all on the training rows is dropped.
 */
export function fitPreprocess(columns: readonly FrameColumn[], rows: ArrayLike<number>, topK = 10): FittedPreprocess {
  const out: FittedPreprocess['columns'] = [];
  for (const column of columns) {
    if (column.kind === 'number') {
      const median = medianOf(column.values, rows);
      if (Number.isNaN(median)) continue;
      let sum = 0;
      for (let k = 0; k < rows.length; k++) {
        const x = column.values[rows[k]!]!;
        sum += Number.isNaN(x) ? median : x;
      }
      const mean = sum / rows.length;
      let ss = 0;
      for (let k = 0; k < rows.length; k++) {
        const x = column.values[rows[k]!]!;
        ss += ((Number.isNaN(x) ? median : x) - mean) ** 2;
      }
      const std = Math.sqrt(ss / rows.length);
      out.push({ name: column.name, kind: 'number', median, mean, std: std > 1e-12 ? std : 1 });
    } else if (column.kind === 'string') {
      const counts = new Map<string, number>();
      for (let k = 0; k < rows.length; k++) {
        const v = column.values[rows[k]!];
        if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const levels = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, Math.max(1, topK))
        .map(([level]) => level);
      if (levels.length > 0) out.push({ name: column.name, kind: 'category', levels });
    }
  }
  return { columns: out };
}

/** Names of the encoded columns, e.g. `amount`, `country=UK`. */
export function encodedNames(fitted: FittedPreprocess): string[] {
  return fitted.columns.flatMap((c) => (c.kind === 'number' ? [c.name] : c.levels.map((l) => `${c.name}=${l}`)));
}

/** For each encoded column, the index of the original feature (in `fitted.columns`) it came from. */
export function encodedGroups(fitted: FittedPreprocess): Int32Array {
  const groups: number[] = [];
  fitted.columns.forEach((c, g) => {
    const width = c.kind === 'number' ? 1 : c.levels.length;
    for (let j = 0; j < width; j++) groups.push(g);
  });
  return Int32Array.from(groups);
}

/**
 * Encodes the rows `rows` (default: every row) of `columns` with a fitted encoding; columns are
 * looked up by name (error `unknown_column` when one is missing or of another kind).
 */
export function transformColumns(
  fitted: FittedPreprocess,
  columns: readonly FrameColumn[],
  rows?: ArrayLike<number>,
): Matrix {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const nRows = rows ? rows.length : (columns[0]?.values.length ?? 0);
  const width = encodedNames(fitted).length;
  const data = new Float64Array(nRows * width);
  let offset = 0;
  for (const spec of fitted.columns) {
    const column = byName.get(spec.name);
    const wanted = spec.kind === 'number' ? 'number' : 'string';
    if (!column || column.kind !== wanted) {
      throw {
        code: 'unknown_column',
        message: `The model needs column "${spec.name}" (${wanted === 'number' ? 'numbers' : 'text'}).`,
        params: { column: spec.name },
      };
    }
    if (spec.kind === 'number') {
      const values = column.values as Float64Array;
      for (let k = 0; k < nRows; k++) {
        const x = values[rows ? rows[k]! : k]!;
        data[k * width + offset] = ((Number.isNaN(x) ? spec.median : x) - spec.mean) / spec.std;
      }
      offset += 1;
    } else {
      const values = column.values as (string | null)[];
      const index = new Map(spec.levels.map((l, j) => [l, j]));
      for (let k = 0; k < nRows; k++) {
        const v = values[rows ? rows[k]! : k];
        const j = v === null || v === undefined ? undefined : index.get(v);
        if (j !== undefined) data[k * width + offset + j] = 1;
      }
      offset += spec.levels.length;
    }
  }
  return { data, nRows, nCols: width };
}

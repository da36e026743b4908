/**
 * Frames: how table data travels between the data worker (DuckDB) and the ML worker
 * (TF.js and the TypeScript models), and how results come back as new tables.
 *
 * Why a port and not the UI thread: a feature matrix of 100,000 rows is megabytes, and every
 * hop through the page's thread costs a copy there and jank. The UI gives the two workers the
 * two ends of one MessageChannel once; the data worker exposes a `FrameSource` on its end
 * (Comlink), the ML worker wraps its end and pulls what a job needs, with the number buffers
 * transferred. The ML services are written against `FrameSource` only, so vitest runs them on
 * the real DuckDB engine in Node (`engineFrameSource`) with no worker at all.
 */
import type { ProgressCallback, ShopSightErrorInfo, TableInfo } from './data-api';
import type { Derivation } from './prepare-api';

export type { ShopSightErrorInfo };

/**
 * One column of a frame. Numbers (DuckDB numerics and booleans as 0/1) arrive as Float64 with
 * NaN for missing; dates and timestamps as epoch milliseconds (UTC), NaN for missing; anything
 * else as strings with null for missing.
 */
export type FrameColumn =
  | { name: string; kind: 'number'; values: Float64Array }
  | { name: string; kind: 'date'; values: Float64Array }
  | { name: string; kind: 'string'; values: (string | null)[] };

/** Columnar table data; every column has `nRows` values. */
export interface Frame {
  nRows: number;
  columns: FrameColumn[];
}

/** What to read: columns of a catalog table, optionally sampled or limited. */
export interface FrameRequest {
  table: string;
  /** Column names; each must exist (error `unknown_column` otherwise). Empty = all columns. */
  columns: string[];
  /** Reproducible random sample of at most this many rows (DuckDB reservoir, seeded). */
  sample?: { rows: number; seed: number };
  /** At most this many rows, in table order (after `sample`). */
  limit?: number;
}

/** A frame to store as a new (derived) table. */
export interface WriteFrameRequest {
  /** Target name; an existing derived table of that name is replaced, a loaded one never. */
  name: string;
  frame: Frame;
  derivation: Derivation;
}

/**
 * What the data worker offers the ML worker over the port. All methods reject with a
 * `ShopSightErrorInfo`.
 */
export interface FrameSource {
  /** The catalog entry (columns, kinds, roles) of a table. */
  describe(table: string): Promise<TableInfo>;
  readFrame(request: FrameRequest): Promise<Frame>;
  /** Writes a result table (into the catalog, with `derivation`); resolves to its entry. */
  writeFrame(request: WriteFrameRequest): Promise<TableInfo>;
}

/** A cancel flag a long ML job checks between batches, restarts or trees. */
export interface JobToken {
  readonly cancelled: boolean;
  /** Throws the `cancelled` error when the job was cancelled. */
  throwIfCancelled(): void;
}

/** Progress of an ML job: `done` of `total` in a phase, e.g. trees fitted, folds scored. */
export type AnalysisProgressCallback = ProgressCallback;

/** Helpers for frames: look a column up by name, with a clear error. */
export function frameColumn(frame: Frame, name: string): FrameColumn {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) throw { code: 'unknown_column', message: `No column "${name}".`, params: { column: name } };
  return column;
}

/** The buffers of a frame's numeric columns, for `Comlink.transfer`. */
export function frameTransferables(frame: Frame): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const column of frame.columns) {
    if (column.kind !== 'string' && column.values.buffer instanceof ArrayBuffer) buffers.push(column.values.buffer);
  }
  return buffers;
}

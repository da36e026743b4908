/**
 * Parquet to Arrow IPC with hyparquet, row group by row group.
 *
 * DuckDB-WASM's Parquet reader is an extension that would be downloaded at run time, which
 * ShopSight never allows, so Parquet is decoded in JavaScript and inserted as Arrow.
 * Types are kept: integers stay integers, dates become Arrow DateDay and timestamps Arrow
 * TimestampMicrosecond (microseconds are not rounded to milliseconds), nested values become JSON
 * text. 64-bit integers follow the BigInt policy of `../arrow.ts`: a column whose statistics show
 * values beyond ±2^53 becomes exact decimal text, because DuckDB-WASM returns BIGINT results as
 * doubles (`castBigIntToDouble`) and an order id of 2^60 must not be rounded.
 */
import { RecordBatchStreamWriter, type Table, type Vector } from 'apache-arrow';
import {
  parquetScan,
  parquetSchema,
  parquetMetadataAsync,
  type AsyncBuffer,
  type FileMetaData,
  type SchemaTree,
} from 'hyparquet';
import type { LoadWarning } from '../../contracts/data-api';
import type { CancelToken } from '../db';
import {
  boolVector,
  dateDayVector,
  float32Vector,
  float64Vector,
  int32Vector,
  int64Vector,
  tableFromColumns,
  timestampMicrosecondVector,
  utf8Vector,
} from '../arrow-build';
import { ShopSightError } from '../errors';

type ColumnKind =
  | 'int32'
  | 'int64'
  | 'bigint_text'
  | 'float32'
  | 'float64'
  | 'bool'
  | 'utf8'
  | 'date'
  | 'timestamp'
  | 'time_millis'
  | 'time_micros'
  | 'json'
  | 'hex';

interface ColumnPlan {
  name: string;
  kind: ColumnKind;
}

/** Progress and cancellation for Parquet reading. */
export interface ParquetOptions {
  token?: CancelToken;
  /** Progress in rows. */
  onProgress?(done: number, total: number): void;
  fileName?: string;
}

/** What a streamed Parquet file held. */
export interface ParquetSummary {
  rows: number;
  columns: string[];
  warnings: LoadWarning[];
}

/** Reads a whole Parquet file (bytes or a Blob) into one Arrow IPC stream. */
export async function readParquet(source: Uint8Array | Blob, opts: ParquetOptions = {}): Promise<Uint8Array> {
  const writer = new RecordBatchStreamWriter();
  let first: Table | undefined;
  await streamParquet(
    source,
    (table) => {
      // The writer silently closes when a batch's schema differs from the first one's; the only
      // way that can happen is a text column that needed LargeUtf8 (over 2 GiB) in one row group.
      if (first && !sameTypes(first, table)) throw tooLargeText(opts.fileName);
      first ??= table;
      for (const batch of table.batches) writer.write(batch);
    },
    opts,
  );
  if (first === undefined) throw noColumns(opts.fileName);
  writer.finish();
  return writer.toUint8Array(true);
}

/**
 * Calls `onTable` once per row group with an Arrow table of the same schema, so a large file
 * never has to be in memory as Arrow all at once.
 */
export async function streamParquet(
  source: Uint8Array | Blob,
  onTable: (table: Table) => void | Promise<void>,
  opts: ParquetOptions = {},
): Promise<ParquetSummary> {
  const file = asyncBuffer(source);
  const fileName = opts.fileName ?? 'The Parquet file';
  try {
    const metadata = await parquetMetadataAsync(file);
    const tree = parquetSchema(metadata);
    const plans = tree.children.map((child) => planColumn(child, metadata));
    if (plans.length === 0) throw noColumns(opts.fileName);
    const warnings: LoadWarning[] = [];
    const textIds = plans.filter((p) => p.kind === 'bigint_text').map((p) => p.name);
    if (textIds.length > 0) {
      warnings.push({
        code: 'bigint_as_text',
        message: `Column ${textIds.map((n) => `"${n}"`).join(', ')} holds whole numbers too large to show exactly, so ${textIds.length === 1 ? 'it was' : 'they were'} loaded as text.`,
        params: { columns: textIds.join(', ') },
      });
    }

    const scan = await parquetScan({ file, metadata, parsers: PARSERS, utf8: true });
    const total = Number(metadata.num_rows);
    let done = 0;
    let emitted = false;
    for (const range of scan.ranges) {
      if (opts.token?.cancelled) throw ShopSightError.cancelled();
      const length = range.rowEnd - range.rowStart;
      // Entries keep the file's column order (an object would list names such as "2024" first).
      const vectors: [string, Vector][] = [];
      for (const plan of plans) {
        const values = await scan.readColumn({ column: plan.name, rowStart: range.rowStart, rowEnd: range.rowEnd });
        vectors.push([plan.name, buildVector(plan.kind, values, length)]);
      }
      await onTable(tableFromColumns(vectors));
      emitted = true;
      done += length;
      opts.onProgress?.(done, total);
    }
    if (!emitted) {
      // A file with a schema but no rows still defines a (0-row) table.
      await onTable(tableFromColumns(plans.map((plan) => [plan.name, buildVector(plan.kind, [], 0)] as const)));
    }
    return { rows: done, columns: plans.map((p) => p.name), warnings };
  } catch (error) {
    if (error instanceof ShopSightError) throw error;
    throw parquetError(error, fileName);
  }
}

/** hyparquet reads lazily through slices, so a Blob is never loaded whole. */
function asyncBuffer(source: Uint8Array | Blob): AsyncBuffer {
  if (source instanceof Uint8Array) {
    const bytes = source;
    return {
      byteLength: bytes.byteLength,
      slice: (start, end) => bytes.slice(start, end).buffer as ArrayBuffer,
    };
  }
  return {
    byteLength: source.size,
    slice: (start, end) => source.slice(start, end).arrayBuffer(),
  };
}

/** Raw values for dates and timestamps: days as numbers, timestamps as BigInt microseconds. */
const PARSERS = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => ms * 1000n,
  timestampFromMicroseconds: (us: bigint) => us,
  timestampFromNanoseconds: (ns: bigint) => ns / 1000n,
};

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function planColumn(node: SchemaTree, metadata: FileMetaData): ColumnPlan {
  const el = node.element;
  const name = el.name;
  const ct = el.converted_type;
  const lt = el.logical_type;
  if (node.children.length > 0) return { name, kind: 'json' };
  if (ct === 'JSON' || lt?.type === 'JSON' || lt?.type === 'GEOMETRY' || lt?.type === 'GEOGRAPHY')
    return { name, kind: 'json' };
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL' || lt?.type === 'FLOAT16') return { name, kind: 'float64' };
  switch (el.type) {
    case 'BOOLEAN':
      return { name, kind: 'bool' };
    case 'INT32':
      if (ct === 'DATE' || lt?.type === 'DATE') return { name, kind: 'date' };
      if (ct === 'TIME_MILLIS' || lt?.type === 'TIME') return { name, kind: 'time_millis' };
      if (ct === 'UINT_32' || (lt?.type === 'INTEGER' && lt.bitWidth === 32 && !lt.isSigned))
        return { name, kind: 'int64' };
      return { name, kind: 'int32' };
    case 'INT64':
      if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt?.type === 'TIMESTAMP')
        return { name, kind: 'timestamp' };
      if (ct === 'TIME_MICROS' || (lt?.type === 'TIME' && lt.unit === 'MICROS')) return { name, kind: 'time_micros' };
      if (lt?.type === 'TIME') return { name, kind: 'utf8' }; // nanosecond times: rare, kept as their number
      return { name, kind: int64FitsDouble(name, metadata) ? 'int64' : 'bigint_text' };
    case 'INT96':
      return { name, kind: 'timestamp' };
    case 'FLOAT':
      return { name, kind: 'float32' };
    case 'DOUBLE':
      return { name, kind: 'float64' };
    case 'FIXED_LEN_BYTE_ARRAY':
      return { name, kind: lt?.type === 'UUID' || ct === 'UTF8' || lt?.type === 'STRING' ? 'utf8' : 'hex' };
    default:
      return { name, kind: 'utf8' };
  }
}

/** Row-group statistics decide up front, so every batch of a column has the same Arrow type. */
function int64FitsDouble(name: string, metadata: FileMetaData): boolean {
  for (const group of metadata.row_groups) {
    const chunk = group.columns.find(
      (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name,
    );
    const stats = chunk?.meta_data?.statistics;
    if (!stats) continue; // no statistics: BIGINT still stores every value exactly
    for (const v of [stats.min_value ?? stats.min, stats.max_value ?? stats.max]) {
      if (typeof v === 'bigint' && (v > SAFE || v < -SAFE)) return false;
    }
  }
  return true;
}

/**
 * Builds one Arrow vector from hyparquet's decoded values (typed array or array with nulls),
 * without apache-arrow's builders (see `../arrow-build.ts`: they need `new Function`, which the CSP forbids).
 */
function buildVector(kind: ColumnKind, values: ArrayLike<unknown>, length: number): Vector {
  switch (kind) {
    case 'int32':
      return int32Vector(numbers(values, length));
    case 'float32':
      return float32Vector(numbers(values, length));
    case 'float64':
      return float64Vector(numbers(values, length));
    case 'date':
      return dateDayVector(numbers(values, length));
    case 'int64':
      return int64Vector(
        values instanceof BigInt64Array && values.length === length ? values : mapValues(values, length, toBigInt),
      );
    case 'timestamp':
      return timestampMicrosecondVector(mapValues(values, length, toBigInt));
    case 'bool':
      return boolVector(mapValues(values, length, (v) => Boolean(v)));
    case 'time_millis':
      return utf8Vector(mapValues(values, length, (v) => timeText(Number(v) * 1000)));
    case 'time_micros':
      return utf8Vector(mapValues(values, length, (v) => timeText(Number(v))));
    case 'bigint_text':
      return utf8Vector(mapValues(values, length, (v) => String(v)));
    case 'json':
      return utf8Vector(mapValues(values, length, toJsonText));
    case 'hex':
      return utf8Vector(mapValues(values, length, toHex));
    case 'utf8':
      return utf8Vector(mapValues(values, length, (v) => (typeof v === 'string' ? v : toJsonText(v))));
  }
}

function mapValues<T>(values: ArrayLike<unknown>, length: number, fn: (v: unknown) => T): (T | null)[] {
  const out = new Array<T | null>(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? null : fn(v);
  }
  return out;
}

/** A column without nulls often arrives as a typed array of numbers, which the vector helpers take as is. */
function numbers(values: ArrayLike<unknown>, length: number): ArrayLike<number | null> {
  const typed =
    values instanceof Float64Array ||
    values instanceof Float32Array ||
    values instanceof Int32Array ||
    values instanceof Int16Array ||
    values instanceof Int8Array ||
    values instanceof Uint32Array ||
    values instanceof Uint16Array ||
    values instanceof Uint8Array;
  return typed && values.length === length ? values : mapValues(values, length, (v) => Number(v));
}

/** Times of day as `hh:mm:ss[.ffffff]` text; DuckDB casts that to TIME when asked. */
function timeText(micros: number): string {
  const totalSeconds = Math.floor(micros / 1_000_000);
  const fraction = micros - totalSeconds * 1_000_000;
  const hms = [Math.floor(totalSeconds / 3600), Math.floor((totalSeconds % 3600) / 60), totalSeconds % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return fraction > 0 ? `${hms}.${String(Math.round(fraction)).padStart(6, '0')}` : hms;
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
  return BigInt(Math.trunc(Number(v)));
}

function toJsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return Number.isSafeInteger(Number(x)) ? Number(x) : x.toString();
    if (x instanceof Uint8Array) return toHex(x);
    return x;
  });
}

function toHex(v: unknown): string {
  if (!(v instanceof Uint8Array)) return String(v);
  let s = '';
  for (const b of v) s += b.toString(16).padStart(2, '0');
  return s;
}

function sameTypes(a: Table, b: Table): boolean {
  const fa = a.schema.fields;
  const fb = b.schema.fields;
  return fa.length === fb.length && fa.every((f, i) => String(f.type) === String(fb[i]?.type));
}

function tooLargeText(fileName = 'The Parquet file'): ShopSightError {
  return new ShopSightError({
    code: 'parquet_unsupported',
    message: `${fileName} has a text column with more than 2 GiB in one row group, too much to read in the browser. Export it as CSV instead.`,
    params: { fileName },
  });
}

function noColumns(fileName?: string): ShopSightError {
  return new ShopSightError({
    code: 'no_columns',
    message: `${fileName ?? 'The Parquet file'} has no columns to load.`,
    params: { fileName: fileName ?? '' },
  });
}

function parquetError(error: unknown, fileName: string): ShopSightError {
  const message = error instanceof Error ? error.message : String(error);
  const codec = /unsupported compression codec:\s*(\w+)/.exec(message);
  if (codec) {
    return new ShopSightError({
      code: 'parquet_unsupported',
      message: `${fileName} is compressed with ${codec[1]}, which ShopSight cannot read yet. Save it again with Snappy compression (or none), or export it as CSV.`,
      params: { fileName, codec: codec[1]! },
    });
  }
  if (/bson|interval not supported|unsupported (encoding|type|page type)/i.test(message)) {
    return new ShopSightError({
      code: 'parquet_unsupported',
      message: `${fileName} uses a Parquet feature ShopSight cannot read (${message}). Export it as CSV instead.`,
      params: { fileName },
    });
  }
  return new ShopSightError({
    code: 'corrupt_parquet',
    message: `${fileName} could not be read as Parquet (${message}). It may be incomplete: export or download it again.`,
    params: { fileName },
  });
}

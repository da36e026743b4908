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
import {
  Bool,
  DateDay,
  Float32,
  Float64,
  Int32,
  Int64,
  RecordBatchStreamWriter,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
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
  let wrote = false;
  await streamParquet(
    source,
    (table) => {
      for (const batch of table.batches) writer.write(batch);
      wrote = true;
    },
    opts,
  );
  if (!wrote) throw noColumns(opts.fileName);
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
      const vectors: Record<string, Vector> = {};
      for (const plan of plans) {
        const values = await scan.readColumn({ column: plan.name, rowStart: range.rowStart, rowEnd: range.rowEnd });
        vectors[plan.name] = buildVector(plan.kind, values, length);
      }
      await onTable(new Table(vectors));
      emitted = true;
      done += length;
      opts.onProgress?.(done, total);
    }
    if (!emitted) {
      // A file with a schema but no rows still defines a (0-row) table.
      const vectors: Record<string, Vector> = {};
      for (const plan of plans) vectors[plan.name] = buildVector(plan.kind, [], 0);
      await onTable(new Table(vectors));
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

/** Builds one Arrow vector from hyparquet's decoded values (typed array or array with nulls). */
function buildVector(kind: ColumnKind, values: ArrayLike<unknown>, length: number): Vector {
  switch (kind) {
    case 'int32':
      return numeric(new Int32(), new Int32Array(length), values, length, (v) => Number(v));
    case 'float32':
      return numeric(new Float32(), new Float32Array(length), values, length, (v) => Number(v));
    case 'float64':
      return numeric(new Float64(), new Float64Array(length), values, length, (v) => Number(v));
    case 'date':
      return numeric(new DateDay(), new Int32Array(length), values, length, (v) => Number(v));
    case 'int64':
      return numeric(new Int64(), new BigInt64Array(length), values, length, toBigInt);
    case 'timestamp':
      return numeric(new TimestampMicrosecond(), new BigInt64Array(length), values, length, toBigInt);
    case 'bool':
      return vectorFromArray(
        mapValues(values, length, (v) => Boolean(v)),
        new Bool(),
      );
    case 'time_millis':
      return vectorFromArray(
        mapValues(values, length, (v) => timeText(Number(v) * 1000)),
        new Utf8(),
      );
    case 'time_micros':
      return vectorFromArray(
        mapValues(values, length, (v) => timeText(Number(v))),
        new Utf8(),
      );
    case 'bigint_text':
      return vectorFromArray(
        mapValues(values, length, (v) => String(v)),
        new Utf8(),
      );
    case 'json':
      return vectorFromArray(mapValues(values, length, toJsonText), new Utf8());
    case 'hex':
      return vectorFromArray(mapValues(values, length, toHex), new Utf8());
    case 'utf8':
      return vectorFromArray(
        mapValues(values, length, (v) => (typeof v === 'string' ? v : toJsonText(v))),
        new Utf8(),
      );
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

/** Fills a typed array and a validity bitmap directly; far faster than Arrow's generic builders. */
function numeric<T extends DataType, A extends Int32Array | Float32Array | Float64Array | BigInt64Array>(
  type: T,
  data: A,
  values: ArrayLike<unknown>,
  length: number,
  convert: (v: unknown) => A[number],
): Vector {
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nullCount++;
      continue;
    }
    data[i] = convert(v);
    bitmap[i >> 3]! |= 1 << (i & 7);
  }
  // makeData's overloads are per type; the generic DataProps form takes any type with its buffers.
  const props = { type, length, nullCount, data, ...(nullCount > 0 ? { nullBitmap: bitmap } : {}) };
  return makeVector(makeData(props as Parameters<typeof makeData>[0]));
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

/**
 * Arrow vectors and tables built directly from typed arrays, without apache-arrow's builders.
 *
 * Why this exists: ShopSight's Content-Security-Policy is `script-src 'self' 'wasm-unsafe-eval'`
 * (no 'unsafe-eval'), and it covers the data worker. apache-arrow's builders — behind
 * `vectorFromArray`, `makeBuilder`, `tableFromArrays`, `tableFromJSON` and `Builder.new` —
 * compile their null test with `new Function(...)` in `builder/valid.mjs#createIsValidFunction`
 * whenever `nullValues` is non-empty (the default is `[null, undefined]`), which the CSP turns
 * into an EvalError. Decoding (`tableFromIPC`) and encoding (`tableToIPC`, the IPC writers) never
 * generate code, so these helpers fill the buffers themselves and hand them to `makeData`.
 *
 * Layout follows the Arrow columnar format: the validity bitmap is LSB-first (row i is bit
 * `i & 7` of byte `i >> 3`, 1 = valid) and is omitted, with a null count of 0, when nothing is
 * null. Values under a null slot are left as zero. In apache-arrow 21 every Timestamp unit keeps
 * one signed 64-bit value per row in a `BigInt64Array` (`Timestamp_.ArrayType`; releases before
 * 9 used pairs of Int32 words), DateDay keeps Int32 days since the epoch, and Bool keeps its
 * values bit-packed like the validity bitmap.
 */
import {
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  LargeUtf8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  type Data,
  type Vector,
} from 'apache-arrow';

/** A value slot in the input arrays: `null` and `undefined` both mean a null row. */
export type Maybe<T> = T | null | undefined;

/** Largest byte offset a Utf8 column can address (its offsets are Int32); beyond it LargeUtf8 is used. */
export const MAX_UTF8_BYTES = 2 ** 31 - 1;

const MS_PER_DAY = 86_400_000;

interface Validity {
  nullCount: number;
  nullBitmap?: Uint8Array;
}

/**
 * Walks `values`, calls `put` for each non-null row and returns the validity: no bitmap and a
 * null count of 0 when every row is valid.
 */
function fill<V>(values: ArrayLike<Maybe<V>>, put: (index: number, value: V) => void): Validity {
  const length = values.length;
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nullCount++;
      continue;
    }
    put(i, v);
    bitmap[i >>> 3]! |= 1 << (i & 7);
  }
  return nullCount > 0 ? { nullCount, nullBitmap: bitmap } : { nullCount: 0 };
}

function int32(v: number, what: string): number {
  if ((v | 0) !== v) throw new RangeError(`${what} must be a whole number between -2^31 and 2^31-1, got ${v}.`);
  return v;
}

function int64(v: number | bigint, what: string): bigint {
  const b = typeof v === 'bigint' ? v : BigInt(v); // BigInt() throws a RangeError for fractions, NaN and ±Infinity
  if (BigInt.asIntN(64, b) !== b) throw new RangeError(`${what} ${b} does not fit in a signed 64-bit integer.`);
  return b;
}

function epochMs(d: Date): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date in a date or timestamp column.');
  return ms;
}

/** Float64 vector from numbers (NaN stays a value; null/undefined are null rows). */
export function float64Vector(values: ArrayLike<Maybe<number>>): Vector<Float64> {
  const data = new Float64Array(values.length);
  const validity = fill(values, (i, v) => (data[i] = v));
  return makeVector(makeData({ type: new Float64(), length: values.length, data, ...validity }));
}

/** Float32 vector from numbers (rounded to single precision, as Parquet FLOAT columns already are). */
export function float32Vector(values: ArrayLike<Maybe<number>>): Vector<Float32> {
  const data = new Float32Array(values.length);
  const validity = fill(values, (i, v) => (data[i] = v));
  return makeVector(makeData({ type: new Float32(), length: values.length, data, ...validity }));
}

/** Int32 vector from whole numbers; throws a RangeError for fractions or values outside the Int32 range. */
export function int32Vector(values: ArrayLike<Maybe<number>>): Vector<Int32> {
  const data = new Int32Array(values.length);
  const validity = fill(values, (i, v) => (data[i] = int32(v, 'An Int32 value')));
  return makeVector(makeData({ type: new Int32(), length: values.length, data, ...validity }));
}

/** Int64 vector (BigInt64Array) from whole numbers or bigints; throws a RangeError for fractions or overflow. */
export function int64Vector(values: ArrayLike<Maybe<number | bigint>>): Vector<Int64> {
  const data = new BigInt64Array(values.length);
  const validity = fill(values, (i, v) => (data[i] = int64(v, 'The Int64 value')));
  return makeVector(makeData({ type: new Int64(), length: values.length, data, ...validity }));
}

/** Bool vector with bit-packed values (LSB first, like the validity bitmap). */
export function boolVector(values: ArrayLike<Maybe<boolean>>): Vector<Bool> {
  const data = new Uint8Array(Math.ceil(values.length / 8));
  const validity = fill(values, (i, v) => {
    if (v) data[i >>> 3]! |= 1 << (i & 7);
  });
  return makeVector(makeData({ type: new Bool(), length: values.length, data, ...validity }));
}

/** DateDay vector from whole days since 1970-01-01 or from Dates (their UTC calendar day). */
export function dateDayVector(values: ArrayLike<Maybe<number | Date>>): Vector<DateDay> {
  const data = new Int32Array(values.length);
  const validity = fill(values, (i, v) => {
    data[i] = typeof v === 'number' ? int32(v, 'A day number') : Math.floor(epochMs(v) / MS_PER_DAY);
  });
  return makeVector(makeData({ type: new DateDay(), length: values.length, data, ...validity }));
}

/** Timestamp[ms] vector (no time zone) from epoch milliseconds (number or bigint) or Dates. */
export function timestampMillisecondVector(
  values: ArrayLike<Maybe<number | bigint | Date>>,
): Vector<TimestampMillisecond> {
  const data = new BigInt64Array(values.length);
  const validity = fill(values, (i, v) => {
    data[i] = int64(v instanceof Date ? epochMs(v) : v, 'The timestamp');
  });
  return makeVector(makeData({ type: new TimestampMillisecond(), length: values.length, data, ...validity }));
}

/** Timestamp[µs] vector (no time zone) from epoch microseconds (bigint or whole number) or Dates. */
export function timestampMicrosecondVector(
  values: ArrayLike<Maybe<number | bigint | Date>>,
): Vector<TimestampMicrosecond> {
  const data = new BigInt64Array(values.length);
  const validity = fill(values, (i, v) => {
    data[i] = v instanceof Date ? BigInt(epochMs(v)) * 1000n : int64(v, 'The timestamp');
  });
  return makeVector(makeData({ type: new TimestampMicrosecond(), length: values.length, data, ...validity }));
}

const encoder = new TextEncoder();

/**
 * Utf8 vector (one UTF-8 buffer plus Int32 offsets); switches to LargeUtf8 (BigInt64 offsets) past
 * `MAX_UTF8_BYTES` or when `large` is set. Lone surrogates become U+FFFD, as with TextEncoder.
 */
export function utf8Vector(
  values: ArrayLike<Maybe<string>>,
  options: { large?: boolean } = {},
): Vector<Utf8> | Vector<LargeUtf8> {
  const length = values.length;
  // Start with one byte per UTF-16 unit (exact for ASCII) and grow when a string needs more.
  let capacity = 0;
  for (let i = 0; i < length; i++) capacity += values[i]?.length ?? 0;
  let bytes = allocate(Math.max(capacity, 16), 0);
  let pos = 0;
  let offsets: Int32Array | BigInt64Array = options.large ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const s = values[i];
    if (s === null || s === undefined) {
      nullCount++;
    } else {
      let rest = s;
      for (;;) {
        const { read, written } = encoder.encodeInto(rest, bytes.subarray(pos));
        pos += written;
        if (read === rest.length) break;
        // encodeInto stops at a code point boundary, so the rest can be encoded on its own.
        rest = rest.slice(read);
        const grown = allocate(Math.max(bytes.length * 2, pos + rest.length * 3), pos);
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      bitmap[i >>> 3]! |= 1 << (i & 7);
    }
    // A null row repeats the previous offset (a zero-length slot).
    if (offsets instanceof Int32Array && pos > MAX_UTF8_BYTES) offsets = BigInt64Array.from(offsets, (o) => BigInt(o));
    if (offsets instanceof Int32Array) offsets[i + 1] = pos;
    else offsets[i + 1] = BigInt(pos);
  }
  const validity: Validity = nullCount > 0 ? { nullCount, nullBitmap: bitmap } : { nullCount: 0 };
  // Give back a large unused tail rather than keep it alive with the vector.
  const spare = bytes.length - pos;
  const data = spare > 65_536 && spare > pos / 4 ? bytes.slice(0, pos) : bytes.subarray(0, pos);
  if (offsets instanceof BigInt64Array) {
    return makeVector(makeData({ type: new LargeUtf8(), length, valueOffsets: offsets, data, ...validity }));
  }
  return makeVector(makeData({ type: new Utf8(), length, valueOffsets: offsets, data, ...validity }));
}

function allocate(size: number, used: number): Uint8Array {
  try {
    return new Uint8Array(size);
  } catch (error) {
    throw new RangeError(
      `A text column needs more than ${used} bytes of UTF-8 and the browser could not allocate ${size} bytes ` +
        `for it (${error instanceof Error ? error.message : String(error)}). Split the file into smaller parts.`,
      { cause: error },
    );
  }
}

/**
 * Table with the columns in the given order (pass entries to keep integer-like names such as
 * "2024" where they are: a plain object lists those first); every column must have the same length.
 */
export function tableFromColumns(columns: Record<string, Vector> | ReadonlyArray<readonly [string, Vector]>): Table {
  const entries: ReadonlyArray<readonly [string, Vector]> = isEntries(columns) ? columns : Object.entries(columns);
  if (entries.length === 0) return new Table();
  const length = entries[0]![1].length;
  for (const [name, vector] of entries) {
    if (vector.length !== length) {
      throw new RangeError(`Column "${name}" has ${vector.length} rows where the first column has ${length}.`);
    }
  }
  // Every field is nullable, so tables built batch by batch share one schema whether or not a
  // batch happens to hold nulls (the IPC writers compare schemas field by field).
  const fields = entries.map(([name, vector]) => new Field(name, vector.type, true));
  const schema = new Schema(fields);
  const type = new Struct(fields);
  // Batch boundaries: wherever any column starts a new chunk (one batch for single-chunk columns).
  const cuts = new Set<number>([0, length]);
  for (const [, vector] of entries) {
    let at = 0;
    for (const chunk of vector.data) cuts.add((at += chunk.length));
  }
  const bounds = length === 0 ? [0, 0] : [...cuts].sort((a, b) => a - b);
  const batches: RecordBatch[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const begin = bounds[k]!;
    const end = bounds[k + 1]!;
    const children = entries.map(([, vector]) => chunkSlice(vector, begin, end));
    batches.push(new RecordBatch(schema, makeData({ type, length: end - begin, nullCount: 0, children })));
  }
  return new Table(schema, batches);
}

function isEntries(
  columns: Record<string, Vector> | ReadonlyArray<readonly [string, Vector]>,
): columns is ReadonlyArray<readonly [string, Vector]> {
  return Array.isArray(columns);
}

/** The rows [begin, end) of a vector; batch bounds include every chunk end, so one chunk holds them. */
function chunkSlice(vector: Vector, begin: number, end: number): Data {
  let start = 0;
  for (const chunk of vector.data) {
    if (begin < start + chunk.length || (begin === start && end === begin)) {
      return begin === start && chunk.length === end - begin ? chunk : chunk.slice(begin - start, end - begin);
    }
    start += chunk.length;
  }
  throw new RangeError(`Rows ${begin}-${end} are outside a column of ${vector.length} rows.`);
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DataType, Utf8, Vector, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import {
  MAX_UTF8_BYTES,
  boolVector,
  dateDayVector,
  float32Vector,
  float64Vector,
  int32Vector,
  int64Vector,
  tableFromColumns,
  timestampMicrosecondVector,
  timestampMillisecondVector,
  utf8Vector,
} from './arrow-build';
import type { Db } from './db';
import { readJsonTable } from './ingest/json';
import { readParquet, streamParquet } from './ingest/parquet';

let db: Db;
let conn: number;
let parquetDir: string;
let parquet: Uint8Array;

beforeAll(async () => {
  db = await createNodeDb();
  conn = db.bindings.connect().useUnsafe((_bindings, id) => id);
  // A small Parquet file with nulls in every column, written by native DuckDB before any spy is set.
  parquetDir = mkdtempSync(path.join(tmpdir(), 'shopsight-arrow-build-'));
  const file = path.join(parquetDir, 'small.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const native = await instance.connect();
  await native.run(
    `COPY (SELECT * FROM (VALUES
      (1::INTEGER, 'Mug', DATE '2024-01-15', TIMESTAMP '2024-01-15 09:30:05.123456', 20::BIGINT, 2.5::DOUBLE, 1.5::FLOAT, true, [1, 2], TIME '12:00:01'),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, '北京', DATE '1999-12-31', TIMESTAMP '1970-01-01 00:00:00', -7, -1e300, 0, false, [], TIME '00:00:00')
    ) t(id, name, day, "at", qty, score, ratio, paid, tags, t)) TO '${file}' (FORMAT parquet)`,
  );
  native.closeSync();
  instance.closeSync();
  parquet = new Uint8Array(readFileSync(file));
});

afterAll(() => {
  db?.bindings.reset();
  if (parquetDir) rmSync(parquetDir, { recursive: true, force: true });
});

let tableCount = 0;

/** Inserts the columns into real DuckDB-WASM through Arrow IPC (as stage.ts does); returns the table name. */
function load(columns: [string, Vector][]): string {
  const name = `t${++tableCount}`;
  const ipc = tableToIPC(tableFromColumns(columns), 'stream');
  db.bindings.insertArrowFromIPCStream(conn, ipc, { name, create: true });
  return name;
}

/** One column of `table` as DuckDB renders it in SQL (`CAST(... AS VARCHAR)`), in row order. */
function sqlText(table: string, column = 'x'): (string | null)[] {
  return db.rows(`SELECT CAST("${column}" AS VARCHAR) AS v FROM ${table} ORDER BY id`).map((r) => r.v as string | null);
}

function sqlType(table: string, column = 'x'): unknown {
  return db.scalar(
    `SELECT data_type FROM information_schema.columns WHERE table_name = '${table}' AND column_name = '${column}'`,
  );
}

function ids(n: number): Vector {
  return int32Vector(Array.from({ length: n }, (_, i) => i));
}

/** Runs `fn` with the global Function constructor spied on; returns how often code was generated. */
async function functionCalls(fn: () => unknown, failLikeCsp = false): Promise<number> {
  const original = Function;
  const spy = vi.spyOn(globalThis, 'Function');
  // Arrow's instanceof helpers read Function.prototype[Symbol.hasInstance]; keep the real prototype.
  Object.defineProperty(spy, 'prototype', { value: original.prototype });
  if (failLikeCsp) {
    // A `function` (not an arrow) so that `new Function(...)` reaches it, as in the browser.
    spy.mockImplementation(function (): never {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    });
  }
  try {
    await fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
    expect(globalThis.Function).toBe(original);
  }
}

describe('vectors round-trip through Arrow IPC into DuckDB-WASM', () => {
  it('Float64 and Float32, with nulls and NaN', () => {
    const t = load([
      ['id', ids(5)],
      ['x', float64Vector([1.5, null, -0.25, Number.NaN, 1e300])],
      ['f', float32Vector([1.5, undefined, -2, 0, 3.25])],
    ]);
    expect(sqlType(t)).toBe('DOUBLE');
    expect(sqlType(t, 'f')).toBe('FLOAT');
    expect(sqlText(t)).toEqual(['1.5', null, '-0.25', 'nan', '1e+300']);
    expect(sqlText(t, 'f')).toEqual(['1.5', null, '-2.0', '0.0', '3.25']);
  });

  it('Int32 and Int64 (numbers and bigints, exact beyond 2^53)', () => {
    const t = load([
      ['id', ids(5)],
      ['i', int32Vector([1, null, -2147483648, 2147483647, 0])],
      ['x', int64Vector([42, null, 2n ** 62n + 1n, -(2n ** 63n), 9007199254740993n])],
    ]);
    expect(sqlType(t, 'i')).toBe('INTEGER');
    expect(sqlType(t)).toBe('BIGINT');
    expect(sqlText(t, 'i')).toEqual(['1', null, '-2147483648', '2147483647', '0']);
    expect(sqlText(t)).toEqual(['42', null, '4611686018427387905', '-9223372036854775808', '9007199254740993']);
    expect(db.scalar(`SELECT count(*) FILTER (WHERE x IS NULL) FROM ${t}`)).toBe(1);
  });

  it('refuses values that do not fit instead of wrapping them', () => {
    expect(() => int32Vector([2 ** 31])).toThrow(RangeError);
    expect(() => int32Vector([1.5])).toThrow(RangeError);
    expect(() => int64Vector([2n ** 63n])).toThrow(/does not fit in a signed 64-bit integer/);
    expect(() => int64Vector([1.5])).toThrow(RangeError);
    expect(() => dateDayVector([new Date(Number.NaN)])).toThrow(/Invalid Date/);
  });

  it('Bool, bit-packed across several bytes', () => {
    const values = [true, null, false, true, true, false, null, true, false, true, true];
    const t = load([
      ['id', ids(values.length)],
      ['x', boolVector(values)],
    ]);
    expect(sqlType(t)).toBe('BOOLEAN');
    expect(db.rows(`SELECT x FROM ${t} ORDER BY id`).map((r) => r.x)).toEqual(values);
  });

  it('Utf8: unicode, empty strings, nulls and a lone surrogate', () => {
    const big = '北京'.repeat(50_000) + '😀'; // far beyond the 1-byte-per-unit first guess: the buffer grows
    const values = ['Mug', null, '北京', 'naïve café 😀', '', undefined, 'e\u0301', '\uD800x', big];
    const vector = utf8Vector(values);
    expect(String(vector.type)).toBe('Utf8');
    const t = load([
      ['id', ids(values.length)],
      ['x', vector],
    ]);
    expect(sqlType(t)).toBe('VARCHAR');
    expect(sqlText(t)).toEqual(['Mug', null, '北京', 'naïve café 😀', '', null, 'e\u0301', '\uFFFDx', big]);
    const bytes = db.rows(`SELECT strlen(x) AS n FROM ${t} ORDER BY id`).map((r) => r.n);
    expect(bytes).toEqual(values.map((v) => (v == null ? null : new TextEncoder().encode(v).length)));
    expect(db.scalar(`SELECT count(*) FROM ${t} WHERE x = '北京'`)).toBe(1);
  });

  it('LargeUtf8 (used past 2^31-1 bytes) reads back the same', () => {
    expect(MAX_UTF8_BYTES).toBe(2 ** 31 - 1);
    const vector = utf8Vector(['a', null, '北京', ''], { large: true });
    expect(DataType.isLargeUtf8(vector.type)).toBe(true);
    const t = load([
      ['id', ids(4)],
      ['x', vector],
    ]);
    expect(sqlType(t)).toBe('VARCHAR');
    expect(sqlText(t)).toEqual(['a', null, '北京', '']);
  });

  it('DateDay from day numbers and Dates', () => {
    const t = load([
      ['id', ids(6)],
      [
        'x',
        dateDayVector([
          0,
          null,
          19737,
          -1,
          new Date(Date.UTC(1999, 11, 31, 23, 59)),
          new Date(Date.UTC(1969, 0, 1, 12)),
        ]),
      ],
    ]);
    expect(sqlType(t)).toBe('DATE');
    expect(sqlText(t)).toEqual(['1970-01-01', null, '2024-01-15', '1969-12-31', '1999-12-31', '1969-01-01']);
  });

  it('Timestamp[ms] from numbers, bigints and Dates (BigInt64Array storage)', () => {
    const at = Date.UTC(2024, 0, 15, 9, 30, 5, 123);
    const vector = timestampMillisecondVector([at, null, 0, -1n, new Date(at), BigInt(at)]);
    expect(vector.data[0]!.values).toBeInstanceOf(BigInt64Array);
    const t = load([
      ['id', ids(6)],
      ['x', vector],
    ]);
    expect(sqlType(t)).toBe('TIMESTAMP_MS'); // DuckDB keeps Arrow's unit; it compares and casts like TIMESTAMP
    expect(sqlText(t)).toEqual([
      '2024-01-15 09:30:05.123',
      null,
      '1970-01-01 00:00:00',
      '1969-12-31 23:59:59.999',
      '2024-01-15 09:30:05.123',
      '2024-01-15 09:30:05.123',
    ]);
    expect(db.scalar(`SELECT CAST(epoch_ms(x) AS VARCHAR) FROM ${t} WHERE id = 0`)).toBe(String(at));
  });

  it('Timestamp[µs] keeps microseconds', () => {
    const vector = timestampMicrosecondVector([1705311005123456n, null, 0, -1n, new Date(Date.UTC(2000, 1, 29))]);
    expect(vector.data[0]!.values).toBeInstanceOf(BigInt64Array);
    const t = load([
      ['id', ids(5)],
      ['x', vector],
    ]);
    expect(sqlType(t)).toBe('TIMESTAMP');
    expect(sqlText(t)).toEqual([
      '2024-01-15 09:30:05.123456',
      null,
      '1970-01-01 00:00:00',
      '1969-12-31 23:59:59.999999',
      '2000-02-29 00:00:00',
    ]);
    expect(db.scalar(`SELECT CAST(epoch_us(x) AS VARCHAR) FROM ${t} WHERE id = 0`)).toBe('1705311005123456');
  });

  it('all-null and zero-row columns', () => {
    const t = load([
      ['id', ids(3)],
      ['x', utf8Vector([null, null, null])],
    ]);
    expect(sqlText(t)).toEqual([null, null, null]);
    const empty = load([
      ['id', ids(0)],
      ['x', float64Vector([])],
      ['s', utf8Vector([])],
      ['b', boolVector([])],
    ]);
    expect(db.scalar(`SELECT count(*) FROM ${empty}`)).toBe(0);
    expect(sqlType(empty, 's')).toBe('VARCHAR');
  });
});

describe('buffers', () => {
  it('omits the validity bitmap without nulls and sets LSB-first bits with them', () => {
    const dense = float64Vector([1, 2, 3]).data[0]!;
    expect(dense.nullCount).toBe(0);
    expect(dense.nullBitmap?.length ?? 0).toBe(0);
    const sparse = int32Vector([1, null, 3, 4, null, 6, 7, 8, 9]).data[0]!;
    expect(sparse.nullCount).toBe(2);
    expect([...sparse.nullBitmap!]).toEqual([0b11101101, 0b1]);
    const bools = boolVector([true, false, false, true, null, true, false, false, true]).data[0]!;
    expect([...bools.values]).toEqual([0b00101001, 0b1]);
    expect([...bools.nullBitmap!]).toEqual([0b11101111, 0b1]);
    const text = utf8Vector(['ab', null, '北']).data[0]!;
    expect([...text.valueOffsets]).toEqual([0, 2, 2, 5]);
  });

  it('decodes with apache-arrow as well', () => {
    const table = tableFromIPC(
      tableToIPC(
        tableFromColumns({
          n: int64Vector([1n, null]),
          s: utf8Vector(['ü', null]),
          b: boolVector([null, true]),
          d: dateDayVector([19737, null]),
        }),
      ),
    );
    expect(table.toArray().map((r) => ({ ...r.toJSON() }))).toEqual([
      { n: 1n, s: 'ü', b: null, d: Date.UTC(2024, 0, 15) },
      { n: null, s: null, b: true, d: null },
    ]);
  });
});

describe('tableFromColumns', () => {
  it('keeps the given column order, integer-like names included', () => {
    const table = tableFromColumns([
      ['region', utf8Vector(['EU'])],
      ['2024', int32Vector([2])],
      ['2023', int32Vector([1])],
    ]);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['region', '2024', '2023']);
    expect(table.schema.fields.every((f) => f.nullable)).toBe(true);
    const t = `t${++tableCount}`;
    db.bindings.insertArrowFromIPCStream(conn, tableToIPC(table, 'stream'), { name: t, create: true });
    const names = db.rows(
      `SELECT column_name FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`,
    );
    expect(names.map((r) => r.column_name)).toEqual(['region', '2024', '2023']);
  });

  it('aligns columns that are chunked differently', () => {
    const id = new Vector([...int32Vector([0, 1, 2]).data, ...int32Vector([3, 4]).data]);
    const x = new Vector([...float64Vector([0.5, 1.5]).data, ...float64Vector([null, 3.5, 4.5]).data]);
    const table = tableFromColumns({ id, x });
    expect(table.batches.map((batch) => batch.numRows)).toEqual([2, 1, 2]);
    const t = `t${++tableCount}`;
    db.bindings.insertArrowFromIPCStream(conn, tableToIPC(table, 'stream'), { name: t, create: true });
    expect(sqlText(t)).toEqual(['0.5', '1.5', null, '3.5', '4.5']);
  });

  it('refuses columns of different lengths', () => {
    expect(() => tableFromColumns({ a: int32Vector([1, 2]), b: int32Vector([1]) })).toThrow(
      'Column "b" has 1 rows where the first column has 2.',
    );
  });
});

describe('no code generation (CSP without unsafe-eval)', () => {
  it('the Function spy catches apache-arrow builders, so the checks below can fail', async () => {
    expect(await functionCalls(() => vectorFromArray(['a', null], new Utf8()))).toBeGreaterThan(0);
    await expect(functionCalls(() => vectorFromArray([1, null]), true)).rejects.toThrow(EvalError);
  });

  it('building every vector type and a table, and writing IPC, never calls Function', async () => {
    const calls = await functionCalls(() => {
      const table = tableFromColumns([
        ['f64', float64Vector([1.5, null])],
        ['f32', float32Vector([1.5, null])],
        ['i32', int32Vector([1, null])],
        ['i64', int64Vector([1n, null])],
        ['b', boolVector([true, null])],
        ['s', utf8Vector(['x', null])],
        ['ls', utf8Vector(['x', null], { large: true })],
        ['d', dateDayVector([1, null])],
        ['ms', timestampMillisecondVector([1, null])],
        ['us', timestampMicrosecondVector([1n, null])],
      ]);
      tableFromIPC(tableToIPC(table, 'stream'));
    }, true);
    expect(calls).toBe(0);
  });

  it('readJsonTable never calls Function', async () => {
    const calls = await functionCalls(() => {
      readJsonTable(
        '[{"id":1,"price":2.5,"ok":true,"name":"Mug","tags":["a"],"big":1152921504606846977,"none":null},' +
          '{"id":null,"price":3,"ok":null,"name":null,"tags":{"k":1},"big":2}]',
        'json',
      );
      readJsonTable('{"a":1,"b":"x"}\n{"a":2.5,"b":null}\n', 'ndjson');
    }, true);
    expect(calls).toBe(0);
  });

  it('readParquet and streamParquet never call Function', async () => {
    let ipc: Uint8Array = new Uint8Array();
    const calls = await functionCalls(async () => {
      ipc = await readParquet(parquet);
      await streamParquet(new Blob([parquet as BlobPart]), () => {});
    }, true);
    expect(calls).toBe(0);
    const table = tableFromIPC(ipc);
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Int32',
      'Utf8',
      'Date32<DAY>',
      'Timestamp<MICROSECOND>',
      'Int64',
      'Float64',
      'Float32',
      'Bool',
      'Utf8',
      'Utf8',
    ]);
  });
});

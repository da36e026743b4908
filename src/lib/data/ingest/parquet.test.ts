import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowRowsToObjects } from '../arrow';
import { readParquet, streamParquet } from './parquet';

/**
 * Parquet fixtures are written at test time by real (native) DuckDB through @duckdb/node-api,
 * the same writer many shop data pipelines use, into a temporary folder.
 */
let dir: string;
const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shopsight-parquet-'));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const write = async (name: string, select: string, options = 'FORMAT parquet') => {
    const file = path.join(dir, `${name}.parquet`);
    await conn.run(`COPY (${select}) TO '${file}' (${options})`);
    files[name] = new Uint8Array(readFileSync(file));
  };
  await write(
    'types',
    `SELECT * FROM (VALUES
      (1::INTEGER, 'Mug', DATE '2024-01-15', TIMESTAMP '2024-01-15 09:30:05.123456', 20::BIGINT, 4.50::DECIMAL(10,2), 2.5::DOUBLE, 1.5::FLOAT, true, [1, 2], {'k': 'v'}, 1::UTINYINT),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, '北京', DATE '1999-12-31', TIMESTAMP '1970-01-01 00:00:00', -7, -0.01, -1e300, 0, false, [], {'k': NULL}, 255)
    ) t(id, name, day, "at", qty, price, score, ratio, paid, tags, attrs, tiny)`,
  );
  await write('big_ids', 'SELECT * FROM (VALUES (1152921504606846977::BIGINT, 1::BIGINT), (5, 2)) t(order_id, n)');
  await write(
    'row_groups',
    'SELECT range AS id, range % 7 AS bucket FROM range(5000)',
    'FORMAT parquet, ROW_GROUP_SIZE 2048',
  );
  await write(
    'late_nulls',
    `SELECT range AS id, CASE WHEN range >= 3000 AND range % 2 = 0 THEN NULL ELSE range END AS maybe,
      'EU' AS region, range AS "2024" FROM range(5000)`,
    'FORMAT parquet, ROW_GROUP_SIZE 2048',
  );
  await write('empty', 'SELECT 1::INTEGER AS a, 2::VARCHAR AS b WHERE false');
  await write('zstd', 'SELECT 1 AS a', 'FORMAT parquet, COMPRESSION zstd');
  conn.closeSync();
  instance.closeSync();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function types(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
}

describe('readParquet', () => {
  it('keeps integer, float, boolean, text, date and timestamp types; nested values become JSON text', async () => {
    const table = tableFromIPC(await readParquet(files.types!));
    expect(types(table)).toEqual({
      id: 'Int32',
      name: 'Utf8',
      day: 'Date32<DAY>',
      at: 'Timestamp<MICROSECOND>',
      qty: 'Int64',
      price: 'Float64',
      score: 'Float64',
      ratio: 'Float32',
      paid: 'Bool',
      tags: 'Utf8',
      attrs: 'Utf8',
      tiny: 'Int32',
    });
    const rows = arrowRowsToObjects(table);
    expect(rows[0]).toEqual({
      id: 1,
      name: 'Mug',
      day: '2024-01-15',
      at: '2024-01-15 09:30:05.123',
      qty: 20,
      price: 4.5,
      score: 2.5,
      ratio: 1.5,
      paid: true,
      tags: '[1,2]',
      attrs: '{"k":"v"}',
      tiny: 1,
    });
    expect(Object.values(rows[1]!).every((v) => v === null)).toBe(true);
    expect(rows[2]).toMatchObject({
      id: 3,
      name: '北京',
      day: '1999-12-31',
      qty: -7,
      price: -0.01,
      paid: false,
      tags: '[]',
      tiny: 255,
    });
    // Microseconds survive (Arrow's JS getter only shows milliseconds).
    expect(table.getChild('at')!.data[0]!.values[0]).toBe(1705311005123456n);
  });

  it('loads 64-bit ids beyond 2^53 as exact text (the BigInt policy)', async () => {
    const table = tableFromIPC(await readParquet(files.big_ids!));
    expect(types(table)).toEqual({ order_id: 'Utf8', n: 'Int64' });
    expect(arrowRowsToObjects(table)).toEqual([
      { order_id: '1152921504606846977', n: 1 },
      { order_id: '5', n: 2 },
    ]);
  });

  it('keeps every row group when nulls first appear in a later one, and the file column order', async () => {
    const table = tableFromIPC(await readParquet(files.late_nulls!));
    expect(table.numRows).toBe(5000);
    expect(table.getChild('maybe')!.nullCount).toBe(1000);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'maybe', 'region', '2024']);
  });

  it('keeps a schema for a file with no rows', async () => {
    const table = tableFromIPC(await readParquet(files.empty!));
    expect(table.numRows).toBe(0);
    expect(types(table)).toEqual({ a: 'Int32', b: 'Utf8' });
  });

  it('explains unsupported compression and damaged files', async () => {
    await expect(readParquet(files.zstd!, { fileName: 'x.parquet' })).rejects.toMatchObject({
      code: 'parquet_unsupported',
      message: expect.stringContaining('x.parquet is compressed with ZSTD'),
    });
    const damaged = files.types!.slice(0, files.types!.length - 20);
    await expect(readParquet(damaged)).rejects.toMatchObject({ code: 'corrupt_parquet' });
  });
});

describe('streamParquet', () => {
  it('emits one table per row group, reads Blobs lazily and reports progress', async () => {
    const sizes: number[] = [];
    const progress: number[] = [];
    const summary = await streamParquet(new Blob([files.row_groups! as BlobPart]), (t) => void sizes.push(t.numRows), {
      onProgress: (done) => progress.push(done),
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(sizes.length).toBeGreaterThan(1);
    expect(progress).toHaveLength(sizes.length);
    expect(progress.at(-1)).toBe(5000);
    expect(summary).toEqual({ rows: 5000, columns: ['id', 'bucket'], warnings: [] });
  });

  it('stops between row groups when cancelled', async () => {
    const token = { cancelled: false };
    const promise = streamParquet(files.row_groups!, () => void (token.cancelled = true), { token });
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { decodeIpc, toCell } from './arrow';
import { createNodeDb } from '../../test/duckdb-node';

describe('Db facade on real DuckDB-WASM (Node build)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  it('turns extension autoloading off so nothing is ever downloaded', () => {
    expect(db.scalar("SELECT current_setting('autoload_known_extensions')")).toBe(false);
    expect(db.scalar("SELECT current_setting('autoinstall_known_extensions')")).toBe(false);
  });

  it('returns counts as numbers, never BigInt', () => {
    const n = db.scalar('SELECT count(*) FROM range(1000)');
    expect(n).toBe(1000);
  });

  it('keeps 64-bit integers that do not fit a double as exact strings', () => {
    expect(toCell(2n ** 60n + 1n)).toBe('1152921504606846977');
    expect(toCell(42n)).toBe(42);
  });

  it('cancels a long pending query between polls', async () => {
    const token = { cancelled: false };
    setTimeout(() => (token.cancelled = true), 20);
    await expect(
      db.runCancellable('SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b', token, 5),
    ).rejects.toMatchObject({ code: 'cancelled' });
    // The connection is still usable afterwards.
    expect(db.scalar('SELECT 41 + 1')).toBe(42);
  });
});

describe('decodeIpc', () => {
  it('regression: keeps duplicate column names apart (decodes by position)', async () => {
    const db = await createNodeDb();
    const decoded = decodeIpc(db.ipc('SELECT 1 AS a, 2 AS a'));
    expect([decoded.cell(0, 0), decoded.cell(0, 1)]).toEqual([1, 2]);
    db.bindings.reset();
  });
});

describe('runCancellable results', () => {
  it('regression: returns the rows, not only the schema', async () => {
    const db = await createNodeDb();
    const ipc = await db.runCancellable('SELECT range AS n FROM range(150000)', { cancelled: false });
    const decoded = decodeIpc(ipc);
    expect(decoded.rowCount).toBe(150000);
    expect(decoded.cell(149999, 0)).toBe(149999);
    db.bindings.reset();
  });
});

describe('sqlTypeName', () => {
  it('labels result columns with DuckDB type names', async () => {
    const db = await createNodeDb();
    const decoded = decodeIpc(
      db.ipc(
        "SELECT 'a' AS s, 1::INTEGER AS i, 2::BIGINT AS b, 1.5::DOUBLE AS d, true AS t, DATE '2024-01-02' AS dt, TIMESTAMP '2024-01-02 03:04:05' AS ts",
      ),
    );
    expect(decoded.columns.map((c) => c.type)).toEqual([
      'VARCHAR',
      'INTEGER',
      'DOUBLE',
      'DOUBLE',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
    ]);
    expect(decoded.cell(0, 5)).toBe('2024-01-02');
    expect(decoded.cell(0, 6)).toBe('2024-01-02 03:04:05');
    db.bindings.reset();
  });
});

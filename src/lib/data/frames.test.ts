/**
 * Frames on real DuckDB-WASM (Node build): the kinds, NaN for missing, sampling, and results
 * written back as derived tables — atomically, and never over a loaded table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from './db';
import { DataEngine, engineFrameSource } from './engine';
import { bufferRegistrar } from './ingest/registrar';

const ORDERS = [
  'order_id,customer,amount,paid,ordered_at',
  'A1,c1,10.5,true,2024-01-02',
  'A2,c2,,false,2024-01-03',
  'A3,,30,true,',
].join('\n');

describe('frames', () => {
  let db: Db;
  let engine: DataEngine;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('load-1', ORDERS, 'orders.csv', {});
  });
  afterAll(() => db?.bindings.reset());

  it('reads numbers, booleans and dates as Float64 with NaN for missing, text as strings', async () => {
    const frame = await engineFrameSource(engine).readFrame({
      table: 'orders',
      columns: ['customer', 'amount', 'paid', 'ordered_at'],
    });
    expect(frame.nRows).toBe(3);
    const [customer, amount, paid, orderedAt] = frame.columns;
    expect(customer).toEqual({ name: 'customer', kind: 'string', values: ['c1', 'c2', null] });
    expect(amount!.kind).toBe('number');
    expect(Array.from(amount!.values as Float64Array)).toEqual([10.5, NaN, 30]);
    expect(Array.from(paid!.values as Float64Array)).toEqual([1, 0, 1]);
    expect(orderedAt!.kind).toBe('date');
    expect(orderedAt!.values[0]).toBe(Date.UTC(2024, 0, 2));
    expect(Number.isNaN(orderedAt!.values[2])).toBe(true);
  });

  it('samples reproducibly and names an unknown column', async () => {
    const source = engineFrameSource(engine);
    const a = await source.readFrame({ table: 'orders', columns: ['order_id'], sample: { rows: 2, seed: 7 } });
    const b = await source.readFrame({ table: 'orders', columns: ['order_id'], sample: { rows: 2, seed: 7 } });
    expect(a.nRows).toBe(2);
    expect(a.columns[0]!.values).toEqual(b.columns[0]!.values);
    await expect(source.readFrame({ table: 'orders', columns: ['nope'] })).rejects.toMatchObject({
      code: 'unknown_column',
    });
  });

  it('writes a result table into the catalog and replaces only derived tables', async () => {
    const source = engineFrameSource(engine);
    const frame = {
      nRows: 2,
      columns: [
        { name: 'customer', kind: 'string' as const, values: ['c1', null] },
        { name: 'score', kind: 'number' as const, values: new Float64Array([0.25, NaN]) },
        { name: 'at', kind: 'date' as const, values: new Float64Array([Date.UTC(2024, 5, 1), NaN]) },
      ],
    };
    const info = await source.writeFrame({
      name: 'scores',
      frame,
      derivation: { kind: 'predictions', from: 'orders' },
    });
    expect(info.derived).toEqual({ kind: 'predictions', from: 'orders' });
    expect(info.columns.map((c) => c.type)).toEqual(['VARCHAR', 'DOUBLE', 'TIMESTAMP_MS']);
    expect(db.rows('SELECT count(*) FILTER (score IS NULL) AS n FROM scores')[0]!.n).toBe(1);
    await source.writeFrame({
      name: 'scores',
      frame: { nRows: 1, columns: [{ name: 'x', kind: 'number', values: new Float64Array([1]) }] },
      derivation: { kind: 'predictions', from: 'orders' },
    });
    expect((await engine.describe('scores')).rows).toBe(1);
    await expect(
      source.writeFrame({ name: 'orders', frame, derivation: { kind: 'predictions', from: 'scores' } }),
    ).rejects.toMatchObject({ code: 'target_is_loaded_table' });
    const bad = { nRows: 2, columns: [{ name: 'x', kind: 'number' as const, values: new Float64Array([1]) }] };
    await expect(
      source.writeFrame({ name: 'broken', frame: bad, derivation: { kind: 'predictions', from: 'orders' } }),
    ).rejects.toMatchObject({ code: 'internal' });
    expect((await engine.listTables()).map((t) => t.name)).not.toContain('broken');
  });
});

describe('concurrent catalog jobs', () => {
  it('runs two loads dropped at once one after the other, both complete', async () => {
    const db = await createNodeDb();
    try {
      const engine = new DataEngine(db, bufferRegistrar(db.bindings));
      // Big enough that each load yields to the event loop many times on the way.
      const lines = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n');
      const [a, b] = await Promise.all([
        engine.loadFile(
          'a',
          `id,amount,at\n${lines(4_000, (i) => `${i},${i % 97}.5,2024-01-0${1 + (i % 9)}`)}`,
          'retail.csv',
          {},
        ),
        engine.loadFile('b', `sku,on_hand\n${lines(3_000, (i) => `S${i},${i % 13}`)}`, 'stock.csv', {}),
      ]);
      expect([a[0]!.rows, b[0]!.rows]).toEqual([4_000, 3_000]);
      expect((await engine.listTables()).map((t) => t.name).sort()).toEqual(['retail', 'stock']);
    } finally {
      db.bindings.reset();
    }
  });

  it('never starts a queued load that was cancelled while it waited', async () => {
    const db = await createNodeDb();
    try {
      const engine = new DataEngine(db, bufferRegistrar(db.bindings));
      const first = engine.loadFile('a', 'id\n1\n', 'one.csv', {});
      const second = engine.loadFile('b', 'id\n2\n', 'two.csv', {});
      await engine.cancel('b');
      await first;
      await expect(second).rejects.toMatchObject({ code: 'cancelled' });
      expect((await engine.listTables()).map((t) => t.name)).toEqual(['one']);
    } finally {
      db.bindings.reset();
    }
  });
});

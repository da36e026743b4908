/**
 * The bridge end to end over a real DuckDB-WASM (Node build): a host loads a CSV, lists,
 * queries and drops tables through postMessage envelopes. The backend here is a deliberately
 * small stand-in for the data worker, so what is tested is the embed layer on real Arrow
 * results (BIGINT counts, dates, NULLs), not the ingest pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInfo } from '../contracts/data-api';
import type { Db } from '../data/db';
import { ShopSightError } from '../data/errors';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import { createNodeDb } from '../../test/duckdb-node';
import { startEmbedBridge } from './host-bridge';
import type { EmbedBackend } from './methods';
import type { EmbedReply } from './protocol';
import { FakeWindow, HOST_ORIGIN, settle, standInBackend } from './test-fakes';

function duckdbBackend(db: Db): EmbedBackend {
  const info = (name: string): TableInfo => {
    const columns = db.rows(`DESCRIBE ${quoteIdent(name)}`).map((c) => ({
      name: String(c.column_name),
      type: String(c.column_type),
      role: 'none' as const,
      kind: 'native' as const,
    }));
    const rows = Number(db.scalar(`SELECT count(*) FROM ${quoteIdent(name)}`));
    return { name, rows, columns, warnings: [] };
  };
  const exists = (name: string) =>
    db.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${sqlLiteral(name)}`) === 1;
  return {
    ...standInBackend(),
    async loadFile(source, fileName, options) {
      const name = options.tableName ?? fileName.replace(/\.\w+$/, '');
      if (exists(name) && !options.replace) {
        throw new ShopSightError({ code: 'table_exists', message: `A table named ${name} exists.`, params: { name } });
      }
      db.bindings.registerFileBuffer(fileName, new Uint8Array(await source.arrayBuffer()));
      db.exec(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT * FROM read_csv(${sqlLiteral(fileName)})`);
      return [info(name)];
    },
    listTables: async () =>
      db.rows('SELECT table_name FROM duckdb_tables() ORDER BY table_name').map((r) => info(String(r.table_name))),
    async query(sql, limit) {
      const started = performance.now();
      const body = sql.trim().replace(/;+$/, '');
      const ipc = db.ipc(`SELECT * FROM (${body}) AS q LIMIT ${limit + 1}`);
      // The stand-in over-fetches by one row; the embed layer must cut it and say truncated.
      return { ipc, rowCount: -1, truncated: false, elapsedMs: performance.now() - started };
    },
    profile: async () => {
      throw new ShopSightError({ code: 'not_implemented', message: 'Not in this stand-in.' });
    },
    async dropTable(name) {
      if (!exists(name)) throw new ShopSightError({ code: 'not_found', message: `No table named ${name}.` });
      db.exec(`DROP TABLE ${quoteIdent(name)}`);
    },
    // The Prepare methods run against the real engine in prepare-methods.duckdb.test.ts, the
    // ML ones in their own *.duckdb.test.ts files.
  };
}

describe('embed bridge over real DuckDB', () => {
  let db: Db;
  let win: FakeWindow;
  let nextId = 0;

  beforeAll(async () => {
    db = await createNodeDb();
    win = new FakeWindow();
    startEmbedBridge({ window: win, backend: duckdbBackend(db), allowList: [HOST_ORIGIN], version: 'test' });
  });
  afterAll(() => db?.bindings.reset());

  async function call(method: string, params: Record<string, unknown> = {}): Promise<EmbedReply> {
    const id = `c${++nextId}`;
    win.call(id, method, params);
    for (let i = 0; i < 50 && win.parent.repliesTo(id).length === 0; i++) await settle(1);
    const reply = win.parent.repliesTo(id)[0];
    if (!reply) throw new Error(`no reply to ${method}`);
    expect(reply.targetOrigin).toBe(HOST_ORIGIN);
    return reply.message;
  }

  const csv = [
    'order_id,customer,order_date,amount',
    '00017,Zoë,2024-01-05,12.50',
    '00018,李雷,2024-01-06,',
    '00019,Zoë,2024-02-01,7.25',
  ].join('\n');

  it('loads a CSV string (UTF-8, non-ASCII) and reports its columns', async () => {
    const reply = await call('loadTable', { fileName: 'orders.csv', data: csv });
    expect(reply).toMatchObject({ ok: true, result: { name: 'orders', rows: 3, warnings: [] } });
    if (!reply.ok) return;
    expect(
      (reply.result as { columns: { name: string; type: string }[] }).columns.map((c) => `${c.name}:${c.type}`),
    ).toEqual([
      'order_id:VARCHAR', // leading zeros keep it text
      'customer:VARCHAR',
      'order_date:DATE',
      'amount:DOUBLE',
    ]);
  });

  it('loads bytes passed as an ArrayBuffer under a chosen name', async () => {
    const bytes = new TextEncoder().encode('sku,qty\nA-1,3\nB-2,4\n');
    const reply = await call('loadTable', { fileName: 'stock.csv', name: 'stock', data: bytes.buffer });
    expect(reply).toMatchObject({ ok: true, result: { name: 'stock', rows: 2 } });
  });

  it('passes a data-layer refusal through with its code', async () => {
    const reply = await call('loadTable', { fileName: 'stock.csv', name: 'stock', data: 'x\n1' });
    expect(reply).toEqual({
      shopsight: 1,
      id: expect.any(String),
      ok: false,
      error: { code: 'table_exists', message: 'A table named stock exists.', params: { name: 'stock' } },
    });
  });

  it('lists the tables', async () => {
    const reply = await call('listTables');
    expect(reply.ok && (reply.result as { name: string; rows: number }[]).map((t) => [t.name, t.rows])).toEqual([
      ['orders', 3],
      ['stock', 2],
    ]);
  });

  it('queries with JSON-safe cells: counts as numbers, dates as ISO text, NULL as null', async () => {
    const reply = await call('query', {
      sql: `SELECT customer, count(*) AS orders, sum(amount) AS spend, min(order_date) AS first
            FROM orders GROUP BY customer ORDER BY customer`,
    });
    expect(reply).toMatchObject({ ok: true });
    if (!reply.ok) return;
    const result = reply.result as { columns: { name: string }[]; rows: unknown[][]; truncated: boolean };
    expect(result.columns.map((c) => c.name)).toEqual(['customer', 'orders', 'spend', 'first']);
    expect(result.rows).toEqual([
      ['Zoë', 2, 19.75, '2024-01-05'],
      ['李雷', 1, null, '2024-01-06'],
    ]);
    expect(result.truncated).toBe(false);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('caps rows at the limit and says the result was truncated', async () => {
    const reply = await call('query', { sql: 'SELECT range AS n FROM range(10)', limit: 4 });
    expect(reply.ok && reply.result).toMatchObject({ rows: [[0], [1], [2], [3]], truncated: true });
  });

  it('refuses a write without touching the database', async () => {
    const reply = await call('query', { sql: 'DROP TABLE orders' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'orders'")).toBe(1);
  });

  it('passes a DuckDB error through as internal with its message', async () => {
    const reply = await call('query', { sql: 'SELECT * FROM no_such_table' });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/no_such_table/) },
    });
  });

  it('drops a table, then reports not_found for it', async () => {
    expect(await call('dropTable', { name: 'stock' })).toMatchObject({ ok: true, result: { dropped: 'stock' } });
    expect(await call('dropTable', { name: 'stock' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const reply = await call('listTables');
    expect(reply.ok && (reply.result as { name: string }[]).map((t) => t.name)).toEqual(['orders']);
  });
});

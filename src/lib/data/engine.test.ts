import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { DataEngine } from './engine';
import { bufferRegistrar } from './ingest/registrar';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from './db';

const ORDERS = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom',
  '536366,22633,HAND WARMER,6,12/1/2010 8:28,1.85,17850,United Kingdom',
  'C536379,D,Discount,-1,12/1/2010 9:41,27.50,14527,United Kingdom',
  '536380,22961,JAM MAKING SET,24,12/2/2010 9:41,1.45,NA,France',
].join('\n');

describe('DataEngine on real DuckDB-WASM', () => {
  let db: Db;
  let engine: DataEngine;
  let job = 0;
  const nextJob = () => `job-${++job}`;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
  });
  afterAll(() => db?.bindings.reset());

  it('loads a CSV into a typed table with roles', async () => {
    const [table] = await engine.loadFile(nextJob(), ORDERS, 'orders.csv', {});
    expect(table).toMatchObject({ name: 'orders', rows: 4 });
    const byName = Object.fromEntries(table!.columns.map((c) => [c.name, c]));
    expect(byName.InvoiceNo?.role).toBe('order_id');
    expect(byName.CustomerID?.role).toBe('customer_id');
    expect(byName.InvoiceDate?.role).toBe('timestamp');
    expect(byName.Quantity?.type).toMatch(/INT|DOUBLE/);
    expect(byName.InvoiceDate?.type).toBe('TIMESTAMP');
  });

  it('gives a second file with the same name a fresh table name', async () => {
    const [table] = await engine.loadFile(nextJob(), ORDERS, 'orders.csv', {});
    expect(table?.name).toBe('orders_2');
    await engine.dropTable('orders_2');
    expect((await engine.listTables()).map((t) => t.name)).toEqual(['orders']);
  });

  it('keeps earlier tables when a load fails, and leaves no stage behind', async () => {
    await expect(engine.loadFile(nextJob(), new ArrayBuffer(0), 'empty.csv', {})).rejects.toMatchObject({
      code: 'empty_file',
    });
    expect((await engine.listTables()).map((t) => t.name)).toEqual(['orders']);
    expect(db.rows("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__stage%'")).toEqual([]);
  });

  it('runs read-only queries and reports truncation', async () => {
    const result = await engine.query(nextJob(), 'SELECT * FROM orders ORDER BY InvoiceNo', 2);
    expect(result.rowCount).toBe(2);
    expect(result.truncated).toBe(true);
    expect(tableFromIPC(result.ipc).numRows).toBe(2);
    await expect(engine.query(nextJob(), 'DELETE FROM orders', 10)).rejects.toMatchObject({ code: 'read_only' });
    await expect(engine.query(nextJob(), 'SELECT nope FROM orders', 10)).rejects.toMatchObject({ code: 'sql_error' });
  });

  it('browses with filters and counts the matches', async () => {
    const page = await engine.browse({
      table: 'orders',
      offset: 0,
      limit: 10,
      filters: [{ column: 'Country', op: 'equals', value: 'France' }],
    });
    expect(page.totalRows).toBe(1);
  });

  it('lets the user move a role to another column', async () => {
    const info = await engine.setColumnRole('orders', 'Description', 'product_id');
    const roles = Object.fromEntries(info.columns.map((c) => [c.name, c.role]));
    expect(roles.Description).toBe('product_id');
    expect(roles.StockCode).toBe('none');
    await expect(engine.setColumnRole('orders', 'Nope', 'quantity')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('renames tables and refuses taken or internal names', async () => {
    await engine.loadFile(nextJob(), 'a,b\n1,2\n', 'small.csv', {});
    await expect(engine.renameTable('small', 'orders')).rejects.toMatchObject({ code: 'name_taken' });
    await expect(engine.renameTable('small', '__stage_x')).rejects.toMatchObject({ code: 'bad_table_name' });
    const renamed = await engine.renameTable('small', 'tiny');
    expect(renamed.name).toBe('tiny');
  });

  it('replaces a table in place when asked (supervisor reloads)', async () => {
    const [table] = await engine.loadFile(nextJob(), 'a,b\n1,2\n3,4\n', 'tiny.csv', {
      tableName: 'tiny',
      replace: true,
    });
    expect(table).toMatchObject({ name: 'tiny', rows: 2 });
  });

  it('cancels a running query and stays usable', async () => {
    const id = nextJob();
    const running = engine.query(
      id,
      'SELECT count(*) FROM range(200000000) a, range(10) b WHERE a.range % 7 = b.range',
      10,
    );
    setTimeout(() => void engine.cancel(id), 30);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    const ok = await engine.query(nextJob(), 'SELECT 1 AS one', 10);
    expect(ok.rowCount).toBe(1);
  });

  it('profiles a table', async () => {
    const report = await engine.profile(nextJob(), 'orders');
    expect(report.rows).toBe(4);
    expect(report.columnProfiles.find((c) => c.name === 'CustomerID')?.missing).toBe(1);
  });
});

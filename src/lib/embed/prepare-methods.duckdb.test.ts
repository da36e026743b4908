/**
 * The Prepare embed methods end to end: a host page's postMessage calls go through the bridge
 * and the real data engine on DuckDB-WASM (Node build) — a recipe saved from one call replays
 * on another table, the builders make tables, and bad params change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import { DataEngine } from '../data/engine';
import { bufferRegistrar } from '../data/ingest/registrar';
import type { EmbedBackend } from './methods';
import { startEmbedBridge } from './host-bridge';
import type { EmbedReply } from './protocol';
import { FakeWindow, HOST_ORIGIN, settle, standInBackend } from './test-fakes';
import { engineDataBackend } from './test-engine-backend';

const ORDERS = [
  'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '1001,A,2,2024-01-05 10:00,5.00,C1,UK',
  '1001,A,2,2024-01-05 10:00,5.00,C1,UK',
  '1002,B,1,2024-02-10 11:00,20.00,C1,UK',
  '1003,A,4,2024-01-20 09:00,5.00,C2,France',
  '1004,C,1,2024-03-15 16:00,8.00,C3,UK',
  '1007,B,3,2024-04-02 12:00,20.00,C3,UK',
].join('\n');

/** The real engine behind the data methods; the ML members are not part of this test. */
function engineBackend(engine: DataEngine): EmbedBackend {
  return { ...standInBackend(), ...engineDataBackend(engine) };
}

describe('Prepare embed methods over the real engine', () => {
  let db: Db;
  let win: FakeWindow;
  let nextId = 0;

  beforeAll(async () => {
    db = await createNodeDb();
    win = new FakeWindow();
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    startEmbedBridge({ window: win, backend: engineBackend(engine), allowList: [HOST_ORIGIN], version: 'test' });
  });
  afterAll(() => db?.bindings.reset());

  async function call(method: string, params: Record<string, unknown> = {}): Promise<EmbedReply> {
    const id = `p${++nextId}`;
    win.call(id, method, params);
    for (let i = 0; i < 400 && win.parent.repliesTo(id).length === 0; i++) await settle(2);
    const reply = win.parent.repliesTo(id)[0];
    if (!reply) throw new Error(`no reply to ${method}`);
    return reply.message;
  }
  const ok = async (method: string, params: Record<string, unknown>) => {
    const reply = await call(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as Record<string, unknown>;
  };

  it('applies a recipe given as JSON text, and replays the fitted recipe it returns on another table', async () => {
    await ok('loadTable', { fileName: 'orders.csv', data: ORDERS });
    await ok('loadTable', { fileName: 'april.csv', data: ORDERS.split('\n').slice(0, 2).join('\n') });
    const recipe = {
      version: 1,
      name: 'clean',
      source: { columns: [] },
      steps: [
        { id: 'a', enabled: true, kind: 'dedupe' },
        { id: 'b', enabled: true, kind: 'scale', columns: ['Quantity'], method: 'minmax' },
      ],
    };
    const first = await ok('applyRecipe', { table: 'orders', recipe: JSON.stringify(recipe), into: 'orders_clean' });
    expect(first.table).toMatchObject({ name: 'orders_clean', rows: 5 });
    expect((first.steps as { rows: number }[]).map((s) => s.rows)).toEqual([5, 5]);
    const fitted = first.recipe as { steps: { fitted?: unknown }[] };
    expect(fitted.steps[1]?.fitted).toEqual([{ column: 'Quantity', center: 1, scale: 3 }]);

    await ok('applyRecipe', { table: 'april', recipe: fitted, fit: 'none', into: 'april_clean' });
    const rows = await ok('query', { sql: 'SELECT Quantity FROM april_clean' });
    // April's single quantity 2 scaled with orders' min 1 and range 3.
    expect(rows.rows).toEqual([[(2 - 1) / 3]]);
  });

  it('builds customers, labels, series and products', async () => {
    const customers = await ok('buildCustomers', { table: 'orders', cutoff: '2024-03-31' });
    expect(customers.table).toMatchObject({ name: 'orders_customers', rows: 3 });
    const labels = await ok('buildLabels', { table: 'orders', cutoff: '2024-03-31', horizonDays: 30 });
    expect(labels.classBalance).toEqual({ positives: 1, negatives: 2, positiveShare: 1 / 3 });
    const series = await ok('buildSeries', { table: 'orders', freq: 'month', measure: 'units' });
    expect(series.summary).toMatchObject({ periods: 4, groups: 1 });
    const products = await ok('buildProducts', { table: 'orders' });
    expect(products.table).toMatchObject({ rows: 3 });
    const tables = (await ok('listTables', {})) as unknown as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['orders_customers', 'orders_labels', 'orders_monthly_units', 'orders_products']),
    );
  });

  it('ranks the features of the label table for its label, with p-values and a correlation matrix', async () => {
    const result = await ok('selectFeatures', { table: 'orders_labels', target: 'label', method: 'anova', k: 3 });
    const scores = result.features as { feature: string; rank: number; selected: boolean; pValue?: number }[];
    expect(scores.filter((s) => s.selected)).toHaveLength(3);
    expect(scores.map((s) => s.rank)).toEqual(scores.map((_s, i) => i + 1));
    expect(scores.map((s) => s.feature)).not.toContain('label');
    const correlation = result.correlation as { features: string[]; matrix: number[][] };
    expect(correlation.features).toHaveLength(scores.length);
    expect(correlation.matrix[0]![0]).toBe(1);
    const bad = await call('selectFeatures', { table: 'orders_labels', target: 'label', method: 'magic' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_params', params: { param: 'method' } } });
  });

  it('rejects bad params without touching any table', async () => {
    const before = ((await ok('listTables', {})) as unknown as unknown[]).length;
    const badRecipe = await call('applyRecipe', { table: 'orders', recipe: { version: 1, steps: 'no' } });
    expect(badRecipe).toMatchObject({ ok: false, error: { code: 'bad_params', params: { param: 'recipe' } } });
    const badDate = await call('buildLabels', { table: 'orders', cutoff: '31/03/2024' });
    expect(badDate).toMatchObject({ ok: false, error: { code: 'bad_params', params: { param: 'cutoff' } } });
    const noCutoff = await call('buildLabels', { table: 'orders' });
    expect(noCutoff).toMatchObject({ ok: false, error: { code: 'bad_params' } });
    const badFreq = await call('buildSeries', { table: 'orders', freq: 'hourly' });
    expect(badFreq).toMatchObject({ ok: false, error: { code: 'bad_params', params: { param: 'freq' } } });
    const missingRoles = await call('buildCustomers', { table: 'april_clean_nope' });
    expect(missingRoles).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(((await ok('listTables', {})) as unknown as unknown[]).length).toBe(before);
  });
});

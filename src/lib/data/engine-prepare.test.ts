/**
 * The engine's Prepare methods on real DuckDB-WASM: a recipe fitted on one export replays on
 * the next with the same statistics, results join the catalog, and failures change nothing.
 */
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Recipe } from '../contracts/prepare-api';
import type { Db } from './db';
import { DataEngine } from './engine';
import { bufferRegistrar } from './ingest/registrar';

const NOVEMBER = [
  'order_id,customer,amount,channel',
  'A1,c1,10,web',
  'A1,c1,10,web',
  'A2,c2,,shop',
  'A3,c3,30,web',
].join('\n');
const DECEMBER = ['order_id,customer,amount,channel', 'B1,c1,100,web', 'B2,c4,,app'].join('\n');

function recipe(): Recipe {
  return {
    version: 1,
    name: 'monthly clean-up',
    source: { columns: [] },
    steps: [
      { id: 's1', enabled: true, kind: 'dedupe' },
      { id: 's2', enabled: true, kind: 'impute', columns: ['amount'], method: 'mean', flagMissing: true },
      { id: 's3', enabled: true, kind: 'scale', columns: ['amount'], method: 'minmax' },
      { id: 's4', enabled: true, kind: 'one_hot', column: 'channel', topK: 1 },
    ],
  };
}

describe('DataEngine: recipes', () => {
  let db: Db;
  let engine: DataEngine;
  let job = 0;
  const nextJob = () => `job-${++job}`;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile(nextJob(), NOVEMBER, 'november.csv', {});
    await engine.loadFile(nextJob(), DECEMBER, 'december.csv', {});
  });
  afterAll(() => db?.bindings.reset());

  it('previews one step with before/after counts and the fitted statistics', async () => {
    const preview = await engine.previewRecipe(nextJob(), 'november', recipe(), 0, 10);
    expect(preview.before.rows).toBe(4);
    expect(preview.after.rows).toBe(3);
    expect(tableFromIPC(preview.ipc).numRows).toBe(3);
    const impute = await engine.previewRecipe(nextJob(), 'november', recipe(), 1, 10);
    expect(impute.after.columns.map((c) => c.name)).toContain('amount_was_missing');
    const step = impute.recipe.steps[1];
    // Mean of 10 and 30 after the duplicate A1 row is gone: 20.
    expect(step?.kind === 'impute' ? step.fitted : undefined).toEqual([{ column: 'amount', value: 20 }]);
  });

  it('applies a recipe as a new catalogued table and replays it on next month with the same numbers', async () => {
    const first = await engine.applyRecipe(nextJob(), { table: 'november', recipe: recipe() });
    expect(first.table).toMatchObject({
      name: 'november_prepared',
      rows: 3,
      derived: { kind: 'recipe', from: 'november' },
    });
    // The role of a column that kept its name survives the recipe.
    expect(first.table.columns.find((c) => c.name === 'order_id')?.role).toBe('order_id');
    expect(first.perStep.map((s) => s.rows)).toEqual([3, 3, 3, 3]);
    const saved = JSON.parse(JSON.stringify(first.recipe)) as Recipe;

    const replay = await engine.applyRecipe(nextJob(), { table: 'december', recipe: saved, fit: 'none' });
    const rows = db.rows(`SELECT order_id, amount, amount_was_missing FROM december_prepared ORDER BY order_id`);
    // November's min-max (10 … 30) and mean (20) are used, not December's own numbers.
    expect(rows).toEqual([
      { order_id: 'B1', amount: (100 - 10) / 20, amount_was_missing: false },
      { order_id: 'B2', amount: (20 - 10) / 20, amount_was_missing: true },
    ]);
    expect(replay.recipe).toEqual(saved);
    expect((await engine.listTables()).map((t) => t.name)).toContain('december_prepared');
  });

  it('refuses a recipe whose columns are missing, naming the step and leaving the catalog as it was', async () => {
    await engine.loadFile(nextJob(), 'order_id,total\nX,1', 'other.csv', {});
    const before = (await engine.listTables()).map((t) => t.name);
    await expect(
      engine.applyRecipe(nextJob(), { table: 'other', recipe: recipe(), into: 'other_clean' }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/amount/),
    });
    expect((await engine.listTables()).map((t) => t.name)).toEqual(before);
  });

  it('never writes a result over a loaded table or its own source', async () => {
    await expect(
      engine.applyRecipe(nextJob(), { table: 'november', recipe: recipe(), into: 'december' }),
    ).rejects.toMatchObject({ code: 'target_is_loaded_table' });
    await expect(
      engine.applyRecipe(nextJob(), { table: 'november', recipe: recipe(), into: 'november' }),
    ).rejects.toMatchObject({ code: 'target_is_loaded_table' });
    expect(db.scalar('SELECT count(*) FROM december')).toBe(2);
  });

  it('rejects untrusted recipe JSON with a clear error', async () => {
    const bad = { version: 1, name: 'x', source: { columns: [] }, steps: [{ id: 'a', enabled: true, kind: 'sql' }] };
    await expect(
      engine.applyRecipe(nextJob(), { table: 'november', recipe: bad as unknown as Recipe }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/recipe/) });
  });
});

const LINES = [
  'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '1001,A,2,2024-01-05 10:00,5.00,C1,UK',
  '1002,B,1,2024-02-10 11:00,20.00,C1,UK',
  '1003,A,4,2024-01-20 09:00,5.00,C2,France',
  '1004,C,1,2024-03-15 16:00,8.00,C3,UK',
  '1005,A,1,2024-03-20 12:00,5.00,C1,UK',
  'C1006,B,-1,2024-03-21 12:00,20.00,C2,France',
  '1007,B,3,2024-04-02 12:00,20.00,C3,UK',
].join('\n');

describe('DataEngine: feature builders from a role-mapped orders table', () => {
  let db: Db;
  let engine: DataEngine;
  let job = 0;
  const nextJob = () => `build-${++job}`;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile(nextJob(), LINES, 'lines.csv', {});
  });
  afterAll(() => db?.bindings.reset());

  it('builds a customer table with RFM scores, keeping the customer id role', async () => {
    const result = await engine.buildCustomers(nextJob(), { table: 'lines', cutoff: '2024-03-31' });
    expect(result.table).toMatchObject({
      name: 'lines_customers',
      rows: 3,
      derived: { kind: 'customers', from: 'lines' },
    });
    expect(result.summary.cutoff).toBe('2024-03-31');
    expect(result.table.columns.find((c) => c.name === 'customer_id')?.role).toBe('customer_id');
    const c1 = db.rows(
      `SELECT frequency, recency_days, monetary_total FROM lines_customers WHERE customer_id = 'C1'`,
    )[0];
    // C1: orders on Jan 5, Feb 10 and Mar 20 (2×5 + 20 + 5 = 35); the last is 11 days before the cutoff.
    expect(c1).toEqual({ frequency: 3, recency_days: 11, monetary_total: 35 });
  });

  it('builds a label table whose features use only events before the cutoff', async () => {
    const result = await engine.buildLabels(nextJob(), {
      table: 'lines',
      cutoff: '2024-03-31',
      horizonDays: 30,
      kind: 'buys_again',
    });
    // Only C3 orders again (Apr 2) within 30 days.
    expect(result.classBalance).toEqual({ positives: 1, negatives: 2, positiveShare: 1 / 3 });
    const c3 = db.rows(`SELECT label, frequency FROM lines_labels WHERE customer_id = 'C3'`)[0];
    expect(c3).toEqual({ label: 1, frequency: 1 });
  });

  it('builds a gap-filled monthly revenue series and a product table', async () => {
    const series = await engine.buildSeries(nextJob(), { table: 'lines', freq: 'month', measure: 'revenue' });
    expect(series.table.name).toBe('lines_monthly_revenue');
    expect(series.summary).toMatchObject({ periods: 4, groups: 1 });
    const products = await engine.buildProducts(nextJob(), { table: 'lines' });
    expect(products.table.rows).toBe(3);
  });

  it('says which role is missing, and creates nothing', async () => {
    await engine.loadFile(nextJob(), 'a,b\n1,2\n', 'plain.csv', {});
    const before = (await engine.listTables()).length;
    await expect(engine.buildCustomers(nextJob(), { table: 'plain' })).rejects.toMatchObject({ code: 'missing_role' });
    expect((await engine.listTables()).length).toBe(before);
  });

  it('refuses a label whose classes are all the same', async () => {
    await expect(
      engine.buildLabels(nextJob(), { table: 'lines', cutoff: '2024-01-10', horizonDays: 1, kind: 'buys_again' }),
    ).rejects.toMatchObject({ code: 'label_single_class' });
  });
});

describe('DataEngine: a step that cannot apply says why and changes nothing', () => {
  let db: Db;
  let engine: DataEngine;
  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('load', 'code,day\nA1,01.02.2024\nB2,03.04.2024\n', 'codes.csv', {});
  });
  afterAll(() => db?.bindings.reset());

  it('refuses a date format that matches no value, and a cast that converts nothing', async () => {
    const dates: Recipe = {
      version: 1,
      name: 'wrong format',
      source: { columns: [] },
      steps: [{ id: 'p', enabled: true, kind: 'parse_date', column: 'code', format: '%Y-%m-%d', as: 'date' }],
    };
    await expect(engine.applyRecipe('a', { table: 'codes', recipe: dates })).rejects.toMatchObject({
      code: 'step_converted_nothing',
      params: { step: 1, count: 2 },
    });
    const cast: Recipe = {
      ...dates,
      steps: [{ id: 'c', enabled: true, kind: 'cast', columns: ['code'], to: 'double' }],
    };
    await expect(engine.applyRecipe('b', { table: 'codes', recipe: cast })).rejects.toMatchObject({
      code: 'step_converted_nothing',
    });
    expect((await engine.listTables()).map((t) => t.name)).toEqual(['codes']);
    expect(db.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__recipe%'`)).toBe(0);
  });
});

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

import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import { arrowRowsToObjects } from '../data/arrow';
import type { Db } from '../data/db';
import { ShopSightError } from '../data/errors';
import { applyRecipe, previewStep } from './apply';
import { compileRecipe } from './compile';
import { describeColumns, fitRecipe } from './fit';
import { parseRecipe, type Recipe, type RecipeStep } from './steps';

type Scale = Extract<RecipeStep, { kind: 'scale' }>;
type Impute = Extract<RecipeStep, { kind: 'impute' }>;

async function rejected(promise: Promise<unknown>): Promise<ShopSightError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ShopSightError);
    return error as ShopSightError;
  }
  throw new Error('expected a ShopSightError');
}

describe('fitting on training rows and applying a recipe', () => {
  let db: Db;
  const tables = () => db.rows(`SELECT table_name FROM duckdb_tables() ORDER BY 1`).map((r) => r.table_name);

  beforeAll(async () => {
    db = await createNodeDb();
    // Training rows: x = 1, NULL, 3, 4; test rows: x = 100, 1000.
    db.exec(`CREATE TABLE sales AS SELECT * FROM (VALUES
      (1, 'train', 1.0::DOUBLE, 'a'), (2, 'train', NULL, 'b'), (3, 'train', 3.0, 'a'), (4, 'train', 4.0, 'c'),
      (5, 'test', 100.0, 'z'), (6, 'test', 1000.0, 'z')
    ) t(id, split, x, cat)`);
    db.exec(`CREATE VIEW sales_train AS SELECT * FROM sales WHERE split = 'train'`);
  });
  afterAll(() => db?.bindings.reset());

  const recipe = (): Recipe =>
    parseRecipe({
      version: 1,
      name: 'train only',
      source: { columns: describeColumns(db, 'sales') },
      steps: [
        { id: 'impute', kind: 'impute', columns: ['x'], method: 'mean' },
        { id: 'scale', kind: 'scale', columns: ['x'], method: 'standard' },
        { id: 'onehot', kind: 'one_hot', column: 'cat', topK: 1 },
      ],
    });

  it('fits every statistic on the training rows only, each step on the previous steps’ output', async () => {
    const fitted = await fitRecipe(db, 'sales', recipe(), { fitOn: 'sales_train' });
    const impute = fitted.steps[0] as Impute;
    const scale = fitted.steps[1] as Scale;
    // Mean of the training x (1, 3, 4) = 8/3; the test rows (100, 1000) would make it 277.
    expect(impute.fitted).toEqual([{ column: 'x', value: 8 / 3 }]);
    // Scaling sees the imputed training column 1, 8/3, 3, 4: mean 8/3, population std below.
    const train = [1, 8 / 3, 3, 4];
    const std = Math.sqrt(train.reduce((s, v) => s + (v - 8 / 3) ** 2, 0) / train.length);
    expect(scale.fitted![0]!.center).toBeCloseTo(8 / 3, 12);
    expect(scale.fitted![0]!.scale).toBeCloseTo(std, 12);
    // 'z' is the most frequent category overall, but 'a' is among the training rows.
    expect(fitted.steps[2]).toMatchObject({ fitted: { categories: ['a'] } });

    // Changing a test row's value changes no fitted number.
    db.exec(`UPDATE sales SET x = 5e6, cat = 'q' WHERE id = 5`);
    const again = await fitRecipe(db, 'sales', recipe(), { fitOn: 'sales_train' });
    expect(again).toEqual(fitted);
    // …while changing a training row does (the test above is not vacuous).
    db.exec(`UPDATE sales SET x = 2.0 WHERE id = 1`);
    const changed = await fitRecipe(db, 'sales', recipe(), { fitOn: 'sales_train' });
    expect((changed.steps[0] as Impute).fitted).toEqual([{ column: 'x', value: 3 }]);
    db.exec(`UPDATE sales SET x = 1.0 WHERE id = 1`);
    db.exec(`UPDATE sales SET x = 100.0, cat = 'z' WHERE id = 5`);

    // Applying to the full table uses the stored numbers.
    const result = await applyRecipe(db, 'sales', fitted, 'sales_prepared');
    expect(result.rows).toBe(6);
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'split', 'x', 'cat_a', 'cat_other']);
    expect(result.perStep).toEqual([
      { id: 'impute', rows: 6, columns: 4 },
      { id: 'scale', rows: 6, columns: 4 },
      { id: 'onehot', rows: 6, columns: 5 },
    ]);
    const rows = db.rows(`SELECT * FROM sales_prepared ORDER BY id`);
    expect(rows[1]!.x).toBeCloseTo(0, 12); // the imputed mean scales to 0
    expect(rows[4]!.x).toBeCloseTo((100 - 8 / 3) / std, 9);
    expect(rows.map((r) => r.cat_other)).toEqual([0, 1, 0, 1, 1, 1]);
  });

  it('counts rows after every step: row-keeping steps inherit, dedupe, filters and dropping outliers count', async () => {
    const chain = parseRecipe({
      version: 1,
      name: 'counts',
      source: { columns: [] },
      steps: [
        { id: 'fill', enabled: true, kind: 'impute', columns: ['x'], method: 'constant', value: 0 },
        { id: 'keep', enabled: true, kind: 'filter_rows', where: { all: [{ column: 'x', op: '>', value: 0 }] } },
        { id: 'log', enabled: true, kind: 'log1p', columns: ['x'] },
        {
          id: 'drop',
          enabled: true,
          kind: 'outliers',
          columns: ['x'],
          method: 'zscore',
          threshold: 1,
          action: 'drop',
          fitted: [{ column: 'x', lower: 0, upper: 2 }],
        },
      ],
    });
    const before = Number(db.scalar('SELECT count(*) FROM sales'));
    const positive = Number(db.scalar('SELECT count(*) FROM sales WHERE coalesce(x, 0) > 0'));
    const kept = Number(db.scalar('SELECT count(*) FROM sales WHERE x > 0 AND ln(1 + x) BETWEEN 0 AND 2'));
    const result = await applyRecipe(db, 'sales', chain, 'sales_counted');
    expect(result.perStep.map((s) => s.rows)).toEqual([before, positive, positive, kept]);
    expect(kept).toBeLessThan(positive);
    expect(result.rows).toBe(kept);
  });

  it('replays a fitted recipe on next month’s export without re-fitting', async () => {
    const fitted = await fitRecipe(db, 'sales', recipe(), { fitOn: 'sales_train' });
    db.exec(`CREATE TABLE sales_next AS SELECT * FROM (VALUES
      (7, 'new', NULL::DOUBLE, 'a'), (8, 'new', 50.0, 'b')) t(id, split, x, cat)`);
    const saved = parseRecipe(JSON.parse(JSON.stringify(fitted)));
    await applyRecipe(db, 'sales_next', saved, 'sales_next_prepared');
    const scale = (fitted.steps[1] as Scale).fitted![0]!;
    const rows = db.rows(`SELECT x FROM sales_next_prepared ORDER BY id`);
    expect(rows[0]!.x).toBeCloseTo(0, 12); // imputed with the TRAINING mean, not this file's 50
    expect(rows[1]!.x).toBe((50 - scale.center) / scale.scale);
  });

  it('refuses an unfitted recipe and a schema mismatch, leaving nothing behind', async () => {
    const before = tables();
    const notFitted = await rejected(applyRecipe(db, 'sales', recipe(), 'out1'));
    expect(notFitted.code).toBe('not_fitted');
    const fitted = await fitRecipe(db, 'sales', recipe(), { fitOn: 'sales_train' });
    db.exec(`CREATE TABLE sales_text AS SELECT id, split, CAST(x AS VARCHAR) AS x, cat FROM sales`);
    const mismatch = await rejected(applyRecipe(db, 'sales_text', fitted, 'out2'));
    expect(mismatch.code).toBe('schema_mismatch');
    expect(mismatch.message).toBe('Step 1 (impute) needs numeric column "x", but the table has it as text.');
    expect(tables()).toEqual([...before, 'sales_text'].sort());
  });

  it('a step that fails in DuckDB leaves the target and the source as they were', async () => {
    db.exec(`CREATE TABLE target_kept AS SELECT 42 AS answer`);
    const sourceBefore = db.rows(`SELECT * FROM sales ORDER BY id`);
    const before = tables();
    const bad = parseRecipe({
      version: 1,
      name: 'bad',
      source: { columns: describeColumns(db, 'sales') },
      steps: [
        { id: 'ok', kind: 'log1p', columns: ['x'] },
        // A number column compared with text that is no number: DuckDB refuses to convert it.
        { id: 'bad', kind: 'filter_rows', where: { all: [{ column: 'id', op: '=', value: 'seven' }] } },
      ],
    });
    const error = await rejected(applyRecipe(db, 'sales', bad, 'target_kept'));
    expect(error.code).toBe('recipe_failed');
    expect(error.message).toBe("Step 2 (filter_rows) could not be applied: Could not convert string 'seven' to INT32");
    expect(tables()).toEqual(before);
    expect(db.rows(`SELECT * FROM target_kept`)).toEqual([{ answer: 42 }]);
    expect(db.rows(`SELECT * FROM sales ORDER BY id`)).toEqual(sourceBefore);
  });

  it('replaces an existing target only when complete, and stops when cancelled', async () => {
    const fitted = await fitRecipe(db, 'sales', recipe(), { fitOn: 'sales_train' });
    db.exec(`CREATE OR REPLACE TABLE target_replaced AS SELECT 1 AS old`);
    await applyRecipe(db, 'sales', fitted, 'target_replaced');
    expect(describeColumns(db, 'target_replaced').map((c) => c.name)).toContain('cat_a');
    const before = tables();
    const cancelled = await rejected(applyRecipe(db, 'sales', fitted, 'never_made', { cancelled: true }));
    expect(cancelled.code).toBe('cancelled');
    expect(tables()).toEqual(before);
    const badName = await rejected(applyRecipe(db, 'sales', fitted, '__internal'));
    expect(badName.code).toBe('bad_table_name');
  });

  it('previews one step: before/after counts, first rows, failed conversions; fits on the fly', async () => {
    const r = parseRecipe({
      version: 1,
      name: 'preview',
      source: { columns: describeColumns(db, 'sales') },
      steps: [
        { id: 'f', kind: 'filter_rows', where: { all: [{ column: 'split', op: '=', value: 'train' }] } },
        { id: 'c', kind: 'cast', columns: ['cat'], to: 'integer' },
        { id: 's', kind: 'scale', columns: ['x'], method: 'minmax' },
      ],
    });
    const filter = await previewStep(db, 'sales', r, 0, 2);
    expect(filter.before.rows).toBe(6);
    expect(filter.after.rows).toBe(4);
    expect(filter.after.columns).toHaveLength(4);
    expect(filter.rowCount).toBe(2);
    expect(tableFromIPC(filter.ipc).numRows).toBe(2);
    const cast = await previewStep(db, 'sales', r, 1, 10);
    expect(cast.failed).toBe(4);
    expect(cast.after.columns.find((c) => c.name === 'cat')?.type).toBe('BIGINT');
    const scale = await previewStep(db, 'sales', r, 2, 10);
    // Fitted on the output of the filter: min 1, max 4.
    expect(scale.recipe.steps[2]).toMatchObject({ fitted: [{ column: 'x', center: 1, scale: 3 }] });
    const x = arrowRowsToObjects(tableFromIPC(scale.ipc)).map((row) => row.x);
    expect(x).toEqual([0, null, 2 / 3, 1]);
  });
});

describe('hostile names and values stay data', () => {
  let db: Db;
  const table = `订单 "x"; DROP TABLE t; --`;
  const price = `价格 'p"; --`;
  const city = `city"); DROP TABLE t; --`;
  beforeAll(async () => {
    db = await createNodeDb();
    db.exec(`CREATE TABLE t AS SELECT 1 AS canary`);
    db.exec(`CREATE TABLE "订单 ""x""; DROP TABLE t; --" AS SELECT * FROM (VALUES
      (1, 10.0::DOUBLE, '''; DROP TABLE t; --'), (2, 30.0, '上海'), (3, NULL, '上海')
    ) v(id, "价格 'p""; --", "city""); DROP TABLE t; --")`);
  });
  afterAll(() => db?.bindings.reset());

  it('compiles, fits and applies without executing anything from the data', async () => {
    const r = parseRecipe({
      version: 1,
      name: "'; DROP",
      source: { columns: describeColumns(db, table) },
      steps: [
        {
          id: "'; --",
          kind: 'filter_rows',
          where: {
            any: [
              { column: city, op: '=', value: "'; DROP TABLE t; --" },
              { column: city, op: 'contains', value: '上' },
            ],
          },
        },
        { id: 'impute', kind: 'impute', columns: [price], method: 'constant', value: 5, flagMissing: true },
        { id: 'onehot', kind: 'one_hot', column: city, topK: 5, keepOriginal: true },
        { id: 'rename', kind: 'rename_columns', renames: [{ from: price, to: `新"名'` }] },
        { id: 'freq', kind: 'frequency_encode', column: city, into: '频率' },
      ],
    });
    const fitted = await fitRecipe(db, table, r);
    expect(fitted.steps[2]).toMatchObject({ fitted: { categories: ['上海', "'; DROP TABLE t; --"] } });
    const result = await applyRecipe(db, table, fitted, `结果 "'`);
    expect(result.rows).toBe(3);
    expect(result.columns.map((c) => c.name)).toEqual([
      'id',
      `新"名'`,
      city,
      `${price}_was_missing`,
      `${city}_上海`,
      `${city}_'; DROP TABLE t; --`,
      `${city}_other`,
      '频率',
    ]);
    const rows = db.rows(`SELECT * FROM "结果 ""'" ORDER BY id`);
    expect(rows[0]).toMatchObject({ [city]: "'; DROP TABLE t; --", [`${city}_'; DROP TABLE t; --`]: 1, 频率: 1 / 3 });
    expect(rows[2]).toMatchObject({ [`新"名'`]: 5, [`${price}_was_missing`]: true, 频率: 2 / 3 });
    expect(db.scalar(`SELECT canary FROM t`)).toBe(1);
    expect(compileRecipe(fitted, table).sql).toContain(`'''; DROP TABLE t; --'`);
  });
});

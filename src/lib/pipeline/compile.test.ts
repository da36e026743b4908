import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Row } from '../data/arrow';
import type { Db } from '../data/db';
import { checkSchema, compileRecipe, failureCountSql } from './compile';
import { describeColumns, fitRecipe } from './fit';
import { parseRecipe, type Recipe, type RecipeStep } from './steps';

type StepInput = {
  [K in RecipeStep['kind']]: Omit<Extract<RecipeStep, { kind: K }>, 'id' | 'enabled'>;
}[RecipeStep['kind']];

describe('recipe steps compiled to DuckDB SQL', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
    // Prices 10, 20, 40, 100 and one missing: mean 42.5, population variance 4875/4 = 1218.75.
    db.exec(`CREATE TABLE orders AS SELECT * FROM (VALUES
      (1, 'a', 10.0::DOUBLE, 1, '01/02/2024', TIMESTAMP '2024-06-01 10:30:00', ' ＡＢＣ\u3000Shop '),
      (2, 'a', 20.0, NULL, '15/02/2024', TIMESTAMP '2024-06-03 08:00:00', 'abc shop'),
      (3, 'b', NULL, 3, 'bad', NULL, 'Paris'),
      (4, 'b', 40.0, 4, '29/02/2024', TIMESTAMP '2024-06-04 23:59:00', NULL),
      (5, 'c', 100.0, 5, NULL, TIMESTAMP '2024-06-05 00:00:00', 'Paris')
    ) t(id, customer, price, qty, day, ts, city)`);
  });
  afterAll(() => db?.bindings.reset());

  const recipeOf = (steps: StepInput[], table = 'orders'): Recipe =>
    parseRecipe({
      version: 1,
      name: 'test',
      source: { columns: describeColumns(db, table) },
      steps: steps.map((s, i) => ({ id: `s${i + 1}`, enabled: true, ...s })),
    });

  /** Fits (on the whole table) and runs the recipe; rows ordered by `orderBy`. */
  async function run(steps: StepInput[], orderBy = 'id', table = 'orders'): Promise<Row[]> {
    const fitted = await fitRecipe(db, table, recipeOf(steps, table));
    return db.rows(`SELECT * FROM (${compileRecipe(fitted, table).sql}) ORDER BY "${orderBy}"`);
  }
  const col = (rows: Row[], name: string) => rows.map((r) => r[name]);

  it('dedupe: whole rows, and by key keeping the last by an order column', async () => {
    const whole = await run(
      [
        { kind: 'select_columns', mode: 'keep', columns: ['customer'] },
        { kind: 'dedupe', keys: [] },
      ],
      'customer',
    );
    expect(col(whole, 'customer')).toEqual(['a', 'b', 'c']);
    const byKey = await run([{ kind: 'dedupe', keys: ['customer'], orderBy: 'id', keep: 'last' }]);
    expect(col(byKey, 'id')).toEqual([2, 4, 5]);
  });

  it('select (keep/drop) and rename', async () => {
    const keep = await run([{ kind: 'select_columns', mode: 'keep', columns: ['price', 'id'] }]);
    expect(Object.keys(keep[0]!)).toEqual(['price', 'id']);
    const drop = await run([
      { kind: 'select_columns', mode: 'drop', columns: ['day', 'ts', 'city'] },
      { kind: 'rename_columns', renames: [{ from: 'qty', to: '数量' }] },
    ]);
    expect(Object.keys(drop[0]!)).toEqual(['id', 'customer', 'price', '数量']);
  });

  it('filter: nested all/any, case-insensitive contains, NULLs', async () => {
    const rows = await run([
      {
        kind: 'filter_rows',
        where: {
          all: [
            { column: 'price', op: '>=', value: 20 },
            {
              any: [
                { column: 'city', op: 'contains', value: 'PAR', ignoreCase: true },
                { column: 'city', op: 'is_null' },
              ],
            },
          ],
        },
      },
    ]);
    expect(col(rows, 'id')).toEqual([4, 5]);
    const ops: [StepInput, number[]][] = [
      [{ kind: 'filter_rows', where: { all: [{ column: 'customer', op: 'in', value: ['a', 'c'] }] } }, [1, 2, 5]],
      [{ kind: 'filter_rows', where: { all: [{ column: 'price', op: 'between', value: [20, 40] }] } }, [2, 4]],
      // `!=` keeps missing values, like pandas.
      [{ kind: 'filter_rows', where: { all: [{ column: 'city', op: '!=', value: 'Paris' }] } }, [1, 2, 4]],
      [{ kind: 'filter_rows', where: { all: [{ column: 'city', op: 'starts_with', value: 'abc' }] } }, [2]],
      [{ kind: 'filter_rows', where: { all: [{ column: 'price', op: 'not_null' }] } }, [1, 2, 4, 5]],
      [{ kind: 'filter_rows', where: { all: [{ column: 'ts', op: '<', value: '2024-06-04' }] } }, [1, 2]],
    ];
    for (const [step, ids] of ops) expect(col(await run([step]), 'id')).toEqual(ids);
  });

  it('cast with TRY_CAST semantics and a count of failed values', async () => {
    const rows = await run([{ kind: 'cast', columns: ['city'], to: 'integer' }]);
    expect(col(rows, 'city')).toEqual([null, null, null, null, null]);
    const text = await run([{ kind: 'cast', columns: ['qty', 'id'], to: 'varchar' }]);
    expect(col(text, 'qty')).toEqual(['1', null, '3', '4', '5']);
    const recipe = recipeOf([{ kind: 'cast', columns: ['city', 'qty'], to: 'integer' }]);
    // Four non-missing cities fail; no quantity does.
    expect(db.scalar(`SELECT ${failureCountSql(recipe.steps[0]!, 'orders')}`)).toBe(4);
  });

  it('parse_date into a new column, counting values that match nothing', async () => {
    const steps: StepInput[] = [{ kind: 'parse_date', column: 'day', format: '%d/%m/%Y', as: 'date', into: 'd' }];
    const rows = await run(steps);
    expect(col(rows, 'd')).toEqual(['2024-02-01', '2024-02-15', null, '2024-02-29', null]);
    expect(db.scalar(`SELECT ${failureCountSql(recipeOf(steps).steps[0]!, 'orders')}`)).toBe(1);
    const inPlace = await run([{ kind: 'parse_date', column: 'day', format: '%d/%m/%Y', as: 'timestamp' }]);
    expect(inPlace[0]!.day).toBe('2024-02-01 00:00:00');
  });

  it('date parts (ISO weekday, 1 = Monday) and days between / since', async () => {
    const rows = await run([
      { kind: 'date_parts', column: 'ts', parts: ['year', 'month', 'weekday', 'hour', 'is_weekend'] },
      { kind: 'days_between', start: 'ts', end: { date: '2024-06-10' }, into: 'days_since' },
    ]);
    // 2024-06-01 was a Saturday.
    expect(rows[0]).toMatchObject({
      ts_year: 2024,
      ts_month: 6,
      ts_weekday: 6,
      ts_hour: 10,
      ts_is_weekend: true,
      days_since: 9,
    });
    expect(col(rows, 'ts_is_weekend')).toEqual([true, false, null, false, false]);
    expect(col(rows, 'days_since')).toEqual([9, 7, null, 6, 5]);
    const between = await run([
      { kind: 'parse_date', column: 'day', format: '%d/%m/%Y', as: 'date', into: 'd' },
      { kind: 'days_between', start: 'd', end: { column: 'ts' }, into: 'gap' },
    ]);
    // 2024-02-01 → 2024-06-01: 29 + 31 + 30 + 31 days.
    expect(between[0]!.gap).toBe(121);
  });

  it('impute: mean, median, mode (ties to the smallest), constant, flags', async () => {
    const mean = await run([{ kind: 'impute', columns: ['price'], method: 'mean', flagMissing: true }]);
    expect(col(mean, 'price')).toEqual([10, 20, 42.5, 40, 100]);
    expect(col(mean, 'price_was_missing')).toEqual([false, false, true, false, false]);
    const median = await run([{ kind: 'impute', columns: ['price'], method: 'median' }]);
    expect(median[2]!.price).toBe(30);
    const mode = await run([{ kind: 'impute', columns: ['qty', 'city'], method: 'mode' }]);
    expect(col(mode, 'qty')).toEqual([1, 1, 3, 4, 5]);
    expect(mode[3]!.city).toBe('Paris');
    const constant = await run([{ kind: 'impute', columns: ['city'], method: 'constant', value: "l'inconnu" }]);
    expect(constant[3]!.city).toBe("l'inconnu");
  });

  it('impute: forward fill within a group, ordered by a column', async () => {
    const rows = await run([
      { kind: 'impute', columns: ['qty', 'price'], method: 'forward_fill', orderBy: 'id', groupBy: ['customer'] },
    ]);
    expect(col(rows, 'qty')).toEqual([1, 1, 3, 4, 5]);
    // Customer b's first price is missing and nothing precedes it in its group.
    expect(col(rows, 'price')).toEqual([10, 20, null, 40, 100]);
  });

  it('outliers by IQR (linear quartiles) and z-score (population std), clip or drop', async () => {
    // Quartiles of 10, 20, 40, 100: q1 = 17.5, q3 = 55, IQR 37.5; with k = 0.5: [-1.25, 73.75].
    const clip = await run([{ kind: 'outliers', columns: ['price'], method: 'iqr', threshold: 0.5, action: 'clip' }]);
    expect(col(clip, 'price')).toEqual([10, 20, null, 40, 73.75]);
    const drop = await run([{ kind: 'outliers', columns: ['price'], method: 'iqr', threshold: 0.5, action: 'drop' }]);
    expect(col(drop, 'id')).toEqual([1, 2, 3, 4]);
    const z = await fitRecipe(
      db,
      'orders',
      recipeOf([{ kind: 'outliers', columns: ['price'], method: 'zscore', threshold: 1.5, action: 'drop' }]),
    );
    const std = Math.sqrt(1218.75);
    expect((z.steps[0] as Extract<RecipeStep, { kind: 'outliers' }>).fitted).toEqual([
      { column: 'price', lower: 42.5 - 1.5 * std, upper: 42.5 + 1.5 * std },
    ]);
  });

  it('scale: standard uses the population std (ddof 0, like StandardScaler); min-max; robust', async () => {
    const std = Math.sqrt(((10 - 42.5) ** 2 + (20 - 42.5) ** 2 + (40 - 42.5) ** 2 + (100 - 42.5) ** 2) / 4);
    // An independent formula in SQL: the square root of the mean squared deviation.
    const sqlStd = db.scalar(`SELECT sqrt(avg((price - m) ^ 2)) FROM orders, (SELECT avg(price) m FROM orders)`);
    expect(std).toBeCloseTo(sqlStd as number, 12);
    const fitted = await fitRecipe(db, 'orders', recipeOf([{ kind: 'scale', columns: ['price'], method: 'standard' }]));
    const f = (fitted.steps[0] as Extract<RecipeStep, { kind: 'scale' }>).fitted![0]!;
    expect(f.center).toBe(42.5);
    expect(f.scale).toBeCloseTo(std, 12);
    expect(f.scale).not.toBeCloseTo(Math.sqrt(4875 / 3), 3); // not the sample std
    const standard = db.rows(`SELECT * FROM (${compileRecipe(fitted, 'orders').sql}) ORDER BY id`);
    expect(standard[0]!.price).toBeCloseTo(-32.5 / std, 12);
    const minmax = await run([{ kind: 'scale', columns: ['price'], method: 'minmax' }]);
    expect(col(minmax, 'price')).toEqual([0, 10 / 90, null, 30 / 90, 1]);
    const robust = await run([{ kind: 'scale', columns: ['price', 'qty'], method: 'robust' }]);
    expect(col(robust, 'price')).toEqual([-20 / 37.5, -10 / 37.5, null, 10 / 37.5, 70 / 37.5]);
  });

  it('scale: a constant column maps to 0 (spread stored as 1)', async () => {
    const rows = await run([
      { kind: 'filter_rows', where: { all: [{ column: 'qty', op: 'in', value: [4, 4.0] }] } },
      { kind: 'scale', columns: ['qty'], method: 'minmax' },
      { kind: 'scale', columns: ['price'], method: 'standard' },
    ]);
    expect(rows).toMatchObject([{ id: 4, qty: 0, price: 0 }]);
  });

  it('log1p: ln(1 + x), NULL at or below −1', async () => {
    const rows = await run([{ kind: 'log1p', columns: ['price'] }]);
    expect(rows[0]!.price).toBe(Math.log1p(10));
    db.exec(`CREATE TABLE neg AS SELECT * FROM (VALUES (1, -1), (2, -0.5), (3, 0)) t(id, x)`);
    expect(col(await run([{ kind: 'log1p', columns: ['x'] }], 'id', 'neg'), 'x')).toEqual([null, Math.log(0.5), 0]);
  });

  it('bin: equal width (np.linspace edges) and quantile, like np.digitize on inner edges', async () => {
    const width = await run([{ kind: 'bin', column: 'price', method: 'equal_width', bins: 3, into: 'price_bin' }]);
    // Edges 10, 40, 70, 100: 40 opens the second bin.
    expect(col(width, 'price_bin')).toEqual([0, 0, null, 1, 2]);
    const fitted = await fitRecipe(
      db,
      'orders',
      recipeOf([{ kind: 'bin', column: 'price', method: 'quantile', bins: 2 }]),
    );
    expect((fitted.steps[0] as Extract<RecipeStep, { kind: 'bin' }>).fitted).toEqual({ edges: [10, 30, 100] });
    const quantile = db.rows(`SELECT * FROM (${compileRecipe(fitted, 'orders').sql}) ORDER BY id`);
    expect(col(quantile, 'price')).toEqual([0, 0, null, 1, 1]);
  });

  it('one-hot: top-K plus other, missing in no column', async () => {
    const rows = await run([{ kind: 'one_hot', column: 'city', topK: 1 }]);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'customer', 'price', 'qty', 'day', 'ts', 'city_Paris', 'city_other']);
    expect(col(rows, 'city_Paris')).toEqual([0, 0, 1, 0, 1]);
    expect(col(rows, 'city_other')).toEqual([1, 1, 0, 0, 0]);
  });

  it('ordinal (sorted categories, unseen → −1) and frequency encoding (share of rows)', async () => {
    const rows = await run([
      { kind: 'ordinal_encode', column: 'customer', into: 'customer_code' },
      { kind: 'frequency_encode', column: 'customer' },
    ]);
    expect(col(rows, 'customer_code')).toEqual([0, 0, 1, 1, 2]);
    expect(col(rows, 'customer')).toEqual([0.4, 0.4, 0.4, 0.4, 0.2]);
    const explicit = await run([{ kind: 'ordinal_encode', column: 'customer', order: ['c', 'a'] }]);
    expect(col(explicit, 'customer')).toEqual([1, 1, -1, -1, 0]);
    const counts = await run([{ kind: 'frequency_encode', column: 'city', normalize: false }]);
    expect(col(counts, 'city')).toEqual([1, 1, 2, null, 2]);
  });

  it('text clean: full-width → half-width (U+FF01–FF5E, U+3000), trim, lowercase', async () => {
    const rows = await run([{ kind: 'text_clean', columns: ['city'], halfWidth: true, trim: true, lowercase: true }]);
    expect(col(rows, 'city')).toEqual(['abc shop', 'abc shop', 'paris', null, 'paris']);
    db.exec(`CREATE TABLE fw AS SELECT 1 AS id, '！＂＃＇（）０９：；＠ＡＺ［＼］＾＿｀ａｚ｛｜｝～\u3000x' AS t`);
    const all = await run([{ kind: 'text_clean', columns: ['t'], halfWidth: true }], 'id', 'fw');
    expect(all[0]!.t).toBe('!"#\'()09:;@AZ[\\]^_`az{|}~ x');
  });

  it('skips disabled steps', async () => {
    const recipe = recipeOf([
      { kind: 'select_columns', mode: 'keep', columns: ['id'] },
      { kind: 'log1p', columns: ['id'] },
    ]);
    recipe.steps[0]!.enabled = false;
    const compiled = compileRecipe(recipe, 'orders');
    expect(compiled.steps.map((s) => s.id)).toEqual(['s2']);
    const rows = db.rows(`SELECT * FROM (${compiled.sql}) ORDER BY id`);
    expect(Object.keys(rows[0]!)).toHaveLength(7);
    expect(rows[0]!.id).toBe(Math.log(2));
  });

  it('refuses to compile a fitted step that has not been fitted', () => {
    const recipe = recipeOf([{ kind: 'scale', columns: ['price'], method: 'standard' }]);
    expect(() => compileRecipe(recipe, 'orders')).toThrow(/Step 1 \(scale\) has not been fitted yet/);
  });
});

describe('schema checks for next month’s file', () => {
  const recipe = parseRecipe({
    version: 1,
    name: 'r',
    source: { columns: [] },
    steps: [
      { id: 'a', kind: 'rename_columns', renames: [{ from: 'price', to: 'Price' }] },
      { id: 'b', kind: 'impute', columns: ['city'], method: 'constant', value: '?' },
      {
        id: 'c',
        kind: 'scale',
        columns: ['Price'],
        method: 'standard',
        fitted: [{ column: 'Price', center: 1, scale: 2 }],
      },
      { id: 'd', kind: 'date_parts', column: 'ts', parts: ['year'] },
    ],
  });
  const good = [
    { name: 'price', type: 'DOUBLE' },
    { name: 'city', type: 'VARCHAR' },
    { name: 'ts', type: 'TIMESTAMP' },
  ];

  it('accepts a matching table', () => {
    expect(checkSchema(recipe, good)).toBeUndefined();
  });

  it('names a wrong type', () => {
    const error = checkSchema(recipe, [{ name: 'price', type: 'VARCHAR' }, ...good.slice(1)]);
    expect(error?.code).toBe('schema_mismatch');
    expect(error?.message).toBe('Step 3 (scale) needs numeric column "Price", but the table has it as text.');
    expect(error?.params).toMatchObject({ step: 3, kind: 'scale', column: 'Price', type: 'VARCHAR' });
  });

  it('names a missing column', () => {
    const error = checkSchema(
      recipe,
      good.filter((c) => c.name !== 'city'),
    );
    expect(error?.message).toBe('Step 2 (impute) needs column "city", but the table has no such column.');
    const ts = checkSchema(recipe, [...good.slice(0, 2), { name: 'ts', type: 'BIGINT' }]);
    expect(ts?.message).toBe(
      'Step 4 (date_parts) needs date or timestamp column "ts", but the table has it as numeric (BIGINT).',
    );
  });

  it('catches a new column that clashes (DuckDB ignores case)', () => {
    const error = checkSchema(recipe, [...good, { name: 'TS_YEAR', type: 'INTEGER' }]);
    expect(error?.message).toBe('Step 4 (date_parts) would create column "ts_year", but the table already has one.');
  });

  it('does not check disabled steps', () => {
    const off: Recipe = { ...recipe, steps: recipe.steps.map((s) => (s.id === 'c' ? { ...s, enabled: false } : s)) };
    expect(checkSchema(off, [{ name: 'price', type: 'VARCHAR' }, ...good.slice(1)])).toBeUndefined();
  });
});

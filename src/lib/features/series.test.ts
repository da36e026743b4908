import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db';
import { createNodeDb } from '../../test/duckdb-node';
import { OTHER_GROUP, buildSalesSeries, detectFrequency } from './series';
import { LINE_ROLES, createLines, type Line } from './test-fixtures';

/** Mon 1 Jan 2024 … Tue 9 Jan; one cancelled line on Sat 6 Jan. */
const LINES: Line[] = [
  ['a', 1, '2024-01-01 10:00:00', 'p1', 'X', 1, 10],
  ['a', 1, '2024-01-01 10:00:00', 'p2', 'Y', 1, 5],
  ['b', 2, '2024-01-03 12:00:00', 'p1', 'X', 1, 7],
  ['c', 3, '2024-01-06 09:00:00', 'p3', 'Y', 1, 2],
  ['C1', 3, '2024-01-06 18:00:00', 'p3', 'Y', -1, 2],
  ['d', 1, '2024-01-09 23:59:00', 'p4', 'Z', 1, 1],
];

let db: Db;
beforeAll(async () => {
  db = await createNodeDb();
  createLines(db, 'sales', LINES);
});
afterAll(() => db?.bindings.reset());

describe('buildSalesSeries', () => {
  it('fills the days without sales with 0 and adds the calendar', async () => {
    const s = await buildSalesSeries(db, {
      table: 'sales',
      roles: LINE_ROLES,
      freq: 'day',
      measure: 'revenue',
      into: 'daily',
    });
    expect(s).toMatchObject({ rows: 9, periods: 9, groups: 1, from: '2024-01-01', to: '2024-01-09' });
    const rows = db.rows('SELECT * FROM daily');
    expect(rows.map((r) => r.value)).toEqual([15, 0, 7, 0, 0, 0, 0, 0, 1]);
    expect(rows.map((r) => r.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
    expect(rows.filter((r) => r.is_weekend).map((r) => r.period)).toEqual(['2024-01-06', '2024-01-07']);
    expect(rows[0]).toMatchObject({ period: '2024-01-01', year: 2024, month: 1 });
  });

  it('counts orders without the cancellation', async () => {
    await buildSalesSeries(db, { table: 'sales', roles: LINE_ROLES, freq: 'day', measure: 'orders', into: 'd_orders' });
    expect(db.rows('SELECT value FROM d_orders').map((r) => r.value)).toEqual([1, 0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('groups by category per Monday-based week, every group over the full span', async () => {
    const s = await buildSalesSeries(db, {
      table: 'sales',
      roles: LINE_ROLES,
      freq: 'week',
      by: 'category',
      measure: 'revenue',
      into: 'weekly',
    });
    expect(s).toMatchObject({ rows: 6, periods: 2, groups: 3 });
    expect(db.rows('SELECT period, "group", value, week_of_year FROM weekly')).toEqual([
      { period: '2024-01-01', group: 'X', value: 17, week_of_year: 1 },
      { period: '2024-01-08', group: 'X', value: 0, week_of_year: 2 },
      { period: '2024-01-01', group: 'Y', value: 5, week_of_year: 1 },
      { period: '2024-01-08', group: 'Y', value: 0, week_of_year: 2 },
      { period: '2024-01-01', group: 'Z', value: 0, week_of_year: 1 },
      { period: '2024-01-08', group: 'Z', value: 1, week_of_year: 2 },
    ]);
  });

  it('keeps the top N groups and sums the rest', async () => {
    await buildSalesSeries(db, {
      table: 'sales',
      roles: LINE_ROLES,
      freq: 'week',
      by: 'cat',
      topN: 1,
      measure: 'units',
      into: 'top1',
    });
    // Units: X 2, Y 1 + 1 − 1 = 1, Z 1 → X is kept (Y and Z tie but are merged anyway).
    expect(db.rows('SELECT "group", value FROM top1')).toEqual([
      { group: OTHER_GROUP, value: 1 },
      { group: OTHER_GROUP, value: 1 },
      { group: 'X', value: 2 },
      { group: 'X', value: 0 },
    ]);
  });

  it('lets a NULL group be among the top N', async () => {
    createLines(db, 'with_null', [...LINES, ['e', 2, '2024-01-02 08:00:00', 'p5', null, 5, 10]]);
    await buildSalesSeries(db, {
      table: 'with_null',
      roles: LINE_ROLES,
      freq: 'week',
      by: 'category',
      topN: 1,
      measure: 'revenue',
      into: 'top_null',
    });
    expect(db.rows('SELECT "group", value FROM top_null')).toEqual([
      { group: OTHER_GROUP, value: 22 },
      { group: OTHER_GROUP, value: 1 },
      { group: null, value: 50 },
      { group: null, value: 0 },
    ]);
    const { category: _category, ...noCategory } = LINE_ROLES;
    await expect(
      buildSalesSeries(db, {
        table: 'sales',
        roles: noCategory,
        freq: 'day',
        by: 'category',
        measure: 'orders',
        into: 'x',
      }),
    ).rejects.toMatchObject({ code: 'missing_role', params: { role: 'category' } });
  });

  it('has one monthly period and refuses unknown columns and missing measures', async () => {
    await buildSalesSeries(db, {
      table: 'sales',
      roles: LINE_ROLES,
      freq: 'month',
      measure: 'revenue',
      into: 'monthly',
    });
    expect(db.rows('SELECT * FROM monthly')).toEqual([{ period: '2024-01-01', value: 23, year: 2024, month: 1 }]);
    await expect(
      buildSalesSeries(db, {
        table: 'sales',
        roles: LINE_ROLES,
        freq: 'day',
        by: 'nope',
        measure: 'orders',
        into: 'x',
      }),
    ).rejects.toMatchObject({ code: 'unknown_column', params: { column: 'nope' } });
    const roles = { order_id: 'inv', customer_id: 'cust', timestamp: 'ts' };
    await expect(
      buildSalesSeries(db, { table: 'sales', roles, freq: 'day', measure: 'units', into: 'x' }),
    ).rejects.toMatchObject({ code: 'missing_role', params: { role: 'quantity' } });
  });
});

describe('detectFrequency', () => {
  it('reads the median gap between distinct dates', async () => {
    db.exec(`CREATE TABLE f AS SELECT DATE '2024-01-01' + INTERVAL (i * 7) DAY AS w,
      DATE '2024-01-01' + INTERVAL (i) MONTH AS m, CAST(DATE '2024-01-01' + INTERVAL (i) DAY AS VARCHAR) AS d
      FROM range(10) t(i)`);
    db.exec(`INSERT INTO f VALUES ('2024-01-01', '2024-01-01', NULL)`); // duplicates and NULLs do not matter
    expect(await detectFrequency(db, 'f', 'd')).toEqual({ freq: 'day', medianGapDays: 1 });
    expect(await detectFrequency(db, 'f', 'w')).toEqual({ freq: 'week', medianGapDays: 7 });
    expect(await detectFrequency(db, 'f', 'm')).toEqual({ freq: 'month', medianGapDays: 31 });
    expect(await detectFrequency(db, 'sales', 'ts')).toMatchObject({ freq: 'week' }); // gaps 2, 3, 3
    db.exec(`CREATE TABLE one AS SELECT DATE '2024-01-01' AS d`);
    expect(await detectFrequency(db, 'one', 'd')).toEqual({ freq: null, medianGapDays: null });
  });
});

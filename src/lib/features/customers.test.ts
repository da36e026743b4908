import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db';
import type { Row } from '../data/arrow';
import { createNodeDb } from '../../test/duckdb-node';
import { tableExists } from '../sql/run';
import { RFM_SEGMENTS, buildCustomerTable, rfmSegmentSql } from './customers';
import { LINE_ROLES, SHOP, createLines } from './test-fixtures';

let db: Db;
beforeAll(async () => {
  db = await createNodeDb();
  createLines(db, 'shop', SHOP);
});
afterAll(() => db?.bindings.reset());

function byCustomer(table: string): Map<number, Row> {
  return new Map(db.rows(`SELECT * FROM "${table}"`).map((r) => [r.customer_id as number, r]));
}

describe('buildCustomerTable', () => {
  it('computes the hand-worked features of the small shop', async () => {
    const summary = await buildCustomerTable(db, {
      table: 'shop',
      roles: LINE_ROLES,
      cutoff: '2024-01-31',
      into: 'cust',
    });
    expect(summary).toMatchObject({ table: 'cust', rows: 5, excludedNullCustomers: 1, cutoff: '2024-01-31' });
    const c = byCustomer('cust');
    expect([...c.keys()]).toEqual([1, 2, 3, 4, 5]);
    // Customer 1: orders on Jan 1, 11, 21 (the Jan 22 cancellation and the Feb 5 order do not count).
    expect(c.get(1)).toMatchObject({
      recency_days: 10,
      frequency: 3,
      monetary_total: 65,
      tenure_days: 30,
      distinct_products: 3,
      distinct_categories: 2,
      mean_days_between_orders: 10,
      std_days_between_orders: 0,
      return_share: 0.2,
      orders_last_30d: 3,
      orders_last_90d: 3,
      preferred_weekday: 1, // Mon, Thu, Sun once each: the tie goes to Monday
      preferred_hour: 10,
      r_score: 4,
      f_score: 4,
      m_score: 4,
      rfm_segment: 'Loyal Customers',
    });
    expect(c.get(1)!.avg_order_value).toBeCloseTo(65 / 3, 10);
    expect(c.get(1)!.items_per_order).toBeCloseTo(7 / 3, 10);
    expect(c.get(2)).toMatchObject({
      recency_days: 1,
      frequency: 1,
      monetary_total: 20,
      avg_order_value: 20,
      tenure_days: 1,
      mean_days_between_orders: null,
      std_days_between_orders: null,
      orders_last_30d: 1,
      preferred_weekday: 2,
      preferred_hour: 15,
      r_score: 5,
      f_score: 2,
      m_score: 2,
      rfm_segment: 'Potential Loyalists',
    });
    // Customer 3: Nov 1, 3, 8 → gaps 2 and 5 days; Nov 8 → Jan 31 is 84 days; 90 days back is Nov 2.
    expect(c.get(3)).toMatchObject({
      recency_days: 84,
      frequency: 3,
      monetary_total: 70,
      tenure_days: 91,
      mean_days_between_orders: 3.5,
      std_days_between_orders: 1.5,
      items_per_order: 14 / 3,
      orders_last_30d: 0,
      orders_last_90d: 2,
      preferred_weekday: 3,
      preferred_hour: 9,
      r_score: 3,
      f_score: 4,
      m_score: 5,
      rfm_segment: 'Loyal Customers',
    });
    expect(c.get(4)).toMatchObject({
      recency_days: null,
      frequency: 0,
      monetary_total: 0,
      avg_order_value: null,
      return_share: 1,
      r_score: 1,
      f_score: 1,
      m_score: 1,
      rfm_segment: 'Lost',
    });
    expect(c.get(5)).toMatchObject({
      recency_days: 244,
      r_score: 2,
      f_score: 2,
      m_score: 2,
      rfm_segment: 'Hibernating',
    });
  });

  it('defaults the cutoff to the day after the last line, so every line counts', async () => {
    const summary = await buildCustomerTable(db, { table: 'shop', roles: LINE_ROLES, into: 'cust_all' });
    expect(summary.cutoff).toBe('2024-02-06');
    const c = byCustomer('cust_all');
    expect(c.get(1)).toMatchObject({ frequency: 4, recency_days: 1 });
    const withTime = await buildCustomerTable(db, {
      table: 'shop',
      roles: LINE_ROLES,
      cutoff: '2024-01-30T15:00',
      into: 'cust_t',
    });
    // Customer 2's order at exactly 15:00 is not strictly before the cutoff.
    expect(withTime).toMatchObject({ cutoff: '2024-01-30 15:00:00', rows: 4 });
  });

  it('leaves out hour and product columns the data cannot support', async () => {
    db.exec(
      `CREATE OR REPLACE TABLE daily AS SELECT inv, cust, CAST(ts AS DATE) AS d, qty * price AS amount FROM shop`,
    );
    await buildCustomerTable(db, {
      table: 'daily',
      roles: { order_id: 'inv', customer_id: 'cust', timestamp: 'd', line_amount: 'amount' },
      cutoff: '2024-01-31',
      into: 'cust_daily',
    });
    const names = db.rows('DESCRIBE cust_daily').map((r) => r.column_name);
    expect(names).not.toContain('preferred_hour');
    expect(names).not.toContain('distinct_products');
    expect(names).toContain('preferred_weekday');
    expect(byCustomer('cust_daily').get(1)).toMatchObject({ monetary_total: 65, items_per_order: 4 / 3 });
  });

  it('refuses a missing amount and a bad cutoff with stable codes', async () => {
    const noAmount = { order_id: 'inv', customer_id: 'cust', timestamp: 'ts' };
    await expect(buildCustomerTable(db, { table: 'shop', roles: noAmount, into: 'x' })).rejects.toMatchObject({
      code: 'missing_role',
      params: { role: 'line_amount' },
    });
    for (const cutoff of ['31/01/2024', '2024-02-30']) {
      await expect(
        buildCustomerTable(db, { table: 'shop', roles: LINE_ROLES, cutoff, into: 'x' }),
      ).rejects.toMatchObject({ code: 'bad_cutoff', params: { cutoff } });
    }
    await expect(
      buildCustomerTable(db, { table: 'shop', roles: { ...LINE_ROLES, quantity: 'Quantity' }, into: 'x' }),
    ).rejects.toMatchObject({ code: 'unknown_column', params: { column: 'Quantity', role: 'quantity' } });
    await expect(buildCustomerTable(db, { table: 'nope', roles: LINE_ROLES, into: 'x' })).rejects.toMatchObject({
      code: 'unknown_table',
    });
    await expect(buildCustomerTable(db, { table: 'shop', roles: LINE_ROLES, into: '__x' })).rejects.toMatchObject({
      code: 'bad_table_name',
    });
    expect(tableExists(db, 'x')).toBe(false);
  });

  it('keeps the previous table and leaves nothing behind when cancelled', async () => {
    db.exec('CREATE OR REPLACE TABLE keep AS SELECT 42 AS answer');
    const before = db.rows('SELECT table_name FROM duckdb_tables() ORDER BY 1');
    await expect(
      buildCustomerTable(db, { table: 'shop', roles: LINE_ROLES, into: 'keep' }, { cancelled: true }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(db.rows('SELECT * FROM keep')).toEqual([{ answer: 42 }]);
    expect(db.rows('SELECT table_name FROM duckdb_tables() ORDER BY 1')).toEqual(before);
  });
});

describe('rfmSegmentSql', () => {
  it('names every R×F cell with one of the documented segments', () => {
    const rows = db.rows(
      `SELECT r, f, ${rfmSegmentSql('r', 'f')} AS s FROM range(1, 6) a(r), range(1, 6) b(f) ORDER BY r, f`,
    );
    const cell = (r: number, f: number): unknown => rows.find((x) => x.r === r && x.f === f)?.s;
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((x) => x.s))).toEqual(new Set(RFM_SEGMENTS));
    expect([cell(5, 5), cell(5, 4), cell(4, 5), cell(3, 4)]).toEqual([
      'Champions',
      'Champions',
      'Loyal Customers',
      'Loyal Customers',
    ]);
    expect([cell(5, 1), cell(4, 1), cell(4, 3), cell(3, 3), cell(3, 1)]).toEqual([
      'New Customers',
      'Promising',
      'Potential Loyalists',
      'Need Attention',
      'About to Sleep',
    ]);
    expect([cell(2, 5), cell(1, 3), cell(1, 1), cell(2, 1), cell(1, 2)]).toEqual([
      "Can't Lose Them",
      'At Risk',
      'Lost',
      'Hibernating',
      'Hibernating',
    ]);
  });
});

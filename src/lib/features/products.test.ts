import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db';
import { createNodeDb } from '../../test/duckdb-node';
import { buildProductTable } from './products';
import { LINE_ROLES, SHOP, createLines } from './test-fixtures';

let db: Db;
beforeAll(async () => {
  db = await createNodeDb();
  createLines(db, 'shop', SHOP);
  // One line without a product id.
  db.exec(`INSERT INTO shop VALUES ('o11', 2, '2024-01-05 08:00:00', NULL, 'Y', 1, 3)`);
});
afterAll(() => db?.bindings.reset());

describe('buildProductTable', () => {
  it('computes the hand-worked product figures over all lines', async () => {
    const summary = await buildProductTable(db, { table: 'shop', roles: LINE_ROLES, into: 'prod' });
    expect(summary).toMatchObject({ table: 'prod', rows: 3, excludedNullProducts: 1 });
    expect(summary.cutoff).toBeUndefined();
    const [p1, p2, p3] = db.rows('SELECT * FROM prod');
    // p1: 2+1+1 (customer 1) + 10+2+2 (customer 3) units; one unit returned by customer 4.
    expect(p1).toMatchObject({
      product_id: 'p1',
      category: 'X',
      units: 18,
      revenue: 90,
      orders: 6,
      buyers: 2,
      repeat_buyer_share: 1,
      first_sale: '2023-11-01 09:00:00',
      last_sale: '2024-02-05 10:00:00',
      active_days: 6,
      selling_span_days: 97, // Nov 1 → Feb 5 is 96 days, both ends included
      units_per_active_day: 3,
    });
    expect(p1!.return_rate).toBeCloseTo(1 / 18, 12);
    expect(p1!.units_per_week).toBeCloseTo(18 / (97 / 7), 12);
    // p2: four single-unit orders; the anonymous one is not a buyer.
    expect(p2).toMatchObject({
      product_id: 'p2',
      category: 'Y',
      units: 4,
      revenue: 80,
      orders: 4,
      buyers: 3,
      repeat_buyer_share: 0,
      return_rate: 0,
      active_days: 4,
      units_per_active_day: 1,
    });
    expect(p3).toMatchObject({ units: 3, revenue: 30, orders: 1, buyers: 1, selling_span_days: 1, units_per_week: 21 });
    expect(p3!.return_rate).toBeCloseTo(1 / 3, 12);
  });

  it('honours a cutoff and works without quantities or categories', async () => {
    db.exec('CREATE OR REPLACE TABLE lines_only AS SELECT inv, cust, ts, sku FROM shop');
    await buildProductTable(db, {
      table: 'lines_only',
      roles: { order_id: 'inv', customer_id: 'cust', timestamp: 'ts', product_id: 'sku' },
      cutoff: '2024-01-31',
      into: 'prod_lines',
    });
    const cols = db.rows('DESCRIBE prod_lines').map((r) => r.column_name);
    expect(cols).not.toContain('revenue');
    expect(cols).not.toContain('category');
    // p1 before the cutoff: five sale lines (the Feb 5 line is after it), one return line.
    expect(db.rows(`SELECT units, orders, return_rate FROM prod_lines WHERE product_id = 'p1'`)).toEqual([
      { units: 5, orders: 5, return_rate: 0.2 },
    ]);
  });

  it('needs a product id', async () => {
    const roles = { order_id: 'inv', customer_id: 'cust', timestamp: 'ts' };
    await expect(buildProductTable(db, { table: 'shop', roles, into: 'p' })).rejects.toMatchObject({
      code: 'missing_role',
      params: { role: 'product_id' },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseSql } from './browse';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';

describe('browse SQL builder against real DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
    db.exec(`CREATE TABLE "my orders" AS SELECT * FROM (VALUES
      ('A1', 'Mug', 3, '05408'), ('A2', 'mug XL', 1, '10001'), ('A3', 'Plate', NULL, '05408'), ('C4', 'Bowl', -2, '90210')
    ) t(id, "Product Name", qty, zip)`);
  });
  afterAll(() => db?.bindings.reset());

  it('pages with offset and limit', () => {
    const { page, count } = browseSql({
      table: 'my orders',
      offset: 1,
      limit: 2,
      sort: [{ column: 'id', descending: false }],
    });
    expect(db.rows(page).map((r) => r.id)).toEqual(['A2', 'A3']);
    expect(db.scalar(count)).toBe(4);
  });

  it('sorts descending with nulls last', () => {
    const { page } = browseSql({
      table: 'my orders',
      offset: 0,
      limit: 10,
      sort: [{ column: 'qty', descending: true }],
    });
    expect(db.rows(page).map((r) => r.qty)).toEqual([3, 1, -2, null]);
  });

  it('filters case-insensitively and on text ids with leading zeros', () => {
    const contains = browseSql({
      table: 'my orders',
      offset: 0,
      limit: 10,
      filters: [{ column: 'Product Name', op: 'contains', value: 'MUG' }],
    });
    expect(db.scalar(contains.count)).toBe(2);
    const zip = browseSql({
      table: 'my orders',
      offset: 0,
      limit: 10,
      filters: [{ column: 'zip', op: 'equals', value: '05408' }],
    });
    expect(db.rows(zip.page).map((r) => r.id)).toEqual(['A1', 'A3']);
    const neg = browseSql({
      table: 'my orders',
      offset: 0,
      limit: 10,
      filters: [
        { column: 'qty', op: 'lt', value: 0 },
        { column: 'id', op: 'not_null' },
      ],
    });
    expect(db.rows(neg.page).map((r) => r.id)).toEqual(['C4']);
  });

  it('treats hostile filter values as data', () => {
    const { count } = browseSql({
      table: 'my orders',
      offset: 0,
      limit: 10,
      filters: [{ column: 'id', op: 'equals', value: "x' OR '1'='1" }],
    });
    expect(db.scalar(count)).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import { addDays, dateRangeSql, segmentCountsSql, seriesPointsSql } from './prepare-summaries';

describe('Prepare summary queries on real DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
    db.exec(`CREATE TABLE "my customers" AS SELECT * FROM (VALUES ('Lost', 10.0), ('Champions', 90.0), ('Lost', 5.0))
      t(rfm_segment, monetary_total)`);
    db.exec(`CREATE TABLE s AS SELECT * FROM (VALUES (DATE '2024-01-08', 'B', 2.0), (DATE '2024-01-01', 'A', 1.0))
      t(period, "group", value)`);
  });
  afterAll(() => db?.bindings.reset());

  it('counts customers and revenue per segment, largest first', () => {
    expect(db.rows(segmentCountsSql('my customers'))).toEqual([
      { segment: 'Lost', customers: 2, revenue: 15 },
      { segment: 'Champions', customers: 1, revenue: 90 },
    ]);
  });

  it('reads series points in order, with or without groups', () => {
    expect(db.rows(seriesPointsSql('s', true))).toEqual([
      { period: '2024-01-01', series: 'A', value: 1 },
      { period: '2024-01-08', series: 'B', value: 2 },
    ]);
    expect(db.rows(seriesPointsSql('s', false)).map((r) => r.series)).toEqual([null, null]);
  });

  it('gives the date range of a column, and moves dates by days', () => {
    expect(db.rows(dateRangeSql('s', 'period'))).toEqual([{ first: '2024-01-01', last: '2024-01-08' }]);
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2024-03-01', -90)).toBe('2023-12-02');
  });
});

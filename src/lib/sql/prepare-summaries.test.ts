import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import {
  addDays,
  correlationMatrixFrom,
  correlationSql,
  dateRangeSql,
  segmentCountsSql,
  seriesPointsSql,
} from './prepare-summaries';

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

  it('computes the correlation matrix of features in one query', () => {
    db.exec(`CREATE TABLE xy AS SELECT * FROM (VALUES (1, 2, 3.0), (2, 4, 1.0), (3, 6, 2.0)) t(a, "b b", c)`);
    const [row] = db.rows(correlationSql('xy', ['a', 'b b', 'c']));
    const m = correlationMatrixFrom(row!, 3);
    expect(m[0]![1]).toBeCloseTo(1, 12);
    expect(m[1]![0]).toBeCloseTo(1, 12);
    expect(m[0]![2]).toBeCloseTo(-0.5, 12);
    expect(m[2]![2]).toBe(1);
  });
});

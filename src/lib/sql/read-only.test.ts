import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnlyQuery, stripSqlNoise } from './read-only';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';

describe('read-only SQL console guard', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
    db.exec('CREATE TABLE orders AS SELECT range AS id FROM range(5)');
  });
  afterAll(() => db?.bindings.reset());

  it('strips comments and trailing semicolons but keeps strings', () => {
    expect(stripSqlNoise("SELECT '--x;' AS a; -- note\n;")).toBe("SELECT '--x;' AS a");
    expect(stripSqlNoise('/* hi */ SELECT 1;')).toBe('SELECT 1');
  });

  it('runs SELECT and WITH with a limit one above the cap to detect truncation', () => {
    expect(db.rows(readOnlyQuery('SELECT * FROM orders', 2))).toHaveLength(3);
    expect(db.rows(readOnlyQuery('WITH x AS (SELECT 1 AS a) SELECT * FROM x;', 10))).toEqual([{ a: 1 }]);
  });

  it.each([
    'DROP TABLE orders',
    'DELETE FROM orders',
    "COPY orders TO 'x.csv'",
    'INSTALL httpfs',
    "ATTACH 'x.db'",
    'PRAGMA version',
  ])('refuses %s before DuckDB sees it', (sql) => {
    expect(() => readOnlyQuery(sql, 10)).toThrow(expect.objectContaining({ code: 'read_only' }));
  });

  it('lets the parser reject a second statement smuggled after a SELECT', () => {
    const wrapped = readOnlyQuery('SELECT 1; DROP TABLE orders', 10);
    expect(() => db.rows(wrapped)).toThrow();
    expect(db.scalar('SELECT count(*) FROM orders')).toBe(5);
  });

  it('refuses remote paths', () => {
    expect(() => readOnlyQuery("SELECT * FROM read_csv('https://example.com/x.csv')", 10)).toThrow(
      expect.objectContaining({ code: 'remote_access' }),
    );
  });
});

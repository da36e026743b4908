import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnlyQuery } from './read-only';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';

describe('read-only SQL console guard', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
    db.exec('CREATE TABLE orders AS SELECT range AS id FROM range(5)');
  });
  afterAll(() => db?.bindings.reset());

  it('drops trailing semicolons but keeps strings and comments', () => {
    expect(db.rows(readOnlyQuery("SELECT '--x;' AS a; -- note\n;", 5))).toEqual([{ a: '--x;' }]);
    expect(db.rows(readOnlyQuery('/* hi */ SELECT 1 AS one -- last\n;', 5))).toEqual([{ one: 1 }]);
  });

  it('regression: a second statement smuggled through a closing parenthesis never runs', () => {
    const attack = 'SELECT 1) AS x; CREATE TABLE pwned AS SELECT 2; SELECT * FROM (SELECT 1';
    expect(() => readOnlyQuery(attack, 10)).toThrow(expect.objectContaining({ code: 'read_only' }));
    expect(db.rows("SELECT * FROM duckdb_tables() WHERE table_name = 'pwned'")).toEqual([]);
  });

  it('stops WITH … INSERT at the parser', () => {
    db.exec('CREATE TABLE target (a INTEGER)');
    const wrapped = readOnlyQuery('WITH c AS (SELECT 1 AS a) INSERT INTO target SELECT * FROM c', 10);
    expect(() => db.rows(wrapped)).toThrow();
    expect(db.scalar('SELECT count(*) FROM target')).toBe(0);
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

  it('refuses a second statement after a SELECT', () => {
    expect(() => readOnlyQuery('SELECT 1; DROP TABLE orders', 10)).toThrow(
      expect.objectContaining({ code: 'read_only' }),
    );
    expect(db.scalar('SELECT count(*) FROM orders')).toBe(5);
  });

  it('runs DESCRIBE as it is', () => {
    expect(db.rows(readOnlyQuery('DESCRIBE orders', 10)).map((r) => r.column_name)).toEqual(['id']);
  });

  it('refuses remote paths', () => {
    expect(() => readOnlyQuery("SELECT * FROM read_csv('https://example.com/x.csv')", 10)).toThrow(
      expect.objectContaining({ code: 'remote_access' }),
    );
  });
});

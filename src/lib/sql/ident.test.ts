import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent, sqlLiteral } from './ident';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';

describe('quoteIdent / sqlLiteral against real DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  it.each(['plain', 'with space', 'quote"inside', '订单编号', "it's", 'DROP TABLE x; --'])(
    'round-trips the name %s',
    (name) => {
      db.exec(`CREATE OR REPLACE TABLE t AS SELECT 1 AS ${quoteIdent(name)}`);
      expect(Object.keys(db.rows('SELECT * FROM t')[0] ?? {})).toEqual([name]);
    },
  );

  it.each(["O'Brien", '\\n', '¥1,234', '', "'; DROP TABLE t; --"])('round-trips the value %s', (value) => {
    expect(db.scalar(`SELECT ${sqlLiteral(value)}`)).toBe(value);
  });

  it('rejects values SQL cannot hold', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow();
    expect(() => quoteIdent('a\u0000b')).toThrow();
  });
});

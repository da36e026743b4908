import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db';
import { createNodeDb } from '../../test/duckdb-node';
import { checkReadOnlySql } from './statement';

describe('checkReadOnlySql', () => {
  it.each([
    'SELECT 1',
    'select * from orders;',
    'SELECT 1;;  \n',
    'WITH t AS (SELECT 1 AS x) SELECT * FROM t',
    'FROM orders LIMIT 5',
    '(SELECT 1) UNION (SELECT 2)',
    'VALUES (1), (2)',
    'DESCRIBE orders',
    'SUMMARIZE orders',
    "-- top customers\nSELECT 'a;b' AS s",
    '/* a /* nested */ comment */ SELECT 1',
    "SELECT $$x; y$$, $tag$ it's $$ $tag$",
    "SELECT E'it\\'s; fine'",
    'SELECT "weird;name" FROM "my;table"',
    'SELECT 1 -- trailing; comment',
    'SELECT a$b$ FROM t',
  ])('accepts %s', (sql) => {
    expect(checkReadOnlySql(sql)).toBeNull();
  });

  it.each([
    ['DROP TABLE orders', /starts with "DROP"/],
    ['INSERT INTO t VALUES (1)', /starts with "INSERT"/],
    ["COPY orders TO 'x.csv'", /starts with "COPY"/],
    ["ATTACH 'x.db'", /starts with "ATTACH"/],
    ['INSTALL httpfs', /starts with "INSTALL"/],
    ['PRAGMA version', /starts with "PRAGMA"/],
    ['SET threads = 1', /starts with "SET"/],
    ['SELECT 1; DROP TABLE orders', /one statement/],
    ['SELECT 1) AS x; CREATE TABLE pwned AS SELECT 1; SELECT * FROM (SELECT 1', /one statement/],
    ["SELECT E'\\' ' ; DROP TABLE t; --'", /one statement/],
    ["SELECT 1 /* /* */ ' */ ; DROP TABLE t; --'", /one statement/],
    ["SELECT $$'$$; DROP TABLE t; --'", /one statement/],
    ["SELECT 'unterminated", /not closed/],
    ['SELECT /* open', /not closed/],
    ['SELECT $q$ open', /not closed/],
  ])('rejects %s', (sql, message) => {
    const error = checkReadOnlySql(sql);
    expect(error?.code).toBe('read_only');
    expect(error?.message).toMatch(message);
  });

  it.each(['', '  -- only a comment'])('asks for a query when given %j', (sql) => {
    const error = checkReadOnlySql(sql);
    expect(error?.code).toBe('empty_query');
    expect(error?.message).toMatch(/Type a query/);
  });
});

// The lexer must agree with DuckDB about where strings and comments end, or a second
// statement could hide from it. Each case is accepted by the screen and must, when DuckDB
// runs it, leave no table behind.
describe('checkReadOnlySql agrees with DuckDB', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  const tricky = [
    "SELECT E'\\'; CREATE TABLE pwned AS SELECT 1; --' AS s",
    'SELECT 1 /* /* */ ; CREATE TABLE pwned AS SELECT 1; */ AS s',
    "SELECT $$'$$ AS a, ' ; CREATE TABLE pwned AS SELECT 1; ' AS b",
    'SELECT $t$ $$; CREATE TABLE pwned AS SELECT 1; $$ $t$ AS s',
    "SELECT '\\' AS a, ';CREATE TABLE pwned AS SELECT 1;' AS b",
    'SELECT 1 AS "x"";CREATE TABLE pwned AS SELECT 1;"',
    'SELECT 1 AS a -- ; CREATE TABLE pwned AS SELECT 1;\n',
  ];

  it.each(tricky)('%s', (sql) => {
    expect(checkReadOnlySql(sql)).toBeNull();
    db.rows(sql);
    expect(db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'pwned'")).toBe(0);
  });
});

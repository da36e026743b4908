/**
 * Guards the SQL console: one read-only statement (SELECT / WITH / VALUES / FROM / TABLE /
 * DESCRIBE / SUMMARIZE / SHOW), capped at a row limit.
 *
 * The check is structural, not a keyword blacklist: the user's text is wrapped as a
 * subquery, `SELECT * FROM (<text>) LIMIT n`, and DuckDB's parser rejects anything that is
 * not a single query there (a second statement, DDL, DML, PRAGMA, COPY, ATTACH, INSTALL…).
 * The first-keyword check only exists to give a friendly error before DuckDB gives a cryptic one.
 */
import { ShopSightError } from '../data/errors';

const LEADING_KEYWORDS = /^(select|with|values|from|table|\(|describe|summarize|show)\b/i;
const REMOTE_PATH = /'(?:https?|s3|gcs|gs|r2|hf|azure|az|abfss?):\/\//i;

/** Removes comments and trailing semicolons; keeps string literals intact. */
export function stripSqlNoise(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      const end = findClosingQuote(sql, i, ch);
      out += sql.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      out += ' ';
    } else {
      out += ch;
      i++;
    }
  }
  return out.trim().replace(/[;\s]+$/, '');
}

function findClosingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return sql.length - 1;
}

/** Builds the wrapped, limited query for a console statement, or throws `read_only`. */
export function readOnlyQuery(sql: string, limit: number): string {
  const body = stripSqlNoise(sql);
  if (body === '') throw new ShopSightError({ code: 'empty_query', message: 'Type a query first, e.g. SELECT * FROM orders LIMIT 10.' });
  if (!LEADING_KEYWORDS.test(body)) {
    throw new ShopSightError({
      code: 'read_only',
      message: 'Only read-only queries (SELECT or WITH) can run here. To change data, use the Prepare steps.',
    });
  }
  if (REMOTE_PATH.test(body)) {
    throw new ShopSightError({
      code: 'remote_access',
      message: 'ShopSight never reads from the internet. Load the file into ShopSight instead.',
    });
  }
  if (!Number.isInteger(limit) || limit < 1) throw new ShopSightError({ code: 'bad_limit', message: 'The row limit must be a positive whole number.' });
  // DESCRIBE/SUMMARIZE/SHOW are not allowed as subqueries in DuckDB; they are read-only, so run them as they are.
  if (/^(describe|summarize|show)\b/i.test(body)) return body;
  return `SELECT * FROM (\n${body}\n) AS shopsight_query LIMIT ${limit + 1}`;
}

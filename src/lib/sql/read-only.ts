/**
 * Guards the SQL console and the embed `query` method: one read-only statement, capped at a
 * row limit. Two gates, both needed:
 *
 * 1. `statement.ts` lexes the text the way DuckDB does and refuses anything but one statement
 *    that starts with SELECT/WITH/FROM/VALUES/TABLE/DESCRIBE/SUMMARIZE/SHOW.
 * 2. The statement is wrapped as a subquery, `SELECT * FROM (<text>) LIMIT n`, which DuckDB's
 *    parser accepts only for a query — so `WITH x AS (…) INSERT …`, DDL, PRAGMA, COPY, ATTACH or
 *    INSTALL fail there even if they slipped past the lexer.
 */
import { ShopSightError } from '../data/errors';
import { OFF_ORIGIN_MESSAGE } from '../data/network-guard';
import { analyseReadOnlySql } from './statement';

// Any URL scheme anywhere (a string literal or a quoted name such as FROM "http://…"). The
// data worker also refuses off-origin requests at run time, for URLs assembled from pieces.
const REMOTE_PATH = /\b[a-z][a-z0-9+.-]*:\/\//i;
const NOT_A_SUBQUERY = /^\s*\(?\s*(describe|summarize|show)\b/i;

/** Builds the wrapped, limited query (asking for one row more, to detect truncation), or throws. */
export function readOnlyQuery(sql: string, limit: number): string {
  const { error, body } = analyseReadOnlySql(sql);
  if (error) throw new ShopSightError(error);
  if (REMOTE_PATH.test(body)) {
    throw new ShopSightError({
      code: 'remote_access',
      message: OFF_ORIGIN_MESSAGE,
    });
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ShopSightError({ code: 'bad_limit', message: 'The row limit must be a positive whole number.' });
  }
  // DESCRIBE/SUMMARIZE/SHOW cannot be subqueries in DuckDB; they only read, so run them as they are.
  if (NOT_A_SUBQUERY.test(body)) return body;
  return `SELECT * FROM (\n${body}\n) AS shopsight_query LIMIT ${limit + 1}`;
}

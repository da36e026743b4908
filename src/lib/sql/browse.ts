/**
 * SQL for the table view: one page of rows with sorting and filtering done by DuckDB, so the
 * grid never holds more than a page and a million-row table scrolls like a small one.
 */
import type { BrowseRequest, FilterSpec } from '../contracts/data-api';
import { quoteIdent, sqlLiteral } from './ident';

const COMPARATORS = { equals: '=', not_equals: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** The WHERE clause for a list of filters (empty string when there are none). */
export function filterClause(filters: readonly FilterSpec[] | undefined): string {
  if (!filters?.length) return '';
  const parts = filters.map((f) => {
    const col = quoteIdent(f.column);
    switch (f.op) {
      case 'is_null':
        return `${col} IS NULL`;
      case 'not_null':
        return `${col} IS NOT NULL`;
      case 'contains':
        // Case-insensitive substring match on the text form, whatever the column type.
        return `contains(lower(CAST(${col} AS VARCHAR)), lower(${sqlLiteral(String(f.value ?? ''))}))`;
      default: {
        const op = COMPARATORS[f.op];
        const value = f.value ?? null;
        // Compare as text when the value is text, so '05408' matches a VARCHAR postal code exactly.
        return typeof value === 'string'
          ? `CAST(${col} AS VARCHAR) ${op} ${sqlLiteral(value)}`
          : `${col} ${op} ${sqlLiteral(value)}`;
      }
    }
  });
  return `WHERE ${parts.join(' AND ')}`;
}

export function browseSql(request: BrowseRequest): { page: string; count: string } {
  const table = quoteIdent(request.table);
  const where = filterClause(request.filters);
  const order = request.sort?.length
    ? `ORDER BY ${request.sort.map((s) => `${quoteIdent(s.column)} ${s.descending ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`
    : '';
  const limit = Math.max(0, Math.min(10_000, Math.floor(request.limit)));
  const offset = Math.max(0, Math.floor(request.offset));
  return {
    page: `SELECT * FROM ${table} ${where} ${order} LIMIT ${limit} OFFSET ${offset}`.replace(/\s+/g, ' ').trim(),
    count: `SELECT count(*)::DOUBLE AS n FROM ${table} ${where}`.replace(/\s+/g, ' ').trim(),
  };
}

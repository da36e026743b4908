/**
 * The only places where names and values are put into SQL text. Builders elsewhere call
 * these; nothing interpolates user-provided strings directly.
 */

/** Quotes an identifier for DuckDB: `order id` → `"order id"`, `a"b` → `"a""b"`. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('Identifiers cannot contain NUL characters.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL literal for a string, number, boolean or null. */
export function sqlLiteral(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot use ${value} as a SQL number.`);
    return String(value);
  }
  if (value.includes('\u0000')) throw new Error('Text values cannot contain NUL characters.');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Small read-only queries the Prepare views draw from the tables the builders made: segment
 * sizes of a customer table, a sales series, and the date range of an orders table (for the
 * cutoff a form suggests). Names are quoted with `quoteIdent`; nothing else is interpolated.
 */
import { quoteIdent } from './ident';

/** Customers and revenue per RFM segment, largest first. */
export function segmentCountsSql(table: string): string {
  return `SELECT rfm_segment AS segment, count(*)::DOUBLE AS customers, sum(monetary_total)::DOUBLE AS revenue
    FROM ${quoteIdent(table)} GROUP BY 1 ORDER BY 2 DESC, 1`;
}

/** A series table in drawing order: period, group (or NULL) and value. */
export function seriesPointsSql(table: string, grouped: boolean): string {
  const group = grouped ? quoteIdent('group') : 'NULL';
  return `SELECT strftime(period, '%Y-%m-%d') AS period, ${group} AS series, value::DOUBLE AS value
    FROM ${quoteIdent(table)} ORDER BY 2, 1`;
}

/** First and last day of a timestamp or date column. */
export function dateRangeSql(table: string, column: string): string {
  const c = quoteIdent(column);
  return `SELECT strftime(min(${c})::DATE, '%Y-%m-%d') AS first, strftime(max(${c})::DATE, '%Y-%m-%d') AS last
    FROM ${quoteIdent(table)}`;
}

/** `iso` moved by `days` calendar days (UTC, so daylight saving never shifts it). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** One row with `c_<i>_<j>` = corr(feature i, feature j) for i < j (pairwise complete rows). */
export function correlationSql(table: string, features: readonly string[]): string {
  const terms: string[] = [];
  for (let i = 0; i < features.length; i++) {
    for (let j = i + 1; j < features.length; j++) {
      terms.push(
        `corr(${quoteIdent(features[i]!)}::DOUBLE, ${quoteIdent(features[j]!)}::DOUBLE) AS ${quoteIdent(`c_${i}_${j}`)}`,
      );
    }
  }
  return `SELECT ${terms.length ? terms.join(', ') : '1 AS none'} FROM ${quoteIdent(table)}`;
}

/** The symmetric matrix from `correlationSql`'s row (1 on the diagonal, NaN where undefined). */
export function correlationMatrixFrom(row: Record<string, unknown>, size: number): number[][] {
  return Array.from({ length: size }, (_r, i) =>
    Array.from({ length: size }, (_c, j) => {
      if (i === j) return 1;
      const v = row[i < j ? `c_${i}_${j}` : `c_${j}_${i}`];
      return typeof v === 'number' ? v : Number.NaN;
    }),
  );
}

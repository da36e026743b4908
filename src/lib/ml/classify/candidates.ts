/**
 * Which columns Classify offers and pre-selects: feature candidates (numbers, yes/no, text
 * categories — no ids, dates or free text), the likely target and the likely table. Shared by
 * the view and the embed API.
 */
import type { ColumnInfo, TableInfo } from '../../contracts/data-api';

const TARGET_NAME = /(^|_)(label|target|revenue|churn(ed)?|converted|bought|purchased?|buyer|y)($|_)/i;
const NUMERIC_KINDS = new Set(['integer', 'decimal', 'money', 'percent', 'boolean', 'native']);
const NOT_FEATURE_ROLES = new Set([
  'order_id',
  'customer_id',
  'product_id',
  'product_name',
  'review_text',
  'timestamp',
]);

/** Columns that can be features: numbers, yes/no, text categories (no ids, dates, free text). */
export function featureCandidates(table: TableInfo, target: string | null): ColumnInfo[] {
  return table.columns.filter(
    (c) =>
      c.name !== target &&
      !NOT_FEATURE_ROLES.has(c.role) &&
      c.kind !== 'id' &&
      c.kind !== 'date' &&
      c.kind !== 'timestamp' &&
      (NUMERIC_KINDS.has(c.kind) || c.kind === 'text'),
  );
}

/** The best target guess: a column named like a label, else the first yes/no column. */
export function guessTarget(table: TableInfo): string | null {
  return (
    table.columns.find((c) => TARGET_NAME.test(c.name))?.name ??
    table.columns.find((c) => c.kind === 'boolean')?.name ??
    null
  );
}

/** The best table: a derived 'labels' table, else one with a label-like column, else the first. */
export function guessTable(tables: readonly TableInfo[]): TableInfo | undefined {
  const usable = tables.filter((t) => t.derived?.kind !== 'predictions');
  return (
    usable.find((t) => t.derived?.kind === 'labels') ??
    usable.find((t) => t.columns.some((c) => TARGET_NAME.test(c.name))) ??
    usable[0]
  );
}

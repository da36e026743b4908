/**
 * The findings of a data-quality profile: their codes, and an English rendering for tests
 * and docs. The UI renders the same `Finding` objects with its i18n templates, keyed by
 * `code`, from `count`, `share` and `params`.
 */
import type { Finding } from '../contracts/data-api';

export const FINDING_CODES = [
  'missing_values',
  'empty_column',
  'constant_column',
  'sentinel_values',
  'type_problems',
  'inconsistent_labels',
  'duplicate_rows',
  'duplicate_keys',
  'negative_quantity',
  'negative_price',
  'zero_price',
  'negative_amount',
  'cancellations',
  'outliers',
  'future_dates',
  'date_gap',
  'stale_data',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

const n = (x: number | string | undefined): string =>
  typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(x ?? '');

/** `0.2539` → `25.4%`; tiny shares keep a significant digit (`0.05%`). */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct > 0 && pct < 0.1) return `${Number(pct.toPrecision(1))}%`;
  return `${Math.round(pct * 10) / 10}%`;
}

/** How each kind is named in English sentences. */
export const KIND_WORDS: Record<string, string> = {
  integer: 'whole numbers',
  decimal: 'numbers',
  money: 'amounts of money',
  percent: 'percentages',
  boolean: 'yes/no values',
  date: 'dates',
  timestamp: 'dates with times',
  id: 'identifiers',
  text: 'text',
};

const plural = (count: number | undefined, one: string, many: string): string => (count === 1 ? one : many);

/** The English sentence for a finding, e.g. "412 lines have a negative quantity: returns or cancellations?". */
export function describeFinding(f: Finding): string {
  const p = f.params;
  const col = `"${f.column ?? p.column ?? ''}"`;
  const count = n(f.count);
  const share = f.share !== undefined ? ` (${formatShare(f.share)})` : '';
  switch (f.code as FindingCode) {
    case 'missing_values':
      return `${count} ${plural(f.count, 'value', 'values')} in ${col} ${plural(f.count, 'is', 'are')} missing${share}.`;
    case 'empty_column':
      return `${col} is entirely empty.`;
    case 'constant_column':
      return `${col} has the same value in every row ("${p.value}").`;
    case 'sentinel_values':
      return typeof p.value === 'number'
        ? `${count} ${plural(f.count, 'value', 'values')} in ${col} ${plural(f.count, 'is', 'are')} ${p.value}, which usually means "unknown".`
        : `${count} ${plural(f.count, 'value', 'values')} in ${col} ${plural(f.count, 'is a placeholder', 'are placeholders')} such as "unknown", "?" or "none".`;
    case 'type_problems':
      return `${count} ${plural(f.count, 'value', 'values')} in ${col} did not read as ${KIND_WORDS[String(p.kind)] ?? p.kind} (e.g. "${p.example}" in row ${n(p.row)}); ${plural(f.count, 'it is', 'they are')} kept in the rejects list.`;
    case 'inconsistent_labels':
      return `${col} writes ${count} ${plural(f.count, 'value', 'values')} in more than one way (upper/lower case or spaces).`;
    case 'duplicate_rows':
      return `${count} ${plural(f.count, 'row is an exact copy', 'rows are exact copies')} of another row${share}.`;
    case 'duplicate_keys':
      return `${count} ${plural(f.count, 'row repeats', 'rows repeat')} the ${p.key} of another row${share}.`;
    case 'negative_quantity':
      return `${count} ${plural(f.count, 'line has', 'lines have')} a negative quantity: returns or cancellations?`;
    case 'negative_price':
      return `${count} ${plural(f.count, 'line has', 'lines have')} a negative price in ${col}.`;
    case 'zero_price':
      return `${count} ${plural(f.count, 'line has', 'lines have')} a price of zero in ${col}: free items or missing prices?`;
    case 'negative_amount':
      return `${count} ${plural(f.count, 'line has', 'lines have')} a negative amount in ${col}: refunds?`;
    case 'cancellations':
      return `${count} ${plural(f.count, 'line belongs', 'lines belong')} to cancelled orders, whose order id starts with "C"${share}.`;
    case 'outliers':
      return `${count} ${plural(f.count, 'value', 'values')} in ${col} ${plural(f.count, 'lies', 'lie')} far outside the usual range (below ${n(p.low)} or above ${n(p.high)}).`;
    case 'future_dates':
      return `${count} ${plural(f.count, 'row is', 'rows are')} dated in the future in ${col} (after ${p.now}).`;
    case 'date_gap':
      return `${col} has no rows for ${n(p.days)} days in a row, from ${p.from} to ${p.to}.`;
    case 'stale_data':
      return `The latest ${col} is ${p.latest}, ${n(p.days)} days ago.`;
    default:
      return `${f.code}${f.column ? ` in ${col}` : ''}${f.count !== undefined ? `: ${count}` : ''}.`;
  }
}

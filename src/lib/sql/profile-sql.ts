/**
 * SQL builders for the data-quality profile (`profile.ts`). Each builder batches one kind
 * of statistic for every column into a single statement, so a profile is a handful of scans.
 * Names go through `quoteIdent` and values through `sqlLiteral`; nothing else is interpolated.
 */
import type { ColumnInfo, ColumnRole } from '../contracts/data-api';
import { isNumericType, isTemporalType, normaliseType } from '../data/infer/kinds';
import { MISSING_TOKENS } from '../data/infer/patterns';
import { quoteIdent, sqlLiteral } from './ident';

/** Above this many rows distinct counts are estimated with HyperLogLog (`approx_count_distinct`). */
export const EXACT_DISTINCT_MAX_ROWS = 100_000;
/** Numeric values that usually stand for "unknown" when they are a column's maximum. */
export const NINES_SENTINELS: readonly number[] = [99999, 999999, 9999999, 99999999, 999999999];
/** Text values that usually stand for "unknown". */
export const TEXT_SENTINELS: readonly string[] = [
  'unknown',
  '?',
  'none',
  'undefined',
  'unk',
  'missing',
  'not available',
  '未知',
  '无',
  '不详',
];
/** Histogram bins for continuous columns. */
export const HISTOGRAM_BINS = 20;
/** Top values kept per text column. */
export const TOP_VALUES = 10;
/** Order ids of cancellations in the UCI convention: `C` then digits. */
export const CANCELLED_ORDER_RE = 'C\\d+';

const ID_ROLES: ReadonlySet<ColumnRole> = new Set(['order_id', 'customer_id', 'product_id']);

export type ProfileClass = 'numeric' | 'temporal' | 'categorical';

/** A column as the builders see it. */
export interface ProfiledColumn {
  info: ColumnInfo;
  /** Position among the profiled columns; aliases are built from it. */
  index: number;
  /** Quoted identifier. */
  q: string;
  cls: ProfileClass;
  isText: boolean;
  isInteger: boolean;
}

/** Numbers get distributions unless they are identifiers; dates get coverage; the rest top values. */
export function profiledColumns(columns: ColumnInfo[]): ProfiledColumn[] {
  return columns.map((info, index) => {
    const type = normaliseType(info.type);
    const numeric = isNumericType(type) && !ID_ROLES.has(info.role) && info.kind !== 'id' && info.kind !== 'boolean';
    const cls: ProfileClass = numeric ? 'numeric' : isTemporalType(type) ? 'temporal' : 'categorical';
    return {
      info,
      index,
      q: quoteIdent(info.name),
      cls,
      isText: type === 'VARCHAR',
      isInteger: /INT/.test(type) && !/INTERVAL/.test(type),
    };
  });
}

/** `"v3"`: the alias of a column's value (missing tokens already NULL) in the inner projection. */
export function v(c: ProfiledColumn): string {
  return quoteIdent(`v${c.index}`);
}

/** Inner projection: each column once, text missing tokens as NULL. */
function valuesProjection(table: string, cols: ProfiledColumn[]): string {
  const list = `(${MISSING_TOKENS.map((t) => sqlLiteral(t)).join(', ')})`;
  const parts = cols.map((c) =>
    c.isText ? `CASE WHEN lower(trim(${c.q})) IN ${list} THEN NULL ELSE ${c.q} END AS ${v(c)}` : `${c.q} AS ${v(c)}`,
  );
  return `(SELECT ${parts.length ? parts.join(', ') : '1 AS "__none"'} FROM ${quoteIdent(table)})`;
}

/** Wall-clock "now" as SQL literals (data timestamps are naive local times: no ICU). */
export interface NowLiterals {
  timestamp: string;
  date: string;
  /** `yyyy-mm-dd`, for messages. */
  isoDate: string;
}

export function nowLiterals(now: Date): NowLiterals {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  return { timestamp: `TIMESTAMP ${sqlLiteral(`${date} ${time}`)}`, date: `DATE ${sqlLiteral(date)}`, isoDate: date };
}

/** Alias of one statistic of one column: `a(c, 'min')` → `"c3_min"`. */
export function a(c: ProfiledColumn, stat: string): string {
  return quoteIdent(`c${c.index}_${stat}`);
}

/** Key of a statistic in result rows (the unquoted alias). */
export function k(c: ProfiledColumn, stat: string): string {
  return `c${c.index}_${stat}`;
}

/**
 * Scan 1: per-column aggregates: non-missing and distinct counts, moments and quartiles of
 * numbers, date ranges, sentinels, label variants, and the role checks (cancellations,
 * negative quantities that no cancellation explains, rows in the future).
 */
export function columnAggregatesSql(
  table: string,
  cols: ProfiledColumn[],
  opts: { rows: number; now: NowLiterals },
): string {
  const exact = opts.rows <= EXACT_DISTINCT_MAX_ROWS;
  const distinct = (x: string): string => (exact ? `count(DISTINCT ${x})` : `approx_count_distinct(${x})`);
  const parts: string[] = ['count(*)::DOUBLE AS "rows"'];
  const orderId = cols.find((c) => c.info.role === 'order_id' && c.isText);
  const cancelled = orderId
    ? `coalesce(regexp_full_match(${v(orderId)}, ${sqlLiteral(CANCELLED_ORDER_RE)}), false)`
    : 'false';
  for (const c of cols) {
    const x = v(c);
    parts.push(`count(${x})::DOUBLE AS ${a(c, 'nn')}`, `${distinct(x)}::DOUBLE AS ${a(c, 'distinct')}`);
    if (c.cls === 'numeric') {
      const d = `${x}::DOUBLE`;
      parts.push(
        `min(${d}) AS ${a(c, 'min')}`,
        `max(${d}) AS ${a(c, 'max')}`,
        `avg(${d}) AS ${a(c, 'mean')}`,
        `stddev_samp(${d}) AS ${a(c, 'std')}`,
        `quantile_cont(${d}, 0.25) AS ${a(c, 'p25')}`,
        `quantile_cont(${d}, 0.5) AS ${a(c, 'p50')}`,
        `quantile_cont(${d}, 0.75) AS ${a(c, 'p75')}`,
        `count(*) FILTER (WHERE ${x} < 0)::DOUBLE AS ${a(c, 'neg')}`,
        `count(*) FILTER (WHERE ${x} = 0)::DOUBLE AS ${a(c, 'zero')}`,
        `count(*) FILTER (WHERE ${x} = -1)::DOUBLE AS ${a(c, 'minus1')}`,
        `count(*) FILTER (WHERE ${d} IN (${NINES_SENTINELS.join(', ')}))::DOUBLE AS ${a(c, 'nines')}`,
      );
      if (c.info.role === 'quantity' || c.info.role === 'line_amount') {
        parts.push(`count(*) FILTER (WHERE ${x} < 0 AND NOT ${cancelled})::DOUBLE AS ${a(c, 'negunexplained')}`);
      }
    } else if (c.cls === 'temporal') {
      const isDate = normaliseType(c.info.type) === 'DATE';
      parts.push(
        `min(${x})::VARCHAR AS ${a(c, 'min')}`,
        `max(${x})::VARCHAR AS ${a(c, 'max')}`,
        `min(${x})::DATE::VARCHAR AS ${a(c, 'from')}`,
        `max(${x})::DATE::VARCHAR AS ${a(c, 'to')}`,
        `(max(${x})::DATE - min(${x})::DATE)::DOUBLE AS ${a(c, 'span')}`,
        `count(DISTINCT ${x}::DATE)::DOUBLE AS ${a(c, 'days')}`,
        `(${opts.now.date} - max(${x})::DATE)::DOUBLE AS ${a(c, 'age')}`,
        `count(*) FILTER (WHERE ${x} > ${isDate ? opts.now.date : opts.now.timestamp})::DOUBLE AS ${a(c, 'future')}`,
      );
    } else if (c.isText) {
      parts.push(
        `${distinct(`lower(trim(${x}))`)}::DOUBLE AS ${a(c, 'labels')}`,
        `count(*) FILTER (WHERE lower(trim(${x})) IN (${TEXT_SENTINELS.map((s) => sqlLiteral(s)).join(', ')}))::DOUBLE AS ${a(c, 'sentinel')}`,
      );
      if (c === orderId) parts.push(`count(*) FILTER (WHERE ${cancelled})::DOUBLE AS ${a(c, 'cancelled')}`);
    }
  }
  return `SELECT ${parts.join(',\n')} FROM ${valuesProjection(table, cols)}`;
}

/** Equal-width bins of one numeric column, and the IQR fences for its outliers. */
export interface BinPlan {
  column: ProfiledColumn;
  lo: number;
  width: number;
  bins: number;
  fenceLo: number;
  fenceHi: number;
}

/**
 * ~20 equal-width bins over [min, max]; whole numbers get whole-number widths (one bin per
 * value when they span fewer than 20 values), each bin holding [lo, lo + width).
 */
export function planBins(column: ProfiledColumn, min: number, max: number, p25: number, p75: number): BinPlan {
  const iqr = p75 - p25;
  const fences = { fenceLo: p25 - 1.5 * iqr, fenceHi: p75 + 1.5 * iqr };
  if (max <= min) return { column, lo: min, width: 0, bins: 1, ...fences };
  if (column.isInteger) {
    const values = max - min + 1;
    const width = Math.max(1, Math.ceil(values / HISTOGRAM_BINS));
    return { column, lo: min, width, bins: Math.ceil(values / width), ...fences };
  }
  return { column, lo: min, width: (max - min) / HISTOGRAM_BINS, bins: HISTOGRAM_BINS, ...fences };
}

function num(n: number): string {
  return sqlLiteral(n);
}

/** Scan 2: histogram counts and IQR outliers of every numeric column. */
export function distributionsSql(table: string, plans: BinPlan[]): string {
  const inner = plans.map((p) => {
    const x = `${p.column.q}::DOUBLE`;
    const bin =
      p.width > 0 ? `least(greatest(floor((${x} - ${num(p.lo)}) / ${num(p.width)}), 0), ${p.bins - 1})::INTEGER` : '0';
    return `${x} AS ${quoteIdent(`x${p.column.index}`)}, CASE WHEN ${p.column.q} IS NOT NULL THEN ${bin} END AS ${quoteIdent(`b${p.column.index}`)}`;
  });
  const parts: string[] = [];
  for (const p of plans) {
    const b = quoteIdent(`b${p.column.index}`);
    const x = quoteIdent(`x${p.column.index}`);
    for (let i = 0; i < p.bins; i++)
      parts.push(`count(*) FILTER (WHERE ${b} = ${i})::DOUBLE AS ${a(p.column, `bin${i}`)}`);
    parts.push(
      `count(*) FILTER (WHERE ${x} < ${num(p.fenceLo)} OR ${x} > ${num(p.fenceHi)})::DOUBLE AS ${a(p.column, 'outliers')}`,
    );
  }
  return `SELECT ${parts.join(',\n')} FROM (SELECT ${inner.join(', ')} FROM ${quoteIdent(table)})`;
}

/** Scan 3: the most frequent values of text-like columns (rows: col, value, n), ties by value. */
export function topValuesSql(table: string, cols: ProfiledColumn[]): string {
  const list = `(${MISSING_TOKENS.map((t) => sqlLiteral(t)).join(', ')})`;
  const parts = cols.map((c) => {
    const value = c.isText
      ? `CASE WHEN lower(trim(${c.q})) IN ${list} THEN NULL ELSE ${c.q} END`
      : `CAST(${c.q} AS VARCHAR)`;
    return `${value} AS ${quoteIdent(String(c.index))}`;
  });
  return `SELECT col::INTEGER AS col, left(value, 200) AS value, n FROM (
    SELECT col, value, count(*)::DOUBLE AS n,
           row_number() OVER (PARTITION BY col ORDER BY count(*) DESC, value) AS rank
    FROM (UNPIVOT (SELECT ${parts.join(', ')} FROM ${quoteIdent(table)}) ON COLUMNS(*) INTO NAME col VALUE value)
    GROUP BY col, value
  ) WHERE rank <= ${TOP_VALUES} ORDER BY col, rank`;
}

/** Scan 4: the longest run of days without rows in each date column (rows: col, gap, after, before). */
export function dateGapsSql(table: string, cols: ProfiledColumn[]): string {
  const parts = cols.map(
    (c) => `SELECT ${c.index} AS col, d, d - lag(d) OVER (ORDER BY d) AS gap, lag(d) OVER (ORDER BY d) AS prev
      FROM (SELECT DISTINCT ${c.q}::DATE AS d FROM ${quoteIdent(table)} WHERE ${c.q} IS NOT NULL)`,
  );
  return `SELECT col, max(gap)::DOUBLE AS gap, arg_max(prev, gap)::VARCHAR AS after, arg_max(d, gap)::VARCHAR AS before
    FROM (${parts.join('\nUNION ALL\n')}) WHERE gap IS NOT NULL GROUP BY col`;
}

/** Scan 5: distinct full rows and, when there is a key, rows and distinct keys among complete keys. */
export function duplicatesSql(table: string, cols: ProfiledColumn[], key: ProfiledColumn[]): string {
  const t = quoteIdent(table);
  const all = cols.map((c) => c.q).join(', ');
  const parts = [`(SELECT count(*) FROM (SELECT DISTINCT ${all} FROM ${t}))::DOUBLE AS distinct_rows`];
  if (key.length > 0) {
    const keys = key.map((c) => c.q).join(', ');
    const complete = key.map((c) => `${c.q} IS NOT NULL`).join(' AND ');
    parts.push(
      `(SELECT count(*) FROM ${t} WHERE ${complete})::DOUBLE AS key_rows`,
      `(SELECT count(*) FROM (SELECT DISTINCT ${keys} FROM ${t} WHERE ${complete}))::DOUBLE AS key_distinct`,
    );
  }
  return `SELECT ${parts.join(', ')}`;
}

/** Rejected values per column: the count and the first five (rows: column, n, row, value). */
export function rejectsSql(rejectsTable: string): string {
  return `SELECT "column", count(*) OVER (PARTITION BY "column")::DOUBLE AS n, row::DOUBLE AS row, value
    FROM ${quoteIdent(rejectsTable)}
    QUALIFY row_number() OVER (PARTITION BY "column" ORDER BY row) <= 5
    ORDER BY "column", row`;
}

/**
 * The value patterns ShopSight recognises in text columns, as RE2 regular expressions for
 * DuckDB (`regexp_full_match` anchors them) and as SQL builders that convert a VARCHAR to its
 * target type, returning NULL for any value that does not fit.
 *
 * Every conversion is guarded by a regular expression before it casts: DuckDB's own
 * `TRY_CAST` is too lenient for sniffing (`' 12 '`, `'12.0'`, `'0x10'` and `'1_000'` all cast
 * to BIGINT) and `try_strptime` is slow when it fails, so it only sees values already shaped
 * like a date.
 */
import { sqlLiteral } from '../../sql/ident';

export type DecimalSeparator = '.' | ',';

/** Tokens read as "no value" (compared trimmed and lower-cased). */
export const MISSING_TOKENS: readonly string[] = ['', 'na', 'n/a', 'null', '-', 'nan', '#n/a'];

/** Tokens read as booleans (lower-cased). `1`/`0` only count for flag-like column names. */
export const TRUE_TOKENS: readonly string[] = ['true', 'yes', 'y', '是'];
export const FALSE_TOKENS: readonly string[] = ['false', 'no', 'n', '否'];

/** Currency symbols and codes, before or after the number. */
export const CURRENCY_RE =
  '(?:US\\$|HK\\$|NT\\$|A\\$|C\\$|S\\$|R\\$|[$€£¥￥₹₩₽]|(?i:usd|eur|gbp|jpy|cny|rmb|hkd|cad|aud|chf|sgd)|人民币|元|円)';

/** SQL list literal such as `('a', 'b')`. */
function sqlList(values: readonly string[]): string {
  return `(${values.map((v) => sqlLiteral(v)).join(', ')})`;
}

/** `x` trimmed of surrounding spaces. */
export function trimmed(x: string): string {
  return `trim(${x})`;
}

/** SQL condition: the raw value `x` counts as missing. */
export function isMissingSql(x: string): string {
  return `(${x} IS NULL OR lower(trim(${x})) IN ${sqlList(MISSING_TOKENS)})`;
}

/** Wraps a conversion so that missing tokens become NULL before it runs. */
export function unlessMissing(x: string, converted: string): string {
  return `CASE WHEN ${isMissingSql(x)} THEN NULL ELSE ${converted} END`;
}

function re(pattern: string): string {
  return sqlLiteral(pattern);
}

function fullMatch(x: string, pattern: string): string {
  return `regexp_full_match(${x}, ${re(pattern)})`;
}

// ---------------------------------------------------------------------------------------
// Numbers

/** Plain integers (what `integerSql` accepts besides grouped ones). */
export const INT_RE = '[+-]?\\d{1,18}';
/** Digit strings that must stay text: leading zeros (`05408`). */
export const LEADING_ZERO_RE = '[+-]?0\\d+';
/** Plausible `yyyymmdd` values (used only when the column name says "date"). */
export const YYYYMMDD_RE = '(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])';
/** Short codes that mix letters and digits: `C536379`, `85123A`, `INV-001`. */
export const CODE_RE = '[A-Za-z]{1,4}[-_]?\\d+|\\d+[A-Za-z]{1,3}';

/** Plain decimal number in the given convention (`12.5` / `12,5`), integers included. */
export function decimalRe(sep: DecimalSeparator): string {
  return sep === '.' ? '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?' : '[+-]?(?:\\d+,?\\d*|,\\d+)';
}

/** Number with thousands grouping (`1,234.50` / `1.234,50`); the fraction is optional. */
export function groupedRe(sep: DecimalSeparator): string {
  return sep === '.' ? '[+-]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d*)?' : '[+-]?\\d{1,3}(?:\\.\\d{3})+(?:,\\d*)?';
}

/** Integer with thousands grouping (`1,234` / `1.234`). */
export function groupedIntRe(sep: DecimalSeparator): string {
  return sep === '.' ? '[+-]?\\d{1,3}(?:,\\d{3})+' : '[+-]?\\d{1,3}(?:\\.\\d{3})+';
}

/** An unsigned number in the convention, grouped or not (for money and percentages). */
function unsignedNumberRe(sep: DecimalSeparator): string {
  const g = sep === '.' ? ',' : '\\.';
  const d = sep === '.' ? '\\.' : ',';
  return `(?:\\d{1,3}(?:${g}\\d{3})+(?:${d}\\d*)?|\\d+(?:${d}\\d*)?|${d}\\d+)`;
}

/** SQL: integer text `t` (already trimmed) → BIGINT, or NULL. */
export function integerSql(t: string, sep: DecimalSeparator): string {
  const group = sep === '.' ? ',' : '.';
  return (
    `CASE WHEN ${fullMatch(t, INT_RE)} THEN TRY_CAST(${t} AS BIGINT) ` +
    `WHEN ${fullMatch(t, groupedIntRe(sep))} THEN TRY_CAST(replace(${t}, ${sqlLiteral(group)}, '') AS BIGINT) END`
  );
}

/** SQL: unsigned/signed number text `t` (trimmed, no symbols) → DOUBLE, or NULL. */
export function decimalSql(t: string, sep: DecimalSeparator): string {
  if (sep === '.') {
    return (
      `CASE WHEN ${fullMatch(t, decimalRe('.'))} THEN TRY_CAST(${t} AS DOUBLE) ` +
      `WHEN ${fullMatch(t, groupedRe('.'))} THEN TRY_CAST(replace(${t}, ',', '') AS DOUBLE) END`
    );
  }
  return (
    `CASE WHEN ${fullMatch(t, decimalRe(','))} THEN TRY_CAST(replace(${t}, ',', '.') AS DOUBLE) ` +
    `WHEN ${fullMatch(t, groupedRe(','))} THEN TRY_CAST(replace(replace(${t}, '.', ''), ',', '.') AS DOUBLE) END`
  );
}

/** Percentages such as `12.5%` or `12,5 %`. */
export function percentRe(sep: DecimalSeparator): string {
  return `[+-]?${unsignedNumberRe(sep)}\\s*%`;
}

/** SQL: `12.5%` → 0.125. */
export function percentSql(t: string, sep: DecimalSeparator): string {
  return `CASE WHEN ${fullMatch(t, percentRe(sep))} THEN (${decimalSql(`rtrim(rtrim(${t}, '%'))`, sep)}) / 100.0 END`;
}

/**
 * Money: an optional currency before and/or after, a minus sign or accounting parentheses:
 * `$1,234.50`, `-$5.00`, `(5.00)`, `¥1,234`, `1.234,50 €`, `USD 12.00`, `12.00 RMB`, `12元`.
 */
export function moneyRe(sep: DecimalSeparator): string {
  const c = CURRENCY_RE;
  return `(?:${c}\\s*)?\\(?\\s*-?\\s*(?:${c}\\s*)?-?\\s*${unsignedNumberRe(sep)}\\s*(?:${c}\\s*)?\\)?\\s*(?:${c})?`;
}

/** Loose money shape for the first sniffing pass (either decimal convention). */
export const MONEY_LOOSE_RE = `(?:${CURRENCY_RE}\\s*)?\\(?\\s*-?\\s*(?:${CURRENCY_RE}\\s*)?-?\\s*\\d[\\d.,]*\\s*(?:${CURRENCY_RE}\\s*)?\\)?\\s*(?:${CURRENCY_RE})?`;
/** Loose percentage shape for the first sniffing pass. */
export const PERCENT_LOOSE_RE = '[+-]?\\d[\\d.,]*\\s*%';

/** SQL: money text → DOUBLE (negative for `-` or parentheses), or NULL. */
export function moneySql(t: string, sep: DecimalSeparator): string {
  const digits = `regexp_extract(${t}, ${re('\\d[\\d.,]*')})`;
  const negative = `(contains(${t}, '-') OR contains(${t}, '('))`;
  return (
    `CASE WHEN ${fullMatch(t, moneyRe(sep))} AND contains(${t}, '(') = contains(${t}, ')') ` +
    `THEN (CASE WHEN ${negative} THEN -1 ELSE 1 END) * (${decimalSql(digits, sep)}) END`
  );
}

// ---------------------------------------------------------------------------------------
// Booleans

/** SQL: boolean text → BOOLEAN, or NULL. `withDigits` also reads `1`/`0`. */
export function booleanSql(t: string, withDigits: boolean): string {
  const trues = withDigits ? [...TRUE_TOKENS, '1'] : TRUE_TOKENS;
  const falses = withDigits ? [...FALSE_TOKENS, '0'] : FALSE_TOKENS;
  return `CASE WHEN lower(${t}) IN ${sqlList(trues)} THEN TRUE WHEN lower(${t}) IN ${sqlList(falses)} THEN FALSE END`;
}

// ---------------------------------------------------------------------------------------
// Dates and timestamps

export type DateOrder = 'ymd' | 'mdy' | 'dmy';
export type DateSep = '-' | '/' | '.' | '年' | '';

/** A date layout: field order, separator, and whether the year has two digits. */
export interface DateLayout {
  order: DateOrder;
  sep: DateSep;
  shortYear: boolean;
}

/** A loose "looks like a date or timestamp" gate for the first pass. */
export const DATE_LIKE_RE =
  '(?:\\d{1,4}[-/.]\\d{1,2}[-/.]\\d{1,4}|\\d{4}年\\d{1,2}月\\d{1,2}日)(?:(?:T|\\s+)\\d{1,2}:\\d{2}.{0,24})?';

/** Optional time part: `T`/space, h:mm[:ss[.fff]], am/pm, then a zone that is dropped. */
const TIME_RE =
  '(?:(?:T|\\s+)\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?(?:\\s*(?i:am|pm))?(?:\\s*(?:Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?))?)';

function escapeSep(sep: DateSep): string {
  return sep === '.' || sep === '/' ? `\\${sep}` : sep;
}

/** The date part with three capture groups, in the order the layout writes them. */
function datePartRe(layout: DateLayout): string {
  const y = layout.shortYear ? '(\\d{2})' : '(\\d{4})';
  const md = '(\\d{1,2})';
  if (layout.sep === '年') return '(\\d{4})年(\\d{1,2})月(\\d{1,2})日';
  if (layout.sep === '') return '(\\d{4})(\\d{2})(\\d{2})';
  const s = escapeSep(layout.sep);
  return layout.order === 'ymd' ? `${y}${s}${md}${s}${md}` : `${md}${s}${md}${s}${y}`;
}

/** Back-references that rewrite the date part as ISO `yyyy-m-d`. */
function isoReplacement(layout: DateLayout): string {
  const century = layout.shortYear ? '20' : '';
  switch (layout.order) {
    case 'ymd':
      return `${century}\\1-\\2-\\3`;
    case 'mdy':
      return `${century}\\3-\\1-\\2`;
    case 'dmy':
      return `${century}\\3-\\2-\\1`;
  }
}

/** Full-match pattern for a value of this layout, with or without a time part. */
export function dateValueRe(layout: DateLayout, withTime: boolean): string {
  return datePartRe(layout) + (withTime ? `${TIME_RE}?` : '');
}

/** SQL: date text → DATE (rejects values with a time part), or NULL. */
export function dateSql(t: string, layout: DateLayout): string {
  const iso = `regexp_replace(${t}, ${re('^' + datePartRe(layout))}, ${sqlLiteral(isoReplacement(layout))})`;
  return `CASE WHEN ${fullMatch(t, dateValueRe(layout, false))} THEN TRY_CAST(${iso} AS DATE) END`;
}

/**
 * SQL: date-time text → TIMESTAMP (date-only values become midnight), or NULL. Zones and
 * offsets are dropped: there is no ICU in this DuckDB build, so times are kept as written.
 */
export function timestampSql(t: string, layout: DateLayout): string {
  const iso = `regexp_replace(${t}, ${re('^' + datePartRe(layout))}, ${sqlLiteral(isoReplacement(layout))})`;
  const noZone = `regexp_replace(${iso}, ${re('(\\d:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?)\\s*(?:Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)$')}, '\\1')`;
  const dotFraction = `regexp_replace(${noZone}, ${re('(:\\d{2}),(\\d+)')}, '\\1.\\2')`;
  const body =
    `CASE WHEN ${fullMatch(t, '.*(?i:am|pm)')} ` +
    `THEN try_strptime(regexp_replace(${dotFraction}, 'T', ' '), ['%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d %I:%M %p', '%Y-%m-%d %I:%M:%S.%f %p']) ` +
    `ELSE TRY_CAST(${dotFraction} AS TIMESTAMP) END`;
  return `CASE WHEN ${fullMatch(t, dateValueRe(layout, true))} THEN ${body} END`;
}

/** Human-readable name of a layout, e.g. `m/d/yyyy`, `dd-mm-yyyy`, `yyyy年m月d日`. */
export function layoutName(layout: DateLayout): string {
  if (layout.sep === '年') return 'yyyy年m月d日';
  if (layout.sep === '') return 'yyyymmdd';
  const y = layout.shortYear ? 'yy' : 'yyyy';
  const s = layout.sep;
  // Day-first dashed and dotted dates are usually written with two digits.
  const short = s === '/';
  const m = short ? 'm' : 'mm';
  const d = short ? 'd' : 'dd';
  switch (layout.order) {
    case 'ymd':
      return `${y}${s}mm${s}dd`;
    case 'mdy':
      return `${m}${s}${d}${s}${y}`;
    case 'dmy':
      return `${d}${s}${m}${s}${y}`;
  }
}

/** SQL shape of a date-like value for the first pass: `2011-03-10 16:16` → `Y-D-D D:D`. */
export function dateShapeSql(t: string): string {
  return `regexp_replace(regexp_replace(${t}, '\\d{4}', 'Y', 'g'), '\\d+', 'D', 'g')`;
}

/** Layouts that can produce a date shape (`D/D/Y` → m/d/yyyy and d/m/yyyy), in that order. */
export function layoutsForShape(datePart: string): DateLayout[] {
  const m = /^(Y|D)([-/.])(D)\2(Y|D)$/.exec(datePart);
  if (datePart === 'Y年D月D日') return [{ order: 'ymd', sep: '年', shortYear: false }];
  if (!m) return [];
  const sep = m[2] as DateSep;
  if (m[1] === 'Y' && m[4] === 'D') return [{ order: 'ymd', sep, shortYear: false }];
  if (m[1] === 'D' && m[4] === 'Y') {
    return [
      { order: 'mdy', sep, shortYear: false },
      { order: 'dmy', sep, shortYear: false },
    ];
  }
  // Two-digit years only with slashes (Excel's US default, `11/8/16`): `1.2.3` is a version.
  if (m[1] === 'D' && m[4] === 'D' && sep === '/') {
    return [
      { order: 'mdy', sep, shortYear: true },
      { order: 'dmy', sep, shortYear: true },
    ];
  }
  return [];
}

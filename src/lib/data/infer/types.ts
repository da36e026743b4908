/**
 * Value-type inference for the all-VARCHAR stage tables that CSV and Excel ingest produce,
 * and the statement that turns a stage table into the final typed table.
 *
 * Two scans of a sample (the first `sampleRows` rows) decide every column:
 * 1. *sniff*: one aggregate query tags each sampled value with a cheap shape class
 *    (`int`, `dec`, `money`, `dt:Y-D-D D:D:D`, `bool`, `text` …), counted per column;
 * 2. *verify*: one aggregate query runs the exact conversion expression of every
 *    remaining candidate and counts the values it converts.
 * The candidate that converts most values wins (ties go to the more specific kind), and a
 * column is converted only when it converts at least `threshold` (98 %) of its non-missing
 * sampled values; otherwise it stays text. Values that then fail the conversion become NULL
 * and are kept, verbatim, in the `<target>__rejects` table.
 */
import type { SemanticKind } from '../../contracts/data-api';
import { quoteIdent, sqlLiteral } from '../../sql/ident';
import { checkCancelled, count, execCancellable, str } from '../../sql/run';
import { toCell } from '../arrow';
import type { CancelToken, Db } from '../db';
import { rejectsTableName } from '../table-names';
import { kindForDuckType, normaliseType } from './kinds';
import {
  CODE_RE,
  CURRENCY_RE,
  DATE_LIKE_RE,
  FALSE_TOKENS,
  LEADING_ZERO_RE,
  MISSING_TOKENS,
  MONEY_LOOSE_RE,
  PERCENT_LOOSE_RE,
  TRUE_TOKENS,
  YYYYMMDD_RE,
  booleanSql,
  dateShapeSql,
  dateSql,
  decimalRe,
  decimalSql,
  groupedRe,
  integerSql,
  isMissingSql,
  layoutName,
  layoutsForShape,
  moneySql,
  percentSql,
  timestampSql,
  unlessMissing,
  type DateLayout,
  type DecimalSeparator,
} from './patterns';

/** What one stage column becomes. */
export interface ColumnInference {
  name: string;
  kind: SemanticKind;
  /** Human-readable pattern, e.g. `m/d/yyyy`, `$1,234.50`, `yes/no`. */
  format?: string;
  /** DuckDB type of the converted column. */
  duckdbType: string;
  /** SQL converting the stage column (already quoted) to `duckdbType`; NULL when it does not parse. */
  expression: (quotedColumn: string) => string;
  /** Share of non-missing sampled values that fit `kind` (1 for text). */
  matchShare: number;
  /** Non-missing values in the sample. */
  sampled?: number;
  /** A date layout that could also be read the other way round (no day > 12 seen). */
  ambiguous?: boolean;
  /** For text columns: the best kind that was rejected for fitting too few values. */
  nearMiss?: { kind: SemanticKind; share: number };
}

export interface InferOptions {
  decimalSeparator: DecimalSeparator;
  /** Rows sampled from the top of the table (default 50,000). */
  sampleRows?: number;
  /** Minimum share of non-missing values a kind must fit to convert (default 0.98). */
  threshold?: number;
}

export const DEFAULT_SAMPLE_ROWS = 50_000;
export const DEFAULT_THRESHOLD = 0.98;
/** Columns with fewer non-missing values in the sample get a sample of their own. */
const SPARSE_MIN_VALUES = 20;

// ---------------------------------------------------------------------------------------
// Name hints

/** Lower-case, without spaces, underscores, hyphens and dots. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** 0/1 columns named like a flag (`is_member`, `Recommended IND`, `是否退款`) are booleans. */
export function nameSuggestsFlag(name: string): boolean {
  if (/^(is|has|was|did|can|should)([\s_-]|[A-Z])/.test(name)) return true;
  if (/(^|[\s_-])(ind|flag|yn)$/i.test(name)) return true;
  return /flag|indicator|bool|recommend|churn|weekend|holiday|returned|cancell?ed|subscribed|optin|optedin|acceptsmarketing|是否|标记/.test(
    squash(name),
  );
}

/** `yyyymmdd` numbers are read as dates only when the name says so. */
export function nameSuggestsDate(name: string): boolean {
  return /date|day|time|dt$|^ds$|日期|时间|日$/.test(squash(name));
}

/** Digit strings that are identifiers by nature and must never become numbers. */
export function nameSuggestsDigitCode(name: string): boolean {
  return /zip|postal|postcode|plz|phone|mobile|telephone|cellphone|^tel$|barcode|ean|upc|isbn|gtin|邮编|邮政编码|电话|手机|身份证/.test(
    squash(name),
  );
}

/** Names of identifier columns, where a few letter-prefixed codes are part of the data. */
export function nameSuggestsId(name: string): boolean {
  return /(id|no|num|number|code|sku|ref|key)$|编号|单号|号$|编码|id$/.test(squash(name));
}

// ---------------------------------------------------------------------------------------
// Candidates

interface Candidate {
  kind: SemanticKind;
  duckdbType: string;
  format?: string;
  /** Converts trimmed text to the target type, NULL when it does not fit. */
  convert: (t: string) => string;
  /** Layout, for dates and timestamps (to detect ambiguous pairs). */
  layout?: DateLayout;
  /** Asks the verify pass for an example value (`min` of those matching this SQL condition)… */
  exampleWhere?: (t: string) => string;
  /** …from which the format is then written. */
  describe?: (example: string | undefined) => string;
}

function inferenceFrom(name: string, c: Candidate, matchShare: number, sampled: number): ColumnInference {
  const inf: ColumnInference = {
    name,
    kind: c.kind,
    duckdbType: c.duckdbType,
    expression: (q) => unlessMissing(q, c.convert(`trim(${q})`)),
    matchShare,
    sampled,
  };
  if (c.format !== undefined) inf.format = c.format;
  return inf;
}

/** A column kept as VARCHAR: missing tokens become NULL, everything else is kept verbatim. */
function textInference(name: string, kind: 'text' | 'id', sampled: number, format?: string): ColumnInference {
  const inf: ColumnInference = {
    name,
    kind,
    duckdbType: 'VARCHAR',
    expression: (q) => `CASE WHEN ${isMissingSql(q)} THEN NULL ELSE ${q} END`,
    matchShare: 1,
    sampled,
  };
  if (format !== undefined) inf.format = format;
  return inf;
}

/** A natively typed column is copied as it is. */
export function nativeInference(name: string, duckdbType: string): ColumnInference {
  return { name, kind: kindForDuckType(duckdbType), duckdbType, expression: (q) => q, matchShare: 1 };
}

const otherSep = (sep: DecimalSeparator): DecimalSeparator => (sep === '.' ? ',' : '.');

function moneyFormat(example: string | undefined, sep: DecimalSeparator): string {
  const num = sep === '.' ? '1,234.50' : '1.234,50';
  if (!example) return `(${num})`;
  const cur = new RegExp(CURRENCY_RE.replace('(?i:', '(?:'), 'i').exec(example);
  if (!cur) return `(${num})`;
  const digit = example.search(/\d/);
  const symbol = cur[0];
  if (cur.index < digit) {
    const between = example.slice(cur.index + symbol.length, digit);
    return `${symbol}${/\s/.test(between) ? ' ' : ''}${num}`;
  }
  const lastDigit = example.length - 1 - [...example].reverse().findIndex((ch) => /\d/.test(ch));
  const between = example.slice(lastDigit + 1, cur.index);
  return `${num}${/\s/.test(between) ? ' ' : ''}${symbol}`;
}

function booleanFormat(example: string | undefined, digits: boolean): string {
  const e = (example ?? '').toLowerCase();
  if (e === 'yes' || e === 'no') return 'yes/no';
  if (e === 'y' || e === 'n') return 'y/n';
  if (e === '是' || e === '否') return '是/否';
  if (e === 'true' || e === 'false') return 'true/false';
  return digits ? '1/0' : 'true/false';
}

/** `' D:D:D'` → ` hh:mm:ss`; `'TD:D:D.DZ'` → `Thh:mm:ss.fff (zone dropped)`. */
function timeFormat(tail: string): string {
  if (!tail) return '';
  const sep = tail.startsWith('T') ? 'T' : ' ';
  const colons = (tail.match(/:/g) ?? []).length;
  let f = sep + (colons >= 2 ? 'hh:mm:ss' : 'hh:mm');
  if (/D:D:D[.,]/.test(tail) || /:D[.,][DY]/.test(tail)) f += '.fff';
  if (/[ap]m/i.test(tail)) f += ' am/pm';
  if (/(Z|UTC|GMT|[+-]D(:?D)?)$/.test(tail.replace(/\s+(am|pm)$/i, ''))) f += ' (zone dropped)';
  return f;
}

/** Splits a date shape into its date part and its time tail: `Y-D-DTD:D` → [`Y-D-D`, `TD:D`]. */
function splitShape(shape: string): [string, string] {
  const m = /^(Y年D月D日|[YD][-/.]D[-/.][YD])(.*)$/.exec(shape);
  return m ? [m[1]!, m[2]!] : [shape, ''];
}

interface TagCount {
  n: number;
}

interface ColumnSniff {
  total: number;
  tags: Map<string, TagCount>;
}

interface Plan {
  final?: ColumnInference;
  candidates: Candidate[];
  nonMissing: number;
}

/** Decides, from the first pass, what a column is or which candidates to verify. */
function plan(name: string, sniff: ColumnSniff, sep: DecimalSeparator, threshold: number): Plan {
  const c = (tag: string): number => sniff.tags.get(tag)?.n ?? 0;
  const nm = sniff.total - c('missing');
  if (nm <= 0) return { final: textInference(name, 'text', 0), candidates: [], nonMissing: 0 };
  const share = (n: number): number => n / nm;

  const ints = c('01') + c('int') + c('int8');
  const digitsOnly = ints + c('lead0') + c('long');

  // Identifiers written with digits: leading zeros (`05408`) or too long for a double. A single
  // zero-padded value in a column not named like an id (`05` among quantities) is a typo, not a code.
  const zeroPadded = c('lead0') >= 2 || (c('lead0') === 1 && (nameSuggestsId(name) || nm === 1));
  if (share(digitsOnly) >= threshold && (zeroPadded || c('long') > 0 || nameSuggestsDigitCode(name))) {
    const format = c('lead0') > 0 ? 'digits with leading zeros' : c('long') > 0 ? 'long digit string' : 'digit code';
    const inf = textInference(name, 'id', nm, format);
    inf.matchShare = share(digitsOnly);
    return { final: inf, candidates: [], nonMissing: nm };
  }

  // Mostly numbers plus letter-prefixed codes (UCI `C536379` cancellations): an identifier.
  const codes = c('code');
  if (
    codes > 0 &&
    ints > 0 &&
    share(ints + codes) >= 0.9 &&
    (codes >= 2 || nameSuggestsId(name) || share(ints) < threshold)
  ) {
    const inf = textInference(name, 'id', nm, 'code');
    inf.matchShare = share(ints + codes);
    return { final: inf, candidates: [], nonMissing: nm };
  }

  const candidates: Candidate[] = [];
  const bools = c('bool');
  if ((bools > 0 && share(bools + c('01')) >= threshold) || (c('01') === nm && nameSuggestsFlag(name))) {
    const digits = c('01') > 0;
    const tokens = [...TRUE_TOKENS, ...FALSE_TOKENS].map((x) => sqlLiteral(x)).join(', ');
    candidates.push({
      kind: 'boolean',
      duckdbType: 'BOOLEAN',
      convert: (t) => booleanSql(t, digits),
      exampleWhere: (t) => `lower(${t}) IN (${tokens})`,
      describe: (example) => booleanFormat(example, digits && bools === 0),
    });
  }

  if (nameSuggestsDate(name) && share(c('int8')) >= threshold) {
    const layout: DateLayout = { order: 'ymd', sep: '', shortYear: false };
    candidates.push({
      kind: 'date',
      duckdbType: 'DATE',
      format: 'yyyymmdd',
      layout,
      convert: (t) => dateSql(t, layout),
    });
  }

  const numeric = ints + c('lead0') + c('long') + c('dec') + c('grp');
  if (share(ints + c('lead0') + c('grp')) >= threshold && c('dec') === 0) {
    const grouped = c('grp') > 0;
    const cand: Candidate = { kind: 'integer', duckdbType: 'BIGINT', convert: (t) => integerSql(t, sep) };
    if (grouped) cand.format = sep === '.' ? '1,234' : '1.234';
    candidates.push(cand);
  }
  if (share(numeric) >= threshold) {
    const grouped = c('grp') > 0;
    const cand: Candidate = { kind: 'decimal', duckdbType: 'DOUBLE', convert: (t) => decimalSql(t, sep) };
    if (sep === ',') cand.format = grouped ? '1.234,5' : '12,5';
    else if (grouped) cand.format = '1,234.5';
    candidates.push(cand);
  }

  const money = c('money') + c('paren');
  if (money > 0 && share(money + numeric) >= threshold) {
    for (const s of [sep, otherSep(sep)]) {
      candidates.push({
        kind: 'money',
        duckdbType: 'DOUBLE',
        convert: (t) => moneySql(t, s),
        exampleWhere: (t) => `regexp_matches(${t}, ${sqlLiteral(CURRENCY_RE)})`,
        describe: (example) => moneyFormat(example, s),
      });
    }
  }

  if (share(c('pct')) >= threshold) {
    for (const s of [sep, otherSep(sep)]) {
      candidates.push({
        kind: 'percent',
        duckdbType: 'DOUBLE',
        format: s === '.' ? '12.5%' : '12,5%',
        convert: (t) => percentSql(t, s),
      });
    }
  }

  // Dates and timestamps: every layout any sampled shape allows, most frequent first.
  let dated = 0;
  let timed = 0;
  const layoutWeight = new Map<string, { layout: DateLayout; n: number; order: number }>();
  const timeTails = new Map<string, number>();
  for (const [tag, { n }] of sniff.tags) {
    if (!tag.startsWith('dt:')) continue;
    dated += n;
    const [datePart, tail] = splitShape(tag.slice(3));
    if (tail) {
      timed += n;
      timeTails.set(tail, (timeTails.get(tail) ?? 0) + n);
    }
    const layouts = layoutsForShape(datePart);
    // When both orders fit, the convention of the separator is tried first:
    // m/d/yyyy for slashes (US exports), d-m-yyyy and d.m.yyyy otherwise.
    if (layouts.length === 2 && layouts[0]!.sep !== '/') layouts.reverse();
    layouts.forEach((layout, i) => {
      const key = JSON.stringify(layout);
      const entry = layoutWeight.get(key) ?? { layout, n: 0, order: i };
      entry.n += n;
      layoutWeight.set(key, entry);
    });
  }
  if (dated > 0 && share(dated) >= threshold) {
    const tail = [...timeTails].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const layouts = [...layoutWeight.values()].sort((a, b) => b.n - a.n || a.order - b.order);
    for (const { layout } of layouts) {
      if (timed > 0) {
        candidates.push({
          kind: 'timestamp',
          duckdbType: 'TIMESTAMP',
          format: layoutName(layout) + timeFormat(tail),
          layout,
          convert: (t) => timestampSql(t, layout),
        });
      } else {
        candidates.push({
          kind: 'date',
          duckdbType: 'DATE',
          format: layoutName(layout),
          layout,
          convert: (t) => dateSql(t, layout),
        });
      }
    }
  }

  if (candidates.length > 0) return { candidates, nonMissing: nm };

  // Stays text; remember how close it came to a typed kind.
  const options: [SemanticKind, number][] = [
    ['integer', ints],
    ['decimal', numeric],
    ['money', money > 0 ? money + numeric : 0],
    ['percent', c('pct')],
    ['date', dated],
    ['boolean', bools],
  ];
  const best = options.sort((a, b) => b[1] - a[1])[0]!;
  const result: Plan = { final: textInference(name, 'text', nm), candidates: [], nonMissing: nm };
  if (best[1] > 0) result.final!.nearMiss = { kind: best[0], share: share(best[1]) };
  return result;
}

// ---------------------------------------------------------------------------------------
// SQL

/** Tags one trimmed value with its shape class (first pass). */
function classifySql(t: string, sep: DecimalSeparator): string {
  const list = (xs: readonly string[]): string => `(${xs.map((x) => sqlLiteral(x)).join(', ')})`;
  const m = (pattern: string): string => `regexp_full_match(${t}, ${sqlLiteral(pattern)})`;
  return `CASE
    WHEN ${t} IS NULL OR lower(${t}) IN ${list(MISSING_TOKENS)} THEN 'missing'
    WHEN NOT regexp_matches(${t}, '\\d') THEN CASE WHEN lower(${t}) IN ${list([...TRUE_TOKENS, ...FALSE_TOKENS])} THEN 'bool' ELSE 'text' END
    WHEN length(${t}) > 48 THEN 'text'
    WHEN ${t} IN ('0', '1') THEN '01'
    WHEN ${m('[+-]?\\d+')} THEN CASE
      WHEN ${m(LEADING_ZERO_RE)} THEN 'lead0'
      WHEN length(ltrim(${t}, '+-')) > 15 THEN 'long'
      WHEN ${m(YYYYMMDD_RE)} THEN 'int8'
      ELSE 'int' END
    WHEN ${m(decimalRe(sep))} THEN 'dec'
    WHEN ${m(groupedRe(sep))} THEN 'grp'
    WHEN ${m(DATE_LIKE_RE)} THEN 'dt:' || ${dateShapeSql(t)}
    WHEN ${m(PERCENT_LOOSE_RE)} THEN 'pct'
    WHEN ${m(MONEY_LOOSE_RE)} THEN CASE
      WHEN regexp_matches(${t}, ${sqlLiteral(CURRENCY_RE)}) THEN 'money'
      WHEN ${m('.*\\(.*\\).*')} THEN 'paren'
      ELSE 'other' END
    WHEN ${m(CODE_RE)} THEN 'code'
    ELSE 'other'
  END`;
}

/** First pass over a sample: shape-class counts per column (one aggregate query). */
function sniff(
  db: Db,
  stage: string,
  columns: string[],
  limit: number,
  sep: DecimalSeparator,
  where?: string,
): ColumnSniff[] {
  // The classifier sits inside the aggregate on purpose: evaluated in a projection below
  // it, the same CASE ran about four times slower in DuckDB-WASM 1.4.3.
  const cols = columns.map((c, i) => `trim(${quoteIdent(c)}) AS ${quoteIdent(String(i))}`).join(', ');
  const source = `(SELECT ${cols} FROM ${quoteIdent(stage)}${where ? ` WHERE ${where}` : ''} LIMIT ${limit})`;
  const aggregates = columns.map(
    (_, i) => `histogram(${classifySql(quoteIdent(String(i)), sep)}) AS ${quoteIdent(`h${i}`)}`,
  );
  const table = db.table(`SELECT count(*)::DOUBLE AS n, ${aggregates.join(',\n')} FROM ${source}`);
  const total = count(toCell(table.getChild('n')?.get(0)));
  return columns.map((_, i) => {
    const tags = new Map<string, TagCount>();
    for (const [tag, n] of Object.entries(mapCell(table.getChild(`h${i}`)?.get(0)))) tags.set(tag, { n });
    return { total, tags };
  });
}

/** A DuckDB MAP cell (e.g. from `histogram`) as a plain object of numbers. */
function mapCell(value: unknown): Record<string, number> {
  if (value === null || typeof value !== 'object') return {};
  const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
  const out: Record<string, number> = {};
  if (json && typeof json === 'object') {
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) out[k] = Number(v);
  }
  return out;
}

/** Second pass: how many sampled values each candidate's exact conversion accepts. */
function verify(
  db: Db,
  stage: string,
  columns: string[],
  plans: Plan[],
  limit: number,
  where?: string,
): { counts: number[][]; examples: (string | undefined)[][] } {
  const aggregates: string[] = [];
  plans.forEach((p, i) =>
    p.candidates.forEach((cand, j) => {
      const q = quoteIdent(columns[i]!);
      aggregates.push(`count(${unlessMissing(q, cand.convert(`trim(${q})`))})::DOUBLE AS ${quoteIdent(`${i}_${j}`)}`);
      if (cand.exampleWhere) {
        aggregates.push(
          `min(trim(${q})) FILTER (WHERE ${cand.exampleWhere(`trim(${q})`)}) AS ${quoteIdent(`e${i}_${j}`)}`,
        );
      }
    }),
  );
  if (aggregates.length === 0) return { counts: plans.map(() => []), examples: plans.map(() => []) };
  const source = `(SELECT ${columns.map((c) => quoteIdent(c)).join(', ')} FROM ${quoteIdent(stage)}${where ? ` WHERE ${where}` : ''} LIMIT ${limit})`;
  const row = db.rows(`SELECT ${aggregates.join(',\n')} FROM ${source}`)[0] ?? {};
  return {
    counts: plans.map((p, i) => p.candidates.map((_, j) => count(row[`${i}_${j}`]))),
    examples: plans.map((p, i) => p.candidates.map((_, j) => str(row[`e${i}_${j}`]))),
  };
}

/** Picks the candidate converting most values (ties: the earlier, more specific one). */
function choose(
  name: string,
  p: Plan,
  counts: number[],
  examples: (string | undefined)[],
  threshold: number,
): ColumnInference {
  if (p.final) return p.final;
  let best = -1;
  counts.forEach((n, j) => {
    if (best < 0 || n > counts[best]!) best = j;
  });
  const cand = p.candidates[best];
  const bestCount = counts[best] ?? 0;
  const share = p.nonMissing > 0 ? bestCount / p.nonMissing : 0;
  if (!cand || share < threshold) {
    const inf = textInference(name, 'text', p.nonMissing);
    if (cand && share > 0) inf.nearMiss = { kind: cand.kind, share };
    return inf;
  }
  const inf = inferenceFrom(name, cand, share, p.nonMissing);
  if (cand.describe) inf.format = cand.describe(examples[best]);
  // Both day orders fit every value: say which one was assumed.
  const l = cand.layout;
  if (l && (l.order === 'mdy' || l.order === 'dmy')) {
    const partner = p.candidates.findIndex(
      (other, j) =>
        j !== best &&
        other.layout?.sep === l.sep &&
        other.layout.shortYear === l.shortYear &&
        other.layout.order !== l.order,
    );
    if (partner >= 0 && counts[partner] === bestCount) {
      inf.ambiguous = true;
      inf.format = `${inf.format} (ambiguous: assumed ${l.order === 'mdy' ? 'month' : 'day'} first)`;
    }
  }
  return inf;
}

function describeColumns(db: Db, table: string): { name: string; type: string }[] {
  return db
    .rows(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${sqlLiteral(table)} AND schema_name = 'main' ORDER BY column_index`,
    )
    .map((r) => ({ name: String(r.column_name), type: normaliseType(String(r.data_type)) }));
}

/**
 * Decides the type of every column of `stageTable` from a sample: VARCHAR columns are
 * sniffed, columns that are already typed are kept as they are.
 */
export function inferColumns(db: Db, stageTable: string, opts: InferOptions): ColumnInference[] {
  const limit = Math.max(1, Math.floor(opts.sampleRows ?? DEFAULT_SAMPLE_ROWS));
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const sep = opts.decimalSeparator;
  const columns = describeColumns(db, stageTable);
  const result: (ColumnInference | undefined)[] = columns.map((c) =>
    c.type === 'VARCHAR' ? undefined : nativeInference(c.name, c.type),
  );
  const text = columns.filter((c) => c.type === 'VARCHAR').map((c) => c.name);
  if (text.length === 0) return result as ColumnInference[];

  const sniffs = sniff(db, stageTable, text, limit, sep);
  const sampledRows = sniffs[0]?.total ?? 0;
  const plans = text.map((name, i) => plan(name, sniffs[i]!, sep, threshold));
  const checked = verify(db, stageTable, text, plans, limit);
  const decided = text.map((name, i) => choose(name, plans[i]!, checked.counts[i]!, checked.examples[i]!, threshold));

  // Columns that are (nearly) empty at the top of a longer table get a sample of their own.
  if (sampledRows >= limit) {
    text.forEach((name, i) => {
      if (plans[i]!.nonMissing >= SPARSE_MIN_VALUES) return;
      const where = `NOT ${isMissingSql(quoteIdent(name))}`;
      const s = sniff(db, stageTable, [name], limit, sep, where)[0]!;
      if (s.total === 0) return;
      const p = plan(name, s, sep, threshold);
      const v = verify(db, stageTable, [name], [p], limit, where);
      decided[i] = choose(name, p, v.counts[0]!, v.examples[0]!, threshold);
    });
  }

  text.forEach((name, i) => {
    result[columns.findIndex((c) => c.name === name)] = decided[i];
  });
  return result as ColumnInference[];
}

/**
 * Creates `target` from `stageTable` with every column converted, in the same order and with
 * the same names, plus `<target>__rejects(row, "column", value)`: every non-missing value that
 * failed its column's conversion (row = 1-based data row), so nothing the user loaded is lost.
 * Nothing is left behind when cancelled or failed.
 */
export async function buildTypedTable(
  db: Db,
  stageTable: string,
  target: string,
  inferences: ColumnInference[],
  token: CancelToken,
): Promise<{ rejects: number }> {
  const stage = quoteIdent(stageTable);
  const t = quoteIdent(target);
  const rejectsTable = quoteIdent(rejectsTableName(target));
  const select = inferences
    .map((inf) => `${inf.expression(quoteIdent(inf.name))} AS ${quoteIdent(inf.name)}`)
    .join(',\n');
  const converted = inferences.filter((inf) => inf.duckdbType !== 'VARCHAR' && inf.expression('x') !== 'x');
  let created = false;
  let rejectsCreated = false;
  try {
    checkCancelled(token);
    await execCancellable(db, `CREATE TABLE ${t} AS SELECT ${select} FROM ${stage}`, token);
    created = true;
    await execCancellable(
      db,
      `CREATE OR REPLACE TABLE ${rejectsTable} (row BIGINT, "column" VARCHAR, value VARCHAR)`,
      token,
    );
    rejectsCreated = true;
    if (converted.length > 0) {
      // Rejected = present in the stage but NULL after conversion. A positional join with the
      // new table avoids running every conversion a second time; a first aggregate finds the
      // columns that have any, so clean data costs one scan.
      const failed = (inf: ColumnInference): string => {
        const q = quoteIdent(inf.name);
        return `(NOT ${isMissingSql(`s.${q}`)} AND t.${q} IS NULL)`;
      };
      const joined = `${stage} s POSITIONAL JOIN ${t} t`;
      const perColumn =
        db.rows(
          `SELECT ${converted.map((inf, i) => `count(*) FILTER (WHERE ${failed(inf)})::DOUBLE AS "r${i}"`).join(', ')} FROM ${joined}`,
        )[0] ?? {};
      const withRejects = converted.filter((_, i) => count(perColumn[`r${i}`]) > 0);
      checkCancelled(token);
      if (withRejects.length > 0) {
        const rowAlias = quoteIdent('__shopsight_row__');
        const cells = withRejects
          .map((inf) => `CASE WHEN ${failed(inf)} THEN s.${quoteIdent(inf.name)} END AS ${quoteIdent(inf.name)}`)
          .join(',\n');
        await execCancellable(
          db,
          `INSERT INTO ${rejectsTable}
           SELECT ${rowAlias}, "column", value FROM (
             UNPIVOT (
               SELECT s.rowid + 1 AS ${rowAlias}, ${cells}
               FROM ${joined}
               WHERE ${withRejects.map(failed).join(' OR ')}
             )
             ON ${withRejects.map((inf) => quoteIdent(inf.name)).join(', ')} INTO NAME "column" VALUE value
           ) ORDER BY ${rowAlias}`,
          token,
        );
      }
    }
    const rejects = count(db.scalar(`SELECT count(*) FROM ${rejectsTable}`));
    return { rejects };
  } catch (error) {
    if (created) db.exec(`DROP TABLE IF EXISTS ${t}`);
    if (rejectsCreated) db.exec(`DROP TABLE IF EXISTS ${rejectsTable}`);
    throw error;
  }
}

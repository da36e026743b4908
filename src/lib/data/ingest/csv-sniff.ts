/**
 * CSV dialect sniffing on a decoded sample (the first ~64 KB).
 *
 * ShopSight passes the dialect to DuckDB explicitly (`auto_detect=false`) instead of letting
 * DuckDB's sniffer guess: DuckDB's sniffer gives up with a generic "Error when sniffing file"
 * on exactly the files that need help (ragged rows, a stray quote, mixed line endings), while an
 * explicit dialect gets a precise error with a line number, or a lenient load.
 */
import type { CsvDialect, LoadWarning } from '../../contracts/data-api';

/** One CSV record of the sample. */
export interface SampleRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** An empty line (DuckDB skips these but counts them for `skip`). */
  blank: boolean;
}

/** The records of a sample and what was odd about them. */
export interface ParsedSample {
  records: SampleRecord[];
  /** Line of a quote that is never closed (only reported when the sample is the whole file). */
  unterminatedQuoteLine: number | null;
  /** Closing quotes followed by text (`"5"x`), which DuckDB's strict parser rejects. */
  strayQuotes: number;
  newlines: { crlf: number; lf: number; cr: number };
}

/** What the caller already knows about the file. */
export interface SniffOptions {
  /** Parts of the dialect fixed by the user (or known, for Excel sheets). */
  override?: Partial<CsvDialect>;
  /** True when the text is the whole file, so the last record is complete. */
  complete?: boolean;
  /** Delimiter to prefer on ties and for one-column files (tab for `.tsv`). */
  preferredDelimiter?: string;
}

/** The dialect plus everything the loader needs to read the file with it. */
export interface SniffResult {
  dialect: CsvDialect;
  warnings: LoadWarning[];
  /** Final column names (empty and duplicate header names renamed the way DuckDB does). */
  columns: string[];
  /** Header fields as written, or null when the file has no header row. */
  headerFields: string[] | null;
  /** Records (blank lines included) before the header or first data row, for `read_csv(skip=…)`. */
  skipRows: number;
  /** Fields per row in most rows. */
  fieldCount: number;
  /** Most fields in any row of the sample. */
  maxFields: number;
  /** Data rows in the sample (header excluded). */
  sampleRows: number;
  shortRows: number;
  longRows: number;
  firstShortLine?: number;
  firstLongLine?: number;
  /** CRLF and LF (or CR) both end records, which DuckDB's strict parser rejects. */
  mixedNewlines: boolean;
  unterminatedQuoteLine: number | null;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;
const MAX_SAMPLE_RECORDS = 5000;

/** Parses CSV text with a given dialect, tolerating mixed line endings (for sniffing only). */
export function parseSample(
  text: string,
  dialect: Pick<CsvDialect, 'delimiter' | 'quote' | 'escape'>,
  complete = true,
  maxRecords = MAX_SAMPLE_RECORDS,
): ParsedSample {
  const { delimiter, quote, escape } = dialect;
  const records: SampleRecord[] = [];
  const newlines = { crlf: 0, lf: 0, cr: 0 };
  let unterminatedQuoteLine: number | null = null;
  let strayQuotes = 0;
  const n = text.length;
  let i = 0;
  let line = 1;

  while (i < n && records.length < maxRecords) {
    const recordLine = line;
    const fields: string[] = [];
    let sawQuote = false;
    let endedByNewline = false;
    let truncated = false;
    // One record: fields until a newline outside quotes.
    for (;;) {
      let value = '';
      if (quote !== '' && text[i] === quote) {
        sawQuote = true;
        const quoteLine = line;
        i++;
        let closed = false;
        // Append in slices between special characters: per-character concatenation is far too slow for long values.
        let segment = i;
        while (i < n) {
          const ch = text[i]!;
          if (escape !== '' && escape !== quote && ch === escape && (text[i + 1] === quote || text[i + 1] === escape)) {
            value += text.slice(segment, i) + text[i + 1];
            i += 2;
            segment = i;
            continue;
          }
          if (ch === quote) {
            if (escape === quote && text[i + 1] === quote) {
              value += text.slice(segment, i) + quote;
              i += 2;
              segment = i;
              continue;
            }
            value += text.slice(segment, i);
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          else if (ch === '\r' && text[i + 1] !== '\n') line++;
          i++;
        }
        if (!closed) value += text.slice(segment, i);
        if (!closed) {
          if (complete) unterminatedQuoteLine ??= quoteLine;
          truncated = true;
        }
        // Text after the closing quote: keep it, but note it (DuckDB's strict mode rejects it).
        let junk = '';
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') junk += text[i++];
        if (junk.trim() !== '') strayQuotes++;
        value += junk;
      } else {
        const start = i;
        while (i < n) {
          const ch = text[i]!;
          if (ch === delimiter || ch === '\n' || ch === '\r') break;
          i++;
        }
        value = text.slice(start, i);
      }
      fields.push(value);
      if (i >= n || truncated) break;
      const ch = text[i]!;
      if (ch === delimiter) {
        i++;
        if (i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      // Newline.
      if (ch === '\r' && text[i + 1] === '\n') {
        newlines.crlf++;
        i += 2;
      } else {
        if (ch === '\n') newlines.lf++;
        else newlines.cr++;
        i++;
      }
      line++;
      endedByNewline = true;
      break;
    }
    if (truncated && !complete) break; // a quoted value runs past the end of the sample
    // The sample may end in the middle of the last record.
    if (!endedByNewline && !complete) break;
    const blank = fields.length === 1 && fields[0] === '' && !sawQuote;
    records.push({ fields, line: recordLine, blank });
  }
  return { records, unterminatedQuoteLine, strayQuotes, newlines };
}

type ValueKind = 'empty' | 'number' | 'date' | 'text';

const NUMBER_RE = /^[-+(]?\s*[$€£¥]?\s*[-+]?(\d{1,3}([,.\s'’]\d{3})+|\d+)?([.,]\d+)?([eE][-+]?\d+)?\s*%?\)?$/;
const DATE_RE =
  /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?\s*([AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?)?$/;

function kindOf(raw: string): ValueKind {
  const v = raw.trim();
  if (v === '') return 'empty';
  if (DATE_RE.test(v)) return 'date';
  if (/\d/.test(v) && NUMBER_RE.test(v)) return 'number';
  return 'text';
}

interface Candidate {
  delimiter: string;
  quote: string;
  escape: string;
  parsed: ParsedSample;
  mode: number;
  consistent: number;
  rank: number;
}

/** Sniffs delimiter, quote, escape, header and decimal separator from the first part of a CSV file. */
export function sniffDialect(text: string, options: SniffOptions = {}): SniffResult {
  const override = options.override ?? {};
  const complete = options.complete ?? true;
  const preferred = options.preferredDelimiter ?? ',';

  const delimiters =
    override.delimiter !== undefined ? [override.delimiter] : [preferred, ...DELIMITERS.filter((d) => d !== preferred)];
  const quotes = override.quote !== undefined ? [override.quote] : text.includes("'") ? ['"', "'"] : ['"'];

  const candidates: Candidate[] = [];
  let rank = 0;
  for (const delimiter of delimiters) {
    for (const quote of quotes) {
      const escapes =
        override.escape !== undefined
          ? [override.escape]
          : quote !== '' && text.includes('\\' + quote)
            ? [quote, '\\']
            : [quote];
      for (const escape of escapes) {
        const parsed = parseSample(text, { delimiter, quote, escape }, complete);
        const counts = parsed.records.filter((r) => !r.blank).map((r) => r.fields.length);
        const mode = modeOf(counts);
        const consistent = counts.filter((c) => c === mode).length;
        candidates.push({ delimiter, quote, escape, parsed, mode, consistent, rank: rank++ });
      }
    }
  }
  const best = candidates.reduce((a, b) => (better(b, a) ? b : a));
  const dialect: CsvDialect = {
    delimiter: best.mode > 1 || override.delimiter !== undefined ? best.delimiter : preferred,
    quote: best.quote,
    escape: best.escape,
    header: true,
    decimalSeparator: '.',
  };
  const parsed = dialect.delimiter === best.delimiter ? best.parsed : parseSample(text, dialect, complete);
  const records = parsed.records;
  const nonBlank = records.filter((r) => !r.blank);
  const fieldCount = Math.max(1, modeOf(nonBlank.map((r) => r.fields.length)));

  // Title lines above the table ("Sales report 2024", often padded with delimiters by Excel)
  // hold one value at most; the table starts at the first row with two or more.
  const warnings: LoadWarning[] = [];
  let start = records.findIndex((r) => !r.blank);
  if (start < 0) start = records.length;
  if (fieldCount >= 2) {
    const filled = (r: SampleRecord) => r.fields.filter((f) => f.trim() !== '').length;
    const firstFull = records.findIndex((r) => !r.blank && filled(r) >= 2);
    const preamble = records.slice(start, firstFull).filter((r) => !r.blank);
    if (firstFull > start && preamble.length <= 10 && records[firstFull]!.fields.length >= fieldCount) {
      const first = preamble[0]!;
      warnings.push({
        code: 'skipped_lines',
        message:
          `The first ${preamble.length === 1 ? 'line' : `${preamble.length} lines`} ("${clip(first.fields[0] ?? '')}") ` +
          'do not look like part of the table and were skipped.',
        params: { count: preamble.length, line: first.line },
      });
      start = firstFull;
    }
  }
  const skipRows = start;
  const body = records.slice(start).filter((r) => !r.blank);

  dialect.header = override.header ?? detectHeader(body);
  const headerRecord = dialect.header ? body[0] : undefined;
  const dataRecords = dialect.header ? body.slice(1) : body;

  // A delimiter at the end of every line leaves an unnamed, empty last column; DuckDB ignores
  // empty values past the last column, so the header can simply be shorter.
  let headerFields = headerRecord ? headerRecord.fields.map((f) => f.trim()) : null;
  while (
    headerFields &&
    headerFields.length > 1 &&
    headerFields[headerFields.length - 1] === '' &&
    dataRecords.every((r) => r.fields.slice(headerFields!.length - 1).every((f) => f === ''))
  ) {
    headerFields = headerFields.slice(0, -1);
  }

  // Ragged rows in the sample (relative to the header, or the usual width without one).
  const expected = headerFields ? headerFields.length : fieldCount;
  let shortRows = 0;
  let longRows = 0;
  let firstShortLine: number | undefined;
  let firstLongLine: number | undefined;
  let maxFields = expected;
  for (const r of dataRecords) {
    const c = r.fields.length;
    // DuckDB accepts empty values past the last column (trailing delimiters) without complaint.
    const effective = c > expected && r.fields.slice(expected).every((f) => f === '') ? expected : c;
    if (effective < expected) {
      shortRows++;
      firstShortLine ??= r.line;
    } else if (effective > expected) {
      longRows++;
      firstLongLine ??= r.line;
      maxFields = Math.max(maxFields, effective);
    }
  }

  const named = columnNames(headerFields, expected);
  warnings.push(...named.warnings);

  if (override.decimalSeparator !== undefined) dialect.decimalSeparator = override.decimalSeparator;
  else if (dialect.delimiter !== ',') dialect.decimalSeparator = detectDecimalComma(dataRecords) ? ',' : '.';

  const result: SniffResult = {
    dialect,
    warnings,
    columns: named.names,
    headerFields,
    skipRows,
    fieldCount: expected,
    maxFields,
    sampleRows: dataRecords.length,
    shortRows,
    longRows,
    mixedNewlines: mixed(parsed.newlines),
    unterminatedQuoteLine: parsed.unterminatedQuoteLine,
  };
  if (firstShortLine !== undefined) result.firstShortLine = firstShortLine;
  if (firstLongLine !== undefined) result.firstLongLine = firstLongLine;
  return result;
}

/** More rows agreeing on a width above 1 wins; then wider rows, then fewer quoting problems, then candidate order. */
function better(a: Candidate, b: Candidate): boolean {
  const aMulti = a.mode > 1 ? 1 : 0;
  const bMulti = b.mode > 1 ? 1 : 0;
  if (aMulti !== bMulti) return aMulti > bMulti;
  const aBad = (a.parsed.unterminatedQuoteLine !== null ? 1 : 0) + a.parsed.strayQuotes;
  const bBad = (b.parsed.unterminatedQuoteLine !== null ? 1 : 0) + b.parsed.strayQuotes;
  const aScore = a.consistent - aBad * 2;
  const bScore = b.consistent - bBad * 2;
  if (aScore !== bScore) return aScore > bScore;
  if (a.mode !== b.mode) return a.mode > b.mode;
  return a.rank < b.rank;
}

function modeOf(counts: number[]): number {
  const freq = new Map<number, number>();
  let best = 0;
  let bestFreq = 0;
  for (const c of counts) {
    const f = (freq.get(c) ?? 0) + 1;
    freq.set(c, f);
    if (f > bestFreq || (f === bestFreq && c > best)) {
      best = c;
      bestFreq = f;
    }
  }
  return best;
}

function mixed(n: ParsedSample['newlines']): boolean {
  return [n.crlf, n.lf, n.cr].filter((c) => c > 0).length > 1;
}

/**
 * The first row is a header when some column has text above numbers or dates; it is data when
 * some column has a number or date above the same kind and no column says otherwise. Text-only
 * files default to a header (almost every export has one) unless the first row's values recur
 * below it, as categories do.
 */
function detectHeader(body: SampleRecord[]): boolean {
  const first = body[0];
  if (!first) return true;
  const rest = body.slice(1, 1001);
  const firstKinds = first.fields.map(kindOf);
  if (rest.length === 0) return !firstKinds.some((k) => k === 'number' || k === 'date');
  let headerVotes = 0;
  let dataVotes = 0;
  let recurring = 0;
  let textColumns = 0;
  firstKinds.forEach((kind, j) => {
    const values = rest.map((r) => r.fields[j] ?? '');
    const kinds = values.map(kindOf).filter((k) => k !== 'empty');
    if (kinds.length === 0 || kind === 'empty') return;
    const typed = dominant(kinds);
    if (kind === 'text' && (typed === 'number' || typed === 'date')) headerVotes++;
    else if ((kind === 'number' || kind === 'date') && typed === kind) dataVotes++;
    else if (kind === 'text' && typed === 'text') {
      textColumns++;
      const v = first.fields[j]!.trim();
      if (values.some((x) => x.trim() === v)) recurring++;
    }
  });
  if (headerVotes > 0) return true;
  if (dataVotes > 0) return false;
  return !(textColumns > 0 && recurring * 2 >= textColumns);
}

function dominant(kinds: ValueKind[]): ValueKind | null {
  const freq = new Map<ValueKind, number>();
  for (const k of kinds) freq.set(k, (freq.get(k) ?? 0) + 1);
  for (const [k, f] of freq) if (f >= kinds.length * 0.8) return k;
  return null;
}

/** `1.234,50` and `12,5` (and never `1,234.50`) mean a decimal comma. */
function detectDecimalComma(rows: SampleRecord[]): boolean {
  let comma = 0;
  let dot = 0;
  for (const r of rows.slice(0, 2000)) {
    for (const raw of r.fields) {
      const v = raw.trim().replace(/^[-+]?[$€£¥]?\s*/, '');
      if (/^\d{1,3}(\.\d{3})+,\d+$/.test(v) || /^\d+,\d{1,2}$/.test(v) || /^\d+,\d{4,}$/.test(v)) comma++;
      else if (/^\d{1,3}(,\d{3})+\.\d+$/.test(v) || /^\d+\.\d{1,2}$/.test(v) || /^\d+\.\d{4,}$/.test(v)) dot++;
    }
  }
  return comma > 0 && comma > dot;
}

/** DuckDB's name for an unnamed column: `column` + 0-based index, zero-padded to the widest index. */
export function generatedName(index: number, width: number): string {
  const digits = String(Math.max(0, width - 1)).length;
  return `column${String(index).padStart(digits, '0')}`;
}

/**
 * Final column names the way DuckDB's reader would make them: empty names become `columnNN`,
 * repeated names (compared case-insensitively, as DuckDB does) get `_1`, `_2`…; each rename
 * is reported so the user knows where a column came from.
 */
export function columnNames(header: string[] | null, width: number): { names: string[]; warnings: LoadWarning[] } {
  const warnings: LoadWarning[] = [];
  const total = Math.max(width, header?.length ?? 0);
  const raw = Array.from({ length: total }, (_, i) => header?.[i] ?? '');
  const taken = new Set(raw.filter((n) => n !== '').map((n) => n.toLowerCase()));
  const used = new Set<string>();
  const names: string[] = [];
  raw.forEach((name, i) => {
    let final = name;
    if (name === '') {
      final = generatedName(i, total);
      let k = 1;
      while (used.has(final.toLowerCase()) || taken.has(final.toLowerCase()))
        final = `${generatedName(i, total)}_${k++}`;
      if (header && i < header.length) {
        warnings.push({
          code: 'empty_column_name',
          message: `Column ${i + 1} has no name in the header; it was named "${final}".`,
          params: { position: i + 1, name: final },
        });
      }
    } else if (used.has(name.toLowerCase())) {
      let k = 1;
      while (used.has(`${name}_${k}`.toLowerCase()) || taken.has(`${name}_${k}`.toLowerCase())) k++;
      final = `${name}_${k}`;
      warnings.push({
        code: 'duplicate_column_name',
        message: `The header has "${name}" more than once; column ${i + 1} was renamed "${final}".`,
        params: { position: i + 1, name, renamed: final },
      });
    }
    used.add(final.toLowerCase());
    names.push(final);
  });
  return { names, warnings };
}

/** Appends generated names for values beyond the header (`column3`, …), avoiding existing names. */
export function extendColumnNames(names: string[], width: number): string[] {
  const out = [...names];
  const used = new Set(out.map((n) => n.toLowerCase()));
  for (let i = out.length; i < width; i++) {
    let name = generatedName(i, width);
    let k = 1;
    while (used.has(name.toLowerCase())) name = `${generatedName(i, width)}_${k++}`;
    used.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

function clip(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

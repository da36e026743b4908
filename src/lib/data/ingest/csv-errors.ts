/**
 * Turns DuckDB CSV reader errors into ShopSight errors a shop owner can act on: what is wrong,
 * on which line, and what to do about it.
 *
 * The patterns below are the messages of DuckDB v1.4.3 (checked by csv-errors.test.ts against the
 * real reader), e.g.
 *   "CSV Error on Line: 4\nOriginal Line: 6,7,8,9\nExpected Number of Columns: 3 Found: 4"
 *   "Value with unterminated quote found."
 *   "Maximum line size of 2000000 bytes exceeded. Actual Size:3000004 bytes."
 *   "Invalid unicode (byte sequence mismatch) detected."
 *   "Error when sniffing file" / "The CSV Parser state machine reached an invalid state."
 */
import { ShopSightError } from '../errors';

/** The CSV problems DuckDB reports that ShopSight tells apart. */
export type CsvErrorKind =
  | 'too_few_columns'
  | 'too_many_columns'
  | 'unterminated_quote'
  | 'line_too_long'
  | 'invalid_unicode'
  | 'sniff_failed'
  | 'invalid_state'
  | 'other';

/** What a DuckDB CSV error message says, taken apart. */
export interface CsvErrorDetails {
  kind: CsvErrorKind;
  /** 1-based line DuckDB reported. */
  line?: number;
  expected?: number;
  found?: number;
  maxLineSize?: number;
  actualSize?: number;
  /** The start of the offending line as DuckDB quoted it. */
  originalLine?: string;
  /** DuckDB's first message line, kept for the log. */
  raw: string;
}

/** Extracts what kind of CSV problem a DuckDB error message describes, with its numbers. */
export function parseCsvError(error: unknown): CsvErrorDetails {
  const message = messageOf(error);
  const raw = message.split('\n').find((l) => l.trim() !== '') ?? message;
  const details: CsvErrorDetails = { kind: 'other', raw };
  const line = /CSV Error on Line:\s*(\d+)/.exec(message);
  if (line) details.line = Number(line[1]);
  const original =
    /Original Line:\s?([\s\S]*?)\n(?:Expected Number|Value with|Maximum line|Invalid unicode|Possible|\n)/.exec(
      message,
    );
  if (original) details.originalLine = original[1]!;

  const columns = /Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/.exec(message);
  if (columns) {
    details.expected = Number(columns[1]);
    details.found = Number(columns[2]);
    details.kind = details.found < details.expected ? 'too_few_columns' : 'too_many_columns';
    return details;
  }
  if (/unterminated quote/i.test(message)) {
    details.kind = 'unterminated_quote';
    return details;
  }
  const size = /Maximum line size of (\d+) bytes exceeded\.\s*Actual Size:\s*(\d+)/i.exec(message);
  if (size) {
    details.kind = 'line_too_long';
    details.maxLineSize = Number(size[1]);
    details.actualSize = Number(size[2]);
    return details;
  }
  if (/Invalid unicode/i.test(message)) details.kind = 'invalid_unicode';
  else if (/Error when sniffing file/i.test(message)) details.kind = 'sniff_failed';
  else if (/state machine reached an invalid state/i.test(message)) details.kind = 'invalid_state';
  return details;
}

/** What the message needs to name the file and its dialect. */
export interface CsvErrorContext {
  fileName: string;
  delimiter?: string;
  quote?: string;
  /** Present for sheets converted from a workbook, so the message names the sheet. */
  sheet?: string;
}

/** Translates a DuckDB CSV error into a ShopSightError with a stable code, the line, and advice. */
export function translateCsvError(error: unknown, context: CsvErrorContext): ShopSightError {
  if (error instanceof ShopSightError) return error;
  const d = parseCsvError(error);
  const where = context.sheet ? `${context.fileName} (sheet "${context.sheet}")` : context.fileName;
  const at = d.line !== undefined ? `Line ${fmt(d.line)} of ${where}` : `A line of ${where}`;
  const delim = describeDelimiter(context.delimiter ?? ',');
  const quote = context.quote || '"';
  const params: Record<string, string | number> = { fileName: context.fileName };
  if (d.line !== undefined) params.line = d.line;
  if (context.sheet) params.sheet = context.sheet;
  if (d.originalLine !== undefined) params.sample = clip(d.originalLine);
  const make = (code: string, message: string) => {
    const info = { code, message, params, ...(d.line !== undefined ? { line: d.line } : {}) };
    return new ShopSightError(info);
  };

  switch (d.kind) {
    case 'too_many_columns':
    case 'too_few_columns':
      params.expected = d.expected ?? 0;
      params.found = d.found ?? 0;
      return make(
        'csv_ragged_rows',
        `${at} has ${d.found} values but the table has ${d.expected} columns. ` +
          (d.kind === 'too_many_columns'
            ? `A value probably contains a ${delim} without quotes around it: put ${quote}…${quote} around that value or fix the line, then load the file again.`
            : 'Part of the line is missing: complete it or delete it, then load the file again.'),
      );
    case 'unterminated_quote':
      return make(
        'csv_unbalanced_quotes',
        `${at} opens a quoted value with ${quote} that is not closed properly, so the rest of the file cannot be split into rows. ` +
          `Look for a stray ${quote} on that line: delete it, or write it twice (${quote}${quote}) if it belongs to the text, then load the file again.`,
      );
    case 'line_too_long':
      params.maxBytes = d.maxLineSize ?? 0;
      params.bytes = d.actualSize ?? 0;
      return make(
        'csv_line_too_long',
        `${at} is ${mb(d.actualSize ?? 0)} long, more than the ${mb(d.maxLineSize ?? 0)} a single row may take. ` +
          `This usually means a quote ${quote} is never closed and the following lines were glued together; check that line, or split very long text into several cells.`,
      );
    case 'invalid_unicode':
      return make(
        'csv_invalid_encoding',
        `${at} contains bytes that are not valid text in the chosen encoding. ` +
          'Choose the file\'s encoding by hand (for example Windows-1252 or GB18030), or save it again as "CSV UTF-8" and load it again.',
      );
    case 'sniff_failed':
    case 'invalid_state':
      return make(
        'csv_parse_error',
        `${where} could not be split into rows and columns with the ${delim} delimiter and ${quote} quotes` +
          (d.line !== undefined ? ` (problem near line ${fmt(d.line)})` : '') +
          '. Check that the file is a CSV export, or choose the delimiter and quote character by hand.',
      );
    default:
      return make(
        'csv_parse_error',
        `${where} could not be read as CSV: ${d.raw.replace(/^[A-Za-z ]+Error:\s*/, '')} ` +
          'Check the file, or choose the delimiter, quote character and encoding by hand.',
      );
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return String(error);
}

/** Names a delimiter in words, because a bare `;` or tab in a sentence is easy to miss. */
export function describeDelimiter(delimiter: string): string {
  switch (delimiter) {
    case ',':
      return 'comma (,)';
    case ';':
      return 'semicolon (;)';
    case '\t':
      return 'tab';
    case '|':
      return 'pipe (|)';
    default:
      return `"${delimiter}"`;
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function clip(s: string, max = 200): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

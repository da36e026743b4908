/**
 * Works out what a file really is from its first bytes, falling back to its extension.
 *
 * Shop exports are often misnamed ("orders.csv" that is really an .xlsx, a .xls that is really an
 * HTML table, a gzip without .gz), so magic bytes and content win over the name, and a mismatch
 * becomes a `wrong_extension` warning rather than a confusing parse error later.
 */
import type { FileFormat, LoadWarning } from '../../contracts/data-api';
import { ShopSightError } from '../errors';
import { decodeHead, detectEncoding } from './encoding';

/** What a file is, how that was decided, and any mismatch with its name. */
export interface DetectedFormat {
  /** A table format, or `gzip` to unwrap first and detect again. */
  format: FileFormat | 'gzip';
  /** How it was decided. */
  by: 'magic' | 'content' | 'extension';
  /** For gzip: the name of the file inside (`orders.csv.gz` → `orders.csv`). */
  innerName?: string;
  /** Set when the content contradicts the extension. */
  warnings: LoadWarning[];
}

const EXTENSION_FORMATS: Record<string, FileFormat | 'gzip'> = {
  csv: 'csv',
  tsv: 'csv',
  tab: 'csv',
  txt: 'csv',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  xls: 'xls',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  gz: 'gzip',
  gzip: 'gzip',
};

/** Binary formats people drop by mistake, so the message can name them. */
const OTHER_BINARIES: { magic: number[]; name: string }[] = [
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], name: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-Zip archive' },
  { magic: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
  { magic: [0x42, 0x5a, 0x68], name: 'a bzip2 archive' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'an xz archive' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'a Zstandard archive' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], name: 'an SQLite database' },
  { magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], name: 'an Arrow file' },
];

/** Lower-cased extension of a file name without the dot (`Orders.CSV` → `csv`). */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Detects the format of a file from its first bytes (magic numbers, then content), then its extension. */
export function detectFormat(fileName: string, head: Uint8Array): DetectedFormat {
  const ext = extensionOf(fileName);
  const byExt = EXTENSION_FORMATS[ext];
  const magic = (detected: FileFormat | 'gzip', innerName?: string): DetectedFormat => {
    const result: DetectedFormat = { format: detected, by: 'magic', warnings: [] };
    if (innerName !== undefined) result.innerName = innerName;
    if (byExt !== undefined && byExt !== detected && !(byExt === 'xls' && detected === 'xlsx')) {
      result.warnings.push(wrongExtension(fileName, detected));
    }
    return result;
  };

  if (startsWith(head, [0x1f, 0x8b])) {
    return magic('gzip', byExt === 'gzip' ? stripLastExtension(fileName) : fileName);
  }
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return magic('parquet');
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return magic('xls');
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return magic(zipKind(fileName, head, ext));
  }
  for (const other of OTHER_BINARIES) {
    if (startsWith(head, other.magic)) throw binaryFile(fileName, other.name);
  }

  if (looksBinary(head)) throw binaryFile(fileName);

  // Text from here on; decode the sample in its own encoding (UTF-16 included).
  const guess = detectEncoding(head);
  const text = decodeHead(head.subarray(guess.bom), guess.encoding);
  const trimmed = text.replace(/^[\s\uFEFF]+/, '');

  // A "Save as Excel" from many web admin panels is an HTML table named .xls; SheetJS reads it.
  if ((ext === 'xls' || ext === 'xlsx') && /^<(!doctype html|html|table|\?xml)/i.test(trimmed)) {
    return { format: 'xls', by: 'content', warnings: [] };
  }

  const jsonKind = jsonContent(trimmed, ext);
  if (jsonKind) {
    const result: DetectedFormat = { format: jsonKind, by: 'content', warnings: [] };
    if (byExt !== undefined && byExt !== 'json' && byExt !== 'ndjson') {
      result.warnings.push(wrongExtension(fileName, jsonKind));
    }
    return result;
  }
  if (byExt === 'json' || byExt === 'ndjson') return { format: byExt, by: 'extension', warnings: [] };

  const result: DetectedFormat = { format: 'csv', by: byExt === 'csv' ? 'extension' : 'content', warnings: [] };
  if (byExt !== undefined && byExt !== 'csv') result.warnings.push(wrongExtension(fileName, 'csv'));
  return result;
}

/** `orders.csv.gz` → `orders.csv`. */
export function stripLastExtension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

function includesAscii(head: Uint8Array, needle: string): boolean {
  const n = needle.length;
  outer: for (let i = 0; i + n <= head.length; i++) {
    for (let k = 0; k < n; k++) if (head[i + k] !== needle.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}

/** A ZIP is an .xlsx when it holds `xl/` parts; Word and PowerPoint files get a clear message. */
function zipKind(fileName: string, head: Uint8Array, ext: string): FileFormat {
  if (includesAscii(head, 'xl/')) return 'xlsx';
  if (includesAscii(head, 'word/')) throw binaryFile(fileName, 'a Word document');
  if (includesAscii(head, 'ppt/')) throw binaryFile(fileName, 'a PowerPoint presentation');
  // Local headers of large workbooks may push `xl/` past the sample; trust a workbook extension then.
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') return 'xlsx';
  throw new ShopSightError({
    code: 'zip_archive',
    message: `${fileName} is a ZIP archive, not a table. Unzip it first, then load the CSV, Excel or Parquet file inside.`,
    params: { fileName },
  });
}

/**
 * Text files (in any encoding ShopSight reads) have almost no control bytes; UTF-16 has many NULs
 * but in a regular pattern, which `detectEncoding` recognises first.
 */
function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  if (n === 0) return false;
  const guess = detectEncoding(head);
  if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be') return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    // Allowed: tab, LF, VT, FF, CR, and Ctrl-Z (the DOS end-of-file marker) and ESC.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1a && b !== 0x1b) {
      control++;
    }
  }
  return control > Math.max(2, n * 0.01);
}

/**
 * `[` or `{` at the start means JSON, but a CSV header may begin with `[Order ID]`, so for text
 * extensions the next character has to be one that can start a JSON value.
 */
function jsonContent(trimmed: string, ext: string): 'json' | 'ndjson' | null {
  const first = trimmed[0];
  if (first !== '[' && first !== '{') return null;
  const textExt = ext === 'csv' || ext === 'tsv' || ext === 'txt' || ext === 'tab';
  if (first === '[') {
    if (textExt && !/^\[\s*([[{"\]\-\d]|true|false|null)/.test(trimmed)) return null;
    return 'json';
  }
  if (textExt && !/^\{\s*("|\})/.test(trimmed)) return null;
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim().length > 0);
  // Drop the last line: the sample may end in the middle of it.
  const complete = lines.length > 2 ? lines.slice(0, -1) : lines;
  if (complete.length >= 2 && complete.every((l) => /^\s*\{.*\}\s*$/.test(l))) return 'ndjson';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  return 'json';
}

function binaryFile(fileName: string, what?: string): ShopSightError {
  const is = what ? `is ${what}` : 'contains binary data';
  return new ShopSightError({
    code: 'binary_file',
    message:
      `${fileName} ${is}, not a table ShopSight can read. ` +
      'Export your data as CSV (UTF-8), Excel (.xlsx), Parquet or JSON and load that file instead.',
    params: { fileName, kind: what ?? 'binary' },
  });
}

const FORMAT_NAMES: Record<FileFormat, string> = {
  csv: 'a CSV text file',
  xlsx: 'an Excel workbook (.xlsx)',
  xls: 'an Excel 97-2003 workbook (.xls)',
  parquet: 'a Parquet file',
  json: 'a JSON file',
  ndjson: 'a JSON Lines file',
};

function wrongExtension(fileName: string, actual: FileFormat | 'gzip'): LoadWarning {
  const what = actual === 'gzip' ? 'a gzip-compressed file' : FORMAT_NAMES[actual];
  return {
    code: 'wrong_extension',
    message: `${fileName} is really ${what}; it was read as such. Renaming it would avoid surprises in other tools.`,
    params: { fileName, actual },
  };
}

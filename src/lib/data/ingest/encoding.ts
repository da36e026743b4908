/**
 * Text encoding detection and streaming transcoding to UTF-8.
 *
 * DuckDB's CSV reader only reads UTF-8 well (its `latin-1` mode rejects the cp1252 curly quotes
 * that every Excel export contains, and it has no GBK at all), so anything else is decoded here
 * with `TextDecoder` chunk by chunk and handed to DuckDB as a UTF-8 Blob.
 */
import type { TextEncoding } from '../../contracts/data-api';
import type { CancelToken } from '../db';
import { ShopSightError } from '../errors';

/** A detected text encoding and how sure the detection is. */
export interface EncodingGuess {
  encoding: TextEncoding;
  /** Length of the byte-order mark at the start of the file (0 when there is none). */
  bom: number;
  /** `bom`: a byte-order mark said so; `certain`: the bytes only fit this encoding; `guess`: scored. */
  confidence: 'bom' | 'certain' | 'guess';
}

/** Where the first byte sequence that is not valid UTF-8 sits. */
export interface InvalidUtf8 {
  /** 0-based byte offset. */
  offset: number;
  /** 1-based line (counting LF). */
  line: number;
  /** 1-based byte column within that line. */
  column: number;
}

/** Human names for messages ("read as Windows-1252 (Western European)"). */
export const ENCODING_LABELS: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  gb18030: 'GB18030 / GBK (Chinese)',
  'windows-1252': 'Windows-1252 (Western European)',
};

/** Detects the encoding of a file from its first bytes (BOM, UTF-16 NUL pattern, UTF-8 validity, GBK vs cp1252 scoring). */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  const b0 = head[0];
  const b1 = head[1];
  const b2 = head[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: 3, confidence: 'bom' };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: 2, confidence: 'bom' };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: 2, confidence: 'bom' };

  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bom: 0, confidence: 'guess' };

  const scan = scanUtf8(head, true);
  if (scan.invalid === 0) return { encoding: 'utf-8', bom: 0, confidence: 'certain' };
  // Mostly valid multi-byte UTF-8 with a few broken bytes is a damaged UTF-8 file, not cp1252:
  // legacy single-byte text almost never forms valid multi-byte sequences by accident.
  if (scan.multibyte > 0 && scan.multibyte >= 4 * scan.invalid) {
    return { encoding: 'utf-8', bom: 0, confidence: 'guess' };
  }
  return { encoding: looksLikeGbk(head) ? 'gb18030' : 'windows-1252', bom: 0, confidence: 'guess' };
}

/**
 * UTF-16 text without a BOM still has a NUL in every ASCII character (delimiters, digits,
 * newlines), at odd offsets for little-endian and even offsets for big-endian.
 */
function utf16WithoutBom(head: Uint8Array): TextEncoding | null {
  const n = Math.min(head.length, 8192) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.2 && evenZeros * 4 <= oddZeros) return 'utf-16le';
  if (evenZeros >= pairs * 0.2 && oddZeros * 4 <= evenZeros) return 'utf-16be';
  return null;
}

interface Utf8Scan {
  /** Number of valid multi-byte sequences. */
  multibyte: number;
  /** Number of invalid sequences. */
  invalid: number;
  /** Offset of the first invalid sequence, or -1. */
  firstInvalid: number;
}

/**
 * Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
 * With `allowTruncatedEnd`, a sequence cut off by the end of the sample is not counted as invalid.
 */
function scanUtf8(bytes: Uint8Array, allowTruncatedEnd: boolean): Utf8Scan {
  let multibyte = 0;
  let invalid = 0;
  let firstInvalid = -1;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(bytes, i);
    if (len > 0) {
      multibyte++;
      i += len;
      continue;
    }
    if (len === -1 && allowTruncatedEnd) break; // cut off by the end of the sample
    invalid++;
    if (firstInvalid < 0) firstInvalid = i;
    i += len === -1 ? n - i : maximalSubpart(bytes, i);
  }
  return { multibyte, invalid, firstInvalid };
}

/**
 * Bytes one invalid sequence spans: the lead plus the continuation bytes that were still valid,
 * which `TextDecoder` turns into a single U+FFFD (WHATWG "maximal subpart"), so counts agree.
 */
function maximalSubpart(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0xc2 || b > 0xf4) return 1;
  const need = b <= 0xdf ? 1 : b <= 0xef ? 2 : 3;
  let len = 1;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    const lo = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
    const hi = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
    if (c === undefined || c < lo || c > hi) break;
    len++;
  }
  return len;
}

/** Length of the valid multi-byte sequence at `i`, 0 when invalid, -1 when valid so far but truncated. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0; // overlong
    if (b === 0xed) hi = 0x9f; // surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90; // overlong
    if (b === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined) return -1;
    const min = k === 1 ? lo : 0x80;
    const max = k === 1 ? hi : 0xbf;
    if (c < min || c > max) return 0;
  }
  return need + 1;
}

/**
 * Scores the non-ASCII bytes as GBK/GB18030 against Windows-1252. Chinese text is runs of
 * lead/trail pairs, mostly in the GB2312 hanzi block (both bytes ≥ 0xA1); Western text has
 * isolated high bytes between ASCII letters (`café,`), which are not valid GBK pairs.
 */
function looksLikeGbk(bytes: Uint8Array): boolean {
  let common = 0; // GB2312 hanzi and full-width punctuation
  let rare = 0; // valid GBK pairs outside GB2312, typical of cp1252 text read as GBK ("ü" + "l")
  let invalid = 0;
  let latinHints = 0; // cp1252 curly quotes/dashes or accented letters between ASCII
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const prev = i > 0 ? bytes[i - 1]! : 0x20;
    const next = bytes[i + 1];
    if (next === undefined) break; // cut off by the end of the sample
    if (prev < 0x80 && next < 0x80 && isLatinHint(b)) latinHints++;
    if (b === 0x80 || b === 0xff) {
      invalid++;
      i++;
      continue;
    }
    // GB18030 four-byte sequence: lead, digit, lead, digit.
    if (next >= 0x30 && next <= 0x39) {
      const c = bytes[i + 2];
      const d = bytes[i + 3];
      if (c !== undefined && d !== undefined && c >= 0x81 && c <= 0xfe && d >= 0x30 && d <= 0x39) {
        rare++;
        i += 4;
        continue;
      }
      invalid++;
      i++;
      continue;
    }
    if ((next >= 0x40 && next <= 0x7e) || (next >= 0x80 && next <= 0xfe)) {
      const hanzi = b >= 0xb0 && b <= 0xf7 && next >= 0xa1;
      const punct = b >= 0xa1 && b <= 0xa9 && next >= 0xa1;
      if (hanzi || punct) common++;
      else rare++;
      i += 2;
      continue;
    }
    invalid++;
    i++;
  }
  if (common === 0) return false;
  if (invalid === 0 && latinHints === 0) return common >= rare;
  return common >= 2 * (rare + invalid + latinHints);
}

function isLatinHint(b: number): boolean {
  return (b >= 0x91 && b <= 0x97) || b === 0x85 || (b >= 0xc0 && b <= 0xff && b !== 0xd7 && b !== 0xf7);
}

/** Finds the first invalid UTF-8 sequence in `bytes` (a truncated sequence at the very end is allowed unless `atEndOfFile`). */
export function invalidUtf8Report(bytes: Uint8Array, atEndOfFile = false): InvalidUtf8 | null {
  const scan = scanUtf8(bytes, !atEndOfFile);
  if (scan.firstInvalid < 0) return null;
  return locateOffset(bytes, scan.firstInvalid);
}

/** Turns a byte offset into a 1-based line and column. */
function locateOffset(bytes: Uint8Array, offset: number, lineBase = 1, lastNewline = -1): InvalidUtf8 {
  let line = lineBase;
  let lastNl = lastNewline;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lastNl = i;
    }
  }
  return { offset, line, column: offset - lastNl };
}

/** Decodes a head sample for sniffing, dropping the BOM and a multi-byte character cut off at the end. */
export function decodeHead(head: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding, { fatal: false }).decode(head, { stream: true });
}

/** Progress, cancellation and repair options for `transcodeToUtf8`. */
export interface TranscodeOptions {
  onProgress?(done: number, total: number): void;
  token?: CancelToken;
  /** Bytes read per step; 4 MiB keeps memory flat and cancellation responsive. */
  chunkBytes?: number;
  /** Also turn CRLF and lone CR into LF (DuckDB's strict parser rejects mixed line endings). */
  normalizeNewlines?: boolean;
  /** Filled with the first invalid UTF-8 sequence when transcoding from UTF-8. */
  report?: { firstInvalid?: InvalidUtf8; invalidSequences: number };
}

/**
 * Streams `blob` through `TextDecoder(encoding)` into a UTF-8 Blob without ever building one big
 * string; the BOM is dropped and undecodable bytes become U+FFFD.
 */
export async function transcodeToUtf8(blob: Blob, encoding: TextEncoding, opts: TranscodeOptions = {}): Promise<Blob> {
  const chunkBytes = Math.max(1, opts.chunkBytes ?? 4 * 1024 * 1024);
  const decoder = new TextDecoder(encoding, { fatal: false });
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const total = blob.size;
  let pendingCr = false;
  const validator = opts.report && encoding === 'utf-8' ? new Utf8Validator() : null;

  const push = (text: string, final: boolean) => {
    let t = text;
    if (opts.normalizeNewlines) {
      if (pendingCr) t = '\r' + t;
      pendingCr = !final && t.endsWith('\r');
      if (pendingCr) t = t.slice(0, -1);
      t = t.replace(/\r\n?/g, '\n');
    }
    if (t.length > 0) parts.push(encoder.encode(t));
  };

  for (let offset = 0; offset < total; offset += chunkBytes) {
    if (opts.token?.cancelled) throw ShopSightError.cancelled();
    const end = Math.min(total, offset + chunkBytes);
    const chunk = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    if (validator && opts.report) {
      validator.push(chunk, end === total);
      opts.report.invalidSequences = validator.invalid;
      if (validator.first) opts.report.firstInvalid = validator.first;
    }
    push(decoder.decode(chunk, { stream: true }), false);
    opts.onProgress?.(end, total);
  }
  push(decoder.decode(), true);
  return new Blob(parts as BlobPart[], { type: 'text/csv' });
}

/** Validates UTF-8 arriving in chunks, keeping an unfinished sequence for the next chunk and counting lines. */
class Utf8Validator {
  first: InvalidUtf8 | undefined;
  invalid = 0;
  #carry = new Uint8Array(0);
  #carryOffset = 0;
  #line = 1;
  #lastNewline = -1;

  push(chunk: Uint8Array, atEnd: boolean): void {
    const joined = this.#carry.length ? concat(this.#carry, chunk) : chunk;
    const scan = scanUtf8(joined, !atEnd);
    if (scan.invalid > 0) {
      this.invalid += scan.invalid;
      if (!this.first) {
        const at = locateOffset(joined, scan.firstInvalid, this.#line, this.#lastNewline - this.#carryOffset);
        this.first = { ...at, offset: at.offset + this.#carryOffset };
      }
    }
    const keep = atEnd ? 0 : trailingIncomplete(joined);
    for (let i = 0; i < joined.length - keep; i++) {
      if (joined[i] === 0x0a) {
        this.#line++;
        this.#lastNewline = this.#carryOffset + i;
      }
    }
    this.#carry = keep ? joined.slice(joined.length - keep) : new Uint8Array(0);
    this.#carryOffset += joined.length - keep;
  }
}

/** Streams a Blob until its first invalid UTF-8 sequence; null when the whole file is valid UTF-8. */
export async function findInvalidUtf8(
  blob: Blob,
  opts: { token?: CancelToken; chunkBytes?: number } = {},
): Promise<InvalidUtf8 | null> {
  const chunkBytes = Math.max(1, opts.chunkBytes ?? 4 * 1024 * 1024);
  const validator = new Utf8Validator();
  for (let offset = 0; offset < blob.size; offset += chunkBytes) {
    if (opts.token?.cancelled) throw ShopSightError.cancelled();
    const end = Math.min(blob.size, offset + chunkBytes);
    validator.push(new Uint8Array(await blob.slice(offset, end).arrayBuffer()), end === blob.size);
    if (validator.first) return validator.first;
  }
  return null;
}

/** True when every byte is 7-bit ASCII, which every supported encoding but UTF-16 reads the same way. */
export function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Bytes at the end of `bytes` that start a multi-byte sequence not yet complete. */
function trailingIncomplete(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) return sequenceLength(bytes, bytes.length - back) === -1 ? back : 0;
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

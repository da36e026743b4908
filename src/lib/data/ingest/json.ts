/**
 * JSON and JSON Lines to Arrow IPC.
 *
 * DuckDB-WASM's JSON reader is an extension (never downloaded here), so JSON is parsed in
 * JavaScript: an array of objects, a wrapper such as `{ "data": [...] }` (the first property
 * holding an array of objects), or one object per line. Columns are the union of keys in
 * first-seen order; nested values become JSON text; a column with mixed types becomes text.
 */
import { RecordBatchStreamWriter, type Vector } from 'apache-arrow';
import type { LoadWarning } from '../../contracts/data-api';
import { boolVector, float64Vector, int64Vector, tableFromColumns, utf8Vector } from '../arrow-build';
import { ShopSightError } from '../errors';
import { columnNames } from './csv-sniff';

/** A JSON file as Arrow IPC, with what was learnt on the way. */
export interface JsonTable {
  ipc: Uint8Array;
  rows: number;
  columns: string[];
  warnings: LoadWarning[];
}

/** Parses JSON or NDJSON text into an Arrow IPC stream. */
export function readJson(text: string, format: 'json' | 'ndjson'): Uint8Array {
  return readJsonTable(text, format).ipc;
}

/** Like `readJson`, with row count, column names and warnings (renamed keys, nested or mixed columns). */
export function readJsonTable(text: string, format: 'json' | 'ndjson', fileName = 'The JSON file'): JsonTable {
  const exact = hasUnsafeIntegers(text);
  const records =
    format === 'ndjson' ? parseLines(text, exact, fileName) : rowsOf(parseDocument(text, exact, fileName));
  return toArrow(records, fileName);
}

/** Integers beyond 2^53 would be rounded by `JSON.parse`; spot them so the exact parser runs instead. */
function hasUnsafeIntegers(text: string): boolean {
  const re = /[:[,]\s*-?(\d{16,})(?![\d.eE])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!Number.isSafeInteger(Number(m[1]))) return true;
  }
  return false;
}

function parseDocument(text: string, exact: boolean, fileName: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw emptyJson(fileName);
  if (!exact) {
    try {
      return JSON.parse(body);
    } catch {
      // Fall through: the exact parser reports where the problem is, with the same wording in every browser.
    }
  }
  try {
    return new ExactParser(body).document();
  } catch (error) {
    throw jsonError(error, body, fileName, 0);
  }
}

function parseLines(text: string, exact: boolean, fileName: string): unknown[] {
  const out: unknown[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = exact ? new ExactParser(line).document() : JSON.parse(line);
    } catch {
      try {
        value = new ExactParser(line).document();
      } catch (error) {
        throw jsonError(error, line, fileName, index);
      }
    }
    out.push(value);
  });
  if (out.length === 0) throw emptyJson(fileName);
  return out;
}

/** Finds the rows: the array itself, or the first property (searched breadth-first) holding an array of objects. */
function rowsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return tableFromArrays(doc);
  if (isObject(doc)) {
    const queue: Record<string, unknown>[] = [doc];
    for (let depth = 0; depth < 3 && queue.length > 0; depth++) {
      const level = queue.splice(0);
      for (const obj of level) {
        for (const value of Object.values(obj)) {
          if (Array.isArray(value) && value.length > 0 && value.some(isObject)) return value;
          if (isObject(value)) queue.push(value);
        }
      }
    }
    return [doc];
  }
  return [{ value: doc }];
}

/** `[["id","name"],[1,"a"]]`, the shape spreadsheet APIs return, reads like a CSV with a header row. */
function tableFromArrays(rows: unknown[]): unknown[] {
  const first = rows[0];
  if (!Array.isArray(first) || !rows.every(Array.isArray)) return rows;
  if (first.length === 0 || !first.every((h) => typeof h === 'string')) {
    return rows.map((r) => Object.fromEntries((r as unknown[]).map((v, i) => [`column${i}`, v])));
  }
  const header = first as string[];
  return rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, (r as unknown[])[i] ?? null])));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Kind = 'int' | 'bigint' | 'float' | 'bool' | 'string' | 'nested';

function kindOf(v: unknown): Kind | null {
  switch (typeof v) {
    case 'number':
      // 1e20 is an integer but not a safe one: a double keeps it, an Int64 of it would be wrong.
      return Number.isSafeInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'object':
      return v === null ? null : 'nested';
    default:
      return null;
  }
}

function toArrow(records: unknown[], fileName: string): JsonTable {
  // Union of keys in first-seen order, with the kinds of values seen under each.
  const keys: string[] = [];
  const kinds = new Map<string, Set<Kind>>();
  for (const rec of records) {
    const obj = isObject(rec) ? rec : { value: rec };
    for (const [k, v] of Object.entries(obj)) {
      let set = kinds.get(k);
      if (!set) {
        set = new Set();
        kinds.set(k, set);
        keys.push(k);
      }
      const kind = kindOf(v);
      if (kind) set.add(kind);
    }
  }
  if (keys.length === 0) {
    throw new ShopSightError({
      code: 'no_columns',
      message: `${fileName} has no fields to make columns from (it holds only empty objects or an empty list).`,
      params: { fileName },
    });
  }

  const named = columnNames(keys, keys.length);
  const warnings: LoadWarning[] = [...named.warnings];
  const nested: string[] = [];
  const mixed: string[] = [];
  const bigText: string[] = [];
  // Entries, not an object: an object would list integer-like names ("2024") first.
  const vectors: [string, Vector][] = [];
  keys.forEach((key, i) => {
    const set = kinds.get(key)!;
    const name = named.names[i]!;
    const values = records.map((rec) => (isObject(rec) ? rec[key] : key === 'value' ? rec : undefined));
    const only = (...allowed: Kind[]) => [...set].every((k) => allowed.includes(k));
    let vector: Vector;
    if (set.size === 0) vector = utf8Vector(values.map(() => null));
    else if (only('int')) vector = int64Vector(values.map(numberOrNull));
    else if (only('int', 'float')) vector = float64Vector(values.map(numberOrNull));
    else if (only('bool')) vector = boolVector(values.map((v) => (typeof v === 'boolean' ? v : null)));
    else {
      if (only('nested')) nested.push(name);
      else if (only('int', 'bigint')) bigText.push(name);
      else if (!only('string')) mixed.push(name);
      vector = utf8Vector(values.map(textOf));
    }
    vectors.push([name, vector]);
  });
  if (nested.length > 0) {
    warnings.push({
      code: 'json_nested_as_text',
      message: `${listNames(nested)} ${nested.length === 1 ? 'holds' : 'hold'} nested objects or lists; they were kept as JSON text.`,
      params: { columns: nested.join(', ') },
    });
  }
  if (mixed.length > 0) {
    warnings.push({
      code: 'json_mixed_types',
      message: `${listNames(mixed)} ${mixed.length === 1 ? 'mixes' : 'mix'} numbers, text or true/false values, so ${mixed.length === 1 ? 'it was' : 'they were'} loaded as text.`,
      params: { columns: mixed.join(', ') },
    });
  }
  if (bigText.length > 0) {
    warnings.push({
      code: 'bigint_as_text',
      message: `${listNames(bigText)} ${bigText.length === 1 ? 'holds' : 'hold'} whole numbers too large to show exactly, so ${bigText.length === 1 ? 'it was' : 'they were'} loaded as text.`,
      params: { columns: bigText.join(', ') },
    });
  }
  const table = tableFromColumns(vectors);
  const writer = RecordBatchStreamWriter.writeAll(table);
  return { ipc: writer.toUint8Array(true), rows: records.length, columns: named.names, warnings };
}

function listNames(names: string[]): string {
  return names.length === 1 ? `Column "${names[0]}"` : `Columns ${names.map((n) => `"${n}"`).join(', ')}`;
}

function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/**
 * A small JSON parser that keeps integers beyond 2^53 as BigInt and reports the exact position
 * of the first error (`JSON.parse` messages differ between engines and often omit it).
 */
class ExactParser {
  #pos = 0;
  constructor(private readonly text: string) {}

  document(): unknown {
    this.#ws();
    const value = this.#value();
    this.#ws();
    if (this.#pos < this.text.length) this.#fail('Unexpected text after the end of the JSON value');
    return value;
  }

  #fail(message: string, at = this.#pos): never {
    throw new JsonSyntaxError(message, at);
  }

  #ws(): void {
    const t = this.text;
    while (this.#pos < t.length) {
      const c = t.charCodeAt(this.#pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.#pos++;
      else break;
    }
  }

  #value(): unknown {
    const c = this.text[this.#pos];
    if (c === undefined) this.#fail('The JSON ends too early');
    if (c === '{') return this.#object();
    if (c === '[') return this.#array();
    if (c === '"') return this.#string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.#number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.#pos)) {
        this.#pos += word.length;
        return value;
      }
    }
    this.#fail(`Unexpected character ${JSON.stringify(c)}`);
  }

  #object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.#pos++;
    this.#ws();
    if (this.text[this.#pos] === '}') {
      this.#pos++;
      return out;
    }
    for (;;) {
      this.#ws();
      if (this.text[this.#pos] !== '"') this.#fail('Expected a property name in double quotes');
      const key = this.#string();
      this.#ws();
      if (this.text[this.#pos] !== ':') this.#fail(`Expected ':' after the property name "${key}"`);
      this.#pos++;
      this.#ws();
      out[key] = this.#value();
      this.#ws();
      const c = this.text[this.#pos];
      if (c === ',') {
        this.#pos++;
        this.#ws();
        if (this.text[this.#pos] === '}') this.#fail('Trailing comma before }');
        continue;
      }
      if (c === '}') {
        this.#pos++;
        return out;
      }
      this.#fail(c === undefined ? 'The JSON ends inside an object (missing })' : "Expected ',' or '}' after a value");
    }
  }

  #array(): unknown[] {
    const out: unknown[] = [];
    this.#pos++;
    this.#ws();
    if (this.text[this.#pos] === ']') {
      this.#pos++;
      return out;
    }
    for (;;) {
      this.#ws();
      out.push(this.#value());
      this.#ws();
      const c = this.text[this.#pos];
      if (c === ',') {
        this.#pos++;
        this.#ws();
        if (this.text[this.#pos] === ']') this.#fail('Trailing comma before ]');
        continue;
      }
      if (c === ']') {
        this.#pos++;
        return out;
      }
      this.#fail(c === undefined ? 'The JSON ends inside a list (missing ])' : "Expected ',' or ']' after a value");
    }
  }

  #string(): string {
    const start = this.#pos;
    this.#pos++;
    let out = '';
    const t = this.text;
    for (;;) {
      const end = this.#pos;
      while (this.#pos < t.length) {
        const c = t.charCodeAt(this.#pos);
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        this.#pos++;
      }
      out += t.slice(end, this.#pos);
      const c = t[this.#pos];
      if (c === undefined) this.#fail('A text value is never closed with "', start);
      if (c === '"') {
        this.#pos++;
        return out;
      }
      if (c !== '\\') this.#fail('Line break or control character inside a text value');
      const e = t[this.#pos + 1];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.#pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.#pos + 2, this.#pos + 6))) {
        out += String.fromCharCode(parseInt(t.slice(this.#pos + 2, this.#pos + 6), 16));
        this.#pos += 6;
      } else this.#fail('Invalid escape sequence in a text value');
    }
  }

  #number(): number | bigint {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(this.text.slice(this.#pos, this.#pos + 400));
    if (!m) this.#fail('Invalid number');
    const token = m[0];
    this.#pos += token.length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = Number(token);
      return Number.isSafeInteger(n) ? n : BigInt(token);
    }
    return Number(token);
  }
}

function jsonError(error: unknown, text: string, fileName: string, lineOffset: number): ShopSightError {
  if (!(error instanceof JsonSyntaxError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ShopSightError({
      code: 'invalid_json',
      message: `${fileName} is not valid JSON: ${message}`,
      params: { fileName },
    });
  }
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < error.position && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = error.position - lineStart + 1;
  const at = line + lineOffset;
  return new ShopSightError({
    code: 'invalid_json',
    message:
      `${fileName} is not valid JSON: ${error.message} at line ${at}, column ${column}. ` +
      'Fix that spot (a missing comma or quote is the usual cause) or export the data again.',
    params: { fileName, line: at, column, problem: error.message },
    line: at,
    column,
  });
}

function emptyJson(fileName: string): ShopSightError {
  return new ShopSightError({
    code: 'empty_file',
    message: `${fileName} is empty. Export the data again and check that the file has content.`,
    params: { fileName },
  });
}

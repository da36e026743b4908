import { DataType, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowRowsToObjects } from '../arrow';
import { readJson, readJsonTable } from './json';
import { thrownShopSightError } from '../../../test/errors';

function decode(ipc: Uint8Array) {
  const table = tableFromIPC(ipc);
  return {
    types: Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)])),
    rows: arrowRowsToObjects(table),
    fields: table.schema.fields,
  };
}

const failure = thrownShopSightError;

describe('readJson', () => {
  it('reads an array of objects with the union of keys in first-seen order', () => {
    const t = decode(readJson('[{"id":1,"name":"Mug"},{"id":2,"price":4.5},{"name":"Pen","id":3}]', 'json'));
    expect(t.fields.map((f) => f.name)).toEqual(['id', 'name', 'price']);
    expect(t.types).toEqual({ id: 'Int64', name: 'Utf8', price: 'Float64' });
    expect(t.rows).toEqual([
      { id: 1, name: 'Mug', price: null },
      { id: 2, name: null, price: 4.5 },
      { id: 3, name: 'Pen', price: null },
    ]);
  });

  it('finds the rows inside a wrapper object', () => {
    const t = decode(readJson('{"meta":{"page":1},"data":[{"a":true},{"a":false},{"a":null}]}', 'json'));
    expect(DataType.isBool(t.fields[0]!.type)).toBe(true);
    expect(t.rows).toEqual([{ a: true }, { a: false }, { a: null }]);
    expect(decode(readJson('{"response":{"orders":[{"id":7}]}}', 'json')).rows).toEqual([{ id: 7 }]);
  });

  it('reads NDJSON, skipping blank lines and CRLF', () => {
    expect(decode(readJson('{"a":1}\r\n\r\n{"a":2.5}\r\n', 'ndjson')).rows).toEqual([{ a: 1 }, { a: 2.5 }]);
  });

  it('keeps nested values as JSON text and turns mixed columns into text, with warnings', () => {
    const t = readJsonTable('[{"tags":["a","b"],"qty":1},{"tags":{"x":1},"qty":"two"},{"qty":true}]', 'json');
    const d = decode(t.ipc);
    expect(d.types).toEqual({ tags: 'Utf8', qty: 'Utf8' });
    expect(d.rows).toEqual([
      { tags: '["a","b"]', qty: '1' },
      { tags: '{"x":1}', qty: 'two' },
      { tags: null, qty: 'true' },
    ]);
    expect(t.warnings.map((w) => w.code)).toEqual(['json_nested_as_text', 'json_mixed_types']);
    expect(t.warnings[1]?.message).toBe(
      'Column "qty" mixes numbers, text or true/false values, so it was loaded as text.',
    );
  });

  it('keeps integers beyond 2^53 exact, as text', () => {
    const t = readJsonTable('[{"order_id":1152921504606846977,"n":1},{"order_id":5,"n":2}]', 'json');
    expect(decode(t.ipc).rows).toEqual([
      { order_id: '1152921504606846977', n: 1 },
      { order_id: '5', n: 2 },
    ]);
    expect(t.warnings.map((w) => w.code)).toEqual(['bigint_as_text']);
  });

  it('reads integers beyond 2^53 written as floats (1e20) as Float64, not a wrapped Int64', () => {
    const t = decode(readJson('[{"a":1e20},{"a":2}]', 'json'));
    expect(t.types).toEqual({ a: 'Float64' });
    expect(t.rows).toEqual([{ a: 1e20 }, { a: 2 }]);
  });

  it('keeps first-seen column order for integer-like keys', () => {
    const t = readJsonTable('[{"region":"EU"},{"2024":5}]', 'json');
    expect(t.columns).toEqual(['region', '2024']);
    expect(decode(t.ipc).fields.map((f) => f.name)).toEqual(['region', '2024']);
  });

  it('reads a list of lists with a header row', () => {
    expect(decode(readJson('[["sku","qty"],["A",1],["B",2]]', 'json')).rows).toEqual([
      { sku: 'A', qty: 1 },
      { sku: 'B', qty: 2 },
    ]);
  });

  it('renames empty and case-duplicate keys (DuckDB column names are case-insensitive)', () => {
    const t = readJsonTable('[{"":1,"Name":"a","name":"b"}]', 'json');
    expect(t.columns).toEqual(['column0', 'Name', 'name_1']);
    expect(t.warnings.map((w) => w.code)).toEqual(['empty_column_name', 'duplicate_column_name']);
  });

  it('reports invalid JSON with line and column', () => {
    const e = failure(() => readJson('[\n  {"a": 1},\n  {"a": 2,}\n]', 'json'));
    expect(e.code).toBe('invalid_json');
    expect([e.line, e.column]).toEqual([3, 11]);
    expect(e.message).toBe(
      'The JSON file is not valid JSON: Trailing comma before } at line 3, column 11. Fix that spot (a missing comma or quote is the usual cause) or export the data again.',
    );
    const missing = failure(() => readJsonTable('[{"a": 1} {"a": 2}]', 'json', 'orders.json'));
    expect([missing.line, missing.column, missing.params.problem]).toEqual([
      1,
      11,
      "Expected ',' or ']' after a value",
    ]);
    const unclosed = failure(() => readJson('{"a": "text', 'json'));
    expect([unclosed.line, unclosed.column]).toEqual([1, 7]);
  });

  it('reports the line of a broken NDJSON record', () => {
    const e = failure(() => readJson('{"a":1}\n{"a":2}\n{"a":3\n', 'ndjson'));
    expect([e.code, e.line, e.column]).toEqual(['invalid_json', 3, 7]);
  });

  it('refuses empty input and objects without keys', () => {
    expect(failure(() => readJson('  \n', 'json')).code).toBe('empty_file');
    expect(failure(() => readJson('\n\n', 'ndjson')).code).toBe('empty_file');
    expect(failure(() => readJson('[]', 'json')).code).toBe('no_columns');
    expect(failure(() => readJson('[{},{}]', 'json')).code).toBe('no_columns');
  });
});

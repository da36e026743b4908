import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../db';
import { ShopSightError } from '../errors';
import { parseCsvError, translateCsvError } from './csv-errors';

/** These tests feed real DuckDB v1.4.3 CSV errors through the translator, so a changed message shows up here. */
let db: Db;
beforeAll(async () => {
  db = await createNodeDb();
});
afterAll(() => db?.bindings.reset());

let n = 0;
/** Runs read_csv on `text` with ShopSight's explicit options (plus `extra`) and returns DuckDB's error. */
function duckdbError(text: string, columns: number, extra = ''): unknown {
  const file = `errors_${++n}.csv`;
  db.bindings.registerFileBuffer(file, new TextEncoder().encode(text));
  const cols = Array.from({ length: columns }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  try {
    db.exec(
      `SELECT * FROM read_csv('${file}', delim=',', quote='"', escape='"', header=true, auto_detect=false, ` +
        `columns={${cols}}, strict_mode=true, null_padding=false${extra})`,
    );
  } catch (error) {
    return error;
  } finally {
    db.bindings.dropFile(file);
  }
  throw new Error('DuckDB read the file without an error');
}

describe('DuckDB CSV errors, translated', () => {
  it('too many values on a line → csv_ragged_rows with the line and advice', () => {
    const raw = duckdbError('a,b,c\n1,2,3\n4,5,6,7\n', 3);
    expect(parseCsvError(raw)).toMatchObject({
      kind: 'too_many_columns',
      line: 3,
      expected: 3,
      found: 4,
      originalLine: '4,5,6,7',
    });
    const e = translateCsvError(raw, { fileName: 'orders.csv' });
    expect(e).toBeInstanceOf(ShopSightError);
    expect(e.toInfo()).toEqual({
      code: 'csv_ragged_rows',
      line: 3,
      message:
        'Line 3 of orders.csv has 4 values but the table has 3 columns. A value probably contains a comma (,) without quotes around it: ' +
        'put "…" around that value or fix the line, then load the file again.',
      params: { fileName: 'orders.csv', line: 3, sample: '4,5,6,7', expected: 3, found: 4 },
    });
  });

  it('too few values → csv_ragged_rows', () => {
    const e = translateCsvError(duckdbError('a,b,c\n1,2,3\n4,5\n', 3), { fileName: 'x.csv', delimiter: ';' });
    expect([e.code, e.line, e.params.found]).toEqual(['csv_ragged_rows', 3, 2]);
    expect(e.message).toContain('Part of the line is missing');
  });

  it('an unterminated quote → csv_unbalanced_quotes', () => {
    const raw = duckdbError('a,b\n1,x\n2,"open\n3,y\n', 2);
    expect(parseCsvError(raw).kind).toBe('unterminated_quote');
    const e = translateCsvError(raw, { fileName: 'q.csv', sheet: 'Orders' });
    expect([e.code, e.line]).toEqual(['csv_unbalanced_quotes', 3]);
    expect(e.message).toMatch(
      /^Line 3 of q\.csv \(sheet "Orders"\) opens a quoted value with " that is not closed properly/,
    );
  });

  it('a line over max_line_size → csv_line_too_long with sizes', () => {
    const raw = duckdbError(`a,b\n1,${'z'.repeat(3000)}\n`, 2, ', max_line_size=1000');
    expect(parseCsvError(raw)).toMatchObject({ kind: 'line_too_long', line: 2, maxLineSize: 1000, actualSize: 3002 });
    const e = translateCsvError(raw, { fileName: 'long.csv' });
    expect([e.code, e.line, e.params.bytes, e.params.maxBytes]).toEqual(['csv_line_too_long', 2, 3002, 1000]);
  });

  it('bytes that are not UTF-8 → csv_invalid_encoding', () => {
    const file = 'errors_bad_utf8.csv';
    db.bindings.registerFileBuffer(file, Uint8Array.from([...new TextEncoder().encode('a,b\n1,'), 0xff, 0x0a]));
    let raw: unknown;
    try {
      db.exec(
        `SELECT * FROM read_csv('${file}', header=true, auto_detect=false, columns={'a':'VARCHAR','b':'VARCHAR'})`,
      );
    } catch (error) {
      raw = error;
    }
    expect(parseCsvError(raw)).toMatchObject({ kind: 'invalid_unicode', line: 2 });
    expect(translateCsvError(raw, { fileName: 'enc.csv' }).code).toBe('csv_invalid_encoding');
  });

  it('mixed line endings under strict mode → csv_parse_error', () => {
    const raw = duckdbError('a,b\r\n1,2\n3,4\r\n', 2);
    expect(parseCsvError(raw).kind).toBe('invalid_state');
    const e = translateCsvError(raw, { fileName: 'm.csv', delimiter: '\t' });
    expect(e.code).toBe('csv_parse_error');
    expect(e.message).toContain('could not be split into rows and columns with the tab delimiter');
  });

  it("DuckDB's own sniffer failure → csv_parse_error", () => {
    const file = 'errors_sniff.csv';
    db.bindings.registerFileBuffer(file, new TextEncoder().encode('a,b\n1,"x\n2,y\n'));
    let raw: unknown;
    try {
      db.exec(`SELECT * FROM read_csv('${file}', delim=',', quote='"')`);
    } catch (error) {
      raw = error;
    }
    expect(parseCsvError(raw).kind).toBe('sniff_failed');
    expect(translateCsvError(raw, { fileName: 's.csv' }).code).toBe('csv_parse_error');
  });

  it('anything else → csv_parse_error carrying DuckDB’s first line; ShopSight errors pass through', () => {
    const e = translateCsvError(new Error('IO Error: No files found that match the pattern "x"'), {
      fileName: 'x.csv',
    });
    expect(e.code).toBe('csv_parse_error');
    expect(e.message).toContain('No files found');
    const cancelled = ShopSightError.cancelled();
    expect(translateCsvError(cancelled, { fileName: 'x.csv' })).toBe(cancelled);
  });
});

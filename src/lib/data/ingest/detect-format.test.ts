import { gzipSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { detectFormat, extensionOf, stripLastExtension } from './detect-format';
import { CORPUS, bytes, utf16, utf8 } from './fixtures/corpus';
import { thrownShopSightError } from '../../../test/errors';

function workbook(bookType: 'xlsx' | 'biff8'): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['a'], [1]]), 'S');
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType }) as ArrayBuffer);
}

const thrown = thrownShopSightError;

describe('detectFormat', () => {
  it('recognises gzip by magic bytes and names the file inside', () => {
    const gz = new Uint8Array(gzipSync(Buffer.from('a,b\n1,2\n')));
    expect(detectFormat('orders.csv.gz', gz)).toMatchObject({
      format: 'gzip',
      by: 'magic',
      innerName: 'orders.csv',
      warnings: [],
    });
    // A gzip without .gz keeps its name for the inner file, and says so.
    const bare = detectFormat('orders.csv', gz);
    expect(bare).toMatchObject({ format: 'gzip', innerName: 'orders.csv' });
    expect(bare.warnings.map((w) => w.code)).toEqual(['wrong_extension']);
  });

  it('recognises .xlsx (ZIP with xl/ parts) even when named .csv', () => {
    const xlsx = workbook('xlsx');
    expect(detectFormat('book.xlsx', xlsx)).toMatchObject({ format: 'xlsx', by: 'magic', warnings: [] });
    const misnamed = detectFormat('orders.csv', xlsx);
    expect(misnamed.format).toBe('xlsx');
    expect(misnamed.warnings[0]).toMatchObject({ code: 'wrong_extension', params: { actual: 'xlsx' } });
    expect(misnamed.warnings[0]?.message).toContain('orders.csv is really an Excel workbook (.xlsx)');
  });

  it('recognises .xls (OLE compound file) and an .xlsx saved as .xls without complaint', () => {
    expect(detectFormat('old.xls', workbook('biff8'))).toMatchObject({ format: 'xls', by: 'magic', warnings: [] });
    expect(detectFormat('new.xls', workbook('xlsx'))).toMatchObject({ format: 'xlsx', warnings: [] });
  });

  it('treats an HTML table named .xls as a workbook (admin panels export those)', () => {
    expect(detectFormat('export.xls', utf8('<html><table><tr><td>a</td></tr></table></html>')).format).toBe('xls');
  });

  it('recognises Parquet by PAR1', () => {
    expect(detectFormat('data.bin', bytes('PAR1', [0x15, 0x04]))).toMatchObject({ format: 'parquet', by: 'magic' });
  });

  it('recognises JSON and NDJSON from content, after whitespace and a BOM', () => {
    expect(detectFormat('a.json', utf8('  \n[{"a":1}]'))).toMatchObject({ format: 'json', by: 'content' });
    expect(detectFormat('a.txt', bytes([0xef, 0xbb, 0xbf], '{"data":[{"a":1}]}'))).toMatchObject({ format: 'json' });
    expect(detectFormat('events.log', utf8('{"a":1}\n{"a":2}\n{"a":3}\n'))).toMatchObject({
      format: 'ndjson',
      by: 'content',
    });
    // Pretty-printed JSON is not NDJSON even though its lines start with braces.
    expect(detectFormat('x.json', utf8('{\n  "data": [\n    {"a": 1}\n  ]\n}\n')).format).toBe('json');
    // A JSON file named .csv is JSON, with a warning.
    const misnamed = detectFormat('orders.csv', utf8('[{"id":1}]'));
    expect(misnamed.format).toBe('json');
    expect(misnamed.warnings.map((w) => w.code)).toEqual(['wrong_extension']);
  });

  it('keeps a CSV whose header starts with a bracket as CSV', () => {
    expect(detectFormat('orders.csv', utf8('[Order ID],[Amount]\n1,2\n')).format).toBe('csv');
  });

  it('falls back to the extension for text, and to CSV for unknown extensions', () => {
    expect(detectFormat('p.tsv', utf8('a\tb\n'))).toMatchObject({ format: 'csv', by: 'extension' });
    expect(detectFormat('orders', utf8('a,b\n'))).toMatchObject({ format: 'csv', by: 'content', warnings: [] });
    expect(detectFormat('broken.json', utf8('not json'))).toMatchObject({ format: 'json', by: 'extension' });
    expect(detectFormat('data.parquet', utf8('a,b\n1,2\n')).warnings.map((w) => w.code)).toEqual(['wrong_extension']);
  });

  it('accepts UTF-16 text (full of NUL bytes) as text', () => {
    expect(detectFormat('u.csv', CORPUS.utf16leNoBom.bytes).format).toBe('csv');
    expect(detectFormat('u.csv', utf16('a,b\n1,2\n', 'be', false)).format).toBe('csv');
  });

  it('refuses binary junk named .csv with binary_file and a way out', () => {
    const e = thrown(() => detectFormat('orders.csv', CORPUS.binaryJunk.bytes));
    expect(e.code).toBe('binary_file');
    expect(e.message).toBe(
      'orders.csv contains binary data, not a table ShopSight can read. Export your data as CSV (UTF-8), Excel (.xlsx), Parquet or JSON and load that file instead.',
    );
  });

  it('names common non-table files', () => {
    expect(thrown(() => detectFormat('orders.csv', utf8('%PDF-1.7\n...'))).message).toMatch(
      /^orders\.csv is a PDF document/,
    );
    expect(thrown(() => detectFormat('x.csv', bytes([0x89], 'PNG\r\n'))).params.kind).toBe('a PNG image');
  });

  it('refuses a ZIP that is not a workbook with zip_archive', () => {
    const zip = bytes('PK', [3, 4, 20, 0, 0, 0, 0, 0], 'orders.csv', [0, 0, 0]);
    const e = thrown(() => detectFormat('orders.zip', zip));
    expect(e.code).toBe('zip_archive');
    expect(e.message).toContain('Unzip it first');
  });
});

describe('file names', () => {
  it('extracts extensions and strips the last one', () => {
    expect(extensionOf('Orders.CSV')).toBe('csv');
    expect(extensionOf('dir.v2/orders')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
    expect(stripLastExtension('orders.csv.gz')).toBe('orders.csv');
  });
});

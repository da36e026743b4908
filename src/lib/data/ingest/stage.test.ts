import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadOptions, ProgressEvent } from '../../contracts/data-api';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../db';
import { ShopSightError } from '../errors';
import { CORPUS, bytes, utf8 } from './fixtures/corpus';
import { bufferRegistrar } from './registrar';
import { stageFile, suggestTableName, type FileRegistrar, type StagedTable } from './stage';

let db: Db;
let registrar: FileRegistrar;
/** Names currently registered, to prove nothing is left behind. */
const registered = new Set<string>();

beforeAll(async () => {
  db = await createNodeDb();
  const inner = bufferRegistrar(db.bindings);
  registrar = {
    async register(name, blob) {
      await inner.register(name, blob);
      registered.add(name);
    },
    drop(name) {
      inner.drop(name);
      registered.delete(name);
    },
  };
});
afterAll(() => db?.bindings.reset());

function blobOf(data: Uint8Array | string): Blob {
  return new Blob([(typeof data === 'string' ? utf8(data) : data) as BlobPart]);
}

async function stage(
  data: Uint8Array | string,
  fileName: string,
  options: LoadOptions = {},
  events?: ProgressEvent[],
): Promise<StagedTable[]> {
  return stageFile(db, registrar, blobOf(data), fileName, options, {
    token: { cancelled: false },
    onProgress: (e) => events?.push(e),
  });
}

async function stageOne(data: Uint8Array | string, fileName: string, options: LoadOptions = {}): Promise<StagedTable> {
  const tables = await stage(data, fileName, options);
  expect(tables).toHaveLength(1);
  return tables[0]!;
}

async function failure(
  data: Uint8Array | string,
  fileName: string,
  options: LoadOptions = {},
): Promise<ShopSightError> {
  try {
    await stage(data, fileName, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ShopSightError);
    return error as ShopSightError;
  }
  throw new Error(`${fileName} loaded but was expected to fail`);
}

function columns(table: string): string[] {
  return db.rows(`SELECT column_name FROM (DESCRIBE "${table}")`).map((r) => String(r.column_name));
}

function values(table: string, column: string): (string | null)[] {
  return db.rows(`SELECT "${column}" AS v FROM "${table}"`).map((r) => (r.v === null ? null : String(r.v)));
}

function stageTables(): string[] {
  return db
    .rows("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__stage_%'")
    .map((r) => String(r.table_name));
}

function codes(t: StagedTable): string[] {
  return t.warnings.map((w) => w.code);
}

describe('empty and header-only files', () => {
  it('rejects a 0-byte file with empty_file', async () => {
    const e = await failure(CORPUS.empty.bytes, CORPUS.empty.name);
    expect(e.code).toBe('empty_file');
    expect(e.message).toContain('empty.csv is empty');
  });

  it('rejects a file of only a BOM and whitespace with empty_file', async () => {
    expect((await failure(CORPUS.whitespaceOnly.bytes, CORPUS.whitespaceOnly.name)).code).toBe('empty_file');
  });

  it('stages a header-only file as a 0-row table with a no_rows warning', async () => {
    const t = await stageOne(CORPUS.headerOnly.bytes, CORPUS.headerOnly.name);
    expect(t.rows).toBe(0);
    expect(columns(t.stageTable)).toEqual(['order_id', 'amount', 'order_date']);
    expect(codes(t)).toContain('no_rows');
  });
});

describe('ragged rows and quotes', () => {
  it('pads short rows and widens for surplus values, and says how many rows and where', async () => {
    const t = await stageOne(CORPUS.ragged.bytes, CORPUS.ragged.name);
    expect(t.rows).toBe(5);
    expect(columns(t.stageTable)).toEqual(['order_id', 'customer', 'amount', 'column3']);
    expect(values(t.stageTable, 'amount')).toEqual(['10.5', null, '7', ' John', '3']);
    expect(values(t.stageTable, 'column3')).toEqual([null, null, null, '12', null]);
    const padded = t.warnings.find((w) => w.code === 'csv_padded_rows');
    expect(padded?.params).toMatchObject({ count: 1, line: 3, expected: 3 });
    const extra = t.warnings.find((w) => w.code === 'csv_extra_values');
    expect(extra?.params).toMatchObject({ count: 1, line: 5, columns: 'column3' });
    expect(extra?.message).toContain('1 row has more values than the 3 columns of the header (first at line 5)');
  });

  it('counts padded rows exactly', async () => {
    const t = await stageOne(CORPUS.raggedShortOnly.bytes, CORPUS.raggedShortOnly.name);
    expect(t.rows).toBe(4);
    expect(t.warnings.find((w) => w.code === 'csv_padded_rows')?.params).toMatchObject({ count: 2, line: 3 });
  });

  it('finds ragged rows far beyond the sniffing sample (DuckDB reports them, the load retries)', async () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 30_000; i++) lines.push(i === 25_000 ? '1,2,3,4' : i === 26_000 ? '1,2' : `${i},x,y`);
    const t = await stageOne(lines.join('\n') + '\n', 'big_ragged.csv');
    expect(t.rows).toBe(30_000);
    expect(columns(t.stageTable)).toEqual(['a', 'b', 'c', 'column3']);
    expect(t.warnings.find((w) => w.code === 'csv_extra_values')?.params).toMatchObject({ count: 1, line: 25_002 });
    expect(t.warnings.find((w) => w.code === 'csv_padded_rows')?.params).toMatchObject({ count: 1 });
  });

  it('does not count regular rows as padded after widening for a late surplus value', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 20_000; i++) lines.push(i === 15_000 ? '1,2,3' : `${i},x`);
    const t = await stageOne(lines.join('\n') + '\n', 'late_wide.csv');
    expect(t.rows).toBe(20_000);
    expect(codes(t)).toEqual(['csv_extra_values']);
    expect(t.warnings[0]?.params).toMatchObject({ count: 1, line: 15_002, columns: 'column2' });
  });

  it('fails an unterminated quote with csv_unbalanced_quotes and its line, leaving nothing behind', async () => {
    const before = stageTables();
    const e = await failure(CORPUS.unbalancedQuotes.bytes, CORPUS.unbalancedQuotes.name);
    expect(e.code).toBe('csv_unbalanced_quotes');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^Line 3 of unbalanced\.csv opens a quoted value/);
    expect(stageTables()).toEqual(before);
    expect(registered.size).toBe(0);
  });

  it('fails text after a closing quote with csv_unbalanced_quotes', async () => {
    const e = await failure(CORPUS.strayQuote.bytes, CORPUS.strayQuote.name);
    expect(e.code).toBe('csv_unbalanced_quotes');
    expect(e.line).toBe(3);
  });

  it('loads quoted newlines, delimiters, doubled quotes and CRLF inside quotes', async () => {
    const t = await stageOne(CORPUS.embedded.bytes, CORPUS.embedded.name);
    expect(t.rows).toBe(4);
    expect(values(t.stageTable, 'description')).toEqual([
      'Line one\nline two, with a comma',
      'He said "hello"',
      'a;b|c\tTab',
      'Windows\r\nbreak',
    ]);
    expect(t.dialect).toMatchObject({ delimiter: ',', quote: '"', header: true });
  });

  it('loads mixed CRLF/LF line endings (DuckDB alone rejects them)', async () => {
    const t = await stageOne(CORPUS.mixedNewlines.bytes, CORPUS.mixedNewlines.name);
    expect(t.rows).toBe(4);
    expect(values(t.stageTable, 'name')).toEqual(['Ann', 'Bob', 'Cid', 'Dee']);
  });

  it('loads mixed line endings that only start after the sniffing sample', async () => {
    const head = Array.from({ length: 8000 }, (_, i) => `${i},name ${i}`).join('\n');
    const t = await stageOne(`id,name\n${head}\n8000,crlf\r\n8001,lf\n`, 'late_mixed.csv');
    expect(t.rows).toBe(8002);
    expect(values(t.stageTable, 'name').slice(-2)).toEqual(['crlf', 'lf']);
  });

  it('loads a 100,000-character field', async () => {
    const t = await stageOne(CORPUS.longField.bytes, CORPUS.longField.name);
    expect(t.rows).toBe(2);
    expect(db.scalar(`SELECT max(length(review)) FROM "${t.stageTable}"`)).toBe(100_000);
  });

  it('fails a row longer than 16 MB with csv_line_too_long', async () => {
    const e = await failure(`id,text\n1,"${'y'.repeat(17 * 1024 * 1024)}"\n`, 'huge_row.csv');
    expect(e.code).toBe('csv_line_too_long');
    expect(e.line).toBe(2);
  });
});

describe('format detection', () => {
  it('refuses binary junk named .csv with binary_file and what to do', async () => {
    const e = await failure(CORPUS.binaryJunk.bytes, CORPUS.binaryJunk.name);
    expect(e.code).toBe('binary_file');
    expect(e.message).toContain('Export your data as CSV');
  });

  it('reads an .xlsx named .csv as a workbook, with a wrong_extension warning', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['sku', 'qty'],
        ['A', 1],
        ['B', 2],
      ]),
      'Data',
    );
    const xlsx = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    const t = await stageOne(xlsx, 'orders.csv');
    expect(t.format).toBe('xlsx');
    expect(t.rows).toBe(2);
    expect(codes(t)).toContain('wrong_extension');
  });

  it('unwraps .csv.gz and stages the CSV inside', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from('id,amount\n1,2.5\n2,3.5\n')));
    const t = await stageOne(gz, 'orders.csv.gz');
    expect(t.format).toBe('csv');
    expect(t.rows).toBe(2);
    expect(t.suggestedName).toBe('orders');
    expect(t.bytes).toBe(gz.length);
  });

  it('reports a corrupt gzip with corrupt_gzip', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from('id,amount\n'.repeat(1000))));
    const e = await failure(gz.slice(0, 40), 'orders.csv.gz');
    expect(e.code).toBe('corrupt_gzip');
  });
});

describe('encodings', () => {
  it('warns about invalid UTF-8 with its line and offset, and loads with replacement characters', async () => {
    const t = await stageOne(CORPUS.invalidUtf8.bytes, CORPUS.invalidUtf8.name);
    expect(t.encoding).toBe('utf-8');
    expect(values(t.stageTable, 'name')).toEqual(['José', 'Bad\uFFFDByte']);
    expect(values(t.stageTable, 'city')).toEqual(['München', '北京']);
    expect(t.warnings.find((w) => w.code === 'invalid_utf8')?.params).toMatchObject({ count: 1, line: 3, offset: 28 });
  });

  it('repairs invalid UTF-8 that only appears after the sniffing sample', async () => {
    const head = 'id,name\n' + Array.from({ length: 9000 }, (_, i) => `${i},Zoë ${i}`).join('\n') + '\n';
    const t = await stageOne(bytes(head, '9000,bad', [0xc3, 0x28], '\n'), 'late_invalid.csv');
    expect(t.rows).toBe(9001);
    expect(values(t.stageTable, 'name').at(-1)).toBe('bad\uFFFD(');
    expect(t.warnings.find((w) => w.code === 'invalid_utf8')?.params).toMatchObject({ line: 9002 });
  });

  it('recognises Windows-1252 whose first accent comes after an all-ASCII sample', async () => {
    const head = 'sku,name\n' + Array.from({ length: 8000 }, (_, i) => `${i},Plain mug ${i}`).join('\n') + '\n';
    const t = await stageOne(bytes(head, '8000,Caf', [0xe9], ' ', [0x93], 'latte', [0x94], '\n'), 'late_cp1252.csv');
    expect(t.encoding).toBe('windows-1252');
    expect(values(t.stageTable, 'name').at(-1)).toBe('Café \u201clatte\u201d');
    expect(codes(t)).toEqual(['encoding_guessed']);
  });

  it('drops a UTF-8 BOM so the first column name is clean', async () => {
    const t = await stageOne(CORPUS.utf8Bom.bytes, CORPUS.utf8Bom.name);
    expect(columns(t.stageTable)).toEqual(['名称', '价格']);
    expect(values(t.stageTable, '名称')).toEqual(['咖啡', '茶']);
  });

  for (const key of ['utf16leBom', 'utf16beBom', 'utf16leNoBom'] as const) {
    it(`transcodes ${CORPUS[key].name}`, async () => {
      const events: ProgressEvent[] = [];
      const [t] = await stage(CORPUS[key].bytes, CORPUS[key].name, {}, events);
      expect(t!.encoding).toBe(key === 'utf16beBom' ? 'utf-16be' : 'utf-16le');
      expect(columns(t!.stageTable)).toEqual(['name', 'price']);
      expect(values(t!.stageTable, 'name')).toEqual(['Café', '北京']);
      expect(events.some((e) => e.phase === 'decode')).toBe(true);
      expect(t!.warnings).toEqual([]);
    });
  }

  it('detects GBK/GB18030 and warns that the encoding was guessed', async () => {
    const t = await stageOne(CORPUS.gbk.bytes, CORPUS.gbk.name);
    expect(t.encoding).toBe('gb18030');
    expect(columns(t.stageTable)).toEqual(['订单编号', '客户', '金额']);
    expect(values(t.stageTable, '客户')).toEqual(['北京', '上海', '北京']);
    expect(codes(t)).toContain('encoding_guessed');
  });

  it('detects Windows-1252 curly quotes and accents', async () => {
    const t = await stageOne(CORPUS.cp1252.bytes, CORPUS.cp1252.name);
    expect(t.encoding).toBe('windows-1252');
    expect(values(t.stageTable, 'name')).toEqual(['Café', 'Tea']);
    expect(values(t.stageTable, 'note')).toEqual(['\u201cbest\u201d coffee', 'plain']);
    expect(values(t.stageTable, 'size')).toEqual(['5\u201310', '1']);
  });

  it('lets the user override the detected encoding', async () => {
    const t = await stageOne(CORPUS.cp1252.bytes, CORPUS.cp1252.name, { encoding: 'gb18030' });
    expect(t.encoding).toBe('gb18030');
    expect(codes(t)).not.toContain('encoding_guessed');
    expect(values(t.stageTable, 'name')[1]).toBe('Tea');
  });
});

describe('dialects and names', () => {
  it('reports empty and duplicate header names and the names given instead', async () => {
    const t = await stageOne(CORPUS.duplicateAndEmptyNames.bytes, CORPUS.duplicateAndEmptyNames.name);
    expect(columns(t.stageTable)).toEqual(['id', 'name', 'column2', 'Name_1', 'name_2']);
    expect(t.warnings.filter((w) => w.code === 'empty_column_name').map((w) => w.params)).toEqual([
      { position: 3, name: 'column2' },
    ]);
    expect(t.warnings.filter((w) => w.code === 'duplicate_column_name').map((w) => w.params?.renamed)).toEqual([
      'Name_1',
      'name_2',
    ]);
  });

  it('loads a column of 99% numbers and 1% text as text (all_varchar)', async () => {
    const t = await stageOne(CORPUS.mostlyNumbers.bytes, CORPUS.mostlyNumbers.name);
    expect(t.allVarchar).toBe(true);
    expect(t.rows).toBe(1000);
    expect(values(t.stageTable, 'qty')[990]).toBe('N/A');
  });

  it('reads a semicolon file with decimal commas', async () => {
    const t = await stageOne(CORPUS.european.bytes, CORPUS.european.name);
    expect(t.dialect).toMatchObject({ delimiter: ';', decimalSeparator: ',' });
    expect(values(t.stageTable, 'Preis')).toEqual(['1.234,50', '2,99', '0,89']);
    expect(values(t.stageTable, 'Artikel')).toEqual(['Käse', 'Brot', 'Milch']);
  });

  it('reads TSV and pipe-delimited files', async () => {
    const tsv = await stageOne(CORPUS.tsv.bytes, CORPUS.tsv.name);
    expect(tsv.dialect?.delimiter).toBe('\t');
    expect(values(tsv.stageTable, 'name')).toEqual(['Mug, large', 'Pen']);
    const pipe = await stageOne(CORPUS.pipe.bytes, CORPUS.pipe.name);
    expect(pipe.dialect?.delimiter).toBe('|');
    expect(values(pipe.stageTable, 'name')).toEqual(['Mug, large', 'Pen "blue"']);
  });

  it('lets the user override the delimiter and header', async () => {
    const t = await stageOne('a;b,c\n1;2,3\n', 'x.csv', { dialect: { delimiter: ';', header: false } });
    expect(columns(t.stageTable)).toEqual(['column0', 'column1']);
    expect(values(t.stageTable, 'column1')).toEqual(['b,c', '2,3']);
  });

  it('ignores a delimiter at the end of every line instead of adding an empty column', async () => {
    const t = await stageOne('sku,qty,\r\nA,1,\r\nB,2,\r\n', 'trailing.csv');
    expect(columns(t.stageTable)).toEqual(['sku', 'qty']);
    expect(values(t.stageTable, 'qty')).toEqual(['1', '2']);
    expect(t.warnings).toEqual([]);
  });

  it('skips a title line above the table', async () => {
    const t = await stageOne(CORPUS.preamble.bytes, CORPUS.preamble.name);
    expect(columns(t.stageTable)).toEqual(['region', 'units', 'revenue']);
    expect(t.rows).toBe(2);
    expect(codes(t)).toContain('skipped_lines');
  });

  it('reads a file without a header row', async () => {
    const t = await stageOne(CORPUS.noHeader.bytes, CORPUS.noHeader.name);
    expect(t.dialect?.header).toBe(false);
    expect(t.rows).toBe(3);
    expect(columns(t.stageTable)).toEqual(['column0', 'column1', 'column2']);
  });

  it('suggests table names from file and sheet names', () => {
    expect(suggestTableName('Orders 2024 (final).CSV.gz')).toBe('orders_2024_final');
    expect(suggestTableName('C:\\exports\\订单 数据.xlsx', 'Sheet 1')).toBe('订单_数据_sheet_1');
    expect(suggestTableName('2024.csv')).toBe('t_2024');
    expect(suggestTableName('***.csv')).toBe('table');
  });
});

describe('workbooks, Parquet and JSON', () => {
  it('stages one table per non-empty sheet, keeping leading zeros and ISO dates', async () => {
    const wb = XLSX.utils.book_new();
    const orders = XLSX.utils.aoa_to_sheet(
      [
        ['id', 'date', 'amount'],
        ['00123', new Date(Date.UTC(2024, 0, 15)), 19.99],
        ['00124', new Date(Date.UTC(2024, 1, 29)), 5],
      ],
      { cellDates: true, UTC: true },
    );
    XLSX.utils.book_append_sheet(wb, orders, 'Orders');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), 'Empty');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['sku'], ['A-1']]), 'Products');
    const xlsx = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx', cellDates: false }) as ArrayBuffer);
    const tables = await stage(xlsx, 'Shop Export.xlsx');
    expect(tables.map((t) => [t.sheet, t.suggestedName, t.rows])).toEqual([
      ['Orders', 'shop_export_orders', 2],
      ['Products', 'shop_export_products', 1],
    ]);
    const t = tables[0]!;
    expect(values(t.stageTable, 'id')).toEqual(['00123', '00124']);
    expect(values(t.stageTable, 'date')).toEqual(['2024-01-15', '2024-02-29']);
    expect(values(t.stageTable, 'amount')).toEqual(['19.99', '5']);
    expect(t.encoding).toBeUndefined();
    const named = await stage(xlsx, 'Shop Export.xlsx', { tableName: 'Q1 sales' });
    expect(named.map((n) => n.suggestedName)).toEqual(['Q1 sales_Orders', 'Q1 sales_Products']);
  });

  it('reads .xls, and keeps its own CSV dialect even when the user overrides the delimiter', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['name', 'note'],
        ['Mug', 'a;b, c'],
      ]),
      'Sheet1',
    );
    const xls = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'biff8' }) as ArrayBuffer);
    const t = await stageOne(xls, 'legacy.xls', { dialect: { delimiter: ';' } });
    expect([t.format, t.sheet, t.suggestedName]).toEqual(['xls', 'Sheet1', 'legacy']);
    expect(values(t.stageTable, 'note')).toEqual(['a;b, c']);
  });

  it('inserts Parquet row group by row group with its own types', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'shopsight-stage-'));
    try {
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      const file = path.join(dir, 'orders.parquet');
      await conn.run(
        `COPY (SELECT range AS id, DATE '2024-01-01' + (range % 30)::INTEGER AS day, (range * 0.5)::DOUBLE AS amount, 'sku' || (range % 9) AS sku FROM range(5000)) ` +
          `TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      );
      conn.closeSync();
      instance.closeSync();
      const events: ProgressEvent[] = [];
      const [t] = await stage(new Uint8Array(readFileSync(file)), 'Orders.parquet', {}, events);
      expect(t).toMatchObject({ format: 'parquet', allVarchar: false, rows: 5000, suggestedName: 'orders' });
      const types = db.rows(`SELECT column_name, column_type FROM (DESCRIBE "${t!.stageTable}")`);
      expect(types.map((r) => `${r.column_name} ${r.column_type}`)).toEqual([
        'id BIGINT',
        'day DATE',
        'amount DOUBLE',
        'sku VARCHAR',
      ]);
      expect(db.scalar(`SELECT sum(amount) FROM "${t!.stageTable}"`)).toBe(6_248_750);
      expect(events.filter((e) => e.phase === 'convert').length).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('inserts JSON as typed Arrow columns', async () => {
    const t = await stageOne('{"data":[{"id":1,"name":"a","tags":["x"]},{"id":2,"paid":true}]}', 'api.json');
    expect(t.allVarchar).toBe(false);
    expect(t.rows).toBe(2);
    const types = db.rows(`SELECT column_name, column_type FROM (DESCRIBE "${t.stageTable}")`);
    expect(types.map((r) => [r.column_name, r.column_type])).toEqual([
      ['id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['tags', 'VARCHAR'],
      ['paid', 'BOOLEAN'],
    ]);
  });

  it('inserts NDJSON, and reports invalid JSON with line and column', async () => {
    const t = await stageOne('{"a":1}\n{"a":2}\n', 'events.ndjson');
    expect(t.format).toBe('ndjson');
    expect(t.rows).toBe(2);
    const e = await failure('{"a":1}\n{"a":2,}\n', 'events.jsonl');
    expect(e.code).toBe('invalid_json');
    expect([e.line, e.column]).toEqual([2, 8]);
  });
});

describe('cancellation and progress', () => {
  it('leaves no stage table or registered file behind when cancelled mid-parse', async () => {
    const before = stageTables();
    const big =
      'id,a,b,c\n' + Array.from({ length: 200_000 }, (_, i) => `${i},aaaaaaaa,bbbbbbbbbb,${i * 3}`).join('\n');
    const token = { cancelled: false };
    const promise = stageFile(
      db,
      registrar,
      blobOf(big),
      'big.csv',
      {},
      {
        token,
        onProgress: (e) => {
          if (e.phase === 'parse') token.cancelled = true;
        },
      },
    );
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
    expect(stageTables()).toEqual(before);
    expect(registered.size).toBe(0);
  });

  it('leaves nothing behind when cancelled during decoding', async () => {
    const before = stageTables();
    const token = { cancelled: false };
    const promise = stageFile(
      db,
      registrar,
      new Blob([CORPUS.cp1252.bytes as BlobPart]),
      'x.csv',
      {},
      {
        token,
        onProgress: (e) => {
          if (e.phase === 'decode') token.cancelled = true;
        },
      },
    );
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
    expect(stageTables()).toEqual(before);
    expect(registered.size).toBe(0);
  });

  it('reports read, parse progress for a CSV', async () => {
    const events: ProgressEvent[] = [];
    await stage('a,b\n1,2\n', 'p.csv', {}, events);
    expect(events.map((e) => e.phase)).toEqual(['read', 'parse', 'parse']);
    expect(events.at(-1)).toMatchObject({ phase: 'parse', done: 8, total: 8, detail: 'p.csv' });
  });
});

describe('real datasets (from ../shared/datasets)', () => {
  const retail = path.join(DATASETS_DIR, 'online_retail_sample_20k.csv');
  const superstore = path.join(DATASETS_DIR, 'superstore_orders_train.csv');

  it.skipIf(!existsSync(retail))(
    `stages online_retail_sample_20k.csv: 20,000 rows, 8 columns (skipped when ${retail} is absent)`,
    async () => {
      const t = await stageOne(new Uint8Array(readFileSync(retail)), 'online_retail_sample_20k.csv');
      expect(t.rows).toBe(20_000);
      expect(columns(t.stageTable)).toEqual([
        'InvoiceNo',
        'StockCode',
        'Description',
        'Quantity',
        'InvoiceDate',
        'UnitPrice',
        'CustomerID',
        'Country',
      ]);
      expect(t.encoding).toBe('utf-8');
      expect(t.warnings).toEqual([]);
    },
  );

  it.skipIf(!existsSync(superstore))(
    `stages superstore_orders_train.csv: 8,787 rows, UTF-8, CRLF (skipped when ${superstore} is absent)`,
    async () => {
      const t = await stageOne(new Uint8Array(readFileSync(superstore)), 'superstore_orders_train.csv');
      expect(t.rows).toBe(8_787);
      expect(columns(t.stageTable)).toHaveLength(21);
      expect(t.encoding).toBe('utf-8');
      expect(values(t.stageTable, 'Postal Code')).toContain('05408');
      expect(t.warnings).toEqual([]);
    },
  );
});

import { EMBED_METHODS } from './method-table';
import { describe, expect, it } from 'vitest';
import type { ProgressCallback } from '../contracts/data-api';
import {
  QUERY_DEFAULT_LIMIT,
  QUERY_MAX_LIMIT,
  findMethod,
  type EmbedBackend,
  type EmbedCallContext,
  type EmbedMethod,
  type LoadTableParams,
} from './methods';
import { fakeBackend, ipcOf, tableInfo } from './test-fakes';

const context: EmbedCallContext = { version: '0.1.0', methods: Object.keys(EMBED_METHODS) };
const noProgress: ProgressCallback = () => {};

function valid<P>(method: EmbedMethod<P, unknown>, params: Record<string, unknown>): P {
  const result = method.validate(params);
  if (!result.ok) throw new Error(`expected valid params, got ${result.error.message}`);
  return result.value;
}

function invalid(
  method: EmbedMethod<unknown, unknown>,
  params: Record<string, unknown>,
): { message: string; param: unknown } {
  const result = method.validate(params);
  if (result.ok) throw new Error('expected bad_params');
  expect(result.error.code).toBe('bad_params');
  return { message: result.error.message, param: result.error.params?.param };
}

async function call<P, R>(
  method: EmbedMethod<P, R>,
  params: Record<string, unknown>,
  backend: EmbedBackend = fakeBackend(),
): Promise<R> {
  return method.run(backend, valid(method, params), noProgress, context);
}

describe('findMethod', () => {
  it('finds own entries only', () => {
    expect(findMethod(EMBED_METHODS, 'query')).toBe(EMBED_METHODS.query);
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'QUERY']) {
      expect(findMethod(EMBED_METHODS, name)).toBeUndefined();
    }
  });
});

describe('every method', () => {
  it.each(Object.keys(EMBED_METHODS))('%s rejects unknown parameters', (name) => {
    const method = findMethod(EMBED_METHODS, name)!;
    const { message, param } = invalid(method, { surprise: 1 });
    expect(param).toBe('surprise');
    expect(message).toMatch(new RegExp(`^${name}: `));
  });
});

describe('loadTable', () => {
  const loadTable = EMBED_METHODS.loadTable;

  it('requires fileName and data', () => {
    expect(invalid(loadTable, { data: 'a,b\n1,2' }).param).toBe('fileName');
    expect(invalid(loadTable, { fileName: 'x.csv' })).toMatchObject({ param: 'data', message: /is required/ });
  });

  it.each([
    [42, /got 42/],
    [{ bytes: [1, 2] }, /got an object/],
    [[1, 2], /got an array/],
    [null, /got null/],
    ['', /empty/],
    [new ArrayBuffer(0), /empty/],
    [new Uint8Array(0), /empty/],
    [new Blob([]), /empty/],
  ])('rejects data %o', (data, message) => {
    expect(invalid(loadTable, { fileName: 'x.csv', data })).toMatchObject({ param: 'data', message });
  });

  it('rejects a misspelt table-name parameter, listing the accepted ones', () => {
    const { message, param } = invalid(loadTable, { fileName: 'x.csv', data: 'a\n1', tableName: 'x' });
    expect(param).toBe('tableName');
    expect(message).toMatch(/"fileName".*"name"/);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'a'.repeat(257) }, 'name'],
    [{ name: 'bad\u0000name' }, 'name'],
    [{ name: 7 }, 'name'],
    [{ fileName: 'a\nb.csv' }, 'fileName'],
    [{ encoding: 'latin-9' }, 'encoding'],
    [{ encoding: 8 }, 'encoding'],
    [{ replace: 'yes' }, 'replace'],
  ])('rejects %o', (override, param) => {
    expect(invalid(loadTable, { fileName: 'x.csv', data: new ArrayBuffer(4), ...override }).param).toBe(param);
  });

  it('refuses text for binary formats and text encodings for text', () => {
    expect(invalid(loadTable, { fileName: 'book.XLSX', data: 'PK…' }).message).toMatch(/must be bytes/);
    expect(invalid(loadTable, { fileName: 'x.parquet', data: 'PAR1' }).param).toBe('data');
    expect(invalid(loadTable, { fileName: 'orders.csv.gz', data: '\u001f\u008b' }).param).toBe('data');
    expect(invalid(loadTable, { fileName: 'x.csv', data: 'a', encoding: 'gb18030' }).message).toMatch(/bytes only/);
  });

  it('accepts encodings case-insensitively, with utf8 and gbk as aliases', () => {
    const base = { fileName: 'x.csv', data: new ArrayBuffer(3) };
    expect(valid(loadTable, { ...base, encoding: 'UTF8' }).encoding).toBe('utf-8');
    expect(valid(loadTable, { ...base, encoding: 'GBK' }).encoding).toBe('gb18030');
    expect(valid(loadTable, { ...base, encoding: 'windows-1252' }).encoding).toBe('windows-1252');
  });

  it('loads a string as a UTF-8 Blob and says it is UTF-8', async () => {
    const backend = fakeBackend();
    const csv = 'city,amount\nKöln,1\n北京,2\n';
    await call(loadTable, { fileName: 'orders.csv', data: csv, name: 'orders', replace: true }, backend);
    const [source, fileName, options] = backend.calls[0]!.args as [Blob, string, object];
    expect(fileName).toBe('orders.csv');
    expect(options).toEqual({ tableName: 'orders', encoding: 'utf-8', replace: true });
    expect(source).toBeInstanceOf(Blob);
    expect(await source.text()).toBe(csv);
  });

  it('wraps bytes in a Blob without changing them, passing the encoding on', async () => {
    const backend = fakeBackend();
    const bytes = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]);
    await call(loadTable, { fileName: 'u16.csv', data: bytes.buffer, encoding: 'utf-16le' }, backend);
    const [source, , options] = backend.calls[0]!.args as [Blob, string, object];
    expect(new Uint8Array(await source.arrayBuffer())).toEqual(bytes);
    expect(options).toEqual({ encoding: 'utf-16le' });
  });

  it('takes exactly the bytes of a typed-array view', async () => {
    const buffer = new Uint8Array([9, 9, 1, 2, 3, 9]).buffer;
    const params: LoadTableParams = valid(loadTable, { fileName: 'x.csv', data: new Uint8Array(buffer, 2, 3) });
    expect(new Uint8Array(await params.data.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('accepts a Blob (a File posted by the host) as it is', () => {
    const blob = new Blob(['a\n1']);
    expect(valid(loadTable, { fileName: 'x.csv', data: blob }).data).toBe(blob);
  });

  it('returns the first table, its warnings, and the other sheets of a workbook in alsoLoaded', async () => {
    const sheet = (name: string, s: string) =>
      tableInfo(name, 5, { source: { fileName: 'book.xlsx', format: 'xlsx', sheet: s, bytes: 10 } });
    const first = sheet('book_orders', 'Orders');
    first.warnings = [{ code: 'rows_skipped', message: '2 empty rows skipped', params: { count: 2 } }];
    const backend = fakeBackend({ loadFile: async () => [first, sheet('book_returns', 'Returns')] });
    const result = await call(loadTable, { fileName: 'book.xlsx', data: new ArrayBuffer(8) }, backend);
    expect(result).toEqual({
      name: 'book_orders',
      rows: 5,
      sheet: 'Orders',
      columns: [
        { name: 'order_id', type: 'VARCHAR', role: 'order_id' },
        { name: 'amount', type: 'DOUBLE', role: 'line_amount' },
      ],
      warnings: [{ code: 'rows_skipped', message: '2 empty rows skipped', params: { count: 2 } }],
      alsoLoaded: [
        {
          name: 'book_returns',
          rows: 5,
          sheet: 'Returns',
          columns: expect.any(Array),
          warnings: [],
        },
      ],
    });
  });

  it('has no alsoLoaded for a single table', async () => {
    const result = await call(loadTable, { fileName: 'orders.csv', data: 'a\n1' });
    expect(result).not.toHaveProperty('alsoLoaded');
    expect(result.name).toBe('orders');
  });

  it('fails with no_tables when the file held none', async () => {
    const backend = fakeBackend({ loadFile: async () => [] });
    await expect(call(loadTable, { fileName: 'empty.xlsx', data: new ArrayBuffer(1) }, backend)).rejects.toMatchObject({
      code: 'no_tables',
    });
  });
});

describe('listTables', () => {
  it('summarises tables without internal fields', async () => {
    const result = await call(EMBED_METHODS.listTables, {});
    expect(result).toEqual([
      {
        name: 'orders',
        rows: 3,
        columns: [
          { name: 'order_id', type: 'VARCHAR', role: 'order_id' },
          { name: 'amount', type: 'DOUBLE', role: 'line_amount' },
        ],
      },
    ]);
  });
});

describe('query', () => {
  const query = EMBED_METHODS.query;

  it('defaults the limit to 1,000 and caps it at 100,000', () => {
    expect(valid(query, { sql: 'SELECT 1' })).toEqual({ sql: 'SELECT 1', limit: QUERY_DEFAULT_LIMIT });
    expect(valid(query, { sql: 'SELECT 1', limit: QUERY_MAX_LIMIT }).limit).toBe(100_000);
    expect(valid(query, { sql: 'SELECT 1', limit: 1 }).limit).toBe(1);
    expect(invalid(query, { sql: 'SELECT 1', limit: 100_001 }).message).toMatch(/between 1 and 100,000/);
    expect(invalid(query, { sql: 'SELECT 1', limit: 0 }).param).toBe('limit');
    expect(invalid(query, { sql: 'SELECT 1', limit: 2.5 }).message).toMatch(/integer/);
    expect(invalid(query, { sql: 'SELECT 1', limit: '10' }).message).toMatch(/integer/);
  });

  it('requires sql as a non-empty string (newlines and tabs are fine)', () => {
    expect(invalid(query, {}).param).toBe('sql');
    expect(invalid(query, { sql: '   ' }).message).toMatch(/empty/);
    expect(invalid(query, { sql: ['SELECT 1'] }).message).toMatch(/got an array/);
    expect(valid(query, { sql: 'SELECT\n\t1' }).sql).toBe('SELECT\n\t1');
  });

  it('decodes the Arrow IPC into row arrays', async () => {
    const backend = fakeBackend({
      query: async () => ({
        ipc: ipcOf({ customer: ['c1', 'c2', null], spend: [10.5, 20, 0] }),
        rowCount: 3,
        truncated: true,
        elapsedMs: 7,
      }),
    });
    const result = await call(query, { sql: 'SELECT customer, spend FROM t', limit: 3 }, backend);
    expect(backend.calls[0]!.args).toEqual(['SELECT customer, spend FROM t', 3]);
    expect(result.columns.map((c) => c.name)).toEqual(['customer', 'spend']);
    expect(result.rows).toEqual([
      ['c1', 10.5],
      ['c2', 20],
      [null, 0],
    ]);
    expect(result.truncated).toBe(true);
    expect(result.elapsedMs).toBe(7);
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('never returns more rows than the limit, and then says truncated', async () => {
    const backend = fakeBackend({
      query: async () => ({ ipc: ipcOf({ n: [1, 2, 3] }), rowCount: 3, truncated: false, elapsedMs: 1 }),
    });
    const result = await call(query, { sql: 'SELECT n FROM t', limit: 2 }, backend);
    expect(result.rows).toEqual([[1], [2]]);
    expect(result.truncated).toBe(true);
  });

  it('refuses writes with read_only before reaching the backend', async () => {
    const backend = fakeBackend();
    await expect(call(query, { sql: 'DROP TABLE orders' }, backend)).rejects.toMatchObject({ code: 'read_only' });
    await expect(call(query, { sql: 'SELECT 1; DROP TABLE orders' }, backend)).rejects.toMatchObject({
      code: 'read_only',
    });
    expect(backend.calls).toEqual([]);
  });
});

describe('profile, dropTable, hello', () => {
  it('profile passes the table and progress through and returns the report', async () => {
    const seen: unknown[] = [];
    const backend = fakeBackend({
      profile: async (table, onProgress) => {
        onProgress({ phase: 'profile', done: 1, total: 2 });
        return { ...(await fakeBackend().profile(table, noProgress)), score: 50 };
      },
    });
    const method = EMBED_METHODS.profile;
    const report = await method.run(backend, valid(method, { table: 'orders' }), (p) => seen.push(p), context);
    expect(report).toMatchObject({ table: 'orders', score: 50 });
    expect(seen).toEqual([{ phase: 'profile', done: 1, total: 2 }]);
    expect(invalid(method, {}).param).toBe('table');
  });

  it('dropTable reports the dropped name', async () => {
    const backend = fakeBackend();
    expect(await call(EMBED_METHODS.dropTable, { name: 'orders' }, backend)).toEqual({ dropped: 'orders' });
    expect(backend.calls).toEqual([{ method: 'dropTable', args: ['orders'] }]);
    expect(invalid(EMBED_METHODS.dropTable, { table: 'orders' }).param).toBe('table');
  });

  it('hello reports the protocol, the app version and the methods', async () => {
    expect(await call(EMBED_METHODS.hello, {})).toEqual({
      protocol: 1,
      version: '0.1.0',
      methods: [
        'hello',
        'loadTable',
        'listTables',
        'query',
        'profile',
        'dropTable',
        'applyRecipe',
        'buildCustomers',
        'buildProducts',
        'buildSeries',
        'buildLabels',
        'selectFeatures',
        'forecast',
        'segment',
        'anomalies',
        'recommend',
        'sentiment',
        'compareModels',
        'train',
        'evaluate',
        'predict',
        'listModels',
        'cancel',
        'search',
      ],
    });
  });

  it('marks exactly the table-changing methods as mutating', () => {
    const mutating = Object.entries(EMBED_METHODS)
      .filter(([, m]) => m.mutates)
      .map(([name]) => name);
    expect(mutating).toEqual([
      'loadTable',
      'dropTable',
      'applyRecipe',
      'buildCustomers',
      'buildProducts',
      'buildSeries',
      'buildLabels',
      'forecast',
      'segment',
      'anomalies',
      'recommend',
      'sentiment',
      'predict',
    ]);
  });
});

/**
 * Every file format ShopSight reads, loaded through the real file input in Chromium with the
 * app's CSP in force. The CSP forbids `eval`/`new Function`, so a format whose reader needs them
 * fails here (EvalError, CSP violation) even though it passes in Node unit tests.
 *
 * For each format: the table name(s), the row count, a few values in the grid, the types and
 * kinds on the Columns & roles tab, and no console error or CSP violation during the load.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnRowInfo } from './pages/app-page';
import { cspViolations, recordCspViolations } from './fixtures/csp';
import { gzip, parquet, workbook } from './fixtures/files';
import { useSharedApp } from './fixtures/session';

describe('file formats in the browser (CSP in force, so no reader may use eval)', () => {
  const s = useSharedApp({ beforeGoto: recordCspViolations });

  /** No console error, uncaught error, CSP violation or off-origin request since the test began. */
  async function expectCleanLoad(): Promise<void> {
    const since = s.since();
    expect(since.consoleErrors).toEqual([]);
    expect(since.pageErrors).toEqual([]);
    expect(since.offOriginRequests).toEqual([]);
    expect(await cspViolations(s.page)).toEqual([]);
  }

  /** Columns & roles as "name | type | kind | role" lines, then back to the data tab. */
  async function columnSummary(): Promise<string[]> {
    const rows: ColumnRowInfo[] = await s.app.columnRows();
    await s.app.openTab('data');
    return rows.map((r) => `${r.name} | ${r.type} | ${r.kind} | ${r.role}`);
  }

  it('.xlsx with two sheets: two tables, leading zeros kept, Excel dates as DATE', async () => {
    const bytes = workbook({
      Orders: [
        ['order_id', 'order_date', 'amount', 'sku'],
        ['00123', new Date(Date.UTC(2024, 0, 15)), 19.99, 'A-1'],
        ['00124', new Date(Date.UTC(2024, 1, 29)), 5, 'B-2'],
        ['00125', new Date(Date.UTC(2024, 2, 1)), 7.25, 'A-1'],
      ],
      Products: [
        ['sku', 'name', 'price'],
        ['A-1', 'Mug', 4.5],
        ['B-2', 'Pen', 1.2],
      ],
    });
    const outcome = await s.app.loadFile({ name: 'Shop Export.xlsx', bytes });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['shop_export_orders', 'shop_export_products']);
    expect(outcome.warnings).toEqual([]);

    await s.app.openTable('shop_export_orders');
    expect(await s.app.tableMeta()).toBe('3 rows · 4 · Shop Export.xlsx › Orders');
    expect(await s.app.rowCounts()).toEqual({ shown: 3, total: 3 });
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['00123', '2024-01-15', '19.99', 'A-1'],
      ['00124', '2024-02-29', '5', 'B-2'],
      ['00125', '2024-03-01', '7.25', 'A-1'],
    ]);
    expect(await columnSummary()).toEqual([
      'order_id | VARCHAR | Identifier (text) · digits with leading zeros | order_id',
      'order_date | DATE | Date · yyyy-mm-dd | timestamp',
      'amount | DOUBLE | Number | line_amount',
      'sku | VARCHAR | Text | product_id',
    ]);

    await s.app.openTable('shop_export_products');
    expect(await s.app.tableMeta()).toBe('2 rows · 3 · Shop Export.xlsx › Products');
    expect(await s.app.waitForGridRows(2)).toEqual([
      ['A-1', 'Mug', '4.5'],
      ['B-2', 'Pen', '1.2'],
    ]);
    expect((await s.app.columnRows()).map((c) => `${c.name} ${c.type}`)).toEqual([
      'sku VARCHAR',
      'name VARCHAR',
      'price DOUBLE',
    ]);
    await expectCleanLoad();
  });

  it('.xls (Excel 97-2003, BIFF8): one table, a cell with ";" and "," stays one value', async () => {
    const bytes = workbook(
      {
        Sheet1: [
          ['name', 'note', 'qty'],
          ['Mug', 'a;b, c', 3],
          ['Cap', 'x', 4],
        ],
      },
      'biff8',
    );
    const outcome = await s.app.loadFile({ name: 'legacy.xls', bytes });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['legacy']);
    await s.app.openTable('legacy');
    expect(await s.app.tableMeta()).toBe('2 rows · 3 · legacy.xls › Sheet1');
    expect(await s.app.waitForGridRows(2)).toEqual([
      ['Mug', 'a;b, c', '3'],
      ['Cap', 'x', '4'],
    ]);
    expect(await columnSummary()).toEqual([
      'name | VARCHAR | Text | none',
      'note | VARCHAR | Text | none',
      'qty | BIGINT | Whole number | quantity',
    ]);
    await expectCleanLoad();
  });

  it('.parquet written by DuckDB (3 row groups): 5,000 rows with the file’s own types', async () => {
    const bytes = await parquet(
      `SELECT range AS id, DATE '2024-01-01' + (range % 30)::INTEGER AS day, (range * 0.5)::DOUBLE AS amount,
        'sku' || (range % 9) AS sku FROM range(5000)`,
      'FORMAT parquet, ROW_GROUP_SIZE 2048',
    );
    const outcome = await s.app.loadFile({ name: 'Orders.parquet', bytes });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['orders']);
    expect(outcome.warnings).toEqual([]);
    await s.app.openTable('orders');
    expect(await s.app.tableMeta()).toBe('5,000 rows · 4 · Orders.parquet');
    expect(await s.app.rowCounts()).toEqual({ shown: 5000, total: 5000 });
    expect(await s.app.gridColumnTypes()).toEqual(['BIGINT', 'DATE', 'DOUBLE', 'VARCHAR']);
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['0', '2024-01-01', '0', 'sku0'],
      ['1', '2024-01-02', '0.5', 'sku1'],
      ['2', '2024-01-03', '1', 'sku2'],
    ]);
    expect(await columnSummary()).toEqual([
      'id | BIGINT | Whole number | none',
      'day | DATE | Date | timestamp',
      'amount | DOUBLE | Number | line_amount',
      'sku | VARCHAR | Text | product_id',
    ]);
    const sum = await s.app.runSql('SELECT sum(amount) AS total, max(day) AS last FROM orders');
    expect(sum.error).toBeNull();
    expect(await s.app.gridCellTexts()).toEqual([['6248750', '2024-01-30']]);
    await expectCleanLoad();
  });

  it('.json (an array of objects): typed columns, nested lists kept as JSON text with a warning', async () => {
    const json = JSON.stringify([
      { id: 1, name: 'Mug', price: 4.5, paid: true, tags: ['gift'] },
      { id: 2, name: 'Pen', price: 1.25, paid: false, tags: [] },
      { id: 3, name: '北京', price: 10, paid: null },
    ]);
    const outcome = await s.app.loadFile({ name: 'api.json', bytes: json, mimeType: 'application/json' });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['api']);
    expect(outcome.warnings).toEqual([
      'api: Loaded with 1 warning(s) Column "tags" holds nested objects or lists; they were kept as JSON text.',
    ]);
    await s.app.openTable('api');
    expect(await s.app.tableMeta()).toBe('3 rows · 5 · api.json · utf-8');
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['1', 'Mug', '4.5', 'true', '["gift"]'],
      ['2', 'Pen', '1.25', 'false', '[]'],
      ['3', '北京', '10', 'empty', 'empty'],
    ]);
    expect(await columnSummary()).toEqual([
      'id | BIGINT | Whole number | none',
      'name | VARCHAR | Text | none',
      'price | DOUBLE | Number | unit_price',
      'paid | BOOLEAN | Yes/No | none',
      'tags | VARCHAR | Text | none',
    ]);
    await expectCleanLoad();
  });

  it('.ndjson (one object per line)', async () => {
    const ndjson =
      '{"event":"view","user":7,"amount":0}\n{"event":"buy","user":8,"amount":12.5}\n{"event":"buy","user":7,"amount":3}\n';
    const outcome = await s.app.loadFile({ name: 'events.ndjson', bytes: ndjson });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['events']);
    expect(outcome.warnings).toEqual([]);
    await s.app.openTable('events');
    expect(await s.app.tableMeta()).toBe('3 rows · 3 · events.ndjson · utf-8');
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['view', '7', '0'],
      ['buy', '8', '12.5'],
      ['buy', '7', '3'],
    ]);
    expect((await s.app.columnRows()).map((c) => `${c.name} ${c.type} ${c.kind}`)).toEqual([
      'event VARCHAR Text',
      'user BIGINT Whole number',
      'amount DOUBLE Number',
    ]);
    await expectCleanLoad();
  });

  it('.csv.gz: unwrapped in the browser, named after the CSV inside', async () => {
    const outcome = await s.app.loadFile({
      name: 'payments.csv.gz',
      bytes: gzip('payment_id,amount,paid_on\nP-1,2.50,2024-03-01\nP-2,3.50,2024-03-02\nP-3,10,2024-03-04\n'),
      mimeType: 'application/gzip',
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['payments']);
    expect(outcome.warnings).toEqual([]);
    await s.app.openTable('payments');
    expect(await s.app.tableMeta()).toBe('3 rows · 3 · payments.csv.gz · utf-8');
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['P-1', '2.5', '2024-03-01'],
      ['P-2', '3.5', '2024-03-02'],
      ['P-3', '10', '2024-03-04'],
    ]);
    expect((await s.app.columnRows()).map((c) => `${c.name} ${c.type} ${c.kind}`)).toEqual([
      'payment_id VARCHAR Text',
      'amount DOUBLE Number',
      'paid_on DATE Date · yyyy-mm-dd',
    ]);
    await expectCleanLoad();
  });

  it('.tsv: tab-separated, a comma inside a value stays in it', async () => {
    const outcome = await s.app.loadFile({
      name: 'products.tsv',
      bytes: 'sku\tname\tprice\nA1\tMug, large\t4.5\nB2\tPen\t1.2\nC3\tCap\t12\n',
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['products']);
    expect(outcome.warnings).toEqual([]);
    await s.app.openTable('products');
    expect(await s.app.tableMeta()).toBe('3 rows · 3 · products.tsv · utf-8');
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['A1', 'Mug, large', '4.5'],
      ['B2', 'Pen', '1.2'],
      ['C3', 'Cap', '12'],
    ]);
    expect(await columnSummary()).toEqual([
      'sku | VARCHAR | Text | product_id',
      'name | VARCHAR | Text | none',
      'price | DOUBLE | Number | unit_price',
    ]);
    await expectCleanLoad();
  });

  it('semicolon CSV with decimal commas and day-first dates (a German shop export)', async () => {
    const outcome = await s.app.loadFile({
      name: 'umsatz.csv',
      bytes:
        'Datum;Artikel;Preis;Menge\n01.02.2024;Käse;1.234,50;2\n02.02.2024;Brot;2,99;10\n13.02.2024;Milch;0,89;3\n',
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual(['umsatz']);
    expect(outcome.warnings).toEqual([]);
    await s.app.openTable('umsatz');
    expect(await s.app.tableMeta()).toBe('3 rows · 4 · umsatz.csv · utf-8');
    expect(await s.app.waitForGridRows(3)).toEqual([
      ['2024-02-01', 'Käse', '1234.5', '2'],
      ['2024-02-02', 'Brot', '2.99', '10'],
      ['2024-02-13', 'Milch', '0.89', '3'],
    ]);
    expect(await columnSummary()).toEqual([
      'Datum | DATE | Date · dd.mm.yyyy | timestamp',
      'Artikel | VARCHAR | Text | none',
      'Preis | DOUBLE | Number · 1.234,5 | none',
      'Menge | BIGINT | Whole number | none',
    ]);
    const total = await s.app.runSql('SELECT sum(Preis * Menge) AS revenue FROM umsatz');
    expect(total.error).toBeNull();
    expect(await s.app.gridCellTexts()).toEqual([['2501.57']]);
    await expectCleanLoad();
  });

  it('the whole session: every table listed, no request off the origin, no console error', async () => {
    expect(await s.app.tableNames()).toEqual([
      'shop_export_orders',
      'shop_export_products',
      'legacy',
      'orders',
      'api',
      'events',
      'payments',
      'products',
      'umsatz',
    ]);
    expect(s.tp.offOriginRequests).toEqual([]);
    expect(s.tp.consoleErrors).toEqual([]);
    expect(s.tp.pageErrors).toEqual([]);
    expect(s.tp.failedRequests).toEqual([]);
    expect(await cspViolations(s.page)).toEqual([]);
  });
});

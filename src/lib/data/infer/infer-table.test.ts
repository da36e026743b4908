import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createNodeDb } from '../../../test/duckdb-node';
import { inferAndConvert } from './infer-table';
import { createStage, dropTyped } from './test-stage';

describe('inferAndConvert', () => {
  let db: Db;
  const token = { cancelled: false };
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  it('types, names the roles of, and converts an orders stage', async () => {
    const n = 120;
    const invoice = Array.from({ length: n }, (_, i) => String(536365 + Math.floor(i / 2)));
    invoice[7] = 'C536368';
    invoice[9] = 'C536369';
    const quantity = Array.from({ length: n }, (_, i) => String((i % 12) + 1));
    quantity[7] = '-2';
    const price = Array.from({ length: n }, (_, i) => `${(i % 9) + 1}.95`);
    price[42] = 'free';
    createStage(db, 'stage', {
      InvoiceNo: invoice,
      StockCode: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? `8512${i % 10}A` : String(21700 + (i % 40)))),
      Description: Array.from({ length: n }, (_, i) => `PRODUCT NUMBER ${i % 40}`),
      Quantity: quantity,
      InvoiceDate: Array.from(
        { length: n },
        (_, i) => `2011-0${(i % 9) + 1}-1${i % 10} 1${i % 10}:${10 + (i % 50)}:00`,
      ),
      UnitPrice: price,
      CustomerID: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'NA' : String(12346 + (i % 30)))),
      Country: Array.from({ length: n }, (_, i) => (i % 3 ? 'United Kingdom' : 'France')),
    });
    dropTyped(db, 'orders');
    const result = await inferAndConvert(db, 'stage', 'orders', { decimalSeparator: '.' }, token);
    expect(result.columns).toEqual([
      { name: 'InvoiceNo', type: 'VARCHAR', role: 'order_id', kind: 'id', format: 'code' },
      { name: 'StockCode', type: 'VARCHAR', role: 'product_id', kind: 'id', format: 'code' },
      { name: 'Description', type: 'VARCHAR', role: 'product_name', kind: 'text' },
      { name: 'Quantity', type: 'BIGINT', role: 'quantity', kind: 'integer' },
      { name: 'InvoiceDate', type: 'TIMESTAMP', role: 'timestamp', kind: 'timestamp', format: 'yyyy-mm-dd hh:mm:ss' },
      { name: 'UnitPrice', type: 'DOUBLE', role: 'unit_price', kind: 'decimal' },
      { name: 'CustomerID', type: 'BIGINT', role: 'customer_id', kind: 'integer' },
      { name: 'Country', type: 'VARCHAR', role: 'country', kind: 'text' },
    ]);
    expect(result.rejects).toBe(1);
    expect(result.warnings).toEqual([
      {
        code: 'type_problems',
        message:
          '1 value in "UnitPrice" did not read as numbers (e.g. "free" in row 43); they are empty in the table and kept in the rejects list.',
        params: { column: 'UnitPrice', count: 1, example: 'free', row: 43 },
      },
    ]);
    expect(db.rows('SELECT * FROM orders__rejects')).toEqual([{ row: 43, column: 'UnitPrice', value: 'free' }]);
    expect(db.scalar('SELECT count(*) FROM orders WHERE CustomerID IS NULL')).toBe(30);
    expect(db.scalar("SELECT count(*) FROM orders WHERE InvoiceNo LIKE 'C%'")).toBe(2);
  });

  it('warns about ambiguous dates and near-numeric text', async () => {
    const amount = Array.from({ length: 100 }, (_, i) => String(i));
    for (const i of [3, 4, 5, 6, 7]) amount[i] = 'call us';
    createStage(db, 'stage', { day: ['1/2/2020', '3/4/2020'].concat(Array(98).fill('5/6/2020') as string[]), amount });
    dropTyped(db, 'typed');
    const result = await inferAndConvert(db, 'stage', 'typed', { decimalSeparator: '.' }, token);
    expect(result.columns.map((c) => [c.kind, c.format])).toEqual([
      ['date', 'm/d/yyyy (ambiguous: assumed month first)'],
      ['text', undefined],
    ]);
    expect(result.warnings.map((w) => [w.code, w.params])).toEqual([
      ['ambiguous_date_format', { column: 'day', format: 'm/d/yyyy (ambiguous: assumed month first)' }],
      ['kept_as_text', { column: 'amount', kind: 'integer', share: 95 }],
    ]);
  });

  it('copies typed stages as they are and maps their types to kinds', async () => {
    db.exec(`CREATE OR REPLACE TABLE typed_stage AS SELECT * FROM (VALUES
      (1::BIGINT, 2.5::DOUBLE, TRUE, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05', 'a', '00123', [1, 2]),
      (2, 3.5, FALSE, DATE '2024-01-03', TIMESTAMP '2024-01-03 03:04:05', 'b', '00456', [3])
    ) t("Order ID", "Price", "Weekend", "Order Date", "Created at", "Country", "zip", "tags")`);
    dropTyped(db, 'typed');
    const result = await inferAndConvert(
      db,
      'typed_stage',
      'typed',
      { decimalSeparator: '.', allVarchar: false },
      token,
    );
    expect(result.columns).toEqual([
      { name: 'Order ID', type: 'BIGINT', role: 'order_id', kind: 'integer' },
      { name: 'Price', type: 'DOUBLE', role: 'unit_price', kind: 'decimal' },
      { name: 'Weekend', type: 'BOOLEAN', role: 'none', kind: 'boolean' },
      { name: 'Order Date', type: 'DATE', role: 'timestamp', kind: 'date' },
      { name: 'Created at', type: 'TIMESTAMP', role: 'none', kind: 'timestamp' },
      { name: 'Country', type: 'VARCHAR', role: 'country', kind: 'text' },
      { name: 'zip', type: 'VARCHAR', role: 'none', kind: 'text' },
      { name: 'tags', type: 'INTEGER[]', role: 'none', kind: 'native' },
    ]);
    expect(result.rejects).toBe(0);
    expect(db.rows('SELECT "zip", "Price" FROM typed')).toEqual([
      { zip: '00123', Price: 2.5 },
      { zip: '00456', Price: 3.5 },
    ]);
  });

  it('leaves nothing behind when cancelled', async () => {
    createStage(db, 'stage', { v: ['1', '2'] });
    dropTyped(db, 'gone');
    await expect(
      inferAndConvert(db, 'stage', 'gone', { decimalSeparator: '.' }, { cancelled: true }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'gone%'")).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnInfo, Finding, ProgressEvent } from '../contracts/data-api';
import type { Db } from '../data/db';
import { createNodeDb } from '../../test/duckdb-node';
import { describeFinding, profileTable } from './profile';

/** `now` for every test: 24 January 2024, noon (wall-clock). */
const NOW = new Date(2024, 0, 24, 12, 0, 0);

function col(name: string, type: string, kind: ColumnInfo['kind'], role: ColumnInfo['role'] = 'none'): ColumnInfo {
  return { name, type, kind, role };
}

/** Ten order lines with one of each problem the report looks for. */
const ORDERS_SQL = `CREATE OR REPLACE TABLE orders AS SELECT * FROM (VALUES
  ('A1', 'P1',   2,  10.0, TIMESTAMP '2024-01-01 10:00:00', 'c1', 'UK',      'x'),
  ('A1', 'P2',   1,   5.0, TIMESTAMP '2024-01-01 10:00:00', 'c1', 'UK',      'x'),
  ('A2', 'P1',   3,  10.0, TIMESTAMP '2024-01-02 09:00:00', 'c2', 'uk',      'x'),
  ('C3', 'P1',  -2,  10.0, TIMESTAMP '2024-01-03 12:00:00', 'c2', 'France',  'x'),
  ('A4', 'P3',   1,   0.0, TIMESTAMP '2024-01-03 13:00:00', NULL, 'France',  'x'),
  ('A5', 'P3', 100,   2.5, TIMESTAMP '2024-01-20 08:00:00', 'c3', 'France',  'x'),
  ('A5', 'P3', 100,   2.5, TIMESTAMP '2024-01-20 08:00:00', 'c3', 'France',  'x'),
  ('A6', 'P4',  -1,   4.0, TIMESTAMP '2024-01-21 08:00:00', NULL, 'Germany', 'x'),
  ('A7', 'P5',   5,  -3.0, TIMESTAMP '2024-01-25 00:00:00', 'c4', NULL,      'x'),
  ('A8', 'P1',   4,  10.0, TIMESTAMP '2024-01-22 00:00:00', 'c5', 'UK ',     'x')
) t(order_id, product, qty, price, ts, customer, country, note)`;

const ORDERS_COLUMNS: ColumnInfo[] = [
  col('order_id', 'VARCHAR', 'id', 'order_id'),
  col('product', 'VARCHAR', 'id', 'product_id'),
  col('qty', 'INTEGER', 'integer', 'quantity'),
  col('price', 'DECIMAL(4,1)', 'decimal', 'unit_price'),
  col('ts', 'TIMESTAMP', 'timestamp', 'timestamp'),
  col('customer', 'VARCHAR', 'text', 'customer_id'),
  col('country', 'VARCHAR', 'text', 'country'),
  col('note', 'VARCHAR', 'text'),
];

describe('profileTable on real DuckDB-WASM', () => {
  let db: Db;
  const token = { cancelled: false };
  beforeAll(async () => {
    db = await createNodeDb();
    db.exec(ORDERS_SQL);
  });
  afterAll(() => db?.bindings.reset());

  const profileOrders = () => profileTable(db, 'orders', ORDERS_COLUMNS, { token, now: NOW });
  const find = (findings: Finding[], code: string, column?: string) =>
    findings.find((f) => f.code === code && (column === undefined || f.column === column));

  it('counts rows, full-row duplicates and order-line key duplicates', async () => {
    const r = await profileOrders();
    expect(r).toMatchObject({ table: 'orders', rows: 10, columns: 8, duplicateRows: 1 });
    expect(r.keyDuplicates).toEqual({ key: ['order_id', 'product'], count: 1 });
    expect(find(r.findings, 'duplicate_rows')).toMatchObject({ count: 1, share: 0.1, dimension: 'uniqueness' });
    expect(find(r.findings, 'duplicate_keys')).toMatchObject({ count: 1, params: { key: 'order id and product id' } });
  });

  it('profiles a numeric column: moments, quartiles, IQR outliers, negatives, whole-number bins', async () => {
    const qty = (await profileOrders()).columnProfiles[2]!;
    const values = [2, 1, 3, -2, 1, 100, 100, -1, 5, 4];
    const mean = 21.3;
    const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / 9);
    expect(qty).toMatchObject({
      name: 'qty',
      role: 'quantity',
      missing: 0,
      missingShare: 0,
      distinct: 8,
      min: -2,
      max: 100,
      quantiles: { p25: 1, p50: 2.5, p75: 4.75 },
      outliers: 2,
      negatives: 2,
      zeros: 0,
      typeProblems: 0,
    });
    expect(qty.mean).toBeCloseTo(mean, 10);
    expect(qty.std).toBeCloseTo(std, 10);
    // 103 whole values → bins of 6: [-2, 4) holds -2, -1, 1, 1, 2, 3.
    expect(qty.histogram).toHaveLength(18);
    expect(qty.histogram![0]).toEqual({ lo: -2, hi: 4, count: 6 });
    expect(qty.histogram![1]).toEqual({ lo: 4, hi: 10, count: 2 });
    expect(qty.histogram![17]).toEqual({ lo: 100, hi: 106, count: 2 });
    expect(qty.histogram!.reduce((s, b) => s + b.count, 0)).toBe(10);
    expect(qty.topValues).toBeUndefined();
  });

  it('bins continuous numbers into 20 equal-width bins ending at the maximum', async () => {
    const price = (await profileOrders()).columnProfiles[3]!;
    expect(price).toMatchObject({
      min: -3,
      max: 10,
      mean: 5.1,
      quantiles: { p25: 2.5, p50: 4.5, p75: 10 },
      outliers: 0,
      negatives: 1,
      zeros: 1,
    });
    expect(price.histogram).toHaveLength(20);
    expect(price.histogram![0]).toEqual({ lo: -3, hi: -2.35, count: 1 });
    expect(price.histogram![19]).toEqual({ lo: 9.35, hi: 10, count: 4 });
    expect(price.histogram!.reduce((s, b) => s + b.count, 0)).toBe(10);
  });

  it('covers dates: range, days without rows and the longest gap', async () => {
    const ts = (await profileOrders()).columnProfiles[4]!;
    expect(ts).toMatchObject({ min: '2024-01-01 10:00:00', max: '2024-01-25 00:00:00', distinct: 8 });
    expect(ts.dateCoverage).toEqual({
      from: '2024-01-01',
      to: '2024-01-25',
      days: 25,
      missingDays: 18,
      largestGapDays: 16,
    });
  });

  it('lists top values of text columns without missing values, most frequent first', async () => {
    const r = await profileOrders();
    expect(r.columnProfiles[6]!.topValues).toEqual([
      { value: 'France', count: 4 },
      { value: 'UK', count: 2 },
      { value: 'Germany', count: 1 },
      { value: 'UK ', count: 1 },
      { value: 'uk', count: 1 },
    ]);
    expect(r.columnProfiles[5]).toMatchObject({ missing: 2, missingShare: 0.2, distinct: 5 });
  });

  it('reports each e-commerce problem as a structured finding', async () => {
    const { findings } = await profileOrders();
    expect(find(findings, 'missing_values', 'customer')).toMatchObject({
      severity: 'problem',
      dimension: 'completeness',
      count: 2,
      share: 0.2,
    });
    expect(find(findings, 'missing_values', 'country')).toMatchObject({ severity: 'warning', count: 1, share: 0.1 });
    expect(find(findings, 'negative_quantity')).toMatchObject({ column: 'qty', count: 2, dimension: 'accuracy' });
    expect(find(findings, 'negative_price')).toMatchObject({ column: 'price', count: 1, severity: 'problem' });
    expect(find(findings, 'zero_price')).toMatchObject({ column: 'price', count: 1 });
    expect(find(findings, 'cancellations')).toMatchObject({ column: 'order_id', count: 1 });
    expect(find(findings, 'future_dates')).toMatchObject({
      column: 'ts',
      count: 1,
      severity: 'problem',
      params: { now: '2024-01-24' },
    });
    expect(find(findings, 'date_gap')).toMatchObject({
      column: 'ts',
      params: { days: 16, from: '2024-01-04', to: '2024-01-19' },
    });
    expect(find(findings, 'inconsistent_labels')).toMatchObject({ column: 'country', count: 2 });
    expect(find(findings, 'constant_column')).toMatchObject({ column: 'note', params: { value: 'x' } });
    expect(find(findings, 'outliers')).toMatchObject({
      column: 'qty',
      count: 2,
      params: { low: -4.625, high: 10.375 },
    });
    expect(find(findings, 'stale_data')).toBeUndefined();
    // Problems first, then warnings, then notes.
    const order = { problem: 0, warning: 1, info: 2 };
    const severities = findings.map((f) => order[f.severity]);
    expect(severities).toEqual([...severities].sort());
  });

  it('scores each dimension by the documented formula', async () => {
    const r = await profileOrders();
    // completeness: (2·2 missing customers + 2·1 missing country) / (10 rows · 15 weight) = 4 %
    // uniqueness:   (1 duplicate row + ½·1 duplicate key) / 10
    // consistency:  no type problems, −5 for the country labels
    // accuracy:     (1 unexplained negative qty + 1 negative price + ½·1 zero price + ⅒·1 mean outliers) / 10
    // timeliness:   1 future row of 10, −5 for a 16-day gap
    expect(r.dimensionScores).toEqual({
      completeness: 96,
      uniqueness: 85,
      consistency: 95,
      accuracy: 74,
      timeliness: 85,
    });
    expect(r.score).toBe(Math.round(0.3 * 96 + 0.2 * 85 + 0.2 * 95 + 0.2 * 74 + 0.1 * 85));
  });

  it('reads type problems and up to five examples from the rejects table', async () => {
    db.exec(`CREATE OR REPLACE TABLE items AS SELECT range + 1 AS n, (range * 2)::DOUBLE AS price FROM range(10)`);
    db.exec(`CREATE OR REPLACE TABLE items__rejects AS SELECT * FROM (VALUES
      (3::BIGINT, 'price', 'two'), (9, 'price', '??'), (1, 'price', 'x'), (4, 'price', 'y'), (5, 'price', 'z'), (7, 'price', 'w'), (2, 'n', 'one')
    ) t(row, "column", value)`);
    const r = await profileTable(
      db,
      'items',
      [col('n', 'BIGINT', 'integer'), col('price', 'DOUBLE', 'decimal', 'unit_price')],
      { token, now: NOW },
    );
    expect(r.columnProfiles[1]).toMatchObject({
      typeProblems: 6,
      typeProblemExamples: [
        { row: 1, value: 'x' },
        { row: 3, value: 'two' },
        { row: 4, value: 'y' },
        { row: 5, value: 'z' },
        { row: 7, value: 'w' },
      ],
    });
    expect(r.columnProfiles[0]).toMatchObject({ typeProblems: 1, typeProblemExamples: [{ row: 2, value: 'one' }] });
    expect(find(r.findings, 'type_problems', 'price')).toMatchObject({
      count: 6,
      share: 0.6,
      dimension: 'consistency',
      params: { kind: 'decimal', example: 'x', row: 1 },
    });
    expect(r.dimensionScores.consistency).toBe(30);
  });

  it('finds empty columns, -1 and 999999 sentinels, and placeholder text', async () => {
    db.exec(`CREATE OR REPLACE TABLE odd AS SELECT * FROM (VALUES
      (NULL::VARCHAR, 10, -1, 'a'), (NULL, 20, 5, 'unknown'), (NULL, 999999, 6, 'b'), (NULL, 30, -1, '?')
    ) t(empty, amount, duration, label)`);
    const r = await profileTable(
      db,
      'odd',
      [
        col('empty', 'VARCHAR', 'text'),
        col('amount', 'INTEGER', 'integer'),
        col('duration', 'INTEGER', 'integer'),
        col('label', 'VARCHAR', 'text'),
      ],
      { token, now: NOW },
    );
    expect(find(r.findings, 'empty_column', 'empty')).toMatchObject({ count: 4, share: 1, severity: 'warning' });
    expect(find(r.findings, 'missing_values', 'empty')).toBeUndefined();
    expect(find(r.findings, 'sentinel_values', 'amount')).toMatchObject({ count: 1, params: { value: 999999 } });
    expect(find(r.findings, 'sentinel_values', 'duration')).toMatchObject({ count: 2, params: { value: -1 } });
    expect(find(r.findings, 'sentinel_values', 'label')).toMatchObject({ count: 2 });
    // Each sentinel counts as missing: (4 + 1 + 2 + 2) / (4 rows · 4 columns).
    expect(r.dimensionScores.completeness).toBeCloseTo(100 * (1 - 9 / 16), 1);
  });

  it('counts NA-like text left in typed sources as missing', async () => {
    db.exec(`CREATE OR REPLACE TABLE raw AS SELECT * FROM (VALUES ('a'), ('NA'), (''), ('n/a'), ('b')) t(v)`);
    const r = await profileTable(db, 'raw', [col('v', 'VARCHAR', 'text')], { token, now: NOW });
    expect(r.columnProfiles[0]).toMatchObject({
      missing: 3,
      distinct: 2,
      topValues: [
        { value: 'a', count: 1 },
        { value: 'b', count: 1 },
      ],
    });
  });

  it('profiles dates, booleans and numeric identifiers for what they are', async () => {
    db.exec(`CREATE OR REPLACE TABLE mixed AS SELECT * FROM (VALUES
      (DATE '2022-12-30', TRUE, 17850), (DATE '2023-01-02', FALSE, 17850), (DATE '2023-01-02', TRUE, 13047)
    ) t(day, flag, customer)`);
    const r = await profileTable(
      db,
      'mixed',
      [
        col('day', 'DATE', 'date', 'timestamp'),
        col('flag', 'BOOLEAN', 'boolean'),
        col('customer', 'INTEGER', 'integer', 'customer_id'),
      ],
      { token, now: NOW },
    );
    const [day, flag, customer] = r.columnProfiles;
    expect(day).toMatchObject({
      min: '2022-12-30',
      max: '2023-01-02',
      dateCoverage: { from: '2022-12-30', to: '2023-01-02', days: 4, missingDays: 2, largestGapDays: 2 },
    });
    expect(flag!.topValues).toEqual([
      { value: 'true', count: 2 },
      { value: 'false', count: 1 },
    ]);
    expect(customer).toMatchObject({
      distinct: 2,
      topValues: [
        { value: '17850', count: 2 },
        { value: '13047', count: 1 },
      ],
    });
    expect(customer!.histogram).toBeUndefined();
    expect(find(r.findings, 'stale_data')).toMatchObject({
      column: 'day',
      params: { latest: '2023-01-02', days: 387 },
    });
    expect(r.keyDuplicates).toBeUndefined();
  });

  it('estimates distinct counts above 100,000 rows and says so', async () => {
    db.exec(`CREATE OR REPLACE TABLE big AS SELECT range AS id, range % 7 AS bucket FROM range(120000)`);
    const r = await profileTable(db, 'big', [col('id', 'BIGINT', 'integer'), col('bucket', 'BIGINT', 'integer')], {
      token,
      now: NOW,
    });
    expect(r.columnProfiles[0]!.distinctApproximate).toBe(true);
    expect(r.columnProfiles[0]!.distinct).toBeGreaterThan(110000);
    expect(r.columnProfiles[0]!.distinct).toBeLessThan(130000);
    expect(r.columnProfiles[1]!.distinct).toBe(7);
  });

  it('handles an empty table', async () => {
    db.exec(`CREATE OR REPLACE TABLE nothing (a INTEGER, b VARCHAR)`);
    const r = await profileTable(db, 'nothing', [col('a', 'INTEGER', 'integer'), col('b', 'VARCHAR', 'text')], {
      token,
      now: NOW,
    });
    expect(r).toMatchObject({ rows: 0, duplicateRows: 0, findings: [] });
    expect(r.columnProfiles[0]).toMatchObject({ missing: 0, missingShare: 0, distinct: 0 });
    expect(r.dimensionScores.completeness).toBe(0);
  });

  it('reports progress per step', async () => {
    const events: ProgressEvent[] = [];
    await profileTable(db, 'orders', ORDERS_COLUMNS, { token, now: NOW, onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.every((e) => e.phase === 'profile' && e.total === 7)).toBe(true);
  });

  it('stops when cancelled, before or during the work', async () => {
    await expect(profileTable(db, 'orders', ORDERS_COLUMNS, { token: { cancelled: true } })).rejects.toMatchObject({
      code: 'cancelled',
    });
    const t = { cancelled: false };
    await expect(
      profileTable(db, 'orders', ORDERS_COLUMNS, {
        token: t,
        onProgress: (e) => {
          if (e.done === 2) t.cancelled = true;
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(db.scalar('SELECT 1 + 1')).toBe(2);
  });

  // Speed is benchmarked (bench/), not asserted: a wall-clock limit fails on a busy CI machine.
  it('profiles 20,000 rows × 8 columns in one pass', async () => {
    db.exec(`CREATE OR REPLACE TABLE lines AS SELECT
      'INV' || (range // 2) AS invoice, 'SKU' || (range % 997) AS sku, 'Product ' || (range % 997) AS name,
      (range % 13) - 1 AS qty, ((range % 500) / 7.0)::DOUBLE AS price,
      TIMESTAMP '2023-01-01' + INTERVAL (range % 365) DAY + INTERVAL (range % 600) MINUTE AS ts,
      CASE WHEN range % 4 = 0 THEN NULL ELSE 'C' || (range % 3000) END AS customer,
      ['UK', 'France', 'Germany', 'Spain'][range % 4 + 1] AS country
      FROM range(20000)`);
    const columns = [
      col('invoice', 'VARCHAR', 'id', 'order_id'),
      col('sku', 'VARCHAR', 'id', 'product_id'),
      col('name', 'VARCHAR', 'text', 'product_name'),
      col('qty', 'BIGINT', 'integer', 'quantity'),
      col('price', 'DOUBLE', 'decimal', 'unit_price'),
      col('ts', 'TIMESTAMP', 'timestamp', 'timestamp'),
      col('customer', 'VARCHAR', 'text', 'customer_id'),
      col('country', 'VARCHAR', 'text', 'country'),
    ];
    const r = await profileTable(db, 'lines', columns, { token, now: NOW });
    expect(r.rows).toBe(20000);
    expect(r.columnProfiles[6]!.missing).toBe(5000);
    expect(find(r.findings, 'negative_quantity')).toMatchObject({ count: Math.ceil(20000 / 13) });
  });
});

describe('describeFinding', () => {
  it('writes the sentence the UI template mirrors', () => {
    const f = (code: string, extra: Partial<Finding> = {}): Finding => ({
      code,
      severity: 'warning',
      dimension: 'accuracy',
      params: {},
      ...extra,
    });
    expect(describeFinding(f('negative_quantity', { column: 'Quantity', count: 412 }))).toBe(
      '412 lines have a negative quantity: returns or cancellations?',
    );
    expect(describeFinding(f('missing_values', { column: 'CustomerID', count: 5078, share: 0.2539 }))).toBe(
      '5,078 values in "CustomerID" are missing (25.4%).',
    );
    expect(describeFinding(f('cancellations', { column: 'InvoiceNo', count: 350, share: 0.0175 }))).toBe(
      '350 lines belong to cancelled orders, whose order id starts with "C" (1.8%).',
    );
    expect(describeFinding(f('duplicate_rows', { count: 1, share: 0.0001 }))).toBe(
      '1 row is an exact copy of another row (0.01%).',
    );
    expect(
      describeFinding(
        f('type_problems', { column: 'Price', count: 2, params: { kind: 'money', example: 'n/a!', row: 18 } }),
      ),
    ).toBe(
      '2 values in "Price" did not read as amounts of money (e.g. "n/a!" in row 18); they are kept in the rejects list.',
    );
    expect(
      describeFinding(
        f('date_gap', { column: 'InvoiceDate', params: { days: 11, from: '2010-12-24', to: '2011-01-03' } }),
      ),
    ).toBe('"InvoiceDate" has no rows for 11 days in a row, from 2010-12-24 to 2011-01-03.');
    expect(describeFinding(f('something_new', { column: 'x', count: 3 }))).toBe('something_new in "x": 3.');
  });
});

/**
 * Inference, roles and the quality report on the shared public datasets (read in place, never
 * copied into the repository). Run with `npx vitest run --config vitest.datasets.config.ts`;
 * the folder is `$SHOPSIGHT_DATASETS` or `../shared/datasets`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnInfo, ColumnProfile, QualityReport } from '../contracts/data-api';
import type { Db } from '../data/db';
import { DATASETS_DIR, createNodeDb } from '../../test/duckdb-node';
import { inferAndConvert, type InferAndConvertResult } from '../data/infer/infer-table';
import { describeFinding, profileTable } from './profile';
import { sqlLiteral } from './ident';

const FILES = {
  retail: 'online_retail_sample_20k.csv',
  superstore: 'superstore_orders_train.csv',
  shoppers: 'online_shoppers_intention.csv',
  bakery: 'bakery_transactions.csv',
  reviews: 'womens_clothing_ecommerce_reviews.csv.gz',
  chinese: 'online_shopping_10_cats_dev15.csv',
} as const;

const missingFiles = Object.values(FILES).filter((f) => !existsSync(path.join(DATASETS_DIR, f)));
const suite = missingFiles.length === 0 ? describe : describe.skip;
if (missingFiles.length > 0) {
  console.warn(
    `[profile.datasets] SKIPPED: ${missingFiles.join(', ')} not found in ${DATASETS_DIR}. ` +
      'Set $SHOPSIGHT_DATASETS to the folder holding the shared public datasets.',
  );
}

/** "Now" for the reports, so that staleness is stable. */
const NOW = new Date(2026, 0, 1);

interface Loaded {
  result: InferAndConvertResult;
  report: QualityReport;
  column(name: string): ColumnInfo;
  profile(name: string): ColumnProfile;
}

suite('the shared public datasets, loaded as text like CSV ingest does', () => {
  let db: Db;
  const token = { cancelled: false };
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  async function load(file: string, table: string): Promise<Loaded> {
    const started = performance.now();
    const source = sqlLiteral(path.join(DATASETS_DIR, file));
    db.exec(`CREATE OR REPLACE TABLE stage AS SELECT * FROM read_csv(${source}, all_varchar = true)`);
    const result = await inferAndConvert(db, 'stage', table, { decimalSeparator: '.' }, token);
    const typed = performance.now();
    const report = await profileTable(db, table, result.columns, { token, now: NOW });
    console.info(
      `[profile.datasets] ${file}: ${report.rows} rows × ${report.columns} columns; ` +
        `infer+convert ${Math.round(typed - started)} ms, profile ${report.elapsedMs} ms; score ${report.score}\n` +
        report.findings.map((f) => `  - ${f.severity}: ${describeFinding(f)}`).join('\n'),
    );
    return {
      result,
      report,
      column: (name) => result.columns.find((c) => c.name === name)!,
      profile: (name) => report.columnProfiles.find((p) => p.name === name)!,
    };
  }

  describe('UCI Online Retail, 20k-row sample', () => {
    let d: Loaded;
    beforeAll(async () => {
      d = await load(FILES.retail, 'retail');
    });

    it('has 20,000 rows', () => {
      expect(d.report.rows).toBe(20000);
    });

    it('guesses every role', () => {
      expect(Object.fromEntries(d.result.columns.map((c) => [c.name, c.role]))).toEqual({
        InvoiceNo: 'order_id',
        StockCode: 'product_id',
        Description: 'product_name',
        Quantity: 'quantity',
        InvoiceDate: 'timestamp',
        UnitPrice: 'unit_price',
        CustomerID: 'customer_id',
        Country: 'country',
      });
      expect(d.column('Quantity')).toMatchObject({ type: 'BIGINT', kind: 'integer' });
      expect(d.column('UnitPrice')).toMatchObject({ type: 'DOUBLE', kind: 'decimal' });
      expect(d.column('InvoiceNo')).toMatchObject({ type: 'VARCHAR', kind: 'id' });
      expect(d.result.rejects).toBe(0);
    });

    it('counts the NA customer ids as missing (5,078 rows, about 25 %)', () => {
      // The README's "3,050 customers" counts NA as one of them.
      expect(d.profile('CustomerID')).toMatchObject({ missing: 5078, distinct: 3049 });
      expect(d.profile('CustomerID').missingShare).toBeCloseTo(0.25, 2);
      expect(d.report.findings.find((f) => f.code === 'missing_values' && f.column === 'CustomerID')).toMatchObject({
        severity: 'problem',
        count: 5078,
      });
    });

    it('finds the 350 cancellations and the negative quantities', () => {
      expect(d.report.findings.find((f) => f.code === 'cancellations')).toMatchObject({
        column: 'InvoiceNo',
        count: 350,
      });
      expect(d.profile('InvoiceNo').distinct).toBe(9362);
      const negatives = d.profile('Quantity').negatives!;
      expect(negatives).toBeGreaterThanOrEqual(350);
      expect(d.report.findings.find((f) => f.code === 'negative_quantity')).toMatchObject({
        column: 'Quantity',
        count: negatives,
      });
    });

    it('covers 2010-12-01 to 2011-12-09', () => {
      expect(d.column('InvoiceDate')).toMatchObject({ type: 'TIMESTAMP', kind: 'timestamp' });
      expect(d.profile('InvoiceDate').dateCoverage).toMatchObject({ from: '2010-12-01', to: '2011-12-09', days: 374 });
    });

    it('reports how long the profile took (timed by bench/, not asserted here)', () => {
      expect(d.report.elapsedMs).toBeGreaterThan(0);
      console.info(`[profile.datasets] Online Retail 20k × 8 profiled in ${Math.round(d.report.elapsedMs)} ms`);
    });
  });

  describe('Superstore orders (train part)', () => {
    let d: Loaded;
    beforeAll(async () => {
      d = await load(FILES.superstore, 'superstore');
    });

    it('keeps postal codes as text, with the leading zero of 05408', () => {
      expect(d.column('Postal Code')).toMatchObject({ type: 'VARCHAR', kind: 'id' });
      expect(db.scalar(`SELECT count(*) FROM superstore WHERE "Postal Code" = '05408'`)).toBe(10);
    });

    it('reads the m/d/yyyy order and ship dates as dates', () => {
      expect(d.column('Order Date')).toMatchObject({
        type: 'DATE',
        kind: 'date',
        format: 'm/d/yyyy',
        role: 'timestamp',
      });
      expect(d.column('Ship Date')).toMatchObject({ type: 'DATE', kind: 'date', role: 'none' });
      expect(d.profile('Order Date').dateCoverage).toMatchObject({ from: '2014-01-03', to: '2017-10-01' });
    });

    it('guesses the roles', () => {
      const roles = Object.fromEntries(d.result.columns.filter((c) => c.role !== 'none').map((c) => [c.name, c.role]));
      expect(roles).toEqual({
        'Order ID': 'order_id',
        'Order Date': 'timestamp',
        'Customer ID': 'customer_id',
        Country: 'country',
        'Product ID': 'product_id',
        Category: 'category',
        'Product Name': 'product_name',
        Sales: 'line_amount',
        Quantity: 'quantity',
      });
    });

    it('has no missing values, no type problems and a constant country', () => {
      expect(d.report.rows).toBe(8787);
      expect(d.report.columnProfiles.every((p) => p.missing === 0 && p.typeProblems === 0)).toBe(true);
      expect(d.report.findings.find((f) => f.code === 'constant_column')).toMatchObject({
        column: 'Country',
        params: { value: 'United States' },
      });
      expect(d.report.findings.find((f) => f.code === 'cancellations')).toBeUndefined();
    });
  });

  describe('Online shoppers purchasing intention', () => {
    let d: Loaded;
    beforeAll(async () => {
      d = await load(FILES.shoppers, 'shoppers');
    });

    it('reads Revenue and Weekend as booleans, not amounts', () => {
      for (const name of ['Revenue', 'Weekend']) {
        expect(d.column(name)).toMatchObject({ type: 'BOOLEAN', kind: 'boolean', role: 'none' });
      }
      expect(d.profile('Revenue').topValues).toEqual([
        { value: 'false', count: 10422 },
        { value: 'true', count: 1908 },
      ]);
    });

    it('has no missing values', () => {
      expect(d.report.rows).toBe(12330);
      expect(d.report.columnProfiles.every((p) => p.missing === 0)).toBe(true);
      expect(d.report.dimensionScores.completeness).toBe(100);
      expect(d.result.rejects).toBe(0);
    });
  });

  describe('the other datasets', () => {
    it('bakery: day-first dates and baskets', async () => {
      const d = await load(FILES.bakery, 'bakery');
      expect(d.column('Date')).toMatchObject({ kind: 'date', format: 'dd-mm-yyyy', role: 'timestamp' });
      expect(d.column('Transaction')).toMatchObject({ kind: 'integer', role: 'order_id' });
      expect(d.column('Item')).toMatchObject({ kind: 'text', role: 'product_name' });
      expect(d.profile('Date').dateCoverage).toMatchObject({ from: '2016-10-30', to: '2017-04-09' });
    });

    it("women's clothing reviews: ratings and review text", async () => {
      const d = await load(FILES.reviews, 'reviews');
      expect(d.report.rows).toBe(23486);
      expect(d.column('Rating')).toMatchObject({ kind: 'integer', role: 'rating' });
      expect(d.column('Review Text')).toMatchObject({ kind: 'text', role: 'review_text' });
      expect(d.column('Recommended IND')).toMatchObject({ kind: 'boolean' });
      expect(d.profile('Review Text').missing).toBe(845);
      expect(d.profile('Rating').histogram).toEqual([
        { lo: 1, hi: 2, count: 842 },
        { lo: 2, hi: 3, count: 1565 },
        { lo: 3, hi: 4, count: 2871 },
        { lo: 4, hi: 5, count: 5077 },
        { lo: 5, hi: 6, count: 13131 },
      ]);
    });

    it('Chinese reviews: category and review text', async () => {
      const d = await load(FILES.chinese, 'chinese');
      expect(d.column('cat')).toMatchObject({ kind: 'text', role: 'category' });
      expect(d.column('review')).toMatchObject({ kind: 'text', role: 'review_text' });
      expect(d.profile('cat').topValues).toHaveLength(10);
    });
  });
});

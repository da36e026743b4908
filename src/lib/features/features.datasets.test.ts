/**
 * The feature builders on the shared public datasets (read in place, never copied into the
 * repository), cross-checked against direct queries. Run with
 * `npx vitest run --config vitest.datasets.config.ts src/lib/features`; the folder is
 * `$SHOPSIGHT_DATASETS` or `../shared/datasets`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db';
import { DATASETS_DIR, createNodeDb } from '../../test/duckdb-node';
import { sqlLiteral } from '../sql/ident';
import { RFM_SEGMENTS, buildCustomerTable, type CustomerTableSummary } from './customers';
import { buildLabels, type LabelSummary } from './labels';
import { buildProductTable } from './products';
import type { OrderRoles } from './roles';
import { buildSalesSeries, detectFrequency } from './series';

const FILES = {
  retail: 'online_retail_sample_20k.csv',
  superstore: 'superstore_orders_train.csv',
  daily: 'superstore_daily_sales_train.csv',
} as const;

const missingFiles = Object.values(FILES).filter((f) => !existsSync(path.join(DATASETS_DIR, f)));
const suite = missingFiles.length === 0 ? describe : describe.skip;
if (missingFiles.length > 0) {
  console.warn(
    `[features.datasets] SKIPPED: ${missingFiles.join(', ')} not found in ${DATASETS_DIR}. ` +
      'Set $SHOPSIGHT_DATASETS to the folder holding the shared public datasets.',
  );
}

const RETAIL: OrderRoles = {
  order_id: 'InvoiceNo',
  customer_id: 'CustomerID',
  timestamp: 'InvoiceDate',
  product_id: 'StockCode',
  product_name: 'Description',
  quantity: 'Quantity',
  unit_price: 'UnitPrice',
};
const CUTOFF = '2011-09-01';

suite('feature tables on the shared public datasets', () => {
  let db: Db;
  const token = { cancelled: false };
  const n = (sql: string): number => Number(db.scalar(sql));
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    console.info(`[features.datasets] ${label}: ${Math.round(performance.now() - started)} ms`);
    return result;
  };

  beforeAll(async () => {
    db = await createNodeDb();
    const csv = (f: string): string => sqlLiteral(path.join(DATASETS_DIR, f));
    db.exec(`CREATE TABLE retail AS SELECT * FROM read_csv(${csv(FILES.retail)}, nullstr = 'NA')`);
    db.exec(`CREATE TABLE superstore AS SELECT * FROM read_csv(${csv(FILES.superstore)})`);
    db.exec(`CREATE TABLE daily AS SELECT * FROM read_csv(${csv(FILES.daily)})`);
  });
  afterAll(() => db?.bindings.reset());

  describe('UCI Online Retail, 20k-row sample', () => {
    let customers: CustomerTableSummary;
    let labels: LabelSummary;
    const before = `InvoiceDate < TIMESTAMP '${CUTOFF}'`;
    /** Direct rule for a purchase line: not a C-invoice, no negative quantity or amount. */
    const sale = `NOT regexp_full_match(InvoiceNo, 'C[0-9]+') AND Quantity >= 0 AND Quantity * UnitPrice >= 0`;

    beforeAll(async () => {
      customers = await timed('customers', () =>
        buildCustomerTable(db, { table: 'retail', roles: RETAIL, cutoff: CUTOFF, into: 'retail_customers' }, token),
      );
      labels = await timed('labels', () =>
        buildLabels(
          db,
          {
            table: 'retail',
            roles: RETAIL,
            cutoff: CUTOFF,
            horizonDays: 90,
            kind: 'buys_again',
            into: 'retail_labels',
          },
          token,
        ),
      );
      console.info(
        `[features.datasets] retail customers ${JSON.stringify(customers)}; labels ${JSON.stringify(labels)}`,
      );
    });

    it('parses InvoiceDate as a timestamp and NA as a missing customer', () => {
      const types = new Map(db.rows('DESCRIBE retail').map((r) => [r.column_name, r.column_type]));
      expect(types.get('InvoiceDate')).toBe('TIMESTAMP');
      expect(types.get('CustomerID')).not.toBe('VARCHAR');
      expect(n('SELECT count(*) FROM retail')).toBe(20000);
      expect(n('SELECT count(*) FROM retail WHERE CustomerID IS NULL')).toBe(5078);
      expect(n(`SELECT count(*) FROM retail WHERE starts_with(InvoiceNo, 'C')`)).toBe(350);
      expect(db.scalar('SELECT CAST(min(InvoiceDate) AS DATE) FROM retail')).toBe('2010-12-01');
    });

    it('has one row per known customer before the cutoff, with the anonymous lines counted', () => {
      expect(customers.cutoff).toBe(CUTOFF);
      expect(customers.rows).toBe(n(`SELECT count(DISTINCT CustomerID) FROM retail WHERE ${before}`));
      expect(customers.excludedNullCustomers).toBe(
        n(`SELECT count(*) FROM retail WHERE ${before} AND CustomerID IS NULL`),
      );
      expect(customers.rows).toBeGreaterThan(1500);
    });

    it('agrees with direct counts of orders, spend and returns', () => {
      const direct = db.rows(`SELECT count(DISTINCT (CustomerID, InvoiceNo)) FILTER (WHERE ${sale}) AS orders,
          sum(Quantity * UnitPrice) FILTER (WHERE ${sale}) AS spend, count(*) FILTER (WHERE NOT (${sale})) AS returns
        FROM retail WHERE ${before} AND CustomerID IS NOT NULL`)[0]!;
      const built = db.rows(`SELECT sum(frequency) AS orders, sum(monetary_total) AS spend,
          sum(return_share * (SELECT count(*) FROM retail r WHERE r.CustomerID = c.customer_id AND r.${before})) AS returns
        FROM retail_customers c`)[0]!;
      expect(built.orders).toBe(direct.orders);
      expect(built.spend as number).toBeCloseTo(direct.spend as number, 4);
      expect(Math.round(built.returns as number)).toBe(direct.returns);
      // Invoice numbers belong to one customer, so the plain distinct count agrees too.
      expect(built.orders).toBe(
        n(`SELECT count(DISTINCT InvoiceNo) FROM retail WHERE ${before} AND CustomerID IS NOT NULL AND ${sale}`),
      );
    });

    it('has sane RFM scores and segments', () => {
      const stats = db.rows(`SELECT min(recency_days) AS rmin, max(recency_days) AS rmax,
          min(r_score) AS lo, max(greatest(r_score, f_score, m_score)) AS hi, min(least(f_score, m_score)) AS lo2,
          count(DISTINCT r_score) AS r_levels, count(DISTINCT m_score) AS m_levels,
          count(*) FILTER (WHERE frequency = 1 AND mean_days_between_orders IS NOT NULL) AS bad_gaps,
          count(*) FILTER (WHERE preferred_weekday NOT BETWEEN 1 AND 7 OR preferred_hour NOT BETWEEN 0 AND 23) AS bad_habits
        FROM retail_customers`)[0]!;
      expect(stats).toMatchObject({ lo: 1, lo2: 1, hi: 5, r_levels: 5, m_levels: 5, bad_gaps: 0, bad_habits: 0 });
      expect(stats.rmin).toBeGreaterThanOrEqual(1);
      expect(stats.rmax).toBeLessThanOrEqual(274); // 2010-12-01 → 2011-09-01
      const segments = db.rows(`SELECT rfm_segment AS s, count(*) AS n, avg(recency_days) AS rec, avg(frequency) AS f
        FROM retail_customers GROUP BY 1`);
      for (const s of segments) expect(RFM_SEGMENTS).toContain(s.s);
      expect(segments.reduce((sum, s) => sum + (s.n as number), 0)).toBe(customers.rows);
      const seg = (name: string) => segments.find((s) => s.s === name)!;
      expect(seg('Champions').rec as number).toBeLessThan(seg('Hibernating').rec as number);
      expect(seg('Champions').f as number).toBeGreaterThan(seg('Lost').f as number);
      console.info(`[features.datasets] segments ${segments.map((s) => `${s.s} ${s.n}`).join(', ')}`);
    });

    it('labels 90-day repeat buyers exactly like a direct query', () => {
      expect(labels.rows).toBe(customers.rows);
      expect(labels.windowEnd).toBe('2011-11-30');
      expect(labels.warnings).toEqual([]);
      const direct = n(`SELECT count(DISTINCT CustomerID) FROM retail
        WHERE InvoiceDate >= TIMESTAMP '${CUTOFF}' AND InvoiceDate < TIMESTAMP '${CUTOFF}' + INTERVAL 90 DAY AND ${sale}
          AND CustomerID IN (SELECT CustomerID FROM retail WHERE ${before})`);
      expect(labels.positives).toBe(direct);
      expect(labels.share).toBeGreaterThan(0.2);
      expect(labels.share).toBeLessThan(0.8);
      // Features are the customer table, column for column.
      expect(
        n('SELECT count(*) FROM (SELECT * EXCLUDE (label) FROM retail_labels EXCEPT SELECT * FROM retail_customers)'),
      ).toBe(0);
    });

    it('builds a product table whose units match the sales', async () => {
      const p = await timed('products', () =>
        buildProductTable(db, { table: 'retail', roles: RETAIL, into: 'retail_products' }, token),
      );
      expect(p.rows).toBe(n('SELECT count(DISTINCT StockCode) FROM retail'));
      expect(n('SELECT sum(units) FROM retail_products')).toBe(n(`SELECT sum(Quantity) FROM retail WHERE ${sale}`));
      expect(n('SELECT count(*) FROM retail_products WHERE repeat_buyer_share NOT BETWEEN 0 AND 1')).toBe(0);
    });
  });

  describe('Superstore orders (train part)', () => {
    const roles: OrderRoles = {
      order_id: 'Order ID',
      customer_id: 'Customer ID',
      timestamp: 'Order Date',
      product_id: 'Product ID',
      category: 'Category',
      quantity: 'Quantity',
      line_amount: 'Sales',
    };

    it('does not take CA- orders for cancellations', async () => {
      const s = await timed('superstore customers', () =>
        buildCustomerTable(db, { table: 'superstore', roles, into: 'ss_customers' }, token),
      );
      expect(s.cutoff).toBe('2017-10-02');
      expect(n('SELECT sum(frequency) FROM ss_customers')).toBe(n('SELECT count(DISTINCT "Order ID") FROM superstore'));
      expect(n('SELECT max(return_share) FROM ss_customers')).toBe(0);
      const cols = db.rows('DESCRIBE ss_customers').map((r) => r.column_name);
      expect(cols).not.toContain('preferred_hour'); // dates without times
    });

    it('builds a gap-free monthly series by category that sums to the sales', async () => {
      const s = await timed('superstore series', () =>
        buildSalesSeries(
          db,
          { table: 'superstore', roles, freq: 'month', by: 'category', measure: 'revenue', into: 'ss_monthly' },
          token,
        ),
      );
      expect(s).toMatchObject({ periods: 46, groups: 3, rows: 138, from: '2014-01-01', to: '2017-10-01' });
      expect(n('SELECT sum(value) FROM ss_monthly')).toBeCloseTo(n('SELECT sum(Sales) FROM superstore'), 4);
      expect(await detectFrequency(db, 'daily', 'date', token)).toEqual({ freq: 'day', medianGapDays: 1 });
      expect((await detectFrequency(db, 'ss_monthly', 'period', token)).freq).toBe('month');
    });
  });
});

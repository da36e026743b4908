/**
 * The segments and anomalies services on real shop data, end to end on the Node DuckDB engine:
 * the UCI Online Retail 20k sample (order lines with cancellations) and the Superstore orders
 * (US, with a discount rate per line). Run with
 * `SHOPSIGHT_DATASETS=/work/shared/datasets npx vitest run --config vitest.datasets.config.ts src/lib/ml/services/segments`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { MlContext } from './context';
import { createSegmentsApi } from './segments-service';

const RETAIL = path.join(DATASETS_DIR, 'online_retail_sample_20k.csv');
const STORE = path.join(DATASETS_DIR, 'superstore_orders_train.csv');
const present = existsSync(RETAIL) && existsSync(STORE);
const suite = present ? describe : describe.skip;
if (!present)
  console.warn(`[segments-service.datasets] SKIPPED: datasets not found in ${DATASETS_DIR} (set $SHOPSIGHT_DATASETS).`);

suite('segments and anomalies on real shop data', () => {
  let db: Db;
  let engine: DataEngine;
  let api: ReturnType<typeof createSegmentsApi>;
  let job = 0;
  const id = () => `ds-${++job}`;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile(id(), readFileSync(RETAIL, 'utf8'), 'retail.csv', {});
    await engine.loadFile(id(), readFileSync(STORE, 'utf8'), 'store.csv', {});
    api = createSegmentsApi(new MlContext(engineFrameSource(engine)));
  });
  afterAll(() => db?.bindings.reset());

  it('Online Retail: named segments with profiles and explained unusual orders', async () => {
    await engine.buildCustomers(id(), { table: 'retail' });
    const seg = await api.segment(id(), { table: 'retail_customers', kRange: [2, 8], seed: 0 });
    console.log(
      `[retail] ${seg.rows} customers, k=${seg.k} (silhouette ${seg.scores.find((s) => s.k === seg.k)!.silhouette.toFixed(3)}),`,
      seg.profiles
        .map(
          (p) =>
            `#${p.segment} ${(p.share * 100).toFixed(1)}% cust ${(p.revenueShare! * 100).toFixed(1)}% rev ${p.action}`,
        )
        .join(' | '),
    );
    expect(seg.rows).toBeGreaterThan(2500);
    expect(seg.profiles.reduce((s, p) => s + p.revenueShare!, 0)).toBeCloseTo(1, 9);
    // The most valuable segment (number 1) holds a larger share of revenue than of customers.
    expect(seg.profiles[0]!.revenueShare!).toBeGreaterThan(seg.profiles[0]!.share);
    expect(seg.rfm!.map((r) => r.segment)).toContain('Champions');
    // The sample has no category column: the top products (Description, the product_name role).
    expect(seg.categorySource).toEqual({ table: 'retail', column: 'Description', kind: 'product_name' });
    console.log(
      `[retail] top products:`,
      seg.profiles
        .map(
          (p) =>
            `#${p.segment} ${p.topCategories!.map((c) => `${c.name} ${(c.revenueShare * 100).toFixed(1)}%`).join(', ')}`,
        )
        .join(' | '),
    );
    for (const p of seg.profiles) {
      expect(p.topCategories).toHaveLength(3);
      const shares = p.topCategories!.map((c) => c.revenueShare);
      expect(shares.every((v) => v > 0 && v < 1)).toBe(true);
      expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    }

    const an = await api.anomalies(id(), { table: 'retail', method: 'both', contamination: 0.01 });
    console.log(
      `[retail] ${an.flaggedCount} of ${an.rows} orders flagged; top:`,
      an.flagged
        .slice(0, 3)
        .map((f) => `${f.key} ${f.reasons.map((r) => `${r.feature} z=${r.z.toFixed(1)}`).join(', ')}`),
    );
    expect(an.level).toBe('order');
    expect(an.features).toEqual(['order_value', 'items', 'lines', 'refund_share', 'hour']);
    expect(an.flaggedCount).toBeGreaterThan(0);
    expect(an.flaggedCount).toBeLessThanOrEqual(Math.ceil(0.01 * an.rows));
    for (const f of an.flagged) expect(Math.abs(f.reasons[0]!.z)).toBeGreaterThanOrEqual(3.5);
  });

  it('Superstore: per-order discount share from the discount rate, and segments of its customers', async () => {
    const info = await engine.describe('store');
    const roles = Object.fromEntries(info.columns.map((c) => [c.name, c.role]));
    // Set the roles a shop owner would set where loading did not guess them.
    const want: Record<string, 'order_id' | 'customer_id' | 'timestamp' | 'line_amount' | 'quantity' | 'product_id'> = {
      'Order ID': 'order_id',
      'Customer ID': 'customer_id',
      'Order Date': 'timestamp',
      Sales: 'line_amount',
      Quantity: 'quantity',
      'Product ID': 'product_id',
    };
    for (const [column, role] of Object.entries(want))
      if (roles[column] !== role) await engine.setColumnRole('store', column, role);
    for (const c of (await engine.describe('store')).columns)
      if (c.role === 'timestamp' && c.name !== 'Order Date') await engine.setColumnRole('store', c.name, 'none');

    const an = await api.anomalies(id(), { table: 'store', method: 'both', contamination: 0.01, seed: 3 });
    expect(an.level).toBe('order');
    expect(an.features).toEqual(['order_value', 'items', 'lines', 'refund_share', 'discount_share']);
    const stored = db.rows(
      `SELECT max(discount_share) AS hi, min(discount_share) AS lo, count(*)::INTEGER AS n FROM store_anomalies`,
    )[0]!;
    expect(Number(stored.lo)).toBe(0);
    expect(Number(stored.hi)).toBeLessThan(1);
    expect(Number(stored.hi)).toBeGreaterThan(0.5);
    // 80 % off (Superstore's deepest discount) → the order's discount share is 0.8.
    const deep = db.rows(
      `SELECT "Order ID" AS o FROM store GROUP BY 1 HAVING min("Discount") = 0.8 AND max("Discount") = 0.8 LIMIT 1`,
    )[0];
    if (deep) {
      const share = db.rows(
        `SELECT discount_share AS s FROM store_anomalies WHERE "Order ID" = '${String(deep.o)}'`,
      )[0]!;
      expect(Number(share.s)).toBeCloseTo(0.8, 9);
    }
    console.log(
      `[store] ${an.flaggedCount} of ${an.rows} orders flagged; top:`,
      an.flagged
        .slice(0, 3)
        .map((f) => `${f.key} ${f.reasons.map((r) => `${r.feature} z=${r.z.toFixed(1)}`).join(', ')}`),
    );

    await engine.buildCustomers(id(), { table: 'store' });
    const seg = await api.segment(id(), { table: 'store_customers', kRange: [2, 6], seed: 0 });
    console.log(`[store] ${seg.rows} customers, k=${seg.k}, elbow ${seg.elbowK}`);
    expect(seg.rows).toBeGreaterThan(700);
    expect(seg.profiles.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 12);
    // Superstore has Category (3 values) and Sub-Category (17): the category role by default, or a named column.
    const catInfo = await engine.describe('store');
    if (catInfo.columns.find((c) => c.name === 'Category')!.role !== 'category')
      await engine.setColumnRole('store', 'Category', 'category');
    const byCategory = await api.segment(id(), { table: 'store_customers', kRange: [2, 6], seed: 0, into: 'sc1' });
    expect(byCategory.categorySource).toMatchObject({ table: 'store', kind: 'category' });
    const bySub = await api.segment(id(), {
      table: 'store_customers',
      kRange: [2, 6],
      seed: 0,
      into: 'sc2',
      category: 'Sub-Category',
    });
    expect(bySub.categorySource).toMatchObject({ table: 'store', column: 'Sub-Category' });
    console.log(
      `[store] top categories (${byCategory.categorySource!.column}):`,
      byCategory.profiles
        .map(
          (p) =>
            `#${p.segment} ${p.topCategories!.map((c) => `${c.name} ${(c.revenueShare * 100).toFixed(1)}%`).join(', ')}`,
        )
        .join(' | '),
      `\n[store] top sub-categories:`,
      bySub.profiles
        .map(
          (p) =>
            `#${p.segment} ${p.topCategories!.map((c) => `${c.name} ${(c.revenueShare * 100).toFixed(1)}%`).join(', ')}`,
        )
        .join(' | '),
    );
    const names = ['Furniture', 'Office Supplies', 'Technology'];
    for (const p of byCategory.profiles) {
      expect(p.topCategories!.map((c) => c.name).every((n) => names.includes(n))).toBe(true);
      // Three categories in all: their shares of the segment's sales add up to 1.
      expect(p.topCategories!.reduce((t, c) => t + c.revenueShare, 0)).toBeCloseTo(1, 9);
    }
    // The same numbers straight from DuckDB for segment 1.
    const one = db.rows(
      `SELECT s."Sub-Category" AS c, sum(s.Sales) / (SELECT sum(x.Sales) FROM store x JOIN sc2 g ON g.customer_id = x."Customer ID" WHERE g.segment = 1) AS share
       FROM store s JOIN sc2 g ON g.customer_id = s."Customer ID" WHERE g.segment = 1 GROUP BY 1 ORDER BY 2 DESC LIMIT 3`,
    );
    expect(bySub.profiles[0]!.topCategories!.map((c) => c.name)).toEqual(one.map((r) => r.c));
    bySub.profiles[0]!.topCategories!.forEach((c, i) => expect(c.revenueShare).toBeCloseTo(Number(one[i]!.share), 9));
  });
});

/**
 * The segments and anomalies services end to end on the real DuckDB engine (Node build):
 * order lines → customer table (the Prepare builder) → k-means segments written as a table;
 * order lines → per-order anomalies with explanations. Data are generated with a seeded PRNG
 * so the groups are known: 3 customer groups (frequent big spenders, regular, lapsed one-off
 * buyers) and a few planted unusual orders.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { createRng } from '../segment/prng';
import { MlContext } from './context';
import { createSegmentsApi, defaultSegmentFeatures } from './segments-service';

/** Order lines of 150 customers in three behaviour groups, plus 3 planted odd orders. */
function orderLines(): string {
  const rng = createRng(42);
  const lines = ['InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  let invoice = 10000;
  const day = (d: number, hour: number) => {
    const t = new Date(Date.UTC(2024, 0, 1) + d * 86_400_000 + hour * 3_600_000);
    return t.toISOString().slice(0, 16).replace('T', ' ');
  };
  for (let c = 0; c < 150; c++) {
    const group = c % 3;
    const orders = group === 0 ? 12 + Math.floor(rng() * 6) : group === 1 ? 4 + Math.floor(rng() * 3) : 1;
    for (let o = 0; o < orders; o++) {
      const d = group === 2 ? 10 + Math.floor(rng() * 40) : 200 + Math.floor(rng() * 160);
      const price = group === 0 ? 40 + rng() * 20 : 8 + rng() * 6;
      const n = 1 + Math.floor(rng() * 3);
      const inv = invoice++;
      for (let l = 0; l < n; l++)
        lines.push(
          `${inv},P${Math.floor(rng() * 30)},${1 + Math.floor(rng() * 3)},${day(d, 9 + Math.floor(rng() * 8))},${price.toFixed(2)},K${c},UK`,
        );
    }
  }
  // Planted: a huge order, a midnight order, a cancellation.
  lines.push(`90001,P1,400,${day(300, 11)},55.00,K1,UK`);
  lines.push(`90002,P2,2,${day(301, 0)},9.00,K4,UK`, `90002,P3,1,${day(301, 0)},9.00,K4,UK`);
  lines.push(`C90003,P4,-5,${day(302, 12)},12.00,K7,UK`);
  return lines.join('\n');
}

describe('segments service on the real engine', () => {
  let db: Db;
  let engine: DataEngine;
  let context: MlContext;
  let job = 0;
  const nextJob = () => `seg-${++job}`;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile(nextJob(), orderLines(), 'lines.csv', {});
    await engine.buildCustomers(nextJob(), { table: 'lines', cutoff: '2025-01-01' });
    context = new MlContext(engineFrameSource(engine));
  }, 60_000);
  afterAll(() => db?.bindings.reset());

  it('segments the customer table, writes customer → segment, profiles sum to 100 %', async () => {
    const api = createSegmentsApi(context);
    const events: string[] = [];
    const result = await api.segment(nextJob(), { table: 'lines_customers', kRange: [2, 6], seed: 3 }, (p) =>
      events.push(p.phase),
    );
    expect(result.features).toEqual(['recency_days', 'frequency', 'monetary_total']);
    expect(result.rows).toBe(150);
    expect(result.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    // Inertia falls with k; three planted groups → best silhouette at k = 3.
    for (let i = 1; i < result.scores.length; i++)
      expect(result.scores[i]!.inertia).toBeLessThan(result.scores[i - 1]!.inertia);
    expect(result.k).toBe(3);
    expect(result.chosenBy).toBe('silhouette');
    const shares = result.profiles.reduce((s, p) => s + p.share, 0);
    const revenue = result.profiles.reduce((s, p) => s + (p.revenueShare ?? 0), 0);
    expect(shares).toBeCloseTo(1, 12);
    expect(revenue).toBeCloseTo(1, 12);
    // The groups have 50 customers each; the planted huge order moves K1 to the big spenders.
    expect(result.profiles.map((p) => p.size)).toEqual([51, 49, 50]);
    // Segment 1 = highest mean spend = the frequent big spenders, and they get the champions action.
    expect(result.profiles[0]!.segment).toBe(1);
    expect(result.profiles[0]!.action).toBe('reward_champions');
    expect(result.profiles[2]!.means.recency_days).toBeGreaterThan(result.profiles[0]!.means.recency_days! * 2);
    expect(['win_back_valuable', 'reactivate_or_let_go']).toContain(result.profiles[2]!.action);
    expect(result.rfm?.reduce((s, r) => s + r.customers, 0)).toBe(150);
    expect(result.points.x).toHaveLength(150);
    expect(events).toContain('train');
    expect(events).toContain('write');

    expect(result.table).toMatchObject({ name: 'lines_customers_segments', rows: 150, derived: { kind: 'segments' } });
    const rows = db.rows(
      `SELECT segment, count(*)::INTEGER AS n FROM lines_customers_segments GROUP BY segment ORDER BY segment`,
    );
    expect(rows).toEqual([
      { segment: 1, n: 51 },
      { segment: 2, n: 49 },
      { segment: 3, n: 50 },
    ]);
    // K0 is a big spender (group 0) → segment 1.
    expect(db.rows(`SELECT segment FROM lines_customers_segments WHERE customer_id = 'K0'`)).toEqual([{ segment: 1 }]);
  }, 60_000);

  it('is deterministic for a seed and honours a given k', async () => {
    const api = createSegmentsApi(context);
    const a = await api.segment(nextJob(), { table: 'lines_customers', k: 4, kRange: [2, 4], seed: 9, into: 'a' });
    const b = await api.segment(nextJob(), { table: 'lines_customers', k: 4, kRange: [2, 4], seed: 9, into: 'b' });
    expect(a.k).toBe(4);
    expect(a.chosenBy).toBe('given');
    expect(a.scores).toEqual(b.scores);
    expect(a.profiles).toEqual(b.profiles);
    expect(
      db.rows('SELECT count(*)::INTEGER AS n FROM a JOIN b USING (customer_id) WHERE a.segment <> b.segment'),
    ).toEqual([{ n: 0 }]);
  }, 60_000);

  it('TF.js distances give the JS path’s segments; top products per segment match DuckDB', async () => {
    const api = createSegmentsApi(context);
    const before = tf.memory().numTensors;
    const request = { table: 'lines_customers', kRange: [2, 5] as [number, number], seed: 3 };
    const js = await api.segment(nextJob(), { ...request, distances: 'js', into: 'seg_js' });
    const viaTf = await api.segment(nextJob(), { ...request, distances: 'tf', into: 'seg_tf' });
    expect(tf.memory().numTensors).toBe(before);
    expect(js.distances).toEqual({ requested: 'js', engine: 'js', backend: null, refinedRows: 0 });
    expect(viaTf.distances).toMatchObject({ requested: 'tf', engine: 'tf', backend: tf.getBackend() });
    // 'auto' keeps the JS loop on a CPU backend (it measured faster there; bench/insights).
    const auto = await api.segment(nextJob(), { ...request, into: 'seg_auto' });
    expect(auto.distances.engine).toBe('js');
    expect(viaTf.scores).toEqual(js.scores);
    expect(viaTf.profiles).toEqual(js.profiles);
    expect(
      db.rows(
        'SELECT count(*)::INTEGER AS n FROM seg_js JOIN seg_tf USING (customer_id) WHERE seg_js.segment <> seg_tf.segment',
      ),
    ).toEqual([{ n: 0 }]);

    // No category role in these lines: the top products (StockCode, the product_id role) instead.
    expect(js.categorySource).toEqual({ table: 'lines', column: 'StockCode', kind: 'product_id' });
    const expected = db.rows(
      `WITH r AS (SELECT s.segment, l.StockCode AS p, sum(l.Quantity * l.UnitPrice) AS v
                  FROM lines l JOIN seg_js s ON s.customer_id = l.CustomerID GROUP BY ALL),
            t AS (SELECT segment, sum(v) AS total FROM r GROUP BY segment)
       SELECT r.segment::INTEGER AS segment, p, (v / total)::DOUBLE AS share FROM r JOIN t USING (segment)
       WHERE v > 0
       QUALIFY row_number() OVER (PARTITION BY r.segment ORDER BY v DESC, p) <= 3
       ORDER BY segment, share DESC, p`,
    );
    const ours = js.profiles.flatMap((p) =>
      p.topCategories!.map((c) => ({ segment: p.segment, p: c.name, share: c.revenueShare })),
    );
    expect(ours.map(({ segment, p }) => ({ segment, p }))).toEqual(expected.map(({ segment, p }) => ({ segment, p })));
    ours.forEach((o, i) => expect(o.share).toBeCloseTo(Number(expected[i]!.share), 12));

    // A table without an orders table behind it: no categories, and an explicit bad one fails clearly.
    await engine.loadFile(nextJob(), 'customer_id,spend,visits\nA,1,3\nB,2,1\nC,9,4\nD,4,2\nE,7,7\n', 'plain.csv', {});
    await engine.setColumnRole('plain', 'customer_id', 'customer_id');
    const plain = await api.segment(nextJob(), { table: 'plain', kRange: [2, 2] });
    expect(plain.categorySource).toBeNull();
    expect(plain.profiles.every((p) => p.topCategories === null)).toBe(true);
    await expect(
      api.segment(nextJob(), { table: 'plain', kRange: [2, 2], orders: 'anon_missing' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  }, 60_000);

  it('says what is wrong with unsuitable input', async () => {
    const api = createSegmentsApi(context);
    await expect(api.segment(nextJob(), { table: 'lines' })).rejects.toMatchObject({
      code: 'segments_not_customer_table',
    });
    await engine.loadFile(nextJob(), 'who,spend\nA,1\nB,2\nC,3\n', 'anon.csv', {});
    await expect(api.segment(nextJob(), { table: 'anon' })).rejects.toMatchObject({ code: 'no_customer_id' });
    await engine.loadFile(nextJob(), 'customer_id,spend,visits\nA,1,1\nB,1,1\nC,1,1\nD,1,1\n', 'flat.csv', {});
    await engine.setColumnRole('flat', 'customer_id', 'customer_id');
    await expect(api.segment(nextJob(), { table: 'flat' })).rejects.toMatchObject({ code: 'all_values_identical' });
    await expect(api.segment(nextJob(), { table: 'flat', k: 5 })).rejects.toMatchObject({
      code: 'segments_too_few_rows',
    });
    await engine.loadFile(nextJob(), 'customer_id,name\nA,x\nB,y\nC,z\n', 'names.csv', {});
    await engine.setColumnRole('names', 'customer_id', 'customer_id');
    expect(defaultSegmentFeatures(await engine.describe('names'))).toEqual([]);
    await expect(api.segment(nextJob(), { table: 'names' })).rejects.toMatchObject({ code: 'no_numeric_features' });
  }, 60_000);

  it('stops at the next restart when cancelled', async () => {
    const api = createSegmentsApi(context);
    const id = nextJob();
    const run = api.segment(id, { table: 'lines_customers', kRange: [2, 12], restarts: 30 }, () => {
      context.jobs.cancel(id);
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  }, 60_000);

  it('flags the planted orders of an order-lines table and says why', async () => {
    const api = createSegmentsApi(context);
    const result = await api.anomalies(nextJob(), { table: 'lines', method: 'both', contamination: 0.02, seed: 1 });
    expect(result.level).toBe('order');
    expect(result.features).toEqual(['order_value', 'items', 'lines', 'refund_share', 'hour']);
    const keys = result.flagged.map((f) => f.key);
    expect(keys).toContain('90001');
    const huge = result.flagged.find((f) => f.key === '90001')!;
    expect(huge.reasons[0]).toMatchObject({ direction: 'high' });
    expect(['order_value', 'items']).toContain(huge.reasons[0]!.feature);
    expect(huge.reasons.find((r) => r.feature === 'order_value')!.ratio).toBeGreaterThan(50);
    expect(result.flaggedCount).toBe(result.flagged.length);
    expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(result.rows);
    expect(result.table).toMatchObject({ name: 'lines_anomalies', rows: result.rows, derived: { kind: 'anomalies' } });
    const stored = db.rows(`SELECT flagged, reasons FROM lines_anomalies WHERE InvoiceNo = '90001'`);
    expect(stored[0]).toMatchObject({ flagged: 1 });
    expect(String(stored[0]!.reasons)).toMatch(/order_value|items/);

    const robust = await api.anomalies(nextJob(), { table: 'lines', method: 'robust_z', threshold: 3.5 });
    expect(robust.scoreKind).toBe('robust_z');
    const night = robust.flagged.find((f) => f.key === '90002');
    expect(night?.reasons.map((r) => r.feature)).toContain('hour');
    expect(robust.flagged.find((f) => f.key === 'C90003')?.reasons.map((r) => r.feature)).toContain('refund_share');
    // Every flagged row has at least one reason beyond the threshold.
    for (const f of robust.flagged) expect(Math.abs(f.reasons[0]!.z)).toBeGreaterThanOrEqual(3.5);
  }, 60_000);

  it('scores a customer table, and is deterministic for a seed', async () => {
    const api = createSegmentsApi(context);
    const a = await api.anomalies(nextJob(), { table: 'lines_customers', method: 'iforest', seed: 5, into: 'ca' });
    const b = await api.anomalies(nextJob(), { table: 'lines_customers', method: 'iforest', seed: 5, into: 'cb' });
    expect(a.level).toBe('customer');
    expect(a.flaggedCount).toBe(Math.ceil(0.01 * 150));
    expect(a.flagged).toEqual(b.flagged);
    await engine.loadFile(nextJob(), 'customer_id,spend\nA,1\nB,2\nC,3\n', 'tiny.csv', {});
    await expect(api.anomalies(nextJob(), { table: 'tiny' })).rejects.toMatchObject({ code: 'anomalies_too_few_rows' });
  }, 60_000);
});

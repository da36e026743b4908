/**
 * The segments embed methods end to end: postMessage calls go through the bridge, the real
 * data engine on DuckDB-WASM (Node build) and the segments service (as in the ML worker, over
 * the engine's FrameSource); bad params are refused before anything runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import { DataEngine, engineFrameSource } from '../data/engine';
import { bufferRegistrar } from '../data/ingest/registrar';
import { MlContext } from '../ml/services/context';
import { createSegmentsApi } from '../ml/services/segments-service';
import { createRng } from '../ml/segment/prng';
import type { EmbedBackend } from './methods';
import { startEmbedBridge } from './host-bridge';
import type { EmbedReply } from './protocol';
import { FakeWindow, HOST_ORIGIN, settle, standInBackend } from './test-fakes';
import { engineDataBackend } from './test-engine-backend';

/** 60 customers, 1–8 orders each, seeded. */
function orders(): string {
  const rng = createRng(7);
  const lines = ['InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  let inv = 5000;
  for (let c = 0; c < 60; c++) {
    const n = 1 + Math.floor(rng() * 8);
    for (let o = 0; o < n; o++) {
      const day = String(1 + Math.floor(rng() * 28)).padStart(2, '0');
      const month = String(1 + Math.floor(rng() * 12)).padStart(2, '0');
      lines.push(
        `${inv++},P${c % 7},${1 + Math.floor(rng() * 4)},2024-${month}-${day} 1${o % 8}:00,${(3 + rng() * 30).toFixed(2)},U${c},UK`,
      );
    }
  }
  return lines.join('\n');
}

/** The real engine behind the data methods and the real segments service behind `segments`. */
function engineBackend(engine: DataEngine): EmbedBackend {
  let n = 0;
  const id = () => `embed-seg-${++n}`;
  const ml = createSegmentsApi(new MlContext(engineFrameSource(engine)));
  return {
    ...standInBackend(),
    ...engineDataBackend(engine),
    segments: {
      segment: (request, onProgress) => ml.segment(id(), request, onProgress),
      anomalies: (request, onProgress) => ml.anomalies(id(), request, onProgress),
    },
  };
}

describe('segments embed methods over the real engine', () => {
  let db: Db;
  let win: FakeWindow;
  let nextId = 0;

  beforeAll(async () => {
    db = await createNodeDb();
    win = new FakeWindow();
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    startEmbedBridge({ window: win, backend: engineBackend(engine), allowList: [HOST_ORIGIN], version: 'test' });
  });
  afterAll(() => db?.bindings.reset());

  async function call(method: string, params: Record<string, unknown> = {}): Promise<EmbedReply> {
    const id = `s${++nextId}`;
    win.call(id, method, params);
    for (let i = 0; i < 2000 && win.parent.repliesTo(id).length === 0; i++) await settle(2);
    const reply = win.parent.repliesTo(id)[0];
    if (!reply) throw new Error(`no reply to ${method}`);
    return reply.message;
  }
  const ok = async (method: string, params: Record<string, unknown>) => {
    const reply = await call(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as Record<string, unknown>;
  };

  it('segments a built customer table and scores the orders', async () => {
    await ok('loadTable', { fileName: 'orders.csv', data: orders() });
    await ok('buildCustomers', { table: 'orders' });
    const seg = await ok('segment', { table: 'orders_customers', kMin: 2, kMax: 5, seed: 1 });
    expect(seg.table).toMatchObject({ name: 'orders_customers_segments', rows: 60 });
    expect(seg.points).toBeUndefined();
    const profiles = seg.profiles as { share: number }[];
    expect(profiles.length).toBe(seg.k);
    expect(profiles.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 12);
    expect((seg.scores as unknown[]).length).toBe(4);
    // Top products per segment from the order lines the customer table was built from.
    expect(seg.categorySource).toEqual({ table: 'orders', column: 'StockCode', kind: 'product_id' });
    for (const p of seg.profiles as { topCategories: { name: string; revenueShare: number }[] }[]) {
      expect(p.topCategories.length).toBeGreaterThan(0);
      expect(p.topCategories.length).toBeLessThanOrEqual(3);
      expect(p.topCategories.reduce((t, c) => t + c.revenueShare, 0)).toBeLessThanOrEqual(1 + 1e-12);
    }
    // The distances on TF.js (tfjs-cpu in Node): the same segments.
    const viaTf = await ok('segment', { table: 'orders_customers', kMin: 2, kMax: 5, seed: 1, distances: 'tf' });
    expect(viaTf.distances).toMatchObject({ requested: 'tf', engine: 'tf', backend: 'cpu' });
    expect(seg.distances).toMatchObject({ requested: 'auto', engine: 'js', backend: null });
    expect(viaTf.scores).toEqual(seg.scores);
    expect(viaTf.profiles).toEqual(seg.profiles);
    expect((await call('segment', { table: 'orders_customers', distances: 'gpu' })).ok).toBe(false);

    const anomalies = await ok('anomalies', { table: 'orders', method: 'iforest', contamination: 0.05 });
    expect(anomalies).toMatchObject({ level: 'order', method: 'iforest', table: { name: 'orders_anomalies' } });
    expect((anomalies.flagged as unknown[]).length).toBe(anomalies.flaggedCount);
  }, 60_000);

  it('refuses bad params without running, and passes the service errors through', async () => {
    const bad = await call('segment', { table: 'orders_customers', kMin: 5, kMax: 3 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_params' } });
    const method = await call('anomalies', { table: 'orders', method: 'magic' });
    expect(method).toMatchObject({ ok: false, error: { code: 'bad_params' } });
    const lines = await call('segment', { table: 'orders' });
    expect(lines).toMatchObject({ ok: false, error: { code: 'segments_not_customer_table' } });
  }, 60_000);
});

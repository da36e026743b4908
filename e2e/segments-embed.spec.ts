import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage, type EmbedTable } from './pages/embed-host';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * The segments chapter's embed methods from a cross-origin host page (e2e/fixtures/embed/host.html)
 * with the app in an iframe: the Online Retail sample → buildCustomers → segment → anomalies, the
 * result tables shown in the app, bad params refused; nothing leaves the origins.
 */
const SAMPLE = readFileSync('public/samples/online_retail_sample_20k.csv', 'utf8');

describe('embed: segment and anomalies', () => {
  const pageOptions: NewPageOptions = { allowedOrigins: [] };
  const fx = useApp({ page: pageOptions });
  let hostServer: HostServer;

  beforeAll(async () => {
    hostServer = await startHostServer();
    pageOptions.allowedOrigins = [hostServer.origin];
  });
  afterAll(async () => {
    await hostServer?.close();
  });

  it('segments the sample customers and explains unusual orders', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open();
    await host.waitReady();
    const hello = await host.result<{ methods: string[] }>('hello');
    expect(hello.methods).toEqual(expect.arrayContaining(['segment', 'anomalies']));
    await host.result('loadTable', { fileName: 'retail.csv', data: SAMPLE });
    await host.result('buildCustomers', { table: 'retail' });

    const seg = await host.result<{
      table: EmbedTable;
      k: number;
      scores: { k: number; inertia: number; silhouette: number }[];
      profiles: { segment: number; share: number; revenueShare: number; action: string }[];
      rfm: { segment: string; customers: number }[] | null;
    }>('segment', { table: 'retail_customers', kMin: 2, kMax: 5, seed: 7 }, { timeoutMs: 240_000 });
    expect(seg.scores.map((s) => s.k)).toEqual([2, 3, 4, 5]);
    expect(seg.profiles).toHaveLength(seg.k);
    expect(seg.profiles.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 9);
    expect(seg.profiles.reduce((s, p) => s + p.revenueShare, 0)).toBeCloseTo(1, 9);
    expect(seg.table).toMatchObject({ name: 'retail_customers_segments' });
    expect(seg.rfm?.length).toBeGreaterThan(3);

    const anomalies = await host.result<{
      level: string;
      flaggedCount: number;
      flagged: { key: string; reasons: { feature: string; z: number }[] }[];
    }>('anomalies', { table: 'retail', contamination: 0.005 }, { timeoutMs: 240_000 });
    expect(anomalies.level).toBe('order');
    expect(anomalies.flaggedCount).toBeGreaterThan(0);
    expect(anomalies.flagged[0]!.reasons.length).toBeGreaterThan(0);

    const bad = await host.call('segment', { table: 'retail_customers', kMin: 6, kMax: 3 });
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'bad_params' } });
    const lines = await host.call('segment', { table: 'retail' });
    expect(lines.reply).toMatchObject({ ok: false, error: { code: 'segments_not_customer_table' } });
    await expect
      .poll(async () => (await host.appTableNames()).sort())
      .toEqual(['retail', 'retail_anomalies', 'retail_customers', 'retail_customers_segments']);

    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  }, 400_000);
});

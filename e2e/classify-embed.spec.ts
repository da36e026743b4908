import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage } from './pages/embed-host';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * The Classify embed methods from a real cross-origin host page (e2e/fixtures/embed/host.html),
 * with the app in an iframe and the ML worker training: compareModels, evaluate, train, predict
 * (the scored table shows up in the app), listModels and cancel by a host-chosen jobId.
 */

function customersCsv(n: number): string {
  const lines = ['customer_id,visits,channel,bought'];
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    const visits = rand() * 4 - 2;
    const channel = rand() < 0.5 ? 'ads' : 'mail';
    const z = 2 * visits + (channel === 'ads' ? 0.8 : 0) + (rand() - 0.5) * 2;
    lines.push(`C${i},${visits.toFixed(3)},${channel},${z > 0.5 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('Classify embed methods', () => {
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

  it('compares, evaluates, trains, predicts, lists and cancels from a host page', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open();
    await host.waitReady();
    await host.result('loadTable', { fileName: 'customers.csv', data: customersCsv(400) });
    const cmp = await host.result<{
      comparisonId: string;
      jobId: string;
      rows: { family: string; baseline: boolean }[];
    }>(
      'compareModels',
      { table: 'customers', target: 'bought', models: ['tree', 'naive_bayes'], folds: 3, jobId: 'host-1' },
      { timeoutMs: 120_000 },
    );
    expect(cmp.jobId).toBe('host-1');
    expect(cmp.rows.map((r) => r.family).sort()).toEqual(['baseline', 'naive_bayes', 'tree']);
    expect(cmp.rows.at(-1)!.baseline).toBe(true);

    const ev = await host.result<{ modelId: string; metrics: { rocAuc: number }; nTest: number }>(
      'evaluate',
      { comparisonId: cmp.comparisonId },
      { timeoutMs: 120_000 },
    );
    expect(ev.nTest).toBe(80);
    expect(ev.metrics.rocAuc).toBeGreaterThan(0.8);

    const trained = await host.result<{ modelId: string; family: string }>(
      'train',
      { table: 'customers', target: 'bought', model: 'logistic' },
      { timeoutMs: 120_000 },
    );
    expect(trained.family).toBe('logistic');
    const scored = await host.result<{ table: string; rows: number }>(
      'predict',
      { modelId: trained.modelId, table: 'customers' },
      { timeoutMs: 120_000 },
    );
    expect(scored).toMatchObject({ table: 'customers_predictions', rows: 400 });
    await expect.poll(() => host.appTableNames(), { timeout: 30_000 }).toContain('customers_predictions');
    const models = await host.result<{ modelId: string }[]>('listModels');
    expect(models.map((m) => m.modelId)).toEqual([ev.modelId, trained.modelId]);

    // Cancel by the host's job id while a bigger comparison runs.
    const running = host.call(
      'compareModels',
      { table: 'customers', target: 'bought', models: ['forest', 'mlp'], jobId: 'host-2' },
      { timeoutMs: 120_000 },
    );
    const cancelled = await host.result<{ cancelled: boolean }>('cancel', { jobId: 'host-2' });
    expect(cancelled.cancelled).toBe(true);
    expect((await running).reply).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(fx.tp.offOriginRequests).toEqual([]);
  }, 300_000);
});

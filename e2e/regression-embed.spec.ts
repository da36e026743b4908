import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage } from './pages/embed-host';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * Regression through the embed API from a real cross-origin host page (the app in an iframe,
 * the ML worker training): compareModels on a numeric target detects the regression task,
 * evaluate tests the best family on held-out rows, predict writes a `prediction` column into a
 * table that shows up in the app, listModels lists the regression model.
 */

function ordersCsv(n: number): string {
  const lines = ['order_id,quantity,channel,amount'];
  let seed = 5;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    const quantity = 1 + Math.floor(rand() * 6);
    const channel = rand() < 0.5 ? 'ads' : 'mail';
    const amount = 12 * quantity + (channel === 'ads' ? 8 : 0) + (rand() - 0.5) * 6;
    lines.push(`O${i},${quantity},${channel},${amount.toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('Regression embed methods', () => {
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

  it('compares, evaluates, predicts and lists a regression from a host page', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open();
    await host.waitReady();
    await host.result('loadTable', { fileName: 'orders.csv', data: ordersCsv(300) });
    const cmp = await host.result<{
      task: string;
      comparisonId: string;
      detection: { reason: string };
      rows: { family: string; baseline: boolean; metrics: { r2: { mean: number } } }[];
    }>(
      'compareModels',
      { table: 'orders', target: 'amount', models: ['linear', 'tree'], folds: 3 },
      { timeoutMs: 120_000 },
    );
    expect(cmp.task).toBe('regression');
    expect(cmp.detection.reason).toBe('numeric_many_values');
    expect(cmp.rows.map((r) => r.family).sort()).toEqual(['baseline', 'linear', 'tree']);
    expect(cmp.rows[0]!.metrics.r2.mean).toBeGreaterThan(0.9);
    const ev = await host.result<{
      modelId: string;
      task: string;
      family: string;
      metrics: { r2: number };
      nTest: number;
    }>('evaluate', { comparisonId: cmp.comparisonId }, { timeoutMs: 120_000 });
    expect(ev).toMatchObject({ task: 'regression', family: 'linear', nTest: 60 });
    expect(ev.metrics.r2).toBeGreaterThan(0.9);
    const scored = await host.result<{ table: string; rows: number; mean: number }>(
      'predict',
      { modelId: ev.modelId, table: 'orders' },
      { timeoutMs: 120_000 },
    );
    expect(scored).toMatchObject({ table: 'orders_predictions', rows: 300 });
    await expect.poll(() => host.appTableNames(), { timeout: 30_000 }).toContain('orders_predictions');
    const models = await host.result<{ modelId: string; task?: string }[]>('listModels');
    expect(models).toContainEqual(expect.objectContaining({ modelId: ev.modelId, task: 'regression' }));
    expect(fx.tp.offOriginRequests).toEqual([]);
  }, 300_000);
});

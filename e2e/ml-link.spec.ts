/**
 * The ML worker in the production build: it starts under the app's CSP, chooses a TF.js
 * backend, and reads a table the data worker holds over the MessageChannel between them
 * (never through the page), without a single request leaving the origin.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from './support/fixture';

interface LinkReport {
  backend: string;
  rows: number;
  columns: number;
  numericColumns: number;
}

describe('ML worker link', () => {
  const fx = useApp();

  it('reads a loaded table in the ML worker and stays on the origin', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('orders.csv', 'id,amount,city\n1,9.5,Oslo\n2,3,Rome\n3,,Oslo\n', 'text/csv');
    await fx.app.waitForTable('orders');
    const report = await fx.page.evaluate(() =>
      (window as unknown as { __shopsight: { checkMlLink(t: string): Promise<LinkReport> } }).__shopsight.checkMlLink(
        'orders',
      ),
    );
    expect(report).toMatchObject({ rows: 3, columns: 3, numericColumns: 2 });
    expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(report.backend);
    await fx.page.waitForLoadState('networkidle');
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  });
});

import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage, type EmbedTable } from './pages/embed-host';
import { UiPage } from './pages/ui';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * The data worker's supervisor (src/lib/clients/data-client.ts): when the worker dies, the
 * app restarts it, reloads every table from the files it still holds, replays the user's
 * role changes and says so in a notice. `window.__shopsight.simulateDataWorkerCrash()` makes
 * the worker die the way a wasm trap would.
 */

const SAMPLE_TABLE = 'online_retail_sample_20k';
const RETAIL_CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom',
  'C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,United Kingdom',
  '',
].join('\n');
const STOCK_CSV = 'sku,product_name,category,on_hand\nA-1,Mug,Kitchen,12\nB-2,Lamp,Home,3\nC-3,Rug,Home,0\n';

const RESTARTED_2 = 'The data engine was restarted; 2 table(s) were reloaded from your files.';

async function crash(target: Page | Frame): Promise<void> {
  await target.evaluate(() =>
    (window as unknown as { __shopsight: { simulateDataWorkerCrash(): void } }).__shopsight.simulateDataWorkerCrash(),
  );
}

describe('supervisor', () => {
  const pageOptions: NewPageOptions = { allowedOrigins: [] };
  const fx = useApp({ page: pageOptions });
  const ui = () => new UiPage(fx.app);
  let hostServer: HostServer;

  beforeAll(async () => {
    hostServer = await startHostServer();
    pageOptions.allowedOrigins = [hostServer.origin];
  });
  afterAll(async () => {
    await hostServer?.close();
  });

  /** Console errors other than the simulated crash itself (the worker's uncaught error). */
  const unexpectedConsoleErrors = () =>
    fx.tp.consoleErrors.filter((e) => !e.includes('Simulated crash of the data engine'));

  async function waitRestarted(expected: string): Promise<void> {
    await fx.app.byTestId('supervisor').filter({ hasText: expected }).waitFor({ timeout: 60_000 });
  }

  it('restarts after a crash: notice says 2 tables reloaded, both listed and queryable, role change kept', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.loadSample('online-retail');
    await fx.app.waitForTable(SAMPLE_TABLE);
    await fx.app.uploadBuffer('stock.csv', STOCK_CSV, 'text/csv');
    await fx.app.openTable('stock');
    await fx.app.tableItem(SAMPLE_TABLE).locator('button.select').click();
    await ui().openTableTab('columns');
    await ui().setRole('StockCode', 'order_id');
    const rolesBefore = await ui().roles();
    expect(rolesBefore).toMatchObject({ StockCode: 'order_id', InvoiceNo: 'none' });

    await crash(fx.page);
    await waitRestarted(RESTARTED_2);

    const titles = await ui().noticeTitles('supervisor');
    expect(titles).toHaveLength(2);
    expect(titles[0]).toMatch(/^The data engine stopped unexpectedly \(.+\)\. Restarting and reloading your files…$/);
    expect(titles[1]).toBe(RESTARTED_2);
    expect(await fx.page.getByText('could not be restored').count()).toBe(0);

    expect(await fx.app.tableNames()).toEqual([SAMPLE_TABLE, 'stock']);
    // Queryable after the restart, with the same contents.
    const sample = await fx.app.runSql(`SELECT count(*) AS n, count(CustomerID) AS with_customer FROM ${SAMPLE_TABLE}`);
    expect(sample.error).toBeNull();
    expect(await fx.app.gridCellTexts()).toEqual([['20000', '14922']]);
    const stock = await fx.app.runSql('SELECT sum(on_hand) AS units FROM stock');
    expect(stock.error).toBeNull();
    expect(await fx.app.gridCellTexts()).toEqual([['15']]);

    // The grid reads from the new worker, and the role change survived.
    await fx.app.openTable(SAMPLE_TABLE);
    await expect.poll(() => fx.app.rowCountLabel.innerText()).toBe('20,000 of 20,000 rows');
    await ui().openTableTab('columns');
    expect(await ui().roles()).toEqual(rolesBefore);
    expect(await ui().roleLabelOf('InvoiceNo')).toBe('—');
    expect(fx.tp.pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors()).toEqual([]);
  });

  it('restores every role exactly as the user left it, whatever the order of the changes', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('retail.csv', RETAIL_CSV, 'text/csv');
    await fx.app.uploadBuffer('stock.csv', STOCK_CSV, 'text/csv');
    await fx.app.openTable('retail');
    await ui().openTableTab('columns');
    // Give StockCode a role, give Description another, then move the second one to StockCode.
    await ui().setRole('StockCode', 'order_id'); // InvoiceNo → —
    await ui().setRole('Description', 'quantity'); // Quantity → —
    await ui().setRole('StockCode', 'quantity'); // Description → —
    const retailBefore = await ui().roles();
    expect(retailBefore).toMatchObject({
      InvoiceNo: 'none',
      StockCode: 'quantity',
      Description: 'none',
      Quantity: 'none',
    });

    await fx.app.tableItem('stock').locator('button.select').click();
    await ui().openTableTab('columns');
    // Take a role away and give it back: the previous holder stays without one.
    await ui().setRole('product_name', 'product_id'); // sku → —
    await ui().setRole('product_name', 'product_name');
    const stockBefore = await ui().roles();
    expect(stockBefore).toMatchObject({ sku: 'none', product_name: 'product_name' });

    await crash(fx.page);
    await waitRestarted(RESTARTED_2);

    await ui().openTableTab('columns');
    expect.soft(await ui().roles(), 'stock after the restart').toEqual(stockBefore);
    await fx.app.tableItem('retail').locator('button.select').click();
    await ui().openTableTab('columns');
    expect.soft(await ui().roles(), 'retail after the restart').toEqual(retailBefore);
  });

  it('an embedding host keeps working: its tables come back and the API answers after a crash', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open();
    expect(await host.waitReady()).toMatchObject({ event: 'ready' });
    await host.result('loadTable', { fileName: 'retail.csv', data: RETAIL_CSV });
    await host.result('loadTable', { fileName: 'stock.csv', data: STOCK_CSV });

    const frame = await host.appFrame();
    await crash(frame);
    await frame.locator('[data-testid="supervisor"]', { hasText: RESTARTED_2 }).waitFor({ timeout: 60_000 });

    const tables = await host.result<EmbedTable[]>('listTables');
    expect(tables.map((t) => [t.name, t.rows])).toEqual([
      ['retail', 3],
      ['stock', 3],
    ]);
    expect(await host.result('query', { sql: 'SELECT count(*) AS n FROM retail' })).toMatchObject({ rows: [[3]] });
    // No second ready: the host's session simply continues.
    expect(await host.readyEvents()).toHaveLength(1);
    expect(fx.tp.pageErrors).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedExamplePage, EmbedHostPage, type EmbedTable, type HostMessage } from './pages/embed-host';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * The embed API v1 (docs/embed-api.md) from real host pages, with the app in an iframe:
 * - the bundled example host (public/embed-example.html) on the app's own origin, through its UI;
 * - a cross-origin host (e2e/fixtures/embed/host.html on a second server) through `window.host`;
 * - windows that must be ignored: a foreign-origin parent, a sibling frame and popups.
 */

const APP_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const METHODS = [
  'hello',
  'loadTable',
  'listTables',
  'query',
  'profile',
  'dropTable',
  'applyRecipe',
  'buildCustomers',
  'buildProducts',
  'buildSeries',
  'buildLabels',
  'selectFeatures',
  'forecast',
  'segment',
  'anomalies',
  'recommend',
  'sentiment',
  'compareModels',
  'train',
  'evaluate',
  'predict',
  'listModels',
  'cancel',
  'search',
];

/** Five Online Retail lines: one cancellation (C…), one missing CustomerID. */
const RETAIL_CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom',
  'C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,United Kingdom',
  '536380,22961,JAM MAKING SET PRINTED,24,2010-12-01 09:41:00,1.45,17809,France',
  '',
].join('\n');

const RETAIL_ROLES = [
  ['InvoiceNo', 'order_id'],
  ['StockCode', 'product_id'],
  ['Description', 'product_name'],
  ['Quantity', 'quantity'],
  ['InvoiceDate', 'timestamp'],
  ['UnitPrice', 'unit_price'],
  ['CustomerID', 'customer_id'],
  ['Country', 'country'],
];

const STOCK_CSV = 'sku,product_name,category,on_hand\nA-1,Mug,Kitchen,12\nB-2,Lamp,Home,3\nC-3,Rug,Home,0\n';

/** How long a message that will never be answered is waited for. */
const SILENCE_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('embed API v1', () => {
  // The host servers start in beforeAll; newPage reads allowedOrigins per test.
  const pageOptions: NewPageOptions = { allowedOrigins: [] };
  const fx = useApp({ page: pageOptions });
  let hostServer: HostServer;
  let foreignServer: HostServer;

  beforeAll(async () => {
    [hostServer, foreignServer] = await Promise.all([startHostServer(), startHostServer()]);
    pageOptions.allowedOrigins = [hostServer.origin, foreignServer.origin];
  });
  afterAll(async () => {
    await Promise.all([hostServer?.close(), foreignServer?.close()]);
  });

  /** Console warnings of the page and its frames (the app warns about foreign origins). */
  function recordWarnings(page: Page): string[] {
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    return warnings;
  }

  function expectCleanRun(label = 'console errors'): void {
    expect(fx.tp.offOriginRequests).toEqual([]);
    // Chromium logs a console error when a postMessage's targetOrigin does not match the
    // recipient: none means the app never addressed a window of another origin.
    expect(fx.tp.consoleErrors, label).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.failedRequests).toEqual([]);
  }

  describe('same-origin host: public/embed-example.html', () => {
    it('loads, lists, queries, refuses a write, profiles and drops through the example UI; replies go to its origin only', async () => {
      const example = new EmbedExamplePage(fx.page, fx.app.baseUrl);
      await example.recordAppPosts();
      await example.open();

      expect(await example.waitReady()).toBe(`ready · app ${APP_VERSION}`);
      // onReady lists the tables: none yet.
      await expect.poll(() => example.tableEntries.allInnerTexts()).toEqual(['No tables yet.']);

      // "Load text" with the page's own CSV: the table appears in the list and in the app.
      await example.loadText(
        'order_id,customer_id,order_date,quantity,unit_price\n1001,C01,2024-03-01,2,9.50\n1002,C02,2024-03-02,1,24.00\n1003,C01,2024-03-05,4,3.25\n1004,C03,2024-03-07,1,120.00\n',
      );
      await expect
        .poll(() => example.tableEntries.locator('span').allInnerTexts())
        .toEqual(['orders · 4 rows · 5 columns']);
      const frame = await example.appFrame();
      await frame.locator('[data-testid="table-item"][data-table="orders"]').waitFor({ timeout: 10_000 });

      const caption = await example.runQuery(
        'SELECT customer_id, count(*) AS orders, sum(quantity * unit_price) AS spend\nFROM "orders" GROUP BY customer_id ORDER BY spend DESC',
        1000,
      );
      expect(caption).toMatch(/^3 rows in \d+ ms\./);
      const table = await example.resultTable();
      expect(table.slice(1)).toEqual([
        ['C03', '1', '120'],
        ['C01', '2', '32'],
        ['C02', '1', '24'],
      ]);
      expect(table[0]?.map((h) => h.split(' ')[0])).toEqual(['customer_id', 'orders', 'spend']);

      // limit: 2 of 4 rows, marked truncated.
      expect(await example.runQuery('SELECT * FROM orders ORDER BY order_id', 2)).toMatch(
        /^First 2 rows \(truncated\)\./,
      );

      // A write is refused and changes nothing.
      expect(await example.runQuery('DROP TABLE orders', 10)).toMatch(/^query failed: read_only — /);
      await example.page.locator('#list-tables').click();
      await expect
        .poll(() => example.tableEntries.locator('span').allInnerTexts())
        .toEqual(['orders · 4 rows · 5 columns']);

      await example.tableAction('orders', 'Profile');
      await expect
        .poll(() => example.result.locator('p.note').innerText())
        .toMatch(/^orders: quality score \d{1,3}\/100, 4 rows, \d+ findings\.$/);

      await example.tableAction('orders', 'Drop');
      await expect.poll(() => example.tableEntries.allInnerTexts()).toEqual(['No tables yet.']);
      await expect.poll(() => frame.locator('[data-testid="table-item"]').count()).toBe(0);

      // Everything the app posted to this page was addressed to this page's exact origin.
      const posts = await example.appPosts();
      const kinds = new Set(posts.map((p) => p.kind));
      expect(kinds).toContain('ready');
      expect(kinds).toContain('reply');
      expect(kinds).toContain('progress');
      expect(new Set(posts.map((p) => p.targetOrigin))).toEqual(new Set([new URL(fx.app.baseUrl).origin]));
      // Fails today: embed-example.html has no <link rel="icon">, so Chromium asks for
      // /favicon.ico and logs a 404 (see the report).
      expectCleanRun('console errors of embed-example.html and the app (a missing favicon counts)');
    });
  });

  describe('cross-origin host', () => {
    async function openHost(options: Parameters<EmbedHostPage['open']>[0] = {}): Promise<EmbedHostPage> {
      const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
      await host.open(options);
      return host;
    }

    it('posts ready exactly once, with the app version and the v1 methods; hello agrees', async () => {
      const host = await openHost();
      const ready = await host.waitReady();
      expect(ready).toEqual({ shopsight: 1, event: 'ready', version: APP_VERSION, methods: METHODS });
      const hello = await host.result('hello');
      expect(hello).toEqual({ protocol: 1, version: APP_VERSION, methods: METHODS });
      await host.result('listTables');
      await sleep(500);
      const readies = await host.readyEvents();
      expect(readies).toHaveLength(1);
      expect(readies[0]).toMatchObject({ origin: host.appOrigin, fromApp: true });
      expectCleanRun();
    });

    it('loadTable with a CSV string: name, rows and columns with e-commerce roles; shown in the app', async () => {
      const host = await openHost();
      await host.waitReady();
      const { reply, progress } = await host.loadText('retail.csv', RETAIL_CSV);
      expect(reply).toMatchObject({ shopsight: 1, ok: true });
      const table = reply?.result as EmbedTable;
      expect(table.name).toBe('retail');
      expect(table.rows).toBe(5);
      expect(table.columns.map((c) => [c.name, c.role])).toEqual(RETAIL_ROLES);
      expect(Object.fromEntries(table.columns.map((c) => [c.name, c.type]))).toMatchObject({
        InvoiceNo: 'VARCHAR',
        Quantity: 'BIGINT',
        InvoiceDate: 'TIMESTAMP',
        UnitPrice: 'DOUBLE',
        Country: 'VARCHAR',
      });
      expect(table.warnings).toEqual([]);
      expect(progress.map((p) => p.phase)).toContain('parse');
      // Tables loaded through the API show in the app's own sidebar.
      await expect.poll(() => host.appTableNames()).toEqual(['retail']);
      expectCleanRun();
    });

    it('loadTable with a transferred ArrayBuffer: detached in the host, name from the file name, roles', async () => {
      const host = await openHost();
      await host.waitReady();
      const outcome = await host.loadBytes('Stock 2024 (final).csv', STOCK_CSV);
      expect(outcome.byteLengthAfterPost).toBe(0);
      expect(outcome.reply).toMatchObject({ ok: true });
      const table = outcome.reply?.result as EmbedTable;
      expect(table).toMatchObject({ name: 'stock_2024_final', rows: 3 });
      expect(table.columns.map((c) => [c.name, c.role])).toEqual([
        ['sku', 'product_id'],
        ['product_name', 'product_name'],
        ['category', 'category'],
        ['on_hand', 'none'],
      ]);

      // `name` wins over the file name; without `replace` a taken name gets a suffix.
      const named = await host.loadBytes('x.csv', STOCK_CSV, { name: 'stock_2024_final' });
      expect(named.reply?.result).toMatchObject({ name: 'stock_2024_final_2', rows: 3 });
      expectCleanRun();
    });

    it('Prepare: applyRecipe replays a fitted recipe, buildCustomers and buildLabels make tables the app shows', async () => {
      const host = await openHost();
      await host.waitReady();
      await host.result('loadTable', { fileName: 'retail.csv', data: RETAIL_CSV });
      const recipe = {
        version: 1,
        name: 'retail clean-up',
        source: { columns: [] },
        steps: [
          { id: 's1', enabled: true, kind: 'filter_rows', where: { all: [{ column: 'Quantity', op: '>', value: 0 }] } },
          { id: 's2', enabled: true, kind: 'scale', columns: ['UnitPrice'], method: 'minmax' },
        ],
      };
      const applied = await host.result<{ table: EmbedTable; recipe: { steps: { fitted?: unknown }[] } }>(
        'applyRecipe',
        { table: 'retail', recipe, into: 'retail_clean' },
      );
      expect(applied.table).toMatchObject({ name: 'retail_clean', rows: 4 });
      expect(applied.recipe.steps[1]?.fitted).toEqual([{ column: 'UnitPrice', center: 1.45, scale: 3.39 - 1.45 }]);

      const customers = await host.result<{ table: EmbedTable; summary: Record<string, unknown> }>('buildCustomers', {
        table: 'retail',
      });
      // 17850, 17809 and 14527 (the cancellation's customer); the line without a CustomerID is left out.
      expect(customers.table).toMatchObject({ name: 'retail_customers', rows: 3 });
      expect(customers.summary).toMatchObject({ excludedNullCustomers: 1 });
      const labels = await host.call('buildLabels', { table: 'retail', cutoff: '2010-12-01', horizonDays: 30 });
      // Nobody has an order before the cutoff day: a clear error, no table.
      expect(labels.reply).toMatchObject({ ok: false, error: { code: 'no_customers' } });
      const bad = await host.call('applyRecipe', { table: 'retail', recipe: '{"version":1' });
      expect(bad.reply).toMatchObject({ ok: false, error: { code: 'bad_params' } });
      await expect.poll(() => host.appTableNames()).toEqual(['retail', 'retail_clean', 'retail_customers']);
      expectCleanRun();
    });

    it('listTables, query {sql, limit}, a refused write, profile and dropTable', async () => {
      const host = await openHost();
      await host.waitReady();
      await host.result('loadTable', { fileName: 'retail.csv', data: RETAIL_CSV });
      await host.result('loadTable', { fileName: 'stock.csv', data: STOCK_CSV });

      const tables = await host.result<EmbedTable[]>('listTables');
      expect(tables.map((t) => [t.name, t.rows, t.columns.length])).toEqual([
        ['retail', 5, 8],
        ['stock', 3, 4],
      ]);
      expect(tables[0]?.columns.find((c) => c.name === 'InvoiceNo')).toEqual({
        name: 'InvoiceNo',
        type: 'VARCHAR',
        role: 'order_id',
      });
      expect(tables.every((t) => !('warnings' in t))).toBe(true);

      const grouped = await host.result<{
        columns: { name: string; type: string }[];
        rows: unknown[][];
        truncated: boolean;
      }>('query', {
        sql: 'SELECT Country, count(*) AS lines, sum(Quantity) AS qty FROM retail GROUP BY Country ORDER BY lines DESC',
        limit: 10,
      });
      expect(grouped.columns.map((c) => c.name)).toEqual(['Country', 'lines', 'qty']);
      // DuckDB's type names, as in listTables (64-bit integers arrive as DOUBLE).
      expect(grouped.columns.map((c) => c.type)).toEqual(['VARCHAR', 'DOUBLE', 'DOUBLE']);
      expect(grouped.rows).toEqual([
        ['United Kingdom', 4, 17],
        ['France', 1, 24],
      ]);
      expect(grouped.truncated).toBe(false);

      const limited = await host.result<{ rows: unknown[][]; truncated: boolean }>('query', {
        sql: 'SELECT InvoiceNo, InvoiceDate FROM retail ORDER BY InvoiceNo, StockCode',
        limit: 2,
      });
      const typed = await host.result<{ columns: { type: string }[]; rows: unknown[][] }>('query', {
        sql: "SELECT DATE '2024-03-01' AS d, TIMESTAMP '2024-03-01 10:20:30' AS ts, true AS b, 7::INTEGER AS i, NULL AS n",
      });
      expect(typed.columns.map((c) => c.type)).toEqual(['DATE', 'TIMESTAMP', 'BOOLEAN', 'INTEGER', 'INTEGER']);
      expect(typed.rows).toEqual([['2024-03-01', '2024-03-01 10:20:30', true, 7, null]]);
      expect(limited).toMatchObject({
        rows: [
          ['536365', '2010-12-01 08:26:00'],
          ['536365', '2010-12-01 08:26:00'],
        ],
        truncated: true,
      });

      const write = await host.call('query', { sql: 'DROP TABLE stock' });
      expect(write.reply).toMatchObject({ ok: false, error: { code: 'read_only' } });
      expect(write.reply?.error?.message).toMatch(/DROP/);
      const sneaky = await host.call('query', { sql: 'SELECT 1; DROP TABLE stock' });
      expect(sneaky.reply).toMatchObject({ ok: false, error: { code: 'read_only' } });
      expect((await host.result<EmbedTable[]>('listTables')).map((t) => t.name)).toEqual(['retail', 'stock']);

      const profiled = await host.call('profile', { table: 'retail' });
      const report = profiled.reply?.result as {
        table: string;
        rows: number;
        columns: number;
        columnProfiles: { name: string; missing: number }[];
        findings: { code: string; column?: string; count?: number }[];
        score: number;
      };
      expect(report).toMatchObject({ table: 'retail', rows: 5, columns: 8 });
      expect(report.columnProfiles.find((c) => c.name === 'CustomerID')?.missing).toBe(1);
      expect(report.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'cancellations', count: 1 }),
          expect.objectContaining({ code: 'missing_values', column: 'CustomerID', count: 1 }),
        ]),
      );
      expect(report.score).toBeGreaterThanOrEqual(0);
      expect(report.score).toBeLessThanOrEqual(100);
      expect(profiled.progress.map((p) => p.phase)).toContain('profile');

      expect(await host.result('dropTable', { name: 'stock' })).toEqual({ dropped: 'stock' });
      expect((await host.call('dropTable', { name: 'stock' })).reply).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      expect((await host.result<EmbedTable[]>('listTables')).map((t) => t.name)).toEqual(['retail']);
      await expect.poll(() => host.appTableNames()).toEqual(['retail']);
      expectCleanRun();
    });

    it('answers an unknown method with unknown_method and bad params with bad_params naming the parameter', async () => {
      const host = await openHost();
      await host.waitReady();

      const unknown = await host.call('deleteEverything', {});
      expect(unknown.reply).toMatchObject({
        ok: false,
        error: { code: 'unknown_method', params: { method: 'deleteEverything' } },
      });
      expect(unknown.reply?.error?.message).toMatch(/loadTable, listTables, query/);
      expect((await host.call('toString')).reply?.error?.code).toBe('unknown_method');

      const cases: [string, Record<string, unknown>, string][] = [
        ['query', {}, 'sql'],
        ['query', { sql: 'SELECT 1', limit: 0 }, 'limit'],
        ['query', { sql: 'SELECT 1', limit: 1e9 }, 'limit'],
        ['loadTable', { fileName: 'x.csv', data: 12 }, 'data'],
        ['loadTable', { data: 'a,b\n1,2\n' }, 'fileName'],
        ['loadTable', { fileName: 'x.xlsx', data: 'not bytes' }, 'data'],
        ['dropTable', {}, 'name'],
        ['profile', { table: 42 }, 'table'],
      ];
      for (const [method, params, param] of cases) {
        const { reply } = await host.call(method, params);
        expect(reply, `${method} ${JSON.stringify(params)}`).toMatchObject({
          ok: false,
          error: { code: 'bad_params', params: { method, param } },
        });
      }
      // Unknown parameters are an error, not ignored.
      const extra = await host.call('listTables', { verbose: true });
      expect(extra.reply).toMatchObject({ ok: false, error: { code: 'bad_params' } });
      expect(extra.reply?.error?.message).toMatch(/verbose/);
      // Nothing was loaded by any of them.
      expect(await host.result('listTables')).toEqual([]);
      expectCleanRun();
    });

    it('sends progress events during a larger load (200,000 lines, 14 MB), all before the reply', async () => {
      const host = await openHost();
      await host.waitReady();
      const outcome = await host.loadGeneratedOrders('big_orders.csv', 200_000);
      expect(outcome.reply).toMatchObject({ ok: true, result: { name: 'big_orders', rows: 200_000 } });
      expect(outcome.byteLengthAfterPost).toBe(0);

      const { progress } = outcome;
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.every((p) => p.beforeReply)).toBe(true);
      const phases = [...new Set(progress.map((p) => p.phase))];
      expect(phases).toEqual(expect.arrayContaining(['read', 'parse']));
      expect(phases.every((p) => ['read', 'decode', 'parse', 'infer', 'convert'].includes(p))).toBe(true);
      for (const p of progress) {
        expect(p.done).toBeGreaterThanOrEqual(0);
        expect(p.done).toBeLessThanOrEqual(p.total);
      }
      const parse = progress.filter((p) => p.phase === 'parse');
      expect(parse.at(-1)).toMatchObject({ done: parse.at(-1)?.total });
      expect(parse[0]?.total).toBeGreaterThan(14_000_000);
      // The host is told about its own file, not the app's internal staging names
      // (documented: "detail": "orders.csv"). Fails today: see the report.
      expect(progress.filter((p) => p.detail?.startsWith('__')).map((p) => `${p.phase}: ${p.detail}`)).toEqual([]);
      expectCleanRun();
    });

    it('addresses every message to the host: origin is the app, source is the frame, nothing else arrives', async () => {
      const host = await openHost();
      await host.waitReady();
      await host.result('loadTable', { fileName: 'retail.csv', data: RETAIL_CSV });
      await host.call('query', { sql: 'DROP TABLE retail' });
      await host.call('nope');
      const received = await host.received();
      expect(received.length).toBeGreaterThanOrEqual(4);
      expect(received.filter((m) => m.origin !== host.appOrigin || !m.fromApp)).toEqual([]);
      // No console error: a message addressed to another origin would have logged
      // "The target origin provided (…) does not match the recipient window's origin".
      expectCleanRun();
    });

    it('accepts embed=true as documented ("true, yes and a bare embed also work")', async () => {
      const host = await openHost({ embed: 'true' });
      await host.waitAppStarted();
      const ready = await host.waitReady(3_000);
      expect(ready, 'no ready event for ?embed=true').toMatchObject({ event: 'ready', version: APP_VERSION });
      const { reply } = await host.call('listTables', {}, { timeoutMs: 2_000 });
      expect(reply).toMatchObject({ ok: true, result: [] });
    });
  });

  describe('windows that must be ignored', () => {
    it('a foreign-origin parent (not in allow) gets no ready and no replies, and changes nothing', async () => {
      const warnings = recordWarnings(fx.page);
      // The foreign page frames the app with allow=<the real host's origin>, not its own.
      const foreign = new EmbedHostPage(fx.page, foreignServer.url, fx.app.baseUrl);
      await foreign.open({ allow: hostServer.origin });
      await foreign.waitAppStarted();

      // Give the app a table of its own, through its UI in the frame.
      const frame = await foreign.appFrame();
      await frame
        .locator('input[type=file][data-testid="file-input"]')
        .setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(RETAIL_CSV) });
      await frame.locator('[data-testid="table-item"][data-table="orders"]').waitFor({ timeout: 30_000 });

      const [drop, load, list] = await Promise.all([
        foreign.call('dropTable', { name: 'orders' }, { timeoutMs: SILENCE_MS }),
        foreign.call('loadTable', { fileName: 'evil.csv', data: 'a,b\n1,2\n' }, { timeoutMs: SILENCE_MS }),
        foreign.call('listTables', {}, { timeoutMs: SILENCE_MS }),
      ]);
      expect([drop.reply, load.reply, list.reply]).toEqual([null, null, null]);
      const fromApp = (await foreign.received()).filter((m: HostMessage) => m.fromApp);
      expect(fromApp).toEqual([]);
      expect(await foreign.appTableNames()).toEqual(['orders']);
      // The app says why in its own console (once per origin).
      expect(warnings.filter((w) => w.includes(`Ignored messages from ${foreignServer.origin}`))).toHaveLength(1);
      expectCleanRun();
    });

    it('a sibling frame of the allowed origin (not window.parent) is ignored; state unchanged', async () => {
      const intruderUrl = new URL(`intruder.html?app=${encodeURIComponent(fx.app.baseUrl)}`, hostServer.url).href;
      const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
      await host.open({ sibling: intruderUrl });
      await host.waitReady();
      await host.result('loadTable', { fileName: 'orders.csv', data: RETAIL_CSV });

      const siblingFrame = () => fx.page.frames().find((f) => f.url().startsWith(`${hostServer.origin}/intruder.html`));
      await expect.poll(() => siblingFrame() !== undefined).toBe(true);
      const sibling = siblingFrame();
      if (!sibling) throw new Error('no sibling frame');
      await sibling.waitForFunction(() => 'intruder' in window);
      const before = (await host.received()).length;
      await sibling.evaluate(() => {
        const intruder = (
          window as unknown as {
            intruder: {
              send(id: string, method: string, params?: object): void;
              sendLoad(id: string, f: string, c: string): void;
            };
          }
        ).intruder;
        intruder.send('s1', 'dropTable', { name: 'orders' });
        intruder.sendLoad('s2', 'evil.csv', 'a,b\n1,2\n');
        intruder.send('s3', 'listTables');
      });
      await sleep(SILENCE_MS);
      expect(
        await sibling.evaluate(() => (window as unknown as { intruder: { received: unknown[] } }).intruder.received),
      ).toEqual([]);
      expect((await host.received()).slice(before)).toEqual([]);
      expect((await host.result<EmbedTable[]>('listTables')).map((t) => t.name)).toEqual(['orders']);
      expect(await host.appTableNames()).toEqual(['orders']);
      expectCleanRun();
    });

    it('popups of the allowed and of a foreign origin holding the frame (opener.frames[0]) are ignored', async () => {
      const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
      await host.open();
      await host.waitReady();
      await host.result('loadTable', { fileName: 'orders.csv', data: RETAIL_CSV });
      const before = (await host.received()).length;

      for (const server of [hostServer, foreignServer]) {
        const url = new URL(`intruder.html?app=${encodeURIComponent(fx.app.baseUrl)}`, server.url).href;
        const [popup] = await Promise.all([
          fx.tp.context.waitForEvent('page'),
          fx.page.evaluate((u) => void window.open(u, '_blank'), url),
        ]);
        await popup.waitForFunction(() => 'intruder' in window);
        await popup.evaluate(() => {
          const intruder = (
            window as unknown as {
              intruder: {
                send(id: string, method: string, params?: object): void;
                sendLoad(id: string, f: string, c: string): void;
              };
            }
          ).intruder;
          intruder.send('p1', 'dropTable', { name: 'orders' });
          intruder.sendLoad('p2', 'evil.csv', 'a,b\n1,2\n');
        });
        await sleep(SILENCE_MS / 2);
        expect(
          await popup.evaluate(() => (window as unknown as { intruder: { received: unknown[] } }).intruder.received),
          server.origin,
        ).toEqual([]);
        await popup.close();
      }
      expect((await host.received()).slice(before)).toEqual([]);
      expect((await host.result<EmbedTable[]>('listTables')).map((t) => t.name)).toEqual(['orders']);
      expect(await host.appTableNames()).toEqual(['orders']);
      expectCleanRun();
    });
  });
});

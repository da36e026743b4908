import { describe, expect, it } from 'vitest';
import { UiPage } from './pages/ui';
import { newPage } from './support/browser';
import { useApp } from './support/fixture';

/**
 * The app's own interface in real Chromium: language and theme (and that they persist), the
 * quality report, columns & roles, sorting, filtering and virtual scrolling of the grid, the
 * SQL console's errors, and removing a table. Most tests use the bundled Online Retail sample
 * (public/samples/online_retail_sample_20k.csv: 20,000 lines, 5,078 without CustomerID,
 * 350 cancellations, Quantity from -1,200 to 4,800, 369 lines from Germany).
 */

const SAMPLE_TABLE = 'online_retail_sample_20k';
const SMALL_CSV = 'sku,product_name,category,on_hand\nA-1,Mug,Kitchen,12\nB-2,Lamp,Home,3\nC-3,Rug,Home,0\n';

const EN_TABS = ['Data', 'Columns & roles', 'Data quality', 'Prepare', 'Build features', 'Select features'];
const ZH_TABS = ['数据', '列与角色', '数据质量', '数据准备', '构建特征', '特征选择'];

describe('ui', () => {
  const fx = useApp();
  const ui = () => new UiPage(fx.app);

  async function start(): Promise<void> {
    await fx.app.goto();
    await fx.app.waitReady();
  }

  async function loadSample(): Promise<void> {
    await start();
    await fx.app.loadSample('online-retail');
    await fx.app.openTable(SAMPLE_TABLE);
    await expect.poll(() => fx.app.rowCountLabel.innerText()).toBe('20,000 of 20,000 rows');
  }

  function expectNoErrors(): void {
    expect(fx.tp.consoleErrors).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.offOriginRequests).toEqual([]);
  }

  describe('language and theme', () => {
    it('switches to zh-CN (tab labels 数据 / 列与角色 / 数据质量) and keeps it across a reload', async () => {
      await start();
      await fx.app.uploadBuffer('stock.csv', SMALL_CSV, 'text/csv');
      await fx.app.openTable('stock');
      expect(await ui().tableTabLabels()).toEqual(EN_TABS);

      await fx.app.setLanguage('zh-CN');
      expect(await ui().tableTabLabels()).toEqual(ZH_TABS);
      expect(await fx.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      expect((await fx.app.byTestId('tab-sql').innerText()).trim()).toBe('SQL 控制台');
      expect((await fx.app.rowCountLabel.innerText()).trim()).toBe('3 / 3 行');

      await fx.page.reload({ waitUntil: 'domcontentloaded' });
      await fx.app.waitReady();
      expect(await fx.app.langSelect.inputValue()).toBe('zh-CN');
      expect(await fx.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await expect.poll(() => fx.app.byTestId('add-files').innerText()).toBe('+ 添加文件');
      expect(await fx.page.getByText('还没有数据表。').count()).toBe(1);
      // Tables live in memory: load again and the tabs are still Chinese.
      await fx.app.uploadBuffer('stock.csv', SMALL_CSV, 'text/csv');
      await fx.app.openTable('stock');
      expect(await ui().tableTabLabels()).toEqual(ZH_TABS);

      await fx.app.setLanguage('en');
      expect(await ui().tableTabLabels()).toEqual(EN_TABS);
      expectNoErrors();
    });

    it('starts in Chinese in a browser whose locale is zh-CN, in English for en-US', async () => {
      await start();
      expect(await fx.app.langSelect.inputValue()).toBe('en');
      expect((await fx.app.byTestId('add-files').innerText()).trim()).toBe('+ Add files');

      const zh = await newPage(fx.browser, { locale: 'zh-CN' });
      try {
        await zh.page.goto(fx.app.baseUrl, { waitUntil: 'domcontentloaded' });
        await zh.page.waitForFunction(() => document.documentElement.dataset.state === 'ready');
        expect(await zh.page.evaluate(() => navigator.language)).toBe('zh-CN');
        expect(await zh.page.locator('[data-testid="lang-select"]').inputValue()).toBe('zh-CN');
        expect(await zh.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
        expect((await zh.page.locator('[data-testid="add-files"]').innerText()).trim()).toBe('+ 添加文件');
        expect((await zh.page.locator('[data-testid="tab-sql"]').innerText()).trim()).toBe('SQL 控制台');
        expect(zh.consoleErrors).toEqual([]);
      } finally {
        await zh.close();
      }
    });

    it('toggles the theme (data-theme light → dark → light) and keeps the choice across reloads', async () => {
      await start();
      const theme = () => fx.page.evaluate(() => document.documentElement.dataset.theme);
      const background = () => fx.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(await theme()).toBe('light');
      const light = await background();

      await fx.app.toggleTheme();
      expect(await theme()).toBe('dark');
      expect(await background()).not.toBe(light);
      expect(await fx.page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');

      await fx.page.reload({ waitUntil: 'domcontentloaded' });
      await fx.app.waitReady();
      expect(await theme()).toBe('dark');

      await fx.app.toggleTheme();
      expect(await theme()).toBe('light');
      expect(await background()).toBe(light);
      await fx.page.reload({ waitUntil: 'domcontentloaded' });
      await fx.app.waitReady();
      expect(await theme()).toBe('light');

      // With no saved choice the app follows the system.
      await fx.page.evaluate(() => localStorage.removeItem('shopsight.theme'));
      await fx.page.emulateMedia({ colorScheme: 'dark' });
      await fx.page.reload({ waitUntil: 'domcontentloaded' });
      expect(await theme()).toBe('dark');
      expectNoErrors();
    });
  });

  describe('Online Retail sample', () => {
    it('quality report: 5,078 missing CustomerID (25.4 %) and 350 cancellations', async () => {
      await loadSample();
      await ui().openQualityReport();
      const score = Number(await fx.app.qualityScoreText());
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);

      const missing = fx.page.locator('[data-testid="finding"][data-code="missing_values"]', { hasText: 'CustomerID' });
      expect(await missing.count()).toBe(1);
      expect((await missing.innerText()).replace(/\s+/g, ' ')).toMatch(
        /5,078 values in "CustomerID" are missing \(25\.4%\)\./,
      );
      const cancellations = fx.page.locator('[data-testid="finding"][data-code="cancellations"]');
      expect(await cancellations.count()).toBe(1);
      expect((await cancellations.innerText()).replace(/\s+/g, ' ')).toMatch(
        /350 lines belong to cancelled orders, whose order id starts with "C" \(1\.8%\)\./,
      );
      // The CustomerID card agrees.
      const card = fx.page.locator('[data-testid="column-profile"][data-column="CustomerID"]');
      expect(await card.innerText()).toMatch(/25\.4\s*%/);
      expectNoErrors();
    });

    it('Columns & roles: a new role sticks, and its previous holder becomes —', async () => {
      await loadSample();
      await ui().openTableTab('columns');
      expect(await ui().roles()).toEqual({
        InvoiceNo: 'order_id',
        StockCode: 'product_id',
        Description: 'product_name',
        Quantity: 'quantity',
        InvoiceDate: 'timestamp',
        UnitPrice: 'unit_price',
        CustomerID: 'customer_id',
        Country: 'country',
      });
      expect(await ui().roleLabelOf('InvoiceNo')).toBe('Order ID');

      await ui().setRole('StockCode', 'order_id');
      expect(await ui().roleOf('StockCode')).toBe('order_id');
      expect(await ui().roleOf('InvoiceNo')).toBe('none');
      expect(await ui().roleLabelOf('InvoiceNo')).toBe('—');
      expect(await ui().columnRow('StockCode').innerText()).toMatch(/set by you/);

      // Still there after visiting other tabs and the SQL console.
      await ui().openTableTab('data');
      await fx.app.openTab('sql');
      await fx.app.tableItem(SAMPLE_TABLE).locator('button.select').click();
      await ui().openTableTab('columns');
      expect(await ui().roleOf('StockCode')).toBe('order_id');
      expect(await ui().roleLabelOf('InvoiceNo')).toBe('—');
      // The quality report uses it too.
      await ui().openQualityReport();
      expect(
        await fx.page.locator('[data-testid="column-profile"][data-column="StockCode"] header').innerText(),
      ).toMatch(/Order ID/);
      expectNoErrors();
    });

    it('grid: sorting by a header click, then filters narrow the row count', async () => {
      await loadSample();
      const columns = await ui().gridColumns();
      expect(columns).toEqual([
        'InvoiceNo',
        'StockCode',
        'Description',
        'Quantity',
        'InvoiceDate',
        'UnitPrice',
        'CustomerID',
        'Country',
      ]);
      const quantity = columns.indexOf('Quantity');
      expect((await ui().firstRowCells())[0]).toBe('546306');

      await ui().sortBy('Quantity', 'ascending');
      await expect.poll(async () => (await ui().firstRowCells())[quantity]).toBe('-1200');
      await ui().sortBy('Quantity', 'descending');
      await expect.poll(async () => (await ui().firstRowCells())[quantity]).toBe('4800');

      await ui().addFilter('Country', 'equals', 'Germany');
      expect((await fx.app.rowCountLabel.innerText()).trim()).toBe('369 of 20,000 rows');
      await ui().addFilter('Quantity', 'gte', '12');
      expect((await fx.app.rowCountLabel.innerText()).trim()).toBe('163 of 20,000 rows');
      const first = await ui().firstRowCells();
      expect(first[columns.indexOf('Country')]).toBe('Germany');
      expect(Number(first[quantity])).toBeGreaterThanOrEqual(12);
      expectNoErrors();
    });

    it('grid virtualisation: 20,000 rows, fewer than 100 in the DOM, scrolling reaches row 20,000', async () => {
      await loadSample();
      expect(await fx.app.grid.getAttribute('aria-rowcount')).toBe('20001');
      const rendered = await fx.app.gridRows.count();
      expect(rendered).toBeGreaterThan(5);
      expect(rendered).toBeLessThan(100);

      await ui().scrollGridToBottom();
      await ui().waitRowLoaded(20_000);
      expect(await ui().rowCells(20_000)).toEqual([
        '579689',
        '85169B',
        'BLACK LOVE BIRD CANDLE',
        '2',
        '2011-11-30 14:00:00',
        '1.25',
        '14606',
        'United Kingdom',
      ]);
      const numbers = await ui().renderedRowNumbers();
      expect(Math.max(...numbers)).toBe(20_000);
      expect(numbers.length).toBeLessThan(100);
      // The last row is actually in view, not just in the DOM. Fails today: at the end of the
      // scroll range row 20,000 sits 26 px below the grid's visible area (see the report).
      const row = await fx.app.grid.locator('[data-testid="grid-row"][aria-rowindex="20001"]').boundingBox();
      const grid = await fx.app.grid.boundingBox();
      const clientHeight = await fx.app.grid.evaluate((g) => g.clientHeight);
      if (!row || !grid) throw new Error('no bounding box');
      expect(row.y).toBeGreaterThanOrEqual(grid.y);
      expect(row.y + row.height, 'bottom of row 20,000 vs bottom of the grid viewport').toBeLessThanOrEqual(
        grid.y + clientHeight + 1,
      );
      expectNoErrors();
    });

    it('SQL console: an error is shown in place, and the console still works afterwards', async () => {
      await loadSample();
      const bad = await fx.app.runSql(`SELECT no_such_column FROM ${SAMPLE_TABLE}`);
      expect(bad.error).toMatch(/^The query did not run/);
      expect(bad.error).toMatch(/no_such_column/);
      // In place: inside the console, right under the editor, not a global notice.
      expect(await fx.page.locator('section.sql [data-testid="sql-error"]').count()).toBe(1);
      expect(await fx.app.byTestId('load-error').count()).toBe(0);
      expect(await fx.app.sqlInput.inputValue()).toBe(`SELECT no_such_column FROM ${SAMPLE_TABLE}`);

      const good = await fx.app.runSql(
        `SELECT Country, count(*) AS lines FROM ${SAMPLE_TABLE} GROUP BY Country ORDER BY lines DESC LIMIT 3`,
      );
      expect(good.error).toBeNull();
      expect(await fx.app.sqlError.count()).toBe(0);
      expect(await fx.app.gridCellTexts()).toEqual([
        ['United Kingdom', '18331'],
        ['Germany', '369'],
        ['France', '305'],
      ]);
      expect(await fx.app.byTestId('sql-status').innerText()).toMatch(/^3 rows in \d+ ms/);

      // A write is refused in the console too, and again shown in place.
      const write = await fx.app.runSql(`DROP TABLE ${SAMPLE_TABLE}`);
      expect(write.error).toMatch(/DROP/);
      expect(await fx.app.tableNames()).toEqual([SAMPLE_TABLE]);
      expectNoErrors();
    });
  });

  it('sidebar remove button: dismissing the confirm keeps the table, accepting drops it', async () => {
    await start();
    await fx.app.uploadBuffer('stock.csv', SMALL_CSV, 'text/csv');
    await fx.app.uploadBuffer('more_stock.csv', SMALL_CSV, 'text/csv');
    await fx.app.waitForTable('stock');
    await fx.app.openTable('more_stock');
    expect(await fx.app.tableNames()).toEqual(['stock', 'more_stock']);

    expect(await ui().removeTable('more_stock', false)).toBe(
      'Remove table "more_stock"? The file on your disk is not touched.',
    );
    await fx.page.waitForTimeout(300);
    expect(await fx.app.tableNames()).toEqual(['stock', 'more_stock']);

    await ui().removeTable('more_stock', true);
    await expect.poll(() => fx.app.tableNames()).toEqual(['stock']);
    // The view moves to the remaining table; the dropped one is gone from SQL too.
    await expect.poll(() => fx.page.locator('.table-view h2').innerText()).toBe('stock');
    const outcome = await fx.app.runSql('SELECT count(*) AS n FROM more_stock');
    expect(outcome.error).toMatch(/more_stock/);
    expectNoErrors();
  });
});

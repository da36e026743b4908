/**
 * Markup and script in a file never become markup or script in the app.
 *
 * One CSV carries `<img src=x onerror=…>`, `<script>…</script>` and `javascript:` text in its
 * file name, its column names and its cells. After loading it, every place that shows them —
 * sidebar, title line, grid headers and cells, filter chips, Columns & roles, the quality report
 * (findings, rejected values, chart tooltips), SQL results and errors, load notices — must show
 * the characters as text: read back with `textContent`, no `img`/`script` element inside #app,
 * no inline event handler attribute anywhere, `window.__pwned` never set, no dialog.
 *
 * The page runs with the CSP *bypassed* (`bypassCSP: true`): the app's CSP would stop an inline
 * handler from running even if markup got injected, which would hide an injection from the
 * `window.__pwned` check. The first test proves that an injected handler does run here.
 */
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './pages/app-page';
import { csvText } from './fixtures/files';
import { screenshot } from './support/artifacts';
import { baseUrl, launchBrowser } from './support/browser';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const JS_URL = 'javascript:window.__pwned=1';
const JS_ALERT = 'javascript:alert(1)';

/** A file name no file system allows ("/" included), but a File object does. */
const FILE_NAME = `${IMG}${SCRIPT}${JS_ALERT}.csv`;
/** What the app makes of it: the part after the last "/", letters and digits only. */
const TABLE = 'script_javascript_alert_1';

/** 60 rows; `tag` repeats values (so the quality report draws a chart); `qty` has one bad value. */
const ROWS: (string | number)[][] = [['id', IMG, SCRIPT, JS_URL, 'tag', 'qty', 'link']];
for (let i = 1; i <= 60; i++) ROWS.push([i, IMG, SCRIPT, JS_ALERT, i <= 40 ? IMG : SCRIPT, i === 5 ? IMG : i, JS_URL]);

describe('XSS: file names, column names and cells are text everywhere', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: AppPage;
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    context.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    context.on('weberror', (e) => pageErrors.push(e.error().message));
    page = await context.newPage();
    page.on('dialog', (dialog: Dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    app = new AppPage(page, baseUrl());
    await app.goto();
    await app.waitReady();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      const path = await screenshot(page, `xss.spec.ts-${ctx.task.name}`).catch(() => null);
      if (path) console.log(`[e2e] screenshot of the failure: ${path}`);
    }
  });

  /** Nothing was injected or run, so far. */
  async function expectNothingInjected(): Promise<void> {
    const dom = await page.evaluate(() => ({
      imgOrScript: document.querySelectorAll('#app img, #app script').length,
      handlerAttributes: Array.from(document.querySelectorAll('*'))
        .filter((el) => Array.from(el.attributes).some((a) => a.name.toLowerCase().startsWith('on')))
        .map((el) => el.outerHTML.slice(0, 120)),
      javascriptLinks: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    }));
    expect(dom).toEqual({ imgOrScript: 0, handlerAttributes: [], javascriptLinks: 0, pwned: undefined });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }

  it('sanity: in this page an injected <img onerror> does run (CSP bypassed), so the checks below can fail', async () => {
    const ran = await page.evaluate(async () => {
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:image/png;base64,AAAA" onerror="window.__oracle = 1">';
      for (let i = 0; i < 50 && !(window as unknown as { __oracle?: number }).__oracle; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      holder.remove();
      return (window as unknown as { __oracle?: number }).__oracle ?? 0;
    });
    expect(ran).toBe(1);
    await expectNothingInjected();
  });

  it('loads the file; sidebar, title line, grid headers and cells show the characters as text', async () => {
    const outcome = await app.loadFile({ name: FILE_NAME, bytes: csvText(ROWS), mimeType: 'text/csv' });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added).toEqual([TABLE]);
    expect(outcome.warnings).toEqual([
      `${TABLE}: Loaded with 1 warning(s) 1 value in "qty" did not read as whole numbers (e.g. "${IMG}" in row 5); they are empty in the table and kept in the rejects list.`,
    ]);

    expect(await app.tableItem(TABLE).locator('button.select').getAttribute('title')).toBe(FILE_NAME);
    await app.openTable(TABLE);
    expect(await app.tableMeta()).toBe(`60 rows · 7 · ${FILE_NAME} · utf-8`);
    expect(await app.gridColumnNames()).toEqual(['id', IMG, SCRIPT, JS_URL, 'tag', 'qty', 'link']);
    const rows = await app.waitForGridRows(5);
    expect(rows[0]).toEqual(['1', IMG, SCRIPT, JS_ALERT, IMG, '1', JS_URL]);
    expect(rows[4]).toEqual(['5', IMG, SCRIPT, JS_ALERT, IMG, 'empty', JS_URL]);
    // The cells hold exactly one text node each: no element was made from the value.
    const cellChildren = await app.grid
      .locator('[data-testid="grid-row"]')
      .first()
      .locator('[data-testid="grid-cell"]')
      .evaluateAll((cells) => cells.map((c) => c.childElementCount));
    expect(cellChildren).toEqual([0, 0, 0, 0, 0, 0, 0]);
    await expectNothingInjected();
  });

  it('sorting by and filtering on a column named <img …>: the filter chip shows the value as text', async () => {
    await app.openTable(TABLE);
    await app.clickSort(SCRIPT);
    await expect.poll(() => app.sortState(SCRIPT)).toBe('ascending');
    await app.addFilter('tag', 'equals', SCRIPT);
    await expect.poll(() => app.rowCount()).toBe(20);
    const chip = page.locator('form.filters .chip');
    expect(((await chip.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(`tag equals ${SCRIPT}`);
    expect((await app.waitForGridRows(1))[0]?.[4]).toBe(SCRIPT);
    await app.addFilter(IMG, 'contains', 'onerror');
    await expect.poll(() => app.rowCount()).toBe(20);
    await expectNothingInjected();
  });

  it('Columns & roles lists the names as text', async () => {
    await app.openTable(TABLE);
    const columns = await app.columnRows();
    expect(columns.map((c) => c.name)).toEqual(['id', IMG, SCRIPT, JS_URL, 'tag', 'qty', 'link']);
    const headerTexts = await page
      .locator('[data-testid="column-row"] th')
      .evaluateAll((cells) => cells.map((c) => c.textContent));
    expect(headerTexts).toEqual(['id', IMG, SCRIPT, JS_URL, 'tag', 'qty', 'link']);
    await expectNothingInjected();
  });

  it('quality report: column cards, findings, rejected values and chart tooltips show the characters as text', async () => {
    await app.openTable(TABLE);
    await app.openQuality();
    const cards = await page
      .locator('[data-testid="column-profile"] header strong')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(cards).toEqual(['id', IMG, SCRIPT, JS_URL, 'tag', 'qty', 'link']);

    const findings = await app.findings.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(findings.some((f) => f.includes(`"${IMG}" has the same value in every row ("${IMG}")`))).toBe(true);
    expect(findings.some((f) => f.includes(`"${SCRIPT}" has the same value in every row ("${SCRIPT}")`))).toBe(true);

    const rejected = page.locator('[data-column="qty"] [data-testid="type-problem-examples"] code');
    expect(await rejected.textContent()).toBe(IMG);

    // The "tag" card charts its two values; the tooltip is HTML drawn by ECharts.
    const chart = page.locator('[data-testid="column-profile"][data-column="tag"] .chart');
    await chart.scrollIntoViewIfNeeded();
    await chart.locator('canvas').first().waitFor();
    const box = await chart.boundingBox();
    expect(box).not.toBeNull();
    const seen = new Set<string>();
    for (const share of [0.2, 0.35, 0.5, 0.65, 0.8]) {
      await page.mouse.move(box!.x + box!.width * 0.6, box!.y + box!.height * share);
      const text = await chart
        .evaluate((el) => el.textContent ?? '')
        .then((t) => t.replace(/\s+/g, ' ').trim())
        .catch(() => '');
      if (text.includes(IMG)) seen.add(IMG);
      if (text.includes(SCRIPT)) seen.add(SCRIPT);
      if (seen.size === 2) break;
      await page.waitForTimeout(150);
    }
    expect([...seen].sort()).toEqual([SCRIPT, IMG].sort());
    await page.mouse.move(0, 0);
    await expectNothingInjected();
  });

  it('SQL console: result headers and cells, and an error quoting the name, are text', async () => {
    const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const result = await app.runSql(
      `SELECT ${q(IMG)} AS ${q(SCRIPT)}, link AS ${q(JS_ALERT)}, tag FROM ${TABLE} WHERE id IN (1, 60) ORDER BY id`,
    );
    expect(result.error).toBeNull();
    expect(await app.gridColumnNames()).toEqual([SCRIPT, JS_ALERT, 'tag']);
    expect(await app.gridCellTexts()).toEqual([
      [IMG, JS_URL, IMG],
      [IMG, JS_URL, SCRIPT],
    ]);

    const failed = await app.runSql(`SELECT * FROM ${q(IMG)}`);
    expect(failed.error).toContain(`Table with name ${IMG} does not exist`);
    expect(await page.locator('[data-testid="sql-error"] pre').evaluate((e) => e.childElementCount)).toBe(0);
    await expectNothingInjected();
  });

  it('load notices naming the file (a header-only file, an empty file) show the name as text', async () => {
    const headerOnly = await app.loadFile({ name: FILE_NAME, bytes: `${IMG},${JS_URL}\n` });
    expect(headerOnly.added).toEqual([`${TABLE}_2`]);
    expect(headerOnly.warnings).toEqual([
      `${TABLE}_2: Loaded with 1 warning(s) ${FILE_NAME} has a header row but no data rows, so the table is empty.`,
    ]);
    await expectNothingInjected();

    const empty = await app.loadFile({ name: FILE_NAME, bytes: '' });
    expect(empty.added).toEqual([]);
    expect(empty.errors).toHaveLength(1);
    expect(empty.errors[0]).toContain(`Could not load ${FILE_NAME}`);
    expect(empty.errors[0]).toContain(`${FILE_NAME} is empty.`);
    await expectNothingInjected();
  });

  it('the whole session: no console error, no uncaught error, no dialog', async () => {
    await expectNothingInjected();
    expect(consoleErrors).toEqual([]);
  });
});

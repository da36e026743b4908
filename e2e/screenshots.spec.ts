import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage } from './pages/embed-host';
import { layoutReport, UiPage, type LayoutReport } from './pages/ui';
import { artifactName, artifactsDir, screenshot } from './support/artifacts';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * Screenshots of the real app with the Online Retail sample, for people to look at
 * (e2e/artifacts/screens-*.png), plus layout sanity checks on each: no horizontal overflow,
 * key controls visible and inside the viewport, no overlapping text in the header.
 * Soft assertions: every screenshot is taken even when an earlier view has a problem.
 */

const SAMPLE_TABLE = 'online_retail_sample_20k';
const VIEWPORT = { width: 1280, height: 860 };

type View = 'data' | 'columns' | 'quality' | 'sql';

/** Controls that must be visible and horizontally inside the viewport in every view. */
const COMMON_CONTROLS = [
  '[data-testid="lang-select"]',
  '[data-testid="theme-toggle"]',
  '[data-testid="add-files"]',
  '[data-testid="tab-sql"]',
];
const VIEW_CONTROLS: Record<View, string[]> = {
  data: [
    '[data-testid="tab-data"]',
    '[data-testid="tab-columns"]',
    '[data-testid="tab-quality"]',
    '[data-testid="filter-column"]',
    '[data-testid="filter-add"]',
    '[data-testid="row-count"]',
    '[data-testid="grid"]',
  ],
  columns: ['[data-testid="tab-columns"]', '[data-testid="columns-table"]', '[data-testid="role-select"]'],
  quality: [
    '[data-testid="tab-quality"]',
    '[data-testid="quality-run"]',
    '[data-testid="quality-score"]',
    '[data-testid="finding"]',
  ],
  sql: ['[data-testid="sql-input"]', '[data-testid="sql-run"]', '[data-testid="sql-status"]', '[data-testid="grid"]'],
};

/** Soft-asserts the layout rules on one report. */
function expectSaneLayout(report: LayoutReport, label: string): void {
  expect
    .soft(report.scrollWidth, `${label}: document scrollWidth vs innerWidth ${report.innerWidth}`)
    .toBeLessThanOrEqual(report.innerWidth + 1);
  expect.soft(report.controlsOutside, `${label}: controls missing, hidden or outside the viewport`).toEqual([]);
  expect.soft(report.headerOutside, `${label}: header controls outside the viewport`).toEqual([]);
  expect.soft(report.headerTextOverlaps, `${label}: overlapping header text`).toEqual([]);
  expect.soft(report.brandToolsOverlap, `${label}: brand and tools overlap`).toBe(false);
}

/** Saves a PNG of one element (e.g. the app's iframe) as e2e/artifacts/<name>.png. */
async function elementShot(element: Locator, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${artifactName(name)}.png`);
  await element.screenshot({ path });
  return path;
}

async function settle(target: Page | Frame): Promise<void> {
  await target.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

describe('screenshots', () => {
  const pageOptions: NewPageOptions = { allowedOrigins: [], viewport: VIEWPORT };
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

  /** Opens `view` of the sample table and waits until its content has rendered. */
  async function showView(view: View): Promise<void> {
    if (view === 'sql') {
      const outcome = await fx.app.runSql(
        `SELECT Country, count(*) AS lines, sum(Quantity * UnitPrice) AS revenue\nFROM ${SAMPLE_TABLE} GROUP BY Country ORDER BY revenue DESC`,
      );
      expect(outcome.error).toBeNull();
      return;
    }
    if (!(await fx.app.tableItem(SAMPLE_TABLE).locator('button.select').isVisible())) throw new Error('no sample');
    if (await fx.app.sqlInput.isVisible()) await fx.app.tableItem(SAMPLE_TABLE).locator('button.select').click();
    if (view === 'data') {
      await ui().openTableTab('data');
      await ui().waitRowLoaded(1);
    } else if (view === 'columns') {
      await ui().openTableTab('columns');
      await fx.app.byTestId('columns-table').waitFor();
    } else {
      await ui().openQualityReport();
      await fx.app.findings.first().waitFor();
      // The charts draw after the report arrives.
      await fx.page
        .locator('[data-testid="column-profile"] canvas, [data-testid="column-profile"] svg')
        .first()
        .waitFor();
    }
  }

  for (const config of [
    { theme: 'light', lang: 'en' },
    { theme: 'dark', lang: 'zh-CN' },
  ] as const) {
    it(`${config.theme} / ${config.lang}: Data, Columns & roles, Data quality and SQL at 1280×860`, async () => {
      await fx.app.goto();
      await fx.app.waitReady();
      if (config.lang !== 'en') await fx.app.setLanguage(config.lang);
      if (config.theme === 'dark') await fx.app.toggleTheme();
      expect(await fx.page.evaluate(() => document.documentElement.dataset.theme)).toBe(config.theme);
      expect(await fx.page.evaluate(() => document.documentElement.lang)).toBe(config.lang);

      await fx.app.loadSample('online-retail');
      await fx.app.openTable(SAMPLE_TABLE);
      for (const view of ['data', 'columns', 'quality', 'sql'] as const) {
        await showView(view);
        await settle(fx.page);
        const name = `screens-${config.theme}-${config.lang}-${view}`;
        await screenshot(fx.page, name);
        expectSaneLayout(await layoutReport(fx.page, [...COMMON_CONTROLS, ...VIEW_CONTROLS[view]]), name);
      }
      expect(fx.tp.consoleErrors).toEqual([]);
      expect(fx.tp.pageErrors).toEqual([]);
    });
  }

  it('embedded in a 375 px wide iframe of a host page: Data and Data quality', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open({ width: 375, height: 760 });
    expect(await host.waitReady()).toMatchObject({ event: 'ready' });
    const frame = await host.appFrame();
    expect(await frame.evaluate(() => window.innerWidth)).toBeLessThanOrEqual(375);

    await frame.locator('[data-testid="sample-online-retail"]').click();
    const item = frame.locator(`[data-testid="table-item"][data-table="${SAMPLE_TABLE}"]`);
    await item.waitFor({ timeout: 60_000 });
    await frame.locator('[data-testid="grid-row"][aria-rowindex="2"] [data-testid="grid-cell"]').first().waitFor();
    await frame.locator('[data-testid="grid-row"] .skeleton').first().waitFor({ state: 'detached' });
    await settle(frame);
    await screenshot(fx.page, 'screens-embed-375-data');
    await elementShot(host.frameElement, 'screens-embed-375-data-frame');
    expectSaneLayout(
      await layoutReport(frame, [
        ...COMMON_CONTROLS,
        '[data-testid="tab-data"]',
        '[data-testid="tab-quality"]',
        '[data-testid="filter-add"]',
        '[data-testid="grid"]',
      ]),
      'embed-375-data',
    );

    await frame.locator('[data-testid="tab-quality"]').click();
    await frame.locator('[data-testid="finding"]').first().waitFor({ timeout: 60_000 });
    await settle(frame);
    await screenshot(fx.page, 'screens-embed-375-quality');
    await elementShot(host.frameElement, 'screens-embed-375-quality-frame');
    expectSaneLayout(
      await layoutReport(frame, [
        ...COMMON_CONTROLS,
        '[data-testid="quality-run"]',
        '[data-testid="quality-score"]',
        '[data-testid="finding"]',
      ]),
      'embed-375-quality',
    );
    expect(fx.tp.consoleErrors).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  });
});

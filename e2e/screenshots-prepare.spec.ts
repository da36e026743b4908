import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage } from './pages/embed-host';
import { PreparePage } from './pages/prepare';
import { layoutReport, type LayoutReport } from './pages/ui';
import { screenshot } from './support/artifacts';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * Screenshots of the Prepare chapter's tabs — recipe with a live preview, Build features with
 * the customer table and its segment chart, Select features with scores and the heatmap — in
 * light/English and dark/Chinese at 1280×860 and in a 375 px iframe, with the same layout
 * checks as screenshots.spec.ts (no horizontal overflow, key controls inside the viewport).
 */

const SAMPLE_TABLE = 'online_retail_sample_20k';
const LABELS = `${SAMPLE_TABLE}_labels`;

function expectSaneLayout(report: LayoutReport, label: string): void {
  expect
    .soft(report.scrollWidth, `${label}: document scrollWidth vs innerWidth ${report.innerWidth}`)
    .toBeLessThanOrEqual(report.innerWidth + 1);
  expect.soft(report.controlsOutside, `${label}: controls missing, hidden or outside the viewport`).toEqual([]);
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

describe('screenshots of the Prepare chapter', () => {
  const pageOptions: NewPageOptions = { allowedOrigins: [], viewport: { width: 1280, height: 860 } };
  const fx = useApp({ page: pageOptions });
  let hostServer: HostServer;

  beforeAll(async () => {
    hostServer = await startHostServer();
    pageOptions.allowedOrigins = [hostServer.origin];
  });
  afterAll(async () => {
    await hostServer?.close();
  });

  for (const config of [
    { theme: 'light', lang: 'en' },
    { theme: 'dark', lang: 'zh-CN' },
  ] as const) {
    it(`${config.theme} / ${config.lang}: Prepare, Build features and Select features`, async () => {
      await fx.app.goto();
      await fx.app.waitReady();
      if (config.lang !== 'en') await fx.app.setLanguage(config.lang);
      if (config.theme === 'dark') await fx.app.toggleTheme();
      await fx.app.loadSample('online-retail');
      await fx.app.openTable(SAMPLE_TABLE);
      const prepare = new PreparePage(fx.page, fx.app);
      const name = (view: string) => `screens-${config.theme}-${config.lang}-${view}`;

      await prepare.open();
      await prepare.addStep('dedupe');
      await prepare.addStep('impute');
      await settle(fx.page);
      await screenshot(fx.page, name('prepare'));
      // The panel scrolls; Apply sits under the preview.
      await fx.page.getByTestId('recipe-apply').scrollIntoViewIfNeeded();
      expectSaneLayout(
        await layoutReport(fx.page, [
          '[data-testid="add-step"]',
          '[data-testid="step-preview"]',
          '[data-testid="recipe-apply"]',
        ]),
        name('prepare'),
      );

      await fx.app.openTab('features');
      await prepare.build('customers');
      await prepare.build('labels');
      await fx.page.locator('[data-testid^="builder-customers"] canvas').first().waitFor();
      // Let the bars finish growing (ECharts animates for ~1 s).
      await fx.page.waitForTimeout(1200);
      await settle(fx.page);
      await screenshot(fx.page, name('features'));
      expectSaneLayout(await layoutReport(fx.page, ['[data-testid="builder-customers-build"]']), name('features'));

      await fx.app.openTable(LABELS);
      await fx.app.openTab('select');
      await fx.page.getByTestId('select-target').selectOption('label');
      await fx.page.getByTestId('select-run').click();
      await fx.page.getByTestId('select-row').first().waitFor({ timeout: 60_000 });
      await fx.page.locator('[data-testid="select-view"] canvas').first().waitFor();
      await fx.page.waitForTimeout(1200);
      await settle(fx.page);
      await screenshot(fx.page, name('select'));
      expectSaneLayout(
        await layoutReport(fx.page, ['[data-testid="select-run"]', '[data-testid="select-table"]']),
        name('select'),
      );
      expect(fx.tp.consoleErrors).toEqual([]);
      expect(fx.tp.pageErrors).toEqual([]);
      expect(fx.tp.offOriginRequests).toEqual([]);
    });
  }

  it('embedded in a 375 px wide iframe: the Prepare tab with a step and its preview', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open({ width: 375, height: 760 });
    expect(await host.waitReady()).toMatchObject({ event: 'ready' });
    const frame = await host.appFrame();
    await frame.locator('[data-testid="sample-online-retail"]').click();
    await frame.locator(`[data-testid="table-item"][data-table="${SAMPLE_TABLE}"]`).waitFor({ timeout: 60_000 });
    await frame.locator('[data-testid="tab-prepare"]').click();
    await frame.locator('[data-testid="add-step"]').selectOption('dedupe');
    await frame.locator('[data-testid="preview-counts"]').waitFor({ timeout: 60_000 });
    await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot(fx.page, 'screens-embed-375-prepare');
    // The iframe is 760 px tall: the step list sits below the app's toolbar, one scroll away.
    await frame.locator('[data-testid="add-step"]').scrollIntoViewIfNeeded();
    expectSaneLayout(await layoutReport(frame, ['[data-testid="add-step"]']), 'embed-375-prepare');
    await frame.locator('[data-testid="recipe-apply"]').scrollIntoViewIfNeeded();
    expectSaneLayout(await layoutReport(frame, ['[data-testid="recipe-apply"]']), 'embed-375-prepare-apply');
    expect(fx.tp.pageErrors).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { SegmentsPage } from './pages/segments';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, screenshot } from './support/artifacts';
import { useApp } from './support/fixture';

/**
 * Segments and anomalies in the real app, with the ML worker started by the production build
 * under its CSP: the Online Retail sample → customer table (built from the Segments view) →
 * k-means segments with elbow, silhouette, profiles and scatter → CSV; anomalies on the order
 * lines → review queue, one row marked, CSV with the mark. Nothing leaves the origin.
 */
describe('Segments and anomalies', () => {
  const fx = useApp();

  it('segments the Online Retail customers and reviews unusual orders', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.loadSample('online-retail');
    await fx.app.waitForTable('online_retail_sample_20k');
    const view = new SegmentsPage(fx.page);

    await view.openSegments();
    await fx.page.getByTestId('segments-no-customers').waitFor();
    await fx.page.getByTestId('segments-build').click();
    await fx.app.waitForTable('online_retail_sample_20k_customers');
    await expect
      .poll(() => fx.page.getByTestId('segments-table').inputValue())
      .toBe('online_retail_sample_20k_customers');
    expect(await fx.page.getByTestId('segments-feature-recency_days').isChecked()).toBe(true);

    await fx.page.getByTestId('segments-kmax').fill('6');
    await fx.page.getByTestId('segments-run').click();
    const summary = await view.waitFor('segments');
    expect(summary).toMatch(/customers in [2-6] segments/);
    const cards = fx.page.getByTestId('segment-card');
    const k = await cards.count();
    expect(k).toBeGreaterThanOrEqual(2);
    expect(await fx.page.getByTestId('segment-action').first().innerText()).toMatch(/\w/);
    // The sample has no category column: each card lists its top 3 products by revenue.
    const top = fx.page.getByTestId('segment-top-categories').first();
    expect(await top.innerText()).toMatch(/Top products by revenue \(Description/);
    expect(await top.locator('li').count()).toBe(3);
    expect(await fx.page.getByTestId('segments-engine').innerText()).toMatch(/JavaScript|TF\.js/);
    for (const id of ['segments-elbow', 'segments-silhouette', 'segments-scatter', 'segments-rfm'])
      await fx.page.locator(`[data-testid="${id}"] canvas`).first().waitFor();

    // Another k: re-run for it.
    const other = k === 3 ? 4 : 3;
    await fx.page.getByTestId(`segments-k-${other}`).click();
    await expect.poll(() => cards.count(), { timeout: 120_000 }).toBe(other);
    // A tall viewport, so the full-page screenshot shows the whole (inner-scrolling) view.
    await fx.page.setViewportSize({ width: 1280, height: 2400 });
    await screenshot(fx.page, 'segments-light-en');

    const csv = await view.download('segments-export');
    expect(csv.fileName).toMatch(/segments\.csv$/);
    const lines = csv.text.trim().split(/\r\n/);
    expect(lines[0]).toBe('customer_id,segment,pca_x,pca_y,action');
    expect(lines.length).toBeGreaterThan(100);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[1])).size).toBe(other);

    await view.openAnomalies();
    await expect.poll(() => fx.page.getByTestId('anomalies-table').inputValue()).toBe('online_retail_sample_20k');
    await fx.page.getByTestId('anomalies-run').click();
    const anomalies = await view.waitFor('anomalies');
    expect(anomalies).toMatch(/of [\d,]+ orders flagged/);
    const rows = fx.page.getByTestId('anomaly-row');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await fx.page.getByTestId('anomaly-reason').first().innerText()).toMatch(/typical/);
    await fx.page.locator('[data-testid="anomalies-histogram"] canvas').waitFor();
    const firstKey = (await rows.first().locator('th').innerText()).trim();
    await rows.first().getByTestId('anomaly-false-alarm').click();
    expect(await fx.page.getByTestId('anomalies-counts').innerText()).toMatch(/1 false alarm/);
    await screenshot(fx.page, 'anomalies-light-en');

    const exported = await view.download('anomalies-export');
    const header = exported.text.split(/\r\n/)[0]!;
    expect(header.split(',')).toEqual(expect.arrayContaining(['anomaly_score', 'reasons', 'order_value', 'review']));
    const marked = exported.text.split(/\r\n/).find((l) => l.startsWith(`${firstKey},`));
    expect(marked).toMatch(/,false_alarm$/);

    // Dark theme and Chinese, narrow: the views still render.
    await fx.app.toggleTheme();
    await fx.app.setLanguage('zh-CN');
    await fx.page.setViewportSize({ width: 375, height: 3200 });
    await screenshot(fx.page, 'anomalies-dark-zh-narrow');
    mkdirSync(artifactsDir, { recursive: true });
    for (const [i, y] of [0, 1000].entries())
      await fx.page.screenshot({
        path: join(artifactsDir, `anomalies-dark-zh-narrow-${i + 1}.png`),
        clip: { x: 0, y, width: 375, height: 1000 },
      });
    await view.openSegments();
    await screenshot(fx.page, 'segments-dark-zh-narrow');
    // The same in readable slices (the viewer shrinks a 375 × 3200 image too far).
    for (const [i, y] of [0, 1000, 2000].entries())
      await fx.page.screenshot({
        path: join(artifactsDir, `segments-dark-zh-narrow-${i + 1}.png`),
        clip: { x: 0, y, width: 375, height: 1000 },
      });

    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
  }, 300_000);
});

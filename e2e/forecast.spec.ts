import { describe, expect, it } from 'vitest';
import { ForecastPage } from './pages/forecast';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';

/**
 * The Forecast chapter in the production build under the app's CSP: the ML worker starts, reads
 * the Online Retail sample over the data link, backtests the baselines, Holt-Winters and a tiny
 * LSTM (TF.js, self-hosted wasm), shows the chart and the leaderboard with a verdict, gives a
 * reorder point, writes the forecast table and exports it — and nothing leaves the origin.
 */
describe('Forecast', () => {
  const fx = useApp();

  it(
    'forecasts the Online Retail sample with baselines and a tiny LSTM, then exports',
    { timeout: 300_000 },
    async () => {
      await fx.app.goto();
      await fx.app.waitReady();
      await fx.app.loadSample('online-retail');
      await fx.app.waitForTable('online_retail_sample_20k');
      const f = new ForecastPage(fx.page, fx.app);
      await f.open();
      expect(await f.field('table').inputValue()).toBe('online_retail_sample_20k');
      expect(await f.field('date').inputValue()).toBe('InvoiceDate');
      expect(await f.field('value').inputValue()).toBe('Quantity');
      expect(await f.field('multiply').inputValue()).toBe('UnitPrice');
      await f.field('horizon').fill('14');
      await f.field('origins').fill('2');
      await f.setModel('arima', false);
      await f.setModel('ets', false);
      await f.setModel('lstm', true);
      await f.field('epochs').fill('3');
      await f.run();
      expect(await fx.page.getByTestId('forecast-error').count()).toBe(0);
      const rows = await f.rows();
      const models = rows.map((r) => r.model);
      for (const m of ['naive', 'seasonal_naive', 'moving_average', 'ses', 'holt_winters', 'lstm']) {
        expect(models).toContain(m);
      }
      expect(rows.filter((r) => r.recommended)).toHaveLength(1);
      expect(rows.find((r) => r.model === 'lstm')!.mase).toMatch(/^\d/);
      expect(await fx.page.getByTestId('forecast-verdict').innerText()).toMatch(/\w{3,}/);
      expect(await fx.page.getByTestId('forecast-summary').innerText()).toMatch(/Detected: Daily/);
      expect(await fx.page.getByTestId('forecast-training').count()).toBe(1);
      // The chart drew on a canvas.
      await fx.page.locator('[data-testid="forecast-chart"] canvas').first().waitFor();
      expect(await fx.page.getByTestId('forecast-reorder').innerText()).toMatch(/reorder when stock falls to/);
      await f.field('show-backtests').check();
      await fx.app.waitForTable('online_retail_sample_20k_forecast');

      const csv = await f.exportCsv();
      expect(csv.fileName).toBe('online_retail_sample_20k_forecast.csv');
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe('period,series,model,recommended,p10,p50,p90');
      // 14 periods × (6 models).
      expect(lines.length - 1).toBe(14 * 6);
      expect(lines.filter((l) => l.split(',')[3] === '1')).toHaveLength(14);

      await fx.page.setViewportSize({ width: 1280, height: 2600 });
      await screenshot(fx.page, 'forecast-light-en');
      await fx.app.toggleTheme();
      await fx.app.setLanguage('zh-CN');
      await fx.page.getByText('排行榜').first().waitFor();
      await screenshot(fx.page, 'forecast-dark-zh');
      await fx.page.setViewportSize({ width: 375, height: 3200 });
      await screenshot(fx.page, 'forecast-narrow');

      expect(fx.tp.offOriginRequests).toEqual([]);
      expect(fx.tp.failedRequests).toEqual([]);
      expect(fx.tp.pageErrors).toEqual([]);
      expect(fx.tp.consoleErrors).toEqual([]);
    },
  );

  it('cancels a long LSTM run from the progress bar', { timeout: 180_000 }, async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.loadSample('online-retail');
    await fx.app.waitForTable('online_retail_sample_20k');
    const f = new ForecastPage(fx.page, fx.app);
    await f.open();
    for (const m of ['ses', 'holt_winters', 'ets', 'arima']) await f.setModel(m, false);
    await f.setModel('lstm', true);
    await f.field('epochs').fill('500');
    await f.field('run').click();
    // The live training curve appears while it trains; then Cancel stops the job.
    await fx.page.getByTestId('forecast-training').waitFor({ timeout: 120_000 });
    await fx.page.getByTestId('job-cancel').click();
    await fx.page.getByTestId('forecast-cancelled').waitFor({ timeout: 30_000 });
    expect(await fx.page.getByTestId('job-progress').count()).toBe(0);
    expect(await fx.page.getByTestId('forecast-error').count()).toBe(0);
    expect(fx.tp.offOriginRequests).toEqual([]);
  });
});

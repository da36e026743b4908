import { describe, expect, it } from 'vitest';
import { ForecastPage } from './pages/forecast';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';

/**
 * LSTM inputs in the production build: the Online Retail sample split by country (top 2), a tiny
 * LSTM with the calendar, user-entered holidays with a ±1 day window, and one global model across
 * the two countries; the leaderboard lists the plain LSTM, "LSTM + calendar/covariates" and "LSTM
 * global" side by side with the baselines, in English and Chinese, and nothing leaves the origin.
 */
describe('Forecast inputs', () => {
  const fx = useApp();

  it('runs a small LSTM with calendar, holidays and a global model', { timeout: 300_000 }, async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.loadSample('online-retail');
    await fx.app.waitForTable('online_retail_sample_20k');
    const f = new ForecastPage(fx.page, fx.app);
    await f.open();
    await f.field('by').selectOption('Country');
    await f.field('topn').fill('2');
    await f.field('horizon').fill('7');
    await f.field('origins').fill('1');
    for (const m of ['ses', 'holt_winters', 'ets', 'arima']) await f.setModel(m, false);
    // The inputs appear only with a neural model.
    expect(await f.field('inputs').count()).toBe(0);
    await f.setModel('lstm', true);
    await f.field('epochs').fill('2');
    await f.field('holidays').fill('2011-05-02, 2011-08-29, 2011-11-25');
    await f.field('calendar').check();
    await f.field('holiday-window').selectOption('1');
    await f.field('global').check();
    await f.run();
    expect(await fx.page.getByTestId('forecast-error').count()).toBe(0);
    const models = (await f.rows()).map((r) => r.model);
    for (const m of ['naive', 'seasonal_naive', 'moving_average', 'lstm', 'lstm_x', 'lstm_global']) {
      expect(models).toContain(m);
    }
    const board = fx.page.getByTestId('forecast-leaderboard');
    await board.getByText('LSTM + calendar/covariates').first().waitFor();
    await board.getByText('LSTM global (all series)').first().waitFor();
    for (const r of await f.rows()) if (r.model.startsWith('lstm')) expect(r.mase).toMatch(/^\d/);

    await fx.page.setViewportSize({ width: 375, height: 3200 });
    await screenshot(fx.page, 'forecast-inputs-narrow');
    await fx.app.setLanguage('zh-CN');
    await board.getByText('LSTM 全局模型（全部序列）').first().waitFor();
    await f.field('inputs').getByText('节假日同时标记').waitFor();

    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.failedRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
  });
});

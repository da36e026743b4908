import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage } from './pages/embed-host';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * The embed `forecast` method from a cross-origin host page (e2e/fixtures/embed/host.html): the
 * app in the iframe starts its ML worker, backtests the baselines, Holt-Winters and a tiny LSTM
 * on a table the host loaded, and returns forecasts with intervals and metrics; the forecast
 * table appears in the app. Bad params are refused before anything runs.
 */

/** 16 weeks of daily sales with a weekly profile (deterministic). */
function dailyCsv(): string {
  const profile = [120, 130, 140, 150, 135, 90, 60];
  const lines = ['day,sales'];
  for (let d = 0; d < 112; d++) {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    lines.push(`${date},${profile[d % 7]! + ((d * 37) % 11) - 5}`);
  }
  return `${lines.join('\n')}\n`;
}

interface ForecastReply {
  table: string;
  freq: string;
  detectedFreq: string;
  quantileColumns: string[];
  series: {
    future: string[];
    recommended: string;
    verdict: string;
    metrics: { model: string; mase: number; coverage: number }[];
    forecasts: Record<string, { mean: number[]; lower: number[]; upper: number[] }>;
  }[];
}

describe('embed forecast', () => {
  const pageOptions: NewPageOptions = { allowedOrigins: [] };
  const fx = useApp({ page: pageOptions });
  let hostServer: HostServer;

  beforeAll(async () => {
    hostServer = await startHostServer();
    pageOptions.allowedOrigins = [hostServer.origin];
  });
  afterAll(async () => {
    await hostServer?.close();
  });

  it('returns forecasts, intervals and metrics and writes the forecast table', { timeout: 240_000 }, async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open();
    await host.waitReady();
    await host.result('loadTable', { fileName: 'sales.csv', data: dailyCsv() });

    const bad = await host.call('forecast', {
      table: 'sales',
      date: 'day',
      value: 'sales',
      horizon: 7,
      freq: 'hourly',
    });
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'bad_params' } });

    const result = await host.result<ForecastReply>(
      'forecast',
      {
        table: 'sales',
        date: 'day',
        value: 'sales',
        horizon: 7,
        models: ['holt_winters', 'lstm'],
        epochs: 2,
        backtest: { origins: 2 },
      },
      { timeoutMs: 200_000 },
    );
    expect(result).toMatchObject({ table: 'sales_forecast', freq: 'day', detectedFreq: 'day' });
    expect(result.quantileColumns).toEqual(['p10', 'p50', 'p90']);
    const s = result.series[0]!;
    expect(s.future[0]).toBe('2024-04-22');
    expect(s.metrics.map((m) => m.model).sort()).toEqual([
      'holt_winters',
      'lstm',
      'moving_average',
      'naive',
      'seasonal_naive',
    ]);
    const hw = s.forecasts.holt_winters!;
    expect(hw.mean).toHaveLength(7);
    expect(hw.lower.every((v, i) => v <= hw.mean[i]! && hw.mean[i]! <= hw.upper[i]!)).toBe(true);
    // A clean weekly pattern: seasonal naive is far better than naive.
    const mase = (id: string) => s.metrics.find((m) => m.model === id)!.mase;
    expect(mase('seasonal_naive')).toBeLessThan(mase('naive'));
    await expect.poll(() => host.appTableNames()).toEqual(['sales', 'sales_forecast']);
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  });
});

/**
 * The forecast job on the real DuckDB engine (Node build): a synthetic weekly-seasonal daily
 * series with a known answer (seasonal naive beats naive; 80% intervals cover about 80%),
 * frequency detection and override, gap filling, split + top N, the result table, cancel, and
 * the errors a user can run into.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { getModelSpec, seededRandom } from '../forecast';
import type { ForecastProgressEvent } from '../../contracts/forecast-api';
import { MlContext } from './context';
import {
  binSeries,
  createForecastApi,
  detectForecastFrequency,
  periodStart,
  quantileColumns,
} from './forecast-service';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1); // a Monday

/** Daily sales: level 100, weekly profile, Gaussian-ish noise sd ≈ 6; two categories. */
function seasonalCsv(days: number, skip: (d: number) => boolean = () => false): string {
  const rand = seededRandom(3);
  const profile = [0, 10, 20, 30, 15, -25, -50];
  const lines = ['day,sales,category'];
  for (let d = 0; d < days; d++) {
    if (skip(d)) continue;
    const noise = (rand() + rand() + rand() - 1.5) * 12;
    const date = new Date(START + d * DAY).toISOString().slice(0, 10);
    lines.push(`${date},${(100 + profile[d % 7]! + noise).toFixed(2)},A`);
    lines.push(`${date},${(10 + noise / 4).toFixed(2)},B`);
  }
  return lines.join('\n');
}

describe('forecast service', () => {
  let db: Db;
  let engine: DataEngine;
  let context: MlContext;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('l1', seasonalCsv(210), 'daily.csv', {});
    await engine.loadFile(
      'l2',
      seasonalCsv(120, (d) => d % 10 === 4),
      'gappy.csv',
      {},
    );
    await engine.loadFile('l3', 'day,sales\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3', 'short.csv', {});
    await engine.loadFile('l4', 'day,sales\n2024-01-01,a\n2024-01-02,b\n2024-01-03,c', 'text.csv', {});
    context = new MlContext(engineFrameSource(engine));
  });
  afterAll(() => db?.bindings.reset());

  it('detects the frequency from the median gap and bins weeks from Monday', () => {
    expect(detectForecastFrequency([0, DAY, 2 * DAY, 4 * DAY]).freq).toBe('day');
    expect(detectForecastFrequency([0, 7 * DAY, 14 * DAY, 21 * DAY]).freq).toBe('week');
    expect(detectForecastFrequency([0, 31 * DAY, 59 * DAY, 90 * DAY]).freq).toBe('month');
    expect(detectForecastFrequency([5 * DAY]).freq).toBeNull();
    // 2024-01-03 is a Wednesday: its week starts on Monday 2024-01-01.
    expect(periodStart(Date.UTC(2024, 0, 3, 15), 'week') * DAY).toBe(START);
    expect(periodStart(Date.UTC(2024, 1, 29), 'month') * DAY).toBe(Date.UTC(2024, 1, 1));
    expect(quantileColumns(0.8)).toEqual(['p10', 'p50', 'p90']);
    expect(quantileColumns(0.95)).toEqual(['p2_5', 'p50', 'p97_5']);
  });

  it('fills gaps with zero and counts them, keeps the top N groups', () => {
    const t = [0, 0, 2 * DAY, 3 * DAY, 3 * DAY];
    const { series, groupsDropped } = binSeries(t, [1, 5, 2, 3, 1], ['a', 'b', 'a', 'a', 'c'], 'day', 2);
    expect(groupsDropped).toBe(1);
    expect(series.map((s) => s.key)).toEqual(['a', 'b']);
    expect(Array.from(series[0]!.values)).toEqual([1, 0, 2, 3]);
    expect(series[0]!.gapsFilled).toBe(1);
    expect(Array.from(series[1]!.values)).toEqual([5, 0, 0, 0]);
    expect(series[1]!.gapsFilled).toBe(3);
  });

  it('on a weekly-seasonal series: seasonal naive beats naive, intervals cover about nominal, table written', async () => {
    const api = createForecastApi(context);
    const events: ForecastProgressEvent[] = [];
    const result = await api.forecast(
      'f1',
      {
        table: 'daily',
        date: 'day',
        value: 'sales',
        horizon: 14,
        models: ['seasonal_naive', 'holt_winters'],
        backtest: { origins: 5, horizon: 14 },
      },
      (e) => events.push(e),
    );
    expect(result.freq).toBe('day');
    expect(result.detectedFreq).toBe('day');
    expect(result.series).toHaveLength(1);
    const s = result.series[0]!;
    expect(s.seasonPeriod).toBe(7);
    expect(s.gapsFilled).toBe(0);
    expect(s.values).toHaveLength(210);
    const row = (id: string) => s.leaderboard.find((r) => r.model === id)!;
    expect(row('seasonal_naive').mase).toBeLessThan(row('naive').mase * 0.7);
    expect(row('holt_winters').mase).toBeLessThan(row('seasonal_naive').mase);
    // 80% intervals over 5 × 14 backtest points: within a generous binomial band.
    expect(row('holt_winters').coverage).toBeGreaterThan(0.6);
    expect(row('holt_winters').coverage).toBeLessThanOrEqual(1);
    expect(s.recommended).not.toBeNull();
    expect(s.leaderboard.filter((r) => r.recommended)).toHaveLength(1);
    expect(s.future[0]).toBe('2024-07-29');
    expect(s.forecasts.holt_winters!.mean).toHaveLength(14);
    expect(s.backtests.naive).toHaveLength(5);
    expect(s.decomposition.periods).toEqual([7]);
    // The weekly profile is recovered: Sunday (index 6) lowest, Thursday (3) highest.
    const seasonal = s.decomposition.seasonal[0]!;
    expect(seasonal.indexOf(Math.min(...seasonal.slice(0, 7)))).toBe(6);
    expect(seasonal.indexOf(Math.max(...seasonal.slice(0, 7)))).toBe(3);
    expect(events.some((e) => e.phase === 'evaluate')).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'write', done: 1 });
    const info = await context.source.describe(result.table);
    expect(info.derived).toEqual({ kind: 'forecast', from: 'daily' });
    expect(info.columns.map((c) => c.name)).toEqual(['period', 'series', 'model', 'recommended', 'p10', 'p50', 'p90']);
    expect(info.rows).toBe(14 * Object.keys(s.forecasts).length);
  });

  it('splits by a column, fills gaps, honours a frequency override', async () => {
    const api = createForecastApi(context);
    const result = await api.forecast('f2', {
      table: 'gappy',
      date: 'day',
      value: 'sales',
      by: 'category',
      topN: 2,
      freq: 'week',
      horizon: 4,
      models: ['ses'],
      backtest: { origins: 2, horizon: 2 },
    });
    expect(result.freq).toBe('week');
    expect(result.detectedFreq).toBe('day');
    expect(result.series.map((s) => s.key)).toEqual(['A', 'B']);
    expect(result.series[0]!.periods[0]).toBe('2024-01-01');
    expect(getModelSpec('lstm')).toMatchObject({ family: 'neural', async: true });
    const daily = await api.forecast('f3', {
      table: 'gappy',
      date: 'day',
      value: 'sales',
      horizon: 7,
      models: [],
      backtest: { origins: 2 },
    });
    expect(daily.series[0]!.gapsFilled).toBe(12);
    expect(daily.series[0]!.values[4]).toBe(0);
  });

  it('trains a tiny LSTM in the backtest, reports its curve, and a plain verdict', async () => {
    const api = createForecastApi(context);
    const epochs: number[] = [];
    const result = await api.forecast(
      'f4',
      {
        table: 'daily',
        date: 'day',
        value: 'sales',
        horizon: 7,
        models: ['lstm'],
        neural: { epochs: 3, units: 8 },
        backtest: { origins: 2 },
      },
      (e) => {
        if (e.epoch) epochs.push(e.epoch.epoch);
      },
    );
    const s = result.series[0]!;
    const lstm = s.leaderboard.find((r) => r.model === 'lstm')!;
    expect(lstm.error).toBeUndefined();
    expect(Number.isFinite(lstm.mase)).toBe(true);
    expect(s.training.lstm!.length).toBeGreaterThan(0);
    expect(epochs.length).toBeGreaterThan(0);
    expect(s.forecasts.lstm!.lower.every((v, i) => v <= s.forecasts.lstm!.upper[i]!)).toBe(true);
    expect(s.verdict).toMatch(/baseline/);
  });

  it('cancels a running job (the LSTM checks the token every batch)', async () => {
    const api = createForecastApi(context);
    const job = api.forecast('f5', {
      table: 'daily',
      date: 'day',
      value: 'sales',
      horizon: 7,
      models: ['lstm'],
      neural: { epochs: 500, patience: 0 },
      backtest: { origins: 3 },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(context.jobs.cancel('f5')).toBe(true);
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('forecasts a weekly per-country series built by the series builder (Online Retail sample)', async () => {
    const csv = readFileSync('public/samples/online_retail_sample_20k.csv', 'utf8');
    await engine.loadFile('l5', csv, 'retail.csv', {});
    const built = await engine.buildSeries('b1', {
      table: 'retail',
      freq: 'week',
      measure: 'revenue',
      by: 'Country',
      topN: 2,
    });
    const info = await context.source.describe(built.table.name);
    expect(info.derived?.kind).toBe('series');
    const api = createForecastApi(context);
    const result = await api.forecast('f6', {
      table: built.table.name,
      date: 'period',
      value: 'value',
      by: 'group',
      topN: 3,
      horizon: 4,
      models: ['ses', 'holt_winters', 'lstm'],
      neural: { epochs: 2, units: 8 },
      backtest: { origins: 3 },
    });
    expect(result.freq).toBe('week');
    expect(result.detectedFreq).toBe('week');
    // Top 2 countries plus "(other)" from the builder.
    expect(result.series).toHaveLength(3);
    expect(result.series.map((x) => x.key)).toContain('United Kingdom');
    for (const s of result.series) {
      expect(s.gapsFilled).toBe(0);
      expect(s.periods.every((p) => new Date(`${p}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
      expect(s.leaderboard.map((r) => r.model)).toContain('lstm');
      expect(s.recommended).not.toBeNull();
    }
  });

  it('flags a spike outside the band as an anomaly and marks it when it is a holiday', async () => {
    const rows = seasonalCsv(120)
      .split('\n')
      .filter((l) => !l.endsWith(',B'))
      .map((l) => (l.startsWith('2024-03-01,') ? '2024-03-01,900,A' : l));
    await engine.loadFile('l6', rows.join('\n'), 'spiky.csv', {});
    const api = createForecastApi(context);
    const result = await api.forecast('f7', {
      table: 'spiky',
      date: 'day',
      value: 'sales',
      horizon: 7,
      models: ['holt_winters'],
      holidays: ['2024-03-01'],
    });
    const spike = result.series[0]!.anomalies.find((a) => a.period === '2024-03-01');
    expect(spike).toMatchObject({ value: 900, holiday: true });
    expect(result.series[0]!.anomalies.filter((a) => a.holiday)).toHaveLength(1);
    await expect(
      api.forecast('f8', { table: 'spiky', date: 'day', value: 'sales', horizon: 7, holidays: ['Christmas'] }),
    ).rejects.toMatchObject({ code: 'forecast_bad_holiday' });
  });

  it('explains bad input', async () => {
    const api = createForecastApi(context);
    const base = { table: 'daily', date: 'day', value: 'sales', horizon: 7 };
    await expect(api.forecast('e1', { ...base, table: 'short' })).rejects.toMatchObject({
      code: 'forecast_series_too_short',
    });
    await expect(api.forecast('e2', { ...base, date: 'sales' })).rejects.toMatchObject({ code: 'forecast_no_date' });
    await expect(api.forecast('e3', { ...base, date: 'nope' })).rejects.toMatchObject({ code: 'forecast_no_date' });
    await expect(api.forecast('e4', { ...base, value: 'category' })).rejects.toMatchObject({
      code: 'forecast_value_not_numeric',
    });
    await expect(api.forecast('e5', { ...base, table: 'text', value: 'sales' })).rejects.toMatchObject({
      code: 'forecast_value_not_numeric',
    });
    await expect(api.forecast('e6', { ...base, freq: 'hourly' as 'day' })).rejects.toMatchObject({
      code: 'forecast_bad_freq',
    });
    await expect(api.forecast('e7', { ...base, horizon: 0 })).rejects.toMatchObject({ code: 'forecast_bad_horizon' });
    await expect(api.forecast('e8', { ...base, models: ['prophet'] })).rejects.toMatchObject({
      code: 'forecast_unknown_model',
    });
  });
});

/**
 * The forecast job with LSTM / GRU inputs on the real DuckDB engine (Node build) and real TF.js
 * (cpu backend, tiny networks): calendar + holidays + covariates as extra leaderboard variants,
 * the global model across the categories, covariates aggregated per period, the errors a user
 * can run into, and cancel without a tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { seededRandom } from '../forecast';
import type { ForecastRequest } from '../../contracts/forecast-api';
import { MlContext } from './context';
import { binCovariate, createForecastApi } from './forecast-service';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1); // a Monday

/** Orders: two rows a day per category, a weekly profile, a discount that lifts sales, holiday spikes. */
function ordersCsv(days: number): string {
  const rand = seededRandom(8);
  const profile = [0, 10, 20, 30, 15, -25, -50];
  const holidays = new Set([40, 75, 101, 130, 150]);
  const lines = ['day,sales,category,discount,promo'];
  for (let d = 0; d < days; d++) {
    const date = new Date(START + d * DAY).toISOString().slice(0, 10);
    for (const [cat, level] of [
      ['A', 100],
      ['B', 30],
    ] as const) {
      for (let k = 0; k < 2; k++) {
        const promo = rand() < 0.2 ? 1 : 0;
        const discount = promo ? 0.2 : rand() * 0.05;
        const v =
          (level + profile[d % 7]! * (level / 100) + (holidays.has(d) ? level : 0)) * (1 + discount) + rand() * 4;
        lines.push(`${date},${(v / 2).toFixed(2)},${cat},${discount.toFixed(3)},${promo}`);
      }
    }
  }
  return lines.join('\n');
}

describe('forecast service: calendar, covariates, global model', () => {
  let db: Db;
  let engine: DataEngine;
  let context: MlContext;
  const base: ForecastRequest = {
    table: 'orders',
    date: 'day',
    value: 'sales',
    horizon: 7,
    models: ['lstm'],
    neural: { epochs: 3, units: 8, lookback: 14 },
    backtest: { origins: 2 },
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('o1', ordersCsv(168), 'orders.csv', {});
    context = new MlContext(engineFrameSource(engine));
  });
  afterAll(() => db?.bindings.reset());

  it('aggregates a covariate per group and period (mean, sum), filling empty periods', () => {
    const t = [0, 0, DAY, 3 * DAY, 3 * DAY];
    const v = [0.1, 0.3, 0.2, 0.5, 0.7];
    const g = ['a', 'a', 'a', 'a', 'b'];
    const calendar = [0, 1, 2, 3];
    const mean = binCovariate(t, v, g, 'day', calendar, 'mean');
    expect(Array.from(mean.get('a')!).map((x) => +x.toFixed(6))).toEqual([0.2, 0.2, 0.2, 0.5]);
    expect(Array.from(mean.get('b')!)).toEqual([0, 0, 0, 0.7]);
    const sum = binCovariate(t, v, g, 'day', calendar, 'sum');
    expect(Array.from(sum.get('a')!).map((x) => +x.toFixed(6))).toEqual([0.4, 0.2, 0, 0.5]);
  });

  it('adds "LSTM + calendar/covariates" beside the plain LSTM, with ordered intervals', async () => {
    const api = createForecastApi(context);
    const result = await api.forecast('fi1', {
      ...base,
      by: 'category',
      calendar: true,
      holidays: ['2024-02-10', '2024-03-16'],
      holidayWindow: 1,
      covariates: [{ column: 'discount' }, { column: 'promo', known: true, future: [0, 0, 1, 0, 0, 0, 0] }],
    });
    expect(result.models).toEqual(expect.arrayContaining(['lstm', 'lstm_x']));
    for (const s of result.series) {
      const row = s.leaderboard.find((r) => r.model === 'lstm_x')!;
      expect(row.error).toBeUndefined();
      expect(Number.isFinite(row.mase)).toBe(true);
      expect(row.description).toMatch(/known: dow_mon.*holiday, promo_planned; lagged: discount_mean, promo_mean/);
      const f = s.forecasts.lstm_x!;
      expect(f.mean).toHaveLength(7);
      f.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(f.upper[i]!));
      expect(s.leaderboard.find((r) => r.model === 'lstm')!.description).not.toMatch(/inputs/);
      expect(s.training.lstm_x!.length).toBeGreaterThan(0);
    }
  });

  it('trains one global LSTM across the categories and scores it per series', async () => {
    const api = createForecastApi(context);
    const result = await api.forecast('fi2', { ...base, by: 'category', global: true, calendar: true });
    expect(result.series).toHaveLength(2);
    for (const s of result.series) {
      const row = s.leaderboard.find((r) => r.model === 'lstm_global')!;
      expect(row.error).toBeUndefined();
      expect(Number.isFinite(row.mase)).toBe(true);
      expect(row.description).toMatch(/global over 2 series/);
      expect(s.backtests.lstm_global!.map((o) => o.origin)).toEqual(s.backtests.naive!.map((o) => o.origin));
      const f = s.forecasts.lstm_global!;
      f.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(f.upper[i]!));
    }
    // Each series in its own units: category A sells about three times B.
    const meanOf = (k: string) => {
      const m = result.series.find((s) => s.key === k)!.forecasts.lstm_global!.mean;
      return m.reduce((a, v) => a + v, 0) / m.length;
    };
    expect(meanOf('A') / meanOf('B')).toBeGreaterThan(1.5);
    expect(result.series[0]!.training.lstm_global!.length).toBeGreaterThan(0);
  });

  it.each([
    [{ covariates: [{ column: 'promo', known: true }] }, 'forecast_covariate_future'],
    [{ covariates: [{ column: 'promo', known: true, future: [1, 2] }] }, 'forecast_covariate_future'],
    [{ global: true }, 'forecast_global_needs_split'],
    [{ calendar: true, models: ['ets'] }, 'forecast_inputs_need_neural'],
    [{ covariates: [{ column: 'nope' }] }, 'unknown_column'],
    [{ covariates: [{ column: 'category' }] }, 'forecast_value_not_numeric'],
    [{ calendar: true, holidayWindow: 9 }, 'forecast_bad_holiday_window'],
  ] as [Partial<ForecastRequest>, string][])('refuses %j with %s', async (patch, code) => {
    const api = createForecastApi(context);
    await expect(api.forecast(`fe-${code}`, { ...base, ...patch })).rejects.toMatchObject({ code });
  });

  it('cancels the global model mid-training and leaves no tensor behind', async () => {
    const api = createForecastApi(context);
    const before = tf.memory().numTensors;
    let epochs = 0;
    const job = api.forecast(
      'fi3',
      { ...base, by: 'category', global: true, calendar: true, neural: { epochs: 500, patience: 0, units: 8 } },
      (e) => {
        if (e.epoch) epochs++;
        if (epochs === 2) context.jobs.cancel('fi3');
      },
    );
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

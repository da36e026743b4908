/**
 * LSTM / GRU with calendar inputs, covariates and the global model, measured by the forecast job
 * itself on real DuckDB (Node build) and real TF.js (cpu), on the shared Superstore files read in
 * place:
 * A. superstore_daily_sales_train.csv, last 90 days held out (one backtest origin of 90 days, as
 *    forecast-service.datasets.test.ts; MASE scaled by the in-sample seasonal-naive MAE, m = 7):
 *    plain LSTM / GRU vs the same with calendar inputs (weekday, month, US retail holidays ±1 day).
 * B. superstore_orders_train.csv binned per week and Category (3 series), rolling origin with 3
 *    origins of 13 weeks (MASE with m = 52): plain, + calendar + lagged mean Discount, and one
 *    global network across the three categories.
 * The figures are printed, whatever they are, beside seasonal naive and the best baseline; the
 * checks are only honest properties (finite metrics, ordered intervals, seasonal naive equal to
 * the statsmodels reference on split A, and the leakage guard on real data: Discount values after
 * the last origin, changed wildly, leave every backtest forecast unchanged). Never that a neural
 * model wins.
 *
 * Measured 2026-12-02 (seed 42, this code; MASE, lower is better):
 * A. daily, 90-day holdout: GRU + calendar 1.017, LSTM + calendar 1.021, GRU 1.050, LSTM 1.073;
 *    ETS / Holt-Winters 1.055, statsmodels HW (add, damped) 1.042 (reference JSON); best baseline
 *    moving average 1.107, seasonal naive 1.537, naive 3.330. Recommended: GRU + calendar. (The
 *    first version fed the horizon's calendar through a full [H·k → H] head matrix: 1.166 / 1.172,
 *    worse than plain; hence the shared per-step weights.)
 * B. weekly, 3 origins × 13 weeks, mean over the 3 categories: seasonal naive 1.125, naive 1.081,
 *    moving average 0.987 (best baseline), ETS 0.889; LSTM 0.800, LSTM + calendar + lagged discount
 *    0.763, LSTM global 0.765; GRU 0.806, GRU + inputs 0.780, GRU global 0.752. Per category the
 *    order changes (Office Supplies: LSTM + inputs 1.006, worse than plain 0.959, and the rule keeps
 *    naive there); with 3 origins these differences are within noise.
 * Run: `SHOPSIGHT_DATASETS=/work/shared/datasets npx vitest run --config vitest.datasets.config.ts src/lib/ml/services/forecast-inputs.datasets.test.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import type { ForecastSeries } from '../../contracts/forecast-api';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import type { Db } from '../../data/db';
import { backtestModelAsync } from '../forecast/backtest';
import { columnsMatrix } from '../forecast/exogenous';
import ref from '../forecast/superstore-reference.json';
import { neuralForecaster } from '../tf/forecast-neural';
import { MlContext } from './context';
import { createForecastApi } from './forecast-service';

const DAILY = path.join(DATASETS_DIR, 'superstore_daily_sales_train.csv');
const ORDERS = path.join(DATASETS_DIR, 'superstore_orders_train.csv');
const present = existsSync(DAILY) && existsSync(ORDERS);
const suite = present ? describe : describe.skip;
if (!present) {
  console.warn(`[forecast-inputs.datasets] SKIPPED: ${DAILY} or ${ORDERS} not found. Set $SHOPSIGHT_DATASETS.`);
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
/** The n-th (1-based; −1 = last) weekday (0 = Sunday) of a month. */
function nthWeekday(y: number, m: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(y, m, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
  }
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const last = new Date(Date.UTC(y, m, lastDay)).getUTCDay();
  return lastDay - ((last - weekday + 7) % 7);
}
/** US retail holidays 2014–2018: New Year, Memorial Day, July 4, Labor Day, Thanksgiving, Black Friday, Cyber Monday, Christmas. */
function usHolidays(): string[] {
  const out: string[] = [];
  for (let y = 2014; y <= 2018; y++) {
    const thanksgiving = nthWeekday(y, 10, 4, 4);
    out.push(
      iso(y, 0, 1),
      iso(y, 4, nthWeekday(y, 4, 1, -1)),
      iso(y, 6, 4),
      iso(y, 8, nthWeekday(y, 8, 1, 1)),
      iso(y, 10, thanksgiving),
      iso(y, 10, thanksgiving + 1),
      iso(y, 10, thanksgiving + 4),
      iso(y, 11, 25),
    );
  }
  return out;
}

function report(tag: string, s: ForecastSeries): Record<string, number> {
  const mase = Object.fromEntries(s.leaderboard.map((r) => [r.model, r.mase]));
  const baselines = s.leaderboard.filter((r) => r.family === 'baseline' && !r.error);
  const bestBaseline = baselines.reduce((a, b) => (a.mase <= b.mase ? a : b));
  console.info(
    `[forecast-inputs] ${tag}: ` +
      s.leaderboard
        .map((r) => `${r.model} ${Number.isFinite(r.mase) ? r.mase.toFixed(3) : (r.error ?? 'NaN')}`)
        .join(' | ') +
      ` || best baseline ${bestBaseline.model} ${bestBaseline.mase.toFixed(3)}; recommended ${s.recommended}`,
  );
  return mase;
}

function checkHonest(s: ForecastSeries, models: readonly string[]): void {
  for (const id of models) {
    const row = s.leaderboard.find((r) => r.model === id)!;
    expect(row.error, `${id}: ${row.error}`).toBeUndefined();
    expect(Number.isFinite(row.mase)).toBe(true);
    expect(Number.isFinite(row.coverage)).toBe(true);
    const f = s.forecasts[id]!;
    expect(f.mean.every(Number.isFinite)).toBe(true);
    f.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(f.upper[i]!));
    for (const o of s.backtests[id]!) o.lower.forEach((v, i) => expect(v).toBeLessThanOrEqual(o.upper[i]!));
  }
}

suite('LSTM / GRU inputs on Superstore', () => {
  let db: Db | undefined;
  let engine: DataEngine;
  let api: ReturnType<typeof createForecastApi>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('d', readFileSync(DAILY, 'utf8'), 'superstore_daily.csv', {});
    await engine.loadFile('o', readFileSync(ORDERS, 'utf8'), 'superstore_orders.csv', {});
    api = createForecastApi(new MlContext(engineFrameSource(engine)));
  });
  afterAll(() => db?.bindings.reset());

  it('A. daily sales, last 90 days held out: with vs without calendar', { timeout: 1_800_000 }, async () => {
    const result = await api.forecast('inputs-daily', {
      table: 'superstore_daily',
      date: 'date',
      value: 'sales',
      horizon: 90,
      models: ['holt_winters', 'ets', 'lstm', 'gru'],
      neural: { epochs: 40, units: 32 },
      backtest: { origins: 1, horizon: 90 },
      calendar: true,
      holidays: usHolidays(),
      holidayWindow: 1,
    });
    const s = result.series[0]!;
    expect(s.values.length).toBe(ref.n);
    const mase = report('daily 90-day holdout', s);
    console.info(`[forecast-inputs] statsmodels HW add damped ${ref.models.sm_hw_add_damped.mase.toFixed(3)}`);
    expect(mase.seasonal_naive).toBeCloseTo(ref.models.seasonal_naive.mase, 6);
    checkHonest(s, ['lstm', 'lstm_x', 'gru', 'gru_x']);
    expect(s.leaderboard.find((r) => r.model === 'lstm_x')!.description).toMatch(/known: dow_mon.*holiday/);
  });

  it('B. weekly per category: plain, + calendar + lagged discount, global', { timeout: 1_800_000 }, async () => {
    const result = await api.forecast('inputs-weekly', {
      table: 'superstore_orders',
      date: 'Order Date',
      value: 'Sales',
      by: 'Category',
      freq: 'week',
      horizon: 13,
      models: ['ets', 'lstm', 'gru'],
      neural: { epochs: 40, units: 16, lookback: 52 },
      backtest: { origins: 3, horizon: 13 },
      calendar: true,
      holidays: usHolidays(),
      covariates: [{ column: 'Discount' }],
      global: true,
    });
    expect(result.freq).toBe('week');
    expect(result.series).toHaveLength(3);
    for (const s of result.series) {
      expect(s.seasonPeriod).toBe(52);
      report(`weekly ${s.key}`, s);
      checkHonest(s, ['lstm', 'lstm_x', 'lstm_global', 'gru', 'gru_x', 'gru_global']);
      expect(s.leaderboard.find((r) => r.model === 'lstm_x')!.description).toMatch(/lagged: Discount_mean/);
    }
    const mean = (id: string) =>
      result.series.reduce((a, s) => a + s.leaderboard.find((r) => r.model === id)!.mase, 0) / result.series.length;
    console.info(
      `[forecast-inputs] weekly mean MASE over categories: ` +
        [
          'seasonal_naive',
          'naive',
          'moving_average',
          'ets',
          'lstm',
          'lstm_x',
          'lstm_global',
          'gru',
          'gru_x',
          'gru_global',
        ]
          .map((id) => `${id} ${mean(id).toFixed(3)}`)
          .join(' | '),
    );
  });

  it(
    'leakage guard on real data: Discount after the last origin changes no backtest forecast',
    { timeout: 600_000 },
    async () => {
      // The largest category's weekly series, through the job's own binning; a synthetic past Discount.
      const result = await api.forecast('inputs-guard', {
        table: 'superstore_orders',
        date: 'Order Date',
        value: 'Sales',
        by: 'Category',
        topN: 1,
        freq: 'week',
        horizon: 13,
        models: ['lstm'],
        neural: { epochs: 2, units: 8, lookback: 26 },
        backtest: { origins: 1, horizon: 13 },
        covariates: [{ column: 'Discount' }],
      });
      const s = result.series[0]!;
      const y = Float64Array.from(s.values);
      const n = y.length;
      const discount = Float64Array.from({ length: n }, (_, i) => 0.1 + 0.05 * Math.sin(i)); // any past values
      const altered = Float64Array.from(discount, (v, i) => (i >= n - 13 ? 50 + y[i]! : v)); // the future = the answer
      const run = (values: Float64Array) =>
        backtestModelAsync(
          y,
          {
            id: 'lstm_x',
            family: 'neural',
            complexity: 13,
            forecaster: neuralForecaster({
              cell: 'lstm',
              horizon: 13,
              inputs: true,
              epochs: 2,
              units: 8,
              lookback: 26,
            }),
          },
          {
            horizon: 13,
            origins: 2,
            seasonPeriod: 52,
            seed: 4,
            exogenous: { observed: columnsMatrix([{ name: 'Discount', values }]) },
          },
        );
      const a = await run(discount);
      const b = await run(altered);
      expect(a.perOrigin).toHaveLength(2);
      a.perOrigin.forEach((o, k) =>
        expect(Array.from(b.perOrigin[k]!.forecast.mean)).toEqual(Array.from(o.forecast.mean)),
      );
    },
  );
});

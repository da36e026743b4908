/**
 * Quality bar of the forecast job itself (not just the model functions), on the Superstore daily
 * sales train file loaded into real DuckDB (Node build), read in place from the shared datasets
 * folder. One backtest origin with horizon 90 is exactly "hold out the last 90 days": every model
 * is fitted on the first n − 90 days and scored on the last 90, MASE scaled by the in-sample
 * seasonal-naive MAE with m = 7 — the same split and scale as the statsmodels reference
 * (`/usr/bin/python3 docs/reference/forecast_reference.py superstore` → superstore-reference.json;
 * statsmodels 0.13.5 `ExponentialSmoothing(trend='add', damped_trend=True, seasonal='add',
 * seasonal_periods=7, initialization_method='estimated').fit()`). Seasonal naive must reproduce
 * the reference's seasonal-naive MASE, which proves the split is the same. Bar: the recommended
 * or best ShopSight model beats seasonal naive and is no worse than statsmodels' Holt-Winters.
 * The LSTM's and GRU's figures are printed whatever they are.
 * Run: `SHOPSIGHT_DATASETS=/work/shared/datasets npx vitest run --config vitest.datasets.config.ts src/lib/ml/services/forecast-service.datasets.test.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import ref from '../forecast/superstore-reference.json';
import { MlContext } from './context';
import { createForecastApi } from './forecast-service';
import type { Db } from '../../data/db';

const FILE = path.join(DATASETS_DIR, 'superstore_daily_sales_train.csv');
const present = existsSync(FILE);
const suite = present ? describe : describe.skip;
if (!present) {
  console.warn(
    `[forecast-service.datasets] SKIPPED: ${FILE} not found. Set $SHOPSIGHT_DATASETS to the shared datasets folder.`,
  );
}

suite('forecast job on Superstore daily sales, last 90 days held out', () => {
  let db: Db | undefined;
  afterAll(() => db?.bindings.reset());

  it('beats seasonal naive and matches or beats statsmodels Holt-Winters', { timeout: 900_000 }, async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('l', readFileSync(FILE, 'utf8'), 'superstore.csv', {});
    const api = createForecastApi(new MlContext(engineFrameSource(engine)));
    const result = await api.forecast('superstore', {
      table: 'superstore',
      date: 'date',
      value: 'sales',
      horizon: 90,
      models: ['ses', 'holt_winters', 'ets', 'ets_yearly', 'arima', 'lstm', 'gru'],
      neural: { epochs: 40, units: 32 },
      backtest: { origins: 1, horizon: 90 },
    });
    const s = result.series[0]!;
    expect(result.freq).toBe('day');
    expect(s.values.length).toBe(ref.n);
    expect(s.gapsFilled).toBe(ref.missingDaysFilled);
    const mase = Object.fromEntries(s.leaderboard.map((r) => [r.model, r.mase]));
    console.log(
      '[forecast-service.datasets] holdout MASE (90 days):',
      JSON.stringify(
        Object.fromEntries(s.leaderboard.map((r) => [r.model, { mase: +r.mase.toFixed(4), ms: r.ms, error: r.error }])),
      ),
      `statsmodels HW ${ref.models.sm_hw_add_damped.mase.toFixed(4)}; recommended ${s.recommended}; verdict ${s.verdict}`,
    );
    expect(mase.seasonal_naive).toBeCloseTo(ref.models.seasonal_naive.mase, 6);
    const best = Math.min(...s.leaderboard.filter((r) => !r.error).map((r) => r.mase));
    expect(best).toBeLessThan(ref.models.seasonal_naive.mase);
    expect(best).toBeLessThanOrEqual(ref.models.sm_hw_add_damped.mase + 1e-9);
    const recommended = s.leaderboard.find((r) => r.recommended)!;
    expect(recommended.mase).toBeLessThan(mase.seasonal_naive!);
    expect(Number.isFinite(mase.lstm)).toBe(true);
    expect(Number.isFinite(mase.gru)).toBe(true);
  });
});

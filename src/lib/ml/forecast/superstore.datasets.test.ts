/**
 * Quality bar on the Superstore daily sales (train part, read in place from the shared datasets
 * folder, never copied). The last 90 days are held out; seasonal naive, ShopSight's ETS and ARIMA
 * are compared with statsmodels' Holt-Winters on the same split. Reference numbers:
 * `/usr/bin/python3 docs/reference/forecast_reference.py superstore` → superstore-reference.json
 * (statsmodels 0.13.5 `ExponentialSmoothing(trend='add', damped_trend=True, seasonal='add',
 * seasonal_periods=7, initialization_method='estimated').fit()`; MASE scaled by the in-sample
 * seasonal-naive MAE, m = 7). Bar: the best ShopSight model has lower MASE than seasonal naive
 * and no higher MASE than statsmodels' Holt-Winters (+1e-9 for rounding).
 * Run: `npx vitest run --config vitest.datasets.config.ts src/lib/ml/forecast/superstore.datasets.test.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS_DIR } from '../../../test/duckdb-node';
import { autoSarima } from './arima';
import { backtest, leaderboard, verdictSentence } from './backtest';
import { fitMovingAverage, fitSeasonalNaive } from './baselines';
import { fitEts, fitEtsAuto } from './ets';
import { mase, seasonalNaiveScale } from './metrics';
import { backtestEntry } from './registry';
import { fillDailyGaps } from './windowing';
import { fitSeasonallyAdjusted } from './seasonal-adjust';
import { etsForecaster } from './ets';
import { arimaForecaster } from './arima';
import ref from './superstore-reference.json';
import type { FittedModel } from './types';

const FILE = path.join(DATASETS_DIR, 'superstore_daily_sales_train.csv');
const present = existsSync(FILE);
const suite = present ? describe : describe.skip;
if (!present) {
  console.warn(
    `[superstore.datasets] SKIPPED: ${FILE} not found. Set $SHOPSIGHT_DATASETS to the shared datasets folder.`,
  );
}

const H = 90;
const M = 7;

function load(): { y: Float64Array; missing: number; firstDay: string } {
  const lines = readFileSync(FILE, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe('date,sales,orders,quantity');
  const days: number[] = [];
  const sales: number[] = [];
  for (const line of lines.slice(1)) {
    const [date, value] = line.split(',');
    days.push(Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000));
    sales.push(Number(value));
  }
  const filled = fillDailyGaps(days, sales);
  return {
    y: filled.values,
    missing: filled.missing,
    firstDay: new Date(filled.start * 86_400_000).toISOString().slice(0, 10),
  };
}

suite('Superstore daily sales, last 90 days held out', () => {
  it('has every calendar day (gaps would be filled with zero sales)', () => {
    const { y, missing, firstDay } = load();
    expect(firstDay).toBe('2014-01-03');
    expect(y.length).toBe(ref.n);
    expect(missing).toBe(ref.missingDaysFilled);
  });

  it(
    'the best ShopSight model beats seasonal naive and is no worse than statsmodels Holt-Winters',
    { timeout: 300_000 },
    () => {
      const { y } = load();
      const train = y.slice(0, y.length - H);
      const test = y.subarray(y.length - H);
      const score = (fit: FittedModel) => mase(test, fit.forecast(H).mean, train, M);
      const started = performance.now();
      const results: Record<string, number> = {};
      const timed = (name: string, f: () => FittedModel) => {
        const t = performance.now();
        const fit = f();
        results[name] = score(fit);
        console.info(
          `[superstore] ${name.padEnd(22)} ${fit.description.padEnd(28)} MASE ${results[name]!.toFixed(4)}  (${((performance.now() - t) / 1000).toFixed(1)} s)`,
        );
        return fit;
      };
      timed('seasonal_naive', () => fitSeasonalNaive(train, M));
      timed('moving_average_28', () => fitMovingAverage(train, 28));
      timed('ses', () => fitEts(train, { trend: 'none', seasonal: 'none' }));
      timed('hw_add_damped', () => fitEts(train, { trend: 'add_damped', seasonal: 'add' }, { seasonPeriod: M }));
      timed('hw_add', () => fitEts(train, { trend: 'add', seasonal: 'add' }, { seasonPeriod: M }));
      timed('ets_auto', () => fitEtsAuto(train, { seasonPeriod: M }));
      timed('arima_auto', () => autoSarima(train, { seasonPeriod: M }));
      timed('hw_damped_yearly', () =>
        fitSeasonallyAdjusted(train, etsForecaster({ trend: 'add_damped', seasonal: 'add' }), 365, { seasonPeriod: M }),
      );
      timed('ses_yearly', () =>
        fitSeasonallyAdjusted(train, etsForecaster({ trend: 'none', seasonal: 'none' }), 365, { seasonPeriod: M }),
      );
      timed('ets_yearly', () =>
        fitSeasonallyAdjusted(train, { modelId: 'ets', fit: (s, o) => fitEtsAuto(s, o) }, 365, { seasonPeriod: M }),
      );
      timed('arima_yearly', () => fitSeasonallyAdjusted(train, arimaForecaster(), 365, { seasonPeriod: M }));
      const sm = ref.models;
      console.info(
        `[superstore] statsmodels: seasonal naive ${sm.seasonal_naive.mase.toFixed(4)}, HW add damped ${sm.sm_hw_add_damped.mase.toFixed(4)}, ` +
          `HW add ${sm.sm_hw_add.mase.toFixed(4)}, ETSModel AAdA ${sm.sm_ets_aada.mase.toFixed(4)}; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      // Same split, same scaling: our seasonal naive must equal the reference exactly.
      expect(results.seasonal_naive).toBeCloseTo(sm.seasonal_naive.mase, 9);
      expect(seasonalNaiveScale(train, M)).toBeGreaterThan(0);
      const statistical = Object.keys(results).filter((k) => k !== 'seasonal_naive' && !k.startsWith('moving'));
      const best = statistical.reduce((a, b) => (results[a]! <= results[b]! ? a : b));
      console.info(`[superstore] best ShopSight statistical model: ${best} MASE ${results[best]!.toFixed(4)}`);
      expect(results[best]!).toBeLessThan(results.seasonal_naive!);
      expect(results[best]!).toBeLessThanOrEqual(sm.sm_hw_add_damped.mase + 1e-9);
    },
  );

  it('rolling-origin backtest and leaderboard run end to end', { timeout: 300_000 }, () => {
    const { y } = load();
    const entries = ['seasonal_naive', 'moving_average', 'holt_winters', 'ets', 'ets_yearly'].map((id) =>
      backtestEntry(id),
    );
    const results = backtest(y, entries as Parameters<typeof backtest>[1], {
      horizon: 28,
      origins: 3,
      step: 28,
      seasonPeriod: M,
    });
    const board = leaderboard(results);
    for (const r of board.ranking) {
      console.info(
        `[superstore] backtest ${r.id.padEnd(16)} MASE ${r.aggregate.mase.toFixed(4)} sMAPE ${r.aggregate.smape.toFixed(1)} coverage80 ${r.aggregate.coverage.toFixed(2)}`,
      );
    }
    console.info(`[superstore] verdict ${board.verdict}: ${verdictSentence(board)}`);
    expect(board.ranking.length).toBe(5);
    expect(board.recommended).toBeDefined();
  });
});

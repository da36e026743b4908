/**
 * The embed `forecast` method: params validated without side effects, and a run on the real
 * forecast service over real DuckDB (Node build) returning forecasts, intervals and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import { DataEngine, engineFrameSource } from '../data/engine';
import { bufferRegistrar } from '../data/ingest/registrar';
import { MlContext } from '../ml/services/context';
import { createForecastApi } from '../ml/services/forecast-service';
import { FORECAST_METHODS } from './forecast-methods';
import { fakeBackend } from './test-fakes';

const method = FORECAST_METHODS.forecast;
const base = { table: 'sales', date: 'day', value: 'amount', horizon: 7 };

describe('embed forecast: params', () => {
  it('accepts a full request and fills nothing it was not given', () => {
    const v = method.validate({
      ...base,
      by: 'shop',
      topN: 3,
      freq: 'week',
      models: ['ets', 'lstm'],
      backtest: { origins: 2, horizon: 4 },
      level: 0.9,
      epochs: 5,
    });
    expect(v).toEqual({
      ok: true,
      value: {
        ...base,
        by: 'shop',
        topN: 3,
        freq: 'week',
        models: ['ets', 'lstm'],
        backtest: { origins: 2, horizon: 4 },
        level: 0.9,
        neural: { epochs: 5 },
      },
    });
    expect(method.validate(base)).toEqual({ ok: true, value: base });
  });

  it.each([
    [{ ...base, horizon: undefined }, 'horizon'],
    [{ ...base, horizon: 0 }, 'horizon'],
    [{ ...base, freq: 'hourly' }, 'freq'],
    [{ ...base, models: ['prophet'] }, 'models'],
    [{ ...base, backtest: { origins: 0 } }, 'backtest'],
    [{ ...base, backtest: { origins: 2, extra: 1 } }, 'backtest'],
    [{ ...base, level: 1.5 }, 'level'],
    [{ ...base, date: '' }, 'date'],
    [{ ...base, colour: 'red' }, 'colour'],
  ])('rejects %j (%s)', (params, param) => {
    const v = method.validate(params as Record<string, unknown>);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.error.code).toBe('bad_params');
      expect(JSON.stringify(v.error)).toContain(param);
    }
  });
});

describe('embed forecast: calendar, covariates and global params', () => {
  it('passes them through and checks their shape', () => {
    const v = method.validate({
      ...base,
      by: 'shop',
      models: ['lstm'],
      holidays: ['2024-12-25'],
      holidayWindow: 1,
      calendar: true,
      covariates: [{ column: 'discount' }, { column: 'promo', aggregate: 'max', known: true, future: [1] }],
      global: true,
    });
    expect(v).toEqual({
      ok: true,
      value: {
        ...base,
        by: 'shop',
        models: ['lstm'],
        holidays: ['2024-12-25'],
        holidayWindow: 1,
        calendar: true,
        covariates: [{ column: 'discount' }, { column: 'promo', aggregate: 'max', known: true, future: [1] }],
        global: true,
      },
    });
  });

  it.each([
    [{ ...base, holidays: ['25/12/2024'] }, 'holidays'],
    [{ ...base, holidayWindow: 9 }, 'holidayWindow'],
    [{ ...base, calendar: 'yes' }, 'calendar'],
    [{ ...base, covariates: [{ column: 'discount', known: true }] }, 'future'],
    [{ ...base, covariates: [{ column: 'discount', future: [1] }] }, 'future'],
    [{ ...base, covariates: [{ column: 'discount', aggregate: 'median' }] }, 'aggregate'],
    [{ ...base, covariates: [{ column: 'discount', lag: 1 }] }, 'lag'],
    [{ ...base, global: true }, 'by'],
  ])('rejects %j (%s)', (params, word) => {
    const v = method.validate(params as Record<string, unknown>);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.error.code).toBe('bad_params');
      expect(JSON.stringify(v.error)).toContain(word);
    }
  });
});

describe('embed forecast: run', () => {
  let db: Db;
  let engine: DataEngine;
  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    const lines = ['day,amount'];
    for (let d = 0; d < 90; d++) {
      lines.push(
        `${new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10)},${50 + 20 * ((d % 7) / 6) + (d % 3)}`,
      );
    }
    await engine.loadFile('l', lines.join('\n'), 'sales.csv', {});
  });
  afterAll(() => db?.bindings.reset());

  it('returns forecasts with intervals and metrics per series, and the table name', async () => {
    const api = createForecastApi(new MlContext(engineFrameSource(engine)));
    const backend = fakeBackend({ forecast: { forecast: (r, p) => api.forecast('embed-1', r, p) } });
    const v = method.validate({ ...base, models: ['holt_winters'], backtest: { origins: 2 } });
    if (!v.ok) throw new Error('invalid');
    const result = await method.run(backend, v.value, () => {}, { version: '0', methods: [] });
    expect(result.table).toBe('sales_forecast');
    expect(result.freq).toBe('day');
    expect(result.quantileColumns).toEqual(['p10', 'p50', 'p90']);
    const s = result.series[0]!;
    expect(s.future).toHaveLength(7);
    expect(s.metrics.map((m) => m.model).sort()).toEqual(['holt_winters', 'moving_average', 'naive', 'seasonal_naive']);
    expect(s.forecasts.holt_winters!.upper.every((u, i) => u >= s.forecasts.holt_winters!.lower[i]!)).toBe(true);
    expect(s.recommended).not.toBeNull();
    // JSON-safe for postMessage hosts that serialise.
    expect(() => JSON.stringify(result)).not.toThrow();
  });
});

/**
 * The embed method of the Forecast chapter: `forecast {table, date, value, by?, topN?, freq?,
 * horizon, models?, backtest?, level?, multiplyBy?, epochs?, holidays?, holidayWindow?,
 * calendar?, covariates?, global?, into?}` → per series the
 * forecasts with intervals of every model, the leaderboard metrics, the recommendation and the
 * verdict, and the name of the forecast table it wrote. Params are validated without side effects.
 */
import type { ProgressCallback } from '../contracts/data-api';
import {
  FORECAST_MODEL_IDS,
  type ForecastCovariate,
  type ForecastLeaderboardRow,
  type ForecastPath,
  type ForecastRequest,
  type ForecastResult,
} from '../contracts/forecast-api';
import { NAME_RULE, defineMethod } from './methods';
import type { ParamReader } from './params';
import { describeValue } from './protocol';

/** What the embed `forecast` method needs (the app passes its `ForecastClient`). */
export interface ForecastBackend {
  forecast(request: ForecastRequest, onProgress: ProgressCallback): Promise<ForecastResult>;
}

/** A backend for hosts of the bridge without an ML worker (tests of other chapters). */
export const unavailableForecast: ForecastBackend = {
  forecast: async () => {
    throw { code: 'forecast_not_available', message: 'Forecasting is not available here.' };
  },
};

/** One series in the embed result (history arrays and chart data are left out). */
export interface EmbedForecastSeries {
  key: string | null;
  periods: number;
  gapsFilled: number;
  seasonPeriod: number;
  /** Period starts (YYYY-MM-DD) of the forecast. */
  future: string[];
  recommended: string | null;
  verdict: string;
  metrics: ForecastLeaderboardRow[];
  /** By model id: mean, median (P50), lower and upper bounds at `level`. */
  forecasts: Record<string, ForecastPath>;
  anomalies: { period: string; value: number; expected: number }[];
}

export interface EmbedForecastResult {
  table: string;
  freq: ForecastResult['freq'];
  detectedFreq: ForecastResult['detectedFreq'];
  horizon: number;
  level: number;
  quantileColumns: [string, string, string];
  backtest: { origins: number; horizon: number };
  series: EmbedForecastSeries[];
}

const FREQS = ['auto', 'day', 'week', 'month'] as const;

function parseModels(p: ParamReader): string[] | undefined {
  const models = p.raw('models');
  if (models === undefined) return undefined;
  if (
    !Array.isArray(models) ||
    !models.every((m) => typeof m === 'string' && (FORECAST_MODEL_IDS as readonly string[]).includes(m))
  ) {
    p.fail('models', `must be a list of model ids (${FORECAST_MODEL_IDS.join(', ')}), got ${describeValue(models)}.`);
  }
  return [...(models as string[])];
}

function parseBacktest(p: ParamReader): ForecastRequest['backtest'] {
  const bt = p.raw('backtest');
  if (bt === undefined) return undefined;
  if (typeof bt !== 'object' || bt === null || Array.isArray(bt)) {
    p.fail('backtest', `must be an object {origins, horizon?}, got ${describeValue(bt)}.`);
  }
  const { origins, horizon, ...rest } = bt as Record<string, unknown>;
  if (Object.keys(rest).length > 0) p.fail('backtest', `has unknown keys: ${Object.keys(rest).join(', ')}.`);
  if (typeof origins !== 'number' || !Number.isInteger(origins) || origins < 1 || origins > 20) {
    p.fail('backtest', 'origins must be an integer from 1 to 20.');
  }
  if (horizon !== undefined && (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1)) {
    p.fail('backtest', 'horizon must be a positive integer.');
  }
  return { origins, ...(horizon === undefined ? {} : { horizon: horizon as number }) };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function parseHolidays(p: ParamReader): string[] | undefined {
  const h = p.raw('holidays');
  if (h === undefined) return undefined;
  if (
    !Array.isArray(h) ||
    h.length > 1000 ||
    !h.every((d) => typeof d === 'string' && DATE_RE.test(d) && Number.isFinite(Date.parse(d)))
  ) {
    p.fail('holidays', `must be a list of dates "YYYY-MM-DD" (at most 1000), got ${describeValue(h)}.`);
  }
  return [...(h as string[])];
}

function parseCovariates(p: ParamReader, horizon: number): ForecastCovariate[] | undefined {
  const list = p.raw('covariates');
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length > 20) {
    p.fail(
      'covariates',
      `must be a list of at most 20 {column, aggregate?, known?, future?}, got ${describeValue(list)}.`,
    );
  }
  return list.map((c, i): ForecastCovariate => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      p.fail('covariates', `item ${i} must be an object {column, aggregate?, known?, future?}.`);
    }
    const { column, aggregate, known, future, ...rest } = c as Record<string, unknown>;
    if (Object.keys(rest).length > 0)
      p.fail('covariates', `item ${i} has unknown keys: ${Object.keys(rest).join(', ')}.`);
    if (typeof column !== 'string' || column.trim() === '' || column.length > NAME_RULE.maxLength) {
      p.fail('covariates', `item ${i}: column must be a column name.`);
    }
    if (aggregate !== undefined && !['mean', 'sum', 'max'].includes(aggregate as string)) {
      p.fail('covariates', `item ${i}: aggregate must be "mean", "sum" or "max".`);
    }
    if (known !== undefined && typeof known !== 'boolean')
      p.fail('covariates', `item ${i}: known must be true or false.`);
    if (known === true) {
      if (
        !Array.isArray(future) ||
        !(future.length === 1 || future.length === horizon) ||
        !future.every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        p.fail(
          'covariates',
          `item ${i}: a known covariate needs future: its planned value (one number or ${horizon} numbers).`,
        );
      }
    } else if (future !== undefined) {
      p.fail('covariates', `item ${i}: future is only for a covariate declared known: true.`);
    }
    return {
      column,
      ...(aggregate === undefined ? {} : { aggregate: aggregate as ForecastCovariate['aggregate'] }),
      ...(known === undefined ? {} : { known }),
      ...(known === true ? { future: [...(future as number[])] } : {}),
    };
  });
}

/** The result without the history and chart data. */
export function embedForecastResult(result: ForecastResult): EmbedForecastResult {
  return {
    table: result.table,
    freq: result.freq,
    detectedFreq: result.detectedFreq,
    horizon: result.horizon,
    level: result.level,
    quantileColumns: result.quantileColumns,
    backtest: result.backtest,
    series: result.series.map((s) => ({
      key: s.key,
      periods: s.periods.length,
      gapsFilled: s.gapsFilled,
      seasonPeriod: s.seasonPeriod,
      future: s.future,
      recommended: s.recommended,
      verdict: s.verdict,
      metrics: s.leaderboard,
      forecasts: s.forecasts,
      anomalies: s.anomalies.map((a) => ({ period: a.period, value: a.value, expected: a.expected })),
    })),
  };
}

export const FORECAST_METHODS = {
  forecast: defineMethod('forecast', {
    mutates: true,
    params: [
      'table',
      'date',
      'value',
      'multiplyBy',
      'by',
      'topN',
      'freq',
      'horizon',
      'models',
      'backtest',
      'level',
      'epochs',
      'holidays',
      'holidayWindow',
      'calendar',
      'covariates',
      'global',
      'into',
    ],
    parse(p): ForecastRequest {
      const freq = p.raw('freq');
      if (freq !== undefined && !(FREQS as readonly unknown[]).includes(freq)) {
        p.fail('freq', `must be one of ${FREQS.map((f) => `"${f}"`).join(', ')}, got ${describeValue(freq)}.`);
      }
      const horizon =
        p.optionalInteger('horizon', { min: 1, max: 1000 }) ??
        p.fail('horizon', 'is required: how many periods to forecast.');
      const level = p.raw('level');
      if (level !== undefined && (typeof level !== 'number' || !(level > 0 && level < 1))) {
        p.fail('level', `must be a number between 0 and 1, got ${describeValue(level)}.`);
      }
      const by = p.optionalString('by', NAME_RULE);
      const multiplyBy = p.optionalString('multiplyBy', NAME_RULE);
      const topN = p.optionalInteger('topN', { min: 1, max: 100 });
      const epochs = p.optionalInteger('epochs', { min: 1, max: 500 });
      const into = p.optionalString('into', NAME_RULE);
      const models = parseModels(p);
      const backtest = parseBacktest(p);
      const holidays = parseHolidays(p);
      const holidayWindow = p.optionalInteger('holidayWindow', { min: 0, max: 7 });
      const calendar = p.optionalBoolean('calendar');
      const covariates = parseCovariates(p, horizon);
      const global = p.optionalBoolean('global');
      if (global && !by) p.fail('global', 'needs "by": a global model learns across the series of a split column.');
      return {
        table: p.string('table', NAME_RULE),
        date: p.string('date', NAME_RULE),
        value: p.string('value', NAME_RULE),
        horizon,
        ...(freq === undefined ? {} : { freq: freq as ForecastRequest['freq'] }),
        ...(by ? { by } : {}),
        ...(multiplyBy ? { multiplyBy } : {}),
        ...(topN ? { topN } : {}),
        ...(models ? { models } : {}),
        ...(backtest ? { backtest } : {}),
        ...(level === undefined ? {} : { level: level as number }),
        ...(epochs ? { neural: { epochs } } : {}),
        ...(holidays ? { holidays } : {}),
        ...(holidayWindow === undefined ? {} : { holidayWindow }),
        ...(calendar === undefined ? {} : { calendar }),
        ...(covariates ? { covariates } : {}),
        ...(global === undefined ? {} : { global }),
        ...(into ? { into } : {}),
      };
    },
    run: async (backend, request, progress) => embedForecastResult(await backend.forecast.forecast(request, progress)),
  }),
};

/**
 * The forecast job (ML worker): read a date + value (+ split) from a table over the data link,
 * bin it into a regular calendar (day / week starting Monday / month, detected or chosen; gaps
 * filled with 0 and counted), then per series: rolling-origin backtest of every model (the
 * baselines always), leaderboard + recommendation, final fits with intervals, decomposition,
 * anomalies, and one derived table of forecasts (kind 'forecast'). Cancel is checked between
 * models and origins and, for the LSTM/GRU, every batch.
 */
import type { Frame } from '../../contracts/frame';
import type {
  BacktestOverlay,
  ForecastApi,
  ForecastCovariate,
  ForecastFrequency,
  ForecastLeaderboardRow,
  ForecastPath,
  ForecastProgressCallback,
  ForecastRequest,
  ForecastResult,
  ForecastSeries,
} from '../../contracts/forecast-api';
import { FORECAST_BASELINES, FORECAST_MODEL_IDS, neuralVariantId } from '../../contracts/forecast-api';
import {
  backtestEntry,
  backtestGlobal,
  columnsMatrix,
  concatColumns,
  defaultAggregate,
  expandHolidays,
  fillCovariate,
  periodCalendar,
  type CovariateAggregate,
  type Exogenous,
  backtestModel,
  backtestModelAsync,
  backtestOrigins,
  decompose,
  intervalAnomalies,
  leaderboard,
  residualBand,
  usableSeasonPeriod,
  type AsyncForecaster,
  type BacktestEntry,
  type FittedModel,
  type Forecaster,
  type ModelBacktest,
} from '../forecast';
import { globalNeuralForecaster, neuralForecaster, registerNeuralForecasters } from '../tf/forecast-neural';
import type { MlContext } from './context';
import { yielder } from './jobs';

const DAY = 86_400_000;

// The LSTM and GRU are listed with the classical models (forms, `listModels()`).
registerNeuralForecasters();

type Fail = { code: string; message: string; params?: Record<string, string | number> };
function fail(info: Fail): never {
  throw info;
}

/** Start of the period containing `ms` (UTC), as a day index. */
export function periodStart(ms: number, freq: ForecastFrequency): number {
  const day = Math.floor(ms / DAY);
  if (freq === 'day') return day;
  if (freq === 'week') return day - ((day + 3) % 7); // 1970-01-01 was a Thursday; weeks start Monday.
  const d = new Date(day * DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY);
}

/** The period after the one starting on day index `start`. */
export function nextPeriod(start: number, freq: ForecastFrequency): number {
  if (freq === 'day') return start + 1;
  if (freq === 'week') return start + 7;
  const d = new Date(start * DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY);
}

/** `day` for a median gap between distinct dates ≤ 1.5 days, `week` ≤ 10, else `month` (as the series builder). */
export function detectForecastFrequency(times: ArrayLike<number>): {
  freq: ForecastFrequency | null;
  medianGapDays: number | null;
} {
  const days = [...new Set(Array.from(times, (t) => Math.floor(t / DAY)).filter(Number.isFinite))].sort(
    (a, b) => a - b,
  );
  if (days.length < 2) return { freq: null, medianGapDays: null };
  const gaps = days
    .slice(1)
    .map((d, i) => d - days[i]!)
    .sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const gap = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return { freq: gap <= 1.5 ? 'day' : gap <= 10 ? 'week' : 'month', medianGapDays: gap };
}

/** Season length per frequency: a week of days, a year of weeks or months. */
export function seasonFor(freq: ForecastFrequency): number {
  return freq === 'day' ? 7 : freq === 'week' ? 52 : 12;
}

const iso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** One regular series per group from (time, value, group) rows. */
export interface BinnedSeries {
  key: string | null;
  start: number;
  days: number[];
  values: Float64Array;
  gapsFilled: number;
}

/**
 * Sums values per (group, period) on one calendar from the first to the last period of the whole
 * table; periods without a row are 0 and counted in `gapsFilled`. Rows with a missing date or
 * value are skipped. With `topN`, only the N groups with the largest total are kept.
 */
export function binSeries(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  groups: readonly (string | null)[] | null,
  freq: ForecastFrequency,
  topN?: number,
): { series: BinnedSeries[]; groupsDropped: number } {
  let lo = Infinity;
  let hi = -Infinity;
  const cells = new Map<string | null, Map<number, number>>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const v = values[i]!;
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    const p = periodStart(t, freq);
    lo = Math.min(lo, p);
    hi = Math.max(hi, p);
    const key = groups ? groups[i]! : null;
    let m = cells.get(key);
    if (!m) cells.set(key, (m = new Map()));
    m.set(p, (m.get(p) ?? 0) + v);
  }
  if (!Number.isFinite(lo)) return { series: [], groupsDropped: 0 };
  const calendar: number[] = [];
  for (let p = lo; p <= hi; p = nextPeriod(p, freq)) calendar.push(p);
  let keys = [...cells.keys()];
  const total = (k: string | null) => [...cells.get(k)!.values()].reduce((s, v) => s + v, 0);
  keys.sort((a, b) => total(b) - total(a) || String(a).localeCompare(String(b)));
  const dropped = topN !== undefined && keys.length > topN ? keys.length - topN : 0;
  if (dropped > 0) keys = keys.slice(0, topN);
  const series = keys.map((key) => {
    const m = cells.get(key)!;
    let gaps = 0;
    const vals = Float64Array.from(calendar, (p) => {
      const v = m.get(p);
      if (v === undefined) gaps++;
      return v ?? 0;
    });
    return { key, start: lo, days: calendar, values: vals, gapsFilled: gaps };
  });
  return { series, groupsDropped: dropped };
}

/**
 * A covariate aggregated per (group, period) on the calendar of {@link binSeries}: mean, sum or
 * max of the rows of each period, then {@link fillCovariate} for periods without rows (0 for
 * sums, the last value for means and maxima). Rows without a date or value are skipped.
 */
export function binCovariate(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  groups: readonly (string | null)[] | null,
  freq: ForecastFrequency,
  calendar: readonly number[],
  aggregate: CovariateAggregate,
): Map<string | null, Float64Array> {
  const index = new Map(calendar.map((d, i) => [d, i]));
  const acc = new Map<string | null, { sum: Float64Array; count: Float64Array; max: Float64Array }>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const v = values[i]!;
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    const k = index.get(periodStart(t, freq));
    if (k === undefined) continue;
    const key = groups ? groups[i]! : null;
    let a = acc.get(key);
    if (!a) {
      const len = calendar.length;
      acc.set(
        key,
        (a = { sum: new Float64Array(len), count: new Float64Array(len), max: new Float64Array(len).fill(-Infinity) }),
      );
    }
    a.sum[k]! += v;
    a.count[k]! += 1;
    a.max[k] = Math.max(a.max[k]!, v);
  }
  const out = new Map<string | null, Float64Array>();
  for (const [key, a] of acc) {
    const raw = Float64Array.from({ length: calendar.length }, (_, k) =>
      a.count[k] === 0
        ? NaN
        : aggregate === 'sum'
          ? a.sum[k]!
          : aggregate === 'max'
            ? a.max[k]!
            : a.sum[k]! / a.count[k]!,
    );
    out.set(key, fillCovariate(raw, aggregate));
  }
  return out;
}

const arr = (x: ArrayLike<number>) => Array.from(x, (v) => (Number.isFinite(v) ? v : NaN));

function toPath(f: ReturnType<FittedModel['forecast']>): ForecastPath {
  return {
    mean: arr(f.mean),
    median: arr(f.median ?? f.mean),
    lower: arr(f.lower),
    upper: arr(f.upper),
    intervalMethod: f.intervalMethod,
  };
}

/** Quantile column names for a central level: 0.8 → p10/p50/p90. */
export function quantileColumns(level: number): [string, string, string] {
  const lo = Math.round(((1 - level) / 2) * 1000) / 10;
  const name = (p: number) => `p${String(p).replace('.', '_')}`;
  return [name(lo), 'p50', name(Math.round((100 - lo) * 10) / 10)];
}

function readDates(frame: Frame, name: string): Float64Array {
  const column = frame.columns.find((c) => c.name === name)!;
  if (column.kind === 'date') return column.values;
  if (column.kind === 'string') {
    const parsed = Float64Array.from(column.values, (s) => (s === null ? NaN : Date.parse(s)));
    const present = column.values.filter((s) => s !== null).length;
    const ok = parsed.filter(Number.isFinite).length;
    if (present > 0 && ok >= 0.9 * present) return parsed;
  }
  return fail({ code: 'forecast_no_date', message: `"${name}" is not a date column.`, params: { column: name } });
}

interface Plan {
  models: string[];
  horizon: number;
  btHorizon: number;
  origins: number;
  level: number;
  /** Neural cells chosen (the plain models); their variants are in `models` too. */
  cells: ('lstm' | 'gru')[];
  inputs: boolean;
  global: boolean;
  covariates: (ForecastCovariate & { aggregate: CovariateAggregate })[];
  holidayWindow: number;
}

function plan(request: ForecastRequest): Plan {
  const horizon = request.horizon;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1000) {
    fail({
      code: 'forecast_bad_horizon',
      message: 'The horizon must be a whole number of periods from 1 to 1000.',
      params: {
        horizon: String(horizon),
      },
    });
  }
  const level = request.level ?? 0.8;
  if (!(level > 0 && level < 1))
    fail({ code: 'forecast_bad_level', message: 'The interval level must be between 0 and 1.' });
  const asked = request.models ?? FORECAST_MODEL_IDS.filter((m) => m !== 'lstm' && m !== 'gru');
  for (const m of asked) {
    if (!(FORECAST_MODEL_IDS as readonly string[]).includes(m)) {
      fail({ code: 'forecast_unknown_model', message: `Unknown forecasting model "${m}".`, params: { model: m } });
    }
  }
  const cells = (['lstm', 'gru'] as const).filter((c) => asked.includes(c));
  const covariates = (request.covariates ?? []).map((c) => {
    if (!c || typeof c.column !== 'string' || c.column === '') {
      fail({ code: 'forecast_bad_covariate', message: 'A covariate needs a column name.', params: { column: '' } });
    }
    if (c.aggregate !== undefined && !['mean', 'sum', 'max'].includes(c.aggregate)) {
      fail({
        code: 'forecast_bad_covariate',
        message: `Covariate "${c.column}": aggregate must be mean, sum or max.`,
        params: { column: c.column },
      });
    }
    if (c.known) {
      const f = c.future ?? [];
      if (!(f.length === 1 || f.length === horizon) || !f.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        fail({
          code: 'forecast_covariate_future',
          message: `Covariate "${c.column}" is declared known: give its planned value for the ${horizon} forecast periods (one number for all, or ${horizon} numbers).`,
          params: { column: c.column, horizon },
        });
      }
    }
    return { ...c, aggregate: c.aggregate ?? defaultAggregate(c.column) };
  });
  const inputs = request.calendar === true || covariates.length > 0;
  const global = request.global === true;
  if ((inputs || global) && cells.length === 0) {
    fail({
      code: 'forecast_inputs_need_neural',
      message: 'Calendar, covariate and global options are for the LSTM / GRU: choose one of them too.',
    });
  }
  if (global && request.by === undefined) {
    fail({
      code: 'forecast_global_needs_split',
      message: 'A global model learns across several series: choose a column to split by (category, product …).',
    });
  }
  const holidayWindow = Math.round(request.holidayWindow ?? 0);
  if (!(holidayWindow >= 0 && holidayWindow <= 7)) {
    fail({
      code: 'forecast_bad_holiday_window',
      message: 'The holiday window must be 0 to 7 days.',
      params: { days: String(request.holidayWindow) },
    });
  }
  const variants = cells.flatMap((c) => [
    ...(inputs ? [neuralVariantId(c, 'x')] : []),
    ...(global ? [neuralVariantId(c, 'global')] : []),
  ]);
  const models = [...new Set([...FORECAST_BASELINES, ...asked, ...variants])];
  const origins = Math.max(1, Math.min(20, Math.round(request.backtest?.origins ?? 3)));
  const btHorizon = Math.max(1, Math.round(request.backtest?.horizon ?? horizon));
  return { models, horizon, btHorizon, origins, level, cells, inputs, global, covariates, holidayWindow };
}

const NEURAL_COMPLEXITY: Record<string, number> = {
  gru: 10,
  lstm: 11,
  gru_x: 12,
  lstm_x: 13,
  gru_global: 14,
  lstm_global: 15,
};

/** The cell and variant of a neural model id ('lstm_x' → lstm, x), or null for classical ids. */
function neuralId(id: string): { cell: 'lstm' | 'gru'; variant: 'plain' | 'x' | 'global' } | null {
  const m = /^(lstm|gru)(?:_(x|global))?$/.exec(id);
  if (!m) return null;
  return { cell: m[1] as 'lstm' | 'gru', variant: (m[2] as 'x' | 'global' | undefined) ?? 'plain' };
}

type EpochLogLite = { epoch: number; loss: number; valLoss: number | null };

/**
 * Calendar and covariate inputs of every series (see ml/forecast/exogenous.ts): known rows for
 * the history and the `horizon` future periods (calendar with holidays; covariates declared
 * known, their future from the plan), observed rows for the history only (every covariate).
 */
function buildExogenous(
  frame: Frame,
  times: Float64Array,
  groups: readonly (string | null)[] | null,
  freq: ForecastFrequency,
  series: readonly BinnedSeries[],
  horizon: number,
  planned: Plan,
  holidays: ReadonlySet<number>,
  calendar: boolean,
): (Exogenous | undefined)[] {
  const days = series[0]?.days ?? [];
  const future: number[] = [];
  let p = days[days.length - 1] ?? 0;
  for (let k = 0; k < horizon; k++) future.push((p = nextPeriod(p, freq)));
  const allDays = [...days, ...future];
  const wide = holidays.size > 0 ? expandHolidays(holidays, planned.holidayWindow) : undefined;
  const calendarRows = calendar ? periodCalendar(allDays, freq, wide) : undefined;
  const binned = planned.covariates.map((c) => {
    const column = frame.columns.find((x) => x.name === c.column)!;
    if (column.kind !== 'number') {
      fail({
        code: 'forecast_value_not_numeric',
        message: `Covariate "${c.column}" is not numeric.`,
        params: { column: c.column, type: column.kind },
      });
    }
    return { spec: c, byKey: binCovariate(times, column.values, groups, freq, days, c.aggregate) };
  });
  return series.map((s) => {
    const values = binned.map((b) => ({
      spec: b.spec,
      values: b.byKey.get(s.key) ?? new Float64Array(days.length),
    }));
    const observed = values.length
      ? columnsMatrix(values.map((v) => ({ name: `${v.spec.column}_${v.spec.aggregate}`, values: v.values })))
      : undefined;
    const knownCovariates = values
      .filter((v) => v.spec.known)
      .map((v) => {
        const plan = v.spec.future!;
        const ahead = Float64Array.from({ length: horizon }, (_, k) => plan[plan.length === 1 ? 0 : k]!);
        const joined = new Float64Array(days.length + horizon);
        joined.set(v.values);
        joined.set(ahead, days.length);
        return { name: `${v.spec.column}_planned`, values: joined };
      });
    const parts = [
      ...(calendarRows ? [calendarRows] : []),
      ...(knownCovariates.length ? [columnsMatrix(knownCovariates)] : []),
    ];
    const exo: Exogenous = {};
    if (parts.length) exo.known = concatColumns(parts);
    if (observed) exo.observed = observed;
    return exo;
  });
}

/** Builds the worker's forecast API over a context. */
export function createForecastApi(context: MlContext): ForecastApi {
  return {
    forecast: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => runForecast(context, jobId, request, token, onProgress)),
  };
}

async function runForecast(
  context: MlContext,
  jobId: string,
  request: ForecastRequest,
  token: { readonly cancelled: boolean; throwIfCancelled(): void },
  onProgress?: ForecastProgressCallback,
): Promise<ForecastResult> {
  const started = performance.now();
  const planned = plan(request);
  const { horizon, btHorizon, origins, level } = planned;
  const freqAsked = request.freq ?? 'auto';
  if (!['auto', 'day', 'week', 'month'].includes(freqAsked)) {
    fail({
      code: 'forecast_bad_freq',
      message: `Unknown frequency "${String(freqAsked)}": use auto, day, week or month.`,
      params: {
        freq: String(freqAsked),
      },
    });
  }
  const holidays = new Set<number>();
  for (const h of request.holidays ?? []) {
    const t = Date.parse(h);
    if (!Number.isFinite(t))
      fail({ code: 'forecast_bad_holiday', message: `"${h}" is not a date.`, params: { date: h } });
    holidays.add(Math.floor(t / DAY));
  }
  onProgress?.({ phase: 'read', done: 0, total: 1 });
  const info = await context.source.describe(request.table);
  const col = (name: string) => info.columns.find((c) => c.name === name);
  if (!request.date || !col(request.date)) {
    fail({
      code: 'forecast_no_date',
      message: `Table "${request.table}" has no date column "${request.date ?? ''}".`,
      params: {
        column: request.date ?? '',
      },
    });
  }
  const valueInfo = col(request.value);
  if (!valueInfo)
    fail({ code: 'unknown_column', message: `No column "${request.value}".`, params: { column: request.value } });
  if (request.multiplyBy !== undefined && !col(request.multiplyBy)) {
    fail({
      code: 'unknown_column',
      message: `No column "${request.multiplyBy}".`,
      params: { column: request.multiplyBy },
    });
  }
  if (request.by !== undefined && !col(request.by)) {
    fail({ code: 'unknown_column', message: `No column "${request.by}".`, params: { column: request.by } });
  }
  for (const c of planned.covariates) {
    if (!col(c.column))
      fail({ code: 'unknown_column', message: `No column "${c.column}".`, params: { column: c.column } });
  }
  const frame = await context.source.readFrame({
    table: request.table,
    columns: [
      request.date,
      request.value,
      ...(request.by !== undefined ? [request.by] : []),
      ...(request.multiplyBy !== undefined ? [request.multiplyBy] : []),
      ...planned.covariates.map((c) => c.column),
    ].filter((name, i, all) => all.indexOf(name) === i),
  });
  const times = readDates(frame, request.date);
  const valueColumn = frame.columns.find((c) => c.name === request.value)!;
  if (valueColumn.kind !== 'number') {
    fail({
      code: 'forecast_value_not_numeric',
      message: `"${request.value}" is not numeric (${valueInfo.type}).`,
      params: {
        column: request.value,
        type: valueInfo.type,
      },
    });
  }
  let values = valueColumn.values;
  if (request.multiplyBy !== undefined) {
    const factor = frame.columns.find((c) => c.name === request.multiplyBy)!;
    if (factor.kind !== 'number') {
      fail({
        code: 'forecast_value_not_numeric',
        message: `"${request.multiplyBy}" is not numeric.`,
        params: {
          column: request.multiplyBy,
          type: col(request.multiplyBy)!.type,
        },
      });
    }
    values = Float64Array.from(values, (v, i) => v * factor.values[i]!);
  }
  const byColumn = request.by !== undefined ? frame.columns.find((c) => c.name === request.by)! : undefined;
  const groups =
    byColumn === undefined
      ? null
      : byColumn.kind === 'string'
        ? byColumn.values
        : Array.from(byColumn.values, (v) => (Number.isFinite(v) ? String(v) : null));
  const detected = detectForecastFrequency(times);
  if (detected.freq === null) {
    fail({
      code: 'forecast_series_too_short',
      message: 'The table has fewer than two distinct dates.',
      params: { periods: 0, needed: 2 },
    });
  }
  const freq: ForecastFrequency = freqAsked === 'auto' ? detected.freq : freqAsked;
  // The yearly profile needs daily data; on weeks and months ETS' own season is the year.
  const models = planned.models.filter((id) => id !== 'ets_yearly' || freq === 'day');
  const topN = request.by !== undefined ? (request.topN ?? 5) : undefined;
  const binned = binSeries(times, values, groups, freq, topN);
  onProgress?.({ phase: 'read', done: 1, total: 1 });
  const n = binned.series[0]?.values.length ?? 0;
  const mFull = seasonFor(freq);
  const m = usableSeasonPeriod(n - btHorizon, mFull);
  const originList = backtestOrigins(n, { horizon: btHorizon, origins, seasonPeriod: m });
  if (originList.length === 0) {
    const needed = Math.max(10, 2 * m + btHorizon) + btHorizon;
    fail({
      code: 'forecast_series_too_short',
      message: `The series has ${n} periods; a backtest with horizon ${btHorizon} needs at least ${needed}.`,
      params: { periods: n, needed },
    });
  }
  const pause = yielder();
  const exogenous = planned.inputs
    ? buildExogenous(frame, times, groups, freq, binned.series, horizon, planned, holidays, request.calendar === true)
    : binned.series.map(() => undefined);
  const total = binned.series.length * models.length;
  let done = 0;
  const neuralOptions = (
    id: string,
    cell: 'lstm' | 'gru',
    h: number,
    label: string,
    onFinal?: (e: EpochLogLite) => void,
  ) => ({
    cell,
    id,
    horizon: h,
    inputs: planned.inputs,
    epochs: request.neural?.epochs ?? 30,
    units: request.neural?.units ?? 32,
    patience: request.neural?.patience ?? 5,
    ...(request.neural?.lookback !== undefined ? { lookback: request.neural.lookback } : {}),
    onEpoch: (log: EpochLogLite & { epochs: number }) => {
      onFinal?.(log);
      onProgress?.({
        phase: 'train',
        done: log.epoch,
        total: log.epochs,
        detail: `${id}${label ? ` · ${label}` : ''}`,
        epoch: { model: id, series: label, epoch: log.epoch, epochs: log.epochs, loss: log.loss, valLoss: log.valLoss },
      });
    },
  });
  // The global models first: one network per cell over every series, at every backtest origin.
  const globalRuns = new Map<
    string,
    { bt: ModelBacktest[]; finals: FittedModel[] | null; error?: string; ms: number }
  >();
  const globalCurves = new Map<string, { epoch: number; loss: number; valLoss: number | null }[]>();
  for (const cell of planned.global ? planned.cells : []) {
    const id = neuralVariantId(cell, 'global');
    onProgress?.({ phase: 'evaluate', done, total, detail: id });
    await pause();
    token.throwIfCancelled();
    const t0 = performance.now();
    const ys = binned.series.map((b) => b.values);
    const bt = await backtestGlobal(
      ys,
      {
        id,
        family: 'neural',
        complexity: NEURAL_COMPLEXITY[id]!,
        forecaster: globalNeuralForecaster(neuralOptions(id, cell, btHorizon, 'all')),
      },
      { horizon: btHorizon, origins, seasonPeriod: m, level, signal: token, seed: 42, exogenousPerSeries: exogenous },
    );
    token.throwIfCancelled();
    const curve: { epoch: number; loss: number; valLoss: number | null }[] = [];
    globalCurves.set(id, curve);
    let finals: FittedModel[] | null = null;
    let error: string | undefined;
    try {
      finals = await globalNeuralForecaster(
        neuralOptions(id, cell, horizon, 'all', (e) =>
          curve.push({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss }),
        ),
      ).fitMany(ys, { seasonPeriod: m, seed: 42, signal: token, exogenous });
    } catch (e) {
      token.throwIfCancelled();
      error = e instanceof Error ? e.message : String((e as Fail)?.message ?? e);
    }
    globalRuns.set(id, { bt, finals, ...(error ? { error } : {}), ms: performance.now() - t0 });
  }
  const out: ForecastSeries[] = [];
  for (const [seriesIndex, s] of binned.series.entries()) {
    const y = s.values;
    const label = s.key ?? '';
    const exo = exogenous[seriesIndex];
    const entries = (h: number, phase: 'backtest' | 'final'): BacktestEntry<Forecaster | AsyncForecaster>[] =>
      models.map((id) => {
        const neural = neuralId(id);
        if (neural) {
          return {
            id,
            family: 'neural',
            complexity: NEURAL_COMPLEXITY[id]!,
            forecaster: neuralForecaster({
              ...neuralOptions(
                id,
                neural.cell,
                h,
                label,
                phase === 'final'
                  ? (log) => curves.get(id)?.push({ epoch: log.epoch, loss: log.loss, valLoss: log.valLoss })
                  : undefined,
              ),
              inputs: neural.variant === 'x',
            }),
          };
        }
        return backtestEntry(
          id,
          id === 'moving_average' ? { window: Math.max(1, Math.min(m > 1 ? 4 * m : 8, 28)) } : undefined,
        );
      });
    const curves = new Map<string, { epoch: number; loss: number; valLoss: number | null }[]>(
      models.filter((id) => neuralId(id)?.variant === 'plain' || neuralId(id)?.variant === 'x').map((id) => [id, []]),
    );
    const btEntries = entries(btHorizon, 'backtest');
    const finalEntries = entries(horizon, 'final');
    const results: ModelBacktest[] = [];
    const timing = new Map<string, number>();
    const finals = new Map<string, FittedModel>();
    const finalErrors = new Map<string, string>();
    const options = {
      horizon: btHorizon,
      origins,
      seasonPeriod: m,
      level,
      signal: token,
      seed: 42,
      ...(exo ? { exogenous: exo } : {}),
    };
    for (let i = 0; i < models.length; i++) {
      const id = models[i]!;
      const globalRun = globalRuns.get(id);
      if (globalRun) {
        results.push(globalRun.bt[seriesIndex]!);
        const fit = globalRun.finals?.[seriesIndex];
        if (fit) finals.set(id, fit);
        else finalErrors.set(id, globalRun.error ?? 'no final fit');
        timing.set(id, globalRun.ms / binned.series.length);
        done++;
        continue;
      }
      onProgress?.({ phase: 'evaluate', done, total, detail: `${id}${label ? ` · ${label}` : ''}` });
      await pause();
      token.throwIfCancelled();
      const t0 = performance.now();
      const entry = btEntries[i]!;
      const bt =
        entry.family === 'neural'
          ? await backtestModelAsync(y, entry, options)
          : backtestModel(y, entry as BacktestEntry, options);
      token.throwIfCancelled();
      results.push(bt);
      await pause();
      try {
        const fit = await finalEntries[i]!.forecaster.fit(y, {
          seasonPeriod: m,
          seed: 42,
          signal: token,
          ...(exo ? { exogenous: exo } : {}),
        });
        finals.set(id, fit);
      } catch (e) {
        token.throwIfCancelled();
        finalErrors.set(id, e instanceof Error ? e.message : String((e as Fail)?.message ?? e));
      }
      timing.set(id, performance.now() - t0);
      done++;
    }
    onProgress?.({ phase: 'evaluate', done, total });
    const board = leaderboard(results.filter((r) => finals.has(r.id)));
    const recommended = board.recommended?.id ?? null;
    const challenger = board.ranking.find((r) => r.family !== 'baseline')?.id ?? null;
    const leaderboardRows: ForecastLeaderboardRow[] = results
      .map((r) => {
        const error = r.error ?? finalErrors.get(r.id);
        return {
          model: r.id,
          family: r.family,
          mae: r.aggregate.mae,
          rmse: r.aggregate.rmse,
          smape: r.aggregate.smape,
          mase: r.aggregate.mase,
          coverage: r.aggregate.coverage,
          ms: Math.round(timing.get(r.id) ?? 0),
          baseline: board.baseline?.id === r.id,
          recommended: recommended === r.id,
          ...(error ? { error } : {}),
          ...(finals.get(r.id) ? { description: finals.get(r.id)!.description } : {}),
        };
      })
      .sort((a, b) => (Number.isFinite(a.mase) ? a.mase : Infinity) - (Number.isFinite(b.mase) ? b.mase : Infinity));
    const forecasts: Record<string, ForecastPath> = {};
    for (const [id, fit] of finals) forecasts[id] = toPath(fit.forecast(horizon, level));
    const backtests: Record<string, BacktestOverlay[]> = {};
    for (const r of results) {
      backtests[r.id] = r.perOrigin.map((o) => ({
        origin: o.origin,
        mean: arr(o.forecast.mean),
        lower: arr(o.forecast.lower),
        upper: arr(o.forecast.upper),
      }));
    }
    const best = recommended ? finals.get(recommended) : undefined;
    const fitted = best?.fitted ?? new Float64Array(n).fill(NaN);
    const residuals = best?.residuals ?? new Float64Array(n).fill(NaN);
    // Anomalies: history outside the recommended model's in-sample band at the job's level,
    // widened to at least 98% so that a P10–P90 band does not flag one point in five.
    const band = residualBand(fitted, residuals, Math.max(0.98, level));
    const anomalies = intervalAnomalies(y, band.lower, band.upper).map((a) => ({
      index: a.index,
      period: iso(s.days[a.index]!),
      value: a.value,
      expected: a.expected,
      holiday: holidays.has(s.days[a.index]!),
    }));
    const periodsForDecomposition = freq === 'day' ? [7, 365] : [mFull];
    const d = decompose(y, periodsForDecomposition);
    const future: string[] = [];
    let p = s.days[s.days.length - 1]!;
    for (let k = 0; k < horizon; k++) {
      p = nextPeriod(p, freq);
      future.push(iso(p));
    }
    out.push({
      key: s.key,
      periods: s.days.map(iso),
      values: arr(y),
      gapsFilled: s.gapsFilled,
      seasonPeriod: m,
      future,
      leaderboard: leaderboardRows,
      recommended,
      verdict: board.verdict,
      challenger,
      baselineModel: board.baseline?.id ?? null,
      improvement: board.improvement,
      winShare: board.winShare,
      forecasts,
      backtests,
      fitted: arr(fitted),
      residuals: arr(residuals),
      decomposition: { trend: arr(d.trend), seasonal: d.seasonal.map(arr), periods: d.periods },
      anomalies,
      training: { ...Object.fromEntries(curves), ...Object.fromEntries(globalCurves) },
    });
  }
  token.throwIfCancelled();
  onProgress?.({ phase: 'write', done: 0, total: 1 });
  const columns = quantileColumns(level);
  const into = request.into ?? `${request.table}_forecast`;
  const rows: { period: number; series: string | null; model: string; rec: number; q: [number, number, number] }[] = [];
  for (const s of out) {
    for (const [model, path] of Object.entries(s.forecasts)) {
      s.future.forEach((period, k) => {
        rows.push({
          period: Date.parse(period),
          series: s.key,
          model,
          rec: model === s.recommended ? 1 : 0,
          q: [path.lower[k]!, path.median[k]!, path.upper[k]!],
        });
      });
    }
  }
  const written = await context.source.writeFrame({
    name: into,
    derivation: { kind: 'forecast', from: request.table },
    frame: {
      nRows: rows.length,
      columns: [
        { name: 'period', kind: 'date', values: Float64Array.from(rows, (r) => r.period) },
        { name: 'series', kind: 'string', values: rows.map((r) => r.series) },
        { name: 'model', kind: 'string', values: rows.map((r) => r.model) },
        { name: 'recommended', kind: 'number', values: Float64Array.from(rows, (r) => r.rec) },
        { name: columns[0], kind: 'number', values: Float64Array.from(rows, (r) => r.q[0]) },
        { name: columns[1], kind: 'number', values: Float64Array.from(rows, (r) => r.q[1]) },
        { name: columns[2], kind: 'number', values: Float64Array.from(rows, (r) => r.q[2]) },
      ],
    },
  });
  onProgress?.({ phase: 'write', done: 1, total: 1 });
  return {
    jobId,
    table: written.name,
    freq,
    detectedFreq: detected.freq,
    medianGapDays: detected.medianGapDays,
    horizon,
    backtest: { origins: originList.length, horizon: btHorizon },
    level,
    quantileColumns: columns,
    models,
    series: out,
    groupsDropped: binned.groupsDropped,
    elapsedMs: Math.round(performance.now() - started),
  };
}

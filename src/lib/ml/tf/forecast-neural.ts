/**
 * The LSTM / GRU as forecasters of the shared forecasting contract (`AsyncForecaster`), so the
 * rolling-origin backtest and the leaderboard compare them with the baselines on equal terms.
 *
 * Direct multi-step: windows of `lookback` values in, the next `horizon` values out; the network
 * scales with the training windows' statistics (per series). Intervals are empirical: for each
 * step ahead, quantiles of that step's errors on the most recent training windows (the ones the
 * early stopping validated on, at least 10), added to the point forecast. The in-sample
 * one-step fit is the first output of each window. Cancellation: the forecasting contract's
 * `signal.cancelled` (a job token) is wired to the TF forecaster's own `aborted` flag.
 *
 * With inputs (`inputs: true`, the "LSTM + calendar" variants), two paths into the network:
 * - covariates observed with the series (discount, price … not declared known) are extra
 *   features of every step of the input window, so the model sees only their past (lagged)
 *   values; their rows must end with the series, or the fit refuses (the leakage guard);
 * - future-known inputs (calendar, holidays, covariates declared known) of the H target dates
 *   skip the recurrence and go into the dense head beside the last hidden state, each step's
 *   own row into that step's output with weights shared by all steps:
 *   out_h = h_T·Wd_h + bd_h + k_{t+h}·ws. So output h depends on the calendar of that very date,
 *   which is what a direct multi-step model needs; feeding the future calendar through the
 *   recurrence instead would mix past and future time steps. Shared weights (k numbers) rather
 *   than a full [H·k → H] matrix: the first version had the full matrix, and on the Superstore
 *   daily holdout (H = 90, k = 10: 9,000 weights per output) it overfitted and lost to the plain
 *   model; a weekday or holiday effect is the same whichever step it falls on.
 * Each input column is standardised with its history statistics (0/1 flags and one-hots too,
 * so no column dominates the head's initial weights).
 *
 * The global model (`globalNeuralForecaster`) trains one network on the windows of many series
 * (per category or product) that share a calendar: each series scaled by its own mean / sd, and
 * a one-hot series id added both to every input step and to the head, so the shared network can
 * still give each series its own level and profile. Its windows are ordered by target date, so
 * the validation windows are the latest dates of every series, as in the per-series fit.
 */
import { getModelSpec, registerModel } from '../forecast/registry';
import { quantile } from '../forecast/math';
import type { MultiSeriesForecaster } from '../forecast/backtest';
import type { Exogenous } from '../forecast/exogenous';
import type { AsyncForecaster, FitOptions, FittedModel, ForecastResult } from '../forecast/types';
import {
  applyScaler,
  fitScaler,
  invertScaler,
  lastWindow,
  makeWindows as makeFeatureWindows,
  type FeatureMatrix,
  type Scaler,
} from '../forecast/windowing';
import type { CancelFlag, EpochLog } from './common';
import { Forecaster, makeWindows } from './forecast';

/** Settings of a neural forecaster. */
export interface NeuralForecasterOptions {
  cell: 'lstm' | 'gru';
  /** Steps the network predicts at once; `forecast(h)` needs h ≤ horizon. */
  horizon: number;
  units?: number;
  /** Input window; default 4 seasons (at least 28 steps for daily data), capped by the series. */
  lookback?: number;
  epochs?: number;
  patience?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Use `FitOptions.exogenous` (calendar, holidays, covariates); without it they are ignored. */
  inputs?: boolean;
  /** Model id reported to the leaderboard (default the cell, e.g. 'lstm_x' for a variant). */
  id?: string;
  onEpoch?: (log: EpochLog) => void | Promise<void>;
}

/** The lookback used for a series of length n (training part) with season m and horizon h. */
export function neuralLookback(n: number, m: number, h: number, wanted?: number): number {
  const base = wanted ?? Math.max(28, 4 * Math.max(1, m));
  // Keep at least ~8 training windows.
  return Math.max(2, Math.min(base, n - h - 8));
}

function errorMessage(n: number, needed: number): Error {
  return Object.assign(new Error(`The series has ${n} periods; the neural model needs at least ${needed}.`), {
    code: 'forecast_series_too_short',
    params: { periods: n, needed },
  });
}

/** The error thrown when observed covariates reach past the end of the series (their future is not known). */
export function covariateLeakError(rows: number, n: number): Error {
  return Object.assign(
    new Error(
      `Observed covariates have ${rows} rows for a series of ${n}: a covariate whose future is not declared known must end with the series.`,
    ),
    { code: 'forecast_covariate_leak' },
  );
}

/** Standardise every column of `m` with the statistics of its first `end` rows. */
function standardiseColumns(m: FeatureMatrix, end: number): FeatureMatrix {
  const f = m.names.length;
  const data = new Float32Array(m.data.length);
  for (let c = 0; c < f; c++) {
    const col = Float64Array.from({ length: m.rows }, (_, r) => m.data[r * f + c]!);
    const s = fitScaler(col, 'standard', end);
    for (let r = 0; r < m.rows; r++) data[r * f + c] = (col[r]! - s.center) / s.scale;
  }
  return { data, rows: m.rows, names: m.names };
}

/** Supervised layout of one series for the network (see {@link neuralInputs}). */
export interface NeuralInputs {
  /** Windows [count, lookback, features]: feature 0 the (scaled) series, then observed covariates, then the series one-hot. */
  x: Float32Array;
  /** Targets [count, horizon] in scaled units. */
  y: Float32Array;
  /** Head inputs [count, nExtra] into every output (the series one-hot). */
  extra: Float32Array;
  /** Per-step head inputs [count, horizon, nStep]: the known row of each window's target date h. */
  step: Float32Array;
  count: number;
  features: number;
  nExtra: number;
  nStep: number;
  /** Series index of each window's first target. */
  targetStart: Int32Array;
  /** The window and head inputs for forecasting the H periods after the series. */
  lastX: Float32Array;
  lastExtra: Float32Array;
  lastStep: Float32Array;
  scaler: Scaler;
  /** Names of the input columns (for the description): observed, then known. */
  observedNames: string[];
  knownNames: string[];
}

/**
 * Lay out one series for the LSTM / GRU with inputs: scaling (per series when `scaleSeries`),
 * observed covariates as window features (their rows must end with the series: the leakage
 * guard), the known rows of each window's H target dates flattened as head inputs, and an
 * optional one-hot series id. The forecast's head inputs are the known rows n … n + H − 1.
 */
export function neuralInputs(
  series: Float64Array,
  options: {
    lookback: number;
    horizon: number;
    exogenous?: Exogenous;
    scaleSeries?: boolean;
    seriesId?: { index: number; count: number };
  },
): NeuralInputs {
  const { lookback: L, horizon: H } = options;
  const n = series.length;
  const scaler: Scaler = options.scaleSeries
    ? fitScaler(series, 'standard', n)
    : { kind: 'standard', center: 0, scale: 1 };
  const ys = applyScaler(series, scaler);
  const obs = options.exogenous?.observed;
  if (obs && obs.rows !== n) throw covariateLeakError(obs.rows, n);
  const known = options.exogenous?.known;
  if (known && known.rows < n + H) {
    throw new RangeError(`known inputs cover ${known.rows} periods; the forecast needs ${n + H} (history + horizon).`);
  }
  const S = options.seriesId?.count ?? 0;
  const nObs = obs ? obs.names.length : 0;
  const winNames = [...(obs?.names ?? []), ...Array.from({ length: S }, (_, i) => `series_${i}`)];
  let covariates: FeatureMatrix | undefined;
  if (winNames.length > 0) {
    const obsScaled = obs ? standardiseColumns(obs, n) : undefined;
    const data = new Float32Array(n * winNames.length);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < nObs; c++) data[r * winNames.length + c] = obsScaled!.data[r * nObs + c]!;
      if (S > 0) data[r * winNames.length + nObs + options.seriesId!.index] = 1;
    }
    covariates = { data, rows: n, names: winNames };
  }
  const knownScaled = known ? standardiseColumns(known, n) : undefined;
  const w = makeFeatureWindows(ys, { lookback: L, horizon: H, covariates, future: knownScaled });
  const nk = known ? known.names.length : 0;
  const extra = new Float32Array(w.count * S);
  if (S > 0) for (let k = 0; k < w.count; k++) extra[k * S + options.seriesId!.index] = 1;
  const lastExtra = new Float32Array(S);
  if (S > 0) lastExtra[options.seriesId!.index] = 1;
  const lastStep = knownScaled ? knownScaled.data.slice(n * nk, (n + H) * nk) : new Float32Array(0);
  return {
    x: w.x,
    y: w.y,
    extra,
    step: w.xFuture ?? new Float32Array(0),
    count: w.count,
    features: w.features,
    nExtra: S,
    nStep: nk,
    targetStart: w.targetStart,
    lastX: lastWindow(ys, L, covariates),
    lastExtra,
    lastStep,
    scaler,
    observedNames: obs?.names ?? [],
    knownNames: known?.names ?? [],
  };
}

function cancelFlag(signal: FitOptions['signal']): CancelFlag {
  return {
    get aborted() {
      return signal?.cancelled ?? false;
    },
  };
}

function trainingOptions(options: NeuralForecasterOptions, lookback: number, seed: number | undefined) {
  return {
    cell: options.cell,
    units: options.units ?? 32,
    lookback,
    horizon: options.horizon,
    epochs: options.epochs ?? 30,
    patience: options.patience ?? 5,
    batchSize: options.batchSize ?? 64,
    learningRate: options.learningRate ?? 0.005,
    validationSplit: 0.2,
    seed: seed ?? options.seed ?? 42,
    engine: 'auto' as const,
  };
}

/**
 * A fitted model from predictions on a series' own windows: empirical step-wise intervals from
 * the latest windows' errors, the first output of each window as the in-sample fit.
 */
function fittedFrom(
  id: string,
  description: string,
  params: Record<string, number>,
  series: Float64Array,
  y: ArrayLike<number>,
  predicted: ArrayLike<number>,
  targetStart: Int32Array,
  future: ArrayLike<number>,
  H: number,
): FittedModel {
  const n = series.length;
  const nWindows = targetStart.length;
  // Step-wise errors on the latest windows (at least 10): they were not trained on when
  // early stopping kept the best validation weights, so they are the honest part.
  const nTail = Math.min(nWindows, Math.max(10, Math.round(nWindows * 0.2)));
  const errors: Float64Array[] = Array.from({ length: H }, () => new Float64Array(nTail));
  for (let w = nWindows - nTail; w < nWindows; w++) {
    for (let s = 0; s < H; s++) errors[s]![w - (nWindows - nTail)] = y[w * H + s]! - predicted[w * H + s]!;
  }
  const fitted = new Float64Array(n).fill(NaN);
  for (let w = 0; w < nWindows; w++) fitted[targetStart[w]!] = predicted[w * H]!;
  const residuals = Float64Array.from(series, (v, i) => v - fitted[i]!);
  return {
    modelId: id,
    description,
    fitted,
    residuals,
    params,
    forecast(h: number, level = 0.8): ForecastResult {
      if (h > H) throw new RangeError(`trained for ${H} steps, asked for ${h}`);
      const mean = Float64Array.from({ length: h }, (_, s) => future[s]!);
      const lo = (1 - level) / 2;
      const lower = Float64Array.from(mean, (v, s) => v + quantile(errors[s]!, lo));
      const upper = Float64Array.from(mean, (v, s) => v + quantile(errors[s]!, 1 - lo));
      const median = Float64Array.from(mean, (v, s) => v + quantile(errors[s]!, 0.5));
      return { mean, lower, upper, median, level, intervalMethod: 'empirical' };
    },
  };
}

function inputsNote(inputs: NeuralInputs): string {
  const parts: string[] = [];
  if (inputs.knownNames.length) parts.push(`known: ${inputs.knownNames.join(', ')}`);
  if (inputs.observedNames.length) parts.push(`lagged: ${inputs.observedNames.join(', ')}`);
  return parts.length ? `; inputs ${parts.join('; ')}` : '';
}

/** An LSTM or GRU forecaster for the backtest and the final fit. */
export function neuralForecaster(options: NeuralForecasterOptions): AsyncForecaster {
  const id = options.id ?? options.cell;
  return {
    modelId: id,
    async fit(series: Float64Array, fitOptions: FitOptions = {}): Promise<FittedModel> {
      const H = options.horizon;
      const m = fitOptions.seasonPeriod ?? 1;
      const n = series.length;
      const lookback = neuralLookback(n, m, H, options.lookback);
      if (n < lookback + H + 2) throw errorMessage(n, lookback + H + 2);
      const flag = cancelFlag(fitOptions.signal);
      const net = new Forecaster();
      const train = trainingOptions(options, lookback, fitOptions.seed);
      if (options.inputs) {
        const inputs = neuralInputs(series, { lookback, horizon: H, exogenous: fitOptions.exogenous });
        const result = await net.fit(
          inputs.x,
          inputs.y,
          {
            ...train,
            nFeatures: inputs.features,
            nExtra: inputs.nExtra,
            extra: inputs.extra,
            nStep: inputs.nStep,
            step: inputs.step,
          },
          options.onEpoch,
          flag,
        );
        const predicted = await net.predict(inputs.x, inputs.extra, inputs.step);
        const future = await net.predict(inputs.lastX, inputs.lastExtra, inputs.lastStep);
        net.dispose();
        return fittedFrom(
          id,
          `${options.cell.toUpperCase()}(${train.units}) lookback ${lookback}, ${result.epochsRun} epochs${inputsNote(inputs)}`,
          {
            lookback,
            epochsRun: result.epochsRun,
            bestValLoss: result.bestValLoss ?? NaN,
            inputs: inputs.features - 1 + inputs.nExtra + inputs.nStep,
          },
          series,
          inputs.y,
          predicted,
          inputs.targetStart,
          future,
          H,
        );
      }
      const { X, y } = makeWindows(Float32Array.from(series), lookback, H);
      const result = await net.fit(X, y, train, options.onEpoch, flag);
      const predicted = await net.predict(X);
      const future = await net.predict(Float32Array.from(series.subarray(n - lookback)));
      net.dispose();
      return fittedFrom(
        id,
        `${options.cell.toUpperCase()}(${train.units}) lookback ${lookback}, ${result.epochsRun} epochs`,
        { lookback, epochsRun: result.epochsRun, bestValLoss: result.bestValLoss ?? NaN },
        series,
        y,
        predicted,
        Int32Array.from({ length: y.length / H }, (_, w) => w + lookback),
        future,
        H,
      );
    },
  };
}

/**
 * The global model's training set: the windows of every series stacked, ordered by target date
 * and then by series, so the last rows (the validation split) are the latest dates of all series.
 * `order[r]` = [series, window] of row r.
 */
export function stackGlobalWindows(
  all: readonly NeuralInputs[],
  lookback: number,
  H: number,
): { X: Float32Array; y: Float32Array; extra: Float32Array; step: Float32Array; order: [number, number][] } {
  const F = all[0]!.features;
  const E = all[0]!.nExtra;
  const K = H * all[0]!.nStep;
  const order: [number, number][] = [];
  all.forEach((a, si) => a.targetStart.forEach((_, k) => order.push([si, k])));
  order.sort((p, q) => all[p[0]]!.targetStart[p[1]]! - all[q[0]]!.targetStart[q[1]]! || p[0] - q[0]);
  const count = order.length;
  const X = new Float32Array(count * lookback * F);
  const y = new Float32Array(count * H);
  const extra = new Float32Array(count * E);
  const step = new Float32Array(count * K);
  order.forEach(([si, k], r) => {
    const a = all[si]!;
    step.set(a.step.subarray(k * K, (k + 1) * K), r * K);
    X.set(a.x.subarray(k * lookback * F, (k + 1) * lookback * F), r * lookback * F);
    y.set(a.y.subarray(k * H, (k + 1) * H), r * H);
    extra.set(a.extra.subarray(k * E, (k + 1) * E), r * E);
  });
  return { X, y, extra, step, order };
}

/**
 * One LSTM / GRU trained on the windows of every series at once (see the module comment);
 * `fitMany` returns one fitted model per series, in the units of that series.
 */
export function globalNeuralForecaster(options: NeuralForecasterOptions): MultiSeriesForecaster {
  const id = options.id ?? `${options.cell}_global`;
  return {
    modelId: id,
    async fitMany(seriesList, fitOptions = {}): Promise<FittedModel[]> {
      const S = seriesList.length;
      if (S === 0) throw new RangeError('a global model needs at least one series');
      const H = options.horizon;
      const n = seriesList[0]!.length;
      if (seriesList.some((s) => s.length !== n)) throw new RangeError('every series needs the same calendar');
      const m = fitOptions.seasonPeriod ?? 1;
      const lookback = neuralLookback(n, m, H, options.lookback);
      if (n < lookback + H + 2) throw errorMessage(n, lookback + H + 2);
      const all = seriesList.map((s, index) =>
        neuralInputs(s, {
          lookback,
          horizon: H,
          exogenous: options.inputs ? fitOptions.exogenous?.[index] : undefined,
          scaleSeries: true,
          seriesId: { index, count: S },
        }),
      );
      const { features: F, nExtra: E, nStep: K } = all[0]!;
      if (all.some((a) => a.features !== F || a.nExtra !== E || a.nStep !== K)) {
        throw new RangeError('every series of a global model needs the same input columns');
      }
      const { X, y, extra, step } = stackGlobalWindows(all, lookback, H);
      const net = new Forecaster();
      const train = trainingOptions(options, lookback, fitOptions.seed);
      try {
        const result = await net.fit(
          X,
          y,
          { ...train, nFeatures: F, nExtra: E, extra, nStep: K, step },
          options.onEpoch,
          cancelFlag(fitOptions.signal),
        );
        const out: FittedModel[] = [];
        for (let si = 0; si < S; si++) {
          const a = all[si]!;
          const predicted = invertScaler(await net.predict(a.x, a.extra, a.step), a.scaler);
          const future = invertScaler(await net.predict(a.lastX, a.lastExtra, a.lastStep), a.scaler);
          const yUnits = invertScaler(a.y, a.scaler);
          out.push(
            fittedFrom(
              id,
              `${options.cell.toUpperCase()}(${train.units}) global over ${S} series, lookback ${lookback}, ${result.epochsRun} epochs${inputsNote(a)}`,
              { lookback, epochsRun: result.epochsRun, bestValLoss: result.bestValLoss ?? NaN, series: S },
              seriesList[si]!,
              yUnits,
              predicted,
              a.targetStart,
              future,
              H,
            ),
          );
        }
        return out;
      } finally {
        net.dispose();
      }
    },
  };
}

/** Registers 'lstm' and 'gru' in the forecasting registry (idempotent). */
export function registerNeuralForecasters(): void {
  if (getModelSpec('lstm') && getModelSpec('gru')) return;
  for (const cell of ['lstm', 'gru'] as const) {
    registerModel({
      id: cell,
      label: cell === 'lstm' ? 'LSTM (TF.js)' : 'GRU (TF.js)',
      family: 'neural',
      complexity: cell === 'gru' ? 10 : 11,
      params: [
        { name: 'horizon', kind: 'int', default: 28, min: 1, max: 365 },
        { name: 'units', kind: 'int', default: 32, min: 4, max: 256 },
        { name: 'epochs', kind: 'int', default: 30, min: 1, max: 500 },
        { name: 'lookback', kind: 'int', default: 28, min: 2, max: 400 },
      ],
      async: true,
      create: (p = {}) =>
        neuralForecaster({
          cell,
          horizon: typeof p.horizon === 'number' ? p.horizon : 28,
          units: typeof p.units === 'number' ? p.units : 32,
          epochs: typeof p.epochs === 'number' ? p.epochs : 30,
          ...(typeof p.lookback === 'number' ? { lookback: p.lookback } : {}),
        }),
    });
  }
}

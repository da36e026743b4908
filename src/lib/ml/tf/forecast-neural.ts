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
 */
import { getModelSpec, registerModel } from '../forecast/registry';
import { quantile } from '../forecast/math';
import type { AsyncForecaster, FitOptions, FittedModel, ForecastResult } from '../forecast/types';
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

/** An LSTM or GRU forecaster for the backtest and the final fit. */
export function neuralForecaster(options: NeuralForecasterOptions): AsyncForecaster {
  return {
    modelId: options.cell,
    async fit(series: Float64Array, fitOptions: FitOptions = {}): Promise<FittedModel> {
      const H = options.horizon;
      const m = fitOptions.seasonPeriod ?? 1;
      const n = series.length;
      const lookback = neuralLookback(n, m, H, options.lookback);
      if (n < lookback + H + 2) throw errorMessage(n, lookback + H + 2);
      const signal = fitOptions.signal;
      const flag: CancelFlag = {
        get aborted() {
          return signal?.cancelled ?? false;
        },
      };
      const { X, y, n: nWindows } = makeWindows(Float32Array.from(series), lookback, H);
      const net = new Forecaster();
      const result = await net.fit(
        X,
        y,
        {
          cell: options.cell,
          units: options.units ?? 32,
          lookback,
          horizon: H,
          epochs: options.epochs ?? 30,
          patience: options.patience ?? 5,
          batchSize: options.batchSize ?? 64,
          learningRate: options.learningRate ?? 0.005,
          validationSplit: 0.2,
          seed: fitOptions.seed ?? options.seed ?? 42,
          engine: 'auto',
        },
        options.onEpoch,
        flag,
      );
      const predicted = await net.predict(X);
      // Step-wise errors on the latest windows (at least 10): they were not trained on when
      // early stopping kept the best validation weights, so they are the honest part.
      const nTail = Math.min(nWindows, Math.max(10, Math.round(nWindows * 0.2)));
      const errors: Float64Array[] = Array.from({ length: H }, () => new Float64Array(nTail));
      for (let w = nWindows - nTail; w < nWindows; w++) {
        for (let s = 0; s < H; s++) errors[s]![w - (nWindows - nTail)] = y[w * H + s]! - predicted[w * H + s]!;
      }
      const fitted = new Float64Array(n).fill(NaN);
      for (let w = 0; w < nWindows; w++) fitted[w + lookback] = predicted[w * H]!;
      const residuals = Float64Array.from(series, (v, i) => v - fitted[i]!);
      const last = Float32Array.from(series.subarray(n - lookback));
      const future = await net.predict(last);
      net.dispose();
      return {
        modelId: options.cell,
        description: `${options.cell.toUpperCase()}(${options.units ?? 32}) lookback ${lookback}, ${result.epochsRun} epochs`,
        fitted,
        residuals,
        params: { lookback, epochsRun: result.epochsRun, bestValLoss: result.bestValLoss ?? NaN },
        forecast(h: number, level = 0.8): ForecastResult {
          if (h > H) throw new RangeError(`trained for ${H} steps, asked for ${h}`);
          const mean = Float64Array.from(future.subarray(0, h));
          const lo = (1 - level) / 2;
          const lower = Float64Array.from(mean, (v, s) => v + quantile(errors[s]!, lo));
          const upper = Float64Array.from(mean, (v, s) => v + quantile(errors[s]!, 1 - lo));
          const median = Float64Array.from(mean, (v, s) => v + quantile(errors[s]!, 0.5));
          return { mean, lower, upper, median, level, intervalMethod: 'empirical' };
        },
      };
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

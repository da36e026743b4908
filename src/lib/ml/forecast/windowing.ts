/**
 * Supervised-learning builders for the neural forecasters (LSTM/GRU on TF.js live in
 * src/lib/ml/tf/): sliding windows for direct multi-output forecasting, per-series scaling fitted
 * on training data only, and calendar features. Everything is a flat row-major Float32Array so
 * it can be handed to `tf.tensor3d(data, [count, steps, features])` or moved to a worker.
 */

/** Per-series affine scaling x' = (x − center) / scale. */
export interface Scaler {
  kind: 'standard' | 'minmax' | 'mean';
  center: number;
  scale: number;
}

/**
 * Fit a scaler on `series[0, end)` only, so the test window never leaks into training.
 * 'standard': mean/sd; 'minmax': to [0, 1]; 'mean': divide by the mean absolute value (keeps
 * zero at zero, the usual choice for intermittent sales).
 */
export function fitScaler(series: ArrayLike<number>, kind: Scaler['kind'] = 'standard', end = series.length): Scaler {
  let n = 0;
  let s = 0;
  let s2 = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let sAbs = 0;
  for (let i = 0; i < end; i++) {
    const v = series[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    s += v;
    s2 += v * v;
    sAbs += Math.abs(v);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (n === 0) return { kind, center: 0, scale: 1 };
  if (kind === 'minmax') return { kind, center: lo, scale: hi > lo ? hi - lo : 1 };
  if (kind === 'mean') return { kind, center: 0, scale: sAbs / n || 1 };
  const m = s / n;
  const sd = Math.sqrt(Math.max(0, s2 / n - m * m));
  return { kind, center: m, scale: sd || 1 };
}

/** Apply a scaler. */
export function applyScaler(x: ArrayLike<number>, s: Scaler): Float32Array {
  return Float32Array.from({ length: x.length }, (_, i) => (x[i]! - s.center) / s.scale);
}

/** Undo a scaler (model outputs back to sales units). */
export function invertScaler(x: ArrayLike<number>, s: Scaler): Float64Array {
  return Float64Array.from({ length: x.length }, (_, i) => x[i]! * s.scale + s.center);
}

/** Row-major feature matrix with column names. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  names: string[];
}

/** Calendar-feature choices. */
export interface CalendarOptions {
  weekday?: boolean;
  month?: boolean;
  /** Day-of-year sin/cos pair (yearly cycle), regardless of encoding. */
  dayOfYear?: boolean;
  /** 'onehot' (7 + 12 columns) or 'sincos' (2 + 2 columns, smooth and compact). */
  encoding?: 'onehot' | 'sincos';
}

/** Calendar features for UTC timestamps in ms (weekday 0 = Monday). */
export function calendarFeatures(timesMs: ArrayLike<number>, options: CalendarOptions = {}): FeatureMatrix {
  const { weekday = true, month = true, dayOfYear = false, encoding = 'sincos' } = options;
  const names: string[] = [];
  if (weekday)
    names.push(
      ...(encoding === 'onehot'
        ? ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `dow_${d}`)
        : ['dow_sin', 'dow_cos']),
    );
  if (month)
    names.push(
      ...(encoding === 'onehot' ? Array.from({ length: 12 }, (_, i) => `month_${i + 1}`) : ['month_sin', 'month_cos']),
    );
  if (dayOfYear) names.push('doy_sin', 'doy_cos');
  const f = names.length;
  const rows = timesMs.length;
  const data = new Float32Array(rows * f);
  for (let r = 0; r < rows; r++) {
    const d = new Date(timesMs[r]!);
    const dow = (d.getUTCDay() + 6) % 7;
    const mon = d.getUTCMonth();
    let c = r * f;
    if (weekday) {
      if (encoding === 'onehot') {
        data[c + dow] = 1;
        c += 7;
      } else {
        data[c++] = Math.sin((2 * Math.PI * dow) / 7);
        data[c++] = Math.cos((2 * Math.PI * dow) / 7);
      }
    }
    if (month) {
      if (encoding === 'onehot') {
        data[c + mon] = 1;
        c += 12;
      } else {
        data[c++] = Math.sin((2 * Math.PI * mon) / 12);
        data[c++] = Math.cos((2 * Math.PI * mon) / 12);
      }
    }
    if (dayOfYear) {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      const doy = Math.floor((timesMs[r]! - start) / 86_400_000);
      data[c] = Math.sin((2 * Math.PI * doy) / 365.25);
      data[c + 1] = Math.cos((2 * Math.PI * doy) / 365.25);
    }
  }
  return { data, rows, names };
}

/** Inputs for {@link makeWindows}. */
export interface WindowOptions {
  /** Past steps per sample (L). */
  lookback: number;
  /** Future steps predicted at once (H, direct multi-output). */
  horizon: number;
  /** Distance between consecutive window starts (default 1). */
  stride?: number;
  /** Past covariates aligned with the series (rows = series length), appended as input features. */
  covariates?: FeatureMatrix;
  /** Known-in-advance features (e.g. calendar) aligned with the series; emitted for the H target steps. */
  future?: FeatureMatrix;
  /** Only windows whose last target index is < end (default series length): keeps test data out. */
  end?: number;
}

/** Supervised samples: x [count, lookback, features], y [count, horizon], optional xFuture [count, horizon, futureFeatures]. */
export interface Windows {
  x: Float32Array;
  y: Float32Array;
  xFuture?: Float32Array;
  count: number;
  lookback: number;
  horizon: number;
  features: number;
  futureFeatures: number;
  /** Index in the series of each sample's first target step. */
  targetStart: Int32Array;
}

/**
 * Slide a window over an (already scaled) series: feature 0 is the series itself, then the
 * covariate columns. Targets are the next H values of the series.
 */
export function makeWindows(series: ArrayLike<number>, options: WindowOptions): Windows {
  const { lookback: L, horizon: H } = options;
  const stride = Math.max(1, options.stride ?? 1);
  const end = Math.min(options.end ?? series.length, series.length);
  const cov = options.covariates;
  const fut = options.future;
  if (cov && cov.rows !== series.length) throw new RangeError('covariates must have one row per series value');
  if (fut && fut.rows < end) throw new RangeError('future features must cover the target range');
  const nc = cov ? cov.names.length : 0;
  const nf = fut ? fut.names.length : 0;
  const F = 1 + nc;
  const starts: number[] = [];
  for (let t = L; t + H <= end; t += stride) starts.push(t);
  const count = starts.length;
  const x = new Float32Array(count * L * F);
  const y = new Float32Array(count * H);
  const xFuture = fut ? new Float32Array(count * H * nf) : undefined;
  starts.forEach((t, k) => {
    for (let i = 0; i < L; i++) {
      const src = t - L + i;
      const o = (k * L + i) * F;
      x[o] = series[src]!;
      for (let c = 0; c < nc; c++) x[o + 1 + c] = cov!.data[src * nc + c]!;
    }
    for (let j = 0; j < H; j++) {
      y[k * H + j] = series[t + j]!;
      if (xFuture) for (let c = 0; c < nf; c++) xFuture[(k * H + j) * nf + c] = fut!.data[(t + j) * nf + c]!;
    }
  });
  return {
    x,
    y,
    xFuture,
    count,
    lookback: L,
    horizon: H,
    features: F,
    futureFeatures: nf,
    targetStart: Int32Array.from(starts),
  };
}

/** The most recent input window [1, lookback, features] to forecast from the end of the series. */
export function lastWindow(series: ArrayLike<number>, lookback: number, covariates?: FeatureMatrix): Float32Array {
  const n = series.length;
  if (n < lookback) throw new RangeError(`need ${lookback} values, have ${n}`);
  const nc = covariates ? covariates.names.length : 0;
  const F = 1 + nc;
  const x = new Float32Array(lookback * F);
  for (let i = 0; i < lookback; i++) {
    const src = n - lookback + i;
    x[i * F] = series[src]!;
    for (let c = 0; c < nc; c++) x[i * F + 1 + c] = covariates!.data[src * nc + c]!;
  }
  return x;
}

/** Fill calendar gaps with zeros: returns a dense daily series from (dayIndex, value) pairs, plus how many days were missing. */
export function fillDailyGaps(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
): { start: number; values: Float64Array; missing: number } {
  if (days.length === 0) return { start: 0, values: new Float64Array(0), missing: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < days.length; i++) {
    lo = Math.min(lo, days[i]!);
    hi = Math.max(hi, days[i]!);
  }
  const out = new Float64Array(hi - lo + 1);
  const seen = new Uint8Array(out.length);
  for (let i = 0; i < days.length; i++) {
    out[days[i]! - lo] = out[days[i]! - lo]! + values[i]!;
    seen[days[i]! - lo] = 1;
  }
  return { start: lo, values: out, missing: seen.reduce((s, v) => s + (v ? 0 : 1), 0) };
}

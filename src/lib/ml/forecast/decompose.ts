/**
 * Seasonal decomposition and anomaly flags. "STL-lite": a moving-average trend and seasonal
 * profiles by position in the cycle, refined by backfitting, for one or two seasonal periods
 * (e.g. weekly 7 and yearly 365 on daily data). Not LOESS-based STL: it is cheaper, has no
 * robustness weights and treats the yearly cycle as exactly 365 positions (leap days shift it by
 * one day every four years, which is below the resolution of a smoothed yearly profile).
 */
import { centredMovingAverage } from './ets';
import { mad, mean, median, variance } from './math';

/** Trend + seasonal components + remainder, all aligned with the input series. */
export interface Decomposition {
  trend: Float64Array;
  /** One seasonal component per period, in the order requested. */
  seasonal: Float64Array[];
  periods: number[];
  remainder: Float64Array;
}

/** Fill NaN edges with the nearest finite value (keeps the components defined at the ends). */
function fillEdges(x: Float64Array): Float64Array {
  const out = Float64Array.from(x);
  const first = out.findIndex(Number.isFinite);
  if (first < 0) return out.fill(mean(x) || 0);
  let last = out.length - 1;
  while (!Number.isFinite(out[last]!)) last--;
  for (let i = 0; i < first; i++) out[i] = out[first]!;
  for (let i = last + 1; i < out.length; i++) out[i] = out[last]!;
  return out;
}

/** Mean profile of `x` by position t mod m, centred to sum to zero; optionally smoothed circularly. */
function seasonalProfile(x: Float64Array, m: number, smooth: number): Float64Array {
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < x.length; t++) {
    if (!Number.isFinite(x[t]!)) continue;
    sums[t % m] = sums[t % m]! + x[t]!;
    counts[t % m] = counts[t % m]! + 1;
  }
  let prof = Float64Array.from(sums, (s, i) => (counts[i]! > 0 ? s / counts[i]! : 0));
  if (smooth > 1) {
    // A circular moving average: yearly profiles from 2-3 years of daily data are mostly noise.
    const half = Math.floor(smooth / 2);
    const sm = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = -half; j <= half; j++) s += prof[(i + j + m) % m]!;
      sm[i] = s / (2 * half + 1);
    }
    prof = sm;
  }
  const avg = mean(prof);
  return prof.map((v) => v - avg);
}

/**
 * Additive decomposition y = trend + Σ seasonal_k + remainder. Periods needing more than two
 * full cycles of data are dropped; the trend is a centred moving average over the longest kept
 * period, and each seasonal profile is re-estimated twice on data with the others removed.
 */
export function decompose(y: Float64Array, periods: readonly number[]): Decomposition {
  const n = y.length;
  const kept = [...new Set(periods.map((p) => Math.round(p)))].filter((p) => p > 1 && n >= 2 * p).sort((a, b) => a - b);
  const window = kept.length > 0 ? kept[kept.length - 1]! : Math.min(7, Math.max(1, Math.floor(n / 3)));
  const trend = fillEdges(window > 1 ? centredMovingAverage(y, window) : Float64Array.from(y));
  const seasonal = kept.map(() => new Float64Array(n));
  const detrended = Float64Array.from(y, (v, i) => v - trend[i]!);
  for (let pass = 0; pass < 2; pass++) {
    kept.forEach((p, k) => {
      const partial = Float64Array.from(detrended, (v, t) => {
        let s = v;
        kept.forEach((_, j) => {
          if (j !== k) s -= seasonal[j]![t]!;
        });
        return s;
      });
      const prof = seasonalProfile(partial, p, p >= 100 ? 15 : 1);
      for (let t = 0; t < n; t++) seasonal[k]![t] = prof[t % p]!;
    });
  }
  const remainder = Float64Array.from(y, (v, t) => v - trend[t]! - seasonal.reduce((s, c) => s + c[t]!, 0));
  return { trend, seasonal, periods: kept, remainder };
}

/** Strength of seasonality max(0, 1 − Var(R)/Var(S + R)) (Wang, Smith & Hyndman 2006); 0 when absent. */
export function seasonalStrength(d: Decomposition, index = 0): number {
  const s = d.seasonal[index];
  if (!s) return 0;
  const sr = Float64Array.from(s, (v, i) => v + d.remainder[i]!);
  const vsr = variance(sr);
  return vsr > 0 ? Math.max(0, 1 - variance(d.remainder) / vsr) : 0;
}

/** Strength of trend max(0, 1 − Var(R)/Var(T + R)). */
export function trendStrength(d: Decomposition): number {
  const tr = Float64Array.from(d.trend, (v, i) => v + d.remainder[i]!);
  const v = variance(tr);
  return v > 0 ? Math.max(0, 1 - variance(d.remainder) / v) : 0;
}

/** An unusual history point with a signed score (how far outside, in band units). */
export interface Anomaly {
  index: number;
  value: number;
  expected: number;
  /** > 0 above the band, < 0 below; |score| > 1 means outside. */
  score: number;
}

/** Points outside a model's in-sample band [fitted − halfWidth, fitted + halfWidth] (e.g. from residual quantiles). */
export function intervalAnomalies(y: Float64Array, lower: Float64Array, upper: Float64Array): Anomaly[] {
  const out: Anomaly[] = [];
  for (let t = 0; t < y.length; t++) {
    const lo = lower[t]!;
    const hi = upper[t]!;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) continue;
    const mid = (lo + hi) / 2;
    const half = Math.max((hi - lo) / 2, 1e-12);
    const score = (y[t]! - mid) / half;
    if (Math.abs(score) > 1) out.push({ index: t, value: y[t]!, expected: mid, score });
  }
  return out;
}

/** In-sample band from one-step fitted values and residual quantiles at the given level. */
export function residualBand(
  fitted: Float64Array,
  residuals: Float64Array,
  level = 0.98,
): { lower: Float64Array; upper: Float64Array } {
  const finite = Array.from(residuals)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const q = (p: number) => finite[Math.min(finite.length - 1, Math.max(0, Math.round(p * (finite.length - 1))))] ?? 0;
  const lo = q((1 - level) / 2);
  const hi = q(1 - (1 - level) / 2);
  return { lower: fitted.map((f) => f + lo), upper: fitted.map((f) => f + hi) };
}

/**
 * Robust flags on a decomposition's remainder: |r − median| > k·MAD (k = 3.5 by default, the
 * Iglewicz-Hoaglin cut-off), so a few huge days cannot inflate the band that should catch them.
 */
export function robustAnomalies(y: Float64Array, d: Decomposition, k = 3.5): Anomaly[] {
  const med = median(d.remainder);
  const scale = mad(d.remainder) || Math.sqrt(variance(d.remainder)) || 1;
  const out: Anomaly[] = [];
  for (let t = 0; t < y.length; t++) {
    const score = (d.remainder[t]! - med) / (k * scale);
    if (Math.abs(score) > 1) out.push({ index: t, value: y[t]!, expected: y[t]! - d.remainder[t]! + med, score });
  }
  return out;
}

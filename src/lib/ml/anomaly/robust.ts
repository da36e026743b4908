/**
 * Robust per-feature z-scores (median / MAD) and "why is this row unusual" explanations.
 * Median and MAD ignore NaN, and resist the very outliers we are trying to find, unlike
 * mean and standard deviation.
 */
import { type Matrix } from '../segment/matrix';

/** MAD → σ for normal data (1 / Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.482602218505602;
/** Mean absolute deviation → σ for normal data (√(π/2)). */
const MEANAD_TO_SIGMA = 1.2533141373155003;

/** Median of the finite values (NaN if none). */
export function median(values: ArrayLike<number>): number {
  const v = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Per-feature centre and scale used for robust z-scores. */
export interface RobustScale {
  median: Float64Array;
  /** σ estimate: 1.4826·MAD, or 1.2533·mean |x − median| when MAD is 0 (Iglewicz & Hoaglin); 0 if constant. */
  scale: Float64Array;
}

/** Fits medians and robust scales per column. */
export function fitRobustScale(x: Matrix): RobustScale {
  const { nRows: n, nCols: d } = x;
  const med = new Float64Array(d);
  const scale = new Float64Array(d);
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = x.data[i * d + j]!;
    const m = median(col);
    med[j] = m;
    const dev = col.map((v) => Math.abs(v - m));
    const mad = median(dev);
    if (mad > 0) scale[j] = MAD_TO_SIGMA * mad;
    else {
      // Mostly-constant columns (e.g. "returns" = 0 for most customers) have MAD 0.
      let s = 0;
      let c = 0;
      for (const v of dev)
        if (!Number.isNaN(v)) {
          s += v;
          c++;
        }
      scale[j] = c ? (MEANAD_TO_SIGMA * s) / c : 0;
    }
  }
  return { median: med, scale };
}

/**
 * Robust z = (x − median) / scale per cell (nRows × nCols). A zero scale gives 0 for the
 * median value and ±Infinity otherwise; NaN inputs give NaN.
 */
export function robustZScores(x: Matrix, fitted: RobustScale = fitRobustScale(x)): Matrix {
  const { nRows: n, nCols: d } = x;
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const diff = x.data[i * d + j]! - fitted.median[j]!;
      const s = fitted.scale[j]!;
      z[i * d + j] = s > 0 ? diff / s : diff === 0 ? 0 : diff > 0 ? Infinity : Number.isNaN(diff) ? NaN : -Infinity;
    }
  return { data: z, nRows: n, nCols: d };
}

/** One reason a row is unusual. */
export interface FeatureReason {
  feature: number;
  /** Feature name, when names were given. */
  name?: string;
  value: number;
  median: number;
  z: number;
  /** Share of the isolation-path credit (only when a forest attribution was supplied). */
  attribution?: number;
}

/**
 * Explains row i: the features with the largest robust |z| (at least `minAbsZ`, default 2),
 * most extreme first, at most `top` (default 3). Pass `attribution` to attach path credit.
 */
export function explainRow(
  x: Matrix,
  i: number,
  options: {
    fitted?: RobustScale;
    names?: readonly string[];
    top?: number;
    minAbsZ?: number;
    attribution?: ArrayLike<number>;
  } = {},
): FeatureReason[] {
  const fitted = options.fitted ?? fitRobustScale(x);
  const d = x.nCols;
  const reasons: FeatureReason[] = [];
  for (let j = 0; j < d; j++) {
    const value = x.data[i * d + j]!;
    const s = fitted.scale[j]!;
    const diff = value - fitted.median[j]!;
    const z = s > 0 ? diff / s : diff === 0 || Number.isNaN(diff) ? 0 : Math.sign(diff) * Infinity;
    if (!(Math.abs(z) >= (options.minAbsZ ?? 2))) continue;
    const r: FeatureReason = { feature: j, value, median: fitted.median[j]!, z };
    if (options.names) r.name = options.names[j];
    if (options.attribution) r.attribution = options.attribution[j];
    reasons.push(r);
  }
  return reasons.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.feature - b.feature).slice(0, options.top ?? 3);
}

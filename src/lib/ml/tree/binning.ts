/**
 * Quantile binning for histogram gradient boosting, as scikit-learn's `_BinMapper`: at most
 * `maxBins` bins per feature from midpoints between distinct values (few values) or 'midpoint'
 * percentiles (many values); NaN gets its own last bin `maxBins`.
 */
import type { Matrix } from '../matrix';
import { Rng } from '../random';

/** Bin thresholds per feature; value x falls in bin b when thresholds[b-1] < x ≤ thresholds[b]. */
export interface BinMapper {
  maxBins: number;
  thresholds: Float64Array[];
  hasMissing: Uint8Array;
}

/** sklearn caps thresholds so that +∞ is reserved for "split on missing". */
const ALMOST_INF = 1e300;
/** Rows used to find thresholds, as sklearn's `subsample=2e5`. */
const SUBSAMPLE = 200_000;

/** numpy `percentile(..., method='midpoint')` of sorted values. */
function midpointPercentile(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return lo === hi ? sorted[lo]! : sorted[hi]! - (sorted[hi]! - sorted[lo]!) * 0.5;
}

/** Finds each feature's bin thresholds from the training data. */
export function fitBins(X: Matrix, maxBins = 255, seed = 0): BinMapper {
  if (maxBins < 2 || maxBins > 255) throw new Error(`maxBins must be in [2, 255], got ${maxBins}`);
  const { nRows: n, nCols: p, data } = X;
  const rows = n > SUBSAMPLE ? Array.from(new Rng(seed).sample(n, SUBSAMPLE)) : null;
  const m = rows ? rows.length : n;
  const thresholds: Float64Array[] = [];
  const hasMissing = new Uint8Array(p);
  const buf = new Float64Array(m);
  for (let j = 0; j < p; j++) {
    let c = 0;
    for (let t = 0; t < m; t++) {
      const v = data[(rows ? rows[t]! : t) * p + j]!;
      if (Number.isNaN(v)) hasMissing[j] = 1;
      else buf[c++] = v;
    }
    if (!hasMissing[j] && rows) {
      // The subsample may miss NaNs that the full column has.
      for (let i = 0; i < n; i++) if (Number.isNaN(data[i * p + j]!)) hasMissing[j] = 1;
    }
    const sorted = buf.slice(0, c).sort();
    let u = 0;
    const distinct = new Float64Array(c);
    for (let i = 0; i < c; i++) if (i === 0 || sorted[i] !== distinct[u - 1]) distinct[u++] = sorted[i]!;
    let th: Float64Array;
    if (u <= maxBins) {
      th = new Float64Array(Math.max(0, u - 1));
      for (let i = 0; i + 1 < u; i++) th[i] = (distinct[i]! + distinct[i + 1]!) * 0.5;
    } else {
      th = new Float64Array(maxBins - 1);
      for (let b = 1; b < maxBins; b++) th[b - 1] = midpointPercentile(sorted, (100 * b) / maxBins);
    }
    for (let i = 0; i < th.length; i++) if (th[i]! > ALMOST_INF) th[i] = ALMOST_INF;
    thresholds.push(th);
  }
  return { maxBins, thresholds, hasMissing };
}

/** Bins X column-major (`out[j·n + i]`), NaN → bin `maxBins`. */
export function applyBins(mapper: BinMapper, X: Matrix): Uint8Array {
  const { nRows: n, nCols: p, data } = X;
  const out = new Uint8Array(n * p);
  for (let j = 0; j < p; j++) {
    const th = mapper.thresholds[j]!;
    for (let i = 0; i < n; i++) {
      const v = data[i * p + j]!;
      if (Number.isNaN(v)) {
        out[j * n + i] = mapper.maxBins;
        continue;
      }
      // Number of thresholds strictly below v.
      let lo = 0;
      let hi = th.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v <= th[mid]!) hi = mid;
        else lo = mid + 1;
      }
      out[j * n + i] = lo;
    }
  }
  return out;
}

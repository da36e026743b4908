/**
 * Turning scores into selections: SelectKBest, SelectPercentile and a 1-based ranking, all with
 * scikit-learn's conventions (NaN scores count as the lowest; among equal scores the later
 * column wins, because sklearn takes the tail of a stable ascending sort).
 */

/** Scores with NaN replaced by −Number.MAX_VALUE, as sklearn's `_clean_nans`. */
function clean(scores: ArrayLike<number>): Float64Array {
  return Float64Array.from(scores, (s) => (Number.isNaN(s) ? -Number.MAX_VALUE : s));
}

/** Column indices from best to worst (score descending; ties: later column first). */
export function orderByScore(scores: ArrayLike<number>): number[] {
  const s = clean(scores);
  return Array.from(s.keys()).sort((a, b) => s[b]! - s[a]! || b - a);
}

/** 1-based rank per column (1 = best) under `orderByScore`. */
export function rankScores(scores: ArrayLike<number>): Int32Array {
  const ranks = new Int32Array(scores.length);
  orderByScore(scores).forEach((j, position) => (ranks[j] = position + 1));
  return ranks;
}

/** Mask of the k best-scoring columns, as sklearn's `SelectKBest` (k ≥ number of columns keeps all). */
export function selectKBest(scores: ArrayLike<number>, k: number): boolean[] {
  if (!Number.isInteger(k) || k < 0) throw new Error('k must be a non-negative integer.');
  const mask = new Array<boolean>(scores.length).fill(false);
  for (const j of orderByScore(scores).slice(0, k)) mask[j] = true;
  return mask;
}

/** numpy's `percentile` with linear interpolation (its `_lerp`, so equal neighbours give exactly that value). */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = ((n - 1) * q) / 100;
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, n - 1);
  const t = position - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Mask of the top `percent` % of columns, as sklearn's `SelectPercentile` (including its tie rule). */
export function selectPercentile(scores: ArrayLike<number>, percent: number): boolean[] {
  if (!(percent >= 0 && percent <= 100)) throw new Error('percent must be within 0..100.');
  const p = scores.length;
  if (percent === 100) return new Array<boolean>(p).fill(true);
  if (percent === 0) return new Array<boolean>(p).fill(false);
  const s = clean(scores);
  const threshold = percentile(s, 100 - percent);
  const mask = Array.from(s, (v) => v > threshold);
  const maxFeatures = Math.floor((p * percent) / 100);
  let room = maxFeatures - mask.filter(Boolean).length;
  for (let j = 0; j < p && room > 0; j++) {
    if (s[j] === threshold) {
      mask[j] = true;
      room--;
    }
  }
  return mask;
}

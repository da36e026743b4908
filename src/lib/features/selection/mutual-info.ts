/**
 * Mutual information between each feature and the target with k-nearest-neighbour estimators,
 * ported from scikit-learn 1.2's `mutual_info_classif` / `mutual_info_regression`:
 * Kraskov–Stögbauer–Grassberger (estimator 1, max-norm) for continuous–continuous pairs, Ross
 * (2014) for continuous–discrete pairs, and the plug-in contingency estimate for
 * discrete–discrete pairs. Results are in nats and clipped at 0.
 *
 * Determinism: sklearn scales each continuous column by its standard deviation and adds noise of
 * 1e-10 · max(1, mean|x|) · N(0, 1) to break ties, drawn from `check_random_state(random_state)`.
 * Here `randomState` (default 0) seeds a port of numpy's legacy RandomState (MT19937 and the
 * polar-method normal) and the draws are consumed in the same order (row-major over the
 * continuous columns, then the target for regression), so the result equals sklearn's with
 * `random_state=<same int>` up to floating-point rounding in the last bits. Other seeds move
 * sklearn's own estimate by up to ~0.01 nats on tie-heavy columns, which is why the noise is
 * reproduced rather than dropped: without it, tied values would all fall inside every radius.
 *
 * Neighbour searches exploit one dimension: 1-D searches use a sorted copy and binary search;
 * the 2-D max-norm search for KSG sweeps outwards from each point in x-order and stops when the
 * x-gap alone exceeds the current k-th distance.
 */
import { digamma } from './special';
import { RandomState } from './random';
import type { Columns } from './univariate';

/** Options shared by both estimators. */
export interface MutualInfoOptions {
  /** Neighbours k (sklearn's `n_neighbors`), default 3. */
  nNeighbors?: number;
  /** Seed of the tie-breaking noise, as sklearn's integer `random_state`; default 0. */
  randomState?: number;
  /** Per-feature flag: treat as discrete (no noise, contingency/Ross estimate). Default: none. */
  discrete?: readonly boolean[];
}

const DBL_EPS = 2.220446049250313e-16;

const FLOAT_BUF = new Float64Array(1);
const BITS_BUF = new Uint32Array(FLOAT_BUF.buffer);

/** The next double towards zero (numpy's `np.nextafter(r, 0)` for finite r ≥ 0). */
function nextTowardZero(r: number): number {
  if (!(r > 0) || r === Infinity) return r;
  // Positive doubles are ordered like their bit patterns, so the predecessor is bits − 1
  // (little-endian: word 0 is the low half).
  FLOAT_BUF[0] = r;
  if (BITS_BUF[0] === 0) {
    BITS_BUF[0] = 0xffffffff;
    BITS_BUF[1] = BITS_BUF[1]! - 1;
  } else {
    BITS_BUF[0] = BITS_BUF[0]! - 1;
  }
  return FLOAT_BUF[0]!;
}

/** numpy's pairwise summation (what `np.sum` does along a contiguous axis). */
function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i]!;
    return s;
  }
  if (n <= 128) {
    const r = [a[start]!, a[start + 1]!, a[start + 2]!, a[start + 3]!];
    const r2 = [a[start + 4]!, a[start + 5]!, a[start + 6]!, a[start + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r[0]! += a[start + i]!;
      r[1]! += a[start + i + 1]!;
      r[2]! += a[start + i + 2]!;
      r[3]! += a[start + i + 3]!;
      r2[0]! += a[start + i + 4]!;
      r2[1]! += a[start + i + 5]!;
      r2[2]! += a[start + i + 6]!;
      r2[3]! += a[start + i + 7]!;
    }
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r2[0]! + r2[1]! + (r2[2]! + r2[3]!));
    for (; i < n; i++) s += a[start + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `x / std(x)` as sklearn's `scale(with_mean=False)` (a near-zero std counts as 1). */
function scaleByStd(x: Float64Array, pairwise: boolean): Float64Array {
  const n = x.length;
  const sum = (a: ArrayLike<number>): number => {
    if (pairwise) return pairwiseSum(a, 0, a.length);
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]!;
    return s;
  };
  const m = sum(x) / n;
  const sq = Float64Array.from(x, (v) => (v - m) * (v - m));
  let sd = Math.sqrt(sum(sq) / n);
  if (sd < 10 * DBL_EPS) sd = 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i]! / sd;
  return out;
}

function meanAbs(x: Float64Array, pairwise: boolean): number {
  const abs = Float64Array.from(x, Math.abs);
  if (pairwise) return pairwiseSum(abs, 0, abs.length) / abs.length;
  let s = 0;
  for (let i = 0; i < abs.length; i++) s += abs[i]!;
  return s / abs.length;
}

function meanDigamma(values: ArrayLike<number>): number {
  const d = Float64Array.from(values, digamma);
  return pairwiseSum(d, 0, d.length) / d.length;
}

/** Sorted copy with the original indices (ascending; ties by index). */
function sortedOrder(x: Float64Array): Int32Array {
  const order = Int32Array.from(x.keys());
  order.sort((a, b) => x[a]! - x[b]! || a - b);
  return order;
}

/** First index of a sorted array whose value is ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For each value of `x`, how many values v of the sorted array satisfy |v − x| ≤ r. The two
 * one-sided differences are monotone in v, so binary search gives the same count as checking
 * every |v − x| ≤ r (the comparison sklearn's KD-tree makes).
 */
function countWithin(sorted: Float64Array, x: number, r: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x - sorted[mid]! > r) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! - x > r) hi = mid;
    else lo = mid + 1;
  }
  return lo - first;
}

/** Distance to the k-th nearest other point of sorted 1-D values, for the point at `pos`. */
function kthDistance1d(sorted: Float64Array, pos: number, k: number): number {
  let left = pos - 1;
  let right = pos + 1;
  const x = sorted[pos]!;
  let d = 0;
  for (let step = 0; step < k; step++) {
    const dl = left >= 0 ? x - sorted[left]! : Infinity;
    const dr = right < sorted.length ? sorted[right]! - x : Infinity;
    if (dl <= dr) {
      d = dl;
      left--;
    } else {
      d = dr;
      right++;
    }
  }
  return d;
}

/** Ross's estimator for a continuous `c` and class labels `d` (sklearn's `_compute_mi_cd`). */
function miContinuousDiscrete(c: Float64Array, d: ArrayLike<number>, k: number): number {
  const n = c.length;
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const rows = byLabel.get(d[i]!);
    if (rows) rows.push(i);
    else byLabel.set(d[i]!, [i]);
  }
  const radius = new Float64Array(n);
  const kAll = new Float64Array(n);
  const labelCount = new Float64Array(n);
  for (const rows of byLabel.values()) {
    const count = rows.length;
    for (const i of rows) labelCount[i] = count;
    // Points whose label occurs once carry no neighbour information and are dropped below.
    if (count < 2) continue;
    const kl = Math.min(k, count - 1);
    const sorted = Float64Array.from(rows, (i) => c[i]!).sort();
    // Any copy of a repeated value sees the same distances to the others, so the first position
    // of the value (binary search) serves for all of them; no argsort needed.
    for (const row of rows) {
      radius[row] = nextTowardZero(kthDistance1d(sorted, lowerBound(sorted, c[row]!), kl));
      kAll[row] = kl;
    }
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (labelCount[i]! > 1) keep.push(i);
  if (keep.length === 0) return 0;
  const all = Float64Array.from(keep, (i) => c[i]!).sort();
  const m = Float64Array.from(keep, (i) => countWithin(all, c[i]!, radius[i]!));
  const mi =
    digamma(keep.length) +
    meanDigamma(Float64Array.from(keep, (i) => kAll[i]!)) -
    meanDigamma(Float64Array.from(keep, (i) => labelCount[i]!)) -
    meanDigamma(m);
  return Math.max(0, mi);
}

/** Distance in max-norm to the k-th nearest other point of (x, y), for every point. */
function kthChebyshev(x: Float64Array, y: Float64Array, k: number): Float64Array {
  const n = x.length;
  const order = sortedOrder(x);
  const sx = Float64Array.from(order, (o) => x[o]!);
  const sy = Float64Array.from(order, (o) => y[o]!);
  const out = new Float64Array(n);
  const best = new Float64Array(k);
  for (let p = 0; p < n; p++) {
    best.fill(Infinity);
    const px = sx[p]!;
    const py = sy[p]!;
    let left = p - 1;
    let right = p + 1;
    for (;;) {
      const dl = left >= 0 ? px - sx[left]! : Infinity;
      const dr = right < n ? sx[right]! - px : Infinity;
      const gap = Math.min(dl, dr);
      // Every remaining point is at least `gap` away in x alone.
      if (gap > best[k - 1]! || gap === Infinity) break;
      let q: number;
      if (dl <= dr) q = left--;
      else q = right++;
      const dist = Math.max(gap, Math.abs(sy[q]! - py));
      if (dist < best[k - 1]!) {
        let j = k - 1;
        while (j > 0 && best[j - 1]! > dist) {
          best[j] = best[j - 1]!;
          j--;
        }
        best[j] = dist;
      }
    }
    out[order[p]!] = best[k - 1]!;
  }
  return out;
}

/** Values of a sorted, standardised column that differ by more than the tie-breaking noise. */
function distinctLevels(sorted: Float64Array): number {
  let levels = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! > 1e-6) levels++;
  return levels;
}

/** KSG estimator 1 for two continuous variables (sklearn's `_compute_mi_cc`). */
function miContinuousContinuous(x: Float64Array, y: Float64Array, k: number): number {
  const n = x.length;
  const sx = Float64Array.from(x).sort();
  const sy = Float64Array.from(y).sort();
  // The max-norm is symmetric, so sweep along the axis with fewer tie clusters: a block of
  // (noise-separated) ties has to be scanned pairwise, and zero-inflated columns have big ones.
  const swap = distinctLevels(sy) > distinctLevels(sx);
  const radius = (swap ? kthChebyshev(y, x, k) : kthChebyshev(x, y, k)).map(nextTowardZero);
  const nx = Float64Array.from(x, (v, i) => countWithin(sx, v, radius[i]!));
  const ny = Float64Array.from(y, (v, i) => countWithin(sy, v, radius[i]!));
  const mi = digamma(n) + digamma(k) - meanDigamma(nx) - meanDigamma(ny);
  return Math.max(0, mi);
}

/** Plug-in mutual information of two discrete labelings (sklearn's `mutual_info_score`). */
export function mutualInfoDiscrete(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const joint = new Map<string, number>();
  const pa = new Map<number, number>();
  const pb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    pa.set(a[i]!, (pa.get(a[i]!) ?? 0) + 1);
    pb.set(b[i]!, (pb.get(b[i]!) ?? 0) + 1);
  }
  if (pa.size === 1 || pb.size === 1) return 0;
  let mi = 0;
  for (const [key, count] of joint) {
    const [ka, kb] = key.split('\u0000').map(Number) as [number, number];
    const term =
      (count / n) * (Math.log(count) - Math.log(n) - Math.log(pa.get(ka)!) - Math.log(pb.get(kb)!) + 2 * Math.log(n));
    if (Math.abs(term) >= DBL_EPS) mi += term;
  }
  return Math.max(0, mi);
}

/** Scaled + noised copies of the continuous columns, in sklearn's order of draws. */
function prepareColumns(columns: Columns, discrete: readonly boolean[], rng: RandomState): Float64Array[] {
  const continuous = columns.flatMap((_, j) => (discrete[j] ? [] : [j]));
  // np.sum over axis 0 of an (n, p) block is a plain running sum per column; with p = 1 the
  // block is contiguous and numpy sums pairwise. Matching that keeps the last bits identical.
  const pairwise = continuous.length === 1;
  const prepared = columns.map((c, j) => (discrete[j] ? c : scaleByStd(c, pairwise)));
  const scale = continuous.map((j) => 1e-10 * Math.max(1, meanAbs(prepared[j]!, pairwise)));
  const n = columns[0]?.length ?? 0;
  for (let i = 0; i < n; i++) {
    continuous.forEach((j, q) => {
      prepared[j]![i]! += scale[q]! * rng.standardNormal();
    });
  }
  return prepared;
}

function validate(columns: Columns, y: ArrayLike<number>, options: MutualInfoOptions): Required<MutualInfoOptions> {
  const k = options.nNeighbors ?? 3;
  if (!Number.isInteger(k) || k < 1) throw new Error('nNeighbors must be a positive integer.');
  for (const c of columns) if (c.length !== y.length) throw new Error('Every column needs one value per target row.');
  const discrete = options.discrete ?? columns.map(() => false);
  if (discrete.length !== columns.length) throw new Error('discrete needs one flag per feature.');
  return { nNeighbors: k, randomState: options.randomState ?? 0, discrete };
}

/**
 * Both estimators as a generator that yields after each feature (so that an async caller can
 * yield to the event loop between features) and returns the estimates.
 */
export function* mutualInfoSteps(
  columns: Columns,
  y: ArrayLike<number>,
  discreteTarget: boolean,
  options: MutualInfoOptions = {},
): Generator<number, Float64Array, void> {
  const { nNeighbors, randomState, discrete } = validate(columns, y, options);
  const rng = new RandomState(randomState);
  const prepared = prepareColumns(columns, discrete, rng);
  let target: ArrayLike<number> = y;
  if (!discreteTarget) {
    // The target is a contiguous 1-D array, so numpy sums it pairwise; its noise is drawn last.
    const scaled = scaleByStd(Float64Array.from(y), true);
    const noise = 1e-10 * Math.max(1, meanAbs(scaled, true));
    for (let i = 0; i < scaled.length; i++) scaled[i]! += noise * rng.standardNormal();
    target = scaled;
  }
  const out = new Float64Array(columns.length);
  for (let j = 0; j < columns.length; j++) {
    const x = prepared[j]!;
    if (discreteTarget) {
      out[j] = discrete[j] ? mutualInfoDiscrete(x, target) : miContinuousDiscrete(x, target, nNeighbors);
    } else {
      const t = target as Float64Array;
      out[j] = discrete[j] ? miContinuousDiscrete(t, x, nNeighbors) : miContinuousContinuous(x, t, nNeighbors);
    }
    yield j + 1;
  }
  return out;
}

function run(steps: Generator<number, Float64Array, void>): Float64Array {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Mutual information (nats) of each feature with class indices `y`, as sklearn's `mutual_info_classif`. */
export function mutualInfoClassif(
  columns: Columns,
  y: ArrayLike<number>,
  options: MutualInfoOptions = {},
): Float64Array {
  return run(mutualInfoSteps(columns, y, true, options));
}

/** Mutual information (nats) of each feature with a continuous `y`, as sklearn's `mutual_info_regression`. */
export function mutualInfoRegression(
  columns: Columns,
  y: ArrayLike<number>,
  options: MutualInfoOptions = {},
): Float64Array {
  return run(mutualInfoSteps(columns, y, false, options));
}

/**
 * k-means: sklearn-style greedy k-means++ seeding, Lloyd iterations, best of `nInit` restarts,
 * plus inertia and the elbow curve. Input is a row-major `Matrix` (see matrix.ts); callers
 * normally standardise first because k-means is scale-sensitive.
 */
import { type Matrix, sqDistRows } from './matrix';
import { type Rng, createRng, deriveSeed, randInt } from './prng';

/** Options for Lloyd iterations (defaults follow scikit-learn's KMeans). */
export interface LloydOptions {
  /** Maximum Lloyd iterations (default 300). */
  maxIter?: number;
  /** Relative tolerance: stop when the summed squared centre shift ≤ tol × mean column variance (default 1e-4). */
  tol?: number;
}

/** Options for a full k-means fit. */
export interface KMeansOptions extends LloydOptions {
  /** Number of k-means++ restarts; the lowest inertia wins (default 10). */
  nInit?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** Local trials per k-means++ step (default 2 + floor(ln k), as sklearn). */
  nLocalTrials?: number;
}

/** A fitted clustering: `centers` is k × nCols, `labels[i]` the cluster of row i. */
export interface KMeansResult {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/**
 * Greedy k-means++ seeding exactly as sklearn's `_kmeans_plusplus`: the first centre uniformly,
 * then each next centre is the best (lowest resulting potential) of `nLocalTrials` candidates
 * drawn with probability ∝ squared distance to the nearest chosen centre.
 */
export function kmeansPlusPlus(x: Matrix, k: number, rng: Rng, nLocalTrials?: number): Matrix {
  const { nRows: n, nCols: d } = x;
  if (k < 1 || k > n) throw new Error(`k must be in [1, ${n}], got ${k}`);
  const trials = nLocalTrials ?? 2 + Math.floor(Math.log(k));
  const centers: Matrix = { data: new Float64Array(k * d), nRows: k, nCols: d };
  const first = randInt(rng, n);
  centers.data.set(x.data.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDistRows(x, i, x, first);
    pot += closest[i]!;
  }
  const cumsum = new Float64Array(n);
  let best = new Float64Array(n);
  let cand = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) cumsum[i] = acc += closest[i]!;
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const id = Math.min(searchsortedLeft(cumsum, rng() * pot), n - 1);
      let candPot = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i]!, sqDistRows(x, i, x, id));
        cand[i] = v;
        candPot += v;
      }
      // Strict < keeps the first of equal candidates, like numpy's argmin.
      if (candPot < bestPot) {
        bestPot = candPot;
        bestId = id;
        [best, cand] = [cand, best];
      }
    }
    centers.data.set(x.data.subarray(bestId * d, bestId * d + d), c * d);
    pot = bestPot;
    [closest, best] = [best, closest];
  }
  return centers;
}

/** First index i with sorted[i] ≥ value (numpy searchsorted, side='left'). */
function searchsortedLeft(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Assigns each row to its nearest centre (ties → lowest index); returns squared distances too. */
export function assignLabels(x: Matrix, centers: Matrix, labels: Int32Array): Float64Array {
  // The hot loop of Lloyd: the distance is inlined (same sum order as sqDistRows, so the same bits).
  const { nRows: n, nCols: d, data: xd } = x;
  const k = centers.nRows;
  const cd = centers.data;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const io = i * d;
    let bestD = Infinity;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let dd = 0;
      for (let j = 0; j < d; j++) {
        const diff = xd[io + j]! - cd[co + j]!;
        dd += diff * diff;
      }
      if (dd < bestD) {
        bestD = dd;
        bestC = c;
      }
    }
    labels[i] = bestC;
    dist[i] = bestD;
  }
  return dist;
}

/** Sum of squared distances of rows to their assigned centre. */
export function inertia(x: Matrix, centers: Matrix, labels: Int32Array): number {
  let s = 0;
  for (let i = 0; i < x.nRows; i++) s += sqDistRows(x, i, centers, labels[i]!);
  return s;
}

/** Mean of the per-column (population) variances; sklearn scales `tol` by it. */
function meanVariance(x: Matrix): number {
  const { nRows: n, nCols: d } = x;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x.data[i * d + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x.data[i * d + j]! - m) ** 2;
    total += v / n;
  }
  return total / Math.max(1, d);
}

/**
 * Lloyd iterations from given initial centres, mirroring sklearn's `_kmeans_single_lloyd`:
 * stop on unchanged labels or on small centre shift, relocate empty clusters to the
 * farthest points, and relabel once more if stopped on tolerance.
 */
export function lloyd(x: Matrix, init: Matrix, options: LloydOptions = {}): KMeansResult {
  const run = lloydRun(x, init, options);
  let dist: Float64Array | undefined;
  for (;;) {
    const step = run.next(dist);
    if (step.done) return step.value;
    // The JS reference assignment: float64 distances, ties → lowest index.
    dist = assignLabels(x, step.value, run.labels);
  }
}

/**
 * Assigns every row of the clustered matrix to its nearest of `centers`, writing `labels` in
 * place (ties → lowest index). The one part of Lloyd another engine (TF.js) may do instead.
 */
export type AssignStep = (centers: Matrix, labels: Int32Array) => void | Promise<void>;

/**
 * Lloyd with a pluggable assignment step (e.g. the TF.js one in `ml/tf/kmeans-tf.ts`). Centres,
 * empty-cluster relocation, the stopping rule and the inertia are computed here in float64 from
 * the labels alone, so an engine whose distances are float32 only chooses the assignment: with
 * the same labels the result is bit-for-bit the JS one.
 */
export async function lloydWith(
  x: Matrix,
  init: Matrix,
  assign: AssignStep,
  options: LloydOptions = {},
): Promise<KMeansResult> {
  const run = lloydRun(x, init, options);
  for (;;) {
    const step = run.next(undefined);
    if (step.done) return step.value;
    await assign(step.value, run.labels);
  }
}

/** Float64 squared distance of each row to its assigned centre (same sum order as assignLabels). */
export function distancesToAssigned(x: Matrix, centers: Matrix, labels: Int32Array): Float64Array {
  const dist = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) dist[i] = sqDistRows(x, i, centers, labels[i]!);
  return dist;
}

/**
 * The Lloyd loop as a generator: it yields the centres whenever it needs `labels` assigned to
 * them, so the sync JS path and the async engines share one implementation of everything else.
 */
function lloydRun(
  x: Matrix,
  init: Matrix,
  options: LloydOptions,
): Generator<Matrix, KMeansResult, Float64Array | undefined> & { labels: Int32Array } {
  const labels = new Int32Array(x.nRows).fill(-1);
  // The caller may send back the float64 distances it computed while assigning (the JS path
  // does); otherwise they are recomputed from the labels.
  const gen = (function* (): Generator<Matrix, KMeansResult, Float64Array | undefined> {
    const maxIter = options.maxIter ?? 300;
    const tol = (options.tol ?? 1e-4) * meanVariance(x);
    const { nRows: n, nCols: d } = x;
    const k = init.nRows;
    let centers: Matrix = { data: Float64Array.from(init.data), nRows: k, nCols: d };
    const labelsOld = new Int32Array(n).fill(-1);
    let strict = false;
    let iter = 0;
    for (; iter < maxIter; iter++) {
      const given = yield centers;
      const dist = given ?? distancesToAssigned(x, centers, labels);
      const sums = new Float64Array(k * d);
      const counts = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        const c = labels[i]!;
        counts[c]!++;
        for (let j = 0; j < d; j++) sums[c * d + j]! += x.data[i * d + j]!;
      }
      relocateEmpty(x, labels, dist, sums, counts);
      const next = new Float64Array(k * d);
      let shift = 0;
      for (let c = 0; c < k; c++)
        for (let j = 0; j < d; j++) {
          const v = counts[c]! > 0 ? sums[c * d + j]! / counts[c]! : centers.data[c * d + j]!;
          next[c * d + j] = v;
          shift += (v - centers.data[c * d + j]!) ** 2;
        }
      centers = { data: next, nRows: k, nCols: d };
      if (labels.every((l, i) => l === labelsOld[i])) {
        strict = true;
        break;
      }
      if (shift <= tol) break;
      labelsOld.set(labels);
    }
    if (!strict) yield centers;
    return { centers, labels, inertia: inertia(x, centers, labels), nIter: Math.min(iter + 1, maxIter) };
  })();
  return Object.assign(gen, { labels });
}

/** Gives each empty cluster the point currently farthest from its centre (sklearn's rule). */
function relocateEmpty(
  x: Matrix,
  labels: Int32Array,
  dist: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  const d = x.nCols;
  const empty: number[] = [];
  counts.forEach((c, i) => {
    if (c === 0) empty.push(i);
  });
  if (empty.length === 0) return;
  const order = Array.from(dist.keys()).sort((a, b) => dist[b]! - dist[a]!);
  empty.forEach((cluster, e) => {
    const p = order[e]!;
    const old = labels[p]!;
    for (let j = 0; j < d; j++) {
      const v = x.data[p * d + j]!;
      sums[old * d + j]! -= v;
      sums[cluster * d + j] = v;
    }
    counts[old]!--;
    counts[cluster] = 1;
  });
}

/** Full k-means: `nInit` seeded k-means++ restarts, each refined by Lloyd; lowest inertia wins. */
export function kmeans(x: Matrix, k: number, options: KMeansOptions = {}): KMeansResult {
  const nInit = options.nInit ?? 10;
  const seed = options.seed ?? 0;
  let best: KMeansResult | undefined;
  for (let r = 0; r < nInit; r++) {
    const rng = createRng(deriveSeed(seed, r));
    const init = kmeansPlusPlus(x, k, rng, options.nLocalTrials);
    const res = lloyd(x, init, options);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}

/** `kmeans` with a pluggable assignment step (same seeds, same restarts, same winner rule). */
export async function kmeansWith(
  x: Matrix,
  k: number,
  assign: AssignStep,
  options: KMeansOptions = {},
): Promise<KMeansResult> {
  const nInit = options.nInit ?? 10;
  const seed = options.seed ?? 0;
  let best: KMeansResult | undefined;
  for (let r = 0; r < nInit; r++) {
    const init = kmeansPlusPlus(x, k, createRng(deriveSeed(seed, r)), options.nLocalTrials);
    const res = await lloydWith(x, init, assign, options);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}

/** One point of an elbow curve. */
export interface ElbowPoint {
  k: number;
  inertia: number;
  /** Mean silhouette, when requested (undefined for k = 1). */
  silhouette?: number;
}

/**
 * Fits k-means for each k in [kMin, kMax] and suggests the elbow (a "kneedle"-style chord rule on log inertia).
 */
export function elbow(
  x: Matrix,
  kMin: number,
  kMax: number,
  options: KMeansOptions & { silhouette?: (x: Matrix, labels: Int32Array) => number } = {},
): { points: ElbowPoint[]; suggestedK: number } {
  const points: ElbowPoint[] = [];
  for (let k = kMin; k <= Math.min(kMax, x.nRows); k++) {
    const res = kmeans(x, k, options);
    const p: ElbowPoint = { k, inertia: res.inertia };
    if (options.silhouette && k > 1) p.silhouette = options.silhouette(x, res.labels);
    points.push(p);
  }
  return { points, suggestedK: kneeOf(points) };
}

/**
 * k of the point farthest below the first-to-last chord of log(inertia) versus k. The log
 * scale matters: inertia shrinks multiplicatively, and on a linear scale the chord rule
 * picks an elbow too early.
 */
function kneeOf(points: ElbowPoint[]): number {
  if (points.length < 3) return points[0]?.k ?? 1;
  const y = points.map((p) => Math.log(Math.max(p.inertia, 1e-300)));
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const y0 = y[0]!;
  const y1 = y[y.length - 1]!;
  let bestK = first.k;
  let bestGap = -Infinity;
  points.forEach((p, i) => {
    const t = (p.k - first.k) / (last.k - first.k);
    const gap = y0 + t * (y1 - y0) - y[i]!;
    if (gap > bestGap) {
      bestGap = gap;
      bestK = p.k;
    }
  });
  return bestK;
}

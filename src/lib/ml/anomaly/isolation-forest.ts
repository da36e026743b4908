/**
 * Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's conventions: 256-row subsamples
 * drawn without replacement, depth limit ceil(log2 ψ), random feature + uniform threshold
 * per split, and path length = leaf depth + c(leaf size). Input is a row-major `Matrix`
 * without NaN (impute first).
 */
import { type Matrix } from '../segment/matrix';
import { type Rng, createRng, randInt } from '../segment/prng';

/** Fitting options. */
export interface IsolationForestOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Subsample size ψ per tree (default 256, capped at the number of rows). */
  maxSamples?: number;
  /** PRNG seed (default 0). */
  seed?: number;
}

/** One isolation tree as flat arrays; leaves have `feature[node] = -1`. */
export interface IsolationTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Training rows that reached each node. */
  size: Int32Array;
}

/** A fitted forest. */
export interface IsolationForest {
  trees: IsolationTree[];
  /** The subsample size ψ actually used. */
  maxSamples: number;
  nFeatures: number;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * Average path length of an unsuccessful BST search, c(n) = 2H(n−1) − 2(n−1)/n, with
 * H(i) ≈ ln i + γ; c(1) = 0 and c(2) = 1 exactly, as sklearn's `_average_path_length`.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n <= 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Fits an isolation forest. */
export function fitIsolationForest(x: Matrix, options: IsolationForestOptions = {}): IsolationForest {
  const nTrees = options.nEstimators ?? 100;
  const psi = Math.min(options.maxSamples ?? 256, x.nRows);
  if (psi < 1) throw new Error('isolation forest needs at least one row');
  const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
  const rng = createRng(options.seed ?? 0);
  const trees: IsolationTree[] = [];
  const all = Int32Array.from({ length: x.nRows }, (_, i) => i);
  for (let t = 0; t < nTrees; t++) {
    // Partial Fisher–Yates: the first ψ entries become a uniform sample without replacement.
    for (let i = 0; i < psi; i++) {
      const j = i + randInt(rng, x.nRows - i);
      const tmp = all[i]!;
      all[i] = all[j]!;
      all[j] = tmp;
    }
    trees.push(buildTree(x, all.slice(0, psi), maxDepth, rng));
  }
  return { trees, maxSamples: psi, nFeatures: x.nCols };
}

function buildTree(x: Matrix, rows: Int32Array, maxDepth: number, rng: Rng): IsolationTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const size: number[] = [];
  const d = x.nCols;
  const grow = (idx: Int32Array, depth: number): number => {
    const node = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    size.push(idx.length);
    if (depth >= maxDepth || idx.length <= 1) return node;
    // Like sklearn's random splitter: draw features until one is non-constant in this node.
    const order = Int32Array.from({ length: d }, (_, i) => i);
    for (let tries = 0; tries < d; tries++) {
      const pick = tries + randInt(rng, d - tries);
      const f = order[pick]!;
      order[pick] = order[tries]!;
      order[tries] = f;
      let lo = Infinity;
      let hi = -Infinity;
      for (const r of idx) {
        const v = x.data[r * d + f]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo)) continue;
      let thr = lo + rng() * (hi - lo);
      if (thr >= hi) thr = lo;
      const l = idx.filter((r) => x.data[r * d + f]! <= thr);
      const rr = idx.filter((r) => x.data[r * d + f]! > thr);
      feature[node] = f;
      threshold[node] = thr;
      left[node] = grow(l, depth + 1);
      right[node] = grow(rr, depth + 1);
      return node;
    }
    return node;
  };
  grow(rows, 0);
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    size: Int32Array.from(size),
  };
}

/** Path length h(x) of row i in one tree: edges to the leaf plus c(leaf size). */
export function treePathLength(tree: IsolationTree, x: Matrix, i: number): number {
  let node = 0;
  let depth = 0;
  while (tree.feature[node]! >= 0) {
    node = x.data[i * x.nCols + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    depth++;
  }
  return depth + averagePathLength(tree.size[node]!);
}

/** Mean path length E[h(x)] over the trees, per row. */
export function meanPathLengths(forest: IsolationForest, x: Matrix): Float64Array {
  if (x.nCols !== forest.nFeatures) throw new Error(`expected ${forest.nFeatures} features, got ${x.nCols}`);
  const out = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) {
    let s = 0;
    for (const t of forest.trees) s += treePathLength(t, x, i);
    out[i] = s / forest.trees.length;
  }
  return out;
}

/** The paper's anomaly score s(x, ψ) = 2^(−E[h(x)] / c(ψ)) in (0, 1]; near 1 is anomalous, ≲ 0.5 normal. */
export function anomalyScores(forest: IsolationForest, x: Matrix): Float64Array {
  const c = averagePathLength(forest.maxSamples) || 1;
  return meanPathLengths(forest, x).map((h) => Math.pow(2, -h / c));
}

/** sklearn's `score_samples`: the negated anomaly score (lower = more abnormal). */
export function scoreSamples(forest: IsolationForest, x: Matrix): Float64Array {
  return anomalyScores(forest, x).map((s) => -s);
}

/**
 * Path-based attribution for row i: each split on the row's path credits its feature with the
 * share of node rows it separated from the row, summed over trees and normalised to sum 1.
 * Features that isolate the row in few, decisive cuts get most of the credit.
 */
export function pathAttribution(forest: IsolationForest, x: Matrix, i: number): Float64Array {
  const credit = new Float64Array(forest.nFeatures);
  for (const t of forest.trees) {
    let node = 0;
    while (t.feature[node]! >= 0) {
      const f = t.feature[node]!;
      const next = x.data[i * x.nCols + f]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      credit[f]! += 1 - t.size[next]! / t.size[node]!;
      node = next;
    }
  }
  let total = 0;
  for (const c of credit) total += c;
  return total > 0 ? credit.map((c) => c / total) : credit;
}

/**
 * The CART builder shared by the decision trees and the random forest: exact best-split search
 * over presorted feature orders (sorted once per forest, then stably partitioned node by node,
 * so no node ever sorts or allocates row objects), thresholds at midpoints like scikit-learn.
 * Missing values (NaN) sort last and always go right.
 */
import type { Matrix } from '../matrix';
import type { Rng } from '../random';

/** Split criterion: Gini or entropy (in bits) for classification, squared error for regression. */
export type Criterion = 'gini' | 'entropy' | 'mse';

/** How many features each split looks at: a count, a rule, or all of them. */
export type MaxFeatures = number | 'sqrt' | 'log2' | 'all';

/** Hyperparameters of one CART tree (names follow scikit-learn's, camel-cased). */
export interface TreeParams {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  minImpurityDecrease: number;
  seed: number;
}

/** A fitted tree as flat typed arrays; `feature[i] < 0` marks a leaf, `value` holds `nOut` numbers per node. */
export interface TreeArrays {
  nOut: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  weight: Float64Array;
  impurity: Float64Array;
}

/** Column-major copy of X with NaN replaced by +∞, plus each feature's row order by value (built once, reused by every tree). */
export interface Presorted {
  nRows: number;
  nCols: number;
  xcol: Float64Array;
  order: Int32Array;
}

/** Sorts every feature once; forests share the result across trees. */
export function presort(X: Matrix): Presorted {
  const { nRows: n, nCols: p, data } = X;
  const xcol = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const v = data[i * p + j]!;
      xcol[j * n + i] = Number.isNaN(v) ? Infinity : v;
    }
  }
  const order = new Int32Array(n * p);
  for (let j = 0; j < p; j++) sortColumn(xcol.subarray(j * n, (j + 1) * n), order.subarray(j * n, (j + 1) * n));
  return { nRows: n, nCols: p, xcol, order };
}

/**
 * Writes the row indices of `col` in ascending value order, ties by row index: a native numeric
 * sort of the values, then a stable counting sort by rank (a comparator sort is ~10× slower).
 */
export function sortColumn(col: Float64Array, out: Int32Array): void {
  const n = col.length;
  const sortedVals = Float64Array.from(col).sort();
  let u = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sortedVals[i] !== sortedVals[u - 1]) sortedVals[u++] = sortedVals[i]!;
  const rank = new Int32Array(n);
  const count = new Int32Array(u + 1);
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedVals[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
    count[lo + 1]!++;
  }
  for (let r = 0; r < u; r++) count[r + 1]! += count[r]!;
  for (let i = 0; i < n; i++) out[count[rank[i]!]!++] = i;
}

/** Number of features to try per split. */
export function resolveMaxFeatures(mf: MaxFeatures, p: number): number {
  if (mf === 'all') return p;
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  return Math.max(1, Math.min(p, Math.floor(mf)));
}

/** The training target: integer classes (with their count) or real values. */
export type Target = { kind: 'class'; y: Int32Array; nClasses: number } | { kind: 'real'; y: Float64Array };

/** sklearn's FEATURE_THRESHOLD: values closer than this are treated as equal. */
const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;

/** Grows one tree on the rows with positive weight; returns the tree and its unnormalised importances. */
export function buildTree(
  pre: Presorted,
  target: Target,
  weight: Float64Array,
  params: TreeParams,
  rng: Rng,
  workspace?: Workspace,
): { tree: TreeArrays; importances: Float64Array } {
  const { nRows: n, nCols: p, xcol } = pre;
  const isClass = target.kind === 'class';
  const k = isClass ? target.nClasses : 1;
  const yc = isClass ? target.y : null;
  const yr = isClass ? null : target.y;
  const crit = params.criterion;
  if (isClass === (crit === 'mse')) throw new Error(`criterion '${crit}' does not fit a ${target.kind} target`);

  // Keep only rows with positive weight, in each feature's global sorted order.
  let m = 0;
  for (let i = 0; i < n; i++) if (weight[i]! > 0) m++;
  // Forests pass one workspace for all their trees instead of allocating these per tree.
  const ws = workspace ?? createWorkspace(n, p);
  // Two buffers: a node's segments live in one, its children's in the other (no copy-back).
  const bufs = [ws.sorted, ws.sorted2] as const;
  filterOrder(pre.order, weight, n, p, m, bufs[0]);
  const goLeft = ws.goLeft;
  const mtry = resolveMaxFeatures(params.maxFeatures, p);
  const featOrder = new Int32Array(p);
  for (let j = 0; j < p; j++) featOrder[j] = j;

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const nodeW: number[] = [];
  const impur: number[] = [];
  const importances = new Float64Array(p);

  const tot = new Float64Array(k);
  const lc = new Float64Array(k);
  const scan = new Float64Array(3);

  // Node statistics: class weights (or sum, sum of squares) over a segment.
  const stats = (
    arr: Int32Array,
    base: number,
    start: number,
    end: number,
    out: Float64Array,
  ): { w: number; s: number; ss: number } => {
    let w = 0;
    let s = 0;
    let ss = 0;
    out.fill(0);
    for (let t = base + start; t < base + end; t++) {
      const r = arr[t]!;
      const wr = weight[r]!;
      w += wr;
      if (yc) out[yc[r]!]! += wr;
      else {
        const v = yr![r]!;
        s += wr * v;
        ss += wr * v * v;
      }
    }
    return { w, s, ss };
  };
  const impurityOf = (cls: Float64Array, w: number, s: number, ss: number): number => {
    if (crit === 'mse') return Math.max(0, ss / w - (s / w) * (s / w));
    let acc = 0;
    if (crit === 'gini') {
      for (let c = 0; c < k; c++) acc += (cls[c]! / w) ** 2;
      return 1 - acc;
    }
    for (let c = 0; c < k; c++) {
      const q = cls[c]! / w;
      if (q > 0) acc -= q * Math.log2(q);
    }
    return acc;
  };

  const rootW = (() => {
    let w = 0;
    for (let i = 0; i < n; i++) w += weight[i]!;
    return w;
  })();

  // Explicit DFS stack. `validF` is a feature whose segment is up to date for the node (its
  // parent's split feature); `constant` marks features known constant in the node, which are
  // neither searched nor partitioned again (one-hot columns become constant after one split).
  const stack: StackEntry[] = [
    { start: 0, end: m, depth: 0, parent: -1, side: 0, validF: 0, constant: new Uint8Array(p), leaf: false, buf: 0 },
  ];
  const leftCls = new Float64Array(k);
  while (stack.length > 0) {
    const { start, end, depth, parent, side, validF, constant, leaf, buf } = stack.pop()!;
    const sorted = bufs[buf]!;
    const id = feature.length;
    if (parent >= 0) {
      if (side === 0) left[parent] = id;
      else right[parent] = id;
    }
    const { w: wNode, s: sNode, ss: ssNode } = stats(sorted, validF * m, start, end, tot);
    const imp = impurityOf(tot, wNode, sNode, ssNode);
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    nodeW.push(wNode);
    impur.push(imp);
    if (isClass) for (let c = 0; c < k; c++) value.push(tot[c]! / wNode);
    else value.push(sNode / wNode);

    const count = end - start;
    if (
      leaf ||
      depth >= params.maxDepth ||
      count < params.minSamplesSplit ||
      count < 2 * params.minSamplesLeaf ||
      imp <= EPSILON
    ) {
      continue;
    }

    // Best split over a random subset of features; keeps drawing past mtry until a valid split exists (as sklearn).
    let bestProxy = -Infinity;
    let bestF = -1;
    let bestPos = -1;
    let bestThr = 0;
    let visited = 0;
    for (let fi = 0; fi < p; fi++) {
      if (visited >= mtry && bestF >= 0) break;
      const pick = fi + Math.floor(rng.next() * (p - fi));
      const f = featOrder[pick]!;
      featOrder[pick] = featOrder[fi]!;
      featOrder[fi] = f;
      if (constant[f]) continue;
      const base = f * m;
      const col = f * n;
      const xFirst = xcol[col + sorted[base + start]!]!;
      const xLast = xcol[col + sorted[base + end - 1]!]!;
      if (xLast <= xFirst + FEATURE_THRESHOLD) continue;
      visited++;
      const found =
        crit === 'gini'
          ? scanGini(sorted, base, start, end, xcol, col, weight, yc!, tot, lc, k, params.minSamplesLeaf, wNode, scan)
          : crit === 'entropy'
            ? scanEntropy(
                sorted,
                base,
                start,
                end,
                xcol,
                col,
                weight,
                yc!,
                tot,
                lc,
                k,
                params.minSamplesLeaf,
                wNode,
                scan,
              )
            : scanMse(sorted, base, start, end, xcol, col, weight, yr!, params.minSamplesLeaf, wNode, sNode, scan);
      if (found && scan[0]! > bestProxy) {
        bestProxy = scan[0]!;
        bestF = f;
        bestPos = scan[1]!;
        bestThr = scan[2]!;
      }
    }
    if (bestF < 0) continue;

    // Children's impurities, for the improvement (importances and min_impurity_decrease).
    const bBase = bestF * m;
    const sl = (() => {
      let w = 0;
      let s = 0;
      let ss = 0;
      leftCls.fill(0);
      for (let t = start; t < bestPos; t++) {
        const r = sorted[bBase + t]!;
        const wr = weight[r]!;
        w += wr;
        if (yc) leftCls[yc[r]!]! += wr;
        else {
          s += wr * yr![r]!;
          ss += wr * yr![r]! * yr![r]!;
        }
      }
      return { w, s, ss };
    })();
    const impL = impurityOf(leftCls, sl.w, sl.s, sl.ss);
    for (let c = 0; c < k; c++) leftCls[c] = tot[c]! - leftCls[c]!;
    const wR = wNode - sl.w;
    const impR = impurityOf(leftCls, wR, sNode - sl.s, ssNode - sl.ss);
    const gain = wNode * imp - sl.w * impL - wR * impR;
    if (gain / rootW < params.minImpurityDecrease) continue;
    importances[bestF]! += gain;
    feature[id] = bestF;
    threshold[id] = bestThr;

    // Stable partition of every feature's segment by the chosen split.
    // Children that will be leaves only need their rows, which the split feature's segment
    // already holds in order: when both are, the other features need no partition at all.
    const willLeaf = (cnt: number, im: number) =>
      depth + 1 >= params.maxDepth || cnt < params.minSamplesSplit || cnt < 2 * params.minSamplesLeaf || im <= EPSILON;
    const leafL = willLeaf(bestPos - start, impL);
    const leafR = willLeaf(end - bestPos, impR);
    let cL = constant;
    let cR = constant;
    let childBuf = buf;
    if (!leafL || !leafR) {
      cL = constant.slice();
      cR = constant.slice();
      childBuf = 1 - buf;
      partition(sorted, bufs[childBuf]!, m, p, n, xcol, start, end, bestF, bestPos, goLeft, constant, cL, cR);
    }
    // Right pushed first so that the left child is built (and numbered) first.
    stack.push({
      start: bestPos,
      end,
      depth: depth + 1,
      parent: id,
      side: 1,
      validF: bestF,
      constant: cR,
      leaf: leafR,
      buf: childBuf,
    });
    stack.push({
      start,
      end: bestPos,
      depth: depth + 1,
      parent: id,
      side: 0,
      validF: bestF,
      constant: cL,
      leaf: leafL,
      buf: childBuf,
    });
  }
  return {
    tree: {
      nOut: k,
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
      weight: Float64Array.from(nodeW),
      impurity: Float64Array.from(impur),
    },
    importances,
  };
}

// The hot loops live in small functions of their own: V8 optimises them quickly and
// independently, where one big function is recompiled (OSR) again and again.

/** Scratch buffers for `buildTree`, reusable across the trees of a forest. */
export interface Workspace {
  sorted: Int32Array;
  sorted2: Int32Array;
  goLeft: Uint8Array;
}

/** Allocates scratch buffers for trees on up to n rows × p features. */
export function createWorkspace(n: number, p: number): Workspace {
  return { sorted: new Int32Array(n * p), sorted2: new Int32Array(n * p), goLeft: new Uint8Array(n) };
}

interface StackEntry {
  start: number;
  end: number;
  depth: number;
  parent: number;
  side: number;
  validF: number;
  constant: Uint8Array;
  /** Decided at the parent (see `willLeaf`): the node must not split, its other segments may be stale. */
  leaf: boolean;
  /** Which of the two buffers holds this node's segments. */
  buf: number;
}

/** Keeps the rows with positive weight from each feature's global order. */
function filterOrder(
  order: Int32Array,
  weight: Float64Array,
  n: number,
  p: number,
  m: number,
  sorted: Int32Array,
): void {
  // Branch-free on a byte mask: about a third of bootstrap rows are out of bag, at random.
  const inBag = new Uint8Array(n);
  for (let i = 0; i < n; i++) inBag[i] = weight[i]! > 0 ? 1 : 0;
  for (let j = 0; j < p; j++) {
    let w = j * m;
    const base = j * n;
    const last = w + m;
    for (let t = 0; t < n; t++) {
      const r = order[base + t]!;
      // The slot past the segment end belongs to the next feature (or is spare): safe to scribble.
      if (w < last) sorted[w] = r;
      w += inBag[r]!;
    }
  }
}

/**
 * Stable partition of every non-constant feature's segment [start, end) from `cur` into `nxt`
 * (left rows first), marking in cL / cR the features that are constant in each child.
 */
function partition(
  cur: Int32Array,
  nxt: Int32Array,
  m: number,
  p: number,
  n: number,
  xcol: Float64Array,
  start: number,
  end: number,
  bestF: number,
  bestPos: number,
  goLeft: Uint8Array,
  constant: Uint8Array,
  cL: Uint8Array,
  cR: Uint8Array,
): void {
  const base = bestF * m;
  for (let t = start; t < end; t++) goLeft[cur[base + t]!] = t < bestPos ? 1 : 0;
  for (let j = 0; j < p; j++) {
    if (constant[j]) continue;
    const b = j * m;
    const col = j * n;
    const aEnd = b + bestPos;
    const zEnd = b + end;
    let a = b + start;
    let z = aEnd;
    let t = b + start;
    // Branch-free while both sides have room: write the row to both cursors and advance one
    // (the outcome is unpredictable); once one side is full the rest belong to the other.
    for (; t < zEnd && a < aEnd && z < zEnd; t++) {
      const r = cur[t]!;
      const g = goLeft[r]!;
      nxt[a] = r;
      nxt[z] = r;
      a += g;
      z += 1 - g;
    }
    if (a >= aEnd) for (; t < zEnd; t++) nxt[z++] = cur[t]!;
    else for (; t < zEnd; t++) nxt[a++] = cur[t]!;
    // Segments are sorted, so a child is constant in j when its first and last values agree.
    if (xcol[col + nxt[aEnd - 1]!]! <= xcol[col + nxt[b + start]!]! + FEATURE_THRESHOLD) cL[j] = 1;
    if (xcol[col + nxt[zEnd - 1]!]! <= xcol[col + nxt[aEnd]!]! + FEATURE_THRESHOLD) cR[j] = 1;
  }
}

/** Midpoint threshold like sklearn's (falls back to the lower value when the midpoint rounds up or overflows). */
function midpoint(xa: number, xb: number): number {
  const thr = xa / 2 + xb / 2;
  return thr === xb || !Number.isFinite(thr) ? xa : thr;
}

/** Best Gini split of one feature: maximises Σ_c l_c²/w_L + Σ_c r_c²/w_R, updated in O(1) per row. */
function scanGini(
  sorted: Int32Array,
  base: number,
  start: number,
  end: number,
  xcol: Float64Array,
  col: number,
  weight: Float64Array,
  y: Int32Array,
  tot: Float64Array,
  lc: Float64Array,
  k: number,
  minLeaf: number,
  wNode: number,
  out: Float64Array,
): boolean {
  let wL = 0;
  let sqL = 0;
  let sqR = 0;
  lc.fill(0);
  for (let c = 0; c < k; c++) sqR += tot[c]! * tot[c]!;
  const lo = start + minLeaf - 1;
  const hi = end - minLeaf;
  let best = -Infinity;
  let pos = -1;
  let thr = 0;
  for (let t = start; t < end - 1; t++) {
    const r = sorted[base + t]!;
    const wr = weight[r]!;
    const c = y[r]!;
    const l = lc[c]!;
    sqL += 2 * l * wr + wr * wr;
    sqR += -2 * (tot[c]! - l) * wr + wr * wr;
    lc[c] = l + wr;
    wL += wr;
    if (t < lo || t >= hi) continue;
    const xa = xcol[col + r]!;
    const xb = xcol[col + sorted[base + t + 1]!]!;
    if (xb <= xa + FEATURE_THRESHOLD) continue;
    const proxy = sqL / wL + sqR / (wNode - wL);
    if (proxy > best) {
      best = proxy;
      pos = t + 1;
      thr = midpoint(xa, xb);
    }
  }
  out[0] = best;
  out[1] = pos;
  out[2] = thr;
  return pos >= 0;
}

function xlogx(v: number): number {
  return v > 0 ? v * Math.log2(v) : 0;
}

/** Best entropy split of one feature: maximises Σ l log l − w_L log w_L + Σ r log r − w_R log w_R. */
function scanEntropy(
  sorted: Int32Array,
  base: number,
  start: number,
  end: number,
  xcol: Float64Array,
  col: number,
  weight: Float64Array,
  y: Int32Array,
  tot: Float64Array,
  lc: Float64Array,
  k: number,
  minLeaf: number,
  wNode: number,
  out: Float64Array,
): boolean {
  let wL = 0;
  lc.fill(0);
  const lo = start + minLeaf - 1;
  const hi = end - minLeaf;
  let best = -Infinity;
  let pos = -1;
  let thr = 0;
  for (let t = start; t < end - 1; t++) {
    const r = sorted[base + t]!;
    const wr = weight[r]!;
    lc[y[r]!]! += wr;
    wL += wr;
    if (t < lo || t >= hi) continue;
    const xa = xcol[col + r]!;
    const xb = xcol[col + sorted[base + t + 1]!]!;
    if (xb <= xa + FEATURE_THRESHOLD) continue;
    let proxy = -xlogx(wL) - xlogx(wNode - wL);
    for (let c = 0; c < k; c++) proxy += xlogx(lc[c]!) + xlogx(tot[c]! - lc[c]!);
    if (proxy > best) {
      best = proxy;
      pos = t + 1;
      thr = midpoint(xa, xb);
    }
  }
  out[0] = best;
  out[1] = pos;
  out[2] = thr;
  return pos >= 0;
}

/** Best squared-error split of one feature: maximises s_L²/w_L + s_R²/w_R. */
function scanMse(
  sorted: Int32Array,
  base: number,
  start: number,
  end: number,
  xcol: Float64Array,
  col: number,
  weight: Float64Array,
  y: Float64Array,
  minLeaf: number,
  wNode: number,
  sNode: number,
  out: Float64Array,
): boolean {
  let wL = 0;
  let sL = 0;
  const lo = start + minLeaf - 1;
  const hi = end - minLeaf;
  let best = -Infinity;
  let pos = -1;
  let thr = 0;
  for (let t = start; t < end - 1; t++) {
    const r = sorted[base + t]!;
    const wr = weight[r]!;
    sL += wr * y[r]!;
    wL += wr;
    if (t < lo || t >= hi) continue;
    const xa = xcol[col + r]!;
    const xb = xcol[col + sorted[base + t + 1]!]!;
    if (xb <= xa + FEATURE_THRESHOLD) continue;
    const sR = sNode - sL;
    const proxy = (sL * sL) / wL + (sR * sR) / (wNode - wL);
    if (proxy > best) {
      best = proxy;
      pos = t + 1;
      thr = midpoint(xa, xb);
    }
  }
  out[0] = best;
  out[1] = pos;
  out[2] = thr;
  return pos >= 0;
}

/** Index of the leaf that row `i` of X falls into (NaN goes right, as `NaN <= t` is false). */
export function leafOf(tree: TreeArrays, data: ArrayLike<number>, offset: number): number {
  const { feature, threshold, left, right } = tree;
  let node = 0;
  for (;;) {
    const f = feature[node]!;
    if (f < 0) return node;
    node = data[offset + f]! <= threshold[node]! ? left[node]! : right[node]!;
  }
}

/** Adds `scale ×` the tree's leaf values for every row into `out` (nRows × nOut, row-major). */
export function accumulate(tree: TreeArrays, X: Matrix, out: Float64Array, scale = 1): void {
  const { nOut, value } = tree;
  for (let i = 0; i < X.nRows; i++) {
    const leaf = leafOf(tree, X.data, i * X.nCols);
    for (let c = 0; c < nOut; c++) out[i * nOut + c]! += scale * value[leaf * nOut + c]!;
  }
}

/**
 * Saabas path attribution: for each row, the change in output `c` at every split along its path
 * is credited to the split's feature, so bias + Σ contributions = the tree's prediction.
 */
export function addContributions(tree: TreeArrays, X: Matrix, c: number, contrib: Float64Array, scale = 1): number {
  const { feature, threshold, left, right, value, nOut } = tree;
  const p = X.nCols;
  for (let i = 0; i < X.nRows; i++) {
    let node = 0;
    for (;;) {
      const f = feature[node]!;
      if (f < 0) break;
      const next = X.data[i * p + f]! <= threshold[node]! ? left[node]! : right[node]!;
      contrib[i * p + f]! += scale * (value[next * nOut + c]! - value[node * nOut + c]!);
      node = next;
    }
  }
  return scale * value[c]!;
}

/** Normalises importances to sum 1 (all zeros stay zeros). */
export function normalise(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  if (s > 0) for (let i = 0; i < v.length; i++) v[i]! /= s;
  return v;
}

/** JSON form of a tree: plain arrays (numbers print exactly, so predictions survive the round trip). */
export interface TreeJson {
  nOut: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  weight?: number[];
  impurity?: number[];
}

/** Serialises a tree to JSON-safe arrays; `compact` drops node weights and impurities (not needed to predict). */
export function treeToJson(t: TreeArrays, compact = false): TreeJson {
  const j: TreeJson = {
    nOut: t.nOut,
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
  };
  if (!compact) {
    j.weight = Array.from(t.weight);
    j.impurity = Array.from(t.impurity);
  }
  return j;
}

/** Loads a tree from its JSON form. */
export function treeFromJson(j: TreeJson): TreeArrays {
  return {
    nOut: j.nOut,
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float64Array.from(j.value),
    weight: j.weight ? Float64Array.from(j.weight) : new Float64Array(j.feature.length),
    impurity: j.impurity ? Float64Array.from(j.impurity) : new Float64Array(j.feature.length),
  };
}

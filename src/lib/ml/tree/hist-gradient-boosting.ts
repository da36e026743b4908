/**
 * Histogram gradient boosting (scikit-learn's HistGradientBoosting{Classifier,Regressor}, 1.2
 * defaults): features binned to ≤ 255 quantile bins, leaf-wise (best-first) trees grown from
 * per-node gradient/hessian histograms with the subtraction trick, Newton leaf values shrunk by
 * the learning rate, NaN handled by learning which side missing values go, and early stopping on
 * a validation fraction. Trees keep numeric thresholds, so prediction needs no binning.
 */
import {
  checkXy,
  countClasses,
  type Classifier,
  type FitOptions,
  type Regressor,
  type SerialisedModel,
} from '../model';
import { takeRows, takeVector, type Matrix, type Vector } from '../matrix';
import { stratifiedSplit, trainTestSplit } from '../eval/split';
import { applyBins, fitBins } from './binning';
import type { Contributions } from './decision-tree';

/** Boosting hyperparameters (scikit-learn 1.2 defaults; `maxLeafNodes: null` and `maxDepth: Infinity` mean no limit). */
export interface HgbParams {
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number | null;
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  /** 'auto' enables early stopping when there are more than 10 000 rows, as sklearn. */
  earlyStopping: 'auto' | boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  seed: number;
}

/** Fills in scikit-learn's defaults. */
export function hgbDefaults(p: Partial<HgbParams> = {}): HgbParams {
  return {
    learningRate: p.learningRate ?? 0.1,
    maxIter: p.maxIter ?? 100,
    maxLeafNodes: p.maxLeafNodes === undefined ? 31 : p.maxLeafNodes,
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesLeaf: p.minSamplesLeaf ?? 20,
    l2Regularization: p.l2Regularization ?? 0,
    maxBins: p.maxBins ?? 255,
    earlyStopping: p.earlyStopping ?? 'auto',
    validationFraction: p.validationFraction ?? 0.1,
    nIterNoChange: p.nIterNoChange ?? 10,
    tol: p.tol ?? 1e-7,
    seed: p.seed ?? 0,
  };
}

/** One boosted tree; `value` holds every node's (shrunk) Newton value, leaves' used to predict. */
export interface HgbTree {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

const EPS = 2.220446049250313e-16;
const MIN_HESSIAN_TO_SPLIT = 1e-3;

type Loss = 'log_loss' | 'multinomial' | 'squared_error';

/** Row of a tree's leaf for row offset `o` of a raw matrix. */
function leafIndex(t: HgbTree, data: ArrayLike<number>, o: number): number {
  const { feature, threshold, missingLeft, left, right } = t;
  let node = 0;
  for (;;) {
    const f = feature[node]!;
    if (f < 0) return node;
    const v = data[o + f]!;
    const goLeft = v !== v ? missingLeft[node] === 1 : v <= threshold[node]!;
    node = goLeft ? left[node]! : right[node]!;
  }
}

/**
 * The binned training matrix (column-major) with, per feature, its number of non-missing bins;
 * NaN is stored as bin `nNonMissing[f]`, so each feature's histogram holds only its own bins.
 */
interface Binned {
  n: number;
  p: number;
  xb: Uint8Array;
  /** The same bins row-major (`xr[i·p + f]`), for building histograms one row at a time. */
  xr: Uint8Array;
  nNonMissing: Int32Array;
  hasMissing: Uint8Array;
  thresholds: Float64Array[];
  /** Start of feature f's bins in a histogram (in triples); the last entry is the total. */
  offset: Int32Array;
}

/** Reusable histogram buffers: (feature, bin) → [Σg, Σh, count], interleaved for locality. */
class HistPool {
  private free: Float64Array[] = [];
  constructor(private readonly size: number) {}
  get(): Float64Array {
    const h = this.free.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.size);
  }
  release(h: Float64Array): void {
    this.free.push(h);
  }
}

interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  // Best split found for this node.
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gL: number;
  hL: number;
  cL: number;
}

/** Grows trees on shared buffers (binned data, row permutation, ordered gradients). */
class Grower {
  readonly nb: number;
  private readonly pool: HistPool;
  readonly importances: Float64Array;

  constructor(
    private readonly bins: Binned,
    private readonly params: HgbParams,
  ) {
    this.nb = bins.offset[bins.p]!;
    this.pool = new HistPool(this.nb * 3);
    this.importances = new Float64Array(bins.p);
  }

  /** Sums gradients into a histogram for the rows rows[start..end). */
  private buildHist(rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array): Float64Array {
    const hist = this.pool.get();
    const { p, xr, offset } = this.bins;
    const m = end - start;
    // Row by row: each row's p bins are contiguous and the histogram stays in cache, which beats
    // one strided gather per feature.
    for (let t = 0; t < m; t++) {
      const r = rows[start + t]!;
      const gr = g[r]!;
      const hr = h[r]!;
      const base = r * p;
      for (let f = 0; f < p; f++) {
        const o = (offset[f]! + xr[base + f]!) * 3;
        hist[o]! += gr;
        hist[o + 1]! += hr;
        hist[o + 2]!++;
      }
    }
    return hist;
  }

  /** Best split of a node over all features (left-to-right with NaN right, then right-to-left with NaN left). */
  private findSplit(node: GrowNode): void {
    const { p, nNonMissing, hasMissing, offset } = this.bins;
    const hist = node.hist!;
    const lambda = this.params.l2Regularization;
    const msl = this.params.minSamplesLeaf;
    const G = node.g;
    const H = node.h;
    const C = node.end - node.start;
    const parentLoss = (G * G) / (H + lambda);
    node.gain = -1;
    node.feature = -1;
    for (let f = 0; f < p; f++) {
      const ho = offset[f]! * 3;
      const nnm = nNonMissing[f]!;
      const miss = hasMissing[f] === 1;
      // Splitting after the last non-missing bin is the "missing vs the rest" split.
      const endBin = miss ? nnm : nnm - 1;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < endBin; b++) {
        gl += hist[ho + b * 3]!;
        hl += hist[ho + b * 3 + 1]!;
        cl += hist[ho + b * 3 + 2]!;
        const cr = C - cl;
        if (cl < msl) continue;
        if (cr < msl) break;
        const hr = H - hl;
        if (hl < MIN_HESSIAN_TO_SPLIT) continue;
        if (hr < MIN_HESSIAN_TO_SPLIT) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentLoss;
        if (gain > node.gain && gain > 0) {
          node.gain = gain;
          node.feature = f;
          node.bin = b;
          // Without missing values in training, NaN at predict time follows the larger child.
          node.missingLeft = miss ? false : cl >= cr;
          node.gL = gl;
          node.hL = hl;
          node.cL = cl;
        }
      }
      if (!miss) continue;
      let gr = 0;
      let hr = 0;
      let cr = 0;
      for (let b = nnm - 1; b >= 1; b--) {
        gr += hist[ho + b * 3]!;
        hr += hist[ho + b * 3 + 1]!;
        cr += hist[ho + b * 3 + 2]!;
        const cl2 = C - cr;
        if (cr < msl) continue;
        if (cl2 < msl) break;
        const hl2 = H - hr;
        if (hr < MIN_HESSIAN_TO_SPLIT) continue;
        if (hl2 < MIN_HESSIAN_TO_SPLIT) break;
        const gl2 = G - gr;
        const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parentLoss;
        if (gain > node.gain && gain > 0) {
          node.gain = gain;
          node.feature = f;
          node.bin = b - 1;
          node.missingLeft = true;
          node.gL = gl2;
          node.hL = hl2;
          node.cL = cl2;
        }
      }
    }
  }

  /** Moves rows going left to the front of [start, end); returns the boundary. */
  private partition(rows: Int32Array, node: GrowNode): number {
    const { n, xb, nNonMissing } = this.bins;
    const col = node.feature * n;
    const missingBin = nNonMissing[node.feature]!;
    const thr = node.bin;
    const ml = node.missingLeft;
    let i = node.start;
    let j = node.end - 1;
    while (i <= j) {
      const b = xb[col + rows[i]!]!;
      const left = b === missingBin ? ml : b <= thr;
      if (left) i++;
      else {
        const t = rows[i]!;
        rows[i] = rows[j]!;
        rows[j] = t;
        j--;
      }
    }
    return i;
  }

  /** Grows one tree and adds its leaf values to `raw` for the training rows. */
  grow(rows: Int32Array, g: Float64Array, h: Float64Array, raw: Float64Array): HgbTree {
    const P = this.params;
    const lambda = P.l2Regularization;
    const lr = P.learningRate;
    const maxLeaves = P.maxLeafNodes ?? Infinity;
    const nodeValue = (gs: number, hs: number) => (-lr * gs) / (hs + lambda + EPS);
    const feature: number[] = [];
    const threshold: number[] = [];
    const missingLeft: number[] = [];
    const leftA: number[] = [];
    const rightA: number[] = [];
    const value: number[] = [];
    const segStart: number[] = [];
    const segEnd: number[] = [];
    const newNode = (start: number, end: number, depth: number, gs: number, hs: number): GrowNode => {
      const id = feature.length;
      feature.push(-1);
      threshold.push(0);
      missingLeft.push(0);
      leftA.push(-1);
      rightA.push(-1);
      value.push(nodeValue(gs, hs));
      segStart.push(start);
      segEnd.push(end);
      return {
        id,
        start,
        end,
        depth,
        g: gs,
        h: hs,
        hist: null,
        gain: -1,
        feature: -1,
        bin: 0,
        missingLeft: false,
        gL: 0,
        hL: 0,
        cL: 0,
      };
    };
    const canSplit = (nd: GrowNode) => nd.depth < P.maxDepth && nd.end - nd.start >= 2 * P.minSamplesLeaf;

    let G = 0;
    let H = 0;
    for (let t = 0; t < rows.length; t++) {
      G += g[rows[t]!]!;
      H += h[rows[t]!]!;
    }
    const root = newNode(0, rows.length, 0, G, H);
    const queue: GrowNode[] = [];
    if (canSplit(root) && maxLeaves > 1) {
      root.hist = this.buildHist(rows, 0, rows.length, g, h);
      this.findSplit(root);
      if (root.feature >= 0) queue.push(root);
      else this.pool.release(root.hist);
    }
    let nLeaves = 1;
    while (queue.length > 0 && nLeaves < maxLeaves) {
      let bi = 0;
      for (let q = 1; q < queue.length; q++) if (queue[q]!.gain > queue[bi]!.gain) bi = q;
      const nd = queue[bi]!;
      queue[bi] = queue[queue.length - 1]!;
      queue.pop();
      const mid = this.partition(rows, nd);
      nLeaves++;
      const f = nd.feature;
      const th = this.bins.thresholds[f]!;
      feature[nd.id] = f;
      // Bin b holds x ≤ thresholds[b]; the bin past the last threshold is the missing-only split (+∞).
      threshold[nd.id] = nd.bin < th.length ? th[nd.bin]! : Infinity;
      missingLeft[nd.id] = nd.missingLeft ? 1 : 0;
      this.importances[f]! += nd.gain;
      const L = newNode(nd.start, mid, nd.depth + 1, nd.gL, nd.hL);
      const R = newNode(mid, nd.end, nd.depth + 1, nd.g - nd.gL, nd.h - nd.hL);
      leftA[nd.id] = L.id;
      rightA[nd.id] = R.id;
      const splitL = canSplit(L);
      const splitR = canSplit(R);
      const parentHist = nd.hist!;
      nd.hist = null;
      if (splitL || splitR) {
        // Build the smaller child's histogram; the larger one is the parent's minus it (in place).
        const small = L.end - L.start <= R.end - R.start ? L : R;
        const large = small === L ? R : L;
        small.hist = this.buildHist(rows, small.start, small.end, g, h);
        const sh = small.hist;
        for (let q = 0; q < parentHist.length; q++) parentHist[q]! -= sh[q]!;
        large.hist = parentHist;
        for (const c of [L, R]) {
          if ((c === L ? splitL : splitR) && nLeaves < maxLeaves) {
            this.findSplit(c);
            if (c.feature >= 0) {
              queue.push(c);
              continue;
            }
          }
          this.pool.release(c.hist!);
          c.hist = null;
        }
      } else this.pool.release(parentHist);
    }
    for (const nd of queue) if (nd.hist) this.pool.release(nd.hist);
    // Leaves add their values to the training predictions directly (no tree traversal).
    for (let id = 0; id < feature.length; id++) {
      if (feature[id]! >= 0) continue;
      const v = value[id]!;
      for (let t = segStart[id]!; t < segEnd[id]!; t++) raw[rows[t]!]! += v;
    }
    return {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      missingLeft: Uint8Array.from(missingLeft),
      left: Int32Array.from(leftA),
      right: Int32Array.from(rightA),
      value: Float64Array.from(value),
    };
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Mean loss (binary or multinomial log-loss on raw scores, or half squared error), weighted. */
function meanLoss(loss: Loss, y: Float64Array, rawK: Float64Array[], w: Float64Array | null): number {
  let s = 0;
  let tw = 0;
  const raw = rawK[0]!;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    if (loss === 'multinomial') {
      let max = -Infinity;
      for (const rk of rawK) max = Math.max(max, rk[i]!);
      let z = 0;
      for (const rk of rawK) z += Math.exp(rk[i]! - max);
      s += wi * (max + Math.log(z) - rawK[y[i]!]![i]!);
      tw += wi;
      continue;
    }
    const r = raw[i]!;
    // log(1 + e^r) − y·r, computed without overflow.
    const l =
      loss === 'log_loss' ? Math.max(r, 0) + Math.log1p(Math.exp(-Math.abs(r))) - y[i]! * r : 0.5 * (y[i]! - r) ** 2;
    s += wi * l;
    tw += wi;
  }
  return s / tw;
}

/** The fitted ensemble shared by the classifier and the regressor. */
interface Ensemble {
  /** One raw baseline per output (one output unless multiclass). */
  baseline: number[];
  /** Outputs per iteration: the trees are stored iteration-major, tree `it·nOut + c` for output c. */
  nOut: number;
  trees: HgbTree[];
  importances: Float64Array;
  validationLoss: number[];
}

function fitEnsemble(X: Matrix, yIn: Vector, loss: Loss, P: HgbParams, opts: FitOptions, nClasses = 2): Ensemble {
  checkXy(X, yIn);
  const nAll = X.nRows;
  const early = P.earlyStopping === 'auto' ? nAll > 10_000 : P.earlyStopping;
  let Xtr = X;
  let ytr: Float64Array = Float64Array.from(yIn);
  let wtr: Float64Array | null = opts.sampleWeight ? Float64Array.from(opts.sampleWeight) : null;
  let Xval: Matrix | null = null;
  let yval: Float64Array | null = null;
  let wval: Float64Array | null = null;
  if (early && P.validationFraction > 0) {
    const split =
      loss !== 'squared_error'
        ? stratifiedSplit(yIn, P.validationFraction, P.seed)
        : trainTestSplit(nAll, P.validationFraction, P.seed);
    Xtr = takeRows(X, split.train);
    ytr = takeVector(yIn, split.train);
    Xval = takeRows(X, split.test);
    yval = takeVector(yIn, split.test);
    if (opts.sampleWeight) {
      wtr = takeVector(opts.sampleWeight, split.train);
      wval = takeVector(opts.sampleWeight, split.test);
    }
  }
  const n = Xtr.nRows;
  const mapper = fitBins(Xtr, P.maxBins, P.seed);
  const p = Xtr.nCols;
  const xb = applyBins(mapper, Xtr);
  const nNonMissing = Int32Array.from(mapper.thresholds, (t) => t.length + 1);
  const offset = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) {
    offset[f + 1] = offset[f]! + nNonMissing[f]! + 1;
    // Move NaN from the shared bin maxBins to this feature's own bin nNonMissing[f].
    const col = f * n;
    for (let i = 0; i < n; i++) if (xb[col + i] === P.maxBins) xb[col + i] = nNonMissing[f]!;
  }
  const xr = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) for (let i = 0; i < n; i++) xr[i * p + f] = xb[f * n + i]!;
  const bins: Binned = {
    n,
    p,
    xb,
    xr,
    nNonMissing,
    hasMissing: mapper.hasMissing,
    thresholds: mapper.thresholds,
    offset,
  };
  // Baseline: the (weighted) mean target, as log-odds for classification.
  let sw = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const wi = wtr ? wtr[i]! : 1;
    sw += wi;
    sy += wi * ytr[i]!;
  }
  const K = loss === 'multinomial' ? nClasses : 1;
  const baseline: number[] = [sy / sw];
  if (loss === 'log_loss') {
    const q = Math.min(Math.max(baseline[0]!, EPS), 1 - EPS);
    baseline[0] = Math.log(q / (1 - q));
  } else if (loss === 'multinomial') {
    // Log class priors: the softmax of the baseline is the class frequency.
    const prior = new Float64Array(K);
    for (let i = 0; i < n; i++) prior[ytr[i]!]! += wtr ? wtr[i]! : 1;
    for (let c = 0; c < K; c++) baseline[c] = Math.log(Math.min(Math.max(prior[c]! / sw, EPS), 1 - EPS));
  }
  const rawK = baseline.map((b) => new Float64Array(n).fill(b));
  const rawValK = Xval ? baseline.map((b) => new Float64Array(Xval.nRows).fill(b)) : null;
  const probs = K > 1 ? new Float64Array(n * K) : null;
  const g = new Float64Array(n);
  const h = new Float64Array(n).fill(1);
  const rows = new Int32Array(n);
  const grower = new Grower(bins, P);
  const trees: HgbTree[] = [];
  const scores: number[] = [];
  const validationLoss: number[] = [];
  if (rawValK) {
    validationLoss.push(meanLoss(loss, yval!, rawValK, wval));
    scores.push(-validationLoss[0]!);
  }
  for (let it = 0; it < P.maxIter; it++) {
    if (probs) {
      // Softmax of this iteration's raw scores; every class's tree sees the same probabilities.
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let c = 0; c < K; c++) max = Math.max(max, rawK[c]![i]!);
        let z = 0;
        for (let c = 0; c < K; c++) z += probs[i * K + c] = Math.exp(rawK[c]![i]! - max);
        for (let c = 0; c < K; c++) probs[i * K + c]! /= z;
      }
    }
    for (let c = 0; c < K; c++) {
      const raw = rawK[c]!;
      for (let i = 0; i < n; i++) {
        const wi = wtr ? wtr[i]! : 1;
        if (loss === 'log_loss' || probs) {
          const pr = probs ? probs[i * K + c]! : sigmoid(raw[i]!);
          const yi = probs ? (ytr[i] === c ? 1 : 0) : ytr[i]!;
          g[i] = wi * (pr - yi);
          h[i] = wi * pr * (1 - pr);
        } else {
          g[i] = wi * (raw[i]! - ytr[i]!);
          h[i] = wi;
        }
        rows[i] = i;
      }
      const tree = grower.grow(rows, g, h, raw);
      trees.push(tree);
      if (rawValK && Xval) {
        const rv = rawValK[c]!;
        for (let i = 0; i < Xval.nRows; i++) rv[i]! += tree.value[leafIndex(tree, Xval.data, i * Xval.nCols)]!;
      }
    }
    opts.onProgress?.((it + 1) / P.maxIter);
    if (rawValK && Xval) {
      const l = meanLoss(loss, yval!, rawValK, wval);
      validationLoss.push(l);
      scores.push(-l);
      // sklearn's rule: stop when none of the last nIterNoChange scores beats the one before them by tol.
      if (scores.length > P.nIterNoChange) {
        const ref = scores[scores.length - P.nIterNoChange - 1]!;
        let improved = false;
        for (let q = scores.length - P.nIterNoChange; q < scores.length; q++)
          if (scores[q]! > ref + P.tol) improved = true;
        if (!improved) break;
      }
    }
  }
  const imp = grower.importances;
  let s = 0;
  for (let j = 0; j < imp.length; j++) s += imp[j]!;
  if (s > 0) for (let j = 0; j < imp.length; j++) imp[j]! /= s;
  return { baseline, nOut: K, trees, importances: imp, validationLoss };
}

/** Raw scores: length n with one output, else n × nOut row-major. */
function rawPredict(e: Ensemble, X: Matrix): Float64Array {
  const K = e.nOut;
  const out = new Float64Array(X.nRows * K);
  for (let i = 0; i < X.nRows; i++) for (let c = 0; c < K; c++) out[i * K + c] = e.baseline[c]!;
  e.trees.forEach((t, ti) => {
    const c = ti % K;
    for (let i = 0; i < X.nRows; i++) out[i * K + c]! += t.value[leafIndex(t, X.data, i * X.nCols)]!;
  });
  return out;
}

function contributionsOf(e: Ensemble, X: Matrix, cls = 0): Contributions {
  const p = X.nCols;
  const contributions = new Float64Array(X.nRows * p);
  let bias = e.baseline[cls]!;
  for (let ti = cls; ti < e.trees.length; ti += e.nOut) {
    const t = e.trees[ti]!;
    bias += t.value[0]!;
    for (let i = 0; i < X.nRows; i++) {
      let node = 0;
      for (;;) {
        const f = t.feature[node]!;
        if (f < 0) break;
        const v = X.data[i * p + f]!;
        const goLeft = v !== v ? t.missingLeft[node] === 1 : v <= t.threshold[node]!;
        const next = goLeft ? t.left[node]! : t.right[node]!;
        contributions[i * p + f]! += t.value[next]! - t.value[node]!;
        node = next;
      }
    }
  }
  return { bias, contributions };
}

interface HgbTreeJson {
  feature: number[];
  threshold: (number | null)[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

function ensembleToJson(e: Ensemble, P: HgbParams) {
  return {
    params: { ...P, maxDepth: Number.isFinite(P.maxDepth) ? P.maxDepth : null },
    baseline: e.baseline,
    nOut: e.nOut,
    importances: Array.from(e.importances),
    validationLoss: e.validationLoss,
    // Leaves' thresholds are irrelevant; JSON has no Infinity, so the missing-only split is null.
    trees: e.trees.map((t): HgbTreeJson => ({
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold, (v, i) => (t.feature[i]! < 0 ? 0 : Number.isFinite(v) ? v : null)),
      missingLeft: Array.from(t.missingLeft),
      left: Array.from(t.left),
      right: Array.from(t.right),
      value: Array.from(t.value),
    })),
  };
}

function ensembleFromJson(j: SerialisedModel): { e: Ensemble; params: Partial<HgbParams> } {
  const pj = j.params as Record<string, unknown>;
  const params = { ...(pj as Partial<HgbParams>), maxDepth: pj.maxDepth === null ? Infinity : (pj.maxDepth as number) };
  const e: Ensemble = {
    baseline: typeof j.baseline === 'number' ? [j.baseline] : (j.baseline as number[]),
    nOut: (j.nOut as number | undefined) ?? 1,
    importances: Float64Array.from(j.importances as number[]),
    validationLoss: j.validationLoss as number[],
    trees: (j.trees as HgbTreeJson[]).map((t) => ({
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold, (v) => (v === null ? Infinity : v)),
      missingLeft: Uint8Array.from(t.missingLeft),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      value: Float64Array.from(t.value),
    })),
  };
  return { e, params };
}

/** Histogram gradient boosting on log-loss (`HistGradientBoostingClassifier`): binary, or one tree per class per iteration. */
export class HistGradientBoostingClassifier implements Classifier {
  readonly params: HgbParams;
  nClasses = 2;
  private e: Ensemble | null = null;

  /** Creates an unfitted model; unspecified hyperparameters take scikit-learn's defaults. */
  constructor(params: Partial<HgbParams> = {}) {
    this.params = hgbDefaults(params);
  }

  /** Boosts up to `maxIter` iterations on integer labels 0..k-1 (k trees per iteration when k > 2). */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    this.nClasses = countClasses(y);
    const loss = this.nClasses > 2 ? 'multinomial' : 'log_loss';
    this.e = fitEnsemble(X, y, loss, this.params, opts, this.nClasses);
    return this;
  }

  /** Raw scores: log-odds per row when binary, else n × k per-class scores. */
  decisionFunction(X: Matrix): Float64Array {
    return rawPredict(this.fitted(), X);
  }

  /** P(y = 1) per row when binary, else n × k class probabilities (softmax). */
  predictProba(X: Matrix): Float64Array {
    const raw = this.decisionFunction(X);
    const K = this.fitted().nOut;
    if (K === 1) {
      for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]!);
      return raw;
    }
    for (let i = 0; i < X.nRows; i++) {
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, raw[i * K + c]!);
      let z = 0;
      for (let c = 0; c < K; c++) z += raw[i * K + c] = Math.exp(raw[i * K + c]! - max);
      for (let c = 0; c < K; c++) raw[i * K + c]! /= z;
    }
    return raw;
  }

  /** Number of boosting iterations actually run (fewer than maxIter after early stopping). */
  get nIter(): number {
    const e = this.fitted();
    return e.trees.length / e.nOut;
  }

  /** Validation loss per iteration (starting with the baseline) when early stopping ran. */
  get validationLoss(): number[] {
    return this.fitted().validationLoss;
  }

  /** Split-gain importances, summing to 1 (sklearn has none for this model; this is LightGBM's 'gain'). */
  get featureImportances(): Float64Array {
    return this.fitted().importances;
  }

  /** Saabas contributions to the raw score (log-odds when binary; class `cls`'s score when multiclass). */
  contributions(X: Matrix, cls = 0): Contributions {
    return contributionsOf(this.fitted(), X, cls);
  }

  /** JSON form; `HistGradientBoostingClassifier.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return { kind: 'HistGradientBoostingClassifier', version: 1, ...ensembleToJson(this.fitted(), this.params) };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): HistGradientBoostingClassifier {
    if (json.kind !== 'HistGradientBoostingClassifier')
      throw new Error(`not a HistGradientBoostingClassifier: ${json.kind}`);
    const { e, params } = ensembleFromJson(json);
    const m = new HistGradientBoostingClassifier(params);
    m.e = e;
    m.nClasses = e.nOut === 1 ? 2 : e.nOut;
    return m;
  }

  private fitted(): Ensemble {
    if (!this.e) throw new Error('HistGradientBoostingClassifier: call fit() first');
    return this.e;
  }
}

/** Histogram gradient boosting on squared error (`HistGradientBoostingRegressor`). */
export class HistGradientBoostingRegressor implements Regressor {
  readonly params: HgbParams;
  private e: Ensemble | null = null;

  /** Creates an unfitted model; unspecified hyperparameters take scikit-learn's defaults. */
  constructor(params: Partial<HgbParams> = {}) {
    this.params = hgbDefaults(params);
  }

  /** Boosts up to `maxIter` trees on real targets. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    this.e = fitEnsemble(X, y, 'squared_error', this.params, opts);
    return this;
  }

  /** Predictions per row. */
  predict(X: Matrix): Float64Array {
    return rawPredict(this.fitted(), X);
  }

  /** Number of boosting iterations actually run. */
  get nIter(): number {
    return this.fitted().trees.length;
  }

  /** Split-gain importances, summing to 1. */
  get featureImportances(): Float64Array {
    return this.fitted().importances;
  }

  /** Saabas contributions: bias + Σ contributions = predict. */
  contributions(X: Matrix): Contributions {
    return contributionsOf(this.fitted(), X);
  }

  /** JSON form; `HistGradientBoostingRegressor.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return { kind: 'HistGradientBoostingRegressor', version: 1, ...ensembleToJson(this.fitted(), this.params) };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): HistGradientBoostingRegressor {
    if (json.kind !== 'HistGradientBoostingRegressor')
      throw new Error(`not a HistGradientBoostingRegressor: ${json.kind}`);
    const { e, params } = ensembleFromJson(json);
    const m = new HistGradientBoostingRegressor(params);
    m.e = e;
    return m;
  }

  private fitted(): Ensemble {
    if (!this.e) throw new Error('HistGradientBoostingRegressor: call fit() first');
    return this.e;
  }
}

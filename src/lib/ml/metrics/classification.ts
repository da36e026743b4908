/**
 * Label and probability metrics matching scikit-learn 1.2 (zero_division → 0, log-loss eps
 * from the prediction dtype, calibration bins via searchsorted on the inner edges).
 */
import type { Vector } from '../matrix';
import { prCurve } from './ranking';

/** Largest label + 1 over both vectors (at least 2). */
function nLabels(a: Vector, b: Vector): number {
  let m = 1;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  for (let i = 0; i < b.length; i++) if (b[i]! > m) m = b[i]!;
  return m + 1;
}

/** k × k confusion matrix (rows = true class, columns = predicted), row-major, optionally weighted. */
export function confusionMatrix(yTrue: Vector, yPred: Vector, nClasses?: number, sampleWeight?: Vector): Float64Array {
  const k = nClasses ?? nLabels(yTrue, yPred);
  const cm = new Float64Array(k * k);
  for (let i = 0; i < yTrue.length; i++) cm[yTrue[i]! * k + yPred[i]!]! += sampleWeight ? sampleWeight[i]! : 1;
  return cm;
}

/** Binary confusion counts when predicting positive for `p ≥ threshold`. */
export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Binary confusion counts at a probability threshold (`p ≥ threshold` is positive). */
export function confusionAtThreshold(yTrue: Vector, proba: Vector, threshold = 0.5): BinaryCounts {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    const pos = proba[i]! >= threshold;
    if (yTrue[i] === 1) {
      if (pos) c.tp++;
      else c.fn++;
    } else if (pos) c.fp++;
    else c.tn++;
  }
  return c;
}

/** Fraction of rows whose predicted label equals the true one. */
export function accuracy(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  let hit = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    tot += w;
    if (yTrue[i] === yPred[i]) hit += w;
  }
  return hit / tot;
}

/** Mean per-class recall over the classes present in yTrue, like `balanced_accuracy_score`. */
export function balancedAccuracy(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  const k = nLabels(yTrue, yPred);
  const cm = confusionMatrix(yTrue, yPred, k, sampleWeight);
  let sum = 0;
  let m = 0;
  for (let c = 0; c < k; c++) {
    let row = 0;
    for (let d = 0; d < k; d++) row += cm[c * k + d]!;
    if (row > 0) {
      sum += cm[c * k + c]! / row;
      m++;
    }
  }
  return sum / m;
}

/** `binary` scores class `posLabel`; `macro` averages over all labels seen; `weighted` weights by support. */
export type Average = 'binary' | 'macro' | 'weighted';

/** Options for precision, recall and F-scores. */
export interface PrfOptions {
  average?: Average;
  posLabel?: number;
  sampleWeight?: Vector;
}

/** Precision, recall, F1 and support per class from a confusion matrix (0 when undefined). */
function perClass(yTrue: Vector, yPred: Vector, sampleWeight?: Vector) {
  const k = nLabels(yTrue, yPred);
  const cm = confusionMatrix(yTrue, yPred, k, sampleWeight);
  const p = new Float64Array(k);
  const r = new Float64Array(k);
  const f = new Float64Array(k);
  const support = new Float64Array(k);
  const present = new Uint8Array(k);
  for (let c = 0; c < k; c++) {
    let predC = 0;
    let trueC = 0;
    for (let d = 0; d < k; d++) {
      predC += cm[d * k + c]!;
      trueC += cm[c * k + d]!;
    }
    const tp = cm[c * k + c]!;
    p[c] = predC > 0 ? tp / predC : 0;
    r[c] = trueC > 0 ? tp / trueC : 0;
    f[c] = p[c]! + r[c]! > 0 ? (2 * p[c]! * r[c]!) / (p[c]! + r[c]!) : 0;
    support[c] = trueC;
    present[c] = predC > 0 || trueC > 0 ? 1 : 0;
  }
  return { p, r, f, support, present, k };
}

function averaged(which: 'p' | 'r' | 'f', yTrue: Vector, yPred: Vector, opts: PrfOptions): number {
  const s = perClass(yTrue, yPred, opts.sampleWeight);
  const v = s[which];
  const avg = opts.average ?? 'binary';
  if (avg === 'binary') return v[opts.posLabel ?? 1] ?? 0;
  let sum = 0;
  let den = 0;
  for (let c = 0; c < s.k; c++) {
    if (!s.present[c]) continue;
    const w = avg === 'weighted' ? s.support[c]! : 1;
    sum += w * v[c]!;
    den += w;
  }
  return den > 0 ? sum / den : 0;
}

/** Precision tp / (tp + fp) like `precision_score` (zero_division = 0). */
export function precision(yTrue: Vector, yPred: Vector, opts: PrfOptions = {}): number {
  return averaged('p', yTrue, yPred, opts);
}

/** Recall tp / (tp + fn) like `recall_score` (zero_division = 0). */
export function recall(yTrue: Vector, yPred: Vector, opts: PrfOptions = {}): number {
  return averaged('r', yTrue, yPred, opts);
}

/** F1, the harmonic mean of precision and recall, like `f1_score` (zero_division = 0). */
export function f1(yTrue: Vector, yPred: Vector, opts: PrfOptions = {}): number {
  return averaged('f', yTrue, yPred, opts);
}

/**
 * Log-loss like `sklearn.metrics.log_loss` 1.2: probabilities are clipped to [eps, 1 − eps]
 * (eps = machine epsilon of the prediction dtype) and each row renormalised. `proba` is P(y=1)
 * per row, or row-major n × k when `nClasses > 2`.
 */
export function logLoss(yTrue: Vector, proba: Vector, opts: { nClasses?: number; sampleWeight?: Vector } = {}): number {
  const n = yTrue.length;
  const eps = proba instanceof Float32Array ? 1.1920928955078125e-7 : 2.220446049250313e-16;
  const k = opts.nClasses ?? (proba.length === n ? 2 : proba.length / n);
  const binary = proba.length === n;
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  let sum = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    let pTrue: number;
    if (binary) {
      // sklearn clips p first, then builds [1 − p, p] and clips again (a no-op), then renormalises.
      const p = clip(proba[i]!);
      const q = clip(1 - p);
      pTrue = (yTrue[i] === 1 ? p : q) / (p + q);
    } else {
      let rowSum = 0;
      for (let c = 0; c < k; c++) rowSum += clip(proba[i * k + c]!);
      pTrue = clip(proba[i * k + yTrue[i]!]!) / rowSum;
    }
    const w = opts.sampleWeight ? opts.sampleWeight[i]! : 1;
    sum -= w * Math.log(pTrue);
    tot += w;
  }
  return sum / tot;
}

/** Brier score: mean squared difference between P(y=1) and the 0/1 label. */
export function brier(yTrue: Vector, proba: Vector, sampleWeight?: Vector): number {
  let sum = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    const d = (yTrue[i] === 1 ? 1 : 0) - proba[i]!;
    sum += w * d * d;
    tot += w;
  }
  return sum / tot;
}

/** Calibration curve: observed positive rate vs mean predicted probability in each non-empty bin. */
export interface CalibrationCurve {
  probTrue: Float64Array;
  probPred: Float64Array;
  counts: Float64Array;
  edges: Float64Array;
}

/** numpy's default ('linear') percentile of sorted values. */
function percentileSorted(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
}

/** Bins like `sklearn.calibration.calibration_curve` ('uniform' or 'quantile' edges); empty bins are dropped. */
export function calibrationCurve(
  yTrue: Vector,
  proba: Vector,
  nBins = 5,
  strategy: 'uniform' | 'quantile' = 'uniform',
): CalibrationCurve {
  const n = yTrue.length;
  const edges = new Float64Array(nBins + 1);
  if (strategy === 'uniform') {
    for (let b = 0; b <= nBins; b++) edges[b] = b / nBins;
  } else {
    const sorted = Float64Array.from(proba).sort();
    for (let b = 0; b <= nBins; b++) edges[b] = percentileSorted(sorted, (b / nBins) * 100);
  }
  const sums = new Float64Array(nBins + 1);
  const trues = new Float64Array(nBins + 1);
  const totals = new Float64Array(nBins + 1);
  for (let i = 0; i < n; i++) {
    const p = proba[i]!;
    // searchsorted(edges[1:-1], p, side='left'): the number of inner edges strictly below p.
    let lo = 1;
    let hi = nBins;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    const b = lo - 1;
    sums[b]! += p;
    trues[b]! += yTrue[i] === 1 ? 1 : 0;
    totals[b]!++;
  }
  const pt: number[] = [];
  const pp: number[] = [];
  const cn: number[] = [];
  for (let b = 0; b <= nBins; b++) {
    if (totals[b] === 0) continue;
    pt.push(trues[b]! / totals[b]!);
    pp.push(sums[b]! / totals[b]!);
    cn.push(totals[b]!);
  }
  return { probTrue: Float64Array.from(pt), probPred: Float64Array.from(pp), counts: Float64Array.from(cn), edges };
}

/** What to optimise the decision threshold for. */
export type ThresholdObjective =
  { kind: 'maxF1' } | { kind: 'precision'; target: number } | { kind: 'recall'; target: number };

/** A chosen threshold and the precision, recall and F1 it gives (predict positive for `p ≥ threshold`). */
export interface ThresholdChoice {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Picks a threshold among the distinct scores: the max-F1 one, the one with the best recall
 * whose precision reaches a target, or the best precision whose recall reaches a target.
 * Returns null when no threshold meets the target.
 */
export function optimiseThreshold(yTrue: Vector, score: Vector, objective: ThresholdObjective): ThresholdChoice | null {
  const { precision: P, recall: R, thresholds: T } = prCurve(yTrue, score);
  let best: ThresholdChoice | null = null;
  let bestKey = -Infinity;
  for (let i = 0; i < T.length; i++) {
    const p = P[i]!;
    const r = R[i]!;
    const f = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    let key: number;
    if (objective.kind === 'maxF1') key = f;
    else if (objective.kind === 'precision') key = p >= objective.target ? r : -Infinity;
    else key = r >= objective.target ? p : -Infinity;
    // Ties go to the higher threshold (later in the increasing order) for fewer positives.
    if (key > -Infinity && key >= bestKey) {
      bestKey = key;
      best = { threshold: T[i]!, precision: p, recall: r, f1: f };
    }
  }
  return best;
}

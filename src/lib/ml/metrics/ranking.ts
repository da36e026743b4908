/**
 * Threshold-free binary metrics computed the way scikit-learn 1.2 does (`_binary_clf_curve`):
 * scores are sorted descending and tied scores form a single threshold, so ties give a
 * diagonal ROC segment (counted half) and one PR step.
 */
import type { Vector } from '../matrix';

/** Cumulative false/true positive (weighted) counts at each distinct score, highest first. */
export interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

/** Sorts by score descending and accumulates (weighted) positives and negatives per distinct score. */
export function binaryClfCurve(yTrue: Vector, score: Vector, sampleWeight?: Vector): ClfCurve {
  const n = yTrue.length;
  if (score.length !== n) throw new Error(`yTrue has ${n} values but score has ${score.length}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[b]! - score[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (yTrue[i] === 1) tp += w;
    else fp += w;
    const s = score[i]!;
    if (k === n - 1 || score[order[k + 1]!] !== s) {
      tps.push(tp);
      fps.push(fp);
      thr.push(s);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thr) };
}

/** A ROC curve: false/true positive rates per threshold, starting at (0, 0) with threshold +∞. */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** ROC curve like `sklearn.metrics.roc_curve` (the first threshold is +∞, as in sklearn ≥ 1.3). */
export function rocCurve(
  yTrue: Vector,
  score: Vector,
  opts: { sampleWeight?: Vector; dropIntermediate?: boolean } = {},
): RocCurve {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, score, opts.sampleWeight);
  if ((opts.dropIntermediate ?? true) && fps.length > 2) {
    // Drop points that lie on a straight line between their neighbours: they add nothing to the area.
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      const d2f = fps[i + 1]! - 2 * fps[i]! + fps[i - 1]!;
      const d2t = tps[i + 1]! - 2 * tps[i]! + tps[i - 1]!;
      if (d2f !== 0 || d2t !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]!);
    tps = Float64Array.from(keep, (i) => tps[i]!);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]!);
  }
  const m = fps.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const th = new Float64Array(m);
  th[0] = Infinity;
  const fMax = fps[fps.length - 1]!;
  const tMax = tps[tps.length - 1]!;
  for (let i = 1; i < m; i++) {
    // sklearn returns NaN rates when a class is absent; keep that behaviour.
    fpr[i] = fps[i - 1]! / fMax;
    tpr[i] = tps[i - 1]! / tMax;
    th[i] = thresholds[i - 1]!;
  }
  return { fpr, tpr, thresholds: th };
}

/** Trapezoidal area under a curve given by x (monotone) and y. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** ROC-AUC for binary labels like `sklearn.metrics.roc_auc_score` (ties count one half). */
export function rocAuc(yTrue: Vector, score: Vector, sampleWeight?: Vector): number {
  const opts: { sampleWeight?: Vector } = {};
  if (sampleWeight) opts.sampleWeight = sampleWeight;
  const { fpr, tpr } = rocCurve(yTrue, score, opts);
  if (!(fpr[fpr.length - 1]! > 0) || !(tpr[tpr.length - 1]! > 0)) {
    throw new Error('rocAuc: only one class present in yTrue; ROC AUC is not defined');
  }
  return auc(fpr, tpr);
}

/** A precision–recall curve like `sklearn.metrics.precision_recall_curve` (recall decreasing, ends at (P=1, R=0)). */
export interface PrCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** Precision–recall pairs per distinct threshold, ordered by increasing threshold as sklearn does. */
export function prCurve(yTrue: Vector, score: Vector, sampleWeight?: Vector): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, score, sampleWeight);
  const m = tps.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  const tMax = tps[m - 1]!;
  for (let k = 0; k < m; k++) {
    const i = m - 1 - k;
    const ps = tps[i]! + fps[i]!;
    precision[k] = ps !== 0 ? tps[i]! / ps : 0;
    // With no positives sklearn sets recall to 1 everywhere.
    recall[k] = tMax === 0 ? 1 : tps[i]! / tMax;
    th[k] = thresholds[i]!;
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}

/** Average precision like `sklearn.metrics.average_precision_score`: Σ (Rₙ − Rₙ₋₁) Pₙ, a step sum, not a trapezoid. */
export function averagePrecision(yTrue: Vector, score: Vector, sampleWeight?: Vector): number {
  const { precision, recall } = prCurve(yTrue, score, sampleWeight);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}

/** One point of a cumulative gain chart: the top `fraction` of rows by score hold `gain` of all positives. */
export interface GainPoint {
  fraction: number;
  gain: number;
  lift: number;
}

/**
 * Cumulative gain and lift at `nBins` equal population slices (deciles by default): rows are
 * ranked by score, highest first; ties are broken by row order.
 */
export function cumulativeGain(yTrue: Vector, score: Vector, nBins = 10): GainPoint[] {
  const n = yTrue.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) totalPos++;
  const out: GainPoint[] = [];
  let captured = 0;
  let k = 0;
  for (let b = 1; b <= nBins; b++) {
    const upto = Math.round((b * n) / nBins);
    for (; k < upto; k++) if (yTrue[order[k]!] === 1) captured++;
    const fraction = upto / n;
    const gain = totalPos > 0 ? captured / totalPos : 0;
    out.push({ fraction, gain, lift: fraction > 0 ? gain / fraction : 0 });
  }
  return out;
}

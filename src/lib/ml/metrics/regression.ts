/** Regression metrics matching scikit-learn 1.2 (`r2_score` with force_finite, MAPE with an eps floor). */
import type { Vector } from '../matrix';

function wsum(n: number, f: (i: number) => number, w?: Vector): number {
  let s = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    s += wi * f(i);
    t += wi;
  }
  return s / t;
}

/** Mean absolute error. */
export function mae(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  return wsum(yTrue.length, (i) => Math.abs(yTrue[i]! - yPred[i]!), sampleWeight);
}

/** Mean squared error. */
export function mse(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  return wsum(yTrue.length, (i) => (yTrue[i]! - yPred[i]!) ** 2, sampleWeight);
}

/** Root mean squared error. */
export function rmse(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  return Math.sqrt(mse(yTrue, yPred, sampleWeight));
}

/** Coefficient of determination; 1 for a perfect fit of a constant target, 0 for an imperfect one (as sklearn). */
export function r2(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  const mean = wsum(yTrue.length, (i) => yTrue[i]!, sampleWeight);
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    res += w * (yTrue[i]! - yPred[i]!) ** 2;
    tot += w * (yTrue[i]! - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/** Mean absolute percentage error as a fraction (|y − ŷ| / max(|y|, eps)), like `mean_absolute_percentage_error`. */
export function mape(yTrue: Vector, yPred: Vector, sampleWeight?: Vector): number {
  const eps = 2.220446049250313e-16;
  return wsum(yTrue.length, (i) => Math.abs(yTrue[i]! - yPred[i]!) / Math.max(Math.abs(yTrue[i]!), eps), sampleWeight);
}

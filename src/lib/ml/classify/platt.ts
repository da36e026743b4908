/**
 * Platt scaling: P(positive | f) = 1 / (1 + exp(A·f + B)), a 1-D logistic fit of a classifier's
 * decision values f, as libsvm's `probability=True` and scikit-learn's
 * `CalibratedClassifierCV(method='sigmoid')`. Fitted by Newton's method with a backtracking line
 * search on Platt's smoothed targets (Lin, Lin & Weng 2007, "A note on Platt's probabilistic
 * outputs for support vector machines"), so a class seen n times gets target (n+1)/(n+2) rather
 * than 1 and a separable set cannot push A to infinity.
 */

/** The two sigmoid parameters; the calibrated log-odds of a decision value f is −(A·f + B). */
export interface PlattSigmoid {
  a: number;
  b: number;
}

/** Negative log-likelihood of the targets t under the sigmoid (computed stably on either side of 0). */
function objective(f: ArrayLike<number>, t: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < t.length; i++) {
    const z = a * f[i]! + b;
    sum += z >= 0 ? t[i]! * z + Math.log1p(Math.exp(-z)) : (t[i]! - 1) * z + Math.log1p(Math.exp(z));
  }
  return sum;
}

/** Fits A and B on decision values `f` and 0/1 labels `y` (of rows the classifier did not train on). */
export function fitPlatt(f: ArrayLike<number>, y: ArrayLike<number>, maxIter = 100): PlattSigmoid {
  const n = f.length;
  if (n !== y.length) throw new Error(`fitPlatt: ${n} decision values for ${y.length} labels`);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (y[i]) nPos += 1;
  const nNeg = n - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = y[i] ? hi : lo;
  let a = 0;
  let b = Math.log((nNeg + 1) / (nPos + 1));
  let fval = objective(f, t, a, b);
  for (let iter = 0; iter < maxIter; iter++) {
    // Gradient and Hessian (with a tiny ridge so a constant f still gives a solvable system).
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const fi = f[i]!;
      const z = fi * a + b;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const d2 = p * (1 - p);
      h11 += fi * fi * d2;
      h22 += d2;
      h21 += fi * d2;
      const d1 = t[i]! - p;
      g1 += fi * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const na = a + step * dA;
      const nb = b + step * dB;
      const nf = objective(f, t, na, nb);
      if (nf < fval + 1e-4 * step * gd) {
        a = na;
        b = nb;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { a, b };
}

/** P(positive) of each decision value under the fitted sigmoid. */
export function plattProbability(sigmoid: PlattSigmoid, f: ArrayLike<number>): Float64Array {
  const out = new Float64Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const z = sigmoid.a * f[i]! + sigmoid.b;
    out[i] = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
  }
  return out;
}

/**
 * Binary logistic regression on sparse CSR rows, L2-penalised and trained by L-BFGS. The
 * objective follows sklearn's LogisticRegression (lbfgs): 0.5‖w‖² + C Σ sᵢ·logloss(yᵢ, xᵢ·w + b),
 * intercept unpenalised, sᵢ the class weight; we minimise it divided by C Σ sᵢ, which has the
 * same minimiser and keeps gradients O(1) regardless of corpus size.
 */
import { type CsrMatrix } from './tfidf';

/** Training options. */
export interface SparseLogisticOptions {
  /** Inverse regularisation strength, as sklearn's C (default 1). */
  c?: number;
  /** 'balanced' (n / (2·n_class)) or explicit [weight of class 0, weight of class 1]; default equal. */
  classWeight?: 'balanced' | readonly [number, number];
  /** L-BFGS iterations (default 200). */
  maxIter?: number;
  /** Stop when the max |gradient| of the scaled objective is below this (default 1e-6). */
  tol?: number;
  /** L-BFGS memory (default 10). */
  memory?: number;
}

/** A fitted model: P(y = 1 | x) = σ(x·weights + bias). */
export interface SparseLogisticModel {
  weights: Float64Array;
  bias: number;
  nIter: number;
  converged: boolean;
  /** Final value of the scaled objective. */
  loss: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** log(1 + e^z) without overflow. */
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

function decision(x: CsrMatrix, w: Float64Array, b: number, out: Float64Array): void {
  for (let i = 0; i < x.nRows; i++) {
    let z = b;
    for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) z += x.data[k]! * w[x.indices[k]!]!;
    out[i] = z;
  }
}

/** Fits the model; `y` holds 0/1 labels. */
export function fitSparseLogistic(
  x: CsrMatrix,
  y: ArrayLike<number>,
  options: SparseLogisticOptions = {},
): SparseLogisticModel {
  const n = x.nRows;
  const d = x.nCols;
  if (y.length !== n) throw new Error(`expected ${n} labels, got ${y.length}`);
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += y[i] ? 1 : 0;
  const cw =
    options.classWeight === 'balanced'
      ? ([n / (2 * Math.max(1, n - n1)), n / (2 * Math.max(1, n1))] as const)
      : (options.classWeight ?? ([1, 1] as const));
  const sw = Float64Array.from({ length: n }, (_, i) => (y[i] ? cw[1] : cw[0]));
  const total = sw.reduce((s, v) => s + v, 0);
  const lambda = 1 / ((options.c ?? 1) * total);
  // Parameters: theta[0..d) = weights, theta[d] = bias.
  const z = new Float64Array(n);
  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    const w = theta.subarray(0, d);
    decision(x, w, theta[d]!, z);
    grad.fill(0);
    let f = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      const yi = y[i] ? 1 : 0;
      f += sw[i]! * (softplus(zi) - yi * zi);
      const r = (sw[i]! * (sigmoid(zi) - yi)) / total;
      gb += r;
      for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) grad[x.indices[k]!]! += r * x.data[k]!;
    }
    f /= total;
    let reg = 0;
    for (let j = 0; j < d; j++) {
      reg += w[j]! * w[j]!;
      grad[j]! += lambda * w[j]!;
    }
    grad[d] = gb;
    return f + 0.5 * lambda * reg;
  };
  const res = lbfgs(
    evaluate,
    new Float64Array(d + 1),
    options.maxIter ?? 200,
    options.tol ?? 1e-6,
    options.memory ?? 10,
  );
  return { weights: res.x.slice(0, d), bias: res.x[d]!, nIter: res.nIter, converged: res.converged, loss: res.f };
}

/** Minimises f by L-BFGS with a backtracking Armijo line search. */
function lbfgs(
  fg: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  maxIter: number,
  tol: number,
  m: number,
): { x: Float64Array; f: number; nIter: number; converged: boolean } {
  const dim = x0.length;
  let x = x0;
  let g = new Float64Array(dim);
  let f = fg(x, g);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += a[i]! * b[i]!;
    return s;
  };
  const maxAbs = (a: Float64Array): number => a.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if (maxAbs(g) < tol) return { x, f, nIter: iter, converged: true };
    // Two-loop recursion: dir = −H·g.
    const q = Float64Array.from(g);
    const alpha: number[] = [];
    for (let k = sList.length - 1; k >= 0; k--) {
      const a = rho[k]! * dot(sList[k]!, q);
      alpha[k] = a;
      const yk = yList[k]!;
      for (let i = 0; i < dim; i++) q[i]! -= a * yk[i]!;
    }
    if (sList.length) {
      const last = sList.length - 1;
      const gamma = dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!);
      for (let i = 0; i < dim; i++) q[i]! *= gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      for (let i = 0; i < dim; i++) q[i]! /= Math.max(1, gn);
    }
    for (let k = 0; k < sList.length; k++) {
      const b = rho[k]! * dot(yList[k]!, q);
      const sk = sList[k]!;
      for (let i = 0; i < dim; i++) q[i]! += sk[i]! * (alpha[k]! - b);
    }
    const dir = q.map((v) => -v);
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sList.length = yList.length = rho.length = 0;
      for (let i = 0; i < dim; i++) dir[i] = -g[i]!;
      slope = -dot(g, g);
    }
    let step = 1;
    const xNew = new Float64Array(dim);
    const gNew = new Float64Array(dim);
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < dim; i++) xNew[i] = x[i]! + step * dir[i]!;
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < f)) return { x, f, nIter: iter, converged: false };
    const s = new Float64Array(dim);
    const yv = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xNew[i]! - x[i]!;
      yv[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      sList.push(s);
      yList.push(yv);
      rho.push(1 / sy);
      if (sList.length > m) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
    }
    const converged = Math.abs(f - fNew) <= 1e-12 * Math.max(1, Math.abs(f));
    x = xNew;
    g = gNew;
    f = fNew;
    if (converged) return { x, f, nIter: iter + 1, converged: true };
  }
  return { x, f, nIter: iter, converged: maxAbs(g) < tol };
}

/** P(y = 1) per row. */
export function predictProba(model: SparseLogisticModel, x: CsrMatrix): Float64Array {
  const z = new Float64Array(x.nRows);
  decision(x, model.weights, model.bias, z);
  return z.map(sigmoid);
}

/** A term with its coefficient. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** The `n` most positive and most negative coefficients, with their terms. */
export function topTerms(
  model: SparseLogisticModel,
  terms: readonly string[],
  n = 20,
): { positive: WeightedTerm[]; negative: WeightedTerm[] } {
  const order = Array.from(model.weights.keys()).sort((a, b) => model.weights[b]! - model.weights[a]! || a - b);
  const pick = (js: number[]): WeightedTerm[] => js.map((j) => ({ term: terms[j]!, weight: model.weights[j]! }));
  return {
    positive: pick(order.slice(0, n).filter((j) => model.weights[j]! > 0)),
    negative: pick(
      order
        .slice(-n)
        .reverse()
        .filter((j) => model.weights[j]! < 0),
    ),
  };
}

/**
 * Linear regression in plain TypeScript with scikit-learn's parametrisations, on a row-major
 * `Matrix` (`data[i * nCols + j]`):
 * - ordinary least squares (`LinearRegression`): the minimum-norm least-squares solution, as
 *   sklearn's `lstsq`, so collinear one-hot blocks get the same coefficients sklearn reports;
 * - ridge (`Ridge(alpha)`): minimise ‖y − Xw − b‖² + alpha·‖w‖²;
 * - lasso (`Lasso(alpha)`): minimise 1/(2n)·‖y − Xw − b‖² + alpha·‖w‖₁ by cyclic coordinate
 *   descent with sklearn's duality-gap stopping rule.
 * The intercept is never penalised: X and y are centred first and b = ȳ − x̄·w, as sklearn does.
 */
import { checkXy, type FitOptions, type Regressor, type SerialisedModel } from '../model';
import type { Matrix, Vector } from '../matrix';

/** Which linear model, and its penalty. */
export interface LinearRegressionParams {
  penalty: 'none' | 'l2' | 'l1';
  /** Penalty strength (ridge: sklearn `alpha`, default 1; lasso: sklearn `alpha`, default 1). */
  alpha: number;
  /** Lasso: stop when the duality gap ≤ tol · ‖y − ȳ‖² (sklearn's rule; default 1e-4). */
  tol: number;
  /** Lasso: coordinate-descent sweeps cap (default 1000, as sklearn). */
  maxIter: number;
}

/** Column means of X and the mean of y. */
function centre(X: Matrix, y: Vector): { xMean: Float64Array; yMean: number } {
  const { nRows: n, nCols: p, data } = X;
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i]!;
    for (let j = 0; j < p; j++) xMean[j]! += data[i * p + j]!;
  }
  for (let j = 0; j < p; j++) xMean[j]! /= n;
  return { xMean, yMean: yMean / n };
}

/** Xcᵀ·Xc and Xcᵀ·yc of the centred data (p × p row-major, p). */
function gram(X: Matrix, y: Vector, xMean: Float64Array, yMean: number): { G: Float64Array; c: Float64Array } {
  const { nRows: n, nCols: p, data } = X;
  const G = new Float64Array(p * p);
  const c = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = data[i * p + j]! - xMean[j]!;
    const r = y[i]! - yMean;
    for (let j = 0; j < p; j++) {
      const a = row[j]!;
      if (a === 0) continue;
      c[j]! += a * r;
      for (let k = j; k < p; k++) G[j * p + k]! += a * row[k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) G[j * p + k] = G[k * p + j]!;
  return { G, c };
}

/** Eigen-decomposition of a symmetric p × p matrix by cyclic Jacobi rotations: values and column eigenvectors. */
export function symmetricEigen(A: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < p; i++) {
      diag += a[i * p + i]! ** 2;
      for (let j = i + 1; j < p; j++) off += a[i * p + j]! ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]!;
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (a[j * p + j]! - a[i * p + i]!) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i]!;
          const akj = a[k * p + j]!;
          a[k * p + i] = cs * aki - sn * akj;
          a[k * p + j] = sn * aki + cs * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k]!;
          const ajk = a[j * p + k]!;
          a[i * p + k] = cs * aik - sn * ajk;
          a[j * p + k] = sn * aik + cs * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i]!;
          const vkj = v[k * p + j]!;
          v[k * p + i] = cs * vki - sn * vkj;
          v[k * p + j] = sn * vki + cs * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = a[i * p + i]!;
  return { values, vectors: v };
}

/** Solves (G + alpha·I) w = c through the eigenbasis; eigenvalues ≈ 0 are dropped (minimum-norm solution). */
function solveSpd(G: Float64Array, c: Float64Array, p: number, alpha: number): Float64Array {
  const { values, vectors } = symmetricEigen(G, p);
  let max = 0;
  for (const e of values) max = Math.max(max, Math.abs(e));
  // lstsq's rcond: singular values below eps·max(n, p)·σmax; on the Gram matrix that is squared.
  const cutoff = alpha > 0 ? 0 : max * 1e-12;
  const w = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const e = values[k]! + alpha;
    if (e <= cutoff || e === 0) continue;
    let proj = 0;
    for (let j = 0; j < p; j++) proj += vectors[j * p + k]! * c[j]!;
    const s = proj / e;
    for (let j = 0; j < p; j++) w[j]! += s * vectors[j * p + k]!;
  }
  return w;
}

/** Lasso by coordinate descent on the centred data (sklearn's `enet_coordinate_descent` with l1_ratio 1). */
function lassoCd(
  X: Matrix,
  y: Vector,
  xMean: Float64Array,
  yMean: number,
  alpha: number,
  tol: number,
  maxIter: number,
): { w: Float64Array; nIter: number; gap: number } {
  const { nRows: n, nCols: p } = X;
  // Column-major centred copy: each coordinate step walks one column.
  const cols = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) cols[j * n + i] = X.data[i * p + j]! - xMean[j]!;
  const norm2 = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += cols[j * n + i]! ** 2;
    norm2[j] = s;
  }
  const R = new Float64Array(n);
  let yNorm2 = 0;
  for (let i = 0; i < n; i++) {
    R[i] = y[i]! - yMean;
    yNorm2 += R[i]! ** 2;
  }
  const w = new Float64Array(p);
  const l1 = alpha * n;
  const tolScaled = tol * yNorm2;
  let gap = tolScaled + 1;
  let iter: number;
  for (iter = 0; iter < maxIter; iter++) {
    let maxDelta = 0;
    let maxW = 0;
    for (let j = 0; j < p; j++) {
      if (norm2[j] === 0) continue;
      const old = w[j]!;
      let rho = 0;
      const base = j * n;
      for (let i = 0; i < n; i++) rho += cols[base + i]! * R[i]!;
      rho += old * norm2[j]!;
      const next = (Math.sign(rho) * Math.max(Math.abs(rho) - l1, 0)) / norm2[j]!;
      if (next !== old) {
        const d = next - old;
        for (let i = 0; i < n; i++) R[i]! -= d * cols[base + i]!;
        w[j] = next;
      }
      maxDelta = Math.max(maxDelta, Math.abs(next - old));
      maxW = Math.max(maxW, Math.abs(next));
    }
    if (maxW === 0 || maxDelta / maxW < tol || iter === maxIter - 1) {
      // Duality gap of 0.5‖R‖² + l1‖w‖₁ (sklearn's criterion).
      let dualNormXtA = 0;
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += cols[j * n + i]! * R[i]!;
        dualNormXtA = Math.max(dualNormXtA, Math.abs(s));
      }
      let rNorm2 = 0;
      let ry = 0;
      for (let i = 0; i < n; i++) {
        rNorm2 += R[i]! ** 2;
        ry += R[i]! * (y[i]! - yMean);
      }
      let wL1 = 0;
      for (const v of w) wL1 += Math.abs(v);
      let constant = 1;
      let g: number;
      if (dualNormXtA > l1) {
        constant = l1 / dualNormXtA;
        g = 0.5 * (rNorm2 + rNorm2 * constant * constant);
      } else g = rNorm2;
      gap = g + l1 * wL1 - constant * ry;
      if (gap < tolScaled) break;
    }
  }
  return { w, nIter: Math.min(iter + 1, maxIter), gap };
}

function defaults(p: Partial<LinearRegressionParams>): LinearRegressionParams {
  return { penalty: p.penalty ?? 'none', alpha: p.alpha ?? 1, tol: p.tol ?? 1e-4, maxIter: p.maxIter ?? 1000 };
}

/** OLS, ridge or lasso (see the module comment); sample weights are not supported (rows count once). */
export class LinearRegressor implements Regressor {
  readonly params: LinearRegressionParams;
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  /** Lasso coordinate-descent sweeps (0 for the closed-form fits). */
  nIter = 0;

  /** Creates an unfitted model (`penalty` 'none' = OLS, 'l2' = ridge, 'l1' = lasso). */
  constructor(params: Partial<LinearRegressionParams> = {}) {
    this.params = defaults(params);
  }

  /** Fits on real targets. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    if (opts.sampleWeight) throw new Error('LinearRegressor: sample weights are not supported');
    const p = X.nCols;
    const { xMean, yMean } = centre(X, y);
    if (this.params.penalty === 'l1') {
      const fit = lassoCd(X, y, xMean, yMean, this.params.alpha, this.params.tol, this.params.maxIter);
      this.coef = fit.w;
      this.nIter = fit.nIter;
    } else {
      const { G, c } = gram(X, y, xMean, yMean);
      this.coef = solveSpd(G, c, p, this.params.penalty === 'l2' ? this.params.alpha : 0);
      this.nIter = 0;
    }
    let b = yMean;
    for (let j = 0; j < p; j++) b -= xMean[j]! * this.coef[j]!;
    this.intercept = b;
    opts.onProgress?.(1);
    return this;
  }

  /** x·w + b per row. */
  predict(X: Matrix): Float64Array {
    const { nRows: n, nCols: p, data } = X;
    if (p !== this.coef.length) throw new Error(`LinearRegressor: expected ${this.coef.length} columns, got ${p}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = this.intercept;
      for (let j = 0; j < p; j++) s += data[i * p + j]! * this.coef[j]!;
      out[i] = s;
    }
    return out;
  }

  /** JSON form; `LinearRegressor.load` restores identical predictions. */
  toJSON(): SerialisedModel {
    return {
      kind: 'LinearRegressor',
      version: 1,
      params: { ...this.params },
      coef: Array.from(this.coef),
      intercept: this.intercept,
    };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): LinearRegressor {
    if (json.kind !== 'LinearRegressor') throw new Error(`not a LinearRegressor: ${json.kind}`);
    const m = new LinearRegressor(json.params as Partial<LinearRegressionParams>);
    m.coef = Float64Array.from(json.coef as number[]);
    m.intercept = json.intercept as number;
    return m;
  }
}

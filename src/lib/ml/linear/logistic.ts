/**
 * L2-penalised logistic regression (binary and multinomial) in plain TypeScript, with
 * scikit-learn's parametrisation: minimise
 *     C · Σᵢ sᵢ · logloss(yᵢ, softmax(W xᵢ + b)) + ½ ‖W‖²
 * where the intercepts b are not penalised and sᵢ are sample × class weights
 * (`class_weight='balanced'` gives class c the weight n / (K · n_c), as sklearn).
 *
 * Matrices are row-major: element (i, j) of an n × p matrix is `data[i * p + j]` (one row per
 * sample, so a row's features are contiguous for the dot products the fit is made of).
 *
 * The optimiser is Newton's method with a backtracking (Armijo) line search on the exact
 * Hessian, which converges quadratically, so the result is the optimum to ~1e-12 rather than
 * wherever a quasi-Newton method stopped. A K-class model has K coefficient rows (binary: one,
 * as sklearn's `coef_` of shape (1, p)); multinomial intercepts are centred to sum to zero,
 * which is also where sklearn's lbfgs ends up (the loss does not change when all shift together).
 */

/** Row-major n × p matrix. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Fitting options, named after sklearn's `LogisticRegression` arguments. */
export interface LogisticOptions {
  /** Inverse penalty strength (sklearn `C`), default 1. */
  C?: number;
  /** 'balanced', explicit weights per class index, or none (default). */
  classWeight?: 'balanced' | readonly number[] | null;
  /** Per-row weights, multiplied with the class weights. */
  sampleWeight?: ArrayLike<number>;
  /** Fit unpenalised intercepts (default true). */
  fitIntercept?: boolean;
  /** Stop when max |gradient| ≤ tol · C · Σ weights (default 1e-10). */
  tol?: number;
  /** Newton iterations cap (default 100; a handful is typical). */
  maxIter?: number;
  /** Starting point (e.g. the previous fit in recursive elimination); the optimum does not depend on it. */
  warmStart?: { coef: readonly Float64Array[]; intercept: ArrayLike<number> };
}

/** A fitted model: K = number of classes; `coef` has one row per class (one row when K = 2). */
export interface LogisticModel {
  nClasses: number;
  nFeatures: number;
  /** Row-major coefficient rows (1 × p for binary, K × p otherwise). */
  coef: Float64Array[];
  intercept: Float64Array;
  nIter: number;
  converged: boolean;
  /** Value of the penalised objective at the solution. */
  objective: number;
  /** max |gradient| at the last Newton step (before it was taken). */
  gradientMax: number;
}

/** Builds a row-major matrix from feature columns (one Float64Array per feature). */
export function matrixFromColumns(columns: readonly Float64Array[]): Matrix {
  const cols = columns.length;
  const rows = columns[0]?.length ?? 0;
  const data = new Float64Array(rows * cols);
  columns.forEach((c, j) => {
    if (c.length !== rows) throw new Error('All columns must have the same length.');
    for (let i = 0; i < rows; i++) data[i * cols + j] = c[i]!;
  });
  return { data, rows, cols };
}

/** Per-column mean and population standard deviation (a zero deviation becomes 1), as sklearn's StandardScaler. */
export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

/** Fits a StandardScaler on columns. */
export function fitStandardizer(columns: readonly Float64Array[]): Standardizer {
  const mean = new Float64Array(columns.length);
  const scale = new Float64Array(columns.length);
  columns.forEach((c, j) => {
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i]!;
    const m = s / c.length;
    let ss = 0;
    for (let i = 0; i < c.length; i++) ss += (c[i]! - m) * (c[i]! - m);
    const n = c.length;
    const v = ss / n;
    mean[j] = m;
    // sklearn's `_is_constant_feature`: a variance within rounding of zero leaves the column unscaled.
    const bound = n * Number.EPSILON * v + (n * m * Number.EPSILON) ** 2;
    scale[j] = v <= bound ? 1 : Math.sqrt(v);
  });
  return { mean, scale };
}

/** Applies a fitted standardizer, returning new columns. */
export function standardizeColumns(columns: readonly Float64Array[], s: Standardizer): Float64Array[] {
  return columns.map((c, j) => Float64Array.from(c, (v) => (v - s.mean[j]!) / s.scale[j]!));
}

/** Sample weights combining the optional per-row weights and class weights (sklearn's `compute_class_weight`). */
export function combinedWeights(y: ArrayLike<number>, nClasses: number, options: LogisticOptions): Float64Array {
  const n = y.length;
  const w = new Float64Array(n).fill(1);
  if (options.sampleWeight) {
    if (options.sampleWeight.length !== n) throw new Error('sampleWeight needs one value per row.');
    for (let i = 0; i < n; i++) w[i] = options.sampleWeight[i]!;
  }
  const cw = options.classWeight;
  if (cw === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[y[i]!]! += 1;
    const present = Array.from(counts).filter((c) => c > 0).length;
    for (let i = 0; i < n; i++) w[i]! *= n / (present * counts[y[i]!]!);
  } else if (cw) {
    if (cw.length !== nClasses) throw new Error('classWeight needs one value per class.');
    for (let i = 0; i < n; i++) w[i]! *= cw[y[i]!]!;
  }
  return w;
}

/** In-place Cholesky factorisation of a symmetric d × d matrix (lower triangle); false if not positive definite. */
function cholesky(a: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j]!;
    for (let k = 0; k < j; k++) diag -= a[j * d + k]! * a[j * d + k]!;
    if (!(diag > 0)) return false;
    const l = Math.sqrt(diag);
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = s / l;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b with the factor from `cholesky`, in place on b. */
function choleskySolve(l: Float64Array, d: number, b: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * b[k]!;
    b[i] = s / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * b[k]!;
    b[i] = s / l[i * d + i]!;
  }
}

/**
 * The problem in one parameter vector θ: block k holds (w_k1 … w_kp, b_k) for each of the R
 * score rows (R = 1 for binary, K for multinomial).
 */
interface Problem {
  X: Matrix;
  y: ArrayLike<number>;
  weights: Float64Array;
  C: number;
  rows: number;
  fitIntercept: boolean;
}

const stride = (p: Problem): number => p.X.cols + 1;

/** log(1 + eᶻ) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Scores z_ik = w_k·x_i + b_k into `z` (n × R). */
function scores(p: Problem, theta: Float64Array, z: Float64Array): void {
  const { data, rows: n, cols } = p.X;
  const s = stride(p);
  for (let i = 0; i < n; i++) {
    const off = i * cols;
    for (let k = 0; k < p.rows; k++) {
      const base = k * s;
      let v = theta[base + cols]!;
      for (let j = 0; j < cols; j++) v += theta[base + j]! * data[off + j]!;
      z[i * p.rows + k] = v;
    }
  }
}

/** Penalised objective; fills `prob` (n × R: P(y = 1) for binary, softmax otherwise) as a by-product. */
function objective(p: Problem, theta: Float64Array, z: Float64Array, prob: Float64Array): number {
  scores(p, theta, z);
  const n = p.X.rows;
  const R = p.rows;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const yi = p.y[i]!;
    if (R === 1) {
      const zi = z[i]!;
      loss += p.weights[i]! * (softplus(zi) - (yi === 1 ? zi : 0));
      prob[i] = 1 / (1 + Math.exp(-zi));
    } else {
      let max = -Infinity;
      for (let k = 0; k < R; k++) max = Math.max(max, z[i * R + k]!);
      let sum = 0;
      for (let k = 0; k < R; k++) {
        const e = Math.exp(z[i * R + k]! - max);
        prob[i * R + k] = e;
        sum += e;
      }
      for (let k = 0; k < R; k++) prob[i * R + k]! /= sum;
      loss += p.weights[i]! * (max + Math.log(sum) - z[i * R + yi]!);
    }
  }
  let penalty = 0;
  const s = stride(p);
  for (let k = 0; k < R; k++) for (let j = 0; j < p.X.cols; j++) penalty += theta[k * s + j]! ** 2;
  return p.C * loss + 0.5 * penalty;
}

/**
 * Gradient and Hessian at the probabilities `prob` of the current θ. Every Hessian block
 * (k, l) is Σᵢ cᵢₖₗ xᵢxᵢᵀ, itself symmetric, so only the upper triangle of xᵢxᵢᵀ is formed per
 * row and accumulated into each block; the full matrix is expanded once at the end.
 */
function gradientHessian(p: Problem, theta: Float64Array, prob: Float64Array, g: Float64Array, h: Float64Array): void {
  const { data, rows: n, cols } = p.X;
  const R = p.rows;
  const s = stride(p);
  const d = R * s;
  const tri = (s * (s + 1)) / 2;
  const nBlocks = (R * (R + 1)) / 2;
  g.fill(0);
  const blocks = new Float64Array(nBlocks * tri);
  const x = new Float64Array(s);
  x[cols] = 1;
  const xx = new Float64Array(tri);
  const residual = new Float64Array(R);
  const curvature = new Float64Array(nBlocks);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) x[j] = data[i * cols + j]!;
    const wi = p.weights[i]! * p.C;
    const yi = p.y[i]!;
    if (R === 1) {
      const pi = prob[i]!;
      residual[0] = wi * (pi - (yi === 1 ? 1 : 0));
      curvature[0] = wi * pi * (1 - pi);
    } else {
      let b = 0;
      for (let k = 0; k < R; k++) {
        const pk = prob[i * R + k]!;
        residual[k] = wi * (pk - (yi === k ? 1 : 0));
        for (let l = k; l < R; l++) curvature[b++] = wi * pk * ((k === l ? 1 : 0) - prob[i * R + l]!);
      }
    }
    for (let k = 0; k < R; k++) {
      const rk = residual[k]!;
      for (let a = 0; a < s; a++) g[k * s + a]! += rk * x[a]!;
    }
    let t = 0;
    for (let a = 0; a < s; a++) {
      const xa = x[a]!;
      for (let b = a; b < s; b++) xx[t++] = xa * x[b]!;
    }
    for (let b = 0; b < nBlocks; b++) {
      const c = curvature[b]!;
      if (c === 0) continue;
      const off = b * tri;
      for (let q = 0; q < tri; q++) blocks[off + q]! += c * xx[q]!;
    }
  }
  let b = 0;
  for (let k = 0; k < R; k++) {
    for (let l = k; l < R; l++, b++) {
      let t = b * tri;
      for (let u = 0; u < s; u++) {
        for (let v = u; v < s; v++, t++) {
          const value = blocks[t]!;
          h[(k * s + u) * d + l * s + v] = value;
          h[(k * s + v) * d + l * s + u] = value;
          h[(l * s + u) * d + k * s + v] = value;
          h[(l * s + v) * d + k * s + u] = value;
        }
      }
    }
  }
  for (let k = 0; k < R; k++) {
    for (let j = 0; j < cols; j++) {
      g[k * s + j]! += theta[k * s + j]!;
      h[(k * s + j) * d + k * s + j]! += 1;
    }
  }
}

/** Fits the model; `y` holds class indices 0..K−1 (K ≥ 2 classes must occur). */
export function fitLogistic(X: Matrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const n = X.rows;
  if (y.length !== n) throw new Error('y needs one class index per row.');
  let nClasses = 0;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(y[i]) || y[i]! < 0) throw new Error('y must hold class indices 0..K-1.');
    nClasses = Math.max(nClasses, y[i]! + 1);
    seen.add(y[i]!);
  }
  if (seen.size < 2) throw new Error('Logistic regression needs at least two classes.');
  // An absent class would send its intercept to −∞; callers encode only the classes that occur.
  if (seen.size !== nClasses) throw new Error('y must use every class index 0..K-1.');
  const C = options.C ?? 1;
  if (!(C > 0)) throw new Error('C must be positive.');
  const fitIntercept = options.fitIntercept ?? true;
  const problem: Problem = {
    X,
    y,
    weights: combinedWeights(y, nClasses, options),
    C,
    rows: nClasses === 2 ? 1 : nClasses,
    fitIntercept,
  };
  const R = problem.rows;
  const s = stride(problem);
  const d = R * s;
  const tol =
    (options.tol ?? 1e-10) *
    C *
    Math.max(
      1,
      problem.weights.reduce((a, b) => a + b, 0),
    );
  const maxIter = options.maxIter ?? 100;
  let theta = new Float64Array(d);
  if (fitIntercept && !options.warmStart) {
    // Start from the intercept-only fit's neighbourhood (log class shares): it saves Newton
    // steps, and the optimum does not depend on the start.
    const share = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) share[y[i]!]! += problem.weights[i]!;
    const logs = Array.from(share, (v) => Math.log(v));
    if (R === 1) theta[X.cols] = logs[1]! - logs[0]!;
    else {
      const m = logs.reduce((a, b) => a + b, 0) / R;
      logs.forEach((v, k) => (theta[k * s + X.cols] = v - m));
    }
  }
  if (options.warmStart) {
    const { coef, intercept } = options.warmStart;
    if (coef.length !== R || coef.some((row) => row.length !== X.cols))
      throw new Error('warmStart has the wrong shape.');
    for (let k = 0; k < R; k++) {
      theta.set(coef[k]!, k * s);
      if (fitIntercept) theta[k * s + X.cols] = intercept[k]!;
    }
  }
  const z = new Float64Array(n * R);
  const prob = new Float64Array(n * R);
  const g = new Float64Array(d);
  const h = new Float64Array(d * d);
  let f = objective(problem, theta, z, prob);
  let converged = false;
  let iter = 0;
  let gradientMax = Infinity;
  for (; iter < maxIter; iter++) {
    gradientHessian(problem, theta, prob, g, h);
    if (!fitIntercept) {
      // Pin the intercepts: zero gradient, identity curvature.
      for (let k = 0; k < R; k++) {
        const q = k * s + X.cols;
        g[q] = 0;
        for (let b = 0; b < d; b++) h[q * d + b] = h[b * d + q] = 0;
        h[q * d + q] = 1;
      }
    } else if (R > 1) {
      // Shifting every intercept together leaves the loss unchanged, so H is singular along
      // that direction. The gradient is orthogonal to it, so adding its outer product makes H
      // definite without changing the Newton step.
      for (let k = 0; k < R; k++) for (let l = 0; l < R; l++) h[(k * s + X.cols) * d + l * s + X.cols]! += 1;
    }
    let gmax = 0;
    for (let q = 0; q < d; q++) gmax = Math.max(gmax, Math.abs(g[q]!));
    gradientMax = gmax;
    if (gmax <= tol) {
      converged = true;
      break;
    }
    if (!cholesky(h, d)) {
      // Numerically indefinite (extreme separation): fall back to a gradient step.
      h.fill(0);
      for (let q = 0; q < d; q++) h[q * d + q] = Math.max(1, gmax);
      cholesky(h, d);
    }
    const step = Float64Array.from(g, (v) => -v);
    choleskySolve(h, d, step);
    let slope = 0;
    for (let q = 0; q < d; q++) slope += g[q]! * step[q]!;
    // Backtracking line search (Armijo). Near the optimum the predicted decrease drops below the
    // rounding noise of the objective (a sum of n terms), where Armijo's test is meaningless; the
    // full Newton step is then taken as long as it does not raise the objective beyond that noise.
    const noise = 1e-11 * Math.max(1, Math.abs(f));
    let t = 1;
    const candidate = new Float64Array(d);
    let fNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let q = 0; q < d; q++) candidate[q] = theta[q]! + t * step[q]!;
      fNew = objective(problem, candidate, z, prob);
      if (fNew <= f + 1e-4 * t * slope || (t === 1 && -slope <= noise && fNew <= f + noise)) {
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      // No progress possible in floating point: restore the probabilities of θ and stop.
      objective(problem, theta, z, prob);
      break;
    }
    theta = candidate;
    f = fNew;
    let stepMax = 0;
    let thetaMax = 0;
    for (let q = 0; q < d; q++) {
      stepMax = Math.max(stepMax, Math.abs(t * step[q]!));
      thetaMax = Math.max(thetaMax, Math.abs(theta[q]!));
    }
    if (stepMax <= 1e-15 * (1 + thetaMax)) {
      // The step no longer changes θ: this is as converged as double precision allows.
      converged = true;
      iter++;
      break;
    }
  }
  const coef: Float64Array[] = [];
  const intercept = new Float64Array(R);
  for (let k = 0; k < R; k++) {
    coef.push(theta.slice(k * s, k * s + X.cols));
    intercept[k] = theta[k * s + X.cols]!;
  }
  if (R > 1) {
    const m = intercept.reduce((a, b) => a + b, 0) / R;
    for (let k = 0; k < R; k++) intercept[k]! -= m;
  }
  return { nClasses, nFeatures: X.cols, coef, intercept, nIter: iter, converged, objective: f, gradientMax };
}

/** Raw scores w·x + b, n × R row-major (R = 1 for binary). */
export function decisionFunction(model: LogisticModel, X: Matrix): Float64Array {
  if (X.cols !== model.nFeatures) throw new Error(`Expected ${model.nFeatures} features, got ${X.cols}.`);
  const R = model.coef.length;
  const out = new Float64Array(X.rows * R);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < R; k++) {
      const w = model.coef[k]!;
      let v = model.intercept[k]!;
      for (let j = 0; j < X.cols; j++) v += w[j]! * X.data[i * X.cols + j]!;
      out[i * R + k] = v;
    }
  }
  return out;
}

/** Class probabilities, n × K row-major (binary: columns P(0), P(1), like sklearn's `predict_proba`). */
export function predictProba(model: LogisticModel, X: Matrix): Float64Array {
  const z = decisionFunction(model, X);
  const K = model.nClasses;
  const out = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    if (K === 2) {
      const p1 = 1 / (1 + Math.exp(-z[i]!));
      out[i * 2] = 1 - p1;
      out[i * 2 + 1] = p1;
      continue;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, z[i * K + k]!);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[i * K + k] = Math.exp(z[i * K + k]! - max);
    for (let k = 0; k < K; k++) out[i * K + k]! /= sum;
  }
  return out;
}

/** Most probable class index per row. */
export function predictClass(model: LogisticModel, X: Matrix): Int32Array {
  const p = predictProba(model, X);
  const K = model.nClasses;
  return Int32Array.from({ length: X.rows }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (p[i * K + k]! > p[i * K + best]!) best = k;
    return best;
  });
}

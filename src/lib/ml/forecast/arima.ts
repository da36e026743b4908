/**
 * Seasonal ARIMA(p,d,q)(P,D,Q)[m] fitted by exact Gaussian maximum likelihood.
 *
 * The series is differenced explicitly (like statsmodels' `SARIMAX(simple_differencing=True)`),
 * the differenced series minus its mean (only when d + D = 0) is an ARMA process written in
 * Harvey's state-space form and run through a Kalman filter started from the stationary state
 * covariance, so the likelihood is exact rather than conditional sum of squares. σ² is
 * concentrated out; its MLE is reported as `sigma2`. Coefficients are kept stationary and
 * invertible through statsmodels' PACF transform (Jones 1980 / Monahan 1984), so the bounded
 * optimisation is unconstrained in the transformed space (Nelder-Mead, optimize.ts).
 *
 * Parameter conventions match SARIMAX: x_t = Σ ar_i x_{t−i} + ε_t + Σ ma_j ε_{t−j}. The mean
 * μ is reported with the SARIMAX intercept c = μ·φ(1)·Φ(1). AIC = −2 logL + 2k with k counting
 * AR/MA coefficients, the mean when present, and σ², exactly as SARIMAX counts them.
 *
 * Prediction intervals are analytic: σ²·Σ ψ_j² from the ψ-weights of the integrated model.
 */
import { decompose, seasonalStrength } from './decompose';
import { gaussianInterval } from './intervals';
import { mean as meanOf, variance } from './math';
import { nelderMead } from './optimize';
import { type FitOptions, type FittedModel, type Forecaster, type ForecastResult, usableSeasonPeriod } from './types';

/** Non-seasonal and seasonal orders of a SARIMA model. */
export interface SarimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Season length (1 = no seasonal part). */
  m: number;
}

/** Polynomial product of coefficient arrays (index = power of B). */
export function polyMul(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = out[i + j]! + a[i]! * b[j]!;
  return out;
}

/** statsmodels' `constrain_stationary_univariate`: maps R^n onto the stationary AR coefficients. */
export function constrainStationary(u: ArrayLike<number>): Float64Array {
  const n = u.length;
  const prev = new Float64Array(n);
  const cur = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = u[k]! / Math.sqrt(1 + u[k]! * u[k]!);
    for (let i = 0; i < k; i++) cur[i] = prev[i]! + r * prev[k - i - 1]!;
    cur[k] = r;
    prev.set(cur.subarray(0, k + 1));
  }
  return Float64Array.from(cur, (v) => -v);
}

/** Expanded lag polynomial 1 − Σ ar_i B^i − … as "x_t = Σ c_i x_{t−i}" coefficients c (index 0 unused). */
function expandAr(ar: ArrayLike<number>, sar: ArrayLike<number>, m: number): Float64Array {
  const a = new Float64Array(ar.length + 1);
  a[0] = 1;
  for (let i = 0; i < ar.length; i++) a[i + 1] = -ar[i]!;
  const s = new Float64Array(sar.length * m + 1);
  s[0] = 1;
  for (let i = 0; i < sar.length; i++) s[(i + 1) * m] = -sar[i]!;
  return polyMul(a, s);
}

function expandMa(ma: ArrayLike<number>, sma: ArrayLike<number>, m: number): Float64Array {
  const a = new Float64Array(ma.length + 1);
  a[0] = 1;
  for (let i = 0; i < ma.length; i++) a[i + 1] = ma[i]!;
  const s = new Float64Array(sma.length * m + 1);
  s[0] = 1;
  for (let i = 0; i < sma.length; i++) s[(i + 1) * m] = sma[i]!;
  return polyMul(a, s);
}

/** Differencing polynomial (1 − B)^d (1 − B^m)^D. */
export function differencingPolynomial(d: number, D: number, m: number): Float64Array {
  let poly: Float64Array = Float64Array.of(1);
  for (let i = 0; i < d; i++) poly = polyMul(poly, [1, -1]);
  for (let i = 0; i < D; i++) {
    const s = new Float64Array(m + 1);
    s[0] = 1;
    s[m] = -1;
    poly = polyMul(poly, s);
  }
  return poly;
}

/** Apply (1 − B)^d (1 − B^m)^D; the output is shorter by d + m·D. */
export function difference(y: Float64Array, d: number, D: number, m: number): Float64Array {
  const delta = differencingPolynomial(d, D, m);
  const k = delta.length - 1;
  const out = new Float64Array(Math.max(0, y.length - k));
  for (let t = k; t < y.length; t++) {
    let s = 0;
    for (let j = 0; j <= k; j++) s += delta[j]! * y[t - j]!;
    out[t - k] = s;
  }
  return out;
}

/** Multiply T·M for the companion matrix T (first column `phi`, ones on the superdiagonal). */
function companionLeft(phi: Float64Array, M: Float64Array, r: number, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) out[i * r + j] = phi[i]! * M[j]! + (i + 1 < r ? M[(i + 1) * r + j]! : 0);
  }
}

/** out = T M Tᵀ + R Rᵀ for the companion T. */
function propagate(
  phi: Float64Array,
  R: Float64Array,
  M: Float64Array,
  r: number,
  tmp: Float64Array,
  out: Float64Array,
) {
  companionLeft(phi, M, r, tmp);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      out[i * r + j] = tmp[i * r]! * phi[j]! + (j + 1 < r ? tmp[i * r + j + 1]! : 0) + R[i]! * R[j]!;
    }
  }
}

function matMulInto(A: Float64Array, B: Float64Array, r: number, C: Float64Array, transposeB = false): void {
  C.fill(0);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < r; k++) {
      const a = A[i * r + k]!;
      if (a === 0) continue;
      if (transposeB) for (let j = 0; j < r; j++) C[i * r + j] = C[i * r + j]! + a * B[j * r + k]!;
      else for (let j = 0; j < r; j++) C[i * r + j] = C[i * r + j]! + a * B[k * r + j]!;
    }
  }
}

/** Stationary state covariance Σ = TΣTᵀ + RRᵀ (σ² = 1): doubling for small states, plain iteration otherwise. */
function stationaryCovariance(phi: Float64Array, R: Float64Array, r: number): Float64Array {
  const Q = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) Q[i * r + j] = R[i]! * R[j]!;
  if (r <= 40) {
    // Doubling: Q ← Q + A Q Aᵀ, A ← A², so after k rounds Q sums 2^k terms of the series.
    let A = new Float64Array(r * r);
    for (let i = 0; i < r; i++) {
      A[i * r] = phi[i]!;
      if (i + 1 < r) A[i * r + i + 1] = 1;
    }
    const AQ = new Float64Array(r * r);
    const AQAt = new Float64Array(r * r);
    let A2 = new Float64Array(r * r);
    for (let it = 0; it < 64; it++) {
      matMulInto(A, Q, r, AQ);
      matMulInto(AQ, A, r, AQAt, true);
      for (let i = 0; i < r * r; i++) Q[i] = Q[i]! + AQAt[i]!;
      matMulInto(A, A, r, A2);
      [A, A2] = [A2, A];
      let maxA = 0;
      for (let i = 0; i < r * r; i++) maxA = Math.max(maxA, Math.abs(A[i]!));
      if (maxA < 1e-16) break;
    }
    return Q;
  }
  let P = Float64Array.from(Q);
  const tmp = new Float64Array(r * r);
  let next = new Float64Array(r * r);
  for (let it = 0; it < 20000; it++) {
    propagate(phi, R, P, r, tmp, next);
    let diff = 0;
    for (let i = 0; i < r * r; i++) diff = Math.max(diff, Math.abs(next[i]! - P[i]!));
    [P, next] = [next, P];
    if (diff < 1e-12) break;
  }
  return P;
}

/** Kalman filter output for a zero-mean ARMA series (state covariance in units of σ²). */
export interface ArmaFilterResult {
  /** Σ v_t² / F_t. */
  ssq: number;
  /** Σ log F_t. */
  sumLogF: number;
  innovations: Float64Array;
  /** Predicted state and covariance for the step after the last observation. */
  aNext: Float64Array;
  ok: boolean;
}

/** Exact-likelihood Kalman filter for x_t = Σ c_i x_{t−i} + ε_t + Σ θ_j ε_{t−j} (c, θ expanded, index 0 unused). */
export function armaFilter(x: Float64Array, arPoly: Float64Array, maPoly: Float64Array): ArmaFilterResult {
  const pAr = arPoly.length - 1;
  const qMa = maPoly.length - 1;
  const r = Math.max(pAr, qMa + 1, 1);
  const phi = new Float64Array(r);
  for (let i = 1; i <= pAr; i++) phi[i - 1] = -arPoly[i]!;
  const R = new Float64Array(r);
  R[0] = 1;
  for (let j = 1; j <= qMa; j++) R[j] = maPoly[j]!;
  let P: Float64Array = stationaryCovariance(phi, R, r);
  let Pnext: Float64Array = new Float64Array(r * r);
  const a = new Float64Array(r);
  const innovations = new Float64Array(x.length);
  let ssq = 0;
  let sumLogF = 0;
  let steady = false;
  let ok = true;
  let F = P[0]!;
  for (let t = 0; t < x.length; t++) {
    const v = x[t]! - a[0]!;
    if (!steady) F = P[0]!;
    if (!(F > 0)) {
      ok = false;
      break;
    }
    innovations[t] = v;
    ssq += (v * v) / F;
    sumLogF += Math.log(F);
    // The first state is observed without noise, so the updated state's first element is x_t and
    // a_{t+1} = T·a_{t|t} only needs the gain K = P[:,0]/F.
    const g = v / F;
    const a0 = x[t]!;
    for (let i = 0; i < r; i++) a[i] = phi[i]! * a0 + (i + 1 < r ? a[i + 1]! + P[(i + 1) * r]! * g : 0);
    if (!steady) {
      // Row and column 0 of the updated covariance vanish, so T·P_upd·Tᵀ is P_upd shifted up-left:
      // P_next[i][j] = P[i+1][j+1] − P[i+1][0]·P[j+1][0]/F + R_i R_j.
      let diff = 0;
      const invF = 1 / F;
      for (let i = 0; i < r; i++) {
        const last = i + 1 === r;
        const rowNext = (i + 1) * r;
        const pi0 = last ? 0 : P[rowNext]! * invF;
        const ri = R[i]!;
        for (let j = i; j < r; j++) {
          let val = ri * R[j]!;
          if (!last && j + 1 < r) val += P[rowNext + j + 1]! - pi0 * P[(j + 1) * r]!;
          Pnext[i * r + j] = val;
          Pnext[j * r + i] = val;
          const dv = val - P[i * r + j]!;
          if (dv > diff) diff = dv;
          else if (-dv > diff) diff = -dv;
        }
      }
      const tmpP = P;
      P = Pnext;
      Pnext = tmpP;
      // Once the covariance stops moving the gain is constant: skip the O(r²) update from here on.
      if (diff < 1e-11) steady = true;
    }
  }
  return { ssq, sumLogF, innovations, aNext: Float64Array.from(a), ok: ok && Number.isFinite(ssq) };
}

/** Coefficients of a SARIMA model in SARIMAX's sign convention. */
export interface SarimaCoefficients {
  ar: Float64Array;
  ma: Float64Array;
  sar: Float64Array;
  sma: Float64Array;
  /** Mean of the differenced series (0 when not estimated). */
  mean: number;
}

/** A fitted SARIMA model. */
export interface SarimaFit extends FittedModel {
  readonly order: SarimaOrder;
  readonly includeMean: boolean;
  readonly coefficients: SarimaCoefficients;
  readonly sigma2: number;
  readonly logLik: number;
  readonly aic: number;
  /** Observations in the likelihood (n − d − m·D). */
  readonly nobs: number;
}

/** Concentrated exact log-likelihood of the differenced series for given coefficients. */
export function sarimaLogLik(
  w: Float64Array,
  order: SarimaOrder,
  c: SarimaCoefficients,
  fixedSigma2?: number,
): { logLik: number; sigma2: number; filter: ArmaFilterResult } {
  const x = c.mean === 0 ? w : Float64Array.from(w, (v) => v - c.mean);
  const filter = armaFilter(x, expandAr(c.ar, c.sar, order.m), expandMa(c.ma, c.sma, order.m));
  const n = x.length;
  // σ² concentrated out unless given (the reference tests evaluate at statsmodels' σ²).
  const sigma2 = fixedSigma2 ?? filter.ssq / n;
  const logLik =
    filter.ok && sigma2 > 0
      ? (-n / 2) * Math.log(2 * Math.PI * sigma2) - filter.ssq / (2 * sigma2) - filter.sumLogF / 2
      : -Infinity;
  return { logLik, sigma2, filter };
}

/** Describe an order as ARIMA(p,d,q)(P,D,Q)[m]. */
export function sarimaName(o: SarimaOrder): string {
  const s = o.m > 1 && o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '';
  return `ARIMA(${o.p},${o.d},${o.q})${s}`;
}

/** Build the fitted-model object for fixed coefficients (used by fitting and by the reference tests). */
export function sarimaFromCoefficients(
  y: Float64Array,
  order: SarimaOrder,
  c: SarimaCoefficients,
  includeMean: boolean,
): SarimaFit {
  const m = order.m;
  const w = difference(y, order.d, order.D, m);
  const { logLik, sigma2, filter } = sarimaLogLik(w, order, c);
  const lost = y.length - w.length;
  const fitted = new Float64Array(y.length).fill(NaN);
  const residuals = new Float64Array(y.length).fill(NaN);
  // The one-step prediction error of y equals that of the differenced series.
  for (let t = lost; t < y.length; t++) {
    residuals[t] = filter.innovations[t - lost]!;
    fitted[t] = y[t]! - residuals[t]!;
  }
  const k = order.p + order.q + order.P + order.Q + (includeMean ? 1 : 0) + 1;
  const aic = -2 * logLik + 2 * k;
  const arPoly = expandAr(c.ar, c.sar, m);
  const maPoly = expandMa(c.ma, c.sma, m);
  const params: Record<string, number> = {};
  c.ar.forEach((v, i) => (params[`ar.L${i + 1}`] = v));
  c.ma.forEach((v, i) => (params[`ma.L${i + 1}`] = v));
  c.sar.forEach((v, i) => (params[`ar.S.L${(i + 1) * m}`] = v));
  c.sma.forEach((v, i) => (params[`ma.S.L${(i + 1) * m}`] = v));
  if (includeMean) {
    params.mean = c.mean;
    params.intercept = c.mean * arPoly.reduce((s, v) => s + v, 0);
  }
  params.sigma2 = sigma2;

  const forecast = (h: number, level = 0.8): ForecastResult => {
    // ARMA forecasts of the differenced series: propagate the predicted state without new shocks.
    const r = filter.aNext.length;
    const phi = new Float64Array(r);
    for (let i = 1; i < arPoly.length; i++) phi[i - 1] = -arPoly[i]!;
    let a = Float64Array.from(filter.aNext);
    const wHat = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      wHat[j] = a[0]! + c.mean;
      const next = new Float64Array(r);
      for (let i = 0; i < r; i++) next[i] = phi[i]! * a[0]! + (i + 1 < r ? a[i + 1]! : 0);
      a = next;
    }
    // Undo the differencing: y_t = w_t − Σ_{k≥1} δ_k y_{t−k}.
    const delta = differencingPolynomial(order.d, order.D, m);
    const ext = new Float64Array(y.length + h);
    ext.set(y);
    const mean = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      const t = y.length + j;
      let s = wHat[j]!;
      for (let kk = 1; kk < delta.length; kk++) s -= delta[kk]! * ext[t - kk]!;
      ext[t] = s;
      mean[j] = s;
    }
    // ψ-weights of the integrated model φ(B)Φ(B^m)δ(B) y = θ(B)Θ(B^m) ε.
    const fullAr = polyMul(arPoly, delta);
    const psi = new Float64Array(h);
    const v = new Float64Array(h);
    let acc = 0;
    for (let j = 0; j < h; j++) {
      let s = j < maPoly.length ? maPoly[j]! : 0;
      for (let i = 1; i <= Math.min(j, fullAr.length - 1); i++) s -= fullAr[i]! * psi[j - i]!;
      psi[j] = s;
      acc += s * s;
      v[j] = sigma2 * acc;
    }
    return gaussianInterval(mean, v, level);
  };

  return {
    modelId: 'arima',
    description: sarimaName(order),
    order,
    includeMean,
    coefficients: c,
    sigma2,
    logLik,
    aic,
    nobs: w.length,
    fitted,
    residuals,
    params,
    forecast,
  };
}

/** Fit one SARIMA order by exact maximum likelihood; `includeMean` defaults to d + D = 0. */
/** Options for {@link fitSarima}. */
export interface FitSarimaOptions {
  /** Estimate a mean for the differenced series (default: only when d + D = 0). */
  includeMean?: boolean;
  /** Warm start from a nested model's coefficients (missing lags start at 0). */
  start?: SarimaCoefficients;
  /** Also try a second, non-zero start (default true; the automatic search warm-starts instead). */
  multiStart?: boolean;
}

/** Inverse of {@link constrainStationary} (Levinson-Durbin backwards), for warm starts. */
export function unconstrainStationary(coef: ArrayLike<number>): Float64Array {
  const n = coef.length;
  let cur = Float64Array.from(coef, (v) => -v);
  const u = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const r = Math.max(-0.999999, Math.min(0.999999, cur[k]!));
    u[k] = r / Math.sqrt(1 - r * r);
    const prev = new Float64Array(k);
    for (let i = 0; i < k; i++) prev[i] = (cur[i]! - r * cur[k - i - 1]!) / (1 - r * r);
    cur = prev;
  }
  return u;
}

/** Fit one SARIMA order by exact maximum likelihood. */
export function fitSarima(y: Float64Array, order: SarimaOrder, options: FitSarimaOptions = {}): SarimaFit {
  const m = order.P + order.D + order.Q > 0 ? order.m : 1;
  const o: SarimaOrder = m === 1 ? { ...order, m: 1, P: 0, D: 0, Q: 0 } : order;
  const includeMean = options.includeMean ?? o.d + o.D === 0;
  const w = difference(y, o.d, o.D, o.m);
  if (w.length < o.p + o.q + o.m * (o.P + o.Q) + 3) throw new RangeError(`${sarimaName(o)}: series too short`);
  const scale = Math.sqrt(variance(w)) || 1;
  const mu0 = includeMean ? meanOf(w) : 0;
  const nCoef = o.p + o.q + o.P + o.Q;
  const decode = (x: Float64Array): SarimaCoefficients => {
    let i = 0;
    const take = (k: number) => x.subarray(i, (i += k));
    const ar = constrainStationary(take(o.p));
    const ma = constrainStationary(take(o.q)).map((v) => -v);
    const sar = constrainStationary(take(o.P));
    const sma = constrainStationary(take(o.Q)).map((v) => -v);
    const mean = includeMean ? mu0 + x[i]! * scale : 0;
    return { ar, ma, sar, sma, mean };
  };
  const objective = (x: Float64Array) => -sarimaLogLik(w, o, decode(x)).logLik;
  const dim = nCoef + (includeMean ? 1 : 0);
  let best: { x: Float64Array; f: number } | undefined;
  // Two starts (all coefficients zero, and mildly positive AR / negative MA) guard against the
  // flat ridges the exact likelihood has near the unit circle.
  const starts = [new Float64Array(dim)];
  if (options.start) {
    const st = options.start;
    const pad = (v: Float64Array, k: number) => Float64Array.from({ length: k }, (_, i) => v[i] ?? 0);
    const x = starts[0]!;
    x.set(unconstrainStationary(pad(st.ar, o.p)), 0);
    x.set(unconstrainStationary(pad(st.ma, o.q).map((v) => -v)), o.p);
    x.set(unconstrainStationary(pad(st.sar, o.P)), o.p + o.q);
    x.set(unconstrainStationary(pad(st.sma, o.Q).map((v) => -v)), o.p + o.q + o.P);
    if (includeMean) x[nCoef] = (st.mean - mu0) / scale;
  }
  if ((options.multiStart ?? true) && nCoef > 0)
    starts.push(Float64Array.from({ length: dim }, (_, i) => (i < nCoef ? 0.3 : 0)));
  for (const x0 of starts) {
    const res = nelderMead(objective, x0, {
      step: Array.from({ length: dim }, () => 0.3),
      maxEvaluations: 600 * Math.max(1, dim),
      // 1e-6 in log-likelihood is far below anything AIC can distinguish.
      fTolerance: 1e-6,
      xTolerance: 1e-4,
      // Warm-started searches need fewer confirmation restarts: the start is already near an optimum.
      restarts: options.start ? 1 : 2,
    });
    if (!best || res.f < best.f) best = res;
  }
  return sarimaFromCoefficients(y, o, decode(best!.x), includeMean);
}

/**
 * KPSS level-stationarity statistic with a Bartlett long-run variance, lag ⌊3√n/13⌋ (the
 * "short" lag used by R's forecast::ndiffs). Compare with 0.463, the 5% critical value.
 */
export function kpssStatistic(y: Float64Array): number {
  const n = y.length;
  const mu = meanOf(y);
  const e = Float64Array.from(y, (v) => v - mu);
  let s = 0;
  let eta = 0;
  for (let t = 0; t < n; t++) {
    s += e[t]!;
    eta += s * s;
  }
  const lags = Math.floor((3 * Math.sqrt(n)) / 13);
  let lrv = 0;
  for (let t = 0; t < n; t++) lrv += e[t]! * e[t]!;
  for (let l = 1; l <= lags; l++) {
    let c = 0;
    for (let t = l; t < n; t++) c += e[t]! * e[t - l]!;
    lrv += 2 * (1 - l / (lags + 1)) * c;
  }
  lrv /= n;
  return lrv > 0 ? eta / (n * n * lrv) : 0;
}

/** Search limits for {@link autoSarima} (defaults: p, q ≤ 2; P, Q ≤ 1; d, D ≤ 1). */
export interface AutoSarimaOptions extends FitOptions {
  maxP?: number;
  maxQ?: number;
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
  maxD?: number;
  maxSeasonalD?: number;
  /** Force the differencing orders instead of testing for them. */
  d?: number;
  D?: number;
}

/** The chosen model plus every candidate's AIC, for the UI's "why this order" panel. */
export interface AutoSarimaFit extends SarimaFit {
  readonly candidates: ReadonlyArray<{ description: string; aic: number }>;
}

/**
 * Choose the differencing first (D = 1 when the seasonal strength of a classical decomposition
 * exceeds 0.64, as forecast::nsdiffs; d = 1 when KPSS rejects level stationarity at 5%), then
 * fit every (p, q, P, Q) in the grid and keep the lowest AIC. AICs are only compared within one
 * differencing order: likelihoods of differently differenced series are not comparable.
 */
export function autoSarima(y: Float64Array, options: AutoSarimaOptions = {}): AutoSarimaFit {
  const m = usableSeasonPeriod(y.length, options.seasonPeriod);
  let D = options.D ?? 0;
  if (options.D === undefined && m > 1 && (options.maxSeasonalD ?? 1) > 0 && y.length >= 3 * m) {
    if (seasonalStrength(decompose(y, [m])) > 0.64) D = 1;
  }
  let d = options.d ?? 0;
  if (options.d === undefined && (options.maxD ?? 1) > 0) {
    const w = difference(y, 0, D, m);
    if (kpssStatistic(w) > 0.463) d = 1;
  }
  const seasonalOk = m > 1;
  const candidates: { description: string; aic: number }[] = [];
  let best: SarimaFit | undefined;
  const fits: SarimaFit[] = [];
  for (let p = 0; p <= (options.maxP ?? 2); p++) {
    for (let q = 0; q <= (options.maxQ ?? 2); q++) {
      for (let P = 0; P <= (seasonalOk ? (options.maxSeasonalP ?? 1) : 0); P++) {
        for (let Q = 0; Q <= (seasonalOk ? (options.maxSeasonalQ ?? 1) : 0); Q++) {
          if (options.signal?.cancelled) break;
          const order: SarimaOrder = { p, d, q, P, D, Q, m };
          try {
            // Warm start from the best already-fitted nested model: its optimum is a point of
            // this model's parameter space, so the larger model never fits worse.
            const nested = fits.filter(
              (f) => f.order.p <= p && f.order.q <= q && f.order.P <= P && f.order.Q <= Q && f !== undefined,
            );
            const start = nested.sort((a, b) => b.logLik - a.logLik)[0]?.coefficients;
            const fit = fitSarima(y, order, { start, multiStart: false });
            fits.push(fit);
            candidates.push({ description: fit.description, aic: fit.aic });
            if (Number.isFinite(fit.aic) && (!best || fit.aic < best.aic)) best = fit;
          } catch {
            // Too short for this order: skip it, smaller orders remain.
          }
        }
      }
    }
  }
  if (!best) throw new RangeError('no ARIMA order could be fitted to this series');
  return { ...best, candidates };
}

/** Forecaster for a fixed order, or automatic order selection when `order` is omitted. */
export function arimaForecaster(
  order?: Omit<SarimaOrder, 'm'>,
  searchOptions: Omit<AutoSarimaOptions, 'seasonPeriod'> = {},
): Forecaster {
  return {
    modelId: 'arima',
    fit: (series, options = {}) =>
      order
        ? fitSarima(series, { ...order, m: usableSeasonPeriod(series.length, options.seasonPeriod) })
        : autoSarima(series, { ...searchOptions, ...options }),
  };
}

/**
 * Exponential smoothing in the innovations state-space form (additive errors) of Hyndman et al.
 * (2008), as implemented by statsmodels' `ETSModel`: simple exponential smoothing ETS(A,N,N) and
 * Holt-Winters with additive or damped-additive trend and additive or multiplicative seasonality.
 *
 * Fitting follows `ETSModel(initialization_method='estimated')`:
 * - initial level/trend/seasonal states are estimated jointly with the smoothing weights, started
 *   from statsmodels' `_initialization_heuristic` (Hyndman et al. §2.6: centred moving average
 *   over the first ≤ 5 seasons, then a regression on the first 10 deseasonalised points);
 * - the first seasonal state is pinned (0 additive, 1 multiplicative) so the problem is identified;
 * - the "usual" bounds 0 < α < 1, 0 < β < α, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98 are box bounds on
 *   (α, β/α, γ/(1 − α), φ), each inner bound pulled in by 1e-4;
 * - the objective is the Gaussian log-likelihood with σ² concentrated out, i.e. SSE;
 * - statsmodels uses L-BFGS-B with numerical gradients over everything; ShopSight uses bounded
 *   Nelder-Mead (optimize.ts). For the linear (all-additive) models the initial states are
 *   profiled out: for given weights the errors are affine in the states, so their optimum is a
 *   least-squares solve and the simplex only searches the ≤ 4 weights (two starts). Multiplicative
 *   seasonality keeps the joint search. Both reach the same or a higher likelihood than
 *   statsmodels on the reference set (ann_synthetic: −1095.35 vs −1103.58).
 * AIC counts parameters as statsmodels 0.13 does (all m seasonal states plus σ²), so values compare.
 */
import { bootstrapInterval, gaussianInterval, residualPool } from './intervals';
import { nelderMead } from './optimize';
import { mean as meanOf, variance } from './math';
import {
  type FitOptions,
  type FittedModel,
  type Forecaster,
  type ForecastResult,
  residualsOf,
  usableSeasonPeriod,
} from './types';

/** Trend component of an ETS model. */
export type EtsTrend = 'none' | 'add' | 'add_damped';
/** Seasonal component of an ETS model. */
export type EtsSeasonal = 'none' | 'add' | 'mul';

/** Structure of an ETS model with additive errors. */
export interface EtsConfig {
  trend: EtsTrend;
  seasonal: EtsSeasonal;
}

/** Smoothing weights and initial states; `season[k]` is the seasonal state used at t = k (k < m). */
export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level: number;
  trend: number;
  season: Float64Array;
}

/** Output of one pass of the ETS recursions. */
export interface EtsFilterResult {
  sse: number;
  fitted: Float64Array;
  /** States after the last observation: level, trend and the next m seasonal states (ring order from t = n). */
  finalLevel: number;
  finalTrend: number;
  finalSeason: Float64Array;
  ok: boolean;
}

/** Run the ETS recursions over `y` with fixed parameters (used by fitting, tests and simulation). */
export function etsFilter(y: Float64Array, config: EtsConfig, p: EtsParams, computeFitted = true): EtsFilterResult {
  const n = y.length;
  const m = config.seasonal === 'none' ? 1 : p.season.length;
  const hasTrend = config.trend !== 'none';
  const phi = config.trend === 'add_damped' ? p.phi : 1;
  const ring = config.seasonal === 'none' ? new Float64Array(1) : Float64Array.from(p.season);
  const fitted = computeFitted ? new Float64Array(n) : new Float64Array(0);
  let l = p.level;
  let b = hasTrend ? p.trend : 0;
  let sse = 0;
  let ok = true;
  for (let t = 0; t < n; t++) {
    const k = t % m;
    const base = l + phi * b;
    let yhat: number;
    let e: number;
    if (config.seasonal === 'mul') {
      const s = ring[k]!;
      yhat = base * s;
      e = y[t]! - yhat;
      l = base + (p.alpha * e) / s;
      b = phi * b + (p.beta * e) / s;
      // statsmodels divides by the updated level l_t (Hyndman et al. use l_{t-1} + φb_{t-1}); mirrored for comparability.
      ring[k] = s + (p.gamma * e) / l;
    } else {
      const s = config.seasonal === 'add' ? ring[k]! : 0;
      yhat = base + s;
      e = y[t]! - yhat;
      l = base + p.alpha * e;
      b = phi * b + p.beta * e;
      if (config.seasonal === 'add') ring[k] = s + p.gamma * e;
    }
    if (!hasTrend) b = 0;
    if (computeFitted) fitted[t] = yhat;
    sse += e * e;
  }
  if (!Number.isFinite(sse)) ok = false;
  // Rotate the ring so index 0 is the seasonal state for time n.
  const finalSeason = new Float64Array(config.seasonal === 'none' ? 0 : m);
  for (let j = 0; j < finalSeason.length; j++) finalSeason[j] = ring[(n + j) % m]!;
  return { sse, fitted, finalLevel: l, finalTrend: b, finalSeason, ok };
}

/** statsmodels' `_initialization_heuristic`: starting level, trend and seasonal states. */
export function etsHeuristicStart(
  y: Float64Array,
  config: EtsConfig,
  m: number,
): { level: number; trend: number; season: Float64Array } {
  const n = y.length;
  let base: Float64Array = y;
  let season = new Float64Array(0);
  if (config.seasonal !== 'none') {
    const minObs = 10 + 2 * Math.floor(m / 2);
    if (n < minObs || n < 2 * m) return etsSimpleStart(y, config, m);
    let kCycles = Math.min(5, Math.floor(n / m));
    kCycles = Math.max(kCycles, Math.ceil(minObs / m));
    const len = Math.min(n, m * kCycles);
    const trendMa = centredMovingAverage(y.subarray(0, len), m);
    const sums = new Float64Array(m);
    const counts = new Float64Array(m);
    for (let t = 0; t < len; t++) {
      const tr = trendMa[t]!;
      if (!Number.isFinite(tr)) continue;
      const d = config.seasonal === 'mul' ? y[t]! / tr : y[t]! - tr;
      sums[t % m] = sums[t % m]! + d;
      counts[t % m] = counts[t % m]! + 1;
    }
    season = Float64Array.from(sums, (s, i) => s / counts[i]!);
    const avg = meanOf(season);
    for (let i = 0; i < m; i++) season[i] = config.seasonal === 'mul' ? season[i]! / avg : season[i]! - avg;
    base = Float64Array.from(Array.from(trendMa).filter(Number.isFinite));
  }
  // Least squares of the first 10 points on [1, t + 1]: the intercept is the level one step before t = 0.
  const k = Math.min(10, base.length);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    const x = i + 1;
    sx += x;
    sy += base[i]!;
    sxx += x * x;
    sxy += x * base[i]!;
  }
  const slope = k > 1 ? (k * sxy - sx * sy) / (k * sxx - sx * sx) : 0;
  const level = (sy - slope * sx) / Math.max(1, k);
  return { level, trend: config.trend === 'none' ? 0 : slope, season };
}

function etsSimpleStart(y: Float64Array, config: EtsConfig, m: number) {
  if (config.seasonal === 'none' || y.length < 2 * m) {
    return {
      level: y[0] ?? 0,
      trend: config.trend === 'none' ? 0 : (y[1] ?? 0) - (y[0] ?? 0),
      season: new Float64Array(0),
    };
  }
  const level = meanOf(y.subarray(0, m));
  let trend = 0;
  for (let i = m; i < 2 * m; i++) trend += (y[i]! - y[i - m]!) / m / m;
  const season = Float64Array.from(y.subarray(0, m), (v) => (config.seasonal === 'mul' ? v / level : v - level));
  return { level, trend: config.trend === 'none' ? 0 : trend, season };
}

/** Centred moving average of window m (2×m for even m), NaN where the window is incomplete. */
export function centredMovingAverage(y: Float64Array, m: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n).fill(NaN);
  if (m <= 1) return Float64Array.from(y);
  const half = Math.floor(m / 2);
  for (let t = half; t + half < n; t++) {
    if (m % 2 === 1) {
      let s = 0;
      for (let j = t - half; j <= t + half; j++) s += y[j]!;
      out[t] = s / m;
    } else {
      // 2×m MA: weights 1/2m at both ends, 1/m inside (pandas rolling(m, center) then rolling(2) shift).
      let s = 0.5 * (y[t - half]! + y[t + half]!);
      for (let j = t - half + 1; j < t + half; j++) s += y[j]!;
      out[t] = s / m;
    }
  }
  return out;
}

const EPS = 1e-4;

/** Number of parameters statsmodels counts for AIC (smoothing weights + initial states + σ²). */
export function etsParameterCount(config: EtsConfig, m: number): number {
  let k = 1 + 1; // alpha, level
  if (config.trend !== 'none') k += 2; // beta, initial trend
  if (config.trend === 'add_damped') k += 1; // phi
  if (config.seasonal !== 'none') k += 1 + m; // gamma, m seasonal states
  return k + 1; // sigma2
}

/** Short Hyndman notation, e.g. ETS(A,Ad,M). */
export function etsName(config: EtsConfig): string {
  const t = { none: 'N', add: 'A', add_damped: 'Ad' }[config.trend];
  const s = { none: 'N', add: 'A', mul: 'M' }[config.seasonal];
  return `ETS(A,${t},${s})`;
}

/** Fitted ETS model: parameters, diagnostics, forecasts and intervals. */
export interface EtsFit extends FittedModel {
  readonly config: EtsConfig;
  readonly seasonPeriod: number;
  readonly estimates: EtsParams;
  readonly sse: number;
  readonly logLik: number;
  readonly aic: number;
}

/** Log-likelihood of additive-error ETS with σ² = SSE/n (statsmodels' ETSModel.loglike). */
export function etsLogLik(sse: number, n: number): number {
  return (-n / 2) * (Math.log((2 * Math.PI * sse) / n) + 1);
}

/** Build the fitted-model object for given parameters (no optimisation). */
export function etsFromParams(
  y: Float64Array,
  config: EtsConfig,
  p: EtsParams,
  options: { seed?: number } = {},
): EtsFit {
  const n = y.length;
  const m = config.seasonal === 'none' ? 1 : p.season.length;
  const res = etsFilter(y, config, p);
  const sigma2 = res.sse / n;
  const logLik = etsLogLik(res.sse, n);
  const aic = -2 * logLik + 2 * etsParameterCount(config, m);
  const phi = config.trend === 'add_damped' ? p.phi : 1;
  const beta = config.trend === 'none' ? 0 : p.beta;
  const gamma = config.seasonal === 'none' ? 0 : p.gamma;
  const residuals = residualsOf(y, res.fitted);
  const params: Record<string, number> = { alpha: p.alpha, initialLevel: p.level, sigma2 };
  if (config.trend !== 'none') Object.assign(params, { beta, initialTrend: p.trend });
  if (config.trend === 'add_damped') params.phi = phi;
  if (config.seasonal !== 'none') {
    params.gamma = gamma;
    p.season.forEach((s, i) => (params[`initialSeason${i}`] = s));
  }

  const meanPath = (h: number): Float64Array => {
    const out = new Float64Array(h);
    let phiSum = 0;
    let pw = 1;
    for (let i = 0; i < h; i++) {
      pw *= phi;
      phiSum += pw;
      const base = res.finalLevel + phiSum * res.finalTrend;
      const s = config.seasonal === 'none' ? 0 : res.finalSeason[i % m]!;
      out[i] = config.seasonal === 'mul' ? base * s : base + s;
    }
    return out;
  };

  const simulate = (h: number, shock: () => number): Float64Array => {
    let l = res.finalLevel;
    let b = res.finalTrend;
    const ring = Float64Array.from(res.finalSeason);
    const out = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      const k = i % m;
      const base = l + phi * b;
      const e = shock();
      if (config.seasonal === 'mul') {
        const s = ring[k]!;
        out[i] = base * s + e;
        l = base + (p.alpha * e) / s;
        b = phi * b + (beta * e) / s;
        ring[k] = s + (gamma * e) / l;
      } else {
        const s = config.seasonal === 'add' ? ring[k]! : 0;
        out[i] = base + s + e;
        l = base + p.alpha * e;
        b = phi * b + beta * e;
        if (config.seasonal === 'add') ring[k] = s + gamma * e;
      }
    }
    return out;
  };

  const forecast = (h: number, level = 0.8): ForecastResult => {
    const mu = meanPath(h);
    if (config.seasonal === 'mul') {
      return bootstrapInterval(mu, simulate, residualPool(residuals), level, { seed: options.seed ?? 42 });
    }
    // Class-1 models: var_h = σ²(1 + Σ_{j<h} c_j²), c_j = α + βφ_j + γ·[j ≡ 0 mod m] (Hyndman et al. 2008, Table 6.1).
    const v = new Float64Array(h);
    let acc = 0;
    let phiJ = 0;
    let pw = 1;
    for (let i = 0; i < h; i++) {
      v[i] = sigma2 * (1 + acc);
      const j = i + 1;
      pw *= phi;
      phiJ += pw;
      const c = p.alpha + beta * phiJ + (config.seasonal === 'add' && j % m === 0 ? gamma : 0);
      acc += c * c;
    }
    return gaussianInterval(mu, v, level);
  };

  return {
    modelId: config.seasonal === 'none' && config.trend === 'none' ? 'ses' : 'holt_winters',
    description: etsName(config) + (m > 1 ? `[${m}]` : ''),
    config,
    seasonPeriod: m,
    estimates: p,
    fitted: res.fitted,
    residuals,
    params,
    sse: res.sse,
    logLik,
    aic,
    forecast,
  };
}

/** Fit an additive-error ETS model by maximum likelihood (see the module comment for the recipe). */
export function fitEts(y: Float64Array, config: EtsConfig, options: FitOptions = {}): EtsFit {
  const n = y.length;
  if (n < 3) throw new RangeError('ETS needs at least 3 observations');
  const m = config.seasonal === 'none' ? 1 : usableSeasonPeriod(n, options.seasonPeriod);
  const cfg: EtsConfig = m === 1 ? { ...config, seasonal: 'none' } : config;
  if (cfg.seasonal === 'mul' && y.some((v) => !(v > 0))) {
    throw new RangeError('multiplicative seasonality needs a strictly positive series');
  }
  const hasTrend = cfg.trend !== 'none';
  const damped = cfg.trend === 'add_damped';
  const seasonal = cfg.seasonal !== 'none';
  const start = etsHeuristicStart(y, cfg, m);
  // Pin the first seasonal state; shift (additive) or scale (multiplicative) level and trend to match.
  let level0 = start.level;
  let trend0 = start.trend;
  const season0 = Float64Array.from(start.season);
  if (seasonal) {
    const s0 = season0[0]!;
    if (cfg.seasonal === 'add') {
      level0 += s0;
      for (let i = 0; i < m; i++) season0[i] = season0[i]! - s0;
    } else {
      level0 *= s0;
      trend0 *= s0;
      for (let i = 0; i < m; i++) season0[i] = season0[i]! / s0;
    }
  }
  // States are optimised in units of the series' spread so the simplex is well conditioned.
  const scale = Math.sqrt(variance(y)) || Math.abs(meanOf(y)) || 1;
  const x0: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const steps: number[] = [];
  const add = (x: number, lo: number, hi: number, step: number) => {
    x0.push(x);
    lower.push(lo);
    upper.push(hi);
    steps.push(step);
  };
  // Start values of the smoothing weights as statsmodels: α 0.1, β 0.01, γ 0.01, φ 0.98.
  add(0.1, EPS, 1 - EPS, 0.05);
  if (hasTrend) add(0.1, EPS, 1 - EPS, 0.05);
  if (seasonal) add(0.01 / 0.9, EPS, 1 - EPS, 0.05);
  if (damped) add(0.98, 0.8, 0.98, 0.05);
  const iState = x0.length;
  add(level0 / scale, -Infinity, Infinity, 0.1);
  if (hasTrend) add(trend0 / scale, -Infinity, Infinity, 0.01);
  const seasonScale = cfg.seasonal === 'mul' ? 1 : scale;
  for (let i = 1; i < m && seasonal; i++)
    add(season0[i]! / seasonScale, -Infinity, Infinity, cfg.seasonal === 'mul' ? 0.02 : 0.1);
  const decode = (x: Float64Array): EtsParams => {
    let i = 0;
    const alpha = x[i++]!;
    const beta = hasTrend ? x[i++]! * alpha : 0;
    const gamma = seasonal ? x[i++]! * (1 - alpha) : 0;
    const phi = damped ? x[i]! : 1;
    i = iState;
    const level = x[i++]! * scale;
    const trend = hasTrend ? x[i++]! * scale : 0;
    const s = new Float64Array(seasonal ? m : 0);
    if (seasonal) {
      s[0] = cfg.seasonal === 'mul' ? 1 : 0;
      for (let j = 1; j < m; j++) s[j] = x[i++]! * seasonScale;
    }
    return { alpha, beta, gamma, phi, level, trend, season: s };
  };
  const objective = (x: Float64Array): number => {
    const r = etsFilter(y, cfg, decode(x), false);
    return r.ok && r.sse > 0 ? (n / 2) * Math.log(r.sse / n) : Infinity;
  };
  const joint = () => {
    const opt = nelderMead(objective, x0, {
      lower,
      upper,
      step: steps,
      maxEvaluations: 2000 * x0.length,
      fTolerance: 1e-9,
      xTolerance: 1e-7,
      restarts: 3,
    });
    return { params: decode(opt.x), f: opt.f };
  };
  if (cfg.seasonal === 'mul') return etsFromParams(y, cfg, joint().params, { seed: options.seed });

  // Linear (all-additive) models: the one-step errors are affine in the initial states, so for
  // given smoothing weights the best states solve a small least-squares problem. Nelder-Mead
  // then only searches the ≤ 4 weights (far fewer evaluations than the joint 12-17-dim search).
  const nSmooth = iState;
  const nStates = x0.length - nSmooth;
  const zeros = new Float64Array(n);
  const withStates = (x: Float64Array, states: Float64Array): EtsParams => {
    const full = new Float64Array(x0.length);
    full.set(x.subarray(0, nSmooth));
    full.set(states, nSmooth);
    return decode(full);
  };
  const solveStates = (x: Float64Array): { states: Float64Array; sse: number } | undefined => {
    const base = etsFilter(y, cfg, withStates(x, new Float64Array(nStates)));
    const e0 = Float64Array.from(y, (v, t) => v - base.fitted[t]!);
    // Column k: error response to a unit of state k with y = 0 (errors are −fitted there).
    const cols: Float64Array[] = [];
    for (let k = 0; k < nStates; k++) {
      const unit = new Float64Array(nStates);
      unit[k] = 1;
      cols.push(etsFilter(zeros, cfg, withStates(x, unit)).fitted.map((v) => -v));
    }
    const A = new Float64Array(nStates * nStates);
    const b = new Float64Array(nStates);
    for (let i = 0; i < nStates; i++) {
      for (let j = i; j < nStates; j++) {
        let sum = 0;
        for (let t = 0; t < n; t++) sum += cols[i]![t]! * cols[j]![t]!;
        A[i * nStates + j] = sum;
        A[j * nStates + i] = sum;
      }
      let sb = 0;
      for (let t = 0; t < n; t++) sb -= cols[i]![t]! * e0[t]!;
      b[i] = sb;
    }
    const states = solveSymmetric(A, b, nStates);
    if (!states) return undefined;
    let sse = 0;
    for (let t = 0; t < n; t++) {
      let e = e0[t]!;
      for (let k = 0; k < nStates; k++) e += states[k]! * cols[k]![t]!;
      sse += e * e;
    }
    return Number.isFinite(sse) ? { states, sse } : undefined;
  };
  const profiled = (x: Float64Array): number => {
    const r = solveStates(x);
    return r && r.sse > 0 ? (n / 2) * Math.log(r.sse / n) : Infinity;
  };
  // The profiled surface can be multimodal (e.g. γ at its bound 1 − α on the airline series):
  // start from statsmodels' defaults (α 0.1, γ 0.01) and from α = 0.5, γ/(1 − α) = 0.5; keep the best.
  const starts: number[][] = [0.1, 0.5].map((a0) => {
    const st = x0.slice(0, nSmooth);
    st[0] = a0;
    if (seasonal) st[hasTrend ? 2 : 1] = a0 === 0.1 ? 0.01 / 0.9 : 0.5;
    return st;
  });
  let opt: { x: Float64Array; f: number } | undefined;
  for (const st of starts) {
    const res = nelderMead(profiled, st, {
      lower: lower.slice(0, nSmooth),
      upper: upper.slice(0, nSmooth),
      step: steps.slice(0, nSmooth),
      maxEvaluations: 300 * nSmooth,
      fTolerance: 1e-9,
      xTolerance: 1e-7,
      restarts: 1,
    });
    if (!opt || res.f < opt.f) opt = res;
  }
  if (!opt) return etsFromParams(y, cfg, joint().params, { seed: options.seed });
  const solved = solveStates(opt.x);
  if (!solved) return etsFromParams(y, cfg, joint().params, { seed: options.seed });
  return etsFromParams(y, cfg, withStates(opt.x, solved.states), { seed: options.seed });
}

/** Solve A x = b for a symmetric positive (semi)definite A by Gaussian elimination with partial pivoting and a tiny ridge. */
function solveSymmetric(A: Float64Array, b: Float64Array, k: number): Float64Array | undefined {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  let trace = 0;
  for (let i = 0; i < k; i++) trace += M[i * k + i]!;
  // The ridge only matters for near-collinear states (e.g. a trend that φ damps to nothing).
  for (let i = 0; i < k; i++) M[i * k + i] = M[i * k + i]! + 1e-12 * (trace / k || 1);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]!) > Math.abs(M[piv * k + c]!)) piv = r;
    if (M[piv * k + c] === 0) return undefined;
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        const tmp = M[c * k + j]!;
        M[c * k + j] = M[piv * k + j]!;
        M[piv * k + j] = tmp;
      }
      const tb = x[c]!;
      x[c] = x[piv]!;
      x[piv] = tb;
    }
    for (let r = c + 1; r < k; r++) {
      const f = M[r * k + c]! / M[c * k + c]!;
      if (f === 0) continue;
      for (let j = c; j < k; j++) M[r * k + j] = M[r * k + j]! - f * M[c * k + j]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let sum = x[c]!;
    for (let j = c + 1; j < k; j++) sum -= M[c * k + j]! * x[j]!;
    x[c] = sum / M[c * k + c]!;
  }
  return x;
}

/** Forecaster for one fixed ETS structure. */
export function etsForecaster(config: EtsConfig): Forecaster {
  return {
    modelId: config.trend === 'none' && config.seasonal === 'none' ? 'ses' : 'holt_winters',
    fit: (series, options) => fitEts(series, config, options),
  };
}

/** Fit every admissible additive-error ETS structure and keep the lowest AIC (multiplicative only for positive data). */
export function fitEtsAuto(y: Float64Array, options: FitOptions = {}): EtsFit {
  const m = usableSeasonPeriod(y.length, options.seasonPeriod);
  const positive = y.every((v) => v > 0);
  const seasonals: EtsSeasonal[] = m > 1 ? (positive ? ['none', 'add', 'mul'] : ['none', 'add']) : ['none'];
  let best: EtsFit | undefined;
  for (const trend of ['none', 'add', 'add_damped'] as EtsTrend[]) {
    for (const seasonalKind of seasonals) {
      if (options.signal?.cancelled) break;
      const fit = fitEts(y, { trend, seasonal: seasonalKind }, options);
      if (!best || fit.aic < best.aic) best = fit;
    }
  }
  return { ...best!, modelId: 'ets' };
}

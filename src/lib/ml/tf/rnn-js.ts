/**
 * LSTM and GRU forecasters in plain typed-array JavaScript with hand-written backprop through
 * time and Adam.
 *
 * Why not tf.layers.lstm: for small hidden sizes its time goes into dispatching ~100 small
 * ops per timestep (forward and taped backward), each with engine bookkeeping, not into
 * arithmetic; a 64 × 32 × 128 matmul is only 262 k multiply-adds. Here each timestep is three
 * tight loops over Float64Arrays (V8 runs them faster than Float32Array: no conversions), the
 * gates are fused into one [B, 4H] (or [B, 3H]) block, and nothing is allocated per step.
 * Where WebAssembly SIMD exists (every current browser and Node), the matmuls run in two
 * f32x4 kernels (simd-kernels.ts) on float32 buffers in the kernels' memory, 4× the
 * JavaScript loops; otherwise, or with `simd: false` (the gradient-check tests), everything
 * is float64 JavaScript. See bench/forecast for the measured difference.
 */
import { type SimdKernels, createSimdKernels } from './simd-kernels';

/** The float arrays the engine works on: float64 in JavaScript mode, float32 in SIMD mode. */
export type Vec = Float64Array | Float32Array;

/** Which recurrent cell. */
export type CellType = 'lstm' | 'gru';

/** Shape of a recurrent forecaster: `lookback` steps of `nFeatures` in, `horizon` values out. */
export interface RnnShape {
  cell: CellType;
  units: number;
  lookback: number;
  nFeatures: number;
  horizon: number;
  /**
   * Inputs per window that skip the recurrence and go straight into the dense head (default 0):
   * the horizon's calendar and known covariates, a series one-hot. out = h_T·Wd + e·We + bd.
   */
  nExtra?: number;
  /**
   * Inputs per output step, with weights shared by every step (default 0): the calendar of the
   * date step j forecasts adds Σ_c s[j, c]·ws[c] to output j. Tied weights need k numbers, not
   * H·k·H, so a 90-day horizon learns a weekday or holiday effect from a few hundred windows.
   */
  nStep?: number;
}

/** Parameter blocks, all views into one flat array (so Adam is a single loop). */
interface Params {
  flat: Vec;
  wx: Vec; // [F, G·H]
  wh: Vec; // [H, G·H]
  bx: Vec; // [G·H]
  bh: Vec; // [G·H] (GRU only: the recurrent bias inside r ⊙ (h·Wh + bh))
  wd: Vec; // [H, O]
  bd: Vec; // [O]
  we: Vec; // [E, O] head weights of the extra inputs (empty when E = 0)
  ws: Vec; // [S] weights of the per-step inputs, shared by every output step (empty when S = 0)
}

type Alloc = (n: number) => Vec;
const allocF64: Alloc = (n) => new Float64Array(n);

function paramCount(shape: RnnShape): number {
  const { units: H, nFeatures: F, horizon: O } = shape;
  const GH = gatesOf(shape.cell) * H;
  return (
    F * GH + H * GH + GH + (shape.cell === 'gru' ? GH : 0) + H * O + O + (shape.nExtra ?? 0) * O + (shape.nStep ?? 0)
  );
}

function gatesOf(cell: CellType): number {
  return cell === 'lstm' ? 4 : 3;
}

function layout(shape: RnnShape, alloc: Alloc = allocF64, initial?: ArrayLike<number>): Params {
  const { units: H, nFeatures: F, horizon: O } = shape;
  const GH = gatesOf(shape.cell) * H;
  // The extra-input weights come last, so a model without them keeps its old layout.
  const sizes = [
    F * GH,
    H * GH,
    GH,
    shape.cell === 'gru' ? GH : 0,
    H * O,
    O,
    (shape.nExtra ?? 0) * O,
    shape.nStep ?? 0,
  ];
  const total = paramCount(shape);
  if (initial && initial.length !== total) throw new Error(`Expected ${total} parameters, got ${initial.length}.`);
  const buf = alloc(total);
  if (initial) buf.set(initial);
  const views: Vec[] = [];
  let offset = 0;
  for (const size of sizes) {
    views.push(buf.subarray(offset, offset + size));
    offset += size;
  }
  const [wx, wh, bx, bh, wd, bd, we, ws] = views as [Vec, Vec, Vec, Vec, Vec, Vec, Vec, Vec];
  return { flat: buf, wx, wh, bx, bh, wd, bd, we, ws };
}

/** Glorot-uniform weights from a seeded PRNG; LSTM forget-gate bias 1 (Keras' unit_forget_bias). */
export function initParams(shape: RnnShape, random: () => number): Float64Array {
  const p = layout(shape);
  const H = shape.units;
  const GH = gatesOf(shape.cell) * H;
  const fill = (a: Vec, fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < a.length; i++) a[i] = (random() * 2 - 1) * limit;
  };
  fill(p.wx, shape.nFeatures, GH);
  fill(p.wh, H, GH);
  fill(p.wd, H, shape.horizon);
  if (shape.cell === 'lstm') p.bx.fill(1, H, 2 * H);
  // Drawn after the others, so the same seed gives the same recurrent weights with or without extras.
  if ((shape.nExtra ?? 0) > 0) fill(p.we, shape.nExtra!, shape.horizon);
  return p.flat as Float64Array;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/** tanh through one exp: faster than Math.tanh in V8, exact to rounding, saturates cleanly. */
const tanh = (v: number) => 1 - 2 / (Math.exp(2 * v) + 1);

/** Floats a workspace of capacity `cap` needs (for sizing the SIMD memory). */
function workspaceFloats(shape: RnnShape, cap: number): number {
  const { lookback: T, nFeatures: F, units: H, horizon: O } = shape;
  const GH = gatesOf(shape.cell) * H;
  return (
    T * cap * F +
    T * cap * GH +
    2 * (T + 1) * cap * H +
    T * cap * H +
    2 * cap * O +
    2 * cap * GH +
    3 * cap * H +
    cap * (shape.nExtra ?? 0) +
    cap * O * (shape.nStep ?? 0)
  );
}

/** Scratch buffers for up to `cap` rows (laid out with the batch's own B as stride), reused. */
class Workspace {
  readonly cap: number;
  readonly x: Vec; // [T, B, F] time-major
  readonly acts: Vec; // [T, B, G·H] post-activation gates
  readonly hs: Vec; // [T+1, B, H] (hs[0] = 0)
  readonly cs: Vec; // LSTM: [T+1, B, H] cell; GRU: [T, B, H] h·Whn + bhn
  readonly tanhC: Vec; // LSTM: [T, B, H]
  readonly out: Vec; // [B, O]
  readonly dOut: Vec; // [B, O]
  readonly dz: Vec; // [B, G·H] pre-activation gradient (input side)
  readonly dzh: Vec; // [B, G·H] GRU recurrent-side gradient
  readonly dh: Vec; // [B, H]
  readonly dhPrev: Vec;
  readonly dc: Vec;
  readonly e: Vec; // [B, E] the batch's extra head inputs
  readonly st: Vec; // [B, O, S] the batch's per-step inputs

  constructor(shape: RnnShape, cap: number, alloc: Alloc) {
    const { lookback: T, nFeatures: F, units: H, horizon: O } = shape;
    const GH = gatesOf(shape.cell) * H;
    this.cap = cap;
    this.x = alloc(T * cap * F);
    this.acts = alloc(T * cap * GH);
    this.hs = alloc((T + 1) * cap * H);
    this.cs = alloc((T + 1) * cap * H);
    this.tanhC = alloc(T * cap * H);
    this.out = alloc(cap * O);
    this.dOut = alloc(cap * O);
    this.dz = alloc(cap * GH);
    this.dzh = alloc(cap * GH);
    this.dh = alloc(cap * H);
    this.dhPrev = alloc(cap * H);
    this.dc = alloc(cap * H);
    this.e = alloc(cap * (shape.nExtra ?? 0));
    this.st = alloc(cap * O * (shape.nStep ?? 0));
  }
}

// The three kernels below are unrolled by hand: V8 does not vectorise, and the cost of a
// naive loop is the load and store of the accumulator per multiply-add. Unrolling 8 ways (or
// 2 × 4 for the dot products) measured 3–4× faster on this machine; remainders run plainly.

/** out[b, j] += Σ_k a[b, k] · w[k, j] for rows b < B (a: [B, K], w: [K, J], out: [B, J], offsets). */
export function addMatMul(
  a: Vec,
  aOff: number,
  w: Vec,
  out: Vec,
  outOff: number,
  B: number,
  K: number,
  J: number,
): void {
  const K8 = K - (K % 8);
  for (let b = 0; b < B; b++) {
    const ao = aOff + b * K;
    const oo = outOff + b * J;
    let k = 0;
    for (; k < K8; k += 8) {
      const v0 = a[ao + k]!;
      const v1 = a[ao + k + 1]!;
      const v2 = a[ao + k + 2]!;
      const v3 = a[ao + k + 3]!;
      const v4 = a[ao + k + 4]!;
      const v5 = a[ao + k + 5]!;
      const v6 = a[ao + k + 6]!;
      const v7 = a[ao + k + 7]!;
      const w0 = k * J;
      for (let j = 0; j < J; j++) {
        const q = w0 + j;
        out[oo + j]! +=
          v0 * w[q]! +
          v1 * w[q + J]! +
          v2 * w[q + 2 * J]! +
          v3 * w[q + 3 * J]! +
          v4 * w[q + 4 * J]! +
          v5 * w[q + 5 * J]! +
          v6 * w[q + 6 * J]! +
          v7 * w[q + 7 * J]!;
      }
    }
    for (; k < K; k++) {
      const v = a[ao + k]!;
      const wo = k * J;
      for (let j = 0; j < J; j++) out[oo + j]! += v * w[wo + j]!;
    }
  }
}

/** g[k, j] += Σ_b a[b, k] · d[b, j] (weight gradient; a: [B, K], d: [B, J]). */
export function addOuter(a: Vec, aOff: number, d: Vec, dOff: number, g: Vec, B: number, K: number, J: number): void {
  const B8 = B - (B % 8);
  let b = 0;
  for (; b < B8; b += 8) {
    const a0 = aOff + b * K;
    const d0 = dOff + b * J;
    for (let k = 0; k < K; k++) {
      const x0 = a[a0 + k]!;
      const x1 = a[a0 + K + k]!;
      const x2 = a[a0 + 2 * K + k]!;
      const x3 = a[a0 + 3 * K + k]!;
      const x4 = a[a0 + 4 * K + k]!;
      const x5 = a[a0 + 5 * K + k]!;
      const x6 = a[a0 + 6 * K + k]!;
      const x7 = a[a0 + 7 * K + k]!;
      const go = k * J;
      for (let j = 0; j < J; j++) {
        const q = d0 + j;
        g[go + j]! +=
          x0 * d[q]! +
          x1 * d[q + J]! +
          x2 * d[q + 2 * J]! +
          x3 * d[q + 3 * J]! +
          x4 * d[q + 4 * J]! +
          x5 * d[q + 5 * J]! +
          x6 * d[q + 6 * J]! +
          x7 * d[q + 7 * J]!;
      }
    }
  }
  for (; b < B; b++) {
    const ao = aOff + b * K;
    const dO = dOff + b * J;
    for (let k = 0; k < K; k++) {
      const v = a[ao + k]!;
      const go = k * J;
      for (let j = 0; j < J; j++) g[go + j]! += v * d[dO + j]!;
    }
  }
}

/** out[b, k] = Σ_j d[b, j] · w[k, j] (gradient w.r.t. the input of a matmul). */
export function matMulT(d: Vec, w: Vec, out: Vec, B: number, K: number, J: number): void {
  const B2 = B - (B % 2);
  const K4 = K - (K % 4);
  for (let b = 0; b < B2; b += 2) {
    const dO = b * J;
    const dP = dO + J;
    let k = 0;
    for (; k < K4; k += 4) {
      const w0 = k * J;
      const w1 = w0 + J;
      const w2 = w1 + J;
      const w3 = w2 + J;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let j = 0; j < J; j++) {
        const x = d[dO + j]!;
        const y = d[dP + j]!;
        const q0 = w[w0 + j]!;
        const q1 = w[w1 + j]!;
        const q2 = w[w2 + j]!;
        const q3 = w[w3 + j]!;
        s0 += x * q0;
        s1 += x * q1;
        s2 += x * q2;
        s3 += x * q3;
        t0 += y * q0;
        t1 += y * q1;
        t2 += y * q2;
        t3 += y * q3;
      }
      const o = b * K + k;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
      out[o + K] = t0;
      out[o + K + 1] = t1;
      out[o + K + 2] = t2;
      out[o + K + 3] = t3;
    }
    for (; k < K; k++) {
      const wo = k * J;
      let s = 0;
      let t = 0;
      for (let j = 0; j < J; j++) {
        s += d[dO + j]! * w[wo + j]!;
        t += d[dP + j]! * w[wo + j]!;
      }
      out[b * K + k] = s;
      out[b * K + K + k] = t;
    }
  }
  for (let b = B2; b < B; b++) {
    const dO = b * J;
    for (let k = 0; k < K; k++) {
      const wo = k * J;
      let s = 0;
      for (let j = 0; j < J; j++) s += d[dO + j]! * w[wo + j]!;
      out[b * K + k] = s;
    }
  }
}

/** A recurrent network with a dense multi-step head, trained by BPTT on MSE. */
/** Options of a JsRnn. */
export interface JsRnnOptions {
  /** Use the WebAssembly SIMD kernels when available (default true). */
  simd?: boolean;
  /** Most rows per forward/backward call (the training batch size; default 64). */
  capacity?: number;
}

export class JsRnn {
  readonly shape: RnnShape;
  readonly params: Params;
  readonly #grads: Params;
  readonly #m: Vec;
  readonly #v: Vec;
  #step = 0;
  readonly #ws: Workspace;
  readonly #simd: SimdKernels | null;

  constructor(shape: RnnShape, flat: ArrayLike<number>, options: JsRnnOptions = {}) {
    this.shape = shape;
    const cap = Math.max(1, options.capacity ?? 64);
    const nParams = paramCount(shape);
    // 4 parameter-sized arrays (weights, gradients, Adam's m and v) plus the workspace,
    // each rounded up to 16 bytes so every row the kernels touch is v128-aligned.
    const simd =
      options.simd === false ? null : createSimdKernels(4 * (4 * (nParams + 4) + workspaceFloats(shape, cap) + 64));
    this.#simd = simd;
    let alloc: Alloc = allocF64;
    if (simd) {
      let next = 0;
      alloc = (n) => {
        const view = new Float32Array(simd.memory.buffer, next, n);
        next += Math.ceil((n * 4) / 16) * 16;
        return view;
      };
    }
    this.params = layout(shape, alloc, flat);
    this.#grads = layout(shape, alloc);
    this.#m = alloc(nParams);
    this.#v = alloc(nParams);
    this.#ws = new Workspace(shape, cap, alloc);
  }

  /** Whether the SIMD kernels are in use. */
  get simd(): boolean {
    return this.#simd !== null;
  }

  /** Rows per call this network was sized for. */
  get capacity(): number {
    return this.#ws.cap;
  }

  #workspace(B: number): Workspace {
    if (B > this.#ws.cap) throw new Error(`At most ${this.#ws.cap} rows per call, got ${B}.`);
    return this.#ws;
  }

  // Kernel dispatch: SIMD when rows are whole v128s, JavaScript otherwise (e.g. the dense head).
  #mm(a: Vec, aOff: number, w: Vec, out: Vec, outOff: number, B: number, K: number, J: number): void {
    const k = this.#simd;
    if (k && J % 4 === 0) {
      k.axpyRows(a.byteOffset + aOff * 4, w.byteOffset, out.byteOffset + outOff * 4, B, K, J * 4, 0, J * 4, J * 4, 0);
    } else addMatMul(a, aOff, w, out, outOff, B, K, J);
  }

  #outer(a: Vec, aOff: number, d: Vec, dOff: number, g: Vec, B: number, K: number, J: number): void {
    const k = this.#simd;
    if (k && J % 4 === 0) {
      k.axpyRows(a.byteOffset + aOff * 4, d.byteOffset + dOff * 4, g.byteOffset, B, K, J * 4, J * 4, 0, 0, J * 4);
    } else addOuter(a, aOff, d, dOff, g, B, K, J);
  }

  #mt(d: Vec, w: Vec, out: Vec, B: number, K: number, J: number): void {
    const k = this.#simd;
    if (k && J % 4 === 0) k.dotRows(d.byteOffset, w.byteOffset, out.byteOffset, B, K, J * 4);
    else matMulT(d, w, out, B, K, J);
  }

  /** Forward pass for rows `rows` of `x` ([n, T, F] row-major) and `extra` ([n, E]); predictions land in ws.out. */
  #forward(x: Float32Array, rows: ArrayLike<number>, ws: Workspace, extra?: Float32Array, step?: Float32Array): void {
    const { lookback: T, nFeatures: F, units: H, horizon: O, cell } = this.shape;
    const G = gatesOf(cell);
    const GH = G * H;
    const B = rows.length;
    const { wx, wh, bx, bh, wd, bd } = this.params;
    const xs = ws.x;
    for (let b = 0; b < B; b++) {
      const src = rows[b]! * T * F;
      for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) xs[(t * B + b) * F + f] = x[src + t * F + f]!;
    }
    const acts = ws.acts;
    const hs = ws.hs;
    const cs = ws.cs;
    hs.fill(0, 0, B * H);
    cs.fill(0, 0, B * H);
    for (let t = 0; t < T; t++) {
      const aOff = t * B * GH;
      const hPrev = t * B * H;
      const hNext = (t + 1) * B * H;
      // Input projection and bias first, into the activation block itself.
      for (let b = 0; b < B; b++) acts.set(bx, aOff + b * GH);
      this.#mm(xs, t * B * F, wx, acts, aOff, B, F, GH);
      if (cell === 'lstm') {
        this.#mm(hs, hPrev, wh, acts, aOff, B, H, GH);
        const tc = ws.tanhC;
        for (let b = 0; b < B; b++) {
          const g0 = aOff + b * GH;
          for (let k = 0; k < H; k++) {
            const i = sigmoid(acts[g0 + k]!);
            const f = sigmoid(acts[g0 + H + k]!);
            const g = tanh(acts[g0 + 2 * H + k]!);
            const o = sigmoid(acts[g0 + 3 * H + k]!);
            acts[g0 + k] = i;
            acts[g0 + H + k] = f;
            acts[g0 + 2 * H + k] = g;
            acts[g0 + 3 * H + k] = o;
            const c = f * cs[hPrev + b * H + k]! + i * g;
            cs[hNext + b * H + k] = c;
            const th = tanh(c);
            tc[t * B * H + b * H + k] = th;
            hs[hNext + b * H + k] = o * th;
          }
        }
      } else {
        // GRU (reset after the recurrent matmul, as Keras and cuDNN do): the recurrent
        // projection is needed separately for the candidate, so it goes to the dz scratch.
        const rec = ws.dzh;
        for (let b = 0; b < B; b++) rec.set(bh, b * GH);
        this.#mm(hs, hPrev, wh, rec, 0, B, H, GH);
        const nh = cs; // reused: h·Whn + bhn per step, needed by backprop
        for (let b = 0; b < B; b++) {
          const g0 = aOff + b * GH;
          const r0 = b * GH;
          for (let k = 0; k < H; k++) {
            const z = sigmoid(acts[g0 + k]! + rec[r0 + k]!);
            const r = sigmoid(acts[g0 + H + k]! + rec[r0 + H + k]!);
            const hn = rec[r0 + 2 * H + k]!;
            const n = tanh(acts[g0 + 2 * H + k]! + r * hn);
            acts[g0 + k] = z;
            acts[g0 + H + k] = r;
            acts[g0 + 2 * H + k] = n;
            nh[t * B * H + b * H + k] = hn;
            hs[hNext + b * H + k] = (1 - z) * n + z * hs[hPrev + b * H + k]!;
          }
        }
      }
    }
    const out = ws.out;
    for (let b = 0; b < B; b++) out.set(bd, b * O);
    this.#mm(hs, T * B * H, wd, out, 0, B, H, O);
    const E = this.shape.nExtra ?? 0;
    if (E > 0) {
      if (!extra) throw new Error(`This network takes ${E} extra inputs per window.`);
      const e = ws.e;
      for (let b = 0; b < B; b++) for (let k = 0; k < E; k++) e[b * E + k] = extra[rows[b]! * E + k]!;
      this.#mm(e, 0, this.params.we, out, 0, B, E, O);
    }
    const S = this.shape.nStep ?? 0;
    if (S > 0) {
      if (!step) throw new Error(`This network takes ${S} inputs per output step.`);
      const st = ws.st;
      const w = this.params.ws;
      for (let b = 0; b < B; b++) {
        const src = rows[b]! * O * S;
        for (let j = 0; j < O; j++) {
          let acc = 0;
          for (let c = 0; c < S; c++) {
            const v = step[src + j * S + c]!;
            st[(b * O + j) * S + c] = v;
            acc += v * w[c]!;
          }
          out[b * O + j]! += acc;
        }
      }
    }
  }

  /** Backprop of MSE from ws (after #forward) into the gradient buffers; returns the batch loss. */
  #backward(y: Float32Array, rows: ArrayLike<number>, ws: Workspace): number {
    const { lookback: T, nFeatures: F, units: H, horizon: O, cell } = this.shape;
    const G = gatesOf(cell);
    const GH = G * H;
    const B = rows.length;
    const g = this.#grads;
    g.flat.fill(0);
    const { wh, wd } = this.params;
    const out = ws.out;
    const dOut = ws.dOut;
    let loss = 0;
    const scale = 2 / (B * O);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < O; j++) {
        const e = out[b * O + j]! - y[rows[b]! * O + j]!;
        loss += e * e;
        dOut[b * O + j] = e * scale;
        g.bd[j]! += e * scale;
      }
    }
    this.#outer(ws.hs, T * B * H, dOut, 0, g.wd, B, H, O);
    if ((this.shape.nExtra ?? 0) > 0) this.#outer(ws.e, 0, dOut, 0, g.we, B, this.shape.nExtra!, O);
    const S = this.shape.nStep ?? 0;
    for (let b = 0; b < B && S > 0; b++) {
      for (let j = 0; j < O; j++) {
        const d = dOut[b * O + j]!;
        for (let c = 0; c < S; c++) g.ws[c]! += d * ws.st[(b * O + j) * S + c]!;
      }
    }
    const dh = ws.dh;
    this.#mt(dOut, wd, dh, B, H, O);
    const dc = ws.dc;
    dc.fill(0);
    const dz = ws.dz;
    const dzh = ws.dzh;
    const dhPrev = ws.dhPrev;
    const acts = ws.acts;
    const hs = ws.hs;
    const cs = ws.cs;
    for (let t = T - 1; t >= 0; t--) {
      const aOff = t * B * GH;
      const hPrev = t * B * H;
      if (cell === 'lstm') {
        const tc = ws.tanhC;
        for (let b = 0; b < B; b++) {
          const g0 = aOff + b * GH;
          const d0 = b * GH;
          for (let k = 0; k < H; k++) {
            const i = acts[g0 + k]!;
            const f = acts[g0 + H + k]!;
            const gg = acts[g0 + 2 * H + k]!;
            const o = acts[g0 + 3 * H + k]!;
            const th = tc[t * B * H + b * H + k]!;
            const dhv = dh[b * H + k]!;
            const dcv = dc[b * H + k]! + dhv * o * (1 - th * th);
            dz[d0 + k] = dcv * gg * i * (1 - i);
            dz[d0 + H + k] = dcv * cs[hPrev + b * H + k]! * f * (1 - f);
            dz[d0 + 2 * H + k] = dcv * i * (1 - gg * gg);
            dz[d0 + 3 * H + k] = dhv * th * o * (1 - o);
            dc[b * H + k] = dcv * f;
          }
        }
        this.#outer(hs, hPrev, dz, 0, g.wh, B, H, GH);
        this.#mt(dz, wh, dhPrev, B, H, GH);
      } else {
        const nh = cs;
        for (let b = 0; b < B; b++) {
          const g0 = aOff + b * GH;
          const d0 = b * GH;
          for (let k = 0; k < H; k++) {
            const z = acts[g0 + k]!;
            const r = acts[g0 + H + k]!;
            const n = acts[g0 + 2 * H + k]!;
            const hp = hs[hPrev + b * H + k]!;
            const dhv = dh[b * H + k]!;
            const dan = dhv * (1 - z) * (1 - n * n);
            const daz = dhv * (hp - n) * z * (1 - z);
            const dar = dan * nh[t * B * H + b * H + k]! * r * (1 - r);
            dz[d0 + k] = daz;
            dz[d0 + H + k] = dar;
            dz[d0 + 2 * H + k] = dan;
            dzh[d0 + k] = daz;
            dzh[d0 + H + k] = dar;
            dzh[d0 + 2 * H + k] = dan * r;
            // The direct path h' = … + z ⊙ h; the matmul path is added below.
            dc[b * H + k] = dhv * z;
          }
        }
        this.#outer(hs, hPrev, dzh, 0, g.wh, B, H, GH);
        this.#mt(dzh, wh, dhPrev, B, H, GH);
        for (let i = 0; i < B * H; i++) dhPrev[i]! += dc[i]!;
        for (let b = 0; b < B; b++) for (let j = 0; j < GH; j++) g.bh[j]! += dzh[b * GH + j]!;
      }
      this.#outer(ws.x, t * B * F, dz, 0, g.wx, B, F, GH);
      for (let b = 0; b < B; b++) for (let j = 0; j < GH; j++) g.bx[j]! += dz[b * GH + j]!;
      dh.set(dhPrev);
    }
    return loss / (B * O);
  }

  /** One Adam step on rows `rows`; returns the batch's mean squared error before the step. */
  trainBatch(
    x: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
    learningRate: number,
    extra?: Float32Array,
    step?: Float32Array,
  ): number {
    const ws = this.#workspace(rows.length);
    this.#forward(x, rows, ws, extra, step);
    const loss = this.#backward(y, rows, ws);
    this.#step += 1;
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-7;
    const c1 = 1 - b1 ** this.#step;
    const c2 = 1 - b2 ** this.#step;
    const p = this.params.flat;
    const gr = this.#grads.flat;
    const m = this.#m;
    const v = this.#v;
    const lr = (learningRate * Math.sqrt(c2)) / c1;
    for (let i = 0; i < p.length; i++) {
      const gi = gr[i]!;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const vi = b2 * v[i]! + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i]! -= (lr * mi) / (Math.sqrt(vi) + eps);
    }
    return loss;
  }

  /** Predictions [rows.length, horizon] for windows `rows` of `x` (in chunks of the capacity). */
  predictRows(x: Float32Array, rows: ArrayLike<number>, extra?: Float32Array, step?: Float32Array): Float64Array {
    const O = this.shape.horizon;
    const out = new Float64Array(rows.length * O);
    const all = Int32Array.from(rows);
    for (let s = 0; s < all.length; s += this.#ws.cap) {
      const chunk = all.subarray(s, Math.min(all.length, s + this.#ws.cap));
      this.#forward(x, chunk, this.#ws, extra, step);
      for (let i = 0; i < chunk.length * O; i++) out[s * O + i] = this.#ws.out[i]!;
    }
    return out;
  }

  /** Mean squared error on rows `rows` (forward only, in chunks of the capacity). */
  mse(x: Float32Array, y: Float32Array, rows: Int32Array, extra?: Float32Array, step?: Float32Array): number {
    const O = this.shape.horizon;
    let sum = 0;
    for (let s = 0; s < rows.length; s += this.#ws.cap) {
      const chunk = rows.subarray(s, Math.min(rows.length, s + this.#ws.cap));
      this.#forward(x, chunk, this.#ws, extra, step);
      for (let b = 0; b < chunk.length; b++) {
        for (let j = 0; j < O; j++) {
          const e = this.#ws.out[b * O + j]! - y[chunk[b]! * O + j]!;
          sum += e * e;
        }
      }
    }
    return sum / Math.max(1, rows.length * O);
  }

  /** Gradient of the batch loss w.r.t. every parameter (finite-difference tests). */
  gradient(
    x: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
    extra?: Float32Array,
    step?: Float32Array,
  ): Float64Array {
    const ws = this.#workspace(rows.length);
    this.#forward(x, rows, ws, extra, step);
    this.#backward(y, rows, ws);
    return Float64Array.from(this.#grads.flat);
  }

  /** Forgets Adam's moments (a fresh optimizer for the next fit). */
  resetOptimizer(): void {
    this.#m.fill(0);
    this.#v.fill(0);
    this.#step = 0;
  }
}

/**
 * LSTM and GRU forecasters in plain typed-array JavaScript with hand-written backprop through
 * time and Adam.
 *
 * Why not tf.layers.lstm: for small hidden sizes its time goes into dispatching ~100 small
 * ops per timestep (forward and taped backward), each with engine bookkeeping, not into
 * arithmetic; a 64 × 32 × 128 matmul is only 262 k multiply-adds. Here each timestep is three
 * tight loops over Float64Arrays (V8 runs them faster than Float32Array: no conversions), the
 * gates are fused into one [B, 4H] (or [B, 3H]) block, and nothing is allocated per step.
 * See bench/forecast for the measured difference.
 */

/** Which recurrent cell. */
export type CellType = 'lstm' | 'gru';

/** Shape of a recurrent forecaster: `lookback` steps of `nFeatures` in, `horizon` values out. */
export interface RnnShape {
  cell: CellType;
  units: number;
  lookback: number;
  nFeatures: number;
  horizon: number;
}

/** Parameter blocks, all views into one flat Float64Array (so Adam is a single loop). */
interface Params {
  flat: Float64Array;
  wx: Float64Array; // [F, G·H]
  wh: Float64Array; // [H, G·H]
  bx: Float64Array; // [G·H]
  bh: Float64Array; // [G·H] (GRU only: the recurrent bias inside r ⊙ (h·Wh + bh))
  wd: Float64Array; // [H, O]
  bd: Float64Array; // [O]
}

function gatesOf(cell: CellType): number {
  return cell === 'lstm' ? 4 : 3;
}

function layout(shape: RnnShape, flat?: Float64Array): Params {
  const { units: H, nFeatures: F, horizon: O } = shape;
  const GH = gatesOf(shape.cell) * H;
  const sizes = [F * GH, H * GH, GH, shape.cell === 'gru' ? GH : 0, H * O, O];
  const total = sizes.reduce((a, b) => a + b, 0);
  const buf = flat ?? new Float64Array(total);
  if (buf.length !== total) throw new Error(`Expected ${total} parameters, got ${buf.length}.`);
  const views: Float64Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    views.push(buf.subarray(offset, offset + size));
    offset += size;
  }
  const [wx, wh, bx, bh, wd, bd] = views as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { flat: buf, wx, wh, bx, bh, wd, bd };
}

/** Glorot-uniform weights from a seeded PRNG; LSTM forget-gate bias 1 (Keras' unit_forget_bias). */
export function initParams(shape: RnnShape, random: () => number): Float64Array {
  const p = layout(shape);
  const H = shape.units;
  const GH = gatesOf(shape.cell) * H;
  const fill = (a: Float64Array, fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < a.length; i++) a[i] = (random() * 2 - 1) * limit;
  };
  fill(p.wx, shape.nFeatures, GH);
  fill(p.wh, H, GH);
  fill(p.wd, H, shape.horizon);
  if (shape.cell === 'lstm') p.bx.fill(1, H, 2 * H);
  return p.flat;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/** tanh through one exp: faster than Math.tanh in V8, exact to rounding, saturates cleanly. */
const tanh = (v: number) => 1 - 2 / (Math.exp(2 * v) + 1);

/** Scratch buffers for one batch size, reused across batches. */
class Workspace {
  readonly B: number;
  readonly x: Float64Array; // [T, B, F] time-major
  readonly acts: Float64Array; // [T, B, G·H] post-activation gates
  readonly hs: Float64Array; // [T+1, B, H] (hs[0] = 0)
  readonly cs: Float64Array; // LSTM: [T+1, B, H] cell; GRU: [T, B, H] h·Whn + bhn
  readonly tanhC: Float64Array; // LSTM: [T, B, H]
  readonly out: Float64Array; // [B, O]
  readonly dz: Float64Array; // [B, G·H] pre-activation gradient (input side)
  readonly dzh: Float64Array; // [B, G·H] GRU recurrent-side gradient
  readonly dh: Float64Array; // [B, H]
  readonly dhPrev: Float64Array;
  readonly dc: Float64Array;

  constructor(shape: RnnShape, B: number) {
    const { lookback: T, nFeatures: F, units: H, horizon: O } = shape;
    const GH = gatesOf(shape.cell) * H;
    this.B = B;
    this.x = new Float64Array(T * B * F);
    this.acts = new Float64Array(T * B * GH);
    this.hs = new Float64Array((T + 1) * B * H);
    this.cs = new Float64Array((T + 1) * B * H);
    this.tanhC = new Float64Array(T * B * H);
    this.out = new Float64Array(B * O);
    this.dz = new Float64Array(B * GH);
    this.dzh = new Float64Array(B * GH);
    this.dh = new Float64Array(B * H);
    this.dhPrev = new Float64Array(B * H);
    this.dc = new Float64Array(B * H);
  }
}

// The three kernels below are unrolled by hand: V8 does not vectorise, and the cost of a
// naive loop is the load and store of the accumulator per multiply-add. Unrolling 8 ways (or
// 2 × 4 for the dot products) measured 3–4× faster on this machine; remainders run plainly.

/** out[b, j] += Σ_k a[b, k] · w[k, j] for rows b < B (a: [B, K], w: [K, J], out: [B, J], offsets). */
export function addMatMul(
  a: Float64Array,
  aOff: number,
  w: Float64Array,
  out: Float64Array,
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
export function addOuter(
  a: Float64Array,
  aOff: number,
  d: Float64Array,
  dOff: number,
  g: Float64Array,
  B: number,
  K: number,
  J: number,
): void {
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
export function matMulT(d: Float64Array, w: Float64Array, out: Float64Array, B: number, K: number, J: number): void {
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
export class JsRnn {
  readonly shape: RnnShape;
  readonly params: Params;
  readonly #grads: Params;
  #m: Float64Array;
  #v: Float64Array;
  #step = 0;
  #workspaces = new Map<number, Workspace>();

  constructor(shape: RnnShape, flat: Float64Array) {
    this.shape = shape;
    this.params = layout(shape, flat);
    this.#grads = layout(shape);
    this.#m = new Float64Array(flat.length);
    this.#v = new Float64Array(flat.length);
  }

  #workspace(B: number): Workspace {
    let ws = this.#workspaces.get(B);
    if (!ws) {
      ws = new Workspace(this.shape, B);
      this.#workspaces.set(B, ws);
    }
    return ws;
  }

  /** Forward pass for rows `rows` of `x` ([n, T, F] row-major); predictions land in ws.out. */
  #forward(x: Float32Array, rows: ArrayLike<number>, ws: Workspace): void {
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
      addMatMul(xs, t * B * F, wx, acts, aOff, B, F, GH);
      if (cell === 'lstm') {
        addMatMul(hs, hPrev, wh, acts, aOff, B, H, GH);
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
        addMatMul(hs, hPrev, wh, rec, 0, B, H, GH);
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
    addMatMul(hs, T * B * H, wd, out, 0, B, H, O);
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
    const dOut = new Float64Array(B * O);
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
    addOuter(ws.hs, T * B * H, dOut, 0, g.wd, B, H, O);
    const dh = ws.dh;
    matMulT(dOut, wd, dh, B, H, O);
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
        addOuter(hs, hPrev, dz, 0, g.wh, B, H, GH);
        matMulT(dz, wh, dhPrev, B, H, GH);
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
        addOuter(hs, hPrev, dzh, 0, g.wh, B, H, GH);
        matMulT(dzh, wh, dhPrev, B, H, GH);
        for (let i = 0; i < B * H; i++) dhPrev[i]! += dc[i]!;
        for (let b = 0; b < B; b++) for (let j = 0; j < GH; j++) g.bh[j]! += dzh[b * GH + j]!;
      }
      addOuter(ws.x, t * B * F, dz, 0, g.wx, B, F, GH);
      for (let b = 0; b < B; b++) for (let j = 0; j < GH; j++) g.bx[j]! += dz[b * GH + j]!;
      dh.set(dhPrev);
    }
    return loss / (B * O);
  }

  /** One Adam step on rows `rows`; returns the batch's mean squared error before the step. */
  trainBatch(x: Float32Array, y: Float32Array, rows: ArrayLike<number>, learningRate: number): number {
    const ws = this.#workspace(rows.length);
    this.#forward(x, rows, ws);
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

  /** Predictions [rows.length, horizon] for windows `rows` of `x`. */
  predictRows(x: Float32Array, rows: ArrayLike<number>): Float64Array {
    const ws = this.#workspace(rows.length);
    this.#forward(x, rows, ws);
    return ws.out.slice(0, rows.length * this.shape.horizon);
  }

  /** Mean squared error on rows `rows` (forward only, in chunks of `batch`). */
  mse(x: Float32Array, y: Float32Array, rows: Int32Array, batch = 256): number {
    const O = this.shape.horizon;
    let sum = 0;
    for (let s = 0; s < rows.length; s += batch) {
      const chunk = rows.subarray(s, Math.min(rows.length, s + batch));
      const ws = this.#workspace(chunk.length);
      this.#forward(x, chunk, ws);
      for (let b = 0; b < chunk.length; b++) {
        for (let j = 0; j < O; j++) {
          const e = ws.out[b * O + j]! - y[chunk[b]! * O + j]!;
          sum += e * e;
        }
      }
    }
    return sum / Math.max(1, rows.length * O);
  }

  /** Gradient of the batch loss w.r.t. every parameter (finite-difference tests). */
  gradient(x: Float32Array, y: Float32Array, rows: ArrayLike<number>): Float64Array {
    const ws = this.#workspace(rows.length);
    this.#forward(x, rows, ws);
    this.#backward(y, rows, ws);
    return this.#grads.flat.slice();
  }

  /** Forgets Adam's moments (a fresh optimizer for the next fit). */
  resetOptimizer(): void {
    this.#m.fill(0);
    this.#v.fill(0);
    this.#step = 0;
  }
}

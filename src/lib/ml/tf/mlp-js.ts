/**
 * The MLP's forward pass, hand-derived backward pass and Adam step on typed arrays: the
 * engine `Mlp` uses when TF.js runs on the CPU (wasm or cpu backends).
 *
 * Why: a 256 × 20 → 64 → 1 batch is ~0.7 M multiply-adds, so on a CPU backend TF.js spends
 * most of each step on its ~40 op dispatches (forward, taped backward, four Adam updates),
 * not on arithmetic (bench/forecast/README.md has the profile). Here a step is three matmuls in
 * the f32x4 WebAssembly kernels of simd-kernels.ts over one preallocated memory, a few loops
 * for bias, ReLU, dropout and the loss, and one Adam loop over a flat parameter array; nothing is
 * allocated per batch. With `simd: false` (the gradient-check tests) everything is float64
 * JavaScript. Semantics follow the TF.js path in mlp.ts exactly: softmax cross-entropy with
 * per-row class weights (Σ w·CE / Σ w per batch) or MSE, 0.5 · l2 · Σ‖W‖² on the weight
 * matrices, inverted dropout after each hidden ReLU, and TF.js' Adam (β 0.9 / 0.999, ε 1e-7).
 */
import { type Vec, addMatMul, addOuter, matMulT } from './rnn-js';
import { type MlpKernels, comboRows, createMlpKernels } from './mlp-kernels';

/** Options of a JsMlp. */
export interface JsMlpOptions {
  task: 'classification' | 'regression';
  /** Use the WebAssembly SIMD kernels when available (default true). */
  simd?: boolean;
  /** Most rows per forward/backward call (the training batch size; default 256). */
  capacity?: number;
  l2?: number;
  /** Dropout rate after each hidden layer while training. */
  dropout?: number;
}

type Alloc = (n: number) => Vec;

/** Parameters per layer in serialisation order: W0 [s0, s1], b0 [s1], W1, b1, … */
export function mlpParamCount(sizes: readonly number[]): number {
  let total = 0;
  for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  return total;
}

/** A feed-forward ReLU network whose parameters are views into one flat array. */
export class JsMlp {
  readonly sizes: readonly number[];
  readonly task: 'classification' | 'regression';
  /** All parameters, W0, b0, W1, b1, … (the order of mlp.ts' p0, p1, …). */
  readonly flat: Vec;
  readonly #w: Vec[] = [];
  readonly #b: Vec[] = [];
  readonly #gFlat: Vec;
  readonly #gw: Vec[] = [];
  readonly #gb: Vec[] = [];
  /** Transposed copies [J, K] of weights (and their gradients) whose output width is not whole v128s. */
  readonly #wt: (Vec | null)[] = [];
  readonly #gwt: (Vec | null)[] = [];
  readonly #m: Vec;
  readonly #v: Vec;
  #step = 0;
  /** acts[0] = input rows, acts[l] = layer l's output (post ReLU/dropout for hidden layers). */
  readonly #acts: Vec[] = [];
  readonly #deltas: Vec[] = [];
  readonly #ones: Vec;
  readonly #cap: number;
  readonly #l2: number;
  readonly #dropout: number;
  readonly #simd: MlpKernels | null;

  constructor(sizes: readonly number[], flat: ArrayLike<number>, options: JsMlpOptions) {
    if (sizes.length < 2) throw new Error('An MLP needs at least an input and an output size.');
    this.sizes = sizes.slice();
    this.task = options.task;
    this.#cap = Math.max(1, options.capacity ?? 256);
    this.#l2 = options.l2 ?? 0;
    this.#dropout = options.dropout ?? 0;
    const nParams = mlpParamCount(sizes);
    if (flat.length !== nParams) throw new Error(`Expected ${nParams} parameters, got ${flat.length}.`);
    const L = sizes.length - 1;
    const cap = this.#cap;
    // Floats to reserve: four parameter-sized arrays, activations and deltas per layer, the
    // ones column, transposed copies; each allocation rounds up to 4 floats.
    let floats = 4 * (nParams + 4) + cap + 4;
    for (let l = 0; l <= L; l++) floats += 2 * (cap * sizes[l]! + 4);
    for (let l = 0; l < L; l++) if (sizes[l + 1]! % 4 !== 0) floats += 2 * (sizes[l]! * sizes[l + 1]! + 4);
    const simd = options.simd === false ? null : createMlpKernels(4 * floats + 1024);
    this.#simd = simd;
    let alloc: Alloc = (n) => new Float64Array(n);
    if (simd) {
      let next = 0;
      // Every block starts on 16 bytes so the kernels' v128 rows are aligned.
      alloc = (n) => {
        const view = new Float32Array(simd.memory.buffer, next, n);
        next += Math.ceil((n * 4) / 16) * 16;
        return view;
      };
    }
    // W and b of each layer are views into `flat` (one Adam loop); a block after an odd-sized
    // layer may start off 16 bytes, which v128 loads tolerate (alignment is only a hint).
    this.flat = alloc(nParams);
    this.#gFlat = alloc(nParams);
    this.#m = alloc(nParams);
    this.#v = alloc(nParams);
    this.flat.set(flat);
    let offset = 0;
    for (let l = 0; l < L; l++) {
      const K = sizes[l]!;
      const J = sizes[l + 1]!;
      this.#w.push(this.flat.subarray(offset, offset + K * J));
      this.#gw.push(this.#gFlat.subarray(offset, offset + K * J));
      offset += K * J;
      this.#b.push(this.flat.subarray(offset, offset + J));
      this.#gb.push(this.#gFlat.subarray(offset, offset + J));
      offset += J;
      const transposed = simd && J % 4 !== 0 && K % 4 === 0;
      this.#wt.push(transposed ? alloc(J * K) : null);
      this.#gwt.push(transposed ? alloc(J * K) : null);
    }
    for (let l = 0; l <= L; l++) this.#acts.push(alloc(cap * sizes[l]!));
    for (let l = 0; l <= L; l++) this.#deltas.push(alloc(cap * sizes[l]!));
    this.#ones = alloc(cap);
    this.#ones.fill(1);
    this.#syncTransposed();
  }

  /** Whether the SIMD kernels are in use. */
  get simd(): boolean {
    return this.#simd !== null;
  }

  /** Rows per call this network was sized for. */
  get capacity(): number {
    return this.#cap;
  }

  /** The parameter block `i` in serialisation order (W0, b0, W1, …) with its shape. */
  block(i: number): { shape: number[]; values: Vec } {
    const l = i >> 1;
    return i % 2 === 0
      ? { shape: [this.sizes[l]!, this.sizes[l + 1]!], values: this.#w[l]! }
      : { shape: [this.sizes[l + 1]!], values: this.#b[l]! };
  }

  #syncTransposed(): void {
    for (let l = 0; l < this.#w.length; l++) {
      const wt = this.#wt[l];
      if (!wt) continue;
      const w = this.#w[l]!;
      const K = this.sizes[l]!;
      const J = this.sizes[l + 1]!;
      for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) wt[j * K + k] = w[k * J + j]!;
    }
  }

  // out[B, J] = a[B, K] · W[K, J] + bias for layer l.
  #forwardMatMul(l: number, a: Vec, out: Vec, B: number): void {
    const K = this.sizes[l]!;
    const J = this.sizes[l + 1]!;
    const k = this.#simd;
    const w = this.#w[l]!;
    const bias = this.#b[l]!;
    if (k && J % 4 === 0) {
      for (let b = 0; b < B; b++) out.set(bias, b * J);
      comboRows(k, a.byteOffset, K * 4, 4, w.byteOffset, J * 4, out.byteOffset, J * 4, B, K, J);
    } else if (k && K % 4 === 0) {
      k.dotRows(a.byteOffset, this.#wt[l]!.byteOffset, out.byteOffset, B, J, K * 4);
      for (let b = 0; b < B; b++) for (let j = 0; j < J; j++) out[b * J + j]! += bias[j]!;
    } else {
      for (let b = 0; b < B; b++) out.set(bias, b * J);
      addMatMul(a, 0, w, out, 0, B, K, J);
    }
  }

  // gW += aᵀ · d, gb += Σ_b d, and (when `dIn`) dIn[B, K] = d · Wᵀ for layer l.
  #backwardMatMul(l: number, a: Vec, d: Vec, dIn: Vec | null, B: number): void {
    const K = this.sizes[l]!;
    const J = this.sizes[l + 1]!;
    const k = this.#simd;
    const w = this.#w[l]!;
    const gw = this.#gw[l]!;
    const gb = this.#gb[l]!;
    if (k && J % 4 === 0) {
      comboRows(k, a.byteOffset, 4, K * 4, d.byteOffset, J * 4, gw.byteOffset, J * 4, K, B, J);
      // Σ_b d[b, :] as a product with a row of ones.
      comboRows(k, this.#ones.byteOffset, 0, 4, d.byteOffset, J * 4, gb.byteOffset, 0, 1, B, J);
      if (dIn) k.dotRows(d.byteOffset, w.byteOffset, dIn.byteOffset, B, K, J * 4);
      return;
    }
    for (let b = 0; b < B; b++) for (let j = 0; j < J; j++) gb[j]! += d[b * J + j]!;
    if (k && K % 4 === 0) {
      const gwt = this.#gwt[l]!;
      gwt.fill(0);
      comboRows(k, d.byteOffset, 4, J * 4, a.byteOffset, K * 4, gwt.byteOffset, K * 4, J, B, K);
      for (let kk = 0; kk < K; kk++) for (let j = 0; j < J; j++) gw[kk * J + j]! += gwt[j * K + kk]!;
      if (dIn) {
        dIn.fill(0, 0, B * K);
        comboRows(k, d.byteOffset, J * 4, 4, this.#wt[l]!.byteOffset, K * 4, dIn.byteOffset, K * 4, B, J, K);
      }
      return;
    }
    addOuter(a, 0, d, 0, gw, B, K, J);
    if (dIn) matMulT(d, w, dIn, B, K, J);
  }

  /** Copies rows `rows` of x ([n, sizes[0]] row-major) into the input block. */
  #gather(x: Float32Array, rows: ArrayLike<number>): void {
    const F = this.sizes[0]!;
    const a0 = this.#acts[0]!;
    for (let b = 0; b < rows.length; b++) {
      const src = rows[b]! * F;
      const dst = b * F;
      for (let f = 0; f < F; f++) a0[dst + f] = x[src + f]!;
    }
  }

  /** Forward pass of the gathered rows; `random` turns dropout on (training). */
  #forward(B: number, random: (() => number) | null): Vec {
    const L = this.sizes.length - 1;
    const keep = 1 - this.#dropout;
    const scale = 1 / keep;
    for (let l = 0; l < L; l++) {
      const out = this.#acts[l + 1]!;
      this.#forwardMatMul(l, this.#acts[l]!, out, B);
      if (l + 1 === L) break;
      const n = B * this.sizes[l + 1]!;
      if (random && this.#dropout > 0) {
        for (let i = 0; i < n; i++) {
          const v = out[i]!;
          out[i] = v > 0 && random() < keep ? v * scale : 0;
        }
      } else if (this.#simd && n % 4 === 0) {
        this.#simd.relu(out.byteOffset, n * 4);
      } else {
        for (let i = 0; i < n; i++) if (!(out[i]! > 0)) out[i] = 0;
      }
    }
    return this.#acts[L]!;
  }

  /** Loss terms of the forward output for rows `rows`; fills the output delta when `grad`. */
  #lossTerms(
    out: Vec,
    y: Float32Array,
    rows: ArrayLike<number>,
    rowWeights: ArrayLike<number> | null,
    grad: boolean,
  ): { sum: number; weight: number } {
    const B = rows.length;
    const O = this.sizes[this.sizes.length - 1]!;
    const d = this.#deltas[this.sizes.length - 1]!;
    let sum = 0;
    let weight = 0;
    if (this.task === 'regression') {
      for (let b = 0; b < B; b++) {
        const e = out[b]! - y[rows[b]!]!;
        sum += e * e;
        if (grad) d[b] = (2 * e) / B;
      }
      return { sum, weight: B };
    }
    for (let b = 0; b < B; b++) {
      const label = y[rows[b]!]!;
      const wb = rowWeights ? rowWeights[label]! : 1;
      let max = -Infinity;
      for (let k = 0; k < O; k++) max = Math.max(max, out[b * O + k]!);
      let z = 0;
      for (let k = 0; k < O; k++) z += Math.exp(out[b * O + k]! - max);
      const logZ = max + Math.log(z);
      sum += wb * (logZ - out[b * O + label]!);
      weight += wb;
      if (grad) for (let k = 0; k < O; k++) d[b * O + k] = wb * Math.exp(out[b * O + k]! - logZ);
      if (grad) d[b * O + label]! -= wb;
    }
    if (grad) {
      const inv = weight > 0 ? 1 / weight : 0;
      for (let i = 0; i < B * O; i++) d[i]! *= inv;
    }
    return { sum, weight };
  }

  #penalty(): number {
    if (this.#l2 <= 0) return 0;
    let s = 0;
    for (const w of this.#w) for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
    return 0.5 * this.#l2 * s;
  }

  /** Forward + backward of one batch into the gradient buffers; returns the batch loss. */
  #backprop(
    x: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
    rowWeights: ArrayLike<number> | null,
    random: (() => number) | null,
  ): number {
    const B = rows.length;
    if (B > this.#cap) throw new Error(`At most ${this.#cap} rows per call, got ${B}.`);
    const L = this.sizes.length - 1;
    this.#gather(x, rows);
    const out = this.#forward(B, random);
    const { sum, weight } = this.#lossTerms(out, y, rows, rowWeights, true);
    this.#gFlat.fill(0);
    const scale = this.#dropout > 0 && random ? 1 / (1 - this.#dropout) : 1;
    for (let l = L - 1; l >= 0; l--) {
      const dIn = l > 0 ? this.#deltas[l]! : null;
      this.#backwardMatMul(l, this.#acts[l]!, this.#deltas[l + 1]!, dIn, B);
      if (!dIn) break;
      // Through ReLU and dropout: the output was v · mask, positive exactly where both passed.
      const a = this.#acts[l]!;
      const n = B * this.sizes[l]!;
      if (this.#simd && n % 4 === 0) this.#simd.reluBack(a.byteOffset, dIn.byteOffset, n * 4, scale);
      else for (let i = 0; i < n; i++) dIn[i] = a[i]! > 0 ? dIn[i]! * scale : 0;
    }
    if (this.#l2 > 0) {
      for (let l = 0; l < L; l++) {
        const w = this.#w[l]!;
        const g = this.#gw[l]!;
        for (let i = 0; i < w.length; i++) g[i]! += this.#l2 * w[i]!;
      }
    }
    const data = this.task === 'regression' ? sum / B : weight > 0 ? sum / weight : 0;
    return data + this.#penalty();
  }

  /** One Adam step on rows `rows`; returns the batch loss (data + L2) before the step. */
  trainBatch(
    x: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
    learningRate: number,
    rowWeights: ArrayLike<number> | null = null,
    random: (() => number) | null = null,
  ): number {
    const loss = this.#backprop(x, y, rows, rowWeights, random);
    this.#step += 1;
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-7;
    // TF.js' form: ε is added to the bias-corrected √v̂, not to √v.
    const c1 = 1 - b1 ** this.#step;
    const c2 = 1 - b2 ** this.#step;
    const p = this.flat;
    const gr = this.#gFlat;
    const m = this.#m;
    const v = this.#v;
    for (let i = 0; i < p.length; i++) {
      const gi = gr[i]!;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const vi = b2 * v[i]! + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i]! -= (learningRate * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
    this.#syncTransposed();
    return loss;
  }

  /** Mean loss (data + L2, no dropout) over rows `rows`, as the TF.js path's validation loss. */
  loss(x: Float32Array, y: Float32Array, rows: Int32Array, rowWeights: ArrayLike<number> | null = null): number {
    let sum = 0;
    let weight = 0;
    for (let s = 0; s < rows.length; s += this.#cap) {
      const chunk = rows.subarray(s, Math.min(rows.length, s + this.#cap));
      this.#gather(x, chunk);
      const terms = this.#lossTerms(this.#forward(chunk.length, null), y, chunk, rowWeights, false);
      sum += terms.sum;
      weight += terms.weight;
    }
    return (weight > 0 ? sum / weight : 0) + this.#penalty();
  }

  /** Raw outputs [rows.length, O] (logits, or predictions for regression) in chunks of the capacity. */
  outputs(x: Float32Array, rows: Int32Array): Float32Array {
    const O = this.sizes[this.sizes.length - 1]!;
    const result = new Float32Array(rows.length * O);
    for (let s = 0; s < rows.length; s += this.#cap) {
      const chunk = rows.subarray(s, Math.min(rows.length, s + this.#cap));
      this.#gather(x, chunk);
      const out = this.#forward(chunk.length, null);
      for (let i = 0; i < chunk.length * O; i++) result[s * O + i] = out[i]!;
    }
    return result;
  }

  /** Validation metric: accuracy (classification) or RMSE (regression) on rows `rows`. */
  metric(x: Float32Array, y: Float32Array, rows: Int32Array): number {
    const O = this.sizes[this.sizes.length - 1]!;
    const out = this.outputs(x, rows);
    let s = 0;
    for (let r = 0; r < rows.length; r++) {
      if (this.task === 'regression') {
        s += (out[r]! - y[rows[r]!]!) ** 2;
      } else {
        let best = 0;
        for (let k = 1; k < O; k++) if (out[r * O + k]! > out[r * O + best]!) best = k;
        if (best === y[rows[r]!]) s += 1;
      }
    }
    const mean = s / Math.max(1, rows.length);
    return this.task === 'regression' ? Math.sqrt(mean) : mean;
  }

  /**
   * The batch loss and its gradient w.r.t. every parameter, without an update (finite-difference
   * tests); `random` draws the dropout masks (none when null).
   */
  gradient(
    x: Float32Array,
    y: Float32Array,
    rows: ArrayLike<number>,
    rowWeights: ArrayLike<number> | null = null,
    random: (() => number) | null = null,
  ): { loss: number; grad: Float64Array } {
    const loss = this.#backprop(x, y, rows, rowWeights, random);
    return { loss, grad: Float64Array.from(this.#gFlat) };
  }

  /** Replaces the parameters (early stopping's restore) and refreshes the transposed copies. */
  setParams(values: ArrayLike<number>): void {
    this.flat.set(values);
    this.#syncTransposed();
  }

  /** Forgets Adam's moments (a fresh optimizer for the next fit). */
  resetOptimizer(): void {
    this.#m.fill(0);
    this.#v.fill(0);
    this.#step = 0;
  }
}

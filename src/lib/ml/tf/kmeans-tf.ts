/**
 * The k-means assignment step on the active TF.js backend (webgpu, webgl, wasm or cpu): the
 * n × k squared distances ‖x‖² − 2x·c + ‖c‖² as one matmul per chunk of rows, then the nearest
 * centre. Only the assignment runs here; centres, the stopping rule and the inertia stay in
 * float64 in `ml/segment/kmeans.ts` (`lloydWith`), recomputed from the labels.
 *
 * Float32 distances could flip a near-tie, so each row's gap between its two nearest centres is
 * compared with a bound on the float32 rounding error, and rows inside it are re-assigned in
 * float64 in JS (ties → lowest index, as the JS path). The labels are then the JS path's labels,
 * and so are the centres, iterations and inertia.
 */
import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '../matrix';
import { type AssignStep, type KMeansOptions, type KMeansResult, kmeansWith } from '../segment/kmeans';

/** Options of the TF.js assigner. */
export interface TfAssignerOptions {
  /** Rows per uploaded chunk (bounds the n × k distance block on the GPU; default 65,536). */
  chunkRows?: number;
}

/** What the assigner did, for the result's diagnostics. */
export interface TfAssignStats {
  /** Assignment steps run (Lloyd iterations over all fits). */
  calls: number;
  /** Row assignments decided in float64 because the float32 gap was within the rounding bound. */
  refined: number;
}

/** Unit roundoff of the backend's floats: float32, or float16 on a WebGL without float32 render targets. */
function unitRoundoff(): number {
  const backend = tf.getBackend();
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) return 2 ** -11;
  return 2 ** -24;
}

/** The rows of a matrix uploaded once as float32 tensors, and the assignment step over them. */
export class TfKMeansAssigner {
  /** The TF.js backend the tensors live on. */
  readonly backend: string;
  readonly stats: TfAssignStats = { calls: 0, refined: 0 };
  readonly #x: Matrix;
  readonly #rowNorms: Float64Array;
  #chunks: { start: number; rows: number; x: tf.Tensor2D; norms: tf.Tensor2D }[] = [];

  /** Uploads `x` (row-major) to the active backend in chunks of `chunkRows` rows. */
  constructor(x: Matrix, options: TfAssignerOptions = {}) {
    this.backend = tf.getBackend();
    this.#x = x;
    const { nRows: n, nCols: d } = x;
    const chunkRows = Math.max(1, Math.floor(options.chunkRows ?? 65_536));
    const f32 = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    this.#rowNorms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x.data[i * d + j]! ** 2;
      this.#rowNorms[i] = s;
    }
    try {
      for (let start = 0; start < n; start += chunkRows) {
        const rows = Math.min(chunkRows, n - start);
        const xs = tf.tensor2d(f32.subarray(start * d, (start + rows) * d), [rows, d]);
        const norms = tf.tidy(() => tf.sum(tf.square(xs), 1, true) as tf.Tensor2D);
        this.#chunks.push({ start, rows, x: xs, norms });
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** The assignment step for `lloydWith` / `kmeansWith`. */
  readonly assign: AssignStep = (centers, labels) => this.#assign(centers, labels);

  async #assign(centers: Matrix, labels: Int32Array): Promise<void> {
    const { nRows: k, nCols: d } = centers;
    if (d !== this.#x.nCols) throw new Error(`centres have ${d} columns, the data ${this.#x.nCols}`);
    this.stats.calls++;
    if (k === 1) {
      labels.fill(0);
      return;
    }
    let maxCentreNorm = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += centers.data[c * d + j]! ** 2;
      maxCentreNorm = Math.max(maxCentreNorm, s);
    }
    const c = tf.tensor2d(Float32Array.from(centers.data), [k, d]);
    const parts: tf.Tensor[][] = [];
    try {
      const cNorm = tf.tidy(() => tf.sum(tf.square(c), 1));
      parts.push([cNorm]);
      // Queue every chunk before reading any, so a GPU backend pipelines them.
      const queued: tf.Tensor[][] = [];
      for (const chunk of this.#chunks) {
        const pair = tf.tidy(() => {
          // ‖x‖² is the same for every centre of a row: it changes neither the nearest centre
          // nor the gap to the second nearest, so the argmin is taken on ‖c‖² − 2x·c alone
          // (adding it would only add float32 rounding).
          const partial = tf.sub(cNorm, tf.mul(tf.matMul(chunk.x, c, false, true), 2));
          const { values, indices } = tf.topk(tf.neg(partial), 2);
          const first = tf.squeeze(tf.slice(indices, [0, 0], [-1, 1]), [1]);
          // values are negated distances, descending: first − second = the gap, ≥ 0.
          const gap = tf.squeeze(tf.sub(tf.slice(values, [0, 0], [-1, 1]), tf.slice(values, [0, 1], [-1, 1])), [1]);
          return [first, gap];
        });
        parts.push(pair);
        queued.push(pair);
      }
      const u = unitRoundoff();
      // |error| of one partial distance (float32 inputs, a d-term dot product, the subtraction)
      // ≤ (d + 4)·u·(‖c‖² + 2‖x‖‖c‖) ≤ e = 2(d + 4)·u·(‖c‖² + ‖x‖²). A computed gap above 2e means
      // every other centre is truly farther than the first, so float64 would pick it too; the
      // factor 5 instead of 4 covers the rounding of the gap itself.
      const factor = 5 * (d + 4) * u;
      for (let p = 0; p < queued.length; p++) {
        const chunk = this.#chunks[p]!;
        const [idxT, gapT] = queued[p]!;
        const idx = await idxT!.data();
        const gap = await gapT!.data();
        for (let r = 0; r < chunk.rows; r++) {
          const i = chunk.start + r;
          const tol = factor * (maxCentreNorm + this.#rowNorms[i]!);
          if (gap[r]! > tol) labels[i] = idx[r]!;
          else {
            labels[i] = nearestFloat64(this.#x, i, centers);
            this.stats.refined++;
          }
        }
      }
    } finally {
      c.dispose();
      for (const list of parts) tf.dispose(list);
    }
  }

  /** The full n × k matrix ‖x‖² − 2x·c + ‖c‖² (float32, row-major), e.g. to check it against float64. */
  async squaredDistances(centers: Matrix): Promise<Float32Array> {
    const { nRows: k, nCols: d } = centers;
    const out = new Float32Array(this.#x.nRows * k);
    const c = tf.tensor2d(Float32Array.from(centers.data), [k, d]);
    try {
      for (const chunk of this.#chunks) {
        const dist = tf.tidy(() =>
          tf.add(tf.sub(chunk.norms, tf.mul(tf.matMul(chunk.x, c, false, true), 2)), tf.sum(tf.square(c), 1)),
        );
        try {
          out.set((await dist.data()) as Float32Array, chunk.start * k);
        } finally {
          dist.dispose();
        }
      }
    } finally {
      c.dispose();
    }
    return out;
  }

  /** Frees the uploaded rows. */
  dispose(): void {
    for (const chunk of this.#chunks) tf.dispose([chunk.x, chunk.norms]);
    this.#chunks = [];
  }
}

/** Nearest centre of row i in float64, ties → lowest index (the JS path's rule). */
function nearestFloat64(x: Matrix, i: number, centers: Matrix): number {
  const d = x.nCols;
  let best = Infinity;
  let bestC = 0;
  for (let c = 0; c < centers.nRows; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = x.data[i * d + j]! - centers.data[c * d + j]!;
      s += diff * diff;
    }
    if (s < best) {
      best = s;
      bestC = c;
    }
  }
  return bestC;
}

/** k-means (k-means++ restarts, as `kmeans`) with the assignment on the active TF.js backend. */
export async function kmeansTf(
  x: Matrix,
  k: number,
  options: KMeansOptions & TfAssignerOptions = {},
): Promise<KMeansResult & { stats: TfAssignStats; backend: string }> {
  const assigner = new TfKMeansAssigner(x, options);
  try {
    const fit = await kmeansWith(x, k, assigner.assign, options);
    return { ...fit, stats: { ...assigner.stats }, backend: assigner.backend };
  } finally {
    assigner.dispose();
  }
}

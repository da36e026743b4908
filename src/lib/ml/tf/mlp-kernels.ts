/**
 * Register-blocked f32x4 WebAssembly kernels for the MLP engine (mlp-js.ts), assembled at run
 * time with the encoders of simd-kernels.ts.
 *
 * Why not simd-kernels' axpyRows: it loads and stores the destination row for every
 * multiply-add, which at the MLP's 256 × 20 × 64 leaves it bound by memory traffic. Here a whole
 * destination row tile (up to 64 floats = 16 v128 locals, which V8 keeps in registers) stays in
 * registers over the summed dimension, so each step is one load, one multiply and one add per
 * four floats.
 *   combo{n}(a, aStrideI, aStrideT, src, srcStrideT, dst, dstStrideI, I, T):
 *     dst_row(i)[0 .. 4n) += Σ_{t<T} a[i·aStrideI + t·aStrideT] · src_row(t)[0 .. 4n)
 *     (strides in bytes): x·W (i = row, t = input), aᵀ·d (i = input, t = row), d·Wᵀ, Σ_b d.
 *   relu(ptr, bytes): x = max(x, 0) in place.
 *   reluBack(a, d, bytes, scale): d = a > 0 ? d · scale : 0 (ReLU and inverted dropout).
 *   dotRows: simd-kernels' out[b, k] = Σ_j d[b, j] · w[k, j], on this module's memory.
 * Byte counts and tile widths are multiples of 16; callers handle the rest in JavaScript.
 */
import { I32, V128, dotRowsBody, forLoop, funcType, kernelLoader, memoryModule, op, uleb, vec } from './simd-kernels';

const F32 = 0x7d;
/** Widest row tile in v128s (64 floats). */
export const MAX_TILE = 16;

const load = (offset: number) => [0xfd, 0x00, 0x00, ...uleb(offset)];
const store = (offset: number) => [0xfd, 0x0b, 0x00, ...uleb(offset)];
const f4Max = [0xfd, 0xe9, 0x01];
const f4Gt = [0xfd, 0x44];
const v128And = [0xfd, 0x4e];

function comboBody(n: number): number[] {
  const [a, aSI, aST, src, sST, dst, dSI, I, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, t, ap, sp, dp, s] = [9, 10, 11, 12, 13, 14];
  const acc = (c: number) => 15 + c;
  const tiles = Array.from({ length: n }, (_, c) => c);
  const inner = forLoop(t, T, 1, [
    ...op.get(ap),
    ...op.f32Load,
    ...op.splat,
    ...op.set(s),
    ...tiles.flatMap((c) => [
      ...op.get(acc(c)),
      ...op.get(s),
      ...op.get(sp),
      ...load(16 * c),
      ...op.f4Mul,
      ...op.f4Add,
      ...op.set(acc(c)),
    ]),
    ...op.get(ap),
    ...op.get(aST),
    ...op.add,
    ...op.set(ap),
    ...op.get(sp),
    ...op.get(sST),
    ...op.add,
    ...op.set(sp),
  ]);
  const perI = [
    ...op.get(dst),
    ...op.get(i),
    ...op.get(dSI),
    ...op.mul,
    ...op.add,
    ...op.set(dp),
    ...tiles.flatMap((c) => [...op.get(dp), ...load(16 * c), ...op.set(acc(c))]),
    ...op.get(a),
    ...op.get(i),
    ...op.get(aSI),
    ...op.mul,
    ...op.add,
    ...op.set(ap),
    ...op.get(src),
    ...op.set(sp),
    ...inner,
    ...tiles.flatMap((c) => [...op.get(dp), ...op.get(acc(c)), ...store(16 * c)]),
  ];
  const locals = vec([
    [5, I32],
    [1 + n, V128],
  ]);
  return [...locals, ...forLoop(i, I, 1, perI), ...op.end];
}

function reluBody(): number[] {
  const [ptr, bytes, j] = [0, 1, 2];
  const code = forLoop(j, bytes, 16, [
    ...op.get(ptr),
    ...op.get(j),
    ...op.add,
    ...op.get(ptr),
    ...op.get(j),
    ...op.add,
    ...op.v128Load,
    ...op.v128Zero,
    ...f4Max,
    ...op.v128Store,
  ]);
  return [...vec([[1, I32]]), ...code, ...op.end];
}

function reluBackBody(): number[] {
  const [a, d, bytes, scale, j, sv] = [0, 1, 2, 3, 4, 5];
  const code = [
    ...op.get(scale),
    ...op.splat,
    ...op.set(sv),
    ...forLoop(j, bytes, 16, [
      ...op.get(d),
      ...op.get(j),
      ...op.add,
      ...op.get(d),
      ...op.get(j),
      ...op.add,
      ...op.v128Load,
      ...op.get(sv),
      ...op.f4Mul,
      ...op.get(a),
      ...op.get(j),
      ...op.add,
      ...op.v128Load,
      ...op.v128Zero,
      ...f4Gt,
      ...v128And,
      ...op.v128Store,
    ]),
  ];
  const locals = vec([
    [1, I32],
    [1, V128],
  ]);
  return [...locals, ...code, ...op.end];
}

/** The module's bytes: imports env.memory, exports combo1 … combo16, relu, reluBack, dotRows. */
export function mlpKernelBytes(): Uint8Array {
  return memoryModule(
    [
      funcType(new Array<number>(9).fill(I32)),
      funcType([I32, I32]),
      funcType([I32, I32, I32, F32]),
      funcType(new Array<number>(6).fill(I32)),
    ],
    [
      ...Array.from({ length: MAX_TILE }, (_, c) => ({ name: `combo${c + 1}`, type: 0, body: comboBody(c + 1) })),
      { name: 'relu', type: 1, body: reluBody() },
      { name: 'reluBack', type: 2, body: reluBackBody() },
      { name: 'dotRows', type: 3, body: dotRowsBody() },
    ],
  );
}

type Combo = (
  a: number,
  aStrideI: number,
  aStrideT: number,
  src: number,
  srcStrideT: number,
  dst: number,
  dstStrideI: number,
  I: number,
  T: number,
) => void;

/** The kernels bound to one memory. */
export interface MlpKernels {
  memory: WebAssembly.Memory;
  /** combo[n - 1] works on row tiles of n v128s (4n floats), n = 1 … MAX_TILE. */
  combo: Combo[];
  relu(ptr: number, bytes: number): void;
  reluBack(a: number, d: number, bytes: number, scale: number): void;
  dotRows(d: number, w: number, out: number, B: number, K: number, rowBytes: number): void;
}

const loadKernels = kernelLoader(mlpKernelBytes);

/** Instantiates the kernels on a fresh memory of `bytes` (rounded up to 64 KiB pages); null without SIMD. */
export function createMlpKernels(bytes: number): MlpKernels | null {
  const loaded = loadKernels(bytes);
  if (!loaded) return null;
  const ex = loaded.exports;
  return {
    memory: loaded.memory,
    combo: Array.from({ length: MAX_TILE }, (_, c) => ex[`combo${c + 1}`] as Combo),
    relu: ex.relu as MlpKernels['relu'],
    reluBack: ex.reluBack as MlpKernels['reluBack'],
    dotRows: ex.dotRows as MlpKernels['dotRows'],
  };
}

/**
 * dst_row(i)[0 .. cols) += Σ_t a(i, t) · src_row(t)[0 .. cols) for `cols` a multiple of 4,
 * in tiles of up to 64 floats (byte pointers and strides, as the kernels take them).
 */
export function comboRows(
  k: MlpKernels,
  a: number,
  aStrideI: number,
  aStrideT: number,
  src: number,
  srcStrideT: number,
  dst: number,
  dstStrideI: number,
  I: number,
  T: number,
  cols: number,
): void {
  for (let c0 = 0; c0 < cols; c0 += 4 * MAX_TILE) {
    const n = Math.min(MAX_TILE, (cols - c0) / 4);
    k.combo[n - 1]!(a, aStrideI, aStrideT, src + c0 * 4, srcStrideT, dst + c0 * 4, dstStrideI, I, T);
  }
}

/**
 * Two float32 WebAssembly SIMD kernels for the typed-array RNN engine, assembled at run time
 * from the few opcodes below (no toolchain, no binary blob in the repository, no fetch: the
 * CSP's 'wasm-unsafe-eval' allows compiling bytes).
 *
 * Why: V8 never vectorises JavaScript, and the RNN's matmuls are small (64 × 32 × 128) and
 * many — too small for TF.js dispatch, big enough that 4-lane f32x4 arithmetic pays.
 *   axpyRows: dst_row(b,k) += a[b,k] · src_row(b,k), rows chosen by byte strides — both the
 *             forward matmul (src = W row k, dst = out row b) and the weight gradient
 *             (src = d row b, dst = g row k).
 *   dotRows:  out[b,k] = Σ_j d[b,j] · w[k,j] — the gradient w.r.t. a matmul's input.
 * Row lengths must be multiples of 4 floats; callers fall back to JavaScript otherwise.
 */

// Opcodes used (WebAssembly core + SIMD proposal, both shipped in every current browser and Node ≥ 16).
export const I32 = 0x7f;
export const V128 = 0x7b;
/** The opcodes (shared with mlp-kernels.ts). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  geU: [0x4f],
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  f32Add: [0x92],
  v128Load: [0xfd, 0x00, 0x00, 0x00],
  v128Store: [0xfd, 0x0b, 0x00, 0x00],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  splat: [0xfd, 0x13],
  lane: (i: number) => [0xfd, 0x1f, i],
  f4Add: [0xfd, 0xe4, 0x01],
  f4Mul: [0xfd, 0xe6, 0x01],
};

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
export const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** `for (i = 0; i < limit; i += step) body` as a block/loop pair. */
export function forLoop(i: number, limit: number, step: number, body: number[]): number[] {
  return [
    ...op.i32(0),
    ...op.set(i),
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...op.get(limit),
    ...op.geU,
    ...op.brIf(1),
    ...body,
    ...op.get(i),
    ...op.i32(step),
    ...op.add,
    ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

// axpyRows(a, src, dst, B, K, rowBytes, srcStrideB, srcStrideK, dstStrideB, dstStrideK)
function axpyRowsBody(): number[] {
  const [a, src, dst, B, K, rowBytes, sSB, sSK, dSB, dSK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [b, k, j, s, d, v] = [10, 11, 12, 13, 14, 15];
  const inner = forLoop(j, rowBytes, 16, [
    ...op.get(d),
    ...op.get(j),
    ...op.add,
    ...op.get(d),
    ...op.get(j),
    ...op.add,
    ...op.v128Load,
    ...op.get(v),
    ...op.get(s),
    ...op.get(j),
    ...op.add,
    ...op.v128Load,
    ...op.f4Mul,
    ...op.f4Add,
    ...op.v128Store,
  ]);
  const perK = [
    ...op.get(a),
    ...op.f32Load,
    ...op.splat,
    ...op.set(v),
    ...op.get(a),
    ...op.i32(4),
    ...op.add,
    ...op.set(a),
    ...op.get(src),
    ...op.get(b),
    ...op.get(sSB),
    ...op.mul,
    ...op.add,
    ...op.get(k),
    ...op.get(sSK),
    ...op.mul,
    ...op.add,
    ...op.set(s),
    ...op.get(dst),
    ...op.get(b),
    ...op.get(dSB),
    ...op.mul,
    ...op.add,
    ...op.get(k),
    ...op.get(dSK),
    ...op.mul,
    ...op.add,
    ...op.set(d),
    ...inner,
  ];
  const code = forLoop(b, B, 1, forLoop(k, K, 1, perK));
  const locals = vec([
    [5, I32],
    [1, V128],
  ]);
  return [...locals, ...code, ...op.end];
}

// dotRows(d, w, out, B, K, rowBytes)
/** The dotRows function body (mlp-kernels.ts includes it in its own module). */
export function dotRowsBody(): number[] {
  const [dPtr, wPtr, out, B, K, rowBytes] = [0, 1, 2, 3, 4, 5];
  const [b, k, j, dr, wr, acc] = [6, 7, 8, 9, 10, 11];
  const inner = forLoop(j, rowBytes, 16, [
    ...op.get(acc),
    ...op.get(dr),
    ...op.get(j),
    ...op.add,
    ...op.v128Load,
    ...op.get(wr),
    ...op.get(j),
    ...op.add,
    ...op.v128Load,
    ...op.f4Mul,
    ...op.f4Add,
    ...op.set(acc),
  ]);
  const perK = [
    ...op.v128Zero,
    ...op.set(acc),
    ...inner,
    ...op.get(out),
    ...op.get(acc),
    ...op.lane(0),
    ...op.get(acc),
    ...op.lane(1),
    ...op.f32Add,
    ...op.get(acc),
    ...op.lane(2),
    ...op.get(acc),
    ...op.lane(3),
    ...op.f32Add,
    ...op.f32Add,
    ...op.f32Store,
    ...op.get(out),
    ...op.i32(4),
    ...op.add,
    ...op.set(out),
    ...op.get(wr),
    ...op.get(rowBytes),
    ...op.add,
    ...op.set(wr),
  ];
  const perB = [
    ...op.get(wPtr),
    ...op.set(wr),
    ...forLoop(k, K, 1, perK),
    ...op.get(dr),
    ...op.get(rowBytes),
    ...op.add,
    ...op.set(dr),
  ];
  const code = [...op.get(dPtr), ...op.set(dr), ...forLoop(b, B, 1, perB)];
  const locals = vec([
    [5, I32],
    [1, V128],
  ]);
  return [...locals, ...code, ...op.end];
}

/** A function type with these parameters and no result. */
export const funcType = (params: number[]) => [0x60, ...uleb(params.length), ...params, 0x00];

/** One exported function of a kernel module: its name, its index into the types, its body. */
export interface KernelFunction {
  name: string;
  type: number;
  body: number[];
}

/** A module that imports `env.memory` and exports `functions` under their names, in order. */
export function memoryModule(types: number[][], functions: KernelFunction[]): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const typeSection = section(1, vec(types));
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec(functions.map((f) => uleb(f.type))));
  const exports = section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(10, vec(functions.map((f) => [...uleb(f.body.length), ...f.body])));
  return Uint8Array.from([...header, ...typeSection, ...imports, ...funcs, ...exports, ...code]);
}

/**
 * Compiles the module `bytes()` once, on first use, and then instantiates it on a fresh memory
 * of the requested size (rounded up to 64 KiB pages) per call; null when the engine lacks SIMD.
 */
export function kernelLoader(
  bytes: () => Uint8Array,
): (memoryBytes: number) => { memory: WebAssembly.Memory; exports: Record<string, unknown> } | null {
  let compiled: WebAssembly.Module | null | undefined;
  return (memoryBytes) => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(bytes() as BufferSource);
      } catch {
        compiled = null;
      }
    }
    if (!compiled) return null;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(memoryBytes / 65536)) });
    const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as Record<string, unknown>;
    return { memory, exports };
  };
}

/** The module's bytes: imports env.memory, exports axpyRows and dotRows. */
export function kernelModuleBytes(): Uint8Array {
  return memoryModule(
    [funcType(new Array<number>(10).fill(I32)), funcType(new Array<number>(6).fill(I32))],
    [
      { name: 'axpyRows', type: 0, body: axpyRowsBody() },
      { name: 'dotRows', type: 1, body: dotRowsBody() },
    ],
  );
}

/** Compiled kernels bound to one memory. */
export interface SimdKernels {
  memory: WebAssembly.Memory;
  axpyRows(...args: number[]): void;
  dotRows(...args: number[]): void;
}

const loadKernels = kernelLoader(kernelModuleBytes);

/** Instantiates the kernels on a fresh memory of `bytes` (rounded up to 64 KiB pages); null without SIMD. */
export function createSimdKernels(bytes: number): SimdKernels | null {
  const loaded = loadKernels(bytes);
  if (!loaded) return null;
  const ex = loaded.exports as unknown as Omit<SimdKernels, 'memory'>;
  return { memory: loaded.memory, axpyRows: ex.axpyRows, dotRows: ex.dotRows };
}

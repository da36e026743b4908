/**
 * Picks the TF.js backend by measuring, never by "WebGPU exists".
 *
 * On a machine without a real GPU, Chromium still offers WebGL and (with flags) WebGPU on
 * SwiftShader, a CPU emulation that is 4–50× slower than the wasm backend (STACK-NOTES). So
 * each backend is initialised and timed on a small matmul, software GPU adapters are flagged,
 * and a flagged one never wins over wasm. `chooseBackend` is the pure decision (tested in
 * Node); `probeBackends` does the browser probing around it.
 */
import * as tf from '@tensorflow/tfjs';

/** The backends ShopSight knows how to use, in the order they are probed. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Every backend name, probe order. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What probing learnt about one backend. */
export interface BackendCandidate {
  name: BackendName;
  available: boolean;
  /** A software (CPU-emulated) GPU adapter such as SwiftShader or llvmpipe. */
  software: boolean;
  /** Milliseconds per timed matmul, null when not measured. */
  msPerOp: number | null;
  /** The GPU adapter or renderer description, when one was found. */
  adapter?: string;
  error?: string;
}

/** The backend in use and how it was chosen. */
export interface BackendReport {
  active: BackendName;
  candidates: BackendCandidate[];
  /** Why `active` won, in English words (diagnostics and logs). */
  reason: string;
  /** The same as a message key and params, which the UI translates (`backend.reason.*`). */
  reasonKey: BackendReasonKey;
  reasonParams: Record<string, string | number>;
  /** The user's override, when one was asked for (it may have been unavailable). */
  override?: BackendName;
}

/** Why a backend was chosen, as a message key (`backend.reason.<key>` in the UI catalogues). */
export type BackendReasonKey =
  | 'override'
  | 'fastest'
  | 'fallback'
  | 'nothing'
  | 'overrideUnavailableFastest'
  | 'overrideUnavailableFallback'
  | 'overrideUnavailableNothing';

/** A choice of backend with its reason in English and as a key + params. */
export interface BackendChoice {
  name: BackendName;
  reason: string;
  reasonKey: BackendReasonKey;
  reasonParams: Record<string, string | number>;
}

/** Whether a WebGL renderer or WebGPU adapter description names a software rasteriser. */
export function isSoftwareRenderer(description: string | null | undefined): boolean {
  return /swiftshader|llvmpipe|softpipe|software|lavapipe|microsoft basic render/i.test(description ?? '');
}

/** The pure decision: override if usable, else the fastest measured backend, software GPUs never above wasm. */
export function chooseBackend(candidates: readonly BackendCandidate[], override?: BackendName): BackendChoice {
  const usable = candidates.filter((c) => c.available);
  if (override) {
    const wanted = usable.find((c) => c.name === override);
    if (wanted)
      return {
        name: override,
        reason: `user override (${override})`,
        reasonKey: 'override',
        reasonParams: { backend: override },
      };
  }
  // With an unavailable override, every reason says so first (the params then carry `override`).
  const lost: Record<string, string> = override ? { override } : {};
  const key = (base: 'fastest' | 'fallback' | 'nothing'): BackendReasonKey =>
    override ? (`overrideUnavailable${base[0]!.toUpperCase()}${base.slice(1)}` as BackendReasonKey) : base;
  const wasm = usable.find((c) => c.name === 'wasm');
  const ranked = usable
    // A software GPU is emulated on the same CPU that wasm runs on, with more overhead; a
    // lucky timing on a tiny matmul must not send a whole training run there.
    .filter((c) => !(c.software && wasm && (c.name === 'webgl' || c.name === 'webgpu')))
    .filter((c) => c.msPerOp !== null && Number.isFinite(c.msPerOp))
    .sort((a, b) => (a.msPerOp as number) - (b.msPerOp as number));
  const fastest = ranked[0];
  const prefix = override ? `override ${override} unavailable; ` : '';
  if (fastest)
    return {
      name: fastest.name,
      reason: `${prefix}fastest measured (${fastest.msPerOp!.toFixed(2)} ms/op)`,
      reasonKey: key('fastest'),
      reasonParams: { ...lost, backend: fastest.name, ms: Number(fastest.msPerOp!.toFixed(2)) },
    };
  // Nothing could be timed: fall back to the most predictable CPU paths.
  for (const name of ['wasm', 'cpu'] as const) {
    if (usable.some((c) => c.name === name))
      return {
        name,
        reason: `${prefix}no measurement; ${name} fallback`,
        reasonKey: key('fallback'),
        reasonParams: { ...lost, backend: name },
      };
  }
  return {
    name: 'cpu',
    reason: `${prefix}nothing available; cpu`,
    reasonKey: key('nothing'),
    reasonParams: { ...lost, backend: 'cpu' },
  };
}

/** Options for `probeBackends`. */
export interface ProbeOptions {
  /** Backends to try (default: all registered of BACKEND_NAMES). */
  names?: readonly BackendName[];
  override?: BackendName;
  /** Square matmul size (default 256). */
  size?: number;
  /** Timed repetitions after warm-up (default 5). */
  reps?: number;
  /** Skip timing and only detect (tests). */
  measure?: boolean;
}

type GpuLike = {
  requestAdapter(): Promise<{
    isFallbackAdapter?: boolean;
    info?: {
      vendor?: string;
      architecture?: string;
      description?: string;
      device?: string;
      isFallbackAdapter?: boolean;
    };
  } | null>;
};

/** Describes the WebGPU adapter and whether it is a fallback (software) one; null when there is none. */
export async function describeWebGpuAdapter(): Promise<{ description: string; software: boolean } | null> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
  return { description: description || 'unknown adapter', software: fallback || isSoftwareRenderer(description) };
}

/** Reads the unmasked WebGL renderer string; null when WebGL is absent. */
export function describeWebGlRenderer(): { description: string; software: boolean } | null {
  let gl: WebGL2RenderingContext | WebGLRenderingContext | null;
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(1, 1)
        : typeof document !== 'undefined'
          ? document.createElement('canvas')
          : null;
    if (!canvas) return null;
    gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGL2RenderingContext | null;
  } catch {
    return null;
  }
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  // Release the context now: browsers cap live WebGL contexts and TF.js needs its own.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { description: renderer || 'unknown renderer', software: isSoftwareRenderer(renderer) };
}

/** Times `reps` matmuls of `size`² on the active backend, reading results with `await data()` only. */
export async function timeMatmul(size = 256, reps = 5): Promise<number> {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  try {
    // Warm-up compiles shaders / kernels; never dataSync (wrong values on webgpu).
    for (let i = 0; i < 2; i++) {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    }
    const started = performance.now();
    let last: tf.Tensor | undefined;
    for (let i = 0; i < reps; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    await last!.data();
    last!.dispose();
    return (performance.now() - started) / reps;
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** Initialises, detects and times each registered backend, then activates the chosen one. */
export async function probeBackends(options: ProbeOptions = {}): Promise<BackendReport> {
  const names = options.names ?? BACKEND_NAMES;
  const candidates: BackendCandidate[] = [];
  for (const name of names) {
    const candidate: BackendCandidate = { name, available: false, software: false, msPerOp: null };
    candidates.push(candidate);
    try {
      if (!tf.findBackendFactory(name)) {
        candidate.error = 'not registered';
        continue;
      }
      if (name === 'webgpu') {
        const adapter = await describeWebGpuAdapter();
        if (!adapter) {
          candidate.error = 'no WebGPU adapter';
          continue;
        }
        candidate.adapter = adapter.description;
        candidate.software = adapter.software;
      } else if (name === 'webgl') {
        const renderer = describeWebGlRenderer();
        if (!renderer) {
          candidate.error = 'no WebGL context';
          continue;
        }
        candidate.adapter = renderer.description;
        candidate.software = renderer.software;
      }
      if (!(await tf.setBackend(name))) {
        candidate.error = 'initialisation failed';
        continue;
      }
      await tf.ready();
      candidate.available = true;
      if (options.measure !== false) candidate.msPerOp = await timeMatmul(options.size, options.reps);
    } catch (error) {
      candidate.available = false;
      candidate.error = error instanceof Error ? error.message : String(error);
    }
  }
  const choice = chooseBackend(candidates, options.override);
  await tf.setBackend(choice.name);
  await tf.ready();
  const report: BackendReport = {
    active: choice.name,
    candidates,
    reason: choice.reason,
    reasonKey: choice.reasonKey,
    reasonParams: choice.reasonParams,
  };
  if (options.override) report.override = options.override;
  return report;
}

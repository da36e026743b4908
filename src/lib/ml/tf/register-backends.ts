/**
 * Registers the wasm and WebGPU backends for the browser, with the wasm binaries self-hosted
 * through Vite `?url` imports (never a CDN: connect-src 'self' would block it anyway).
 * Import this only in browser code (the worker, bench pages): the `?url` paths do not
 * resolve in Node, where tests use tfjs-cpu.
 */
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

let registered = false;

/** Points the wasm backend at the bundled binaries and turns its threads off (once). */
export function registerBrowserBackends(): void {
  if (registered) return;
  registered = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  // The threaded build hangs after minification under COOP/COEP and gave nothing on 2 cores
  // (STACK-NOTES); the SIMD build is the one to use.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/**
 * Node side of the benches: tfjs-cpu is built in; the wasm backend is pointed at its dist
 * folder (the `?url` imports of register-backends.ts only work in a Vite bundle).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '../../src/lib/ml/tf/tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');

/** Activates a backend in Node ('cpu' or 'wasm'). */
export async function useNodeBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise in Node`);
  await tf.ready();
}

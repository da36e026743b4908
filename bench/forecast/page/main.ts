/**
 * The browser half of bench/forecast and bench/train: registers every backend exactly as
 * the train worker does, then exposes `window.shopsightBench` for the runner to drive.
 */
import * as tf from '../../../src/lib/ml/tf/tf';
import { type BackendName, probeBackends } from '../../../src/lib/ml/tf/backend';
import { registerBrowserBackends } from '../../../src/lib/ml/tf/register-backends';
import { timeForecast } from '../lstm-bench';
import { timeMlp } from '../../train/mlp-bench';

registerBrowserBackends();

async function use(backend: BackendName): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  await tf.ready();
}

const api = {
  probe: () => probeBackends({ size: 256, reps: 5 }),
  forecast: async (backend: BackendName, ...args: Parameters<typeof timeForecast>) => {
    await use(backend);
    return timeForecast(...args);
  },
  mlp: async (backend: BackendName, ...args: Parameters<typeof timeMlp>) => {
    await use(backend);
    return timeMlp(...args);
  },
};

(globalThis as unknown as { shopsightBench: typeof api }).shopsightBench = api;
document.getElementById('status')!.textContent = 'ready';

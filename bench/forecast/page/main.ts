/**
 * The browser half of bench/forecast and bench/train: registers every backend exactly as
 * the train worker does, then exposes `window.shopsightBench` for the runner to drive.
 */
import * as tf from '../../../src/lib/ml/tf/tf';
import { type BackendName, probeBackends } from '../../../src/lib/ml/tf/backend';
import { registerBrowserBackends } from '../../../src/lib/ml/tf/register-backends';
import { timeForecast } from '../lstm-bench';
import { timeMlp } from '../../train/mlp-bench';
import { TrainClient } from '../../../src/lib/clients/train-client';
import { makeWindows } from '../../../src/lib/ml/tf/forecast';

registerBrowserBackends();

async function use(backend: BackendName): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  await tf.ready();
}

/** Drives the real train worker through TrainClient: init, train, data port, cancel, memory. */
async function workerSmoke(): Promise<Record<string, unknown>> {
  const client = new TrainClient();
  const report = await client.init();
  const series = Float32Array.from({ length: 400 }, (_, t) => 10 + 3 * Math.sin((2 * Math.PI * t) / 7));
  const w = makeWindows(series, 14, 3);
  const progress: number[] = [];
  const trained = await client.train(
    { kind: 'lstm', options: { lookback: 14, horizon: 3, units: 8, epochs: 5 } },
    { X: w.X.slice(), y: w.y.slice(), nRows: w.n, nCols: 14 },
    (p) => progress.push(p.epoch),
  );
  const forecast = await client.predict(trained.modelId, w.X.slice(0, 14), 1, 14);
  const channel = new MessageChannel();
  await client.attachDataPort(channel.port2);
  const X = w.X.slice();
  const y = w.y.slice();
  channel.port1.postMessage({ type: 'matrix', key: 'm1', X, y, nRows: w.n, nCols: 14 }, [X.buffer, y.buffer]);
  const viaPort = await client.train(
    { kind: 'gru', options: { lookback: 14, horizon: 3, units: 4, epochs: 2 } },
    { portKey: 'm1' },
  );
  const jobId = 'smoke-cancel';
  const long = client.train(
    { kind: 'lstm', options: { lookback: 14, horizon: 3, units: 8, epochs: 10_000, engine: 'layers' } },
    { X: w.X.slice(), y: w.y.slice(), nRows: w.n, nCols: 14 },
    undefined,
    jobId,
  );
  await new Promise((r) => setTimeout(r, 1500));
  const cancelAccepted = await client.cancel(jobId);
  const cancelled = await long.then(
    () => 'finished',
    (e: { code?: string }) => e.code ?? String(e),
  );
  const beforeDispose = await client.memory();
  await client.disposeModel(trained.modelId);
  await client.disposeModel(viaPort.modelId);
  const memory = await client.memory();
  client.terminate();
  return {
    active: report.active,
    trainedEngine: trained.engine,
    progress,
    forecast: Array.from(forecast.values),
    viaPortEngine: viaPort.engine,
    cancelAccepted,
    cancelled,
    tensorsWithModels: beforeDispose.numTensors,
    memory,
  };
}

const api = {
  workerSmoke,
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

/**
 * The train worker: TF.js models behind one typed API (`TrainApi`) with Comlink. All logic
 * lives in `src/lib/ml/tf/train-service.ts`, where vitest reaches it; this file only wires
 * the browser pieces (network guard, self-hosted wasm backend, transfers).
 */
import * as Comlink from 'comlink';
import { installNetworkGuard } from '../src/lib/data/network-guard';
import type { FrameSource } from '../src/lib/contracts/frame';
import type { MlApi } from '../src/lib/contracts/ml-api';
import type { PredictInput, TrainConfig, TrainProgressCallback } from '../src/lib/contracts/train-api';
import { MlContext } from '../src/lib/ml/services/context';
import { createForecastApi } from '../src/lib/ml/services/forecast-service';
import { createSegmentsApi } from '../src/lib/ml/services/segments-service';
import { createRecommendApi } from '../src/lib/ml/services/recommend-service';
import { classifyWorkerApi } from '../src/lib/ml/services/classify-worker';
import { regressionWorkerApi } from '../src/lib/ml/services/regression-worker';
import { registerBrowserBackends } from '../src/lib/ml/tf/register-backends';
import { TrainService } from '../src/lib/ml/tf/train-service';

// Before TF.js can fetch anything: only its own wasm binaries, same origin, may load.
installNetworkGuard(self as unknown as Parameters<typeof installNetworkGuard>[0]);
registerBrowserBackends();

const service = new TrainService();
/** The data link and the jobs of the analyses (classify, forecast, insights). */
const context = new MlContext();

/** Releases a Comlink callback proxy's port once a job is over (it leaks otherwise). */
function release(callback: TrainProgressCallback | undefined): void {
  (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
}

const forecastApi = createForecastApi(context);
const segmentsApi = createSegmentsApi(context);
/** Wraps each `(jobId, request, onProgress)` method so its progress proxy is released after the job. */
function withRelease<T extends object>(methods: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    out[name] = (jobId: string, request: unknown, onProgress?: TrainProgressCallback) =>
      method(jobId, request, onProgress).finally(() => release(onProgress));
  }
  return out as T;
}

const api: MlApi = {
  forecast: (jobId, request, onProgress) =>
    forecastApi
      .forecast(jobId, request, onProgress)
      .finally(() => release(onProgress as unknown as TrainProgressCallback)),
  segment: (jobId, request, onProgress) =>
    segmentsApi.segment(jobId, request, onProgress).finally(() => release(onProgress as never)),
  anomalies: (jobId, request, onProgress) =>
    segmentsApi.anomalies(jobId, request, onProgress).finally(() => release(onProgress as never)),
  init: (options) => service.init(options),
  train: (jobId, config: TrainConfig, data, onProgress) =>
    service.train(jobId, config, data, onProgress).finally(() => release(onProgress)),
  cancel: async (jobId) => context.jobs.cancel(jobId) || (await service.cancel(jobId)),
  predict: async (modelId, input: PredictInput) => {
    const result = await service.predict(modelId, input);
    return Comlink.transfer(result, [result.values.buffer]);
  },
  exportModel: (modelId) => service.exportModel(modelId),
  importModel: (model) => service.importModel(model),
  disposeModel: (modelId) => service.disposeModel(modelId),
  memory: () => service.memory(),
  attachDataPort: (port) => service.attachDataPort(port),
  attachFrameSource: async (port) => {
    context.link(Comlink.wrap<FrameSource>(port));
  },
  checkLink: async (table) => {
    const frame = await context.source.readFrame({ table, columns: [] });
    return {
      rows: frame.nRows,
      columns: frame.columns.length,
      numericColumns: frame.columns.filter((c) => c.kind === 'number').length,
    };
  },
  ...classifyWorkerApi(context),
  ...regressionWorkerApi(context),
  ...withRelease(createRecommendApi(context)),
};

Comlink.expose(api);

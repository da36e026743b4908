/**
 * The Classify methods as the worker exposes them: the service's, with each progress callback
 * (a Comlink proxy from the UI) released once its job is over, like `release()` in
 * workers/train.worker.ts does for `train` (the proxy's port leaks otherwise).
 */
import * as Comlink from 'comlink';
import type { ClassifyApi } from '../../contracts/classify-api';
import type { MlContext } from './context';
import { createClassifyApi } from './classify-service';

function release(callback: unknown): void {
  (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
}

/** `createClassifyApi(context)` with progress proxies released after each job. */
export function classifyWorkerApi(context: MlContext): ClassifyApi {
  const api = createClassifyApi(context);
  return {
    ...api,
    classifyCompare: (jobId, request, onProgress) =>
      api.classifyCompare(jobId, request, onProgress).finally(() => release(onProgress)),
    classifyEvaluate: (jobId, request, onProgress) =>
      api.classifyEvaluate(jobId, request, onProgress).finally(() => release(onProgress)),
    classifyPredict: (jobId, request, onProgress) =>
      api.classifyPredict(jobId, request, onProgress).finally(() => release(onProgress)),
    classifySearch: (jobId, request, onProgress) =>
      api.classifySearch(jobId, request, onProgress).finally(() => release(onProgress)),
  };
}

/**
 * The regression methods as the worker exposes them: the service's, with each progress callback
 * (a Comlink proxy from the UI) released once its job is over (its port leaks otherwise).
 */
import * as Comlink from 'comlink';
import type { RegressionApi } from '../../contracts/regression-api';
import type { MlContext } from './context';
import { createRegressionApi } from './regression-service';

function release(callback: unknown): void {
  (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
}

/** `createRegressionApi(context)` with progress proxies released after each job. */
export function regressionWorkerApi(context: MlContext): RegressionApi {
  const api = createRegressionApi(context);
  return {
    ...api,
    regressionCompare: (jobId, request, onProgress) =>
      api.regressionCompare(jobId, request, onProgress).finally(() => release(onProgress)),
    regressionEvaluate: (jobId, request, onProgress) =>
      api.regressionEvaluate(jobId, request, onProgress).finally(() => release(onProgress)),
    regressionPredict: (jobId, request, onProgress) =>
      api.regressionPredict(jobId, request, onProgress).finally(() => release(onProgress)),
  };
}

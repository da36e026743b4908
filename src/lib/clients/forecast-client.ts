/**
 * The forecast chapter's client: runs forecast jobs in the ML worker (linked to the data
 * worker first) and cancels them. The Forecast view's state and the embed backend share it.
 */
import type { ForecastProgressCallback, ForecastRequest, ForecastResult } from '../contracts/forecast-api';
import { newTrainJobId, withProgress, type TrainClient } from './train-client';

export class ForecastClient {
  readonly #ready: () => Promise<TrainClient>;
  readonly #cancel: (jobId: string) => Promise<boolean>;

  /** `ready` returns the linked ML client (`AppState.mlReady`). */
  constructor(ready: () => Promise<TrainClient>, cancel: (jobId: string) => Promise<boolean>) {
    this.#ready = ready;
    this.#cancel = cancel;
  }

  async forecast(
    request: ForecastRequest,
    onProgress?: ForecastProgressCallback,
    jobId = newTrainJobId('forecast'),
  ): Promise<ForecastResult> {
    const client = await this.#ready();
    return client.call((api) => api.forecast(jobId, request, withProgress(onProgress)));
  }

  cancel(jobId: string): Promise<boolean> {
    return this.#cancel(jobId);
  }
}

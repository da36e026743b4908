/**
 * The segments chapter's handle on the ML worker (segments and anomalies), shared by the views'
 * state and the embed backend: it links the workers, passes progress as a Comlink proxy and
 * refreshes the table list once a result table exists.
 */
import type { ProgressCallback } from '../contracts/data-api';
import type { AnomalyRequest, AnomalyResult, SegmentRequest, SegmentResult } from '../contracts/segments-api';
import { newJobId } from './data-client';
import { type TrainClient, withProgress } from './train-client';

/** What the client needs from the app (AppState fits). */
export interface SegmentsHost {
  mlReady(): Promise<TrainClient>;
  refreshTables(): Promise<void>;
  readonly ml: { cancel(jobId: string): Promise<boolean> };
}

export class SegmentsClient {
  readonly #host: SegmentsHost;

  constructor(host: SegmentsHost) {
    this.#host = host;
  }

  async segment(
    request: SegmentRequest,
    onProgress?: ProgressCallback,
    jobId = newJobId('segment'),
  ): Promise<SegmentResult> {
    const ml = await this.#host.mlReady();
    const result = await ml.call((api) => api.segment(jobId, request, withProgress(onProgress)));
    await this.#host.refreshTables();
    return result;
  }

  async anomalies(
    request: AnomalyRequest,
    onProgress?: ProgressCallback,
    jobId = newJobId('anomalies'),
  ): Promise<AnomalyResult> {
    const ml = await this.#host.mlReady();
    const result = await ml.call((api) => api.anomalies(jobId, request, withProgress(onProgress)));
    await this.#host.refreshTables();
    return result;
  }

  cancel(jobId: string): Promise<boolean> {
    return this.#host.ml.cancel(jobId);
  }
}

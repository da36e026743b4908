/**
 * The UI's (and the embed API's) handle on Classify's regression methods in the ML worker:
 * progress callbacks as Comlink proxies, the catalog refreshed after scoring, and a cancel that
 * keeps asking while the job is still being registered (as `ClassifyClient.cancel`).
 */
import type { ProgressEvent } from '../contracts/data-api';
import type {
  RegressionCompareRequest,
  RegressionCompareResult,
  RegressionEvaluateRequest,
  RegressionEvaluation,
  RegressionModelFile,
  RegressionModelInfo,
  RegressionPredictRequest,
  RegressionPredictResult,
  TaskChoice,
  TaskDetection,
} from '../contracts/regression-api';
import type { ClassifyHost } from './classify-client';
import { withProgress } from './train-client';
import { ClientJobs } from './client-jobs';

type OnProgress = ((p: ProgressEvent) => void) | undefined;

export class RegressionClient {
  readonly #host: ClassifyHost;
  readonly #jobs = new ClientJobs();

  constructor(host: ClassifyHost) {
    this.#host = host;
  }

  /** Which task the target calls for (or whether the chosen one can run). */
  async detectTask(table: string, target: string, choice: TaskChoice = 'auto'): Promise<TaskDetection> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.classifyDetectTask(table, target, choice));
  }

  async compare(
    jobId: string,
    request: RegressionCompareRequest,
    onProgress?: OnProgress,
  ): Promise<RegressionCompareResult> {
    const ml = await this.#host.mlReady();
    return this.#jobs.track(jobId, () =>
      ml.call((api) => api.regressionCompare(jobId, request, withProgress(onProgress))),
    );
  }

  async evaluate(
    jobId: string,
    request: RegressionEvaluateRequest,
    onProgress?: OnProgress,
  ): Promise<RegressionEvaluation> {
    const ml = await this.#host.mlReady();
    return this.#jobs.track(jobId, () =>
      ml.call((api) => api.regressionEvaluate(jobId, request, withProgress(onProgress))),
    );
  }

  /** Scores a table into a new 'predictions' table and refreshes the catalog. */
  async predict(
    jobId: string,
    request: RegressionPredictRequest,
    onProgress?: OnProgress,
  ): Promise<RegressionPredictResult> {
    const ml = await this.#host.mlReady();
    const result = await this.#jobs.track(jobId, () =>
      ml.call((api) => api.regressionPredict(jobId, request, withProgress(onProgress))),
    );
    await this.#host.refreshTables();
    return result;
  }

  async listModels(): Promise<RegressionModelInfo[]> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.regressionListModels());
  }

  async exportModel(modelId: string): Promise<RegressionModelFile> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.regressionExportModel(modelId));
  }

  async importModel(file: RegressionModelFile): Promise<RegressionModelInfo> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.regressionImportModel(file));
  }

  /** Cancels a job started through this client; false when none runs under that id. */
  async cancel(jobId: string): Promise<boolean> {
    return this.#jobs.cancel(await this.#host.mlReady(), jobId);
  }
}

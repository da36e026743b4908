/**
 * The UI's (and the embed API's) handle on Classify in the ML worker: linked to the data worker
 * first (`AppState.mlReady`), progress callbacks passed as Comlink proxies, result tables
 * refreshed in the catalog after scoring. The TF.js backend override is kept here, so every
 * `init` asks for the same backend.
 */
import type { ProgressEvent } from '../contracts/data-api';
import type {
  ClassifyCompareRequest,
  ClassifyCompareResult,
  ClassifyEvaluateRequest,
  ClassifyEvaluation,
  ClassifyModelFile,
  ClassifyModelInfo,
  ClassifyPredictRequest,
  ClassifyPredictResult,
} from '../contracts/classify-api';
import type {
  ClassifyExplainRequest,
  ClassifySearchRequest,
  ClassifySearchResult,
  RowExplanation,
} from '../contracts/classify-explain-api';
import type { BackendReportInfo, TrainBackendName } from '../contracts/train-api';
import { withProgress, type TrainClient } from './train-client';
import { ClientJobs } from './client-jobs';

/** What the client needs from the app. */
export interface ClassifyHost {
  mlReady(): Promise<TrainClient>;
  refreshTables(): Promise<void>;
}

type OnProgress = ((p: ProgressEvent) => void) | undefined;

export class ClassifyClient {
  readonly #host: ClassifyHost;
  #override: TrainBackendName | undefined;
  /** Jobs started through this client and not yet settled. */
  readonly #jobs = new ClientJobs();

  constructor(host: ClassifyHost) {
    this.#host = host;
  }

  /** Starts the ML worker if needed; resolves to the backend report (after an override, re-probed). */
  async backend(override?: TrainBackendName | null): Promise<BackendReportInfo> {
    if (override !== undefined) this.#override = override ?? undefined;
    const ml = await this.#host.mlReady();
    return ml.init(this.#override ? { backend: this.#override } : {});
  }

  async compare(
    jobId: string,
    request: ClassifyCompareRequest,
    onProgress?: OnProgress,
  ): Promise<ClassifyCompareResult> {
    const ml = await this.#host.mlReady();
    return this.#jobs.track(jobId, () =>
      ml.call((api) => api.classifyCompare(jobId, request, withProgress(onProgress))),
    );
  }

  async evaluate(
    jobId: string,
    request: ClassifyEvaluateRequest,
    onProgress?: OnProgress,
  ): Promise<ClassifyEvaluation> {
    const ml = await this.#host.mlReady();
    return this.#jobs.track(jobId, () =>
      ml.call((api) => api.classifyEvaluate(jobId, request, withProgress(onProgress))),
    );
  }

  /** Scores a table into a new 'predictions' table and refreshes the catalog. */
  async predict(
    jobId: string,
    request: ClassifyPredictRequest,
    onProgress?: OnProgress,
  ): Promise<ClassifyPredictResult> {
    const ml = await this.#host.mlReady();
    const result = await this.#jobs.track(jobId, () =>
      ml.call((api) => api.classifyPredict(jobId, request, withProgress(onProgress))),
    );
    await this.#host.refreshTables();
    return result;
  }

  /** Grid / random hyperparameter search with CV on a comparison's folds. */
  async search(jobId: string, request: ClassifySearchRequest, onProgress?: OnProgress): Promise<ClassifySearchResult> {
    const ml = await this.#host.mlReady();
    return this.#jobs.track(jobId, () =>
      ml.call((api) => api.classifySearch(jobId, request, withProgress(onProgress))),
    );
  }

  /** Why one held-out row (default: the top-scored) of an evaluated model got its score. */
  async explainRow(request: ClassifyExplainRequest): Promise<RowExplanation> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.classifyExplainRow(request));
  }

  async listModels(): Promise<ClassifyModelInfo[]> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.classifyListModels());
  }

  async exportModel(modelId: string): Promise<ClassifyModelFile> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.classifyExportModel(modelId));
  }

  async importModel(file: ClassifyModelFile): Promise<ClassifyModelInfo> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.classifyImportModel(file));
  }

  async deleteModel(modelId: string): Promise<boolean> {
    const ml = await this.#host.mlReady();
    return ml.call((api) => api.classifyDeleteModel(modelId));
  }

  /**
   * Cancels a Classify (or training) job; false when none runs under that id. A cancel can
   * arrive before the worker has registered the job (it is still linking or reading the
   * table): while the job runs through this client, keep asking.
   */
  async cancel(jobId: string): Promise<boolean> {
    return this.#jobs.cancel(await this.#host.mlReady(), jobId);
  }
}

/**
 * The regression side of the Classify view: which task runs (detected from the target column,
 * with an override), the regression families to compare, the three jobs (compare, evaluate,
 * score) with progress and Cancel, and the regression models held in the worker or saved in the
 * browser. The table, target, features, folds and seed are the Classify view's own.
 */
import {
  REGRESSION_FAMILIES,
  type RegressionCompareResult,
  type RegressionEvaluation,
  type RegressionFamily,
  type RegressionModelFile,
  type RegressionModelInfo,
  type RegressionPredictResult,
  type TaskChoice,
  type TaskDetection,
} from '../contracts/regression-api';
import type { ClassifyHost } from '../clients/classify-client';
import { RegressionClient } from '../clients/regression-client';
import { regressionModels } from '../clients/model-store';
import { ModelLibrary } from './model-library.svelte';
import { downloadText, safeFileName } from '../download';
import { ipcToCsv } from '../clients/classify-csv';
import { quoteIdent } from '../sql/ident';
import { JobState } from './job.svelte';

/** What the regression state reads from the Classify view's setup. */
export interface RegressionSetupSource {
  readonly table: string | null;
  readonly target: string | null;
  readonly features: string[];
  readonly folds: number;
  readonly seed: number;
}

/** What the regression state needs from the app: the ML worker, the catalog, and a query for CSV export. */
export interface RegressionHost extends ClassifyHost {
  readonly client: { query(sql: string, limit: number): Promise<{ ipc: Uint8Array }> };
}

export class RegressionState extends ModelLibrary<RegressionModelFile, RegressionModelInfo> {
  readonly #host: RegressionHost;
  readonly #setup: RegressionSetupSource;
  readonly client: RegressionClient;
  /** The user's choice: detect, or force a task. */
  choice = $state<TaskChoice>('auto');
  /** What the target column calls for (null until checked). */
  detection = $state.raw<TaskDetection | null>(null);
  detectError = $state<unknown>(null);
  models = $state<RegressionFamily[]>(['linear', 'ridge', 'lasso', 'tree', 'forest', 'boosting']);
  family = $state<RegressionFamily | null>(null);
  scoreTable = $state<string | null>(null);
  readonly compareJob: JobState<RegressionCompareResult>;
  readonly evaluateJob: JobState<RegressionEvaluation>;
  readonly predictJob: JobState<RegressionPredictResult>;
  #detectKey = '';

  constructor(host: RegressionHost, setup: RegressionSetupSource, client?: RegressionClient) {
    super(regressionModels, 'regressor');
    this.#host = host;
    this.#setup = setup;
    this.client = client ?? new RegressionClient(host);
    const cancel = (id: string) => this.client.cancel(id);
    this.compareJob = new JobState(cancel);
    this.evaluateJob = new JobState(cancel);
    this.predictJob = new JobState(cancel);
  }

  /** The task that runs: the override, else the detected one (classification until known). */
  get task(): 'classification' | 'regression' {
    if (this.choice !== 'auto') return this.choice;
    return this.detection?.task ?? 'classification';
  }

  get running(): boolean {
    return this.compareJob.running || this.evaluateJob.running;
  }

  /** Checks the target column (once per table and target). */
  async detect(): Promise<void> {
    const { table, target } = this.#setup;
    const key = `${table}\u0000${target}`;
    if (!table || !target || key === this.#detectKey) return;
    this.#detectKey = key;
    this.detection = null;
    try {
      this.detectError = null;
      const detection = await this.client.detectTask(table, target, 'auto');
      if (this.#detectKey === key) this.detection = detection;
    } catch (error) {
      if (this.#detectKey === key) {
        this.detection = null;
        this.detectError = error;
      }
    }
  }

  toggleModel(family: RegressionFamily, on: boolean): void {
    this.models = on
      ? REGRESSION_FAMILIES.filter((f) => f === family || this.models.includes(f))
      : this.models.filter((f) => f !== family);
  }

  async compare(): Promise<void> {
    const { table, target, features, folds, seed } = this.#setup;
    if (!table || !target) return;
    // Plain arrays: $state proxies cannot be structured-cloned into the worker.
    const request = { table, target, features: [...features], models: [...this.models], folds, seed };
    this.evaluateJob.result = null;
    this.predictJob.result = null;
    if (!this.scoreTable) this.scoreTable = table;
    const result = await this.compareJob.run((jobId, onProgress) => this.client.compare(jobId, request, onProgress));
    if (result) {
      this.family = result.best;
      await this.evaluate();
    }
  }

  /** Fits the chosen family on the training part and tests it once on the held-out part. */
  async evaluate(family = this.family): Promise<void> {
    const comparison = this.compareJob.result;
    if (!comparison || !family) return;
    this.family = family;
    const result = await this.evaluateJob.run((jobId, onProgress) =>
      this.client.evaluate(jobId, { comparisonId: comparison.comparisonId, family }, onProgress),
    );
    if (result) await this.refreshLoaded();
  }

  /** Scores `scoreTable` with a model into a new predictions table (`prediction` column). */
  async score(modelId = this.evaluateJob.result?.modelId): Promise<void> {
    const table = this.scoreTable ?? this.#setup.table;
    if (!modelId || !table) return;
    await this.predictJob.run((jobId, onProgress) => this.client.predict(jobId, { modelId, table }, onProgress));
  }

  /** Downloads the scored table as CSV (through the data engine's export). */
  async downloadScores(): Promise<void> {
    const result = this.predictJob.result;
    if (!result) return;
    try {
      const { ipc } = await this.#host.client.query(`SELECT * FROM ${quoteIdent(result.table)}`, result.rows + 1);
      downloadText(safeFileName(result.table, 'csv'), ipcToCsv(ipc), 'text/csv');
    } catch (error) {
      this.storageError = error;
    }
  }

  protected evaluatedModelId(): string | undefined {
    return this.evaluateJob.result?.modelId;
  }
}

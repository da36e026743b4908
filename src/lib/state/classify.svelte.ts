/**
 * The Classify view's state: the setup (table, target, features, families, folds, seed), the
 * three jobs (compare, evaluate, score) with progress and Cancel, the decision threshold (moved
 * locally on the test scores, no round trip), the TF.js backend with its override, and the
 * models saved in the browser.
 */
import type { ColumnInfo, TableInfo } from '../contracts/data-api';
import { featureCandidates, guessTable, guessTarget } from '../ml/classify/candidates';
import {
  CLASSIFY_FAMILIES,
  type ClassifyCompareResult,
  type ClassifyEvaluation,
  type ClassifyFamily,
  type ClassifyModelFile,
  type ClassifyModelInfo,
  type ClassifyParams,
  type ClassifyPredictResult,
} from '../contracts/classify-api';
import { ClassifyExplainState } from './classify-explain.svelte';
import { EXPLAINABLE_FAMILIES } from '../contracts/classify-explain-api';
import type { BackendReportInfo, TrainBackendName } from '../contracts/train-api';
import { ClassifyClient } from '../clients/classify-client';
import { classifyModels } from '../clients/model-store';
import { ModelLibrary } from './model-library.svelte';
import { downloadText, safeFileName } from '../download';
import { ipcToCsv } from '../clients/classify-csv';
import { quoteIdent } from '../sql/ident';
import { confusionAtThreshold, optimiseThreshold } from '../ml/metrics';
import { thresholdForTarget, type TargetChoice, type TargetMetric } from '../ml/metrics/threshold-target';
import { JobState } from './job.svelte';
import { RegressionState } from './regression.svelte';
import type { AppState } from './app.svelte';

export class ClassifyState extends ModelLibrary<ClassifyModelFile, ClassifyModelInfo> {
  readonly #app: AppState;
  readonly client: ClassifyClient;
  table = $state<string | null>(null);
  target = $state<string | null>(null);
  /** Candidate features the user unticked (so new candidates start ticked). */
  excluded = $state<string[]>([]);
  models = $state<ClassifyFamily[]>(['logistic', 'tree', 'forest', 'boosting', 'naive_bayes']);
  folds = $state(5);
  seed = $state(0);
  family = $state<ClassifyFamily | null>(null);
  threshold = $state(0.5);
  /** Targets of "reach precision ≥ X" / "reach recall ≥ X", and what the last one found. */
  targets = $state<Record<TargetMetric, number>>({ precision: 0.8, recall: 0.8 });
  targetChoice = $state.raw<TargetChoice | null>(null);
  targetError = $state(false);
  scoreTable = $state<string | null>(null);
  backend = $state.raw<BackendReportInfo | null>(null);
  backendOverride = $state<TrainBackendName | ''>('');
  backendError = $state<unknown>(null);
  readonly compareJob: JobState<ClassifyCompareResult>;
  readonly evaluateJob: JobState<ClassifyEvaluation>;
  readonly predictJob: JobState<ClassifyPredictResult>;
  /** Row explanations and the hyperparameter search (classify-explain.svelte.ts). */
  readonly explain: ClassifyExplainState;
  /** Write the top 3 reasons per row when scoring a table. */
  explainScores = $state(false);
  /** The same setup with a numeric target: task detection and the regression jobs. */
  readonly regression: RegressionState;

  constructor(app: AppState, client?: ClassifyClient) {
    super(classifyModels, 'classifier');
    this.#app = app;
    this.client = client ?? new ClassifyClient(app);
    const cancel = (id: string) => this.client.cancel(id);
    this.compareJob = new JobState(cancel);
    this.evaluateJob = new JobState(cancel);
    this.predictJob = new JobState(cancel);
    this.explain = new ClassifyExplainState(this);
    this.regression = new RegressionState(app, this);
  }

  get tableInfo(): TableInfo | undefined {
    return this.#app.tables.find((t) => t.name === this.table);
  }

  /** Fills in the table and target when unset or gone (called from the view as tables change). */
  sync(): void {
    if (!this.tableInfo) {
      const best = guessTable(this.#app.tables);
      if (best) this.chooseTable(best.name);
    }
    if (!this.scoreTable || !this.#app.tables.some((t) => t.name === this.scoreTable)) {
      this.scoreTable = this.table;
    }
  }

  chooseTable(name: string): void {
    this.table = name;
    this.excluded = [];
    const info = this.tableInfo;
    this.target = info ? guessTarget(info) : null;
    this.scoreTable = name;
  }

  get candidates(): ColumnInfo[] {
    const info = this.tableInfo;
    return info ? featureCandidates(info, this.target) : [];
  }

  get features(): string[] {
    return this.candidates.map((c) => c.name).filter((n) => !this.excluded.includes(n));
  }

  toggleFeature(name: string, on: boolean): void {
    this.excluded = on ? this.excluded.filter((n) => n !== name) : [...this.excluded, name];
  }

  toggleModel(family: ClassifyFamily, on: boolean): void {
    this.models = on
      ? CLASSIFY_FAMILIES.filter((f) => f === family || this.models.includes(f))
      : this.models.filter((f) => f !== family);
  }

  /** Probes (or re-probes with the override) and shows the active backend. */
  async loadBackend(): Promise<void> {
    try {
      this.backendError = null;
      this.backend = await this.client.backend(this.backendOverride || null);
    } catch (error) {
      this.backendError = error;
    }
  }

  async compare(): Promise<void> {
    if (!this.table || !this.target) return;
    const request = {
      table: this.table,
      target: this.target,
      // Plain arrays: $state proxies cannot be structured-cloned into the worker.
      features: [...this.features],
      models: [...this.models],
      folds: this.folds,
      seed: this.seed,
    };
    this.evaluateJob.result = null;
    const result = await this.compareJob.run((jobId, onProgress) => this.client.compare(jobId, request, onProgress));
    if (result) {
      this.family = result.best;
      if (!this.backend) void this.loadBackend();
      await this.evaluate();
    }
  }

  /** Fits the chosen family on the training part and evaluates it once on the test part. */
  async evaluate(family = this.family, params?: ClassifyParams): Promise<void> {
    const comparison = this.compareJob.result;
    if (!comparison || !family) return;
    this.family = family;
    this.explain.reset();
    this.explain.evaluatedParams = params ?? null;
    const request = { comparisonId: comparison.comparisonId, family, ...(params ? { params } : {}) };
    const result = await this.evaluateJob.run((jobId, onProgress) => this.client.evaluate(jobId, request, onProgress));
    if (result) {
      this.threshold = result.threshold;
      this.targetChoice = null;
      await this.refreshLoaded();
    }
  }

  /** Confusion counts and label metrics at the current threshold on the test part. */
  get atThreshold() {
    const ev = this.evaluateJob.result;
    if (!ev) return null;
    const c = confusionAtThreshold(ev.yTest, ev.scoreTest, this.threshold);
    const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
    const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const accuracy = (c.tp + c.tn) / Math.max(1, c.tp + c.tn + c.fp + c.fn);
    return { ...c, precision, recall, f1, accuracy };
  }

  /** Moves the threshold to the one with the best F1 on the test scores. */
  optimiseF1(): void {
    const ev = this.evaluateJob.result;
    if (!ev) return;
    const best = optimiseThreshold(ev.yTest, ev.scoreTest, { kind: 'maxF1' });
    if (best) this.threshold = Math.round(best.threshold * 1000) / 1000;
  }

  /** Moves the threshold to the one reaching `metric ≥ target` with the best other measure, or says none does. */
  reachTarget(metric: TargetMetric): void {
    const ev = this.evaluateJob.result;
    if (!ev) return;
    const target = Number(this.targets[metric]);
    this.targetError = !(target > 0 && target <= 1);
    if (this.targetError) {
      this.targetChoice = null;
      return;
    }
    const choice = thresholdForTarget(ev.yTest, ev.scoreTest, metric, target);
    this.targetChoice = choice;
    // The exact score, not a rounded one: rounding could cross a row and miss the target.
    if (choice.reached) this.threshold = choice.choice.threshold;
  }

  /** Scores `scoreTable` with the evaluated (or a loaded) model into a new predictions table. */
  async score(modelId = this.evaluateJob.result?.modelId): Promise<void> {
    const table = this.scoreTable;
    if (!modelId || !table) return;
    const threshold = this.threshold;
    const family = this.loaded.find((m) => m.modelId === modelId)?.family;
    // The box is greyed out for families without reasons; never ask them for any.
    const explain = this.explainScores && (!family || EXPLAINABLE_FAMILIES.includes(family));
    await this.predictJob.run((jobId, onProgress) =>
      this.client.predict(jobId, { modelId, table, threshold, ...(explain ? { explain } : {}) }, onProgress),
    );
  }

  /** Downloads the scored table as CSV (through the data engine's export). */
  async downloadScores(): Promise<void> {
    const table = this.predictJob.result?.table;
    if (!table) return;
    try {
      const rows = this.predictJob.result?.rows ?? 0;
      const result = await this.#app.client.query(`SELECT * FROM ${quoteIdent(table)}`, rows + 1);
      const csv = ipcToCsv(result.ipc);
      downloadText(safeFileName(table, 'csv'), csv, 'text/csv');
    } catch (error) {
      this.storageError = error;
    }
  }

  protected evaluatedModelId(): string | undefined {
    return this.evaluateJob.result?.modelId;
  }
}

/**
 * The Classify view's explanation and search state: which held-out row is explained (and its
 * contributions), the hyperparameter search job (family, grid or random, progress, Cancel,
 * results), and "evaluate with the best parameters" on the held-out part.
 */
import type {
  ClassifyCompareResult,
  ClassifyEvaluation,
  ClassifyFamily,
  ClassifyParams,
} from '../contracts/classify-api';
import type { ClassifySearchResult, RowExplanation, SearchFamily } from '../contracts/classify-explain-api';
import type { ClassifyClient } from '../clients/classify-client';
import { JobState } from './job.svelte';

/** What the explanation state needs from the Classify state. */
export interface ExplainHost {
  readonly client: ClassifyClient;
  readonly compareJob: JobState<ClassifyCompareResult>;
  readonly evaluateJob: JobState<ClassifyEvaluation>;
  evaluate(family?: ClassifyFamily | null, params?: ClassifyParams): Promise<void>;
}

/** Row explanations and the search job of one Classify view. */
export class ClassifyExplainState {
  readonly #host: ExplainHost;
  /** The held-out row to explain (null: the top-scored one). */
  row = $state<number | null>(null);
  explanation = $state.raw<RowExplanation | null>(null);
  explainError = $state<unknown>(null);
  explaining = $state(false);
  searchFamily = $state<SearchFamily>('forest');
  searchMode = $state<'grid' | 'random'>('grid');
  nIter = $state(4);
  readonly searchJob: JobState<ClassifySearchResult>;
  /** Params the current evaluation was fitted with (from a search), null for the defaults. */
  evaluatedParams = $state.raw<ClassifyParams | null>(null);

  constructor(host: ExplainHost) {
    this.#host = host;
    this.searchJob = new JobState((id) => host.client.cancel(id));
  }

  /** Explains held-out row `row` (or the top-scored one) of the evaluated model. */
  async explainRow(row: number | null = this.row): Promise<void> {
    const ev = this.#host.evaluateJob.result;
    if (!ev) return;
    this.explaining = true;
    this.explainError = null;
    try {
      this.explanation = await this.#host.client.explainRow({
        modelId: ev.modelId,
        ...(row === null ? {} : { row }),
      });
      this.row = this.explanation.row;
    } catch (error) {
      this.explainError = error;
      this.explanation = null;
    } finally {
      this.explaining = false;
    }
  }

  /** Forgets the explanation of a previous model. */
  reset(): void {
    this.explanation = null;
    this.explainError = null;
    this.row = null;
  }

  /** Runs the search on the current comparison's folds. */
  async search(): Promise<void> {
    const comparison = this.#host.compareJob.result;
    if (!comparison) return;
    const request = {
      comparisonId: comparison.comparisonId,
      family: this.searchFamily,
      mode: this.searchMode,
      nIter: this.nIter,
      seed: comparison.setup.seed,
    };
    await this.searchJob.run((jobId, onProgress) => this.#host.client.search(jobId, request, onProgress));
  }

  /** Fits the searched family with its best parameters and evaluates it once on the held-out part. */
  async useBest(): Promise<void> {
    const result = this.searchJob.result;
    if (!result) return;
    const params = { ...result.best };
    this.reset();
    await this.#host.evaluate(result.family, params);
    if (this.#host.evaluateJob.result?.family === result.family) this.evaluatedParams = params;
  }
}

/**
 * One kind of long job a view can start (build a customer table, score features …): whether it
 * runs, how far it got, its result or its error, and Cancel. The work itself is a function of
 * the job id and a progress callback, so the same class serves every builder.
 */
import type { ProgressEvent } from '../contracts/data-api';
import { newJobId } from '../clients/data-client';
import { isErrorInfo } from '../data/errors';

export class JobState<T> {
  readonly #cancel: (jobId: string) => Promise<boolean>;
  jobId = $state<string | null>(null);
  progress = $state<ProgressEvent | null>(null);
  result = $state.raw<T | null>(null);
  error = $state<unknown>(null);
  /** True when the last run ended because the user cancelled it. */
  cancelled = $state(false);

  constructor(cancel: (jobId: string) => Promise<boolean>) {
    this.#cancel = cancel;
  }

  get running(): boolean {
    return this.jobId !== null;
  }

  /** Runs `work` unless a run is already going; resolves with its result (undefined on failure). */
  async run(work: (jobId: string, onProgress: (p: ProgressEvent) => void) => Promise<T>): Promise<T | undefined> {
    if (this.jobId) return undefined;
    const jobId = newJobId('job');
    this.jobId = jobId;
    this.progress = null;
    this.error = null;
    this.cancelled = false;
    try {
      const result = await work(jobId, (p) => {
        if (this.jobId === jobId) this.progress = p;
      });
      this.result = result;
      return result;
    } catch (error) {
      if (isErrorInfo(error) && error.code === 'cancelled') this.cancelled = true;
      else this.error = error;
      return undefined;
    } finally {
      this.jobId = null;
    }
  }

  cancel(): void {
    if (this.jobId) void this.#cancel(this.jobId);
  }
}

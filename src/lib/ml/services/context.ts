/**
 * What every ML service gets: the data link (a `FrameSource`) and the job registry. The
 * worker builds one context; tests build one over the real DuckDB engine in Node.
 */
import type { FrameSource } from '../../contracts/frame';
import { JobRegistry } from './jobs';

export class MlContext {
  readonly jobs: JobRegistry;
  #source: FrameSource | undefined;

  constructor(source?: FrameSource, jobs = new JobRegistry()) {
    this.#source = source;
    this.jobs = jobs;
  }

  /** Replaces the data link (after the data worker restarted, the UI sends a new port). */
  link(source: FrameSource): void {
    this.#source = source;
  }

  /** The data link; error `no_data_link` until the UI has connected the workers. */
  get source(): FrameSource {
    if (!this.#source) {
      throw { code: 'no_data_link', message: 'The ML engine is not connected to the data engine yet.' };
    }
    return this.#source;
  }
}

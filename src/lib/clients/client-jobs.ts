/**
 * The jobs a chapter client has started in the ML worker, and a cancel that survives the race
 * every such client has: a cancel can arrive before the worker has registered the job (it is
 * still linking or reading the table), so while the job runs through this client, keep asking.
 */

/** Anything that can ask the ML worker to cancel a job (`TrainClient`). */
export interface JobCanceller {
  cancel(jobId: string): Promise<boolean>;
}

/** Jobs in flight through one client. */
export class ClientJobs {
  readonly #running = new Set<string>();

  /** Runs `work` as job `jobId`, remembered until it settles. */
  async track<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    this.#running.add(jobId);
    try {
      return await work();
    } finally {
      this.#running.delete(jobId);
    }
  }

  /** Cancels `jobId` in the worker; retries every 100 ms (up to 20 s) while the job runs here. */
  async cancel(worker: JobCanceller, jobId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await worker.cancel(jobId)) return true;
      if (!this.#running.has(jobId)) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }
}

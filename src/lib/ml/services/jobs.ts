/**
 * The ML worker's running jobs and their cancel flags. A job's work gets a `JobToken` and
 * checks it between units of work (a batch, a tree, a fold, a k-means restart); `cancel`
 * only flips the flag, so a job always stops at a clean point and frees what it holds.
 */
import type { JobToken } from '../../contracts/frame';

/** The error a cancelled job rejects with (the shape every client understands). */
export const CANCELLED = { code: 'cancelled', message: 'Cancelled.' } as const;

class Token implements JobToken {
  cancelled = false;
  throwIfCancelled(): void {
    if (this.cancelled) throw { ...CANCELLED };
  }
}

export class JobRegistry {
  readonly #jobs = new Map<string, Token>();

  /** Runs `work` as job `jobId` (error `job_exists` when that id already runs). */
  async run<T>(jobId: string, work: (token: JobToken) => Promise<T>): Promise<T> {
    if (this.#jobs.has(jobId)) throw { code: 'job_exists', message: `Job ${jobId} is already running.` };
    const token = new Token();
    this.#jobs.set(jobId, token);
    try {
      return await work(token);
    } finally {
      this.#jobs.delete(jobId);
    }
  }

  /** Flags a running job; false when no such job runs. */
  cancel(jobId: string): boolean {
    const token = this.#jobs.get(jobId);
    if (!token) return false;
    token.cancelled = true;
    return true;
  }

  get running(): string[] {
    return [...this.#jobs.keys()];
  }
}

/** Lets the event loop run (so a `cancel` message can land) when `everyMs` have passed. */
export function yielder(everyMs = 25): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}

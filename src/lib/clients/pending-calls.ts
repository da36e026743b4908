/**
 * What both worker clients (data and ML) need to never leave a caller hanging: the calls in
 * flight, failed all at once when the worker dies; errors normalised to `ShopSightErrorInfo`
 * (a plain object that survives postMessage and `JSON.stringify`); process-unique job ids.
 */
import type { ShopSightErrorInfo } from '../contracts/data-api';
import { isErrorInfo } from '../data/errors';

let jobCounter = 0;
/** A process-unique job id; `cancel(jobId)` refers to it. */
export function newJobId(prefix = 'job'): string {
  jobCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${jobCounter}`;
}

/** Any thrown value as a `ShopSightErrorInfo` (code `internal` unless it already is one). */
export function toErrorInfo(error: unknown): ShopSightErrorInfo {
  return isErrorInfo(error)
    ? error
    : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** The calls in flight to one worker. */
export class PendingCalls {
  readonly #rejects = new Set<(error: ShopSightErrorInfo) => void>();

  /** `call`'s result, or a rejection with `rejectAll`'s error if the worker dies first; errors normalised. */
  async track<T>(call: () => Promise<T>): Promise<T> {
    let rejectOnCrash: ((error: ShopSightErrorInfo) => void) | undefined;
    const crashed = new Promise<never>((_resolve, reject) => {
      rejectOnCrash = reject;
    });
    this.#rejects.add(rejectOnCrash!);
    try {
      return await Promise.race([call(), crashed]);
    } catch (error) {
      throw toErrorInfo(error);
    } finally {
      this.#rejects.delete(rejectOnCrash!);
    }
  }

  /** Fails every call in flight with `error` (the worker was terminated or crashed). */
  rejectAll(error: ShopSightErrorInfo): void {
    for (const reject of this.#rejects) reject(error);
    this.#rejects.clear();
  }
}

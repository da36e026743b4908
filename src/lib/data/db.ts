/**
 * A small synchronous facade over DuckDB-WASM's blocking bindings.
 *
 * The data worker uses the *blocking* build (`duckdb-browser-blocking`): DuckDB runs inside
 * our own worker, so there is no second worker hop, and the very same code runs in vitest
 * on `duckdb-node-blocking`. (`duckdb-blocking` is a path alias in tsconfig.json and
 * vite.config.ts: the package does not list its blocking browser build in `exports`.) Long statements go through `runCancellable`, which polls a
 * pending query and yields to the event loop between polls so a `cancel` message can land.
 */
import type { DuckDBBindings } from 'duckdb-blocking';
import { tableFromIPC, type Table } from 'apache-arrow';
import { arrowRowsToObjects, type Row } from './arrow';
import { ShopSightError } from './errors';

/** Settings applied on every new database: nothing may be downloaded, ever. */
export const OFFLINE_SETTINGS = [
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
] as const;

export interface CancelToken {
  cancelled: boolean;
}

export class Db {
  readonly #bindings: DuckDBBindings;
  readonly #conn: number;

  constructor(bindings: DuckDBBindings) {
    this.#bindings = bindings;
    this.#conn = bindings.connect().useUnsafe((_bindings: DuckDBBindings, id: number) => id);
    for (const sql of OFFLINE_SETTINGS) this.exec(sql);
  }

  get bindings(): DuckDBBindings {
    return this.#bindings;
  }

  /** Runs a statement and discards its result. */
  exec(sql: string): void {
    this.#bindings.runQuery(this.#conn, sql);
  }

  /** Runs a query and returns its Arrow IPC stream bytes (a copy the caller owns). */
  ipc(sql: string): Uint8Array {
    return this.#bindings.runQuery(this.#conn, sql).slice();
  }

  table(sql: string): Table {
    return tableFromIPC(this.#bindings.runQuery(this.#conn, sql));
  }

  /** Small results only: rows as plain objects with the BigInt policy applied. */
  rows(sql: string): Row[] {
    return arrowRowsToObjects(this.table(sql));
  }

  /** First column of the first row, or undefined. */
  scalar(sql: string): Row[string] | undefined {
    const first = this.rows(sql)[0];
    return first ? Object.values(first)[0] : undefined;
  }

  /**
   * Runs a (possibly long) statement so that `token.cancelled` can stop it between polls, and
   * returns its full result as Arrow IPC stream bytes. Throws a `cancelled` ShopSightError
   * when stopped.
   *
   * A pending query first yields only the result's schema; the record batches follow from
   * `fetchQueryResults` (null: not ready yet, empty: done), as in duckdb-wasm's own `send()`.
   */
  async runCancellable(sql: string, token: CancelToken, yieldEveryMs = 30): Promise<Uint8Array> {
    if (token.cancelled) throw ShopSightError.cancelled();
    let lastYield = performance.now();
    const pause = async (): Promise<void> => {
      if (performance.now() - lastYield > yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (token.cancelled) {
        this.#bindings.cancelPendingQuery(this.#conn);
        throw ShopSightError.cancelled();
      }
    };
    let header = this.#bindings.startPendingQuery(this.#conn, sql, false);
    while (!header) {
      await pause();
      header = this.#bindings.pollPendingQuery(this.#conn);
    }
    const parts: Uint8Array[] = [header.slice()];
    for (;;) {
      const chunk = this.#bindings.fetchQueryResults(this.#conn);
      if (chunk === null) {
        await pause();
        continue;
      }
      if (chunk.length === 0) break;
      parts.push(chunk.slice());
    }
    return concatBytes(parts);
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Lets queued messages (such as `cancel`) run; MessageChannel avoids setTimeout's 4 ms clamp. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(resolve, 0);
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

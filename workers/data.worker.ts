/**
 * The data worker: builds DuckDB-WASM and exposes one typed API (`DataApi`) with Comlink.
 * All logic lives in `src/lib/data/engine.ts`, where vitest reaches it; this file only wires
 * the browser pieces (wasm start-up, file handles, transfers, error shape).
 */
import * as Comlink from 'comlink';
import type { BrowseRequest, ColumnRole, DataApi, LoadOptions, ProgressCallback } from '../src/lib/contracts/data-api';
import { startBrowserDuckDb, type BrowserDuckDb } from '../src/lib/data/duckdb-browser';
import { DataEngine } from '../src/lib/data/engine';
import { toErrorInfo } from '../src/lib/data/errors';

let started: Promise<{ duck: BrowserDuckDb; engine: DataEngine }> | undefined;
/** The progress callback of the job currently inside DuckDB (DuckDB reports per query). */
let activeProgress: { callback: ProgressCallback; phase: 'parse' | 'profile' | 'query' } | undefined;

function start(): Promise<{ duck: BrowserDuckDb; engine: DataEngine }> {
  started ??= startBrowserDuckDb((percentage) => {
    activeProgress?.callback({ phase: activeProgress.phase, done: Math.round(percentage), total: 100 });
  }).then((duck) => {
    duck.db.exec('SET enable_progress_bar = true');
    duck.db.exec('SET enable_progress_bar_print = false');
    return { duck, engine: new DataEngine(duck.db, duck.registrar) };
  });
  return started;
}

/** Errors cross as plain `ShopSightErrorInfo` objects: Comlink keeps only message/name of an Error. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toErrorInfo(error, isFatal(error) ? 'fatal' : 'internal');
  }
}

/** A wasm trap or an invalidated database means this DuckDB instance cannot be trusted again. */
function isFatal(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /RuntimeError|unreachable|memory access out of bounds|database has been invalidated|FATAL/i.test(message);
}

function withProgress<T>(
  callback: ProgressCallback | undefined,
  phase: 'parse' | 'profile' | 'query',
  work: () => Promise<T>,
): Promise<T> {
  activeProgress = callback ? { callback, phase } : undefined;
  return work().finally(() => {
    activeProgress = undefined;
    // The callback is a Comlink proxy to the UI thread; release its port or it leaks.
    (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
  });
}

const api: DataApi = {
  init: () =>
    guarded(async () => {
      const { duck } = await start();
      return { duckdbVersion: duck.version, bundle: duck.bundle };
    }),
  loadFile: (jobId, source, fileName, options: LoadOptions, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'parse', () => engine.loadFile(jobId, source, fileName, options, onProgress));
    }),
  listTables: () => guarded(async () => (await start()).engine.listTables()),
  dropTable: (name) => guarded(async () => (await start()).engine.dropTable(name)),
  renameTable: (from, to) => guarded(async () => (await start()).engine.renameTable(from, to)),
  setColumnRole: (table, column, role: ColumnRole) =>
    guarded(async () => (await start()).engine.setColumnRole(table, column, role)),
  query: (jobId, sql, limit) =>
    guarded(async () => {
      const result = await (await start()).engine.query(jobId, sql, limit);
      return Comlink.transfer(result, [result.ipc.buffer]);
    }),
  browse: (request: BrowseRequest) =>
    guarded(async () => {
      const result = await (await start()).engine.browse(request);
      return Comlink.transfer(result, [result.ipc.buffer]);
    }),
  profile: (jobId, table, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'profile', () => engine.profile(jobId, table, onProgress));
    }),
  cancel: (jobId) => guarded(async () => (await start()).engine.cancel(jobId)),
};

Comlink.expose(api);

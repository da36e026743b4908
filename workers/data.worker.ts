/**
 * The data worker: builds DuckDB-WASM and exposes one typed API (`DataApi`) with Comlink.
 * All logic lives in `src/lib/data/engine.ts`, where vitest reaches it; this file only wires
 * the browser pieces (wasm start-up, file handles, transfers, error shape).
 */
import * as Comlink from 'comlink';
import { installNetworkGuard } from '../src/lib/data/network-guard';
import type {
  BrowseRequest,
  ColumnRole,
  DataApi,
  LoadOptions,
  ProgressCallback,
  ProgressEvent as DataProgress,
} from '../src/lib/contracts/data-api';
import { startBrowserDuckDb, type BrowserDuckDb } from '../src/lib/data/duckdb-browser';
import { DataEngine } from '../src/lib/data/engine';
import type { FrameSource } from '../src/lib/contracts/frame';
import { frameTransferables } from '../src/lib/contracts/frame';
import { toErrorInfo } from '../src/lib/data/errors';

// Before anything else can open a connection (see network-guard.ts for why).
installNetworkGuard(self as unknown as Parameters<typeof installNetworkGuard>[0]);

let started: Promise<{ duck: BrowserDuckDb; engine: DataEngine }> | undefined;
/**
 * The progress callback of the job currently inside DuckDB, and the phase it last reported.
 * DuckDB reports a percentage per running statement; it is attributed to that phase.
 */
let activeProgress: { callback: ProgressCallback; phase: DataProgress['phase'] } | undefined;

function start(): Promise<{ duck: BrowserDuckDb; engine: DataEngine }> {
  let lastFileReport = 0;
  started ??= startBrowserDuckDb({
    onQueryProgress(percentage) {
      if (activeProgress && percentage >= 0) {
        activeProgress.callback({ phase: activeProgress.phase, done: Math.round(percentage), total: 100 });
      }
    },
    onFileRead(fileName, position, size) {
      // At most ten reports a second; each one is a message to the UI thread.
      const now = performance.now();
      if (!activeProgress || now - lastFileReport < 100) return;
      lastFileReport = now;
      // No detail: `fileName` is DuckDB's internal staging name, not the user's file.
      void fileName;
      activeProgress.callback({ phase: 'parse', done: Math.min(position, size), total: size });
    },
  }).then((duck) => {
    duck.db.exec('SET enable_progress_bar = true');
    duck.db.exec('SET enable_progress_bar_print = false');
    // Report from the first 100 ms of a statement on (DuckDB waits 2 s by default).
    duck.db.exec('SET progress_bar_time = 100');
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

/** Runs `work` with `callback` receiving both the engine's phase events and DuckDB's percentages. */
function withProgress<T>(
  callback: ProgressCallback | undefined,
  phase: DataProgress['phase'],
  work: (onProgress: ProgressCallback | undefined) => Promise<T>,
): Promise<T> {
  const state = callback ? { callback, phase } : undefined;
  activeProgress = state;
  const tracked: ProgressCallback | undefined = callback
    ? (event) => {
        if (state) state.phase = event.phase;
        callback(event);
      }
    : undefined;
  return work(tracked).finally(() => {
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
      return withProgress(onProgress, 'read', (tracked) => engine.loadFile(jobId, source, fileName, options, tracked));
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
      return withProgress(onProgress, 'profile', (tracked) => engine.profile(jobId, table, tracked));
    }),
  cancel: (jobId) => guarded(async () => (await start()).engine.cancel(jobId)),
  previewRecipe: (jobId, table, recipe, stepIndex, limit) =>
    guarded(async () => {
      const preview = await (await start()).engine.previewRecipe(jobId, table, recipe, stepIndex, limit);
      return Comlink.transfer(preview, [preview.ipc.buffer]);
    }),
  applyRecipe: (jobId, request, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'prepare', (tracked) => engine.applyRecipe(jobId, request, tracked));
    }),
  buildCustomers: (jobId, request, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'prepare', (tracked) => engine.buildCustomers(jobId, request, tracked));
    }),
  buildProducts: (jobId, request, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'prepare', (tracked) => engine.buildProducts(jobId, request, tracked));
    }),
  buildSeries: (jobId, request, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'prepare', (tracked) => engine.buildSeries(jobId, request, tracked));
    }),
  buildLabels: (jobId, request, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'prepare', (tracked) => engine.buildLabels(jobId, request, tracked));
    }),
  selectFeatures: (jobId, request, onProgress) =>
    guarded(async () => {
      const { engine } = await start();
      return withProgress(onProgress, 'select', (tracked) => engine.selectFeatures(jobId, request, tracked));
    }),
  attachFramePort: (port) =>
    guarded(async () => {
      const { engine } = await start();
      const source: FrameSource = {
        describe: (table) => guarded(() => engine.describe(table)),
        readFrame: (request) =>
          guarded(async () => {
            const frame = await engine.readFrame(request);
            return Comlink.transfer(frame, frameTransferables(frame));
          }),
        writeFrame: (request) => guarded(() => engine.writeFrame(request)),
      };
      Comlink.expose(source, port);
    }),
};

Comlink.expose(api);

// Lets the e2e suite prove the supervisor works: an uncaught error in this worker is what a
// wasm trap or an out-of-memory abort looks like from the UI thread. Same-origin only (it is
// a worker message), and it destroys nothing the supervisor cannot restore.
self.addEventListener('message', (event: MessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'shopsight:simulate-crash') {
    setTimeout(() => {
      throw new Error('Simulated crash of the data engine');
    });
  }
});

/**
 * The UI's handle on the data worker: a lazily started Comlink client with a supervisor.
 *
 * The supervisor remembers every file the user loaded (the original Blob, its options and
 * the role corrections made since). When the worker dies — a wasm trap, an out-of-memory
 * crash, a fatal DuckDB error — it starts a fresh worker, loads the same files again under
 * the same names, re-applies the roles, and tells the UI what happened. Calls that were in
 * flight fail with `worker_restarted` instead of hanging forever.
 */
import * as Comlink from 'comlink';
import type {
  BrowseRequest,
  BrowseResult,
  ColumnRole,
  DataApi,
  LoadOptions,
  ProgressCallback,
  QualityReport,
  QueryResult,
  ShopSightErrorInfo,
  TableInfo,
} from '../contracts/data-api';
import type {
  ApplyRecipeRequest,
  ApplyRecipeResult,
  BuildCustomersRequest,
  BuildLabelsRequest,
  BuildProductsRequest,
  BuildResult,
  BuildSeriesRequest,
  Recipe,
  RecipePreview,
  SelectFeaturesRequest,
  SelectFeaturesResult,
} from '../contracts/prepare-api';
import { isErrorInfo } from '../data/errors';
import { newJobId, PendingCalls } from './pending-calls';

interface LoadedSource {
  source: Blob;
  fileName: string;
  options: LoadOptions;
  /** Every column's role as the user last left it (null until they change one). */
  roles: Map<string, ColumnRole> | null;
}

export type SupervisorEvent =
  { kind: 'restarting'; reason: string } | { kind: 'restarted'; restoredTables: string[]; lostTables: string[] };

export interface DataClientOptions {
  /** Creates the worker; tests and benchmarks may pass their own. */
  createWorker?: () => Worker;
  onSupervisorEvent?: (event: SupervisorEvent) => void;
}

/** Job ids for data-worker calls (the same counter as the ML worker's). */
export { newJobId };

function defaultWorker(): Worker {
  return new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'shopsight-data',
  });
}

export class DataClient {
  readonly #options: DataClientOptions;
  #worker: Worker | undefined;
  #remote: Comlink.Remote<DataApi> | undefined;
  #ready: Promise<{ duckdbVersion: string; bundle: string }> | undefined;
  readonly #sources = new Map<string, LoadedSource>();
  /**
   * How to make each derived table again (a recipe's result, a customer table …), in the order
   * they were first made, so a restart can rebuild them after the files they come from.
   */
  readonly #derivations = new Map<string, (api: Comlink.Remote<DataApi>) => Promise<unknown>>();
  /**
   * The table names of the last `listTables`: after a restart, those that neither a file nor a
   * replayable derivation brings back (analysis results written by the ML worker) are reported
   * as lost, so the user knows to run the analysis again.
   */
  #lastListed: string[] = [];
  readonly #pending = new PendingCalls();
  #restarting: Promise<void> | undefined;

  constructor(options: DataClientOptions = {}) {
    this.#options = options;
  }

  /** Starts the worker and DuckDB (idempotent). */
  init(): Promise<{ duckdbVersion: string; bundle: string }> {
    if (!this.#ready) {
      const remote = this.#spawn();
      this.#ready = remote.init();
    }
    return this.#ready;
  }

  async loadFile(
    source: Blob,
    fileName: string,
    options: LoadOptions,
    onProgress?: ProgressCallback,
    jobId = newJobId('load'),
  ): Promise<TableInfo[]> {
    const tables = await this.#call((api) =>
      api.loadFile(jobId, source, fileName, options, onProgress ? Comlink.proxy(onProgress) : undefined),
    );
    for (const table of tables) {
      this.#sources.set(table.name, {
        source,
        fileName,
        options: { ...options, tableName: table.name, replace: true },
        roles: null,
      });
    }
    return tables;
  }

  async listTables(): Promise<TableInfo[]> {
    const tables = await this.#call((api) => api.listTables());
    this.#lastListed = tables.map((t) => t.name);
    return tables;
  }

  async dropTable(name: string): Promise<void> {
    await this.#call((api) => api.dropTable(name));
    this.#sources.delete(name);
    this.#derivations.delete(name);
  }

  async renameTable(from: string, to: string): Promise<TableInfo> {
    const info = await this.#call((api) => api.renameTable(from, to));
    const source = this.#sources.get(from);
    if (source) {
      this.#sources.delete(from);
      this.#sources.set(info.name, { ...source, options: { ...source.options, tableName: info.name } });
    }
    return info;
  }

  async setColumnRole(table: string, column: string, role: ColumnRole): Promise<TableInfo> {
    const info = await this.#call((api) => api.setColumnRole(table, column, role));
    // Keep the whole map: giving a role to one column takes it from another, and a restart
    // must reproduce both (regression: only the column the user touched was remembered).
    const source = this.#sources.get(table);
    if (source) source.roles = new Map(info.columns.map((c) => [c.name, c.role]));
    return info;
  }

  query(sql: string, limit: number, jobId = newJobId('query')): Promise<QueryResult> {
    return this.#call((api) => api.query(jobId, sql, limit));
  }

  browse(request: BrowseRequest): Promise<BrowseResult> {
    return this.#call((api) => api.browse(request));
  }

  profile(table: string, onProgress?: ProgressCallback, jobId = newJobId('profile')): Promise<QualityReport> {
    return this.#call((api) => api.profile(jobId, table, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  previewRecipe(
    table: string,
    recipe: Recipe,
    stepIndex: number,
    limit: number,
    jobId = newJobId('preview'),
  ): Promise<RecipePreview> {
    return this.#call((api) => api.previewRecipe(jobId, table, recipe, stepIndex, limit));
  }

  async applyRecipe(
    request: ApplyRecipeRequest,
    onProgress?: ProgressCallback,
    jobId = newJobId('recipe'),
  ): Promise<ApplyRecipeResult> {
    const result = await this.#call((api) =>
      api.applyRecipe(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined),
    );
    // Replayed with the statistics it was applied with, so a restart gives the same table.
    const replay: ApplyRecipeRequest = { ...request, recipe: result.recipe, into: result.table.name, fit: 'none' };
    this.#remember(result.table.name, (api) => api.applyRecipe(newJobId('restore'), replay));
    return result;
  }

  buildCustomers(request: BuildCustomersRequest, onProgress?: ProgressCallback, jobId = newJobId('build')) {
    return this.#derive(request, jobId, onProgress, (api, r, id, p) => api.buildCustomers(id, r, p));
  }

  buildProducts(request: BuildProductsRequest, onProgress?: ProgressCallback, jobId = newJobId('build')) {
    return this.#derive(request, jobId, onProgress, (api, r, id, p) => api.buildProducts(id, r, p));
  }

  buildSeries(request: BuildSeriesRequest, onProgress?: ProgressCallback, jobId = newJobId('build')) {
    return this.#derive(request, jobId, onProgress, (api, r, id, p) => api.buildSeries(id, r, p));
  }

  buildLabels(request: BuildLabelsRequest, onProgress?: ProgressCallback, jobId = newJobId('build')) {
    return this.#derive(request, jobId, onProgress, (api, r, id, p) => api.buildLabels(id, r, p));
  }

  selectFeatures(
    request: SelectFeaturesRequest,
    onProgress?: ProgressCallback,
    jobId = newJobId('select'),
  ): Promise<SelectFeaturesResult> {
    return this.#call((api) => api.selectFeatures(jobId, request, onProgress ? Comlink.proxy(onProgress) : undefined));
  }

  /**
   * Serves the ML worker's `FrameSource` on `port` (transferred). A restart of the data worker
   * closes it; the `restarted` supervisor event tells the owner to link the workers again.
   */
  attachFramePort(port: MessagePort): Promise<void> {
    return this.#call((api) => api.attachFramePort(Comlink.transfer(port, [port])));
  }

  /** Runs a builder and remembers how to run it again after a restart. */
  async #derive<R extends { into?: string }>(
    request: R,
    jobId: string,
    onProgress: ProgressCallback | undefined,
    run: (
      api: Comlink.Remote<DataApi>,
      request: R,
      jobId: string,
      onProgress?: ProgressCallback,
    ) => Promise<BuildResult>,
  ): Promise<BuildResult> {
    const result = await this.#call((api) =>
      run(api, request, jobId, onProgress ? Comlink.proxy(onProgress) : undefined),
    );
    const replay = { ...request, into: result.table.name };
    this.#remember(result.table.name, (api) => run(api, replay, newJobId('restore')));
    return result;
  }

  cancel(jobId: string): Promise<boolean> {
    return this.#remote ? this.#remote.cancel(jobId) : Promise.resolve(false);
  }

  /** Kills the worker and restarts it with every loaded file (also used by tests to simulate a crash). */
  restart(reason: string): Promise<void> {
    this.#restarting ??= this.#doRestart(reason).finally(() => {
      this.#restarting = undefined;
    });
    return this.#restarting;
  }

  /** For tests: makes the worker die the way a wasm trap would (an uncaught error). */
  simulateCrash(): void {
    this.#worker?.postMessage({ type: 'shopsight:simulate-crash' });
  }

  terminate(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#remote = undefined;
    this.#ready = undefined;
    this.#pending.rejectAll({ code: 'worker_stopped', message: 'The data engine was stopped.' });
  }

  #remember(name: string, replay: (api: Comlink.Remote<DataApi>) => Promise<unknown>): void {
    // A renamed or dropped source makes the replay fail; it is then reported as lost.
    this.#derivations.set(name, replay);
  }

  #spawn(): Comlink.Remote<DataApi> {
    const worker = (this.#options.createWorker ?? defaultWorker)();
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      void this.restart(event.message || 'The data engine crashed.');
    });
    this.#worker = worker;
    this.#remote = Comlink.wrap<DataApi>(worker);
    return this.#remote;
  }

  async #call<T>(work: (api: Comlink.Remote<DataApi>) => Promise<T>): Promise<T> {
    if (this.#restarting) await this.#restarting;
    await this.init();
    const remote = this.#remote;
    if (!remote)
      throw { code: 'worker_stopped', message: 'The data engine is not running.' } satisfies ShopSightErrorInfo;
    try {
      return await this.#pending.track(() => work(remote));
    } catch (error) {
      if (isErrorInfo(error) && error.code === 'fatal') void this.restart(error.message);
      throw error;
    }
  }

  async #doRestart(reason: string): Promise<void> {
    this.#options.onSupervisorEvent?.({ kind: 'restarting', reason });
    this.#worker?.terminate();
    this.#pending.rejectAll({ code: 'worker_restarted', message: `The data engine restarted: ${reason}` });
    const remote = this.#spawn();
    this.#ready = remote.init();
    await this.#ready;
    const restored: string[] = [];
    const lost: string[] = [];
    for (const [name, entry] of this.#sources) {
      try {
        const [loaded] = await remote.loadFile(newJobId('restore'), entry.source, entry.fileName, entry.options);
        if (loaded && entry.roles) await restoreRoles(remote, loaded, entry.roles);
        restored.push(name);
      } catch {
        lost.push(name);
        this.#sources.delete(name);
      }
    }
    for (const [name, replay] of this.#derivations) {
      try {
        await replay(remote);
        restored.push(name);
      } catch {
        lost.push(name);
        this.#derivations.delete(name);
      }
    }
    for (const name of this.#lastListed) if (!restored.includes(name) && !lost.includes(name)) lost.push(name);
    this.#options.onSupervisorEvent?.({ kind: 'restarted', restoredTables: restored, lostTables: lost });
  }
}

/**
 * Sets every column's role to `wanted`. Roles are unique per table, so giving each wanted
 * role first (each steals only from a column that must lose it anyway), then clearing the
 * columns that should have none, reaches exactly the wanted map.
 */
async function restoreRoles(
  remote: Comlink.Remote<DataApi>,
  loaded: TableInfo,
  wanted: ReadonlyMap<string, ColumnRole>,
): Promise<void> {
  let current = loaded;
  const roleOf = (column: string) => current.columns.find((c) => c.name === column)?.role;
  for (const [column, role] of wanted) {
    if (role !== 'none' && roleOf(column) !== role) current = await remote.setColumnRole(loaded.name, column, role);
  }
  for (const [column, role] of wanted) {
    if (role === 'none' && roleOf(column) !== 'none') current = await remote.setColumnRole(loaded.name, column, 'none');
  }
}

/**
 * The data engine: everything the data worker does, written against the `Db` facade so the
 * exact same code runs in the browser worker and in vitest on Node.
 *
 * It keeps the catalog (tables, their columns, roles and load provenance), runs each job with
 * a cancel token, and turns every failure into a `ShopSightError` with a stable code. A failed
 * or cancelled load leaves nothing behind and never touches tables that were already loaded.
 */
import type {
  BrowseRequest,
  BrowseResult,
  ColumnRole,
  DataApi,
  LoadOptions,
  ProgressCallback,
  QualityReport,
  QueryResult,
  TableInfo,
} from '../contracts/data-api';
import { COLUMN_ROLES } from '../contracts/data-api';
import { browseSql } from '../sql/browse';
import { quoteIdent } from '../sql/ident';
import { profileTable } from '../sql/profile';
import { readOnlyQuery } from '../sql/read-only';
import { queryRows } from '../sql/run';
import type { CancelToken, Db } from './db';
import { ShopSightError, toErrorInfo } from './errors';
import { inferAndConvert } from './infer/infer-table';
import { stageFile, type FileRegistrar } from './ingest/stage';
import { rejectsTableName, uniqueTableName, validateTableName } from './table-names';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type {
  ApplyRecipeRequest,
  ApplyRecipeResult,
  BuildCustomersRequest,
  BuildLabelsRequest,
  BuildProductsRequest,
  BuildResult,
  BuildSeriesRequest,
  Derivation,
  RecipePreview,
  SelectFeaturesRequest,
  SelectFeaturesResult,
} from '../contracts/prepare-api';
import { selectFeatures } from '../features/selection/load';
import { correlationMatrixFrom, correlationSql } from '../sql/prepare-summaries';
import { buildCustomerTable } from '../features/customers';
import { buildLabels } from '../features/labels';
import { buildProductTable } from '../features/products';
import { resolveOrderRoles, type OrderRoles } from '../features/roles';
import { buildSalesSeries } from '../features/series';
import { applyRecipe, previewStep } from '../pipeline/apply';
import { fitRecipe } from '../pipeline/fit';
import { parseRecipe, type Recipe } from '../pipeline/steps';
import { checkDerivedTarget, describeDerived } from './derived';
import type { Frame, FrameRequest, FrameSource, WriteFrameRequest } from '../contracts/frame';
import { readFrame, writeFrame } from './frames';

type EngineApi = Omit<DataApi, 'init' | 'attachFramePort'>;

/** More features than this make a heatmap nobody can read (and a p² query). */
const MAX_HEATMAP_FEATURES = 40;

export class DataEngine implements EngineApi {
  readonly #db: Db;
  readonly #registrar: FileRegistrar;
  readonly #catalog = new Map<string, TableInfo>();
  readonly #jobs = new Map<string, CancelToken>();
  /** The tail of the queue of catalog-changing jobs (see `#exclusive`). */
  #writes: Promise<void> = Promise.resolve();

  constructor(db: Db, registrar: FileRegistrar) {
    this.#db = db;
    this.#registrar = registrar;
  }

  get db(): Db {
    return this.#db;
  }

  async loadFile(
    jobId: string,
    source: Blob | ArrayBuffer | string,
    fileName: string,
    options: LoadOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<TableInfo[]> {
    const blob = toBlob(source);
    return this.#job(jobId, (token) =>
      this.#exclusive(token, async () => {
        const progress = onProgress ?? (() => {});
        const staged = await stageFile(this.#db, this.#registrar, blob, fileName, options, {
          onProgress: progress,
          token,
        });
        const created: string[] = [];
        try {
          const results: TableInfo[] = [];
          for (const stage of staged) {
            const requested = options.tableName
              ? staged.length > 1 && stage.sheet
                ? `${options.tableName}_${stage.sheet}`
                : options.tableName
              : stage.suggestedName;
            const name = options.replace
              ? validateTableName(requested)
              : uniqueTableName(requested, (n) => this.#catalog.has(n) || this.#tableExists(n));
            const target = options.replace && this.#catalog.has(name) ? `__replacing_${name}` : name;
            progress({ phase: 'infer', done: 0, total: 1, detail: stage.sheet ?? fileName });
            const converted = await inferAndConvert(
              this.#db,
              stage.stageTable,
              target,
              { decimalSeparator: stage.dialect?.decimalSeparator ?? '.', allVarchar: stage.allVarchar },
              token,
            );
            created.push(target);
            if (target !== name) {
              // Replace atomically only once the new table is complete.
              this.#dropPhysical(name);
              this.#db.exec(`ALTER TABLE ${quoteIdent(target)} RENAME TO ${quoteIdent(name)}`);
              if (this.#tableExists(rejectsTableName(target))) {
                this.#db.exec(
                  `ALTER TABLE ${quoteIdent(rejectsTableName(target))} RENAME TO ${quoteIdent(rejectsTableName(name))}`,
                );
              }
              created[created.length - 1] = name;
            }
            const rows = Number(this.#db.scalar(`SELECT count(*)::DOUBLE FROM ${quoteIdent(name)}`) ?? 0);
            const info: TableInfo = {
              name,
              rows,
              columns: converted.columns,
              source: {
                fileName,
                format: stage.format,
                bytes: stage.bytes,
                ...(stage.encoding ? { encoding: stage.encoding } : {}),
                ...(stage.dialect ? { dialect: stage.dialect } : {}),
                ...(stage.sheet ? { sheet: stage.sheet } : {}),
              },
              warnings: [...stage.warnings, ...converted.warnings],
            };
            this.#catalog.set(name, info);
            results.push(info);
            progress({ phase: 'convert', done: 1, total: 1, detail: name });
          }
          return results;
        } catch (error) {
          for (const name of created) {
            if (!this.#catalog.has(name)) this.#dropPhysical(name);
          }
          throw error;
        } finally {
          for (const stage of staged) this.#db.exec(`DROP TABLE IF EXISTS ${quoteIdent(stage.stageTable)}`);
        }
      }),
    );
  }

  async listTables(): Promise<TableInfo[]> {
    return [...this.#catalog.values()];
  }

  async dropTable(name: string): Promise<void> {
    this.#require(name);
    this.#dropPhysical(name);
    this.#catalog.delete(name);
  }

  async renameTable(from: string, to: string): Promise<TableInfo> {
    const info = this.#require(from);
    const target = validateTableName(to);
    if (target === from) return info;
    if (this.#catalog.has(target) || this.#tableExists(target)) {
      throw new ShopSightError({
        code: 'name_taken',
        message: `A table named "${target}" already exists.`,
        params: { name: target },
      });
    }
    this.#db.exec(`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(target)}`);
    if (this.#tableExists(rejectsTableName(from))) {
      this.#db.exec(
        `ALTER TABLE ${quoteIdent(rejectsTableName(from))} RENAME TO ${quoteIdent(rejectsTableName(target))}`,
      );
    }
    const renamed: TableInfo = { ...info, name: target };
    this.#catalog.delete(from);
    this.#catalog.set(target, renamed);
    return renamed;
  }

  async setColumnRole(table: string, column: string, role: ColumnRole): Promise<TableInfo> {
    const info = this.#require(table);
    if (!COLUMN_ROLES.includes(role)) {
      throw new ShopSightError({ code: 'bad_role', message: `Unknown role "${role}".`, params: { role } });
    }
    if (!info.columns.some((c) => c.name === column)) {
      throw new ShopSightError({
        code: 'not_found',
        message: `Table "${table}" has no column "${column}".`,
        params: { table, column },
      });
    }
    // A role belongs to at most one column: giving it to this column takes it from any other.
    const columns = info.columns.map((c) => {
      if (c.name === column) return { ...c, role, roleSetByUser: true };
      if (role !== 'none' && c.role === role) return { ...c, role: 'none' as const, roleSetByUser: true };
      return c;
    });
    const updated = { ...info, columns };
    this.#catalog.set(table, updated);
    return updated;
  }

  async query(jobId: string, sql: string, limit: number): Promise<QueryResult> {
    return this.#job(jobId, async (token) => {
      const started = performance.now();
      const wrapped = readOnlyQuery(sql, limit);
      let ipc: Uint8Array;
      try {
        ipc = await this.#db.runCancellable(wrapped, token);
      } catch (error) {
        if (error instanceof ShopSightError) throw error;
        throw new ShopSightError({ code: 'sql_error', message: cleanDuckDbMessage(toErrorInfo(error).message) });
      }
      const table = tableFromIPC(ipc);
      const truncated = table.numRows > limit;
      // The wrapper asked for limit + 1 rows only to learn whether there are more.
      if (truncated) ipc = tableToIPC(table.slice(0, limit), 'stream');
      return { ipc, rowCount: Math.min(table.numRows, limit), truncated, elapsedMs: performance.now() - started };
    });
  }

  async browse(request: BrowseRequest): Promise<BrowseResult> {
    this.#require(request.table);
    const started = performance.now();
    const { page, count } = browseSql(request);
    try {
      const ipc = this.#db.ipc(page);
      const totalRows = Number(this.#db.scalar(count) ?? 0);
      const rowCount = tableFromIPC(ipc).numRows;
      return { ipc, rowCount, totalRows, truncated: false, elapsedMs: performance.now() - started };
    } catch (error) {
      throw new ShopSightError({ code: 'sql_error', message: cleanDuckDbMessage(toErrorInfo(error).message) });
    }
  }

  async profile(jobId: string, table: string, onProgress?: ProgressCallback): Promise<QualityReport> {
    const info = this.#require(table);
    return this.#job(jobId, (token) =>
      profileTable(this.#db, table, info.columns, { token, ...(onProgress ? { onProgress } : {}) }),
    );
  }

  async previewRecipe(
    jobId: string,
    table: string,
    recipe: Recipe,
    stepIndex: number,
    limit: number,
  ): Promise<RecipePreview> {
    this.#require(table);
    const parsed = parseRecipe(recipe);
    return this.#job(jobId, (token) => previewStep(this.#db, table, parsed, stepIndex, limit, { token }));
  }

  async applyRecipe(
    jobId: string,
    request: ApplyRecipeRequest,
    onProgress?: ProgressCallback,
  ): Promise<ApplyRecipeResult> {
    const source = this.#require(request.table);
    const recipe = parseRecipe(request.recipe);
    const into = validateTableName(request.into ?? `${request.table}_prepared`);
    checkDerivedTarget(into, request.table, this.#catalog.get(into));
    const progress = onProgress ?? (() => {});
    return this.#job(jobId, (token) =>
      this.#exclusive(token, async () => {
        const started = performance.now();
        const mode = request.fit ?? 'missing';
        progress({ phase: 'fit', done: 0, total: 2 });
        const fitted =
          mode === 'none'
            ? recipe
            : await fitRecipe(this.#db, request.table, recipe, { token, onlyMissing: mode === 'missing' });
        progress({ phase: 'prepare', done: 1, total: 2 });
        const result = await applyRecipe(this.#db, request.table, fitted, into, token);
        const info = describeDerived(this.#db, into, source, { kind: 'recipe', from: request.table });
        this.#catalog.set(into, info);
        progress({ phase: 'prepare', done: 2, total: 2 });
        return { table: info, recipe: fitted, perStep: result.perStep, elapsedMs: performance.now() - started };
      }),
    );
  }

  async buildCustomers(
    jobId: string,
    request: BuildCustomersRequest,
    onProgress?: ProgressCallback,
  ): Promise<BuildResult> {
    return this.#build(
      jobId,
      request.table,
      request.into ?? `${request.table}_customers`,
      'customers',
      onProgress,
      (into, roles, token) =>
        buildCustomerTable(
          this.#db,
          { table: request.table, roles, into, ...(request.cutoff ? { cutoff: request.cutoff } : {}) },
          token,
        ).then((s) => ({ summary: { cutoff: s.cutoff, excludedNullCustomers: s.excludedNullCustomers } })),
    );
  }

  async buildProducts(
    jobId: string,
    request: BuildProductsRequest,
    onProgress?: ProgressCallback,
  ): Promise<BuildResult> {
    return this.#build(
      jobId,
      request.table,
      request.into ?? `${request.table}_products`,
      'products',
      onProgress,
      (into, roles, token) =>
        buildProductTable(
          this.#db,
          { table: request.table, roles, into, ...(request.cutoff ? { cutoff: request.cutoff } : {}) },
          token,
        ).then((s) => ({ summary: { cutoff: s.cutoff ?? null, excludedNullProducts: s.excludedNullProducts } })),
    );
  }

  async buildSeries(jobId: string, request: BuildSeriesRequest, onProgress?: ProgressCallback): Promise<BuildResult> {
    const into = request.into ?? `${request.table}_${request.freq}ly_${request.measure}`.replace('dayly', 'daily');
    return this.#build(jobId, request.table, into, 'series', onProgress, (target, roles, token) =>
      buildSalesSeries(
        this.#db,
        {
          table: request.table,
          roles,
          into: target,
          freq: request.freq,
          measure: request.measure,
          ...(request.by ? { by: request.by } : {}),
          ...(request.topN ? { topN: request.topN } : {}),
        },
        token,
      ).then((s) => ({
        summary: { periods: s.periods, groups: s.groups, from: s.from ?? null, to: s.to ?? null, freq: request.freq },
      })),
    );
  }

  async buildLabels(jobId: string, request: BuildLabelsRequest, onProgress?: ProgressCallback): Promise<BuildResult> {
    return this.#build(
      jobId,
      request.table,
      request.into ?? `${request.table}_labels`,
      'labels',
      onProgress,
      (into, roles, token) =>
        buildLabels(
          this.#db,
          {
            table: request.table,
            roles,
            into,
            cutoff: request.cutoff,
            horizonDays: request.horizonDays,
            kind: request.kind,
            ...(request.threshold === undefined ? {} : { threshold: request.threshold }),
          },
          token,
        ).then((s) => ({
          summary: {
            cutoff: s.cutoff,
            windowEnd: s.windowEnd,
            kind: s.kind,
            horizonDays: s.horizonDays,
            excludedNullCustomers: s.excludedNullCustomers,
          },
          classBalance: { positives: s.positives, negatives: s.negatives, positiveShare: s.share },
          warnings: s.warnings,
        })),
    );
  }

  /** Ranks the features of `request.table` for its target; adds their correlations for the heatmap. */
  async selectFeatures(
    jobId: string,
    request: SelectFeaturesRequest,
    onProgress?: ProgressCallback,
  ): Promise<SelectFeaturesResult> {
    this.#require(request.table);
    return this.#job(jobId, async (token) => {
      const result = await selectFeatures(this.#db, request, token, onProgress);
      const features = result.features.map((f) => f.feature);
      if (features.length < 2 || features.length > MAX_HEATMAP_FEATURES) return result;
      const [row] = await queryRows(this.#db, correlationSql(request.table, features), token);
      return { ...result, correlation: { features, matrix: correlationMatrixFrom(row ?? {}, features.length) } };
    });
  }

  /** Runs a feature builder from a role-mapped table into a new derived table. */
  async #build(
    jobId: string,
    table: string,
    target: string,
    kind: Derivation['kind'],
    onProgress: ProgressCallback | undefined,
    run: (
      into: string,
      roles: OrderRoles,
      token: CancelToken,
    ) => Promise<Pick<BuildResult, 'summary'> & Partial<Pick<BuildResult, 'classBalance' | 'warnings'>>>,
  ): Promise<BuildResult> {
    const source = this.#require(table);
    const into = validateTableName(target);
    checkDerivedTarget(into, table, this.#catalog.get(into));
    const roles = resolveOrderRoles(source.columns);
    return this.#job(jobId, (token) =>
      this.#exclusive(token, async () => {
        const started = performance.now();
        onProgress?.({ phase: 'prepare', done: 0, total: 1 });
        const result = await run(into, roles, token);
        const info = describeDerived(this.#db, into, source, { kind, from: table });
        this.#catalog.set(into, info);
        onProgress?.({ phase: 'prepare', done: 1, total: 1 });
        return { warnings: [], ...result, table: info, elapsedMs: performance.now() - started };
      }),
    );
  }

  /** The catalog entry of a table (for the ML worker's `FrameSource`). */
  async describe(table: string): Promise<TableInfo> {
    return this.#require(table);
  }

  /** Columns of a table as a frame (see `contracts/frame.ts`). */
  async readFrame(request: FrameRequest): Promise<Frame> {
    return readFrame(this.#db, this.#require(request.table), request);
  }

  /** Stores an analysis result as a derived table; never over a loaded table or its source. */
  async writeFrame(request: WriteFrameRequest): Promise<TableInfo> {
    const name = validateTableName(request.name);
    checkDerivedTarget(name, request.derivation.from, this.#catalog.get(name));
    writeFrame(this.#db, { ...request, name });
    const info = describeDerived(this.#db, name, this.#catalog.get(request.derivation.from), request.derivation);
    this.#catalog.set(name, info);
    return info;
  }

  async cancel(jobId: string): Promise<boolean> {
    const token = this.#jobs.get(jobId);
    if (!token) return false;
    token.cancelled = true;
    return true;
  }

  /**
   * Runs catalog-changing work (loads, recipes, builders) one at a time, in call order. Two
   * loads dropped at once used to interleave at their await points and trip over each other's
   * staging tables; queries, browsing and profiling still run alongside. A job cancelled while
   * it waits never starts.
   */
  #exclusive<T>(token: CancelToken, work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(() => {
      if (token.cancelled) throw ShopSightError.cancelled();
      return work();
    });
    this.#writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #job<T>(jobId: string, work: (token: CancelToken) => Promise<T>): Promise<T> {
    if (this.#jobs.has(jobId))
      throw new ShopSightError({ code: 'duplicate_job', message: `Job ${jobId} is already running.` });
    const token: CancelToken = { cancelled: false };
    this.#jobs.set(jobId, token);
    try {
      return await work(token);
    } finally {
      this.#jobs.delete(jobId);
    }
  }

  #require(name: string): TableInfo {
    const info = this.#catalog.get(name);
    if (!info)
      throw new ShopSightError({ code: 'not_found', message: `There is no table named "${name}".`, params: { name } });
    return info;
  }

  #tableExists(name: string): boolean {
    return (
      Number(
        this.#db.scalar(
          `SELECT count(*)::DOUBLE FROM duckdb_tables() WHERE table_name = '${name.replaceAll("'", "''")}'`,
        ),
      ) > 0
    );
  }

  #dropPhysical(name: string): void {
    this.#db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    this.#db.exec(`DROP TABLE IF EXISTS ${quoteIdent(rejectsTableName(name))}`);
  }
}

function toBlob(source: Blob | ArrayBuffer | string): Blob {
  if (typeof source === 'string') return new Blob([source], { type: 'text/plain;charset=utf-8' });
  if (source instanceof ArrayBuffer) return new Blob([source]);
  return source;
}

/** DuckDB prefixes messages with "Parser Error: " and the like; keep the useful part. */
export function cleanDuckDbMessage(message: string): string {
  return message.replace(/^(?:[A-Z][a-z]+ )*Error: /, '').trim();
}

/** The engine as the ML services see it (tests use this in place of the worker port). */
export function engineFrameSource(engine: DataEngine): FrameSource {
  return {
    describe: (table) => engine.describe(table),
    readFrame: (request) => engine.readFrame(request),
    writeFrame: (request) => engine.writeFrame(request),
  };
}

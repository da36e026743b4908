/**
 * The embed API's methods, one table entry each: `validate` turns untrusted `params` into a
 * typed value or a `bad_params` error without touching any state, and `run` does the work
 * through the narrow `EmbedBackend`. Adding a method is adding an entry to `EMBED_METHODS`
 * (and a section to docs/embed-api.md).
 */
import type { ClassifyBackend } from './classify-methods';
import type {
  ColumnRole,
  LoadOptions,
  LoadWarning,
  ProgressCallback,
  QualityReport,
  QueryResult,
  ShopSightErrorInfo,
  TableInfo,
  TextEncoding,
} from '../contracts/data-api';
import type {
  ApplyRecipeRequest,
  ApplyRecipeResult,
  BuildCustomersRequest,
  BuildLabelsRequest,
  BuildProductsRequest,
  BuildResult,
  BuildSeriesRequest,
  SelectFeaturesRequest,
  SelectFeaturesResult,
} from '../contracts/prepare-api';
import { decodeIpc, type Cell } from '../data/arrow';
import { ShopSightError } from '../data/errors';
import { EMBED_PROTOCOL_VERSION, describeValue } from './protocol';
import { BadParamsError, ParamReader } from './params';
import { checkReadOnlySql } from '../sql/statement';
import type { ForecastBackend } from './forecast-methods';
import type { SegmentsBackend } from './segments-methods';
import type { RecommendBackend } from './recommend-methods';

/**
 * What the embed methods need from the data layer: `DataApi`'s shapes without job ids
 * (the adapter in backend.ts makes one per call), so tests can pass a fake.
 */
export interface EmbedBackend {
  loadFile(source: Blob, fileName: string, options: LoadOptions, onProgress: ProgressCallback): Promise<TableInfo[]>;
  listTables(): Promise<TableInfo[]>;
  query(sql: string, limit: number): Promise<QueryResult>;
  profile(table: string, onProgress: ProgressCallback): Promise<QualityReport>;
  dropTable(name: string): Promise<void>;
  applyRecipe(request: ApplyRecipeRequest, onProgress: ProgressCallback): Promise<ApplyRecipeResult>;
  buildCustomers(request: BuildCustomersRequest, onProgress: ProgressCallback): Promise<BuildResult>;
  buildProducts(request: BuildProductsRequest, onProgress: ProgressCallback): Promise<BuildResult>;
  buildSeries(request: BuildSeriesRequest, onProgress: ProgressCallback): Promise<BuildResult>;
  buildLabels(request: BuildLabelsRequest, onProgress: ProgressCallback): Promise<BuildResult>;
  selectFeatures(request: SelectFeaturesRequest, onProgress: ProgressCallback): Promise<SelectFeaturesResult>;
  /** The Forecast chapter (ML worker). */
  forecast: ForecastBackend;
  /** Segments and anomalies (ML worker). */
  segments: SegmentsBackend;
  /** Recommendations and review sentiment (the ML worker). */
  recommend: RecommendBackend;
  /** Classify in the ML worker (see classify-methods.ts). */
  classify: ClassifyBackend;
}

/** Facts about the bridge a method may report (used by `hello`). */
export interface EmbedCallContext {
  version: string;
  methods: readonly string[];
}

export type Validation<P> = { ok: true; value: P } | { ok: false; error: ShopSightErrorInfo };

/** One method of the embed API. */
export interface EmbedMethod<P, R> {
  /** True when a successful call changes the set of tables (the UI refreshes on it). */
  readonly mutates: boolean;
  /** Checks `params` without side effects. */
  validate(params: Record<string, unknown>): Validation<P>;
  // Declared as a method (not a property) on purpose: method parameters are bivariant, so
  // any EmbedMethod<P, R> fits the EmbedMethodTable below without an `any`. It is only ever
  // called with the value its own `validate` produced.
  run(backend: EmbedBackend, params: P, progress: ProgressCallback, context: EmbedCallContext): Promise<R>;
}

export type EmbedMethodTable = Readonly<Record<string, EmbedMethod<unknown, unknown>>>;

/** Builds a table entry from a params parser (a `ParamReader` callback) and a runner. */
export function defineMethod<P, R>(
  name: string,
  spec: {
    mutates?: boolean;
    /** Every parameter name the method accepts. */
    params: readonly string[];
    parse(reader: ParamReader): P;
    run(backend: EmbedBackend, params: P, progress: ProgressCallback, context: EmbedCallContext): Promise<R>;
  },
): EmbedMethod<P, R> {
  return {
    mutates: spec.mutates ?? false,
    validate(params) {
      try {
        return { ok: true, value: spec.parse(new ParamReader(name, params, spec.params)) };
      } catch (error) {
        if (error instanceof BadParamsError) return { ok: false, error: error.info };
        throw error;
      }
    },
    run: spec.run,
  };
}

// ---------------------------------------------------------------------------------------
// Result shapes (documented in docs/embed-api.md)

export interface EmbedColumn {
  name: string;
  /** DuckDB type, e.g. `DOUBLE`, `DATE`, `VARCHAR`. */
  type: string;
  role: ColumnRole;
}

export interface EmbedTable {
  name: string;
  rows: number;
  columns: EmbedColumn[];
  /** The workbook sheet the table came from, when it did. */
  sheet?: string;
}

export interface EmbedLoadedTable extends EmbedTable {
  warnings: { code: string; message: string; params?: Record<string, string | number> }[];
}

export interface LoadTableParams {
  name?: string;
  fileName: string;
  data: Blob;
  encoding?: TextEncoding;
  replace?: boolean;
}

/** The first table of the file; `alsoLoaded` lists the other sheets of a workbook. */
export interface LoadTableResult extends EmbedLoadedTable {
  alsoLoaded?: EmbedLoadedTable[];
}

export interface QueryParams {
  sql: string;
  limit: number;
}

export interface EmbedQueryResult {
  /** `type` is DuckDB's type name, e.g. `VARCHAR`, `DOUBLE`, `INTEGER`, `DATE` (see `sqlTypeName`). */
  columns: { name: string; type: string }[];
  /** One array per row, cells in column order: numbers, strings, booleans or null. */
  rows: Cell[][];
  /** True when more rows matched than `limit`. */
  truncated: boolean;
  elapsedMs: number;
}

export interface HelloResult {
  protocol: number;
  version: string;
  methods: string[];
}

// ---------------------------------------------------------------------------------------
// Limits

export const QUERY_DEFAULT_LIMIT = 1_000;
export const QUERY_MAX_LIMIT = 100_000;
export const MAX_SQL_LENGTH = 1_000_000;
export const MAX_NAME_LENGTH = 256;
export const MAX_FILE_NAME_LENGTH = 255;

const ENCODINGS: Readonly<Record<string, TextEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  'windows-1252': 'windows-1252',
};

/** Formats that cannot arrive as a JS string without corruption. */
const BINARY_EXTENSIONS = /\.(xlsx|xlsm|xls|parquet|pq|gz|gzip|zip)$/i;

export const NAME_RULE = { maxLength: MAX_NAME_LENGTH };

// ---------------------------------------------------------------------------------------
// Helpers

/** A table as the embed API describes it (name, rows, columns with types and roles). */
export function summarise(table: TableInfo): EmbedTable {
  const summary: EmbedTable = {
    name: table.name,
    rows: table.rows,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, role: c.role })),
  };
  if (table.source?.sheet !== undefined) summary.sheet = table.source.sheet;
  return summary;
}

function summariseLoaded(table: TableInfo): EmbedLoadedTable {
  return {
    ...summarise(table),
    warnings: table.warnings.map((w: LoadWarning) => {
      const warning: EmbedLoadedTable['warnings'][number] = { code: w.code, message: w.message };
      if (w.params) warning.params = { ...w.params };
      return warning;
    }),
  };
}

/**
 * `data` as a Blob (the data layer's preferred source): a string becomes UTF-8, bytes are
 * wrapped without copying. Accepts a Blob/File directly too (structured-cloneable).
 */
function readData(p: ParamReader): { blob: Blob; isText: boolean } {
  const data = p.raw('data');
  if (typeof data === 'string') {
    if (data.length === 0) p.fail('data', 'is empty.');
    return { blob: new Blob([data], { type: 'text/plain;charset=utf-8' }), isText: true };
  }
  if (data instanceof ArrayBuffer) {
    if (data.byteLength === 0) p.fail('data', 'is empty (or its ArrayBuffer was already transferred).');
    return { blob: new Blob([data]), isText: false };
  }
  if (ArrayBuffer.isView(data)) {
    if (!(data.buffer instanceof ArrayBuffer)) p.fail('data', 'must not be backed by a SharedArrayBuffer.');
    if (data.byteLength === 0) p.fail('data', 'is empty.');
    return { blob: new Blob([new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]), isText: false };
  }
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    if (data.size === 0) p.fail('data', 'is empty.');
    return { blob: data, isText: false };
  }
  if (data === undefined) p.fail('data', 'is required: the file contents as an ArrayBuffer, a string or a Blob.');
  return p.fail('data', `must be an ArrayBuffer, a typed array, a string or a Blob, got ${describeValue(data)}.`);
}

function readEncoding(p: ParamReader): TextEncoding | undefined {
  const value = p.raw('encoding');
  if (value === undefined) return undefined;
  const encoding = typeof value === 'string' ? ENCODINGS[value.trim().toLowerCase()] : undefined;
  if (!encoding) {
    p.fail('encoding', `must be one of utf-8, utf-16le, utf-16be, gb18030, windows-1252, got ${describeValue(value)}.`);
  }
  return encoding;
}

// ---------------------------------------------------------------------------------------
// The table

/** The v1 methods of the first release (tables, SQL, quality). Keys are the wire names. */
export const CORE_METHODS = {
  /** Version and method list; lets a host that missed `ready` check the app is up. */
  hello: defineMethod('hello', {
    params: [],
    parse: () => ({}),
    run: async (_backend, _params, _progress, context): Promise<HelloResult> => ({
      protocol: EMBED_PROTOCOL_VERSION,
      version: context.version,
      methods: [...context.methods],
    }),
  }),

  loadTable: defineMethod('loadTable', {
    mutates: true,
    params: ['fileName', 'name', 'data', 'encoding', 'replace'],
    parse(p): LoadTableParams {
      const fileName = p.string('fileName', { maxLength: MAX_FILE_NAME_LENGTH });
      const name = p.optionalString('name', NAME_RULE);
      const { blob, isText } = readData(p);
      const encoding = readEncoding(p);
      const replace = p.optionalBoolean('replace');
      if (isText) {
        if (BINARY_EXTENSIONS.test(fileName)) {
          p.fail(
            'data',
            `must be bytes (an ArrayBuffer) for ${fileName}: workbooks, Parquet and compressed files are binary.`,
          );
        }
        if (encoding !== undefined && encoding !== 'utf-8') {
          p.fail('encoding', 'applies to bytes only: string data is already text (it is loaded as UTF-8).');
        }
      }
      const params: LoadTableParams = { fileName, data: blob };
      if (name !== undefined) params.name = name;
      // A string was encoded as UTF-8 above; say so rather than letting the sniffer guess.
      const effective = isText ? 'utf-8' : encoding;
      if (effective !== undefined) params.encoding = effective;
      if (replace !== undefined) params.replace = replace;
      return params;
    },
    async run(backend, params, progress): Promise<LoadTableResult> {
      const options: LoadOptions = {};
      if (params.name !== undefined) options.tableName = params.name;
      if (params.encoding !== undefined) options.encoding = params.encoding;
      if (params.replace !== undefined) options.replace = params.replace;
      const tables = await backend.loadFile(params.data, params.fileName, options, progress);
      const [first, ...rest] = tables;
      if (!first) throw new ShopSightError({ code: 'no_tables', message: `${params.fileName} contains no table.` });
      const result: LoadTableResult = summariseLoaded(first);
      if (rest.length > 0) result.alsoLoaded = rest.map(summariseLoaded);
      return result;
    },
  }),

  listTables: defineMethod('listTables', {
    params: [],
    parse: () => ({}),
    run: async (backend): Promise<EmbedTable[]> => (await backend.listTables()).map(summarise),
  }),

  query: defineMethod('query', {
    params: ['sql', 'limit'],
    parse(p): QueryParams {
      const sql = p.string('sql', { maxLength: MAX_SQL_LENGTH, allowControl: true });
      const limit = p.optionalInteger('limit', { min: 1, max: QUERY_MAX_LIMIT }) ?? QUERY_DEFAULT_LIMIT;
      return { sql, limit };
    },
    async run(backend, { sql, limit }): Promise<EmbedQueryResult> {
      const problem = checkReadOnlySql(sql);
      if (problem) throw new ShopSightError(problem);
      const result = await backend.query(sql, limit);
      const decoded = decodeIpc(result.ipc);
      const count = Math.min(decoded.rowCount, limit);
      const width = decoded.columns.length;
      const rows: Cell[][] = new Array<Cell[]>(count);
      for (let r = 0; r < count; r++) {
        const row = new Array<Cell>(width);
        for (let c = 0; c < width; c++) row[c] = decoded.cell(r, c);
        rows[r] = row;
      }
      return {
        columns: decoded.columns,
        rows,
        truncated: result.truncated || decoded.rowCount > limit,
        elapsedMs: result.elapsedMs,
      };
    },
  }),

  profile: defineMethod('profile', {
    params: ['table'],
    parse: (p) => ({ table: p.string('table', NAME_RULE) }),
    run: (backend, { table }, progress): Promise<QualityReport> => backend.profile(table, progress),
  }),

  dropTable: defineMethod('dropTable', {
    mutates: true,
    params: ['name'],
    parse: (p) => ({ name: p.string('name', NAME_RULE) }),
    async run(backend, { name }): Promise<{ dropped: string }> {
      await backend.dropTable(name);
      return { dropped: name };
    },
  }),
} satisfies EmbedMethodTable;

/** Looks a method up by wire name; own entries only (`toString`, `__proto__` are unknown). */
export function findMethod(table: EmbedMethodTable, name: string): EmbedMethod<unknown, unknown> | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/**
 * The typed boundary between the UI (and the embed host) and the data worker.
 *
 * Everything here is a plain, structured-cloneable DTO: no class instances, no Svelte
 * proxies, no BigInt. Query results cross as Arrow IPC bytes (transferred, never row
 * objects); see `src/lib/data/arrow.ts` for the one place they are decoded.
 */
import type {
  ApplyRecipeRequest,
  ApplyRecipeResult,
  BuildCustomersRequest,
  BuildLabelsRequest,
  BuildProductsRequest,
  BuildResult,
  BuildSeriesRequest,
  Derivation,
  Recipe,
  RecipePreview,
  SelectFeaturesRequest,
  SelectFeaturesResult,
} from './prepare-api';

/** E-commerce meaning of a column; drives every later analysis. */
export type ColumnRole =
  | 'order_id'
  | 'customer_id'
  | 'product_id'
  | 'product_name'
  | 'category'
  | 'timestamp'
  | 'quantity'
  | 'unit_price'
  | 'line_amount'
  | 'country'
  | 'review_text'
  | 'rating'
  | 'none';

export const COLUMN_ROLES: readonly ColumnRole[] = [
  'order_id',
  'customer_id',
  'product_id',
  'product_name',
  'category',
  'timestamp',
  'quantity',
  'unit_price',
  'line_amount',
  'country',
  'review_text',
  'rating',
  'none',
];

/**
 * What a text column was recognised as during ingest. `text` means it stays text
 * (including IDs with leading zeros, which must never become numbers).
 */
export type SemanticKind =
  'integer' | 'decimal' | 'money' | 'percent' | 'boolean' | 'date' | 'timestamp' | 'id' | 'text' | 'native';

export interface ColumnInfo {
  name: string;
  /** DuckDB type after ingest, e.g. `DOUBLE`, `DATE`, `VARCHAR`. */
  type: string;
  role: ColumnRole;
  /** Whether `role` was set by the user (kept across reloads) rather than guessed. */
  roleSetByUser?: boolean;
  kind: SemanticKind;
  /** Human-readable pattern that was recognised, e.g. `m/d/yyyy`, `$1,234.50`. */
  format?: string;
}

export type FileFormat = 'csv' | 'xlsx' | 'xls' | 'parquet' | 'json' | 'ndjson';

/** Text encodings ShopSight detects and can be told to use. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  decimalSeparator: '.' | ',';
}

export interface LoadOptions {
  /** Table name; derived from the file (and sheet) name when absent. */
  tableName?: string;
  /** Force an encoding instead of detecting it. */
  encoding?: TextEncoding;
  /** Override parts of the sniffed CSV dialect. */
  dialect?: Partial<CsvDialect>;
  /** Replace a table of the same name instead of picking a fresh name. */
  replace?: boolean;
}

/** A non-fatal note about a load, shown beside the table ("loaded with warnings"). */
export interface LoadWarning {
  code: string;
  message: string;
  /** Extra values for the message template (i18n). */
  params?: Record<string, string | number>;
}

export interface TableInfo {
  name: string;
  rows: number;
  columns: ColumnInfo[];
  source?: {
    fileName: string;
    format: FileFormat;
    encoding?: TextEncoding;
    dialect?: CsvDialect;
    sheet?: string;
    bytes: number;
  };
  warnings: LoadWarning[];
  /** Set on tables ShopSight made (a recipe's result, a customer table …). */
  derived?: Derivation;
}

export interface ProgressEvent {
  phase:
    | 'read'
    | 'decode'
    | 'parse'
    | 'infer'
    | 'convert'
    | 'profile'
    | 'query'
    | 'prepare'
    | 'fit'
    | 'select'
    // Analyses (ML worker): training, cross-validation / backtests, scoring rows, storing results.
    | 'train'
    | 'evaluate'
    | 'score'
    | 'write';
  done: number;
  total: number;
  /** Free text such as the file or sheet name. */
  detail?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/** Arrow IPC stream bytes plus what the UI needs without decoding them. */
export interface QueryResult {
  ipc: Uint8Array;
  rowCount: number;
  /** True when more rows matched than `limit` allowed. */
  truncated: boolean;
  elapsedMs: number;
}

export interface SortSpec {
  column: string;
  descending: boolean;
}

export type FilterOp = 'contains' | 'equals' | 'not_equals' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_null' | 'not_null';

export interface FilterSpec {
  column: string;
  op: FilterOp;
  value?: string | number | boolean;
}

export interface BrowseRequest {
  table: string;
  offset: number;
  limit: number;
  sort?: SortSpec[];
  filters?: FilterSpec[];
}

export interface BrowseResult extends QueryResult {
  /** Rows matching the filters (not just this page). */
  totalRows: number;
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: string;
  kind: SemanticKind;
  role: ColumnRole;
  missing: number;
  missingShare: number;
  distinct: number;
  /** True when `distinct` is a HyperLogLog estimate (tables of more than 100,000 rows). */
  distinctApproximate?: boolean;
  min?: string | number;
  max?: string | number;
  mean?: number;
  std?: number;
  quantiles?: { p25: number; p50: number; p75: number };
  histogram?: HistogramBin[];
  topValues?: TopValue[];
  /** Non-empty values that did not fit the inferred type (kept in the rejects list). */
  typeProblems: number;
  typeProblemExamples?: { row: number; value: string }[];
  /** Values outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. */
  outliers?: number;
  negatives?: number;
  zeros?: number;
  /** For date/timestamp columns. */
  dateCoverage?: { from: string; to: string; days: number; missingDays: number; largestGapDays: number };
}

export type FindingSeverity = 'info' | 'warning' | 'problem';

/** A plain-language observation ("412 lines have a negative quantity: returns?"). */
export interface Finding {
  code: string;
  severity: FindingSeverity;
  dimension: 'completeness' | 'consistency' | 'accuracy' | 'timeliness' | 'uniqueness';
  column?: string;
  count?: number;
  share?: number;
  /** Parameters for the i18n message of `code`. */
  params: Record<string, string | number>;
}

export interface QualityReport {
  table: string;
  rows: number;
  columns: number;
  duplicateRows: number;
  /** Duplicates of the guessed key (order id + product id for order lines, else the id column). */
  keyDuplicates?: { key: string[]; count: number };
  columnProfiles: ColumnProfile[];
  findings: Finding[];
  /** 0–100; each dimension weighs in as documented in `src/lib/sql/profile.ts`. */
  score: number;
  dimensionScores: Record<Finding['dimension'], number>;
  elapsedMs: number;
}

/** Errors cross Comlink as plain objects with a stable code for i18n and the embed API. */
export interface ShopSightErrorInfo {
  code: string;
  message: string;
  params?: Record<string, string | number>;
  /** 1-based line and column in the source file, when known. */
  line?: number;
  column?: number | string;
}

export interface SampleInfo {
  id: string;
  fileName: string;
  title: string;
  /** The title in Simplified Chinese. */
  titleZh: string;
  rows: number;
  licence: string;
  attribution: string;
}

/** The data worker's API, exposed with Comlink by `workers/data.worker.ts`. */
export interface DataApi {
  /** Starts DuckDB; resolves with its version. Idempotent. */
  init(): Promise<{ duckdbVersion: string; bundle: string }>;
  /**
   * Loads one file (several tables for a workbook with several sheets).
   * `jobId` lets `cancel(jobId)` stop it; nothing is left behind when cancelled or failed.
   */
  loadFile(
    jobId: string,
    source: Blob | ArrayBuffer | string,
    fileName: string,
    options: LoadOptions,
    onProgress?: ProgressCallback,
  ): Promise<TableInfo[]>;
  listTables(): Promise<TableInfo[]>;
  dropTable(name: string): Promise<void>;
  renameTable(from: string, to: string): Promise<TableInfo>;
  setColumnRole(table: string, column: string, role: ColumnRole): Promise<TableInfo>;
  /** Read-only SQL (one SELECT/WITH statement), capped at `limit` rows. */
  query(jobId: string, sql: string, limit: number): Promise<QueryResult>;
  browse(request: BrowseRequest): Promise<BrowseResult>;
  profile(jobId: string, table: string, onProgress?: ProgressCallback): Promise<QualityReport>;
  cancel(jobId: string): Promise<boolean>;

  // Prepare (src/lib/contracts/prepare-api.ts): every result is a new table in the catalog.
  /** Before/after counts and the first `limit` rows of step `stepIndex` (0-based). */
  previewRecipe(jobId: string, table: string, recipe: Recipe, stepIndex: number, limit: number): Promise<RecipePreview>;
  /** Fits (per `fit`) and applies a recipe atomically: on any failure nothing changes. */
  applyRecipe(jobId: string, request: ApplyRecipeRequest, onProgress?: ProgressCallback): Promise<ApplyRecipeResult>;
  buildCustomers(jobId: string, request: BuildCustomersRequest, onProgress?: ProgressCallback): Promise<BuildResult>;
  buildProducts(jobId: string, request: BuildProductsRequest, onProgress?: ProgressCallback): Promise<BuildResult>;
  buildSeries(jobId: string, request: BuildSeriesRequest, onProgress?: ProgressCallback): Promise<BuildResult>;
  buildLabels(jobId: string, request: BuildLabelsRequest, onProgress?: ProgressCallback): Promise<BuildResult>;
  selectFeatures(
    jobId: string,
    request: SelectFeaturesRequest,
    onProgress?: ProgressCallback,
  ): Promise<SelectFeaturesResult>;

  /**
   * Serves a `FrameSource` (contracts/frame.ts) on `port`, whose other end goes to the ML
   * worker: it reads tables and writes results there without the UI thread in between.
   */
  attachFramePort(port: MessagePort): Promise<void>;
}

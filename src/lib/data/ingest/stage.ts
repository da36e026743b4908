/**
 * The ingest orchestrator: any supported file in, one DuckDB "stage" table per table out.
 *
 * Text files are decoded to UTF-8 if needed, sniffed, and read by DuckDB's CSV reader with every
 * column as VARCHAR (type inference is a later step). Workbooks become one CSV per sheet and go the
 * same way. Parquet and JSON are decoded in JavaScript and inserted as Arrow. A cancelled or failed
 * load leaves no stage table and no registered file behind.
 *
 * CSV reading choices (all verified against DuckDB v1.4.3 in stage.test.ts):
 * - `auto_detect=false` with our own dialect and column names: DuckDB's sniffer fails with a
 *   generic "Error when sniffing file" on ragged rows, stray quotes and mixed line endings,
 *   while an explicit dialect yields a precise, line-numbered error or a clean load.
 * - `strict_mode=true`: the lenient mode silently glues the rest of the file into one cell after
 *   a stray quote and drops surplus values; a shop owner must hear about both.
 * - Ragged rows load anyway: short rows are padded with NULL (`null_padding`), rows with surplus
 *   values widen the table with extra columns, and a warning says how many rows and where.
 * - `max_line_size` 16 MB (DuckDB's default of 2 MB rejects long product descriptions) with a
 *   32 MB buffer, enough for such a row without letting the buffer grow with it.
 * - Mixed CRLF/LF endings make the strict parser fail, so such files are normalised to LF first.
 */
import type {
  CsvDialect,
  FileFormat,
  LoadOptions,
  LoadWarning,
  ProgressCallback,
  ProgressEvent,
  TextEncoding,
} from '../../contracts/data-api';
import { quoteIdent, sqlLiteral } from '../../sql/ident';
import type { CancelToken, Db } from '../db';
import { ShopSightError } from '../errors';
import { parseCsvError, translateCsvError } from './csv-errors';
import { extendColumnNames, sniffDialect, type SniffResult } from './csv-sniff';
import { detectFormat, extensionOf } from './detect-format';
import {
  ENCODING_LABELS,
  decodeHead,
  detectEncoding,
  findInvalidUtf8,
  invalidUtf8Report,
  isAscii,
  transcodeToUtf8,
  type EncodingGuess,
} from './encoding';
import { gunzip } from './gzip';
import { readJsonTable } from './json';
import { streamParquet } from './parquet';
import { readWorkbook } from './xlsx';
import { tableToIPC } from 'apache-arrow';

/** Makes a Blob readable by DuckDB under a name (a file handle in the browser, a buffer in tests). */
export interface FileRegistrar {
  register(name: string, blob: Blob): Promise<void>;
  drop(name: string): void;
}

/** A loaded but not yet typed table, plus what was learnt about its source. */
export interface StagedTable {
  /** DuckDB table name, e.g. `__stage_3`. */
  stageTable: string;
  /** `options.tableName` as typed, else the sanitised file name; plus `_<sheet>` for multi-sheet workbooks. */
  suggestedName: string;
  /** Every column is VARCHAR (CSV and Excel); Parquet and JSON keep their own types. */
  allVarchar: boolean;
  rows: number;
  format: FileFormat;
  encoding?: TextEncoding;
  dialect?: CsvDialect;
  sheet?: string;
  /** Size of the file as given (compressed size for .gz). */
  bytes: number;
  warnings: LoadWarning[];
}

/** Progress reporting and the cancel flag of one load. */
export interface StageContext {
  onProgress?: ProgressCallback;
  token: CancelToken;
}

const HEAD_BYTES = 64 * 1024;
/** The sample grows (×4) up to this when the first data row is longer than 64 KB. */
const MAX_SAMPLE_BYTES = 1024 * 1024;
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const BUFFER_BYTES = 32 * 1024 * 1024;
const MAX_GZIP_DEPTH = 2;

let stageCounter = 0;
let fileCounter = 0;
const arrowConnections = new WeakMap<Db, number>();

interface Session {
  db: Db;
  registrar: FileRegistrar;
  ctx: StageContext;
  options: LoadOptions;
  /** Stage tables created so far, dropped again if the load fails or is cancelled. */
  created: string[];
  sourceBytes: number;
}

/** Loads a file into one stage table per table it holds (one per sheet for workbooks). */
export async function stageFile(
  db: Db,
  registrar: FileRegistrar,
  source: Blob,
  fileName: string,
  options: LoadOptions,
  ctx: StageContext,
): Promise<StagedTable[]> {
  const session: Session = { db, registrar, ctx, options, created: [], sourceBytes: source.size };
  try {
    return await stageAny(session, source, fileName, 0, []);
  } catch (error) {
    for (const table of session.created) {
      try {
        db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      } catch {
        // The database may be unusable after a fatal error; the supervisor restarts it.
      }
    }
    throw error;
  }
}

async function stageAny(
  session: Session,
  blob: Blob,
  name: string,
  depth: number,
  inherited: LoadWarning[],
): Promise<StagedTable[]> {
  const { ctx } = session;
  checkCancel(ctx.token);
  progress(ctx, 'read', 0, blob.size, name);
  if (blob.size === 0) throw emptyFile(name);
  const head = await readBytes(blob, 0, HEAD_BYTES);
  const detected = detectFormat(name, head);
  const warnings = [...inherited, ...detected.warnings];

  switch (detected.format) {
    case 'gzip': {
      if (depth >= MAX_GZIP_DEPTH) {
        throw new ShopSightError({
          code: 'corrupt_gzip',
          message: `${name} is compressed several times over. Decompress it yourself and load the file inside.`,
          params: { fileName: name },
        });
      }
      const inner = await gunzip(blob, {
        token: ctx.token,
        fileName: name,
        onProgress: (done, total) => progress(ctx, 'read', done, total, name),
      });
      return stageAny(session, inner, detected.innerName ?? name, depth + 1, warnings);
    }
    case 'csv':
      return [await stageCsv(session, blob, { name, format: 'csv', warnings })];
    case 'xlsx':
    case 'xls':
      return stageWorkbook(session, blob, name, detected.format, warnings);
    case 'parquet':
      return [await stageParquet(session, blob, name, warnings)];
    case 'json':
    case 'ndjson':
      return [await stageJson(session, blob, name, detected.format, head, warnings)];
  }
}

interface CsvSource {
  name: string;
  format: FileFormat;
  warnings: LoadWarning[];
  sheet?: string;
  /** Excel sheets are converted to UTF-8 CSV with a known dialect. */
  known?: { dialect: Partial<CsvDialect>; suggestedName: string };
}

async function stageCsv(session: Session, source: Blob, src: CsvSource): Promise<StagedTable> {
  const { db, registrar, ctx, options } = session;
  const warnings = [...src.warnings];
  let blob = source;

  // 1. Encoding: the user's choice wins, then the BOM, then the bytes.
  const head = await readBytes(blob, 0, HEAD_BYTES);
  const guess: EncodingGuess = src.known
    ? { encoding: 'utf-8', bom: 0, confidence: 'certain' }
    : options.encoding
      ? { encoding: options.encoding, bom: bomLength(head, options.encoding), confidence: 'certain' }
      : detectEncoding(head);
  let encoding = guess.encoding;

  // 2. Sniff on a decoded sample; grow it when the first rows are longer than the sample.
  let sampleBytes = HEAD_BYTES;
  let sample = head;
  let sniff: SniffResult;
  let text: string;
  for (;;) {
    const complete = sampleBytes >= blob.size;
    text = decodeHead(sample.subarray(guess.bom), encoding);
    if (complete && text.trim() === '') throw emptyFile(src.name);
    sniff = sniffDialect(text, {
      // A converted sheet's dialect is ours, not the user's: only the header choice applies to it.
      override: src.known
        ? { ...src.known.dialect, ...(options.dialect?.header !== undefined ? { header: options.dialect.header } : {}) }
        : { ...options.dialect },
      complete,
      preferredDelimiter: ['tsv', 'tab'].includes(extensionOf(src.name)) ? '\t' : ',',
    });
    if (complete || sniff.sampleRows >= 1 || sampleBytes >= MAX_SAMPLE_BYTES) break;
    sampleBytes *= 4;
    sample = await readBytes(blob, 0, sampleBytes);
  }

  // 3. Bring the bytes to what DuckDB reads best: UTF-8, no BOM, one kind of line ending.
  const utf8Invalid =
    encoding === 'utf-8' && !src.known ? invalidUtf8Report(sample.subarray(guess.bom), sampleBytes >= blob.size) : null;
  let normalized = false;
  let repaired = false; // the bytes went through TextDecoder, so they are valid UTF-8 now
  let invalidReported = false;
  const transcode = async (normalizeNewlines: boolean) => {
    const report = { invalidSequences: 0 } as {
      firstInvalid?: { offset: number; line: number; column: number };
      invalidSequences: number;
    };
    const out = await transcodeToUtf8(source, encoding, {
      token: ctx.token,
      normalizeNewlines,
      onProgress: (done, total) => progress(ctx, 'decode', done, total, src.name),
      ...(encoding === 'utf-8' ? { report } : {}),
    });
    if (encoding === 'utf-8' && report.invalidSequences > 0 && !invalidReported) {
      invalidReported = true;
      warnings.push(invalidUtf8Warning(src.name, report.invalidSequences, report.firstInvalid));
    }
    normalized = normalizeNewlines;
    repaired = true;
    return out;
  };
  if (encoding !== 'utf-8' || utf8Invalid || sniff.mixedNewlines) {
    blob = await transcode(sniff.mixedNewlines);
  } else if (guess.bom > 0) {
    blob = blob.slice(guess.bom);
  }
  warnings.push(...sniff.warnings);
  // Only the scored legacy encodings can plausibly be wrong; UTF-16's NUL pattern is unmistakable.
  if ((encoding === 'gb18030' || encoding === 'windows-1252') && guess.confidence === 'guess' && !options.encoding) {
    warnings.push(encodingGuessed(src.name, encoding));
  }

  // 4. Let DuckDB read it, widening or padding for ragged rows, retrying after repairs.
  const stage = nextStageName();
  const file = `__ingest_${++fileCounter}.csv`;
  const dialect = sniff.dialect;
  const headerWidth = sniff.columns.length;
  let width = Math.max(headerWidth, sniff.maxFields);
  let names = extendColumnNames(sniff.columns, width);
  // Rows as wide as the header need padding too once surplus values have widened the table.
  let nullPadding = sniff.shortRows > 0 || width > headerWidth;
  let firstShortLine = sniff.firstShortLine;
  let firstLongLine = sniff.firstLongLine;
  let widenings = 0;
  const readCsv = (cols: string[], padding: boolean, extra = '') =>
    `read_csv(${sqlLiteral(file)}, ` +
    [
      `delim=${sqlLiteral(dialect.delimiter)}`,
      `quote=${sqlLiteral(dialect.quote)}`,
      `escape=${sqlLiteral(dialect.escape)}`,
      `header=${sqlLiteral(dialect.header)}`,
      `skip=${sqlLiteral(sniff.skipRows)}`,
      'auto_detect=false',
      `columns={${cols.map((c) => `${sqlLiteral(c)}: 'VARCHAR'`).join(', ')}}`,
      'strict_mode=true',
      `null_padding=${sqlLiteral(padding)}`,
      `max_line_size=${sqlLiteral(MAX_LINE_BYTES)}`,
      `buffer_size=${sqlLiteral(BUFFER_BYTES)}`,
      "encoding='utf-8'",
    ].join(', ') +
    extra +
    ')';

  await registrar.register(file, blob);
  try {
    for (;;) {
      checkCancel(ctx.token);
      progress(ctx, 'parse', 0, blob.size, src.name);
      try {
        await db.runCancellable(
          `CREATE TABLE ${quoteIdent(stage)} AS SELECT * FROM ${readCsv(names, nullPadding)}`,
          ctx.token,
        );
        session.created.push(stage);
        break;
      } catch (error) {
        if (error instanceof ShopSightError) throw error;
        const d = parseCsvError(error);
        if (d.kind === 'too_few_columns' && !nullPadding) {
          nullPadding = true;
          firstShortLine ??= d.line;
          continue;
        }
        if (
          d.kind === 'too_many_columns' &&
          d.found !== undefined &&
          d.found > width &&
          d.found <= 4 * width + 16 &&
          widenings < 3
        ) {
          widenings++;
          width = d.found;
          names = extendColumnNames(names, width);
          nullPadding = true;
          firstLongLine ??= d.line;
          continue;
        }
        if (
          (d.kind === 'invalid_state' && !normalized) ||
          (d.kind === 'invalid_unicode' && encoding === 'utf-8' && !repaired)
        ) {
          // Mixed line endings or bad bytes past the sample: repair the whole file once and retry.
          if (d.kind === 'invalid_unicode' && !options.encoding && !src.known && isAscii(sample)) {
            // An all-ASCII sample says nothing about the encoding: an Excel export whose first
            // "é" or curly quote sits on row 3,000 is Windows-1252, not broken UTF-8.
            const legacy = await legacyEncodingAfterSample(source, ctx.token);
            if (legacy) {
              encoding = legacy;
              warnings.push(encodingGuessed(src.name, legacy));
            }
          }
          blob = await transcode(d.kind === 'invalid_state' || normalized);
          registrar.drop(file);
          await registrar.register(file, blob);
          continue;
        }
        throw translateCsvError(error, {
          fileName: src.name,
          delimiter: dialect.delimiter,
          quote: dialect.quote,
          ...(src.sheet ? { sheet: src.sheet } : {}),
        });
      }
    }
    progress(ctx, 'parse', blob.size, blob.size, src.name);

    const rows = countRows(db, stage);
    if (rows === 0 && dialect.header) {
      warnings.push({
        code: 'no_rows',
        message: `${src.sheet ? `Sheet "${src.sheet}"` : src.name} has a header row but no data rows, so the table is empty.`,
        params: { fileName: src.name, columns: headerWidth },
      });
    }
    if (nullPadding || width > headerWidth) {
      warnings.push(
        ...(await raggedWarnings(
          session,
          rows,
          readCsv,
          sniff.columns,
          names,
          nullPadding,
          firstShortLine,
          firstLongLine,
          dialect,
        )),
      );
    }

    const staged: StagedTable = {
      stageTable: stage,
      suggestedName: src.known?.suggestedName ?? options.tableName ?? suggestTableName(src.name),
      allVarchar: true,
      rows,
      format: src.format,
      dialect,
      bytes: session.sourceBytes,
      warnings,
    };
    if (!src.known) staged.encoding = encoding;
    if (src.sheet !== undefined) staged.sheet = src.sheet;
    return staged;
  } finally {
    dropQuietly(registrar, file);
  }
}

/**
 * Unregisters a staging file without letting a failure hide the real outcome. After a
 * cancelled read DuckDB may still hold the file open ("file is in use"); that error must not
 * replace `cancelled`, so the drop is retried a little later instead.
 */
function dropQuietly(registrar: FileRegistrar, file: string, attempt = 0): void {
  try {
    registrar.drop(file);
  } catch {
    if (attempt < 5) setTimeout(() => dropQuietly(registrar, file, attempt + 1), 200 * (attempt + 1));
  }
}

/**
 * Counts padded and widened rows exactly with extra counting passes (only ragged files pay for
 * them): rows DuckDB accepts with the header's width and no padding are the regular ones.
 */
async function raggedWarnings(
  session: Session,
  rows: number,
  readCsv: (cols: string[], padding: boolean, extra?: string) => string,
  headerNames: string[],
  names: string[],
  nullPadding: boolean,
  firstShortLine: number | undefined,
  firstLongLine: number | undefined,
  dialect: CsvDialect,
): Promise<LoadWarning[]> {
  const { db, ctx } = session;
  // `runCancellable` hands back only the result's schema, so the count lands in a temp table.
  const count = async (padding: boolean) => {
    const temp = `__count_${++fileCounter}`;
    try {
      await db.runCancellable(
        `CREATE TEMP TABLE ${quoteIdent(temp)} AS SELECT count(*)::DOUBLE AS n FROM ${readCsv(headerNames, padding, ', ignore_errors=true')}`,
        ctx.token,
      );
      return Number(db.scalar(`SELECT n FROM ${quoteIdent(temp)}`) ?? 0);
    } finally {
      db.exec(`DROP TABLE IF EXISTS ${quoteIdent(temp)}`);
    }
  };
  const widened = names.length > headerNames.length;
  const regular = await count(false);
  let shortRows = 0;
  let longRows = 0;
  if (nullPadding && widened) {
    const upToWidth = await count(true);
    longRows = rows - upToWidth;
    shortRows = upToWidth - regular;
  } else if (nullPadding) shortRows = rows - regular;
  else longRows = rows - regular;

  const out: LoadWarning[] = [];
  const width = headerNames.length;
  const against = dialect.header ? `the ${width} columns of the header` : `the ${width} columns most rows have`;
  if (shortRows > 0) {
    const at = firstShortLine !== undefined ? ` (first at line ${firstShortLine.toLocaleString('en-US')})` : '';
    out.push({
      code: 'csv_padded_rows',
      message: `${plural(shortRows, 'row has', 'rows have')} fewer values than ${against}${at}; the missing cells were left empty.`,
      params: { count: shortRows, expected: width, ...(firstShortLine !== undefined ? { line: firstShortLine } : {}) },
    });
  }
  if (longRows > 0) {
    const extra = names.slice(width);
    const at = firstLongLine !== undefined ? ` (first at line ${firstLongLine.toLocaleString('en-US')})` : '';
    out.push({
      code: 'csv_extra_values',
      message:
        `${plural(longRows, 'row has', 'rows have')} more values than ${against}${at}; the extra values are in ` +
        `${extra.length === 1 ? 'the new column' : 'new columns'} ${extra.map((n) => `"${n}"`).join(', ')}. ` +
        'A value with an unquoted delimiter usually causes this.',
      params: {
        count: longRows,
        expected: width,
        columns: extra.join(', '),
        ...(firstLongLine !== undefined ? { line: firstLongLine } : {}),
      },
    });
  }
  return out;
}

async function stageWorkbook(
  session: Session,
  blob: Blob,
  name: string,
  format: 'xlsx' | 'xls',
  warnings: LoadWarning[],
): Promise<StagedTable[]> {
  const { ctx, options } = session;
  progress(ctx, 'convert', 0, 1, name);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  checkCancel(ctx.token);
  const sheets = readWorkbook(bytes, name);
  progress(ctx, 'convert', 1, 1, name);
  if (sheets.length === 0) {
    throw new ShopSightError({
      code: 'empty_file',
      message: `${name} has no data in any sheet. Check that you exported the right workbook.`,
      params: { fileName: name },
    });
  }
  const out: StagedTable[] = [];
  for (const sheet of sheets) {
    checkCancel(ctx.token);
    // The user's own name is kept as typed; several sheets get `_<sheet>` appended to it.
    const suggestedName = options.tableName
      ? sheets.length > 1
        ? `${options.tableName}_${sheet.sheet}`
        : options.tableName
      : sheets.length > 1
        ? suggestTableName(name, sheet.sheet)
        : suggestTableName(name);
    out.push(
      await stageCsv(session, new Blob([sheet.csv], { type: 'text/csv' }), {
        name,
        format,
        sheet: sheet.sheet,
        warnings: [...warnings, ...sheet.warnings],
        known: { dialect: { delimiter: ',', quote: '"', escape: '"', decimalSeparator: '.' }, suggestedName },
      }),
    );
  }
  return out;
}

async function stageParquet(session: Session, blob: Blob, name: string, warnings: LoadWarning[]): Promise<StagedTable> {
  const { db, ctx, options } = session;
  const stage = nextStageName();
  const conn = arrowConnection(db);
  let first = true;
  const summary = await streamParquet(
    blob,
    (table) => {
      checkCancel(ctx.token);
      if (first) session.created.push(stage);
      insertArrow(db, conn, stage, tableToIPC(table, 'stream'), first);
      first = false;
    },
    { token: ctx.token, fileName: name, onProgress: (done, total) => progress(ctx, 'convert', done, total, name) },
  );
  return {
    stageTable: stage,
    suggestedName: options.tableName ?? suggestTableName(name),
    allVarchar: false,
    rows: countRows(db, stage),
    format: 'parquet',
    bytes: session.sourceBytes,
    warnings: [...warnings, ...summary.warnings],
  };
}

async function stageJson(
  session: Session,
  blob: Blob,
  name: string,
  format: 'json' | 'ndjson',
  head: Uint8Array,
  warnings: LoadWarning[],
): Promise<StagedTable> {
  const { db, ctx, options } = session;
  const guess = options.encoding
    ? { encoding: options.encoding, bom: bomLength(head, options.encoding) }
    : detectEncoding(head);
  progress(ctx, 'decode', 0, blob.size, name);
  const text = new TextDecoder(guess.encoding, { fatal: false }).decode(await blob.arrayBuffer());
  progress(ctx, 'decode', blob.size, blob.size, name);
  checkCancel(ctx.token);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw emptyFile(name);
  progress(ctx, 'convert', 0, 1, name);
  const table = readJsonTable(text, format, name);
  checkCancel(ctx.token);
  const stage = nextStageName();
  session.created.push(stage);
  insertArrow(db, arrowConnection(db), stage, table.ipc, true);
  progress(ctx, 'convert', 1, 1, name);
  checkCancel(ctx.token);
  return {
    stageTable: stage,
    suggestedName: options.tableName ?? suggestTableName(name),
    allVarchar: false,
    rows: countRows(db, stage),
    format,
    encoding: guess.encoding,
    bytes: session.sourceBytes,
    warnings: [...warnings, ...table.warnings],
  };
}

/**
 * Arrow inserts need a connection id, which `Db` keeps private; a second connection on the same
 * database sees the same tables, so one is opened per Db and reused.
 */
export function arrowConnection(db: Db): number {
  let conn = arrowConnections.get(db);
  if (conn === undefined) {
    conn = db.bindings.connect().useUnsafe((_bindings, id) => id);
    arrowConnections.set(db, conn);
  }
  return conn;
}

function insertArrow(db: Db, conn: number, table: string, ipc: Uint8Array, create: boolean): void {
  try {
    db.bindings.insertArrowFromIPCStream(conn, ipc, { name: table, create });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ShopSightError({
      code: 'insert_failed',
      message: `The data could not be stored in the database: ${message}`,
      params: { table },
    });
  }
}

/** `Orders 2024 (final).csv.gz` → `orders_2024_final`; CJK letters are kept as they are. */
export function suggestTableName(fileName: string, sheet?: string): string {
  let base = fileName.split(/[\\/]/).pop() ?? fileName;
  for (;;) {
    const stripped = base.replace(/\.(csv|tsv|tab|txt|xlsx|xlsm|xls|parquet|pq|json|ndjson|jsonl|gz|gzip)$/i, '');
    if (stripped === base || stripped === '') break;
    base = stripped;
  }
  let name = sanitize(base);
  if (sheet !== undefined) name = `${name}_${sanitize(sheet)}`;
  if (/^\d/.test(name)) name = `t_${name}`;
  return name.slice(0, 63).replace(/_+$/, '') || 'table';
}

function sanitize(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

function nextStageName(): string {
  return `__stage_${++stageCounter}`;
}

function countRows(db: Db, table: string): number {
  return Number(db.scalar(`SELECT count(*) FROM ${quoteIdent(table)}`) ?? 0);
}

async function readBytes(blob: Blob, start: number, length: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, start + length).arrayBuffer());
}

function bomLength(head: Uint8Array, encoding: TextEncoding): number {
  if (encoding === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  if (encoding === 'utf-16le' && head[0] === 0xff && head[1] === 0xfe) return 2;
  if (encoding === 'utf-16be' && head[0] === 0xfe && head[1] === 0xff) return 2;
  return 0;
}

function checkCancel(token: CancelToken): void {
  if (token.cancelled) throw ShopSightError.cancelled();
}

function progress(ctx: StageContext, phase: ProgressEvent['phase'], done: number, total: number, detail: string): void {
  ctx.onProgress?.({ phase, done, total, detail });
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function emptyFile(name: string): ShopSightError {
  return new ShopSightError({
    code: 'empty_file',
    message: `${name} is empty. Export the data again and check that the file has rows.`,
    params: { fileName: name },
  });
}

/** Judges the encoding from the bytes at the first invalid UTF-8 sequence; null when it is UTF-8 after all. */
async function legacyEncodingAfterSample(source: Blob, token: CancelToken): Promise<TextEncoding | null> {
  const first = await findInvalidUtf8(source, { token });
  if (!first) return null;
  const window = await readBytes(source, first.offset, HEAD_BYTES);
  const guess = detectEncoding(window);
  return guess.encoding === 'gb18030' || guess.encoding === 'windows-1252' ? guess.encoding : null;
}

function encodingGuessed(name: string, encoding: TextEncoding): LoadWarning {
  return {
    code: 'encoding_guessed',
    message: `${name} is not UTF-8; it was read as ${ENCODING_LABELS[encoding]}. If letters look wrong, choose the encoding by hand and load it again.`,
    params: { fileName: name, encoding },
  };
}

function invalidUtf8Warning(
  name: string,
  count: number,
  first: { offset: number; line: number; column: number } | undefined,
): LoadWarning {
  const where = first
    ? ` (first at line ${first.line.toLocaleString('en-US')}, byte ${first.offset.toLocaleString('en-US')})`
    : '';
  return {
    code: 'invalid_utf8',
    message:
      `${name} has ${plural(count, 'byte sequence', 'byte sequences')} that ${count === 1 ? 'is' : 'are'} not valid UTF-8${where}; ` +
      'they were replaced with "�". If many letters look wrong, choose the file\'s encoding by hand.',
    params: { fileName: name, count, ...(first ? { line: first.line, offset: first.offset } : {}) },
  };
}

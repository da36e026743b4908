/**
 * Reading catalog tables as columnar frames for the ML worker, and writing its results back
 * as derived tables (see `contracts/frame.ts` for why frames travel over a port).
 *
 * Types are settled in SQL, so the decoding here is trivial and the same everywhere: numbers
 * and booleans as DOUBLE with NaN for NULL, dates and timestamps as epoch milliseconds, the
 * rest as VARCHAR. Results are built with the CSP-safe Arrow helpers and inserted in one go
 * under a staging name, then swapped in, so a failed write never leaves half a table.
 */
import { tableToIPC } from 'apache-arrow';
import type { ColumnInfo, TableInfo } from '../contracts/data-api';
import type { Frame, FrameColumn, FrameRequest, WriteFrameRequest } from '../contracts/frame';
import { quoteIdent } from '../sql/ident';
import { float64Vector, tableFromColumns, timestampMillisecondVector, utf8Vector, type Maybe } from './arrow-build';
import type { Db } from './db';
import { ShopSightError } from './errors';
import { arrowConnection } from './ingest/stage';
import { isNumericType, isTemporalType } from './infer/kinds';

/** A frame column's kind for a DuckDB type. */
export function frameKindOf(type: string): FrameColumn['kind'] {
  if (isNumericType(type) || /^BOOL/i.test(type.trim())) return 'number';
  if (isTemporalType(type)) return 'date';
  return 'string';
}

/** The SELECT list item that reads `column` in its frame kind. */
function readExpression(column: ColumnInfo): string {
  const id = quoteIdent(column.name);
  switch (frameKindOf(column.type)) {
    case 'number':
      return `coalesce(${id}::DOUBLE, 'NaN'::DOUBLE) AS ${id}`;
    case 'date':
      return `coalesce(epoch_ms(${id}::TIMESTAMP)::DOUBLE, 'NaN'::DOUBLE) AS ${id}`;
    default:
      return `${id}::VARCHAR AS ${id}`;
  }
}

/** The SQL that reads `request` from `info`'s table (exported for tests). */
export function frameSql(info: TableInfo, request: FrameRequest): string {
  const wanted = request.columns.length > 0 ? request.columns : info.columns.map((c) => c.name);
  const columns = wanted.map((name) => {
    const column = info.columns.find((c) => c.name === name);
    if (!column) {
      throw new ShopSightError({
        code: 'unknown_column',
        message: `Table "${info.name}" has no column "${name}".`,
        params: { table: info.name, column: name },
      });
    }
    return column;
  });
  let from = quoteIdent(info.name);
  if (request.sample && request.sample.rows < info.rows) {
    const rows = Math.max(1, Math.floor(request.sample.rows));
    const seed = Math.abs(Math.floor(request.sample.seed)) % 2_147_483_647;
    from = `(SELECT * FROM ${from} USING SAMPLE reservoir(${rows} ROWS) REPEATABLE (${seed}))`;
  }
  const limit = request.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(request.limit))}` : '';
  return `SELECT ${columns.map(readExpression).join(', ')} FROM ${from}${limit}`;
}

/** Reads a frame (synchronously: one DuckDB query, then typed-array views over its result). */
export function readFrame(db: Db, info: TableInfo, request: FrameRequest): Frame {
  const table = db.table(frameSql(info, request));
  const columns: FrameColumn[] = table.schema.fields.map((field, index) => {
    const vector = table.getChildAt(index)!;
    const column = info.columns.find((c) => c.name === field.name)!;
    const kind = frameKindOf(column.type);
    if (kind === 'string') {
      const values: (string | null)[] = new Array<string | null>(vector.length);
      for (let i = 0; i < vector.length; i++) values[i] = (vector.get(i) as string | null) ?? null;
      return { name: field.name, kind, values };
    }
    // toArray() of a multi-batch Float64 vector concatenates into one fresh Float64Array.
    const values = Float64Array.from(vector.toArray() as Float64Array);
    return { name: field.name, kind, values };
  });
  return { nRows: table.numRows, columns };
}

function checkFrame(frame: Frame): void {
  const names = new Set<string>();
  if (frame.columns.length === 0) {
    throw new ShopSightError({ code: 'empty_result', message: 'The result has no columns.' });
  }
  for (const column of frame.columns) {
    if (names.has(column.name)) {
      throw new ShopSightError({
        code: 'duplicate_column',
        message: `The result has two columns named "${column.name}".`,
        params: { column: column.name },
      });
    }
    names.add(column.name);
    if (column.values.length !== frame.nRows) {
      throw new ShopSightError({
        code: 'internal',
        message: `Column "${column.name}" has ${column.values.length} values for ${frame.nRows} rows.`,
      });
    }
  }
}

function nanToNull(values: Float64Array): Maybe<number>[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

/**
 * Writes `request.frame` as table `request.name`, replacing an older table of that name (the
 * caller has checked it may: `checkDerivedTarget`). Atomic: staged first, then swapped.
 */
export function writeFrame(db: Db, request: WriteFrameRequest): void {
  const { frame, name } = request;
  checkFrame(frame);
  const vectors = frame.columns.map((column) => {
    switch (column.kind) {
      case 'number':
        return [column.name, float64Vector(nanToNull(column.values))] as const;
      case 'date':
        return [
          column.name,
          timestampMillisecondVector(Array.from(column.values, (v) => (Number.isNaN(v) ? null : Math.round(v)))),
        ] as const;
      default:
        return [column.name, utf8Vector(column.values)] as const;
    }
  });
  const staging = `__writing_${name}`;
  db.exec(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  try {
    const ipc = tableToIPC(tableFromColumns(vectors), 'stream');
    db.bindings.insertArrowFromIPCStream(arrowConnection(db), ipc, { name: staging, create: true });
    db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    db.exec(`ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(name)}`);
  } catch (error) {
    db.exec(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
    if (error instanceof ShopSightError) throw error;
    throw new ShopSightError({
      code: 'insert_failed',
      message: `The result could not be stored: ${error instanceof Error ? error.message : String(error)}`,
      params: { table: name },
    });
  }
}

/**
 * Runs a builder's SQL through the cancellable path and decodes the (small) result with the
 * one BigInt policy of `lib/data/arrow.ts`.
 */
import { tableFromIPC } from 'apache-arrow';
import { arrowRowsToObjects, type Row } from '../data/arrow';
import type { CancelToken, Db } from '../data/db';
import { ShopSightError } from '../data/errors';
import { sqlLiteral } from './ident';

/** Rows of a small result; throws a `cancelled` error when `token` is cancelled. */
export async function queryRows(db: Db, sql: string, token: CancelToken): Promise<Row[]> {
  return arrowRowsToObjects(tableFromIPC(await db.runCancellable(sql, token)));
}

/** Runs a statement whose result is not needed. */
export async function execCancellable(db: Db, sql: string, token: CancelToken): Promise<void> {
  await db.runCancellable(sql, token);
}

/** Throws the standard `cancelled` error if the token was cancelled between statements. */
export function checkCancelled(token: CancelToken): void {
  if (token.cancelled) throw ShopSightError.cancelled();
}

/** A cell as a finite number, or `undefined` (NULL, NaN, text). */
export function num(value: Row[string] | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A cell as a number, 0 when absent. */
export function count(value: Row[string] | undefined): number {
  return num(value) ?? 0;
}

/** A cell as a string, or `undefined` for NULL. */
export function str(value: Row[string] | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return String(value);
}

/** True when a base table of that name exists in the main schema. */
export function tableExists(db: Db, name: string): boolean {
  const n = db.scalar(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name = ${sqlLiteral(name)} AND schema_name = 'main'`,
  );
  return typeof n === 'number' && n > 0;
}

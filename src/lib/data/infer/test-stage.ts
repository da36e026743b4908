/**
 * Test helper: builds a small all-VARCHAR stage table (like CSV ingest produces) from columns
 * given as arrays, row order preserved.
 */
import { quoteIdent, sqlLiteral } from '../../sql/ident';
import type { Db } from '../db';

export function createStage(db: Db, table: string, columns: Record<string, (string | null)[]>): void {
  const parts = Object.entries(columns).map(
    ([name, values]) => `unnest([${values.map((v) => sqlLiteral(v)).join(', ')}]::VARCHAR[]) AS ${quoteIdent(name)}`,
  );
  db.exec(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT ${parts.join(', ')}`);
}

/** Drops a typed table and its rejects table. */
export function dropTyped(db: Db, table: string): void {
  db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  db.exec(`DROP TABLE IF EXISTS ${quoteIdent(`${table}__rejects`)}`);
}

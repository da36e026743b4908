/**
 * Catalog entries for tables ShopSight makes itself (a recipe's result, a customer or product
 * table, a sales series, a label table). Their columns are typed natively by DuckDB; a column
 * that keeps the name of a source column keeps its e-commerce role, so a customer table still
 * knows which column is the customer id.
 */
import type { ColumnInfo, TableInfo } from '../contracts/data-api';
import type { Derivation } from '../contracts/prepare-api';
import type { Db } from './db';
import { quoteIdent } from '../sql/ident';
import { kindForDuckType } from './infer/kinds';
import { ShopSightError } from './errors';

/** The catalog entry of `name`, which `derivation` just created from `source`. */
export function describeDerived(
  db: Db,
  name: string,
  source: TableInfo | undefined,
  derivation: Derivation,
): TableInfo {
  const roles = new Map(source?.columns.map((c) => [c.name, c.role]) ?? []);
  const columns: ColumnInfo[] = db.rows(`DESCRIBE ${quoteIdent(name)}`).map((r) => {
    const column = String(r.column_name);
    const type = String(r.column_type);
    return { name: column, type, role: roles.get(column) ?? 'none', kind: kindForDuckType(type) };
  });
  const rows = Number(db.scalar(`SELECT count(*)::DOUBLE FROM ${quoteIdent(name)}`) ?? 0);
  return { name, rows, columns, warnings: [], derived: derivation };
}

/**
 * Checks that a derived result may be written to `target`: never over a table the user loaded
 * (the supervisor reloads those from their files; a derived table can always be made again),
 * and never over its own source.
 */
export function checkDerivedTarget(target: string, source: string, existing: TableInfo | undefined): void {
  if (target === source || (existing && !existing.derived)) {
    throw new ShopSightError({
      code: 'target_is_loaded_table',
      message: `"${target}" is a table you loaded; choose another name for the result.`,
      params: { name: target },
    });
  }
}

/**
 * Catalog entries for tables ShopSight makes itself (a recipe's result, a customer or product
 * table, a sales series, a label table). Their columns are typed natively by DuckDB; a column
 * that keeps the name of a source column keeps its e-commerce role, so a customer table still
 * knows which column is the customer id.
 */
import type { ColumnInfo, ColumnRole, TableInfo } from '../contracts/data-api';
import type { Derivation } from '../contracts/prepare-api';
import type { Db } from './db';
import { quoteIdent } from '../sql/ident';
import { kindForDuckType } from './infer/kinds';
import { ShopSightError } from './errors';

/** Roles of the columns a builder always writes under the same name. */
const BUILDER_ROLES: Partial<Record<Derivation['kind'], Record<string, ColumnRole>>> = {
  customers: { customer_id: 'customer_id' },
  labels: { customer_id: 'customer_id' },
  products: { product_id: 'product_id', product_name: 'product_name', category: 'category' },
  series: { period: 'timestamp' },
};

/** The catalog entry of `name`, which `derivation` just created from `source`. */
export function describeDerived(
  db: Db,
  name: string,
  source: TableInfo | undefined,
  derivation: Derivation,
): TableInfo {
  const builderRoles = BUILDER_ROLES[derivation.kind];
  const roles = new Map<string, ColumnRole>(
    builderRoles ? Object.entries(builderRoles) : (source?.columns.map((c) => [c.name, c.role]) ?? []),
  );
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

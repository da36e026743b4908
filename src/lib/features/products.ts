/** One row per product: volume, revenue, reach, loyalty, returns and sales velocity. */
import type { CancelToken, Db } from '../data/db';
import { num } from '../sql/run';
import { checkRoleColumns, cutoffSql, eventsSql, materialise, resolveCutoff } from './events';
import { hasAmount, missingRole, type OrderRoles } from './roles';

/** Input of {@link buildProductTable}. */
export interface ProductTableOptions {
  table: string;
  roles: OrderRoles;
  /** ISO date; when given, only lines strictly before it count (as for customers). */
  cutoff?: string;
  into: string;
}

/** What {@link buildProductTable} built. */
export interface ProductTableSummary {
  table: string;
  rows: number;
  columns: number;
  /** Lines (before the cutoff, if any) without a product id, left out of the table. */
  excludedNullProducts: number;
  cutoff?: string;
}

/**
 * The SELECT behind the product table. With *sales* = lines that are not returns/cancellations
 * (see `eventsSql`):
 *
 * - `product_id`; `product_name` and `category` when those roles exist (the smallest value when
 *   a product has several, so the result is deterministic).
 * - `units`: summed quantity of sales (number of sale lines without a quantity role);
 *   `revenue`: summed sale amounts (gross, when an amount exists); `orders`: distinct orders with a
 *   sale; `buyers`: distinct non-NULL customers with a sale.
 * - `repeat_buyer_share`: buyers with two or more distinct orders of the product ÷ buyers.
 * - `return_rate`: returned units (absolute quantity of return lines; lines without a quantity)
 *   ÷ `units`; NULL when nothing was sold. It can exceed 1 when returns predate the data.
 * - `first_sale`, `last_sale`: first and last sale timestamps; `active_days`: distinct days with a
 *   sale; `selling_span_days`: calendar days from the first to the last sale, both included.
 * - `units_per_active_day` = units ÷ active_days; `units_per_week` = units ÷ (selling_span_days ÷ 7).
 */
export function productFeaturesSql(table: string, roles: OrderRoles, cutoff?: string): string {
  if (roles.product_id === undefined) throw missingRole('product_id');
  const where = cutoff === undefined ? '' : `AND ts < ${cutoffSql(cutoff)}`;
  const withQty = roles.quantity !== undefined;
  const units = withQty ? 'sum(qty)' : 'count(*)';
  const returned = withQty ? 'sum(abs(qty))' : 'count(*)';
  const extra = [
    roles.product_name !== undefined ? 'min(product_name) AS product_name,' : '',
    roles.category !== undefined ? 'min(category) AS category,' : '',
    hasAmount(roles) ? 'CAST(sum(amount) FILTER (WHERE NOT is_return) AS DOUBLE) AS revenue,' : '',
  ].join(' ');
  return `WITH ev AS (
      SELECT * FROM (${eventsSql(table, roles)}) WHERE product_id IS NOT NULL ${where}
    ), per_buyer AS (
      SELECT product_id, customer_id, count(DISTINCT order_id) AS n
      FROM ev WHERE NOT is_return AND customer_id IS NOT NULL GROUP BY product_id, customer_id
    ), buyers AS (
      SELECT product_id, count(*) AS buyers, count(*) FILTER (WHERE n >= 2) AS repeat_buyers
      FROM per_buyer GROUP BY product_id
    ), agg AS (
      SELECT product_id, ${extra}
        CAST(coalesce(${units} FILTER (WHERE NOT is_return), 0) AS DOUBLE) AS units,
        CAST(coalesce(${returned} FILTER (WHERE is_return), 0) AS DOUBLE) AS returned_units,
        CAST(count(DISTINCT order_id) FILTER (WHERE NOT is_return) AS INTEGER) AS orders,
        min(ts) FILTER (WHERE NOT is_return) AS first_sale,
        max(ts) FILTER (WHERE NOT is_return) AS last_sale,
        CAST(count(DISTINCT CAST(ts AS DATE)) FILTER (WHERE NOT is_return) AS INTEGER) AS active_days
      FROM ev GROUP BY product_id
    ), spans AS (
      SELECT *, CAST(date_diff('day', CAST(first_sale AS DATE), CAST(last_sale AS DATE)) + 1 AS INTEGER) AS selling_span_days
      FROM agg
    )
    SELECT s.* EXCLUDE (returned_units, first_sale, last_sale, active_days, selling_span_days),
      CAST(coalesce(b.buyers, 0) AS INTEGER) AS buyers,
      CAST(b.repeat_buyers AS DOUBLE) / nullif(b.buyers, 0) AS repeat_buyer_share,
      s.returned_units / nullif(s.units, 0) AS return_rate,
      s.first_sale, s.last_sale, s.active_days, s.selling_span_days,
      s.units / nullif(s.active_days, 0) AS units_per_active_day,
      s.units / (s.selling_span_days / 7.0) AS units_per_week
    FROM spans s LEFT JOIN buyers b USING (product_id)
    ORDER BY product_id`;
}

/** Builds the product table `into` (definitions: {@link productFeaturesSql}) atomically. */
export async function buildProductTable(
  db: Db,
  options: ProductTableOptions,
  token: CancelToken = { cancelled: false },
): Promise<ProductTableSummary> {
  const { table, roles } = options;
  checkRoleColumns(db, table, roles);
  const cutoff = options.cutoff === undefined ? undefined : resolveCutoff(db, table, roles, options.cutoff);
  const sql = productFeaturesSql(table, roles, cutoff);
  const where = cutoff === undefined ? '' : `AND ts < ${cutoffSql(cutoff)}`;
  const excludedNullProducts =
    num(db.scalar(`SELECT count(*) FROM (${eventsSql(table, roles)}) WHERE product_id IS NULL ${where}`)) ?? 0;
  const done = await materialise(db, options.into, sql, token);
  return { ...done, excludedNullProducts, ...(cutoff === undefined ? {} : { cutoff }) };
}

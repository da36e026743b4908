/**
 * Shared plumbing of the feature builders: one normalised view of the order lines, the cutoff
 * rule, and atomic materialisation (build under a temporary name, rename in one transaction).
 */
import type { CancelToken, Db } from '../data/db';
import { ShopSightError } from '../data/errors';
import { validateTableName } from '../data/table-names';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import { checkCancelled, num, str } from '../sql/run';
import type { OrderRoles } from './roles';

const q = quoteIdent;

/**
 * A SELECT over `table` with the columns `order_id`, `customer_id` (original types), `ts`
 * (TIMESTAMP), `product_id`, `product_name`, `category`, `qty`, `amount` (DOUBLE or NULL when the role is absent)
 * and `is_return` (plus `grp`, the text of column `group`, when given). Lines whose timestamp cannot be read as a TIMESTAMP are dropped.
 *
 * A line is a return/cancellation when its quantity or amount is negative, or when its order id
 * is `C` followed only by digits (Online Retail's cancellation invoices, e.g. `C536379`). The
 * digits-only rule matters: Superstore's ordinary orders look like `CA-2016-152156`.
 */
export function eventsSql(table: string, roles: OrderRoles, group?: string): string {
  const col = (name: string | undefined, cast?: string): string => {
    if (name === undefined) return cast ? `CAST(NULL AS ${cast})` : 'NULL';
    return cast ? `TRY_CAST(${q(name)} AS ${cast})` : q(name);
  };
  // Absent text roles are typed NULLs, so that every builder sees the same column types.
  const text = (name: string | undefined): string => (name === undefined ? 'CAST(NULL AS VARCHAR)' : q(name));
  const qty = col(roles.quantity, 'DOUBLE');
  const amount =
    roles.line_amount !== undefined
      ? col(roles.line_amount, 'DOUBLE')
      : roles.quantity !== undefined && roles.unit_price !== undefined
        ? `${qty} * ${col(roles.unit_price, 'DOUBLE')}`
        : 'CAST(NULL AS DOUBLE)';
  const inner =
    `SELECT ${q(roles.order_id)} AS order_id, ${q(roles.customer_id)} AS customer_id, ` +
    `${col(roles.timestamp, 'TIMESTAMP')} AS ts, ${text(roles.product_id)} AS product_id, ` +
    `${text(roles.product_name)} AS product_name, ${text(roles.category)} AS category, ${qty} AS qty, ${amount} AS amount` +
    `${group === undefined ? '' : `, CAST(${q(group)} AS VARCHAR) AS grp`} FROM ${q(table)}`;
  return (
    `SELECT *, (coalesce(qty < 0, false) OR coalesce(amount < 0, false) OR ` +
    `coalesce(regexp_full_match(CAST(order_id AS VARCHAR), 'C[0-9]+'), false)) AS is_return ` +
    `FROM (${inner}) WHERE ts IS NOT NULL`
  );
}

/**
 * Throws `unknown_table` ({ table }) or `unknown_column` ({ column, role }) when the table or a
 * column named in `roles` does not exist, so users see which role to fix instead of a DuckDB
 * binder error; returns the table's column names.
 */
export function checkRoleColumns(db: Db, table: string, roles: OrderRoles): string[] {
  let names: string[];
  try {
    names = db.rows(`DESCRIBE ${q(table)}`).map((r) => String(r.column_name));
  } catch {
    throw new ShopSightError({ code: 'unknown_table', message: `There is no table "${table}".`, params: { table } });
  }
  for (const [role, column] of Object.entries(roles) as [string, string | undefined][]) {
    if (column !== undefined && !names.includes(column)) {
      throw new ShopSightError({
        code: 'unknown_column',
        message: `The table has no column "${column}" (given for ${role}).`,
        params: { column, role },
      });
    }
  }
  return names;
}

/** `bad_cutoff` unless `cutoff` is an ISO date or date-time DuckDB can read. */
function badCutoff(cutoff: string): ShopSightError {
  return new ShopSightError({
    code: 'bad_cutoff',
    message: `"${cutoff}" is not a date. Use the form 2011-09-01.`,
    params: { cutoff },
  });
}

/**
 * The cutoff as a `YYYY-MM-DD[ HH:MM:SS]` string: the given one (validated), or else the day
 * after the last event, so that every event is strictly before it. Throws `no_events` when the
 * default is needed and the table has no dated line.
 */
export function resolveCutoff(db: Db, table: string, roles: OrderRoles, cutoff?: string): string {
  if (cutoff !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(cutoff.trim())) throw badCutoff(cutoff);
    let value: string | undefined;
    try {
      value = str(db.scalar(`SELECT CAST(CAST(${sqlLiteral(cutoff.trim())} AS TIMESTAMP) AS VARCHAR)`));
    } catch {
      throw badCutoff(cutoff);
    }
    if (value === undefined) throw badCutoff(cutoff);
    return value.endsWith(' 00:00:00') ? value.slice(0, 10) : value;
  }
  const last = str(db.scalar(`SELECT CAST(CAST(max(ts) AS DATE) + 1 AS VARCHAR) FROM (${eventsSql(table, roles)})`));
  if (last === undefined) {
    throw new ShopSightError({ code: 'no_events', message: 'The table has no dated lines.', params: { table } });
  }
  return last;
}

/** The cutoff as a SQL TIMESTAMP expression. */
export function cutoffSql(cutoff: string): string {
  return `CAST(${sqlLiteral(cutoff)} AS TIMESTAMP)`;
}

/** Rows and column count of a finished table. */
export interface Materialised {
  table: string;
  rows: number;
  columns: number;
}

/**
 * Creates table `into` from `select`, replacing an existing table of that name only once the new
 * one is complete; `check` may inspect the temporary table (by name) and throw to abandon it.
 * On any failure nothing is left behind.
 */
export async function materialise(
  db: Db,
  into: string,
  select: string,
  token: CancelToken,
  check?: (temp: string) => void,
): Promise<Materialised> {
  const name = validateTableName(into);
  const temp = `__features_${Math.random().toString(36).slice(2, 10)}`;
  let inTransaction = false;
  try {
    await db.runCancellable(`CREATE TABLE ${q(temp)} AS ${select}`, token);
    checkCancelled(token);
    check?.(temp);
    db.exec('BEGIN TRANSACTION');
    inTransaction = true;
    db.exec(`DROP TABLE IF EXISTS ${q(name)}`);
    db.exec(`ALTER TABLE ${q(temp)} RENAME TO ${q(name)}`);
    db.exec('COMMIT');
    inTransaction = false;
  } catch (error) {
    if (inTransaction) db.exec('ROLLBACK');
    db.exec(`DROP TABLE IF EXISTS ${q(temp)}`);
    throw error;
  }
  const rows = num(db.scalar(`SELECT count(*) FROM ${q(name)}`)) ?? 0;
  const columns = db.rows(`DESCRIBE ${q(name)}`).length;
  return { table: name, rows, columns };
}

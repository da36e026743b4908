/**
 * Sales over time: one value per period (and per group), with the periods that had no sales
 * filled with 0 so that charts and forecasts see a regular calendar.
 */
import type { CancelToken, Db } from '../data/db';
import { ShopSightError } from '../data/errors';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import { num, queryRows, str } from '../sql/run';
import { checkRoleColumns, eventsSql, materialise } from './events';
import { hasAmount, missingRole, type OrderRoles } from './roles';

const q = quoteIdent;

/** Calendar step of a series; weeks start on Monday. */
export type SeriesFrequency = 'day' | 'week' | 'month';
/** What a series adds up per period. */
export type SeriesMeasure = 'revenue' | 'units' | 'orders';

/** The group that collects everything outside the top N. */
export const OTHER_GROUP = '(other)';

/** Input of {@link buildSalesSeries}. */
export interface SalesSeriesOptions {
  table: string;
  roles: OrderRoles;
  freq: SeriesFrequency;
  /** A role (`category`, `product_id`) or the name of any column of `table`. */
  by?: 'category' | 'product_id' | (string & {});
  /** Keep the N groups with the largest total; the rest are summed into {@link OTHER_GROUP}. */
  topN?: number;
  measure: SeriesMeasure;
  into: string;
}

/** What {@link buildSalesSeries} built. */
export interface SalesSeriesSummary {
  table: string;
  rows: number;
  columns: number;
  /** Periods in the calendar (each group has every one of them). */
  periods: number;
  /** Groups, including {@link OTHER_GROUP} when top N merged some (1 without `by`). */
  groups: number;
  /** First and last period start, `YYYY-MM-DD`; undefined for a table without dated lines. */
  from?: string;
  to?: string;
}

/** The column to group by: the role's column, else a column of that name, else an error. */
function groupColumn(columns: readonly string[], roles: OrderRoles, by: string): string {
  const role = by === 'category' || by === 'product_id' ? roles[by] : undefined;
  if (role !== undefined) return role;
  if (columns.includes(by)) return by;
  if (by === 'category' || by === 'product_id') throw missingRole(by);
  throw new ShopSightError({
    code: 'unknown_column',
    message: `The table has no column "${by}".`,
    params: { column: by },
  });
}

function measureSql(roles: OrderRoles, measure: SeriesMeasure): string {
  switch (measure) {
    case 'revenue':
      if (!hasAmount(roles)) throw missingRole('line_amount');
      return 'sum(amount)';
    case 'units':
      if (roles.quantity === undefined) throw missingRole('quantity');
      return 'sum(qty)';
    case 'orders':
      return 'count(DISTINCT order_id) FILTER (WHERE NOT is_return)';
  }
}

/** Calendar columns of `period` for each frequency (weeks use ISO years and week numbers). */
function calendarSql(freq: SeriesFrequency): string {
  switch (freq) {
    case 'day':
      return `CAST(year(period) AS INTEGER) AS year, CAST(month(period) AS INTEGER) AS month,
        CAST(isodow(period) AS INTEGER) AS weekday, isodow(period) >= 6 AS is_weekend`;
    case 'week':
      return `CAST(isoyear(period) AS INTEGER) AS year, CAST(month(period) AS INTEGER) AS month,
        CAST(weekofyear(period) AS INTEGER) AS week_of_year`;
    case 'month':
      return `CAST(year(period) AS INTEGER) AS year, CAST(month(period) AS INTEGER) AS month`;
  }
}

/**
 * Builds `into` with columns `period` (DATE: the day, the Monday of the week, or the first of the
 * month), `group` (VARCHAR, only with `by`), `value` (DOUBLE) and calendar columns (`year`,
 * `month`, and `weekday` + `is_weekend` for days or ISO `week_of_year` for weeks). Every group has
 * every period from the first to the last dated line of the whole table, 0 where nothing sold.
 * Revenue and units are net (returns and cancellations count negative); orders count distinct
 * orders with a sale line (an order spanning two groups counts in both).
 */
export async function buildSalesSeries(
  db: Db,
  options: SalesSeriesOptions,
  token: CancelToken = { cancelled: false },
): Promise<SalesSeriesSummary> {
  const { table, roles, freq, by, topN } = options;
  if (!['day', 'week', 'month'].includes(freq)) {
    throw new ShopSightError({ code: 'bad_request', message: `Unknown frequency "${freq}".`, params: { freq } });
  }
  if (topN !== undefined && (!Number.isInteger(topN) || topN < 1)) {
    throw new ShopSightError({
      code: 'bad_request',
      message: 'Top N must be a whole number of at least 1.',
      params: { topN },
    });
  }
  const columns = checkRoleColumns(db, table, roles);
  const group = by === undefined ? undefined : groupColumn(columns, roles, by);
  const value = measureSql(roles, options.measure);
  const unit = sqlLiteral(freq);
  const step = `INTERVAL 1 ${freq.toUpperCase()}`;
  const grp = group === undefined ? 'NULL' : 'grp';
  // The top N by total (ties by name), decided before the calendar so "(other)" is one series;
  // IS NOT DISTINCT FROM so that a NULL group can be among the top N.
  const keep =
    group !== undefined && topN !== undefined
      ? `CASE WHEN EXISTS (SELECT 1 FROM top t WHERE t.grp IS NOT DISTINCT FROM ev.grp) THEN grp
           ELSE ${sqlLiteral(OTHER_GROUP)} END`
      : grp;
  const sql = `WITH ev AS (
      SELECT *, CAST(date_trunc(${unit}, ts) AS DATE) AS period FROM (${eventsSql(table, roles, group)})
    ), totals AS (
      SELECT ${grp} AS grp, ${value} AS total FROM ev GROUP BY 1
    ), top AS (
      SELECT grp FROM totals ORDER BY total DESC NULLS LAST, grp NULLS LAST LIMIT ${topN ?? 0}
    ), binned AS (
      SELECT period, ${keep} AS g, ${value} AS v FROM ev GROUP BY ALL
    ), calendar AS (
      SELECT CAST(unnest(generate_series(min(period), max(period), ${step})) AS DATE) AS period FROM ev
    ), groups AS (
      SELECT DISTINCT g FROM binned
    ), filled AS (
      SELECT c.period, gr.g, CAST(coalesce(b.v, 0) AS DOUBLE) AS value
      FROM calendar c CROSS JOIN groups gr
      LEFT JOIN binned b ON b.period = c.period AND b.g IS NOT DISTINCT FROM gr.g
    )
    SELECT period, ${group === undefined ? '' : `g AS "group", `}value, ${calendarSql(freq)}
    FROM filled ORDER BY ${group === undefined ? '' : 'g NULLS LAST, '}period`;
  const done = await materialise(db, options.into, sql, token);
  const [stats] = await queryRows(
    db,
    `SELECT count(DISTINCT period) AS periods, ${group === undefined ? 'count(*) > 0' : 'count(DISTINCT "group") + (count(*) FILTER (WHERE "group" IS NULL) > 0)::INTEGER'} AS groups,
      CAST(min(period) AS VARCHAR) AS "from", CAST(max(period) AS VARCHAR) AS "to" FROM ${q(done.table)}`,
    token,
  );
  const from = str(stats?.from);
  const to = str(stats?.to);
  return {
    ...done,
    periods: num(stats?.periods) ?? 0,
    groups: stats?.groups === true ? 1 : (num(stats?.groups) ?? 0),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** Result of {@link detectFrequency}. */
export interface DetectedFrequency {
  /** `day` for a median gap up to 1.5 days, `week` up to 10, else `month`; null with < 2 dates. */
  freq: SeriesFrequency | null;
  /** Median gap in days between consecutive distinct dates, or null. */
  medianGapDays: number | null;
}

/** Guesses a series' natural frequency from the median gap between the distinct dates of `column`. */
export async function detectFrequency(
  db: Db,
  table: string,
  column: string,
  token: CancelToken = { cancelled: false },
): Promise<DetectedFrequency> {
  const [row] = await queryRows(
    db,
    `WITH d AS (SELECT DISTINCT CAST(TRY_CAST(${q(column)} AS TIMESTAMP) AS DATE) AS d FROM ${q(table)} WHERE d IS NOT NULL)
     SELECT median(gap) AS gap FROM (SELECT date_diff('day', lag(d) OVER (ORDER BY d), d) AS gap FROM d)`,
    token,
  );
  const gap = num(row?.gap);
  if (gap === undefined) return { freq: null, medianGapDays: null };
  return { freq: gap <= 1.5 ? 'day' : gap <= 10 ? 'week' : 'month', medianGapDays: gap };
}

/**
 * One row per customer, computed only from the lines strictly before a cutoff: recency,
 * frequency, spend, rhythm, returns, habits, and RFM scores with a named segment.
 */
import type { CancelToken, Db } from '../data/db';
import { sqlLiteral } from '../sql/ident';
import { num, str } from '../sql/run';
import { checkRoleColumns, cutoffSql, eventsSql, materialise, resolveCutoff } from './events';
import { hasAmount, missingRole, type OrderRoles } from './roles';

/** The RFM segment names, in the order of the rule in {@link rfmSegmentSql}. */
export const RFM_SEGMENTS = [
  'Champions',
  'Loyal Customers',
  'Potential Loyalists',
  'New Customers',
  'Promising',
  'Need Attention',
  'About to Sleep',
  "Can't Lose Them",
  'At Risk',
  'Lost',
  'Hibernating',
] as const;

/** One of the eleven RFM segment names. */
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** Input of {@link buildCustomerTable}. */
export interface CustomerTableOptions {
  table: string;
  roles: OrderRoles;
  /** ISO date (or date-time); only lines strictly before it count. Default: the day after the last line. */
  cutoff?: string;
  into: string;
}

/** What {@link buildCustomerTable} built. */
export interface CustomerTableSummary {
  table: string;
  rows: number;
  columns: number;
  /** Lines before the cutoff that have no customer id (left out of the table). */
  excludedNullCustomers: number;
  /** The cutoff used, `YYYY-MM-DD` (or with a time when one was given). */
  cutoff: string;
}

/**
 * The RFM segment of scores `r` and `f` (SQL expressions), as a CASE over the widely used
 * 5×5 recency × frequency grid (the "seg_map" of the common RFM notebooks, after Putler's
 * 11 segments): R5 F4–5 Champions; R3–4 F4–5 Loyal Customers; R4–5 F2–3 Potential Loyalists;
 * R5 F1 New Customers; R4 F1 Promising; R3 F3 Need Attention; R3 F1–2 About to Sleep;
 * R1–2 F5 Can't Lose Them; R1–2 F3–4 At Risk; R1 F1 Lost; R1–2 F1–2 otherwise Hibernating.
 * Every one of the 25 cells has exactly one name. M is not used: it mostly follows F.
 */
export function rfmSegmentSql(r: string, f: string): string {
  return `CASE
    WHEN ${r} = 5 AND ${f} >= 4 THEN 'Champions'
    WHEN ${r} BETWEEN 3 AND 4 AND ${f} >= 4 THEN 'Loyal Customers'
    WHEN ${r} >= 4 AND ${f} BETWEEN 2 AND 3 THEN 'Potential Loyalists'
    WHEN ${r} = 5 AND ${f} = 1 THEN 'New Customers'
    WHEN ${r} = 4 AND ${f} = 1 THEN 'Promising'
    WHEN ${r} = 3 AND ${f} = 3 THEN 'Need Attention'
    WHEN ${r} = 3 THEN 'About to Sleep'
    WHEN ${f} = 5 THEN ${sqlLiteral("Can't Lose Them")}
    WHEN ${f} >= 3 THEN 'At Risk'
    WHEN ${r} = 1 AND ${f} = 1 THEN 'Lost'
    ELSE 'Hibernating' END`;
}

/**
 * A quintile score 1–5 of `expr` by rank: `1 + floor(5 * percent_rank)`, capped at 5. Ties share
 * the score of their lowest rank, so it is deterministic; one customer alone scores 1. `order`
 * says which direction is better (ASC: larger is better).
 */
function quintileSql(expr: string, order: 'ASC' | 'DESC'): string {
  return `CAST(LEAST(5, 1 + floor(5 * percent_rank() OVER (ORDER BY ${expr} ${order} NULLS FIRST))) AS INTEGER)`;
}

/** What the source offers, which decides some columns. */
export interface CustomerSqlShape {
  /** Whether any line has a time of day (otherwise `preferred_hour` is left out). */
  withHour: boolean;
}

/**
 * The SELECT behind the customer table (exported for the label builder, which must compute the
 * very same features). Definitions, with *purchase lines* = lines before the cutoff that are not
 * returns/cancellations (see `eventsSql`) and an *order's time* = its earliest purchase line:
 *
 * - `customer_id`: every non-NULL customer with at least one line before the cutoff.
 * - `recency_days`: calendar days from the last order's date to the cutoff's date (NULL when the
 *   customer only has returns); `tenure_days` likewise from the first order.
 * - `frequency`: distinct purchase orders. `monetary_total`: sum of purchase-line amounts (gross:
 *   returns do not reduce it; see `return_share`). `avg_order_value` = monetary_total / frequency.
 * - `items_per_order`: purchased units per order (purchase lines per order without a quantity).
 * - `distinct_products`, `distinct_categories`: over purchase lines, when those roles exist.
 * - `mean_days_between_orders`, `std_days_between_orders`: mean and population std of the gaps
 *   (fractional days) between consecutive order times; NULL with fewer than two orders.
 * - `return_share`: returned/cancelled lines ÷ all the customer's lines.
 * - `orders_last_30d`, `orders_last_90d`: orders whose time is in [cutoff − N days, cutoff).
 * - `preferred_weekday` (ISO 1 = Monday … 7) and `preferred_hour` (0–23, only when the data has
 *   times): the most frequent over orders; ties go to the smallest.
 * - `r_score`, `f_score`, `m_score`: rank quintiles 1–5 (see `quintileSql`); recency is ranked
 *   so that the most recent score 5. `rfm_segment`: see {@link rfmSegmentSql}.
 */
export function customerFeaturesSql(table: string, roles: OrderRoles, cutoff: string, shape: CustomerSqlShape): string {
  if (!hasAmount(roles)) throw missingRole('line_amount');
  const cut = cutoffSql(cutoff);
  const units = roles.quantity !== undefined ? 'sum(qty)' : 'count(*)';
  const optional = [
    roles.product_id !== undefined ? 'a.distinct_products,' : '',
    roles.category !== undefined ? 'a.distinct_categories,' : '',
  ].join(' ');
  const hour = shape.withHour ? ', h.preferred_hour' : '';
  return `WITH ev AS (
      SELECT * FROM (${eventsSql(table, roles)}) WHERE ts < ${cut} AND customer_id IS NOT NULL
    ), orders AS (
      SELECT customer_id, order_id, min(ts) AS ts FROM ev WHERE NOT is_return GROUP BY customer_id, order_id
    ), gaps AS (
      SELECT customer_id, date_diff('second', lag(ts) OVER (PARTITION BY customer_id ORDER BY ts), ts) / 86400.0 AS gap
      FROM orders
    ), gap_stats AS (
      SELECT customer_id, avg(gap) AS mean_gap, stddev_pop(gap) AS std_gap FROM gaps GROUP BY customer_id
    ), order_stats AS (
      SELECT customer_id, min(ts) AS first_ts, max(ts) AS last_ts,
        count(*) FILTER (WHERE ts >= ${cut} - INTERVAL 30 DAY) AS o30,
        count(*) FILTER (WHERE ts >= ${cut} - INTERVAL 90 DAY) AS o90
      FROM orders GROUP BY customer_id
    ), habit AS (
      SELECT customer_id, kind, v, row_number() OVER (PARTITION BY customer_id, kind ORDER BY n DESC, v) AS rn
      FROM (
        SELECT customer_id, 'weekday' AS kind, CAST(isodow(ts) AS INTEGER) AS v, count(*) AS n FROM orders GROUP BY ALL
        UNION ALL
        SELECT customer_id, 'hour' AS kind, CAST(hour(ts) AS INTEGER) AS v, count(*) AS n FROM orders GROUP BY ALL
      )
    ), habits AS (
      SELECT customer_id, max(v) FILTER (WHERE kind = 'weekday') AS preferred_weekday,
        max(v) FILTER (WHERE kind = 'hour') AS preferred_hour
      FROM habit WHERE rn = 1 GROUP BY customer_id
    ), agg AS (
      SELECT customer_id,
        count(DISTINCT order_id) FILTER (WHERE NOT is_return) AS frequency,
        coalesce(sum(amount) FILTER (WHERE NOT is_return), 0) AS monetary_total,
        ${units} FILTER (WHERE NOT is_return) AS units,
        count(DISTINCT product_id) FILTER (WHERE NOT is_return) AS distinct_products,
        count(DISTINCT category) FILTER (WHERE NOT is_return) AS distinct_categories,
        avg(CASE WHEN is_return THEN 1.0 ELSE 0.0 END) AS return_share
      FROM ev GROUP BY customer_id
    ), base AS (
      SELECT a.customer_id,
        date_diff('day', CAST(o.last_ts AS DATE), CAST(${cut} AS DATE)) AS recency_days,
        CAST(a.frequency AS INTEGER) AS frequency,
        CAST(a.monetary_total AS DOUBLE) AS monetary_total,
        CAST(a.monetary_total AS DOUBLE) / nullif(a.frequency, 0) AS avg_order_value,
        date_diff('day', CAST(o.first_ts AS DATE), CAST(${cut} AS DATE)) AS tenure_days,
        CAST(a.units AS DOUBLE) / nullif(a.frequency, 0) AS items_per_order,
        ${optional}
        g.mean_gap AS mean_days_between_orders,
        CASE WHEN g.mean_gap IS NULL THEN NULL ELSE g.std_gap END AS std_days_between_orders,
        CAST(a.return_share AS DOUBLE) AS return_share,
        CAST(coalesce(o.o30, 0) AS INTEGER) AS orders_last_30d,
        CAST(coalesce(o.o90, 0) AS INTEGER) AS orders_last_90d,
        h.preferred_weekday${hour}
      FROM agg a LEFT JOIN order_stats o USING (customer_id) LEFT JOIN gap_stats g USING (customer_id)
        LEFT JOIN habits h USING (customer_id)
    ), scored AS (
      SELECT *, ${quintileSql('recency_days', 'DESC')} AS r_score, ${quintileSql('frequency', 'ASC')} AS f_score,
        ${quintileSql('monetary_total', 'ASC')} AS m_score
      FROM base
    )
    SELECT *, ${rfmSegmentSql('r_score', 'f_score')} AS rfm_segment FROM scored ORDER BY customer_id`;
}

/** What one scan of the lines tells the builders. */
export interface LineFacts {
  /** Whether any dated line before the cutoff has a time of day other than midnight. */
  withHour: boolean;
  /** Lines before the cutoff without a customer id. */
  excludedNullCustomers: number;
  /** The last line's timestamp, `YYYY-MM-DD HH:MM:SS`, or undefined for no dated line. */
  lastEvent?: string;
}

/** Time of day, anonymous lines and the last timestamp, in one scan. */
export function scanLines(db: Db, table: string, roles: OrderRoles, cutoff: string): LineFacts {
  const cut = cutoffSql(cutoff);
  const [row] = db.rows(
    `SELECT coalesce(bool_or(ts <> date_trunc('day', ts)) FILTER (WHERE ts < ${cut}), false) AS with_hour,
       count(*) FILTER (WHERE ts < ${cut} AND customer_id IS NULL) AS anonymous, CAST(max(ts) AS VARCHAR) AS last
     FROM (${eventsSql(table, roles)})`,
  );
  const last = str(row?.last);
  return {
    withHour: row?.with_hour === true,
    excludedNullCustomers: num(row?.anonymous) ?? 0,
    ...(last === undefined ? {} : { lastEvent: last }),
  };
}

/**
 * Builds the customer feature table `into` (definitions: {@link customerFeaturesSql}) from the
 * lines of `table` strictly before the cutoff, atomically.
 */
export async function buildCustomerTable(
  db: Db,
  options: CustomerTableOptions,
  token: CancelToken = { cancelled: false },
): Promise<CustomerTableSummary> {
  const { table, roles } = options;
  checkRoleColumns(db, table, roles);
  const cutoff = resolveCutoff(db, table, roles, options.cutoff);
  const { withHour, excludedNullCustomers } = scanLines(db, table, roles, cutoff);
  const sql = customerFeaturesSql(table, roles, cutoff, { withHour });
  const done = await materialise(db, options.into, sql, token);
  return { ...done, excludedNullCustomers, cutoff };
}

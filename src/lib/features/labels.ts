/**
 * Supervised-learning tables without leakage: the features are the customer table computed
 * from the lines strictly before a cutoff, and the label looks only at the lines in
 * [cutoff, cutoff + N days).
 *
 * Why half-open at the cutoff and not (cutoff, cutoff + N]: exports often carry dates without
 * a time, so every line of the cutoff day sits exactly on the cutoff instant. With the window
 * open at the cutoff those lines would count on neither side and a whole day would vanish;
 * [cutoff, cutoff + N) gives features every line before the cutoff and the label exactly N
 * whole days after it, and the two sides still never share a line.
 */
import type { LoadWarning } from '../contracts/data-api';
import type { CancelToken, Db } from '../data/db';
import { ShopSightError } from '../data/errors';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import { num, str } from '../sql/run';
import { customerFeaturesSql, scanLines } from './customers';
import { checkRoleColumns, cutoffSql, eventsSql, materialise, resolveCutoff } from './events';
import { hasAmount, missingRole, type OrderRoles } from './roles';

const q = quoteIdent;

/** What the label says: bought again, churned (did not buy), or spent more. */
export type LabelKind = 'buys_again' | 'churn' | 'spends_more';

/** Below this share of the rarer class, the result carries `label_extreme_imbalance`. */
export const EXTREME_IMBALANCE_SHARE = 0.05;

/** Input of {@link buildLabels}. */
export interface LabelOptions {
  table: string;
  roles: OrderRoles;
  /** ISO date (or date-time): features use lines strictly before it. */
  cutoff: string;
  /** The label window is [cutoff, cutoff + horizonDays days). */
  horizonDays: number;
  kind: LabelKind;
  /**
   * `buys_again`: at least this many orders in the window (default 1). `churn`: fewer than this
   * many (default 1, i.e. none). `spends_more`: window spend strictly above it (default: the
   * customer's own spend in the equally long period just before the cutoff).
   */
  threshold?: number;
  into: string;
}

/** What {@link buildLabels} built, with the class balance. */
export interface LabelSummary {
  table: string;
  rows: number;
  columns: number;
  cutoff: string;
  /** End of the label window (excluded), `YYYY-MM-DD[ HH:MM:SS]`. */
  windowEnd: string;
  kind: LabelKind;
  horizonDays: number;
  /** Customers labelled 1, labelled 0, and the share of 1s. */
  positives: number;
  negatives: number;
  share: number;
  excludedNullCustomers: number;
  /** `label_extreme_imbalance` and/or `label_window_beyond_data`. */
  warnings: LoadWarning[];
}

function badRequest(message: string, params: Record<string, string | number>): ShopSightError {
  return new ShopSightError({ code: 'bad_request', message, params });
}

/** The label of each customer as SQL over the window aggregates `w` and prior spend `p`. */
function labelSql(kind: LabelKind, threshold: number | undefined): string {
  switch (kind) {
    case 'buys_again':
      return `coalesce(w.orders, 0) >= ${sqlLiteral(threshold ?? 1)}`;
    case 'churn':
      return `coalesce(w.orders, 0) < ${sqlLiteral(threshold ?? 1)}`;
    case 'spends_more':
      return threshold === undefined
        ? 'coalesce(w.spend, 0) > coalesce(p.spend, 0)'
        : `coalesce(w.spend, 0) > ${sqlLiteral(threshold)}`;
  }
}

/**
 * Builds `into`: the customer features as of `cutoff` (exactly `buildCustomerTable`'s columns and
 * values) plus `label` (INTEGER 0/1), for every customer with at least one line before the
 * cutoff. An order counts in the window when it has a sale line there; spend is the sum of sale
 * amounts (returns do not count, as for `monetary_total`). A line exactly at the cutoff instant
 * belongs to the label window, never to the features. Throws `no_customers` for an empty result and `label_single_class`
 * when every customer has the same label (leaving no table behind).
 */
export async function buildLabels(
  db: Db,
  options: LabelOptions,
  token: CancelToken = { cancelled: false },
): Promise<LabelSummary> {
  const { table, roles, kind, horizonDays, threshold } = options;
  if (!['buys_again', 'churn', 'spends_more'].includes(kind)) {
    throw badRequest(`Unknown label kind "${kind}".`, { kind });
  }
  if (!Number.isInteger(horizonDays) || horizonDays < 1) {
    throw badRequest('The horizon must be a whole number of days, at least 1.', { horizonDays });
  }
  if (threshold !== undefined && !Number.isFinite(threshold)) {
    throw badRequest('The threshold must be a number.', { threshold: String(threshold) });
  }
  if (kind === 'spends_more' && !hasAmount(roles)) throw missingRole('line_amount');
  checkRoleColumns(db, table, roles);
  const cutoff = resolveCutoff(db, table, roles, options.cutoff);
  const cut = cutoffSql(cutoff);
  const end = `${cut} + INTERVAL ${horizonDays} DAY`;
  const facts = scanLines(db, table, roles, cutoff);
  const features = customerFeaturesSql(table, roles, cutoff, { withHour: facts.withHour });
  const events = eventsSql(table, roles);
  const sql = `WITH w AS (
      SELECT customer_id, count(DISTINCT order_id) FILTER (WHERE NOT is_return) AS orders,
        sum(amount) FILTER (WHERE NOT is_return) AS spend
      FROM (${events}) WHERE ts >= ${cut} AND ts < ${end} AND customer_id IS NOT NULL GROUP BY customer_id
    ), p AS (
      SELECT customer_id, sum(amount) FILTER (WHERE NOT is_return) AS spend
      FROM (${events}) WHERE ts >= ${cut} - INTERVAL ${horizonDays} DAY AND ts < ${cut} AND customer_id IS NOT NULL
      GROUP BY customer_id
    )
    SELECT f.*, CAST(${labelSql(kind, threshold)} AS INTEGER) AS label
    FROM (${features}) f LEFT JOIN w USING (customer_id) LEFT JOIN p USING (customer_id)
    ORDER BY f.customer_id`;
  let positives = 0;
  let rows = 0;
  const done = await materialise(db, options.into, sql, token, (temp) => {
    const [balance] = db.rows(`SELECT count(*) AS n, coalesce(sum(label), 0) AS pos FROM ${q(temp)}`);
    rows = num(balance?.n) ?? 0;
    positives = num(balance?.pos) ?? 0;
    if (rows === 0) {
      throw new ShopSightError({
        code: 'no_customers',
        message: `No customer has a line before ${cutoff}.`,
        params: { cutoff },
      });
    }
    if (positives === 0 || positives === rows) {
      throw new ShopSightError({
        code: 'label_single_class',
        message: `Every one of the ${rows} customers has label ${positives === 0 ? 0 : 1}: there is nothing to learn.`,
        params: { label: positives === 0 ? 0 : 1, rows },
      });
    }
  });
  const negatives = rows - positives;
  const share = positives / rows;
  const warnings: LoadWarning[] = [];
  const minority = Math.min(share, 1 - share);
  if (minority < EXTREME_IMBALANCE_SHARE) {
    warnings.push({
      code: 'label_extreme_imbalance',
      message: `Only ${(minority * 100).toFixed(1)} % of the customers are in the rarer class.`,
      params: { positives, negatives, share: minority },
    });
  }
  const windowEnd = str(db.scalar(`SELECT CAST(${end} AS VARCHAR)`)) ?? '';
  // Complete when the data reaches into the window's last day (date-only data ends at its start).
  const lastEvent = facts.lastEvent;
  const incomplete =
    lastEvent !== undefined &&
    db.scalar(`SELECT CAST(${sqlLiteral(lastEvent)} AS TIMESTAMP) < ${end} - INTERVAL 1 DAY`) === true;
  if (incomplete) {
    warnings.push({
      code: 'label_window_beyond_data',
      message: `The data ends at ${lastEvent}, before the label window ends (${windowEnd}).`,
      params: { lastEvent, windowEnd },
    });
  }
  return {
    ...done,
    cutoff,
    windowEnd: windowEnd.endsWith(' 00:00:00') ? windowEnd.slice(0, 10) : windowEnd,
    kind,
    horizonDays,
    positives,
    negatives,
    share,
    excludedNullCustomers: facts.excludedNullCustomers,
    warnings,
  };
}

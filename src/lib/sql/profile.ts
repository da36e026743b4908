/**
 * The data-quality report of a table: a profile of every column and plain-language findings,
 * in a handful of batched scans (`profile-sql.ts`), with progress per step and cancellation
 * between and during statements.
 *
 * ## Scans
 * 1. per-column aggregates (counts, distinct values, moments and quartiles, date ranges,
 *    sentinels, label variants, cancellations, future dates), one SELECT for all columns;
 * 2. histograms and IQR outliers of the numeric columns, one SELECT;
 * 3. top values of the text-like columns, one GROUP BY over an UNPIVOT;
 * 4. the longest gap of each date column, one UNION ALL over distinct days;
 * 5. full-row and key duplicates;
 * 6. the `<table>__rejects` list, when it exists (values that did not fit their type).
 * Distinct counts are exact up to 100,000 rows and HyperLogLog estimates above
 * (`ColumnProfile.distinctApproximate`); quartiles are always exact.
 *
 * ## Score (0–100)
 * Five dimension scores, each 0–100, with `rows` = number of rows:
 * - completeness = 100 · (1 − Σ wᵢ·(missingᵢ + sentinelᵢ) / (rows · Σ wᵢ)), where wᵢ = 2 for
 *   columns with a role and 1 otherwise (missing customer ids matter more than missing notes);
 * - uniqueness = 100 · (1 − min(1, (duplicateRows + ½·keyDuplicates) / rows));
 * - consistency = 100 · (1 − min(1, Σ typeProblems / rows)) − 5 per column whose labels
 *   differ only in case or spaces (at most 25);
 * - accuracy = 100 · (1 − min(1, (Nq + Np + ½·Na + ½·Zp + ⅒·Ō) / rows)), where Nq = negative
 *   quantities not on a cancelled order, Np = negative unit prices, Na = negative line amounts
 *   not on a cancelled order, Zp = zero unit prices, Ō = mean IQR-outlier count over the
 *   numeric columns;
 * - timeliness = 100 · (1 − min(1, future / rows)) − 10 if the latest date is more than 365
 *   days old − 5 if the longest gap exceeds 7 days, for the timestamp column (or the only date
 *   column); 100 when there is none.
 * Each is clamped to [0, 100]; score = round(0.30·completeness + 0.20·uniqueness +
 * 0.20·consistency + 0.20·accuracy + 0.10·timeliness). An empty table scores 0 on completeness.
 */
import type {
  ColumnInfo,
  ColumnProfile,
  Finding,
  FindingSeverity,
  HistogramBin,
  ProgressCallback,
  QualityReport,
  TopValue,
} from '../contracts/data-api';
import type { Row } from '../data/arrow';
import type { CancelToken, Db } from '../data/db';
import { quoteIdent } from './ident';
import { checkCancelled, count, num, queryRows, str, tableExists } from './run';
import {
  EXACT_DISTINCT_MAX_ROWS,
  NINES_SENTINELS,
  columnAggregatesSql,
  dateGapsSql,
  distributionsSql,
  duplicatesSql,
  k,
  nowLiterals,
  planBins,
  profiledColumns,
  rejectsSql,
  topValuesSql,
  type BinPlan,
  type ProfiledColumn,
} from './profile-sql';

export { describeFinding, FINDING_CODES, formatShare } from './findings';

export interface ProfileOptions {
  token: CancelToken;
  onProgress?: ProgressCallback;
  /** "Now" for future and stale dates (default: the current time, as wall-clock local time). */
  now?: Date;
}

/** Weights of the dimensions in the overall score. */
export const DIMENSION_WEIGHTS: Record<Finding['dimension'], number> = {
  completeness: 0.3,
  uniqueness: 0.2,
  consistency: 0.2,
  accuracy: 0.2,
  timeliness: 0.1,
};

/** Dates older than this (in days) make the data stale. */
export const STALE_AFTER_DAYS = 365;
/** Gaps longer than this (in days) are reported. */
export const GAP_REPORT_DAYS = 7;

const STEPS = ['rows', 'columns', 'distributions', 'top values', 'dates', 'duplicates', 'type problems'] as const;

/** Roles whose outliers are worth a finding. */
const MEASURE_ROLES: ReadonlySet<string> = new Set(['quantity', 'unit_price', 'line_amount']);

const SEVERITY_ORDER: Record<FindingSeverity, number> = { problem: 0, warning: 1, info: 2 };

const KEY_WORDS: Record<string, string> = {
  order_id: 'order id',
  product_id: 'product id',
  product_name: 'product name',
  customer_id: 'customer id',
};

/** The columns whose combination should be unique: order lines, else the single id. */
function chooseKey(cols: ProfiledColumn[]): ProfiledColumn[] {
  const role = (r: string): ProfiledColumn | undefined => cols.find((c) => c.info.role === r);
  const order = role('order_id');
  const product = role('product_id') ?? role('product_name');
  const customer = role('customer_id');
  if (order && product) return [order, product];
  if (order) return [order];
  if (customer && !product && !role('timestamp')) return [customer];
  const productId = role('product_id');
  if (productId && !customer && !role('timestamp') && !role('review_text')) return [productId];
  return [];
}

const clamp = (x: number): number => Math.min(100, Math.max(0, x));
const round1 = (x: number): number => Math.round(x * 10) / 10;
/** Rounds fences and other derived numbers for display without losing small magnitudes. */
const tidy = (x: number): number => Number(x.toPrecision(6));

/** Profiles `table` (only the given columns) and returns its quality report. */
export async function profileTable(
  db: Db,
  table: string,
  columns: ColumnInfo[],
  opts: ProfileOptions,
): Promise<QualityReport> {
  const started = performance.now();
  const { token } = opts;
  let step = 0;
  const progress = (): void => {
    step++;
    opts.onProgress?.({ phase: 'profile', done: step, total: STEPS.length, detail: STEPS[step - 1] ?? '' });
  };
  const now = opts.now ?? new Date();
  const nowSql = nowLiterals(now);
  const cols = profiledColumns(columns);

  checkCancelled(token);
  const rows = count(db.scalar(`SELECT count(*)::DOUBLE FROM ${quoteIdent(table)}`));
  progress();

  // 1. Column aggregates.
  const agg: Row = cols.length
    ? ((await queryRows(db, columnAggregatesSql(table, cols, { rows, now: nowSql }), token))[0] ?? {})
    : {};
  const stat = (c: ProfiledColumn, s: string): number | undefined => num(agg[k(c, s)]);
  const statN = (c: ProfiledColumn, s: string): number => stat(c, s) ?? 0;
  progress();

  // 2. Histograms and outliers.
  const plans: BinPlan[] = [];
  for (const c of cols) {
    if (c.cls !== 'numeric' || statN(c, 'nn') === 0) continue;
    const min = stat(c, 'min');
    const max = stat(c, 'max');
    const p25 = stat(c, 'p25');
    const p75 = stat(c, 'p75');
    if (min === undefined || max === undefined || p25 === undefined || p75 === undefined) continue;
    plans.push(planBins(c, min, max, p25, p75));
  }
  const dist: Row = plans.length ? ((await queryRows(db, distributionsSql(table, plans), token))[0] ?? {}) : {};
  progress();

  // 3. Top values.
  const categorical = cols.filter((c) => c.cls === 'categorical');
  const top = new Map<number, TopValue[]>();
  if (categorical.length && rows > 0) {
    for (const r of await queryRows(db, topValuesSql(table, categorical), token)) {
      const i = count(r.col);
      const list = top.get(i) ?? [];
      list.push({ value: str(r.value) ?? '', count: count(r.n) });
      top.set(i, list);
    }
  }
  progress();

  // 4. Date gaps.
  const temporal = cols.filter((c) => c.cls === 'temporal' && statN(c, 'days') >= 2);
  const gaps = new Map<number, { gap: number; after: string; before: string }>();
  if (temporal.length) {
    for (const r of await queryRows(db, dateGapsSql(table, temporal), token)) {
      gaps.set(count(r.col), { gap: count(r.gap), after: str(r.after) ?? '', before: str(r.before) ?? '' });
    }
  }
  progress();

  // 5. Duplicates.
  const key = chooseKey(cols);
  const dup = cols.length ? ((await queryRows(db, duplicatesSql(table, cols, key), token))[0] ?? {}) : {};
  const duplicateRows = cols.length ? Math.max(0, rows - count(dup.distinct_rows)) : 0;
  const keyDuplicates = key.length ? Math.max(0, count(dup.key_rows) - count(dup.key_distinct)) : 0;
  progress();

  // 6. Type problems kept at conversion.
  const problems = new Map<string, { count: number; examples: { row: number; value: string }[] }>();
  const rejectsTable = `${table}__rejects`;
  if (tableExists(db, rejectsTable)) {
    for (const r of await queryRows(db, rejectsSql(rejectsTable), token)) {
      const name = String(r.column);
      const entry = problems.get(name) ?? { count: count(r.n), examples: [] };
      entry.examples.push({ row: count(r.row), value: str(r.value) ?? '' });
      problems.set(name, entry);
    }
  }
  progress();
  checkCancelled(token);

  // Column profiles and findings.
  const findings: Finding[] = [];
  const add = (f: Omit<Finding, 'params'> & { params?: Finding['params'] }): void => {
    findings.push({ ...f, params: { ...(f.column !== undefined ? { column: f.column } : {}), ...(f.params ?? {}) } });
  };
  const share = (x: number): number => (rows > 0 ? x / rows : 0);
  /** The common finding: `count` rows of `column`, with their share of the table. */
  const counted = (
    code: string,
    severity: Finding['severity'],
    dimension: Finding['dimension'],
    column: string,
    count: number,
  ): void => add({ code, severity, dimension, column, count, share: share(count) });
  const approximate = rows > EXACT_DISTINCT_MAX_ROWS;
  const timeColumn =
    cols.find((c) => c.info.role === 'timestamp') ??
    (cols.filter((c) => c.cls === 'temporal').length === 1 ? cols.find((c) => c.cls === 'temporal') : undefined);

  let weightedMissing = 0;
  let weights = 0;
  let typeProblemTotal = 0;
  let labelColumns = 0;
  let negQuantity = 0;
  let negPrice = 0;
  let negAmount = 0;
  let zeroPrice = 0;
  let outlierSum = 0;
  let numericCount = 0;
  let futureRows = 0;
  let stale = false;
  let longGap = false;

  const columnProfiles: ColumnProfile[] = cols.map((c) => {
    const { info } = c;
    const nn = statN(c, 'nn');
    const missing = Math.max(0, rows - nn);
    const distinct = statN(c, 'distinct');
    const profile: ColumnProfile = {
      name: info.name,
      type: info.type,
      kind: info.kind,
      role: info.role,
      missing,
      missingShare: share(missing),
      distinct,
      typeProblems: problems.get(info.name)?.count ?? 0,
    };
    if (approximate) profile.distinctApproximate = true;
    const examples = problems.get(info.name)?.examples;
    if (examples?.length) profile.typeProblemExamples = examples;
    let sentinels = 0;

    if (rows > 0 && nn === 0) {
      add({
        code: 'empty_column',
        severity: 'warning',
        dimension: 'completeness',
        column: info.name,
        count: rows,
        share: 1,
      });
    } else if (missing > 0) {
      const s = share(missing);
      const severity: FindingSeverity =
        info.role !== 'none'
          ? s >= 0.2
            ? 'problem'
            : s >= 0.01
              ? 'warning'
              : 'info'
          : s >= 0.5
            ? 'problem'
            : s >= 0.05
              ? 'warning'
              : 'info';
      add({
        code: 'missing_values',
        severity,
        dimension: 'completeness',
        column: info.name,
        count: missing,
        share: s,
        params: { role: info.role },
      });
    }

    if (c.cls === 'numeric' && nn > 0) {
      numericCount++;
      const min = statN(c, 'min');
      const max = statN(c, 'max');
      profile.min = min;
      profile.max = max;
      const mean = stat(c, 'mean');
      const std = stat(c, 'std');
      if (mean !== undefined) profile.mean = mean;
      if (std !== undefined) profile.std = std;
      const p25 = statN(c, 'p25');
      const p50 = statN(c, 'p50');
      const p75 = statN(c, 'p75');
      profile.quantiles = { p25, p50, p75 };
      const negatives = statN(c, 'neg');
      const zeros = statN(c, 'zero');
      profile.negatives = negatives;
      profile.zeros = zeros;
      const plan = plans.find((p) => p.column === c);
      if (plan) {
        const histogram: HistogramBin[] = [];
        for (let i = 0; i < plan.bins; i++) {
          const lo = plan.width > 0 ? plan.lo + i * plan.width : plan.lo;
          // The last continuous bin ends at the maximum (it is closed on the right).
          const hi = plan.width > 0 ? (i === plan.bins - 1 && !c.isInteger ? max : lo + plan.width) : max;
          histogram.push({ lo: tidy(lo), hi: tidy(hi), count: count(dist[k(c, `bin${i}`)]) });
        }
        profile.histogram = histogram;
        const outliers = count(dist[k(c, 'outliers')]);
        profile.outliers = outliers;
        outlierSum += outliers;
        // Skewed columns always have some: only e-commerce measures get a finding.
        if (outliers > 0 && p75 > p25 && MEASURE_ROLES.has(info.role)) {
          add({
            code: 'outliers',
            severity: 'info',
            dimension: 'accuracy',
            column: info.name,
            count: outliers,
            share: share(outliers),
            params: { low: tidy(plan.fenceLo), high: tidy(plan.fenceHi) },
          });
        }
      }
      // Sentinels: -1 as the only negative value, or runs of nines at the top of the range.
      const minus1 = statN(c, 'minus1');
      const moneyLike = info.role === 'quantity' || info.role === 'line_amount' || info.role === 'unit_price';
      if (minus1 > 0 && minus1 === negatives && !moneyLike) {
        sentinels += minus1;
        add({
          code: 'sentinel_values',
          severity: 'warning',
          dimension: 'completeness',
          column: info.name,
          count: minus1,
          share: share(minus1),
          params: { value: -1 },
        });
      }
      const nines = statN(c, 'nines');
      if (nines > 0 && NINES_SENTINELS.includes(max)) {
        sentinels += nines;
        add({
          code: 'sentinel_values',
          severity: 'warning',
          dimension: 'completeness',
          column: info.name,
          count: nines,
          share: share(nines),
          params: { value: max },
        });
      }
      if (info.role === 'quantity' && negatives > 0) {
        negQuantity += stat(c, 'negunexplained') ?? negatives;
        counted('negative_quantity', 'warning', 'accuracy', info.name, negatives);
      }
      if (info.role === 'unit_price') {
        if (negatives > 0) {
          negPrice += negatives;
          counted('negative_price', 'problem', 'accuracy', info.name, negatives);
        }
        if (zeros > 0) {
          zeroPrice += zeros;
          counted('zero_price', 'info', 'accuracy', info.name, zeros);
        }
      }
      if (info.role === 'line_amount' && negatives > 0) {
        negAmount += stat(c, 'negunexplained') ?? negatives;
        counted('negative_amount', 'info', 'accuracy', info.name, negatives);
      }
      if (distinct === 1 && rows > 1) {
        add({
          code: 'constant_column',
          severity: 'info',
          dimension: 'consistency',
          column: info.name,
          params: { value: min },
        });
      }
    } else if (c.cls === 'temporal' && nn > 0) {
      const min = str(agg[k(c, 'min')]);
      const max = str(agg[k(c, 'max')]);
      if (min !== undefined) profile.min = min;
      if (max !== undefined) profile.max = max;
      const from = str(agg[k(c, 'from')]) ?? '';
      const to = str(agg[k(c, 'to')]) ?? '';
      const days = statN(c, 'span') + 1;
      const gap = gaps.get(c.index);
      const largestGapDays = gap ? Math.max(0, gap.gap - 1) : 0;
      profile.dateCoverage = { from, to, days, missingDays: Math.max(0, days - statN(c, 'days')), largestGapDays };
      const isTime = c === timeColumn;
      const future = statN(c, 'future');
      if (future > 0) {
        if (isTime) futureRows += future;
        add({
          code: 'future_dates',
          severity: isTime ? 'problem' : 'info',
          dimension: 'timeliness',
          column: info.name,
          count: future,
          share: share(future),
          params: { now: nowSql.isoDate },
        });
      }
      if (gap && largestGapDays > GAP_REPORT_DAYS) {
        if (isTime) longGap = true;
        add({
          code: 'date_gap',
          severity: 'info',
          dimension: 'timeliness',
          column: info.name,
          params: { days: largestGapDays, from: addDays(gap.after, 1), to: addDays(gap.before, -1) },
        });
      }
      const age = statN(c, 'age');
      if (isTime && age > STALE_AFTER_DAYS) {
        stale = true;
        add({
          code: 'stale_data',
          severity: 'info',
          dimension: 'timeliness',
          column: info.name,
          params: { latest: to, days: age },
        });
      }
      if (distinct === 1 && rows > 1) {
        add({
          code: 'constant_column',
          severity: 'info',
          dimension: 'consistency',
          column: info.name,
          params: { value: min ?? '' },
        });
      }
    } else if (c.cls === 'categorical') {
      const values = top.get(c.index);
      if (values) profile.topValues = values;
      if (c.isText) {
        const sentinel = statN(c, 'sentinel');
        if (sentinel > 0) {
          sentinels += sentinel;
          add({
            code: 'sentinel_values',
            severity: 'warning',
            dimension: 'completeness',
            column: info.name,
            count: sentinel,
            share: share(sentinel),
            params: { value: 'unknown' },
          });
        }
        const labels = stat(c, 'labels');
        if (!approximate && labels !== undefined && labels < distinct) {
          labelColumns++;
          add({
            code: 'inconsistent_labels',
            severity: 'warning',
            dimension: 'consistency',
            column: info.name,
            count: distinct - labels,
          });
        }
        const cancelled = statN(c, 'cancelled');
        if (cancelled > 0) {
          counted('cancellations', 'info', 'accuracy', info.name, cancelled);
        }
      }
      if (nn > 0 && distinct === 1 && rows > 1) {
        add({
          code: 'constant_column',
          severity: 'info',
          dimension: 'consistency',
          column: info.name,
          params: { value: values?.[0]?.value ?? '' },
        });
      }
    }

    if (profile.typeProblems > 0) {
      typeProblemTotal += profile.typeProblems;
      const first = examples?.[0];
      add({
        code: 'type_problems',
        severity: 'warning',
        dimension: 'consistency',
        column: info.name,
        count: profile.typeProblems,
        share: share(profile.typeProblems),
        params: { kind: info.kind, type: info.type, example: first?.value ?? '', row: first?.row ?? 0 },
      });
    }

    const w = info.role !== 'none' ? 2 : 1;
    weights += w;
    weightedMissing += w * Math.min(rows, missing + sentinels);
    return profile;
  });

  if (duplicateRows > 0) {
    add({
      code: 'duplicate_rows',
      severity: 'warning',
      dimension: 'uniqueness',
      count: duplicateRows,
      share: share(duplicateRows),
    });
  }
  if (keyDuplicates > 0) {
    add({
      code: 'duplicate_keys',
      severity: key.length === 1 ? 'warning' : 'info',
      dimension: 'uniqueness',
      count: keyDuplicates,
      share: share(keyDuplicates),
      params: {
        key: key.map((c) => KEY_WORDS[c.info.role] ?? c.info.name).join(' and '),
        roles: key.map((c) => c.info.role).join(','),
        columns: key.map((c) => c.info.name).join(', '),
      },
    });
  }
  findings.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);

  // Scores (see the module comment).
  const ratio = (x: number): number => (rows > 0 ? Math.min(1, x / rows) : 0);
  const completeness =
    rows > 0 && weights > 0 ? clamp(100 * (1 - weightedMissing / (rows * weights))) : rows > 0 ? 100 : 0;
  const uniqueness = clamp(100 * (1 - ratio(duplicateRows + 0.5 * keyDuplicates)));
  const consistency = clamp(100 * (1 - ratio(typeProblemTotal)) - Math.min(25, 5 * labelColumns));
  const meanOutliers = numericCount > 0 ? outlierSum / numericCount : 0;
  const accuracy = clamp(
    100 * (1 - ratio(negQuantity + negPrice + 0.5 * negAmount + 0.5 * zeroPrice + 0.1 * meanOutliers)),
  );
  const timeliness = timeColumn ? clamp(100 * (1 - ratio(futureRows)) - (stale ? 10 : 0) - (longGap ? 5 : 0)) : 100;
  const dimensionScores: QualityReport['dimensionScores'] = {
    completeness: round1(completeness),
    uniqueness: round1(uniqueness),
    consistency: round1(consistency),
    accuracy: round1(accuracy),
    timeliness: round1(timeliness),
  };
  const score = Math.round(
    DIMENSION_WEIGHTS.completeness * completeness +
      DIMENSION_WEIGHTS.uniqueness * uniqueness +
      DIMENSION_WEIGHTS.consistency * consistency +
      DIMENSION_WEIGHTS.accuracy * accuracy +
      DIMENSION_WEIGHTS.timeliness * timeliness,
  );

  const report: QualityReport = {
    table,
    rows,
    columns: cols.length,
    duplicateRows,
    columnProfiles,
    findings,
    score,
    dimensionScores,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (key.length) report.keyDuplicates = { key: key.map((c) => c.info.name), count: keyDuplicates };
  return report;
}

/** `2010-12-22` + 1 → `2010-12-23` (calendar arithmetic in UTC, no time zones involved). */
function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

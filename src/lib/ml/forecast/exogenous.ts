/**
 * Inputs beside the series itself for the neural forecasters: calendar features of each period
 * (weekday, month, week of year, user-entered holidays), covariates from the data (discount,
 * promotion flag, price aggregated per period), and the rule that keeps a covariate's future out
 * of a model unless the user declared it known in advance (planned promotions).
 *
 * Two kinds of input, and the split is what makes the leakage guard checkable:
 * - `known`: one row per period for the history AND the forecast horizon (calendar, holidays,
 *   covariates declared known). A model may read row t + h when forecasting step h.
 * - `observed`: one row per history period only (covariates not declared known). A model sees
 *   them only inside its input window (lagged); {@link sliceExogenous} cuts them at the origin,
 *   so a backtest cannot hand a model a value from after its forecast origin.
 *
 * Encoding (why not one choice for everything): the neural forecasters feed the horizon's
 * calendar to a *linear* dense head, with one weight per column shared by every step (see
 * src/lib/ml/tf/forecast-neural.ts), so a feature can only shift the forecast by its weight. A weekday one-hot (7 columns) lets that head learn
 * any weekly profile (the weekend dip of retail is not a sinusoid); a sin/cos pair could only
 * learn a smooth one. Month and week of year change slowly, are mostly constant within a
 * horizon, and a one-hot would multiply the head's inputs by 12 or 52 per step for little
 * gain, so they are a cyclic sin/cos pair (December is next to January). Holidays are a 0/1
 * flag per day, or a count of holiday days per week / month.
 */
import type { FeatureMatrix } from './windowing';

const DAY = 86_400_000;

/** Calendar step of a series (the forecast service's frequencies). */
export type PeriodKind = 'day' | 'week' | 'month';

/** Future-known and history-only inputs aligned with a series (see the module comment). */
export interface Exogenous {
  /** Known in advance: one row per period, history first, then as many future periods as given. */
  known?: FeatureMatrix;
  /** Observed with the series: one row per history period, never beyond the forecast origin. */
  observed?: FeatureMatrix;
}

/** Day indices (days since 1970-01-01 UTC) of the holidays, each widened by `window` days either side. */
export function expandHolidays(days: Iterable<number>, window = 0): Set<number> {
  const w = Math.max(0, Math.round(window));
  const out = new Set<number>();
  for (const d of days) for (let k = -w; k <= w; k++) out.add(d + k);
  return out;
}

/** Parse ISO dates (YYYY-MM-DD) into day indices; throws a RangeError naming the first bad one. */
export function holidayDays(dates: readonly string[]): number[] {
  return dates.map((s) => {
    const t = Date.parse(s);
    if (!Number.isFinite(t)) throw new RangeError(`"${s}" is not a date (use YYYY-MM-DD).`);
    return Math.floor(t / DAY);
  });
}

/** The day index after the period starting on `start` (weeks start Monday, months on the 1st). */
function periodEnd(start: number, kind: PeriodKind): number {
  if (kind === 'day') return start + 1;
  if (kind === 'week') return start + 7;
  const d = new Date(start * DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY);
}

/** Column names of {@link periodCalendar} for a frequency (holidays last, when asked for). */
export function calendarNames(kind: PeriodKind, holidays: boolean): string[] {
  const base =
    kind === 'day'
      ? ['dow_mon', 'dow_tue', 'dow_wed', 'dow_thu', 'dow_fri', 'dow_sat', 'dow_sun', 'month_sin', 'month_cos']
      : kind === 'week'
        ? ['woy_sin', 'woy_cos', 'month_sin', 'month_cos']
        : ['month_sin', 'month_cos'];
  return holidays ? [...base, kind === 'day' ? 'holiday' : 'holiday_days'] : base;
}

/** ISO week number (1–53) of a day index. */
export function isoWeek(day: number): number {
  const dow = (day + 3) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const thursday = day - dow + 3;
  const y = new Date(thursday * DAY).getUTCFullYear();
  const jan1 = Math.round(Date.UTC(y, 0, 1) / DAY);
  return Math.floor((thursday - jan1) / 7) + 1;
}

/**
 * Calendar features of periods starting on the given day indices: daily → weekday one-hot,
 * month sin/cos, holiday flag; weekly → ISO week-of-year sin/cos, month sin/cos (of the week's
 * Thursday), holiday days in the week; monthly → month sin/cos, holiday days in the month.
 * `holidays` (already widened, see {@link expandHolidays}) adds the holiday column.
 */
export function periodCalendar(
  starts: ArrayLike<number>,
  kind: PeriodKind,
  holidays?: ReadonlySet<number>,
): FeatureMatrix {
  const names = calendarNames(kind, holidays !== undefined);
  const f = names.length;
  const rows = starts.length;
  const data = new Float32Array(rows * f);
  const tau = 2 * Math.PI;
  for (let r = 0; r < rows; r++) {
    const start = starts[r]!;
    let c = r * f;
    if (kind === 'day') {
      data[c + ((start + 3) % 7)] = 1;
      c += 7;
    } else if (kind === 'week') {
      const w = isoWeek(start) - 1;
      data[c++] = Math.sin((tau * w) / 52);
      data[c++] = Math.cos((tau * w) / 52);
    }
    const mid = kind === 'week' ? start + 3 : start;
    const mon = new Date(mid * DAY).getUTCMonth();
    data[c++] = Math.sin((tau * mon) / 12);
    data[c++] = Math.cos((tau * mon) / 12);
    if (holidays) {
      let count = 0;
      const end = periodEnd(start, kind);
      for (let d = start; d < end; d++) if (holidays.has(d)) count++;
      data[c] = count;
    }
  }
  return { data, rows, names };
}

/** Side-by-side columns of matrices with the same rows (the first `rows` rows of each). */
export function concatColumns(parts: readonly FeatureMatrix[], rows?: number): FeatureMatrix {
  const n = rows ?? Math.min(...parts.map((p) => p.rows));
  for (const p of parts) if (p.rows < n) throw new RangeError(`a feature block has ${p.rows} rows, need ${n}`);
  const names = parts.flatMap((p) => p.names);
  const f = names.length;
  const data = new Float32Array(n * f);
  let offset = 0;
  for (const p of parts) {
    const pf = p.names.length;
    for (let r = 0; r < n; r++) for (let c = 0; c < pf; c++) data[r * f + offset + c] = p.data[r * pf + c]!;
    offset += pf;
  }
  return { data, rows: n, names };
}

/** A matrix from named columns of equal length. */
export function columnsMatrix(columns: readonly { name: string; values: ArrayLike<number> }[]): FeatureMatrix {
  const rows = columns.length ? columns[0]!.values.length : 0;
  for (const c of columns) if (c.values.length !== rows) throw new RangeError(`column ${c.name} has another length`);
  const f = columns.length;
  const data = new Float32Array(rows * f);
  columns.forEach((c, j) => {
    for (let r = 0; r < rows; r++) data[r * f + j] = c.values[r]!;
  });
  return { data, rows, names: columns.map((c) => c.name) };
}

/** The first `rows` rows of a matrix. */
export function headRows(m: FeatureMatrix, rows: number): FeatureMatrix {
  if (rows > m.rows) throw new RangeError(`asked for ${rows} rows of ${m.rows}`);
  return { data: m.data.slice(0, rows * m.names.length), rows, names: m.names };
}

/**
 * What a model fitted at `origin` may see: known inputs up to origin + horizon (the forecast
 * needs the horizon's calendar), observed covariates only up to the origin. The backtest calls
 * this for every origin, so no covariate's future reaches a model unless it was declared known.
 */
export function sliceExogenous(exo: Exogenous | undefined, origin: number, horizon: number): Exogenous | undefined {
  if (!exo) return undefined;
  const out: Exogenous = {};
  if (exo.known) out.known = headRows(exo.known, Math.min(exo.known.rows, origin + horizon));
  if (exo.observed) out.observed = headRows(exo.observed, origin);
  return out;
}

/** How a covariate is aggregated per period. */
export type CovariateAggregate = 'mean' | 'sum' | 'max';

/**
 * Default aggregation by what a column looks like: discounts, prices and 0/1 flags are
 * averaged (a week's mean discount, the share of promoted orders); counts and amounts summed.
 */
export function defaultAggregate(name: string, role?: string): CovariateAggregate {
  if (role === 'quantity' || role === 'line_amount') return 'sum';
  if (/(discount|price|rate|promo|flag)/i.test(name)) return 'mean';
  // Whole words only: "Discount" is not a count.
  if (/(^|[^a-z])(qty|quantity|units?|count|amount|revenue|sales)([^a-z]|$)/i.test(name)) return 'sum';
  return 'mean';
}

/**
 * Fill the periods without rows of an aggregated covariate: sums are 0 there (nothing
 * happened), means and maxima carry the last observed value forward (a price does not vanish
 * on a day without orders), 0 before the first observation. Only past values are used.
 */
export function fillCovariate(values: Float64Array, aggregate: CovariateAggregate): Float64Array {
  const out = new Float64Array(values.length);
  let last = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) last = v;
    out[i] = Number.isFinite(v) ? v : aggregate === 'sum' ? 0 : last;
  }
  return out;
}

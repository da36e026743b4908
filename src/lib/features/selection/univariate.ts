/**
 * Univariate feature scores on Float64Array columns (one array per feature, all the same
 * length): variance threshold, Pearson correlation, ANOVA F (`f_classif`), χ² (`chi2`) and
 * `f_regression`, each matching scikit-learn 1.2's definitions, including what they return for
 * constant or empty features. Sums are two-pass (centred) for accuracy rather than sklearn's
 * one-pass sums of squares; the two agree to ~1e-10 relative on real data.
 */
import { ShopSightError } from '../../data/errors';
import { chi2Survival, fSurvival } from './special';

/** Feature columns: `columns[j][i]` is feature j of row i. */
export type Columns = readonly Float64Array[];

/** A score per feature and, where the test has one, its p-value. */
export interface ScoreResult {
  scores: Float64Array;
  pValues: Float64Array;
}

function rowCount(columns: Columns, target?: ArrayLike<number>): number {
  const n = columns[0]?.length ?? target?.length ?? 0;
  for (const c of columns) if (c.length !== n) throw new Error('All feature columns must have the same length.');
  if (target && target.length !== n) throw new Error('The target must have one value per row.');
  return n;
}

/** Arithmetic mean (NaN for an empty column). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Population variance (ddof = 0), two-pass. */
export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    s += d * d;
  }
  return s / x.length;
}

/**
 * Population variances and the mask `variance > threshold`, as sklearn's `VarianceThreshold`.
 * For threshold 0 sklearn reports min(variance, peak-to-peak) so that rounding cannot keep a
 * constant column; here the variances stay plain and only an all-equal column is forced to 0,
 * which gives the same mask.
 */
export function varianceThreshold(columns: Columns, threshold = 0): { variances: Float64Array; support: boolean[] } {
  rowCount(columns);
  const variances = new Float64Array(columns.length);
  columns.forEach((c, j) => {
    let v = variance(c);
    if (threshold === 0) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < c.length; i++) {
        if (c[i]! < lo) lo = c[i]!;
        if (c[i]! > hi) hi = c[i]!;
      }
      if (hi - lo === 0) v = 0;
    }
    variances[j] = v;
  });
  return { variances, support: Array.from(variances, (v) => v > threshold) };
}

/** Pearson correlation of two equal-length arrays; NaN when either is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new Error('Pearson correlation needs two arrays of the same length.');
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  // Rounding can push |r| a hair above 1 for (anti-)collinear columns.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Pearson correlation matrix, row-major p × p (NaN off the diagonal for constant columns, like numpy). */
export function correlationMatrix(columns: Columns): Float64Array {
  const n = rowCount(columns);
  const p = columns.length;
  // Centre and normalise each column once so every pair is one dot product.
  const unit = columns.map((c) => {
    const m = mean(c);
    const u = new Float64Array(n);
    let ss = 0;
    for (let i = 0; i < n; i++) {
      u[i] = c[i]! - m;
      ss += u[i]! * u[i]!;
    }
    const norm = Math.sqrt(ss);
    for (let i = 0; i < n; i++) u[i] = norm === 0 ? NaN : u[i]! / norm;
    return u;
  });
  const r = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const ua = unit[a]!;
      const ub = unit[b]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += ua[i]! * ub[i]!;
      const v = a === b && !Number.isNaN(s) ? 1 : Math.max(-1, Math.min(1, s));
      r[a * p + b] = v;
      r[b * p + a] = v;
    }
  }
  return r;
}

/** One feature removed by `dropCorrelated`, and the kept feature it duplicated. */
export interface CorrelatedDrop {
  dropped: number;
  keptInstead: number;
  r: number;
}

/**
 * Drops one feature of each pair with |r| ≥ threshold. Rule: pairs are visited from the
 * highest |r| down (ties: lower column indices first); when both features of a pair are still
 * kept, the one with the lower `relevance` (e.g. |r| with the target, or its ANOVA F) is dropped,
 * and on equal relevance the later column. Visiting the strongest pairs first means a feature is
 * never dropped for a partner that is itself dropped later. Constant columns (NaN r) never pair.
 */
export function dropCorrelated(
  columns: Columns,
  threshold: number,
  relevance: ArrayLike<number>,
  matrix: Float64Array = correlationMatrix(columns),
): { keep: boolean[]; drops: CorrelatedDrop[] } {
  const p = columns.length;
  if (relevance.length !== p) throw new Error('Need one relevance value per feature.');
  const pairs: { a: number; b: number; r: number }[] = [];
  for (let a = 0; a < p; a++) {
    for (let b = a + 1; b < p; b++) {
      const r = matrix[a * p + b]!;
      if (Math.abs(r) >= threshold) pairs.push({ a, b, r });
    }
  }
  pairs.sort((x, y) => Math.abs(y.r) - Math.abs(x.r) || x.a - y.a || x.b - y.b);
  const keep = new Array<boolean>(p).fill(true);
  const drops: CorrelatedDrop[] = [];
  const rel = (j: number): number => (Number.isNaN(relevance[j]!) ? -Infinity : relevance[j]!);
  for (const { a, b, r } of pairs) {
    if (!keep[a] || !keep[b]) continue;
    const dropped = rel(b) <= rel(a) ? b : a;
    const keptInstead = dropped === a ? b : a;
    keep[dropped] = false;
    drops.push({ dropped, keptInstead, r });
  }
  return { keep, drops };
}

function checkClasses(y: ArrayLike<number>, nClasses: number): Float64Array {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= nClasses)
      throw new Error(`Class index ${c} is outside 0..${nClasses - 1}.`);
    counts[c]! += 1;
  }
  return counts;
}

/** Number of classes: one more than the largest class index. */
export function classCount(y: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) if (y[i]! > max) max = y[i]!;
  return max + 1;
}

/**
 * One-way ANOVA F and its p-value per feature against class indices 0..k−1, as sklearn's
 * `f_classif` (F = NaN for a feature constant within and across classes, +∞ with p = 0 when
 * constant within each class only). Classes without rows are ignored, as `np.unique` would.
 */
export function fClassif(columns: Columns, y: ArrayLike<number>, nClasses = classCount(y)): ScoreResult {
  const n = rowCount(columns, y);
  const counts = checkClasses(y, nClasses);
  const present = Array.from(counts).filter((c) => c > 0).length;
  const dfb = present - 1;
  const dfw = n - present;
  const scores = new Float64Array(columns.length);
  const pValues = new Float64Array(columns.length);
  const sums = new Float64Array(nClasses);
  columns.forEach((x, j) => {
    sums.fill(0);
    for (let i = 0; i < n; i++) sums[y[i]!]! += x[i]!;
    const grand = mean(x);
    let ssb = 0;
    for (let c = 0; c < nClasses; c++) {
      if (counts[c] === 0) continue;
      const d = sums[c]! / counts[c]! - grand;
      ssb += counts[c]! * d * d;
    }
    let ssw = 0;
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      const d = x[i]! - sums[c]! / counts[c]!;
      ssw += d * d;
    }
    const f = ssb / dfb / (ssw / dfw);
    scores[j] = f;
    pValues[j] = fSurvival(f, dfb, dfw);
  });
  return { scores, pValues };
}

/**
 * χ² statistic of each non-negative feature against class indices (sklearn's `chi2`: the
 * feature's sums per class against the sums expected from the class shares), with p-values on
 * k − 1 degrees of freedom. NaN for a feature that sums to zero. Negative values throw
 * `chi2_negative_values`.
 */
export function chi2(columns: Columns, y: ArrayLike<number>, nClasses = classCount(y)): ScoreResult {
  const n = rowCount(columns, y);
  const counts = checkClasses(y, nClasses);
  // sklearn's LabelBinarizer keeps only classes that occur (and two columns for a binary target).
  const present = Array.from(counts.keys()).filter((c) => counts[c]! > 0);
  const scores = new Float64Array(columns.length);
  const pValues = new Float64Array(columns.length);
  const observed = new Float64Array(nClasses);
  columns.forEach((x, j) => {
    observed.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (v < 0) {
        throw new ShopSightError({
          code: 'chi2_negative_values',
          message: 'The chi-squared test needs features without negative values.',
          params: { feature: j },
        });
      }
      observed[y[i]!]! += v;
      total += v;
    }
    let stat = 0;
    for (const c of present) {
      const expected = (counts[c]! / n) * total;
      const d = observed[c]! - expected;
      stat += (d * d) / expected;
    }
    scores[j] = stat;
    pValues[j] = chi2Survival(stat, present.length - 1);
  });
  return { scores, pValues };
}

/**
 * Univariate linear-regression F test per feature against a numeric target, as sklearn's
 * `f_regression` with `center=True, force_finite=True`: constant feature or target → F = 0,
 * p = 1; perfect correlation → F = Number.MAX_VALUE, p = 0.
 */
export function fRegression(columns: Columns, y: ArrayLike<number>): ScoreResult & { r: Float64Array } {
  const n = rowCount(columns, y);
  const dof = n - 2;
  const scores = new Float64Array(columns.length);
  const pValues = new Float64Array(columns.length);
  const r = new Float64Array(columns.length);
  columns.forEach((x, j) => {
    const rj = pearson(x, y);
    r[j] = Number.isNaN(rj) ? 0 : rj;
    const r2 = r[j]! * r[j]!;
    const f = (r2 / (1 - r2)) * dof;
    if (!Number.isFinite(f)) {
      scores[j] = Number.isNaN(f) ? 0 : Number.MAX_VALUE;
      pValues[j] = Number.isNaN(f) ? 1 : 0;
    } else {
      scores[j] = f;
      pValues[j] = fSurvival(f, 1, dof);
    }
  });
  return { scores, pValues, r };
}

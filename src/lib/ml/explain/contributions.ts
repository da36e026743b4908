/**
 * Per-row contributions ("why did this customer score 0.83"): for a linear model
 * coef × (x − training mean) on each encoded column (log-odds), for trees the Saabas path
 * attribution the tree models compute themselves; both summed back from encoded columns to the
 * original features, so bias + Σ contributions equals the model's raw prediction exactly. Also
 * the top reasons of a row as short text such as "Recency (+0.42)".
 */
import type { Matrix } from '../matrix';

/** The unit a model's raw prediction is in: log-odds (logistic, boosting) or P(positive) (tree, forest). */
export type ContributionUnits = 'log-odds' | 'probability';

/** Contributions per row and encoded (or original) column, row-major, with the shared bias. */
export interface RowContributions {
  bias: number;
  /** nRows × nCols, row-major. */
  values: Float64Array;
  nRows: number;
  nCols: number;
  units: ContributionUnits;
}

/** Column means of a matrix (the training means a linear explanation is centred on). */
export function columnMeans(X: Matrix): Float64Array {
  const out = new Float64Array(X.nCols);
  for (let i = 0; i < X.nRows; i++) for (let j = 0; j < X.nCols; j++) out[j]! += X.data[i * X.nCols + j]!;
  if (X.nRows > 0) for (let j = 0; j < X.nCols; j++) out[j]! /= X.nRows;
  return out;
}

/**
 * Linear contributions coef_j · (x_ij − mean_j); the bias intercept + Σ coef_j · mean_j is the
 * log-odds of a row sitting at the training means, so bias + Σ_j contribution_ij = the row's logit.
 */
export function linearContributions(
  X: Matrix,
  coef: ArrayLike<number>,
  intercept: number,
  means: ArrayLike<number>,
): RowContributions {
  const p = X.nCols;
  if (coef.length !== p || means.length !== p)
    throw new Error(`linearContributions: expected ${p} coefficients and means`);
  let bias = intercept;
  for (let j = 0; j < p; j++) bias += coef[j]! * means[j]!;
  const values = new Float64Array(X.nRows * p);
  for (let i = 0; i < X.nRows; i++) {
    for (let j = 0; j < p; j++) values[i * p + j] = coef[j]! * (X.data[i * p + j]! - means[j]!);
  }
  return { bias, values, nRows: X.nRows, nCols: p, units: 'log-odds' };
}

/** Sums encoded columns into their original features (`groups[j]` = the feature of encoded column j). */
export function groupContributions(
  c: RowContributions,
  groups: ArrayLike<number>,
  nFeatures: number,
): RowContributions {
  if (groups.length !== c.nCols) throw new Error(`groupContributions: ${groups.length} groups for ${c.nCols} columns`);
  const values = new Float64Array(c.nRows * nFeatures);
  for (let i = 0; i < c.nRows; i++) {
    for (let j = 0; j < c.nCols; j++) values[i * nFeatures + groups[j]!]! += c.values[i * c.nCols + j]!;
  }
  return { ...c, values, nCols: nFeatures };
}

/** bias + Σ contributions of row i: the model's raw prediction (logit or probability). */
export function rawOf(c: RowContributions, i: number): number {
  let s = c.bias;
  for (let j = 0; j < c.nCols; j++) s += c.values[i * c.nCols + j]!;
  return s;
}

/** The probability a raw prediction stands for. */
export function probabilityOf(raw: number, units: ContributionUnits): number {
  return units === 'log-odds' ? 1 / (1 + Math.exp(-raw)) : raw;
}

/** One reason: a feature and its signed contribution. */
export interface Reason {
  feature: string;
  contribution: number;
}

/** The `k` largest contributions of row i by absolute value (zeros never count as reasons). */
export function topReasons(c: RowContributions, i: number, features: readonly string[], k = 3): Reason[] {
  const out: Reason[] = [];
  for (let j = 0; j < c.nCols; j++) {
    const v = c.values[i * c.nCols + j]!;
    if (v !== 0 && Number.isFinite(v)) out.push({ feature: features[j]!, contribution: v });
  }
  out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.feature < b.feature ? -1 : 1));
  return out.slice(0, k);
}

/** "Recency (+0.42)": the feature and its signed contribution with two decimals (three for probabilities). */
export function reasonText(reason: Reason, units: ContributionUnits): string {
  const digits = units === 'probability' ? 3 : 2;
  const v = reason.contribution;
  const text = Math.abs(v) < 0.5 * 10 ** -digits ? (0).toFixed(digits) : Math.abs(v).toFixed(digits);
  return `${reason.feature} (${v >= 0 ? '+' : '-'}${text})`;
}

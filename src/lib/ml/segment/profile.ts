/**
 * Segment profiles (size, share, per-column means) and rule-based suggested actions for
 * RFM-like segments. Actions are stable text codes; the UI translates them via i18n.
 */
import { type Matrix } from './matrix';

/** Summary of one segment. */
export interface SegmentProfile {
  segment: number;
  size: number;
  /** Fraction of all rows, in [0, 1]. */
  share: number;
  /** Mean of each profiled column, keyed by column name. */
  means: Record<string, number>;
}

/** Computes size, share and column means per segment; `columns` names the matrix columns. */
export function segmentProfiles(x: Matrix, labels: Int32Array, columns: readonly string[]): SegmentProfile[] {
  if (columns.length !== x.nCols) throw new Error(`expected ${x.nCols} column names, got ${columns.length}`);
  let k = 0;
  for (const l of labels) k = Math.max(k, l + 1);
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * x.nCols);
  for (let i = 0; i < x.nRows; i++) {
    const l = labels[i]!;
    sizes[l]!++;
    for (let j = 0; j < x.nCols; j++) sums[l * x.nCols + j]! += x.data[i * x.nCols + j]!;
  }
  const out: SegmentProfile[] = [];
  for (let s = 0; s < k; s++) {
    if (sizes[s] === 0) continue;
    const means: Record<string, number> = {};
    columns.forEach((c, j) => (means[c] = sums[s * x.nCols + j]! / sizes[s]!));
    out.push({ segment: s, size: sizes[s]!, share: sizes[s]! / x.nRows, means });
  }
  return out;
}

/** Suggested-action codes for RFM-like segments (translated by the UI). */
export type SegmentAction =
  | 'reward_champions'
  | 'loyalty_program'
  | 'win_back_valuable'
  | 'reactivate_or_let_go'
  | 'nurture_new'
  | 'upsell_cross_sell'
  | 'maintain';

/** Per-segment RFM means (recency in days since last purchase: lower is better). */
export interface RfmMeans {
  recency: number;
  frequency: number;
  monetary: number;
}

/**
 * Picks an action by comparing a segment's RFM means to the overall means (ratios; ≥ 1.25 is
 * "high", ≤ 0.75 "low"). Ratios rather than absolute cut-offs keep it shop-size independent.
 */
export function suggestAction(segment: RfmMeans, overall: RfmMeans): SegmentAction {
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 1);
  const r = ratio(segment.recency, overall.recency);
  const f = ratio(segment.frequency, overall.frequency);
  const m = ratio(segment.monetary, overall.monetary);
  const recent = r <= 0.75;
  const lapsed = r >= 1.25;
  if (recent && f >= 1.25 && m >= 1.25) return 'reward_champions';
  if (lapsed && (f >= 1 || m >= 1)) return 'win_back_valuable';
  if (lapsed) return 'reactivate_or_let_go';
  if (f >= 1.25) return 'loyalty_program';
  if (recent && f < 1) return 'nurture_new';
  if (m >= 1.25) return 'upsell_cross_sell';
  return 'maintain';
}

/** A category's share of one segment's net revenue. */
export interface CategoryShare {
  name: string;
  /** In [0, 1]: the category's net revenue ÷ the segment's net revenue. */
  revenueShare: number;
}

/**
 * The `top` categories of each of `k` segments by share of the segment's net revenue, from order
 * lines: `segment[i]` (−1 = not a clustered customer), `category[i]` (null = none) and
 * `revenue[i]` (returns negative, so they net out; NaN lines are skipped). A segment whose net
 * revenue is not positive gets no categories; categories with net ≤ 0 are never listed.
 */
export function topCategoriesPerSegment(
  segment: ArrayLike<number>,
  category: readonly (string | null)[],
  revenue: ArrayLike<number>,
  k: number,
  top = 3,
): CategoryShare[][] {
  const perSegment = Array.from({ length: k }, () => new Map<string, number>());
  for (let i = 0; i < segment.length; i++) {
    const s = segment[i]!;
    const name = category[i];
    const value = revenue[i]!;
    if (s < 0 || s >= k || name === null || name === undefined || !Number.isFinite(value)) continue;
    const m = perSegment[s]!;
    m.set(name, (m.get(name) ?? 0) + value);
  }
  return perSegment.map((m) => {
    let total = 0;
    for (const v of m.values()) total += v;
    if (!(total > 0)) return [];
    return [...m.entries()]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, top)
      .map(([name, v]) => ({ name, revenueShare: v / total }));
  });
}

/**
 * Offline evaluation of top-K recommenders: hit-rate@K and precision@K on held-out items,
 * with helpers to build cases from a time split (per customer) or leave-one-out baskets.
 */

/** One evaluation case: what the recommender may see, and what it should find. */
export interface EvalCase {
  seed: readonly number[];
  heldOut: readonly number[];
}

/** Averaged top-K metrics. */
export interface TopKMetrics {
  k: number;
  nCases: number;
  /** Share of cases with at least one held-out item in the top K. */
  hitRate: number;
  /** Mean of (held-out items in top K) / K. */
  precision: number;
  /** Mean of (held-out items in top K) / |held-out|. */
  recall: number;
}

/** Scores a recommender `(seed, k) → item codes` on the given cases. */
export function evaluateTopK(
  cases: readonly EvalCase[],
  recommend: (seed: readonly number[], k: number) => number[],
  k: number,
): TopKMetrics {
  let hits = 0;
  let prec = 0;
  let rec = 0;
  for (const c of cases) {
    const truth = new Set(c.heldOut);
    const got = recommend(c.seed, k).slice(0, k);
    const n = got.filter((i) => truth.has(i)).length;
    if (n > 0) hits++;
    prec += n / k;
    rec += truth.size ? n / truth.size : 0;
  }
  const m = Math.max(1, cases.length);
  return { k, nCases: cases.length, hitRate: hits / m, precision: prec / m, recall: rec / m };
}

/** A timestamped interaction (codes). */
export interface Event {
  user: number;
  item: number;
  time: number;
}

/**
 * Time split per customer: events before `cutoff` train the model; each customer with training
 * history and new items on/after `cutoff` becomes a case (seed = train items, held out = new items).
 */
export function timeSplit(events: readonly Event[], cutoff: number): { train: Event[]; cases: EvalCase[] } {
  const train = events.filter((e) => e.time < cutoff);
  const before = new Map<number, Set<number>>();
  for (const e of train) (before.get(e.user) ?? before.set(e.user, new Set()).get(e.user)!).add(e.item);
  const after = new Map<number, Set<number>>();
  for (const e of events) {
    if (e.time < cutoff) continue;
    const seen = before.get(e.user);
    if (!seen || seen.has(e.item)) continue;
    (after.get(e.user) ?? after.set(e.user, new Set()).get(e.user)!).add(e.item);
  }
  const cases: EvalCase[] = [];
  for (const [u, items] of after) cases.push({ seed: Array.from(before.get(u)!), heldOut: Array.from(items) });
  return { train, cases };
}

/** Leave-one-out cases from baskets with ≥ 2 distinct items: each item in turn is hidden. */
export function leaveOneOut(baskets: readonly ArrayLike<number>[]): EvalCase[] {
  const cases: EvalCase[] = [];
  for (const b of baskets) {
    const items = Array.from(new Set(Array.from(b)));
    if (items.length < 2) continue;
    items.forEach((h, i) => cases.push({ seed: items.filter((_, j) => j !== i), heldOut: [h] }));
  }
  return cases;
}

/**
 * A blend of item-item scores with (recency-weighted) popularity: score(j) = (1 − β)·cf(j) /
 * max cf + β·pop(j) / max pop, over the customer's CF candidates and the most popular items.
 * Best sellers win when a customer's history says little; co-purchases re-rank them when it
 * says more. `recentPopularity` counts each customer–item purchase with weight 2^(−age/halfLife),
 * so what sold lately (a season) outranks what sold a year ago.
 */
import type { Event } from './evaluate';
import type { Scored } from './interactions';
import type { ItemItemModel } from './item-item';

/** Distinct-customer popularity of each item, each (customer, item) weighted by its latest purchase's age. */
export function recentPopularity(
  events: readonly Event[],
  nItems: number,
  now: number,
  halfLifeMs: number,
): Float64Array {
  const latest = new Map<number, number>();
  for (const e of events) {
    if (!(e.time < now)) continue;
    const key = e.user * nItems + e.item;
    const t = latest.get(key);
    if (t === undefined || e.time > t) latest.set(key, e.time);
  }
  const out = new Float64Array(nItems);
  for (const [key, t] of latest) {
    const item = key % nItems;
    out[item]! += Number.isFinite(halfLifeMs) ? Math.pow(2, -(now - t) / halfLifeMs) : 1;
  }
  return out;
}

/** Item codes by descending score (ties → lower code). */
export function orderByScore(scores: Float64Array): number[] {
  return Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Top-k unseen items for a customer owning `owned`, by the β-blend of CF and popularity. */
export function recommendBlend(
  model: ItemItemModel,
  popularity: Float64Array,
  popularOrder: readonly number[],
  owned: ArrayLike<number>,
  k: number,
  beta: number,
): Scored[] {
  const ownedSet = new Set<number>(Array.from(owned));
  const cf = new Map<number, number>();
  for (const i of ownedSet) {
    const nb = model.neighbours[i];
    const w = model.weights[i];
    if (!nb || !w) continue;
    for (let t = 0; t < nb.length; t++) {
      const j = nb[t]!;
      if (!ownedSet.has(j)) cf.set(j, (cf.get(j) ?? 0) + w[t]!);
    }
  }
  let maxCf = 0;
  for (const v of cf.values()) maxCf = Math.max(maxCf, v);
  const maxPop = popularity[popularOrder[0] ?? 0] ?? 0;
  const candidates = new Set<number>(cf.keys());
  // Beyond these, popularity alone cannot reach the top k.
  let added = 0;
  for (const p of popularOrder) {
    if (added >= k) break;
    if (ownedSet.has(p)) continue;
    candidates.add(p);
    added++;
  }
  const out: Scored[] = [];
  for (const j of candidates) {
    const c = maxCf > 0 ? (cf.get(j) ?? 0) / maxCf : 0;
    const p = maxPop > 0 ? popularity[j]! / maxPop : 0;
    out.push({ item: j, score: (1 - beta) * c + beta * p });
  }
  out.sort((a, b) => b.score - a.score || popularity[b.item]! - popularity[a.item]! || a.item - b.item);
  return out.slice(0, k);
}

/**
 * Item-item collaborative filtering from implicit (customer, item) data: co-purchase counts
 * turned into cosine / Jaccard similarities with popularity damping and shrinkage; a customer's
 * score for item j is the sum of similarities between j and everything they already bought.
 */
import { type Scored, itemFrequencies } from './interactions';

/** Similarity options. */
export interface ItemItemOptions {
  /** 'cosine' (default) c/(nᵢ^α·nⱼ^(1−α)), 'jaccard' c/(nᵢ+nⱼ−c) or raw co-purchase 'count'. */
  similarity?: 'cosine' | 'jaccard' | 'count';
  /**
   * Popularity damping α for cosine: 0.5 (default) is the symmetric cosine; α → 1 approaches
   * P(j | i), favouring popular items j; α → 0 penalises popular j more.
   */
  alpha?: number;
  /** Shrinkage λ: similarity × c/(c + λ), so pairs seen together only a few times count less (default 0). */
  shrinkage?: number;
  /** Keep only the strongest neighbours per item, bounding memory (default 200). */
  maxNeighbours?: number;
  /** Ignore pairs co-purchased fewer than this many times (default 1). */
  minCoCount?: number;
}

/** Sparse neighbour lists: `neighbours[i]` (sorted by descending `weights[i]`). */
export interface ItemItemModel {
  nItems: number;
  neighbours: Int32Array[];
  weights: Float64Array[];
  /** Baskets containing each item, for the popularity fill-in. */
  itemCounts: Float64Array;
  /** Item codes by descending popularity (cached for the fill-in). */
  popular: number[];
}

/** Co-purchase counts of item i with every item (dense row), from an item → baskets index. */
function coRow(i: number, itemBaskets: number[][], baskets: readonly ArrayLike<number>[], row: Float64Array): void {
  row.fill(0);
  for (const b of itemBaskets[i]!) {
    const items = baskets[b]!;
    for (let t = 0; t < items.length; t++) row[items[t]!]!++;
  }
  row[i] = 0;
}

/** Fits the item-item model from baskets (one distinct item list per customer or transaction). */
export function fitItemItem(
  baskets: readonly ArrayLike<number>[],
  nItems: number,
  options: ItemItemOptions = {},
): ItemItemModel {
  const sim = options.similarity ?? 'cosine';
  const alpha = options.alpha ?? 0.5;
  const lambda = options.shrinkage ?? 0;
  const maxN = options.maxNeighbours ?? 200;
  const minCo = options.minCoCount ?? 1;
  const counts = itemFrequencies(baskets, nItems);
  const itemBaskets: number[][] = Array.from({ length: nItems }, () => []);
  baskets.forEach((b, bi) => {
    for (let t = 0; t < b.length; t++) itemBaskets[b[t]!]!.push(bi);
  });
  const row = new Float64Array(nItems);
  const neighbours: Int32Array[] = [];
  const weights: Float64Array[] = [];
  for (let i = 0; i < nItems; i++) {
    coRow(i, itemBaskets, baskets, row);
    const cand: Scored[] = [];
    const ni = counts[i]!;
    for (let j = 0; j < nItems; j++) {
      const c = row[j]!;
      if (c < minCo || c === 0) continue;
      const nj = counts[j]!;
      let s: number;
      if (sim === 'count') s = c;
      else if (sim === 'jaccard') s = c / (ni + nj - c);
      // Row i holds sim(i → j), used when the customer owns i and we score j.
      else s = c / (Math.pow(ni, alpha) * Math.pow(nj, 1 - alpha));
      if (lambda > 0) s *= c / (c + lambda);
      cand.push({ item: j, score: s });
    }
    cand.sort((a, b) => b.score - a.score || a.item - b.item);
    const top = cand.slice(0, maxN);
    neighbours.push(Int32Array.from(top, (t) => t.item));
    weights.push(Float64Array.from(top, (t) => t.score));
  }
  return { nItems, neighbours, weights, itemCounts: counts, popular: popularOrder(counts) };
}

/** Options for producing recommendations. */
export interface RecommendOptions {
  /** Leave out items the customer already has (default true). */
  excludeOwned?: boolean;
  /** Fill remaining slots with the most popular unseen items (default true). */
  fillWithPopular?: boolean;
}

/** Top-k items for a customer who owns `owned`, by summed similarity. */
export function recommendItemItem(
  model: ItemItemModel,
  owned: ArrayLike<number>,
  k: number,
  options: RecommendOptions = {},
): Scored[] {
  const exclude = options.excludeOwned ?? true;
  const scores = new Map<number, number>();
  const ownedSet = new Set<number>(Array.from(owned));
  for (const i of ownedSet) {
    const nb = model.neighbours[i];
    const w = model.weights[i];
    if (!nb || !w) continue;
    for (let t = 0; t < nb.length; t++) {
      const j = nb[t]!;
      if (exclude && ownedSet.has(j)) continue;
      scores.set(j, (scores.get(j) ?? 0) + w[t]!);
    }
  }
  const out = Array.from(scores, ([item, score]) => ({ item, score }));
  // Ties go to the more popular item, then the lower code, for determinism.
  out.sort((a, b) => b.score - a.score || model.itemCounts[b.item]! - model.itemCounts[a.item]! || a.item - b.item);
  const top = out.slice(0, k);
  if (top.length < k && (options.fillWithPopular ?? true)) {
    const taken = new Set(top.map((t) => t.item));
    for (const p of model.popular) {
      if (top.length >= k) break;
      if (taken.has(p) || (exclude && ownedSet.has(p))) continue;
      top.push({ item: p, score: 0 });
    }
  }
  return top;
}

/** Item codes by descending count (ties → lower code). */
export function popularOrder(counts: Float64Array): number[] {
  return Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || a - b);
}

/** The popularity baseline model: item counts and their order. */
export interface PopularityModel {
  counts: Float64Array;
  order: number[];
}

/** Fits the popularity baseline (how many baskets contain each item). */
export function fitPopularity(baskets: readonly ArrayLike<number>[], nItems: number): PopularityModel {
  const counts = itemFrequencies(baskets, nItems);
  return { counts, order: popularOrder(counts) };
}

/** The popularity baseline: the k most frequently bought items the customer does not own. */
export function recommendPopular(
  model: PopularityModel,
  owned: ArrayLike<number>,
  k: number,
  excludeOwned = true,
): Scored[] {
  const ownedSet = new Set<number>(Array.from(owned));
  const out: Scored[] = [];
  for (const p of model.order) {
    if (out.length >= k) break;
    if (excludeOwned && ownedSet.has(p)) continue;
    out.push({ item: p, score: model.counts[p]! });
  }
  return out;
}

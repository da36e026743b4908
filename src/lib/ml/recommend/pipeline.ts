/**
 * End-to-end convenience for the app: raw (customer, item) id pairs in, named top-K
 * recommendations per customer out, using item-item CF with the popularity fill-in.
 */
import { encode, groupBaskets } from './interactions';
import { type ItemItemOptions, type RecommendOptions, fitItemItem, recommendItemItem } from './item-item';

/** A named recommendation. */
export interface NamedRecommendation {
  item: string;
  score: number;
}

/** Top-k unseen items for every customer from parallel arrays of customer and item ids. */
export function recommendFromPairs(
  customers: readonly string[],
  items: readonly string[],
  k: number,
  options: ItemItemOptions & RecommendOptions = {},
): Map<string, NamedRecommendation[]> {
  if (customers.length !== items.length) throw new Error(`got ${customers.length} customers but ${items.length} items`);
  const u = encode(customers);
  const it = encode(items);
  const baskets = groupBaskets(u.codes, it.codes, u.vocab.length);
  const model = fitItemItem(baskets, it.vocab.length, options);
  const out = new Map<string, NamedRecommendation[]>();
  baskets.forEach((b, c) => {
    out.set(
      u.vocab[c]!,
      recommendItemItem(model, b, k, options).map((r) => ({ item: it.vocab[r.item]!, score: r.score })),
    );
  });
  return out;
}

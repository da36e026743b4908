/**
 * Interaction encoding for recommenders: string ids → dense integer codes, and grouping of
 * (customer, item) pairs into baskets (sorted, de-duplicated item codes per customer).
 */

/** A string vocabulary with dense integer codes. */
export interface Encoded {
  codes: Int32Array;
  vocab: string[];
  index: Map<string, number>;
}

/** Encodes values to codes in first-seen order; pass `index` to reuse (and extend) a vocabulary. */
export function encode(values: readonly string[], index: Map<string, number> = new Map()): Encoded {
  const vocab: string[] = [];
  for (const [v, i] of index) vocab[i] = v;
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    let c = index.get(v);
    if (c === undefined) {
      c = vocab.length;
      index.set(v, c);
      vocab.push(v);
    }
    codes[i] = c;
  });
  return { codes, vocab, index };
}

/** Groups (user, item) code pairs into one sorted, distinct item list per user (empty for unseen users). */
export function groupBaskets(users: Int32Array, items: Int32Array, nUsers: number): Int32Array[] {
  const sets: Set<number>[] = Array.from({ length: nUsers }, () => new Set<number>());
  for (let i = 0; i < users.length; i++) sets[users[i]!]!.add(items[i]!);
  return sets.map((s) => Int32Array.from(s).sort());
}

/** Number of baskets containing each item (an item counts once per basket). */
export function itemFrequencies(baskets: readonly ArrayLike<number>[], nItems: number): Float64Array {
  const f = new Float64Array(nItems);
  for (const b of baskets) for (let i = 0; i < b.length; i++) f[b[i]!]!++;
  return f;
}

/** A scored recommendation. */
export interface Scored {
  item: number;
  score: number;
}

/**
 * FP-Growth frequent itemsets (Han et al. 2000) and association rules with support,
 * confidence and lift. Items are integer codes; transactions may contain duplicates
 * (they are counted once).
 */

/** A frequent itemset: sorted item codes and the number of transactions containing all of them. */
export interface FrequentItemset {
  items: number[];
  count: number;
  /** count / number of transactions. */
  support: number;
}

interface FpNode {
  item: number;
  count: number;
  parent: FpNode | null;
  children: Map<number, FpNode>;
}

interface Pattern {
  items: number[];
  count: number;
}

/** Options for FP-Growth. */
export interface FpGrowthOptions {
  /** Minimum support as a fraction of transactions, in (0, 1]. */
  minSupport: number;
  /** Longest itemset to report (default unlimited). */
  maxLength?: number;
}

/** Mines all itemsets with support ≥ minSupport, sorted by descending count then items. */
export function fpGrowth(transactions: readonly ArrayLike<number>[], options: FpGrowthOptions): FrequentItemset[] {
  const n = transactions.length;
  const minCount = Math.max(1, Math.ceil(options.minSupport * n - 1e-9));
  const maxLen = options.maxLength ?? Infinity;
  const patterns: Pattern[] = transactions.map((t) => ({ items: Array.from(new Set(Array.from(t))), count: 1 }));
  const found: Pattern[] = [];
  mine(patterns, [], minCount, maxLen, found);
  return found
    .map((p) => ({ items: p.items.sort((a, b) => a - b), count: p.count, support: p.count / n }))
    .sort((a, b) => b.count - a.count || a.items.length - b.items.length || cmpItems(a.items, b.items));
}

function cmpItems(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Recursive FP-Growth on a (conditional) pattern base, appending itemsets that end in `suffix`. */
function mine(patterns: Pattern[], suffix: number[], minCount: number, maxLen: number, out: Pattern[]): void {
  const counts = new Map<number, number>();
  for (const p of patterns) for (const it of p.items) counts.set(it, (counts.get(it) ?? 0) + p.count);
  const frequent = Array.from(counts)
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([it]) => it);
  if (frequent.length === 0) return;
  const rank = new Map(frequent.map((it, r) => [it, r]));
  const root: FpNode = { item: -1, count: 0, parent: null, children: new Map() };
  const header = new Map<number, FpNode[]>(frequent.map((it) => [it, []]));
  for (const p of patterns) {
    const path = p.items.filter((it) => rank.has(it)).sort((a, b) => rank.get(a)! - rank.get(b)!);
    let node = root;
    for (const it of path) {
      let child = node.children.get(it);
      if (!child) {
        child = { item: it, count: 0, parent: node, children: new Map() };
        node.children.set(it, child);
        header.get(it)!.push(child);
      }
      child.count += p.count;
      node = child;
    }
  }
  // Least frequent first, so each conditional base only holds more frequent items.
  for (let r = frequent.length - 1; r >= 0; r--) {
    const it = frequent[r]!;
    const itemset = [...suffix, it];
    out.push({ items: itemset.slice(), count: counts.get(it)! });
    if (itemset.length >= maxLen) continue;
    const base: Pattern[] = [];
    for (const node of header.get(it)!) {
      const items: number[] = [];
      for (let up = node.parent; up && up.item >= 0; up = up.parent) items.push(up.item);
      if (items.length) base.push({ items, count: node.count });
    }
    if (base.length) mine(base, itemset, minCount, maxLen, out);
  }
}

/** An association rule antecedent → consequent. */
export interface AssociationRule {
  antecedent: number[];
  consequent: number[];
  /** Transactions containing antecedent ∪ consequent. */
  count: number;
  support: number;
  /** P(consequent | antecedent). */
  confidence: number;
  /** confidence / P(consequent); > 1 means bought together more than by chance. */
  lift: number;
}

/** Rule filters. */
export interface RuleOptions {
  minConfidence?: number;
  minLift?: number;
}

/**
 * Derives every rule A → C (A, C non-empty, disjoint, A ∪ C frequent) from FP-Growth output,
 * sorted by lift, then confidence, then count (all descending).
 */
export function associationRules(
  itemsets: readonly FrequentItemset[],
  nTransactions: number,
  options: RuleOptions = {},
): AssociationRule[] {
  const minConf = options.minConfidence ?? 0;
  const minLift = options.minLift ?? 0;
  const countOf = new Map(itemsets.map((s) => [s.items.join(','), s.count]));
  const rules: AssociationRule[] = [];
  for (const s of itemsets) {
    const m = s.items.length;
    if (m < 2) continue;
    // Every non-empty proper subset as antecedent; frequent itemsets are short, so 2^m is fine.
    for (let mask = 1; mask < (1 << m) - 1; mask++) {
      const a: number[] = [];
      const c: number[] = [];
      s.items.forEach((it, i) => (mask & (1 << i) ? a : c).push(it));
      const ca = countOf.get(a.join(','));
      const cc = countOf.get(c.join(','));
      // Subsets of frequent itemsets are frequent, so these always exist.
      if (ca === undefined || cc === undefined) continue;
      const confidence = s.count / ca;
      const lift = confidence / (cc / nTransactions);
      if (confidence < minConf || lift < minLift) continue;
      rules.push({ antecedent: a, consequent: c, count: s.count, support: s.count / nTransactions, confidence, lift });
    }
  }
  return rules.sort((x, y) => y.lift - x.lift || y.confidence - x.confidence || y.count - x.count);
}

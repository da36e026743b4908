/**
 * Distinctive terms by the weighted log-odds ratio with an informative Dirichlet prior
 * (Monroe, Colaresi & Quinn 2008, "Fightin' Words"): for term w, group A vs B,
 * δ = ln((a_w + α_w) / (n_A + α₀ − a_w − α_w)) − ln((b_w + α_w) / (n_B + α₀ − b_w − α_w)),
 * z = δ / √(1/(a_w + α_w) + 1/(b_w + α_w)), with α_w = α₀ · (corpus share of w). The prior
 * shrinks rare terms toward zero, so a word seen twice cannot top the list.
 */

/** A term that distinguishes one side. */
export interface KeywordScore {
  term: string;
  /** Prior-smoothed log-odds ratio (A vs B). */
  logOdds: number;
  /** logOdds divided by its estimated standard deviation; rank by this. */
  z: number;
  /** Documents (or occurrences, when `binary` is false) on side A / side B. */
  countA: number;
  countB: number;
}

/** Options for the log-odds comparison. */
export interface LogOddsOptions {
  /** Total prior mass α₀ (default 500 pseudo-counts). */
  priorStrength?: number;
  /** Count a term once per document (default true), so one rant does not dominate. */
  binary?: boolean;
  /** Ignore terms with fewer than this many A + B counts (default 3). */
  minCount?: number;
  /** Top terms to return (default 20). */
  top?: number;
  /** Background counts for the prior; default: the A + B documents themselves. */
  prior?: ReadonlyMap<string, number>;
}

/** Counts terms across documents (binary: once per document). */
export function termCounts(docs: Iterable<readonly string[]>, binary = true): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of docs) for (const t of binary ? new Set(d) : d) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** Terms most over-represented in A relative to B, by the z-score of the smoothed log-odds. */
export function logOddsKeywords(
  docsA: readonly (readonly string[])[],
  docsB: readonly (readonly string[])[],
  options: LogOddsOptions = {},
): KeywordScore[] {
  const binary = options.binary ?? true;
  const a = termCounts(docsA, binary);
  const b = termCounts(docsB, binary);
  const prior = options.prior ?? mergeCounts(a, b);
  let priorTotal = 0;
  for (const v of prior.values()) priorTotal += v;
  const a0 = options.priorStrength ?? 500;
  let nA = 0;
  let nB = 0;
  for (const v of a.values()) nA += v;
  for (const v of b.values()) nB += v;
  const minCount = options.minCount ?? 3;
  const out: KeywordScore[] = [];
  for (const [term, ca] of a) {
    const cb = b.get(term) ?? 0;
    if (ca + cb < minCount) continue;
    const aw = Math.max(1e-9, (a0 * (prior.get(term) ?? 0)) / Math.max(1, priorTotal));
    const la = Math.log((ca + aw) / (nA + a0 - ca - aw));
    const lb = Math.log((cb + aw) / (nB + a0 - cb - aw));
    const delta = la - lb;
    const z = delta / Math.sqrt(1 / (ca + aw) + 1 / (cb + aw));
    if (z > 0) out.push({ term, logOdds: delta, z, countA: ca, countB: cb });
  }
  return out.sort((x, y) => y.z - x.z || (x.term < y.term ? -1 : 1)).slice(0, options.top ?? 20);
}

function mergeCounts(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const m = new Map(a);
  for (const [t, v] of b) m.set(t, (m.get(t) ?? 0) + v);
  return m;
}

/**
 * "Complaint keywords" per group (e.g. product category): within each group, terms most
 * typical of negative documents versus the group's other documents, with the whole corpus
 * as the prior so small groups borrow strength. Groups without both sides are skipped.
 */
export function complaintKeywords(
  docs: readonly (readonly string[])[],
  negative: ArrayLike<boolean | number>,
  groups: readonly string[] | undefined,
  options: LogOddsOptions = {},
): Map<string, KeywordScore[]> {
  const prior = options.prior ?? termCounts(docs, options.binary ?? true);
  const byGroup = new Map<string, { neg: (readonly string[])[]; rest: (readonly string[])[] }>();
  docs.forEach((d, i) => {
    const g = groups ? groups[i]! : 'all';
    const entry = byGroup.get(g) ?? byGroup.set(g, { neg: [], rest: [] }).get(g)!;
    (negative[i] ? entry.neg : entry.rest).push(d);
  });
  const out = new Map<string, KeywordScore[]>();
  for (const [g, { neg, rest }] of byGroup) {
    if (neg.length === 0 || rest.length === 0) continue;
    out.set(g, logOddsKeywords(neg, rest, { ...options, prior }));
  }
  return out;
}

/**
 * A token vocabulary learnt from the training reviews and the padded id sequences an embedding
 * model reads. Id 0 pads, id 1 stands for every token outside the vocabulary, ids 2… are the
 * tokens by decreasing training count (ties by first appearance), so the same reviews always
 * give the same ids.
 */

/** Id of padding positions. */
export const PAD_ID = 0;
/** Id of tokens not in the vocabulary. */
export const OOV_ID = 1;

/** A fitted vocabulary: `tokens[id]` for id ≥ 2 ('' and '<unk>' at 0 and 1). */
export interface Vocabulary {
  index: ReadonlyMap<string, number>;
  tokens: readonly string[];
  /** Number of ids (padding and OOV included): the embedding table's row count. */
  size: number;
}

/** Options of `buildVocabulary`. */
export interface VocabularyOptions {
  /** Tokens seen in fewer training documents are left out (default 2). */
  minDf?: number;
  /** At most this many tokens (default 20,000), the most frequent kept. */
  maxTokens?: number;
}

/** Learns the vocabulary from tokenised training documents (document frequency ≥ minDf). */
export function buildVocabulary(docs: readonly (readonly string[])[], options: VocabularyOptions = {}): Vocabulary {
  const minDf = options.minDf ?? 2;
  const maxTokens = options.maxTokens ?? 20_000;
  const df = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  for (const doc of docs) {
    const seen = new Set(doc);
    for (const t of seen) {
      df.set(t, (df.get(t) ?? 0) + 1);
      if (!firstSeen.has(t)) firstSeen.set(t, firstSeen.size);
    }
  }
  const kept = [...df.entries()]
    .filter(([, c]) => c >= minDf)
    .sort((a, b) => b[1] - a[1] || firstSeen.get(a[0])! - firstSeen.get(b[0])!)
    .slice(0, maxTokens)
    .map(([t]) => t);
  const tokens = ['', '<unk>', ...kept];
  return { index: new Map(tokens.map((t, i) => [t, i] as const).slice(2)), tokens, size: tokens.length };
}

/** The sequence length covering `quantile` of the documents (at least 8, at most `cap`). */
export function sequenceLength(docs: readonly (readonly string[])[], quantile = 0.95, cap = 256): number {
  if (docs.length === 0) return 8;
  const lengths = docs.map((d) => d.length).sort((a, b) => a - b);
  const q = lengths[Math.min(lengths.length - 1, Math.floor(quantile * (lengths.length - 1)))]!;
  return Math.max(8, Math.min(cap, q));
}

/**
 * Row-major `docs.length × length` ids: each document's first `length` tokens (unknown → OOV_ID),
 * padded with PAD_ID.
 */
export function encodeSequences(docs: readonly (readonly string[])[], vocab: Vocabulary, length: number): Int32Array {
  const out = new Int32Array(docs.length * length);
  docs.forEach((doc, i) => {
    const n = Math.min(length, doc.length);
    for (let j = 0; j < n; j++) out[i * length + j] = vocab.index.get(doc[j]!) ?? OOV_ID;
  });
  return out;
}

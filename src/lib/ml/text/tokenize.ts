/**
 * Tokenisers for review text. English: lowercase words of ≥ 2 letters/digits (sklearn's
 * default `(?u)\b\w\w+\b`, so punctuation is dropped), optional stop words, then n-grams.
 * Chinese: no segmenter; NFKC-normalised character n-grams within runs of Han characters,
 * with embedded Latin words / numbers kept as whole tokens.
 */
import { ENGLISH_STOP_WORDS } from './stop-words';

/** Inclusive n-gram range [min, max]. */
export type NgramRange = readonly [number, number];

/** English tokeniser options. */
export interface EnglishTokenOptions {
  /** true → sklearn's English list; or a custom set; default none (negations carry sentiment). */
  stopWords?: boolean | ReadonlySet<string>;
  /** Default [1, 2]: unigrams and bigrams. */
  ngrams?: NgramRange;
}

// Python's \w: letters, digits (and other numerics), combining marks, underscore.
const WORD_RUN = /[\p{L}\p{N}\p{M}_]+/gu;

/** Appends the n-grams (space-joined) of `tokens` for n in [min, max] to `out`, sklearn's order. */
export function addNgrams(tokens: readonly string[], [min, max]: NgramRange, out: string[], sep = ' '): string[] {
  if (min <= 1 && max >= 1) out.push(...tokens);
  for (let n = Math.max(2, min); n <= max; n++)
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(sep));
  return out;
}

/** English words → uni/bi-grams (lowercased, punctuation stripped, optional stop words). */
export function tokenizeEnglish(text: string, options: EnglishTokenOptions = {}): string[] {
  const stop = options.stopWords === true ? ENGLISH_STOP_WORDS : options.stopWords || undefined;
  const words: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD_RUN)) {
    const w = m[0];
    if (w.length < 2 || stop?.has(w)) continue;
    words.push(w);
  }
  return addNgrams(words, options.ngrams ?? [1, 2], []);
}

/** Chinese tokeniser options. */
export interface ChineseTokenOptions {
  /** Character n-gram range within Han runs (default [1, 2]). */
  ngrams?: NgramRange;
}

const HAN = /\p{Script=Han}/u;
const WORDISH = /[\p{L}\p{N}]/u;

/**
 * Chinese text → character n-grams. NFKC turns full-width letters, digits and punctuation
 * (ＡＢＣ１２３！) into ASCII so that "ｉｐｈｏｎｅ" and "iphone" agree. Punctuation and spaces
 * end a run, so bigrams never straddle a sentence break.
 */
export function tokenizeChinese(text: string, options: ChineseTokenOptions = {}): string[] {
  const range = options.ngrams ?? [1, 2];
  const norm = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  let han: string[] = [];
  let latin = '';
  const flushHan = (): void => {
    if (han.length) addNgrams(han, range, out, '');
    han = [];
  };
  const flushLatin = (): void => {
    if (latin) out.push(latin);
    latin = '';
  };
  for (const ch of norm) {
    if (HAN.test(ch)) {
      flushLatin();
      han.push(ch);
    } else if (WORDISH.test(ch)) {
      flushHan();
      latin += ch;
    } else {
      flushHan();
      flushLatin();
    }
  }
  flushHan();
  flushLatin();
  return out;
}

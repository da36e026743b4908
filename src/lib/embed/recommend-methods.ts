/**
 * The embed methods of the recommendations and reviews chapter: `recommend` (item-item CF,
 * FP-Growth rules, time-split evaluation; writes the recommendations and rules tables) and
 * `sentiment` (TF-IDF + logistic regression from star ratings or a 0/1 label; writes the
 * scored reviews table). Params are validated without side effects.
 */
import type { ProgressCallback } from '../contracts/data-api';
import type { RecommendRequest, RecommendResult, SentimentRequest, SentimentResult } from '../contracts/recommend-api';
import { NAME_RULE, defineMethod } from './methods';
import type { ParamReader } from './params';
import { describeValue } from './protocol';

/** What the two methods need (the app's `RecommendClient` with job ids supplied). */
export interface RecommendBackend {
  recommend(request: RecommendRequest, onProgress: ProgressCallback): Promise<RecommendResult>;
  sentiment(request: SentimentRequest, onProgress: ProgressCallback): Promise<SentimentResult>;
}

/** `recommend`'s reply: the view's result without the per-product neighbour index. */
export type EmbedRecommendResult = Omit<RecommendResult, 'neighbourIndex'>;

function fraction(p: ParamReader, name: string, fallback: number, { open = false } = {}): number {
  const value = p.raw(name);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1 || (open && value === 0))
    p.fail(name, `must be a number ${open ? 'in (0, 1]' : 'between 0 and 1'}, got ${describeValue(value)}.`);
  return value;
}

function oneOf<T extends string>(p: ParamReader, name: string, allowed: readonly T[], fallback: T): T {
  const value = p.raw(name);
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    p.fail(name, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describeValue(value)}.`);
  return value as T;
}

function optionalNumber(p: ParamReader, name: string): number | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    p.fail(name, `must be a number, got ${describeValue(value)}.`);
  return value;
}

function columns<K extends string>(p: ParamReader, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const n of names) {
    const v = p.optionalString(n, NAME_RULE);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

export const RECOMMEND_METHODS = {
  recommend: defineMethod('recommend', {
    mutates: true,
    params: [
      'table',
      'customer',
      'product',
      'basket',
      'timestamp',
      'similarity',
      'k',
      'minSupport',
      'minConfidence',
      'split',
      'neighboursOf',
      'maxRules',
      'into',
      'recommender',
    ],
    parse(p): RecommendRequest {
      const table = p.string('table', NAME_RULE);
      const split = p.raw('split') === undefined ? undefined : fraction(p, 'split', 0.2, { open: true });
      if (split === 1) p.fail('split', 'must be below 1.');
      const maxRules = p.optionalInteger('maxRules', { min: 1, max: 5000 });
      const into = p.optionalString('into', NAME_RULE);
      return {
        table,
        ...columns(p, ['customer', 'product', 'basket', 'timestamp', 'neighboursOf'] as const),
        similarity: oneOf(p, 'similarity', ['cosine', 'jaccard'] as const, 'cosine'),
        k: p.optionalInteger('k', { min: 1, max: 100 }) ?? 5,
        minSupport: fraction(p, 'minSupport', 0.01, { open: true }),
        minConfidence: fraction(p, 'minConfidence', 0.3),
        ...(split === undefined ? {} : { split }),
        ...(maxRules === undefined ? {} : { maxRules }),
        ...(into === undefined ? {} : { output: into }),
        ...(p.raw('recommender') === undefined
          ? {}
          : { recommender: oneOf(p, 'recommender', ['itemitem', 'blend'] as const, 'itemitem') }),
      };
    },
    run: async (backend, request, progress): Promise<EmbedRecommendResult> => {
      const { neighbourIndex: _index, ...rest } = await backend.recommend.recommend(request, progress);
      return rest;
    },
  }),

  sentiment: defineMethod('sentiment', {
    mutates: true,
    params: ['table', 'text', 'rating', 'label', 'positiveMin', 'negativeMax', 'language', 'groupBy', 'into', 'model'],
    parse(p): SentimentRequest {
      const table = p.string('table', NAME_RULE);
      const text = p.string('text', NAME_RULE);
      const { rating, label, groupBy } = columns(p, ['rating', 'label', 'groupBy'] as const);
      if (rating && label) p.fail('label', 'give either rating or label, not both.');
      if (!rating && !label) p.fail('rating', 'is required (or give a 0/1 label column as label).');
      const positiveMin = optionalNumber(p, 'positiveMin');
      const negativeMax = optionalNumber(p, 'negativeMax');
      if ((positiveMin ?? 4) <= (negativeMax ?? 2)) p.fail('negativeMax', 'must be below positiveMin.');
      const into = p.optionalString('into', NAME_RULE);
      return {
        table,
        text,
        ...(rating ? { rating } : {}),
        ...(label ? { label } : {}),
        ...(positiveMin === undefined ? {} : { positiveMin }),
        ...(negativeMax === undefined ? {} : { negativeMax }),
        language: oneOf(p, 'language', ['auto', 'en', 'zh'] as const, 'auto'),
        ...(groupBy ? { groupBy } : {}),
        ...(into === undefined ? {} : { output: into }),
        ...(p.raw('model') === undefined
          ? {}
          : { model: oneOf(p, 'model', ['tfidf', 'embedding', 'both'] as const, 'tfidf') }),
      };
    },
    run: (backend, request, progress): Promise<SentimentResult> => backend.recommend.sentiment(request, progress),
  }),
};

import { describe, expect, it } from 'vitest';
import { RECOMMEND_METHODS } from './recommend-methods';

describe('recommend embed methods: params', () => {
  it('fills recommend defaults and maps into → output', () => {
    const v = RECOMMEND_METHODS.recommend.validate({ table: 'orders', into: 'o', k: 10 });
    expect(v).toEqual({
      ok: true,
      value: { table: 'orders', similarity: 'cosine', k: 10, minSupport: 0.01, minConfidence: 0.3, output: 'o' },
    });
  });

  it('rejects bad recommend params without running', () => {
    for (const params of [
      {},
      { table: 'o', k: 0 },
      { table: 'o', minSupport: 0 },
      { table: 'o', minConfidence: 2 },
      { table: 'o', similarity: 'euclid' },
      { table: 'o', split: 1 },
      { table: 'o', bogus: 1 },
    ]) {
      const v = RECOMMEND_METHODS.recommend.validate(params);
      expect(v.ok, JSON.stringify(params)).toBe(false);
      if (!v.ok) expect(v.error.code).toBe('bad_params');
    }
  });

  it('passes the recommender choice through and refuses an unknown one', () => {
    const v = RECOMMEND_METHODS.recommend.validate({ table: 'o', recommender: 'blend' });
    expect(v.ok && v.value.recommender).toBe('blend');
    expect(RECOMMEND_METHODS.recommend.validate({ table: 'o', recommender: 'magic' }).ok).toBe(false);
  });

  it('needs exactly one of rating and label for sentiment', () => {
    expect(RECOMMEND_METHODS.sentiment.validate({ table: 'r', text: 't', rating: 'stars' })).toEqual({
      ok: true,
      value: { table: 'r', text: 't', rating: 'stars', language: 'auto' },
    });
    expect(RECOMMEND_METHODS.sentiment.validate({ table: 'r', text: 't' }).ok).toBe(false);
    expect(RECOMMEND_METHODS.sentiment.validate({ table: 'r', text: 't', label: 'l', model: 'both' })).toEqual({
      ok: true,
      value: { table: 'r', text: 't', label: 'l', language: 'auto', model: 'both' },
    });
    expect(RECOMMEND_METHODS.sentiment.validate({ table: 'r', text: 't', label: 'l', model: 'bert' }).ok).toBe(false);
    expect(RECOMMEND_METHODS.sentiment.validate({ table: 'r', text: 't', rating: 'a', label: 'b' }).ok).toBe(false);
    expect(
      RECOMMEND_METHODS.sentiment.validate({ table: 'r', text: 't', rating: 'a', positiveMin: 2, negativeMax: 3 }).ok,
    ).toBe(false);
  });

  it('drops the neighbour index from the reply and passes progress through', async () => {
    const seen: unknown[] = [];
    const backend = {
      recommend: {
        recommend: async (request: unknown, progress: unknown) => {
          seen.push(request, typeof progress);
          return { nItems: 2, neighbourIndex: { a: [] } };
        },
        sentiment: async () => ({}),
      },
    } as never;
    const v = RECOMMEND_METHODS.recommend.validate({ table: 'o' });
    if (!v.ok) throw new Error('invalid');
    const out = await RECOMMEND_METHODS.recommend.run(backend, v.value, () => {}, { version: '1', methods: [] });
    expect(out).toEqual({ nItems: 2 });
    expect(seen[1]).toBe('function');
  });
});

import { describe, expect, it } from 'vitest';
import { OOV_ID, PAD_ID, buildVocabulary, encodeSequences, sequenceLength } from './vocabulary';

describe('vocabulary', () => {
  const docs = [['not', 'good', 'good'], ['good', 'fit'], ['bad', 'fit', 'not'], ['rare']];

  it('keeps tokens in at least minDf documents, most frequent first, ties by first appearance', () => {
    const v = buildVocabulary(docs, { minDf: 2 });
    // good: 2 docs, not: 2, fit: 2 → by first appearance: not, good, fit.
    expect(v.tokens).toEqual(['', '<unk>', 'not', 'good', 'fit']);
    expect(v.size).toBe(5);
    expect(v.index.get('not')).toBe(2);
    expect(v.index.has('rare')).toBe(false);
    expect(v.index.has('')).toBe(false);
  });

  it('caps the size at maxTokens', () => {
    expect(buildVocabulary(docs, { minDf: 1, maxTokens: 2 }).tokens).toEqual(['', '<unk>', 'not', 'good']);
  });

  it('encodes with OOV for unknown tokens, truncates and pads', () => {
    const v = buildVocabulary(docs, { minDf: 2 });
    const ids = encodeSequences(
      [
        ['good', 'rare'],
        ['not', 'good', 'fit', 'fit'],
      ],
      v,
      3,
    );
    expect(Array.from(ids)).toEqual([3, OOV_ID, PAD_ID, 2, 3, 4]);
  });

  it('chooses the sequence length from the length quantile, within [8, cap]', () => {
    const many = Array.from({ length: 100 }, (_, i) => new Array<string>(i + 1).fill('a'));
    expect(sequenceLength(many, 0.95, 256)).toBe(95);
    expect(sequenceLength(many, 0.95, 50)).toBe(50);
    expect(sequenceLength([['a']], 0.95)).toBe(8);
  });
});

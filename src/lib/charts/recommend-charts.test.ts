import { describe, expect, it } from 'vitest';
import type { RecommendEvaluation, RuleRow } from '../contracts/recommend-api';
import { evaluationOption, keywordsOption, rulesGraphOption, scoreHistogramOption } from './recommend-charts';

type Series = { type: string; name?: string; data: unknown[]; links?: { source: string; target: string }[] };
const series = (o: unknown) => (o as { series: Series[] }).series;

const rule = (a: string, c: string, lift: number): RuleRow => ({
  antecedent: [a],
  consequent: [c],
  count: 10,
  support: 0.1,
  confidence: 0.5,
  lift,
});

describe('recommend charts', () => {
  it('puts the model beside the popularity baseline in percent', () => {
    const e: RecommendEvaluation = {
      k: 5,
      method: 'basket',
      cutoff: null,
      trainShare: 0.8,
      nCases: 10,
      nScored: 10,
      model: { hitRate: 0.576, precision: 0.115, recall: 0.5 },
      popularity: { hitRate: 0.551, precision: 0.11, recall: 0.4 },
    };
    const s = series(evaluationOption(e, { model: 'M', popularity: 'P', hitRate: 'H', precision: 'Pr' }));
    expect(s.map((x) => x.name)).toEqual(['M', 'P']);
    expect(s[0]!.data).toEqual([57.6, 11.5]);
    expect(s[1]!.data).toEqual([55.1, 11]);
  });

  it('draws single-item rules as a directed graph with one node per product', () => {
    const rules = [rule('A', 'B', 3), rule('B', 'A', 3), rule('C', 'B', 2)];
    rules.push({ ...rule('A', 'C', 1.5), antecedent: ['A', 'B'] });
    const [g] = series(rulesGraphOption(rules, { lift: 'lift', confidence: 'conf', max: 10 }));
    expect(g!.type).toBe('graph');
    expect((g!.data as { name: string }[]).map((n) => n.name).sort()).toEqual(['A', 'B', 'C']);
    expect(g!.links!.map((l) => `${l.source}>${l.target}`)).toEqual(['A>B', 'B>A', 'C>B']);
  });

  it('lists keywords top-down and stacks the score histogram by label', () => {
    const k = keywordsOption(
      [
        { term: 'zipper', z: 5.123, negative: 9, other: 1 },
        { term: 'small', z: 3, negative: 5, other: 2 },
      ],
      { z: 'z' },
    ) as { yAxis: { data: string[] } };
    expect(k.yAxis.data).toEqual(['small', 'zipper']);
    expect(series(k)[0]!.data).toEqual([3, 5.12]);
    const h = series(
      scoreHistogramOption(
        { negative: [2, 0], positive: [0, 3], unrated: [1, 1] },
        { negative: 'n', positive: 'p', unrated: 'u', score: 's', reviews: 'r' },
      ),
    );
    expect(h.map((x) => x.data)).toEqual([
      [2, 0],
      [0, 3],
      [1, 1],
    ]);
  });
});

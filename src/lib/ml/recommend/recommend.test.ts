/** Item-item CF, FP-Growth (vs a hand example and brute-force enumeration) and top-K metrics. */
import { describe, expect, it } from 'vitest';
import { createRng, randInt } from '../segment/prng';
import { evaluateTopK, leaveOneOut, timeSplit } from './evaluate';
import { associationRules, fpGrowth } from './fp-growth';
import { encode, groupBaskets } from './interactions';
import { fitItemItem, fitPopularity, recommendItemItem, recommendPopular } from './item-item';
import { recommendFromPairs } from './pipeline';

/** All itemsets with count ≥ minCount by enumerating subsets of the item universe. */
function bruteForce(transactions: number[][], nItems: number, minCount: number): Map<string, number> {
  const out = new Map<string, number>();
  const sets = transactions.map((t) => new Set(t));
  for (let mask = 1; mask < 1 << nItems; mask++) {
    const items: number[] = [];
    for (let i = 0; i < nItems; i++) if (mask & (1 << i)) items.push(i);
    const c = sets.filter((s) => items.every((i) => s.has(i))).length;
    if (c >= minCount) out.set(items.join(','), c);
  }
  return out;
}

describe('FP-Growth', () => {
  it('finds the 18 frequent patterns of Han et al.’s example (min support 3 of 5)', () => {
    const raw = ['facdgimp', 'abcflmo', 'bfhjo', 'bcksp', 'afcelpmn'];
    const vocab = encode([...new Set(raw.join(''))]);
    const tx = raw.map((t) => [...t].map((ch) => vocab.index.get(ch)!));
    const sets = fpGrowth(tx, { minSupport: 3 / 5 });
    const named = new Map(
      sets.map((s) => [
        s.items
          .map((i) => vocab.vocab[i])
          .sort()
          .join(''),
        s.count,
      ]),
    );
    expect(sets).toHaveLength(18);
    expect(named.get('acfm')).toBe(3);
    expect(named.get('cp')).toBe(3);
    expect(named.get('f')).toBe(4);
    expect(named.has('fp')).toBe(false);
  });

  it('matches brute-force enumeration on random transactions', () => {
    const rng = createRng(11);
    for (let rep = 0; rep < 5; rep++) {
      const nItems = 10;
      const tx = Array.from({ length: 60 }, () =>
        Array.from({ length: 1 + randInt(rng, 6) }, () => Math.floor(rng() ** 2 * nItems)),
      );
      for (const minSupport of [0.05, 0.1, 0.2]) {
        const got = new Map(fpGrowth(tx, { minSupport }).map((s) => [s.items.join(','), s.count]));
        expect(got).toEqual(bruteForce(tx, nItems, Math.ceil(minSupport * tx.length - 1e-9)));
      }
    }
  });

  it('respects maxLength', () => {
    const tx = [
      [0, 1, 2],
      [0, 1, 2],
      [0, 1],
    ];
    expect(Math.max(...fpGrowth(tx, { minSupport: 0.5, maxLength: 2 }).map((s) => s.items.length))).toBe(2);
  });

  it('derives rules with support, confidence and lift (hand example)', () => {
    // bread=0, butter=1, milk=2
    const tx = [[0, 1], [0, 1, 2], [0], [2]];
    const rules = associationRules(fpGrowth(tx, { minSupport: 0.5 }), tx.length);
    const r = (a: number, c: number) =>
      rules.find((x) => x.antecedent.join() === `${a}` && x.consequent.join() === `${c}`);
    expect(r(0, 1)).toMatchObject({ count: 2, support: 0.5, confidence: 2 / 3 });
    expect(r(0, 1)!.lift).toBeCloseTo(4 / 3, 12);
    expect(r(1, 0)).toMatchObject({ confidence: 1 });
    expect(r(1, 0)!.lift).toBeCloseTo(4 / 3, 12);
    expect(associationRules(fpGrowth(tx, { minSupport: 0.5 }), tx.length, { minConfidence: 0.9 })).toHaveLength(1);
  });
});

describe('item-item collaborative filtering', () => {
  // Customers: a,b buy {0,1}; c buys {0,1,2}; d buys {2,3}; e buys {3}; item 4 is popular alone.
  const baskets = [[0, 1], [0, 1], [0, 1, 2], [2, 3], [3], [4], [4], [4], [4]].map((b) => Int32Array.from(b));
  it('computes cosine, Jaccard and count similarities with shrinkage', () => {
    const cos = fitItemItem(baskets, 5);
    // c(0,1) = 3, n0 = n1 = 3 → cosine 1; c(0,2) = 1, n2 = 2 → 1/sqrt(6).
    expect(cos.weights[0]![0]).toBeCloseTo(1, 12);
    expect(cos.neighbours[0]![0]).toBe(1);
    expect(cos.weights[0]![1]).toBeCloseTo(1 / Math.sqrt(6), 12);
    const jac = fitItemItem(baskets, 5, { similarity: 'jaccard' });
    expect(jac.weights[0]![1]).toBeCloseTo(1 / (3 + 2 - 1), 12);
    const shr = fitItemItem(baskets, 5, { similarity: 'count', shrinkage: 1 });
    expect(shr.weights[0]![0]).toBeCloseTo(3 * (3 / 4), 12);
    expect(cos.neighbours[4]).toHaveLength(0);
  });
  it('damping α trades similarity against popularity', () => {
    const m1 = fitItemItem(baskets, 5, { alpha: 1 });
    // α = 1 → c / n_i = P(j | i): item 2 (2 baskets) meets 0, 1 and 3 once each.
    expect(Array.from(m1.weights[2]!)).toEqual([0.5, 0.5, 0.5]);
  });
  it('recommends co-purchased items, excludes owned ones and fills with popular items', () => {
    const m = fitItemItem(baskets, 5);
    const rec = recommendItemItem(m, [0], 3);
    expect(rec.map((r) => r.item)).toEqual([1, 2, 4]);
    expect(rec[2]!.score).toBe(0);
    expect(recommendItemItem(m, [0], 3, { excludeOwned: false })[0]!.item).toBe(1);
    expect(recommendItemItem(m, [0], 3, { fillWithPopular: false })).toHaveLength(2);
  });
  it('popularity baseline ranks by basket count', () => {
    const p = fitPopularity(baskets, 5);
    expect(recommendPopular(p, [4], 2).map((r) => r.item)).toEqual([0, 1]);
  });
  it('groups pairs into baskets via encode', () => {
    const u = encode(['x', 'y', 'x', 'x']);
    const i = encode(['A', 'B', 'B', 'A']);
    expect(groupBaskets(u.codes, i.codes, u.vocab.length).map((b) => Array.from(b))).toEqual([[0, 1], [1]]);
  });
});

describe('recommendFromPairs', () => {
  it('names items and excludes what each customer bought', () => {
    const recs = recommendFromPairs(['ann', 'ann', 'bob', 'bob', 'cy'], ['tea', 'cake', 'tea', 'cake', 'tea'], 2);
    expect(recs.get('cy')!.map((r) => r.item)).toEqual(['cake']);
    expect(recs.get('ann')).toEqual([]);
  });
});

describe('top-K evaluation', () => {
  it('computes hit-rate, precision and recall', () => {
    const cases = [
      { seed: [0], heldOut: [1, 2] },
      { seed: [0], heldOut: [3] },
    ];
    const m = evaluateTopK(cases, () => [1, 2], 2);
    expect(m).toEqual({ k: 2, nCases: 2, hitRate: 0.5, precision: 0.5, recall: 0.5 });
  });
  it('time split keeps only new items of returning customers', () => {
    const events = [
      { user: 0, item: 0, time: 1 },
      { user: 0, item: 1, time: 5 },
      { user: 0, item: 0, time: 6 },
      { user: 1, item: 2, time: 7 },
    ];
    const { train, cases } = timeSplit(events, 5);
    expect(train).toHaveLength(1);
    expect(cases).toEqual([{ seed: [0], heldOut: [1] }]);
  });
  it('leave-one-out hides each item of multi-item baskets', () => {
    expect(leaveOneOut([[1, 2], [3]])).toEqual([
      { seed: [2], heldOut: [1] },
      { seed: [1], heldOut: [2] },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { orderByScore, recentPopularity, recommendBlend } from './blend';
import { fitItemItem, recommendItemItem } from './item-item';

const DAY = 86_400_000;

describe('recent popularity', () => {
  it('counts each customer once per item, halving the weight every half-life; ignores the future', () => {
    const events = [
      { user: 0, item: 0, time: 10 * DAY },
      { user: 0, item: 0, time: 8 * DAY }, // the same customer again: only the latest counts
      { user: 1, item: 0, time: 0 },
      { user: 1, item: 1, time: 10 * DAY },
      { user: 2, item: 1, time: 20 * DAY }, // at/after `now`: not seen
    ];
    const p = recentPopularity(events, 2, 20 * DAY, 10 * DAY);
    expect(p[0]).toBeCloseTo(0.5 + 0.25, 12);
    expect(p[1]).toBeCloseTo(0.5, 12);
    expect(Array.from(recentPopularity(events, 2, 20 * DAY, Infinity))).toEqual([2, 1]);
  });
});

describe('blend of item-item and popularity', () => {
  // Items 0–1 co-bought; item 3 is the best seller; item 2 ordinary.
  const baskets = [[0, 1], [0, 1], [0, 1, 3], [3], [3], [3, 2], [2]].map((b) => Int32Array.from(b));
  const model = fitItemItem(baskets, 4, { similarity: 'cosine' });
  const pop = Float64Array.from([3, 3, 2, 4]);
  const order = orderByScore(pop);

  it('β = 1 is the popularity ranking without owned items', () => {
    expect(recommendBlend(model, pop, order, [3], 2, 1).map((r) => r.item)).toEqual([0, 1]);
  });

  it('β = 0 ranks the CF candidates like item-item', () => {
    const cf = recommendItemItem(model, [0], 2, { fillWithPopular: false }).map((r) => r.item);
    expect(recommendBlend(model, pop, order, [0], 2, 0).map((r) => r.item)).toEqual(cf);
  });

  it('in between, co-purchase lifts an item over a slightly better seller', () => {
    // Owning 0: item 1 (co-bought, pop 3) beats item 3 (pop 4) at β = 0.5.
    expect(recommendBlend(model, pop, order, [0], 1, 0.5)[0]!.item).toBe(1);
    expect(recommendBlend(model, pop, order, [0], 3, 0.5)).toHaveLength(3);
  });
});

/**
 * The forest-based rankings on Online Shoppers (public/samples, CC BY 4.0) plus a pure-noise
 * column. No scikit-learn reference here: the forest's bootstrap draws are ours, not numpy's,
 * so the checks are the properties that must hold whatever the draws — PageValues (by far
 * the strongest signal: sklearn's RFE, F test and mutual information all rank it first) comes
 * first, noise comes last or near zero, results are seeded, and ranks follow RFE's rules.
 */
import { describe, expect, it } from 'vitest';
import { loadShoppers } from './__fixtures__/shoppers';
import { drain } from './wrappers';
import { permutationRankingSteps, rfeForestSteps } from './model-based';

const data = loadShoppers();
const rows = 2500;
const noise = Float64Array.from({ length: rows }, (_, i) => ((i * 7919) % 1000) / 1000);
const columns = [...data.columns.map((c) => c.slice(0, rows)), noise];
const classes = Int32Array.from(data.revenue.slice(0, rows));
const names = [...data.features, 'noise'];

describe('permutation importance of a random forest on held-out rows', () => {
  it('ranks PageValues first, leaves noise near zero, and is seeded', () => {
    const a = drain(permutationRankingSteps(columns, { classes, nClasses: 2 }, { seed: 3, nRepeats: 3 }));
    const b = drain(permutationRankingSteps(columns, { classes, nClasses: 2 }, { seed: 3, nRepeats: 3 }));
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    expect(a.metric).toBe('roc_auc');
    expect(a.baseline).toBeGreaterThan(0.85);
    expect(names[a.mean.indexOf(Math.max(...a.mean))]).toBe('PageValues');
    expect(Math.abs(a.mean[names.length - 1]!)).toBeLessThan(0.01);
    expect(a.std.every((s) => s >= 0)).toBe(true);
  });

  it('scores a numeric target with R²', () => {
    // Only the first feature drives the target.
    const target = Float64Array.from(columns[0]!, (v) => 100 * v + 5);
    const r = drain(permutationRankingSteps(columns, { target }, { nRepeats: 2 }));
    expect(r.metric).toBe('r2');
    expect(r.mean.indexOf(Math.max(...r.mean))).toBe(0);
  });
});

describe('RFE with a random forest', () => {
  it('gives a full ranking with PageValues kept and every rank used once (step 1)', () => {
    const { ranking } = drain(rfeForestSteps(columns, classes, { nFeaturesToSelect: 1, seed: 0 }));
    expect([...ranking].sort((x, y) => x - y)).toEqual(names.map((_, i) => i + 1));
    expect(names[ranking.indexOf(1)]).toBe('PageValues');
    // Noise is never among the last few standing.
    expect(ranking[names.length - 1]!).toBeGreaterThan(3);
  });

  it('shares ranks within a round, as sklearn does for step > 1', () => {
    const { ranking } = drain(rfeForestSteps(columns.slice(0, 5), classes, { nFeaturesToSelect: 1, step: 2 }));
    // 5 → 3 → 1 features: two rounds, so ranks are 1, 2, 2, 3, 3.
    expect([...ranking].sort((x, y) => x - y)).toEqual([1, 2, 2, 3, 3]);
  });
});

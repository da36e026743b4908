/**
 * Platt scaling against scikit-learn 1.2's `_sigmoid_calibration` (the sigmoid inside
 * `CalibratedClassifierCV(method='sigmoid')`), on seeded inputs written by
 * docs/reference/classify_platt_reference.py into sklearn_platt_reference.json.
 */
import { describe, expect, it } from 'vitest';
import ref from './sklearn_platt_reference.json';
import { fitPlatt, plattProbability } from './platt';

describe('fitPlatt', () => {
  for (const [name, c] of Object.entries(ref.cases)) {
    it(`matches scikit-learn's sigmoid (${name})`, () => {
      const s = fitPlatt(c.f, c.y);
      expect(s.a).toBeCloseTo(c.a, 3);
      expect(s.b).toBeCloseTo(c.b, 3);
    });
  }

  it('is monotone increasing in the decision value when larger values mean positive', () => {
    const c = ref.cases.noisy;
    const s = fitPlatt(c.f, c.y);
    expect(s.a).toBeLessThan(0);
    const grid = Array.from({ length: 101 }, (_, i) => -5 + i / 10);
    const p = plattProbability(s, grid);
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThan(p[i - 1]!);
    for (const v of p) expect(v > 0 && v < 1).toBe(true);
  });

  it('stays finite on separable data (smoothed targets) and gives the base rate on a constant score', () => {
    const f = [-3, -2, -1, 1, 2, 3];
    const y = [0, 0, 0, 1, 1, 1];
    const s = fitPlatt(f, y);
    expect(Number.isFinite(s.a) && Number.isFinite(s.b)).toBe(true);
    const p = plattProbability(s, [3]);
    expect(p[0]!).toBeLessThan(1);
    expect(p[0]!).toBeGreaterThan(0.7);
    // No information in f: P is the mean smoothed target, (2/3 + 3 · 1/5) / 4 ≈ 0.32.
    const flat = fitPlatt([0, 0, 0, 0], [1, 0, 0, 0]);
    const q = plattProbability(flat, [0])[0]!;
    expect(q).toBeGreaterThan(0.2);
    expect(q).toBeLessThan(0.4);
  });

  it('rejects mismatched lengths', () => {
    expect(() => fitPlatt([1, 2], [1])).toThrow(/2 decision values for 1 labels/);
  });
});

import { describe, expect, it } from 'vitest';
import { confusionAtThreshold } from './classification';
import { thresholdForTarget } from './threshold-target';

const y = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
const score = [0.05, 0.1, 0.2, 0.3, 0.4, 0.55, 0.6, 0.7, 0.8, 0.9];

function at(t: number) {
  const c = confusionAtThreshold(y, score, t);
  return { precision: c.tp / Math.max(1, c.tp + c.fp), recall: c.tp / (c.tp + c.fn) };
}

/** Brute force over every score as a threshold: the best `other` among those meeting the target. */
function brute(metric: 'precision' | 'recall', target: number) {
  let best: { t: number; other: number } | null = null;
  for (const t of score) {
    const m = at(t);
    const [value, other] = metric === 'precision' ? [m.precision, m.recall] : [m.recall, m.precision];
    if (value >= target && (!best || other > best.other)) best = { t, other };
  }
  return best;
}

describe('thresholdForTarget', () => {
  it('meets a precision target with the highest recall (brute force agrees)', () => {
    for (const target of [0.5, 0.7, 0.8, 0.9, 1]) {
      const r = thresholdForTarget(y, score, 'precision', target);
      expect(r.reached).toBe(true);
      if (!r.reached) continue;
      const m = at(r.choice.threshold);
      expect(m.precision).toBeGreaterThanOrEqual(target);
      expect(m.precision).toBeCloseTo(r.choice.precision, 12);
      expect(m.recall).toBeCloseTo(brute('precision', target)!.other, 12);
    }
    // Precision ≥ 0.8 holds at 0.55 (4/5) and 0.4 (5/6); 0.4 keeps more positives, recall 5/6.
    const p8 = thresholdForTarget(y, score, 'precision', 0.8);
    expect(p8.reached && p8.choice.threshold).toBe(0.4);
    expect(p8.reached && p8.choice.recall).toBeCloseTo(5 / 6, 12);
  });

  it('meets a recall target with the highest precision', () => {
    for (const target of [0.3, 0.5, 0.9, 1]) {
      const r = thresholdForTarget(y, score, 'recall', target);
      expect(r.reached).toBe(true);
      if (!r.reached) continue;
      const m = at(r.choice.threshold);
      expect(m.recall).toBeGreaterThanOrEqual(target);
      expect(m.precision).toBeCloseTo(brute('recall', target)!.other, 12);
    }
    const all = thresholdForTarget(y, score, 'recall', 1);
    expect(all.reached && all.choice.threshold).toBe(0.2);
  });

  it('says when no threshold reaches the target, with the most any threshold reaches', () => {
    // The best-scored row is negative: precision never reaches 1.
    const yb = [1, 0, 1, 0];
    const sb = [0.1, 0.2, 0.3, 0.9];
    const r = thresholdForTarget(yb, sb, 'precision', 1);
    expect(r).toEqual({ reached: false, metric: 'precision', target: 1, best: 0.5 });
  });

  it('rejects a target outside (0, 1]', () => {
    expect(() => thresholdForTarget(y, score, 'recall', 0)).toThrow(/must be in \(0, 1\]/);
    expect(() => thresholdForTarget(y, score, 'precision', 1.5)).toThrow(/must be in \(0, 1\]/);
    expect(() => thresholdForTarget(y, score, 'precision', Number.NaN)).toThrow(/must be in \(0, 1\]/);
  });
});

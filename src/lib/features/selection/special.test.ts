/**
 * Special functions against scipy 1.10.1 (`scipy.special` / `scipy.stats`), values produced by
 * docs/reference/selection_reference.py into __fixtures__/shoppers-reference.json.
 */
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/shoppers-reference.json';
import { relDiff } from './__fixtures__/shoppers';
import { betaInc, chi2Survival, digamma, fSurvival, gammaIncUpper, logGamma } from './special';
import { RandomState } from './random';

/** Relative 1e-6 as asked, or 1e-12 absolute for tail values too small for a relative check to mean much. */
function close(actual: number, expected: number, rel = 1e-6): boolean {
  return Math.abs(actual - expected) <= 1e-12 || relDiff(actual, expected) <= rel;
}

describe('special functions vs scipy', () => {
  it('logGamma and digamma to 1e-13 relative', () => {
    // logΓ(1) = logΓ(2) = 0, so the check is relative to max(1, |value|).
    for (const [x, v] of reference.special.gammaln)
      expect(Math.abs(logGamma(x!) - v!) / Math.max(1, Math.abs(v!))).toBeLessThan(1e-13);
    for (const [x, v] of reference.special.digamma) expect(relDiff(digamma(x!), v!)).toBeLessThan(1e-13);
  });

  it('regularised incomplete beta and upper gamma', () => {
    let worst = 0;
    for (const [a, b, x, v] of reference.special.betainc) {
      const got = betaInc(a!, b!, x!);
      expect(close(got, v!, 1e-10), `I_${x}(${a}, ${b}) = ${got}, scipy ${v}`).toBe(true);
      if (v! > 1e-300) worst = Math.max(worst, relDiff(got, v!));
    }
    for (const [a, x, v] of reference.special.gammaincc) {
      const got = gammaIncUpper(a!, x!);
      expect(close(got, v!, 1e-10), `Q(${a}, ${x}) = ${got}, scipy ${v}`).toBe(true);
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('F and chi-squared upper tails', () => {
    for (const [x, d1, d2, v] of reference.special.f_sf) {
      expect(
        close(fSurvival(x!, d1!, d2!), v!, 1e-10),
        `F sf(${x}; ${d1}, ${d2}) = ${fSurvival(x!, d1!, d2!)}, scipy ${v}`,
      ).toBe(true);
    }
    for (const [x, k, v] of reference.special.chi2_sf) {
      expect(close(chi2Survival(x!, k!), v!, 1e-10), `chi2 sf(${x}; ${k}) = ${chi2Survival(x!, k!)}, scipy ${v}`).toBe(
        true,
      );
    }
    expect(fSurvival(0, 3, 4)).toBe(1);
    expect(fSurvival(Infinity, 3, 4)).toBe(0);
    expect(fSurvival(NaN, 3, 4)).toBeNaN();
    expect(chi2Survival(0, 2)).toBe(1);
  });
});

describe('RandomState', () => {
  it('reproduces numpy RandomState draws', () => {
    const raw = new RandomState(0);
    expect([raw.nextUint32(), raw.nextUint32(), raw.nextUint32()]).toEqual(reference.randomstate.seed0_uint32);
    const a = new RandomState(0);
    for (const v of reference.randomstate.seed0_normal) expect(relDiff(a.standardNormal(), v!)).toBeLessThan(1e-15);
    const b = new RandomState(12345);
    for (const v of reference.randomstate.seed12345_normal) expect(relDiff(b.standardNormal(), v!)).toBeLessThan(1e-15);
  });
});

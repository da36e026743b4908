/**
 * Decomposition, anomaly flags and the inventory helper on seeded synthetic series whose
 * components are known by construction; inventory figures are checked against the closed-form
 * normal formulas (z values from scipy.stats.norm.ppf).
 */
import { describe, expect, it } from 'vitest';
import {
  decompose,
  intervalAnomalies,
  residualBand,
  robustAnomalies,
  seasonalStrength,
  trendStrength,
} from './decompose';
import { fitSeasonallyAdjusted } from './seasonal-adjust';
import { etsForecaster } from './ets';
import { reorderPoint } from './inventory';
import { normalRandom, seededRandom } from './math';
import type { ForecastResult } from './types';

const z = normalRandom(seededRandom(11));
const week = [0, 3, 5, 4, 2, -6, -8];
const n = 3 * 365;
const y = Float64Array.from(
  { length: n },
  (_, t) => 50 + 0.01 * t + week[t % 7]! + 10 * Math.sin((2 * Math.PI * t) / 365) + z(),
);

describe('decomposition', () => {
  it('recovers weekly and yearly components', () => {
    const d = decompose(y, [7, 365]);
    expect(d.periods).toEqual([7, 365]);
    const weekly = d.seasonal[0]!;
    const mw = week.reduce((s, v) => s + v, 0) / 7;
    for (let k = 0; k < 7; k++) expect(weekly[k]!).toBeCloseTo(week[k]! - mw, 0);
    const yearly = d.seasonal[1]!;
    expect(yearly[91]!).toBeGreaterThan(8); // peak of the sine near day 91
    expect(yearly[274]!).toBeLessThan(-8);
    expect(seasonalStrength(d, 0)).toBeGreaterThan(0.64);
    expect(trendStrength(d)).toBeGreaterThan(0);
    // Components add back up to the series.
    for (const t of [0, 100, 1000])
      expect(d.trend[t]! + weekly[t]! + yearly[t]! + d.remainder[t]!).toBeCloseTo(y[t]!, 9);
  });

  it('drops periods without two full cycles', () => {
    expect(decompose(y.slice(0, 400), [7, 365]).periods).toEqual([7]);
  });

  it('flags injected spikes robustly and by interval', () => {
    const spiky = Float64Array.from(y);
    spiky[500] = spiky[500]! + 30;
    spiky[800] = spiky[800]! - 30;
    const flags = robustAnomalies(spiky, decompose(spiky, [7, 365])).map((a) => a.index);
    expect(flags).toContain(500);
    expect(flags).toContain(800);
    expect(flags.length).toBeLessThan(15);
    const fit = etsForecaster({ trend: 'none', seasonal: 'add' }).fit(spiky, { seasonPeriod: 7 });
    const band = residualBand(fit.fitted, fit.residuals, 0.99);
    const out = intervalAnomalies(spiky, band.lower, band.upper);
    expect(out.map((a) => a.index)).toContain(500);
    expect(out.find((a) => a.index === 800)!.score).toBeLessThan(-1);
  });

  it('yearly adjustment lets a weekly model forecast the yearly swing', () => {
    const train = y.slice(0, n - 60);
    const fit = fitSeasonallyAdjusted(train, etsForecaster({ trend: 'none', seasonal: 'add' }), 365, {
      seasonPeriod: 7,
    });
    const plain = etsForecaster({ trend: 'none', seasonal: 'add' }).fit(train, { seasonPeriod: 7 });
    const err = (f: ForecastResult) => f.mean.reduce((s, v, i) => s + Math.abs(v - y[n - 60 + i]!), 0) / 60;
    expect(err(fit.forecast(60))).toBeLessThan(err(plain.forecast(60)));
  });
});

describe('inventory', () => {
  const fc: ForecastResult = {
    mean: Float64Array.from([10, 10, 10, 10]),
    lower: Float64Array.from([10 - 1.2815515655446004 * 2, 10 - 1.2815515655446004 * 2, 6, 6]),
    upper: Float64Array.from([10 + 1.2815515655446004 * 2, 10 + 1.2815515655446004 * 2, 14, 14]),
    level: 0.8,
    intervalMethod: 'analytic',
  };

  it('sums mean and variance over the lead time (independent errors)', () => {
    const a = reorderPoint(fc, { leadTime: 2, serviceLevel: 0.95, inventoryPosition: 5 });
    expect(a.leadTimeDemand).toBeCloseTo(20, 12);
    expect(a.leadTimeSd).toBeCloseTo(Math.sqrt(8), 9);
    expect(a.safetyStock).toBeCloseTo(1.6448536269514722 * Math.sqrt(8), 8);
    expect(a.reorderPoint).toBeCloseTo(20 + a.safetyStock, 12);
    expect(a.orderNow).toBeCloseTo(a.reorderPoint - 5, 12);
  });

  it('perfect correlation adds standard deviations; fractional lead time is pro rata', () => {
    const a = reorderPoint(fc, { leadTime: 2, serviceLevel: 0.95, errorCorrelation: 'perfect' });
    expect(a.leadTimeSd).toBeCloseTo(4, 9);
    const b = reorderPoint(fc, { leadTime: 1.5, serviceLevel: 0.5 });
    expect(b.leadTimeDemand).toBeCloseTo(15, 12);
    expect(b.safetyStock).toBeCloseTo(0, 9);
    expect(() => reorderPoint(fc, { leadTime: 5, serviceLevel: 0.9 })).toThrow(RangeError);
  });
});

/**
 * SARIMA against statsmodels 0.13.5 `SARIMAX(..., simple_differencing=True)` (exact likelihood of
 * the differenced series, stationary initialisation). Reference: docs/reference/forecast_reference.py
 * → forecast-reference.json ("arima" cases; level forecasts from the default diffuse SARIMAX at
 * the same parameters). Tolerances: at statsmodels' parameters the log-likelihood must agree to
 * 1e-6 relative (same model, same arithmetic), forecasts to 1e-6 relative and 80% bounds to 1e-3
 * relative width (ψ-weight variance vs Kalman forecast variance); our optimum must reach a
 * log-likelihood no more than 0.01 below statsmodels' and forecasts within 1%.
 */
import { describe, expect, it } from 'vitest';
import ref from './forecast-reference.json';
import { normalRandom, seededRandom } from './math';
import {
  autoSarima,
  constrainStationary,
  difference,
  fitSarima,
  kpssStatistic,
  sarimaFromCoefficients,
  sarimaLogLik,
  unconstrainStationary,
  type SarimaOrder,
} from './arima';

interface ArimaRef {
  order: number[];
  seasonalOrder: number[];
  trend: string | null;
  params: Record<string, number>;
  llf: number;
  aic: number;
  nobs: number;
  forecast: number[];
  lower80: number[];
  upper80: number[];
}

const cases = ref.arima as Record<string, ArimaRef>;
const seriesFor = (name: string) =>
  name.startsWith('airline_log') ? Float64Array.from(ref.airline, Math.log) : Float64Array.from(ref.synthetic);

function orderOf(r: ArimaRef): SarimaOrder {
  const [p, d, q] = r.order as [number, number, number];
  const [P, D, Q, m] = r.seasonalOrder as [number, number, number, number];
  return { p, d, q, P, D, Q, m: m || 1 };
}

function coefficientsOf(r: ArimaRef, o: SarimaOrder) {
  const pick = (prefix: string, k: number, step: number) =>
    Float64Array.from({ length: k }, (_, i) => r.params[`${prefix}${(i + 1) * step}`] ?? 0);
  const ar = pick('ar.L', o.p, 1);
  const ma = pick('ma.L', o.q, 1);
  const sar = pick('ar.S.L', o.P, o.m);
  const sma = pick('ma.S.L', o.Q, o.m);
  // SARIMAX's intercept c relates to the mean by c = μ·φ(1)·Φ(1).
  const phi1 = (1 - ar.reduce((s, v) => s + v, 0)) * (1 - sar.reduce((s, v) => s + v, 0));
  return { ar, ma, sar, sma, mean: (r.params.intercept ?? 0) / phi1 };
}

const relClose = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe.each(Object.entries(cases))('SARIMA reference case %s', (name, r) => {
  const y = seriesFor(name);
  const order = orderOf(r);
  const includeMean = r.trend === 'c';

  it('matches statsmodels log-likelihood, AIC and forecasts at its parameters', () => {
    const c = coefficientsOf(r, order);
    const w = difference(y, order.d, order.D, order.m);
    expect(w.length).toBe(r.nobs);
    relClose(sarimaLogLik(w, order, c, r.params.sigma2).logLik, r.llf, 1e-6);
    const fit = sarimaFromCoefficients(y, order, c, includeMean);
    const fc = fit.forecast(r.forecast.length, 0.8);
    r.forecast.forEach((v, i) => relClose(fc.mean[i]!, v, 1e-6));
    r.forecast.forEach((v, i) => {
      const refHalf = r.upper80[i]! - v;
      const ourHalf = fc.upper[i]! - fc.mean[i]!;
      expect(Math.abs(ourHalf - refHalf) / refHalf).toBeLessThan(
        1e-3 * Math.sqrt(r.params.sigma2! / fit.sigma2) + 2e-3,
      );
    });
  });

  it('fits by exact maximum likelihood at least as well as statsmodels', () => {
    const fit = fitSarima(y, order, { includeMean });
    console.info(
      `[arima] ${name}: logLik ours ${fit.logLik.toFixed(5)} vs statsmodels ${r.llf.toFixed(5)}; aic ${fit.aic.toFixed(3)} vs ${r.aic.toFixed(3)}`,
    );
    expect(fit.logLik).toBeGreaterThanOrEqual(r.llf - 0.01);
    expect(fit.nobs).toBe(r.nobs);
    const fc = fit.forecast(r.forecast.length);
    r.forecast.forEach((v, i) => relClose(fc.mean[i]!, v, 0.01));
  });
});

describe('SARIMA details', () => {
  it('the PACF transform always yields a stationary AR(2)', () => {
    for (const u of [
      [0, 0],
      [5, -5],
      [-30, 30],
      [2, 2],
    ]) {
      const [a1, a2] = Array.from(constrainStationary(u)) as [number, number];
      expect(Math.abs(a2)).toBeLessThan(1);
      expect(a1 + a2).toBeLessThan(1);
      expect(a2 - a1).toBeLessThan(1);
    }
  });

  it('the inverse transform round-trips (used to warm-start nested models)', () => {
    const u = [0.7, -1.3, 0.2];
    const back = unconstrainStationary(constrainStationary(u));
    u.forEach((v, i) => expect(back[i]!).toBeCloseTo(v, 9));
  });

  it('KPSS separates a random walk from white noise', () => {
    const z = normalRandom(seededRandom(9));
    let s = 0;
    const rw = Float64Array.from({ length: 300 }, () => (s += z()));
    const wn = Float64Array.from({ length: 300 }, () => z());
    expect(kpssStatistic(rw)).toBeGreaterThan(0.463);
    expect(kpssStatistic(wn)).toBeLessThan(0.463);
  });

  it('auto order selection by AIC finds the airline model family on log passengers', () => {
    const y = Float64Array.from(ref.airline, Math.log);
    // p, q ≤ 1 keeps this unit test fast; the full default grid (p, q ≤ 2) runs in superstore.datasets.test.ts.
    const fit = autoSarima(y, { seasonPeriod: 12, maxP: 1, maxQ: 1 });
    expect(fit.order.D).toBe(1);
    expect(fit.aic).toBeLessThanOrEqual(cases.airline_log_011_011!.aic + 1e-6);
    const fc = fit.forecast(12);
    expect(fc.mean.every(Number.isFinite)).toBe(true);
  });
});

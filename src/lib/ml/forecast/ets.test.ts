/**
 * ETS against statsmodels 0.13.5 `ETSModel` (additive errors, initialization_method='estimated').
 * Reference: docs/reference/forecast_reference.py → forecast-reference.json ("ets" cases).
 * Tolerances: at statsmodels' own parameters the recursions must reproduce fitted values and the
 * log-likelihood to 1e-6 relative (same arithmetic); our own optimum must reach a log-likelihood
 * no more than 0.05 below statsmodels' (different optimiser, same objective), and its forecasts
 * must agree within 2% when both optimisers land in the same basin (log-likelihoods within 0.5).
 */
import { describe, expect, it } from 'vitest';
import ref from './forecast-reference.json';
import { etsFromParams, fitEts, fitEtsAuto, type EtsConfig, type EtsParams } from './ets';

interface EtsRef {
  spec: { trend?: string; damped_trend?: boolean; seasonal?: string; seasonal_periods?: number };
  params: Record<string, number>;
  initialLevel: number;
  initialTrend: number | null;
  initialSeasonal: number[] | null;
  llf: number;
  aic: number;
  sse: number;
  fitted: number[];
  forecast: number[];
  lower80?: number[];
  upper80?: number[];
}

const series = { synthetic: Float64Array.from(ref.synthetic), airline: Float64Array.from(ref.airline) };
const cases: Record<string, EtsRef> = ref.ets as Record<string, EtsRef>;

function configOf(r: EtsRef): EtsConfig {
  return {
    trend: r.spec.trend ? (r.spec.damped_trend ? 'add_damped' : 'add') : 'none',
    seasonal: (r.spec.seasonal as 'add' | 'mul' | undefined) ?? 'none',
  };
}

function paramsOf(r: EtsRef): EtsParams {
  return {
    alpha: r.params.smoothing_level!,
    beta: r.params.smoothing_trend ?? 0,
    gamma: r.params.smoothing_seasonal ?? 0,
    phi: r.params.damping_trend ?? 1,
    level: r.initialLevel,
    trend: r.initialTrend ?? 0,
    season: Float64Array.from(r.initialSeasonal ?? []),
  };
}

const relClose = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe.each(Object.entries(cases))('ETS reference case %s', (name, r) => {
  const y = name.endsWith('airline') ? series.airline : series.synthetic;
  const config = configOf(r);

  it('reproduces statsmodels fitted values, SSE, log-likelihood, AIC and forecasts at its parameters', () => {
    const fit = etsFromParams(y, config, paramsOf(r));
    for (let i = 0; i < y.length; i++) relClose(fit.fitted[i]!, r.fitted[i]!, 1e-6);
    relClose(fit.sse, r.sse, 1e-6);
    relClose(fit.logLik, r.llf, 1e-6);
    relClose(fit.aic, r.aic, 1e-6);
    const fc = fit.forecast(r.forecast.length, 0.8);
    r.forecast.forEach((v, i) => relClose(fc.mean[i]!, v, 1e-6));
    if (r.lower80 && r.upper80) {
      expect(fc.intervalMethod).toBe('analytic');
      r.lower80.forEach((v, i) => relClose(fc.lower[i]!, v, 1e-5));
      r.upper80.forEach((v, i) => relClose(fc.upper[i]!, v, 1e-5));
    } else {
      expect(fc.intervalMethod).toBe('bootstrap');
    }
  });

  it('fits by maximum likelihood at least as well as statsmodels (within 0.05 log-lik)', () => {
    const fit = fitEts(y, config, { seasonPeriod: r.spec.seasonal_periods });
    expect(fit.logLik).toBeGreaterThanOrEqual(r.llf - 0.05);
    expect(fit.estimates.alpha).toBeGreaterThan(0);
    expect(fit.estimates.alpha).toBeLessThan(1);
    if (config.trend !== 'none') expect(fit.estimates.beta).toBeLessThanOrEqual(fit.estimates.alpha);
    if (config.seasonal !== 'none') expect(fit.estimates.gamma).toBeLessThanOrEqual(1 - fit.estimates.alpha);
    const fc = fit.forecast(r.forecast.length);
    console.info(`[ets] ${name}: logLik ours ${fit.logLik.toFixed(4)} vs statsmodels ${r.llf.toFixed(4)}`);
    // Same basin (log-likelihoods within 0.5): forecasts must agree. A clearly higher optimum
    // (ann_synthetic: statsmodels' L-BFGS-B stops at α ≈ 0.03, a local optimum) may forecast differently.
    if (Math.abs(fit.logLik - r.llf) < 0.5) r.forecast.forEach((v, i) => relClose(fc.mean[i]!, v, 0.02));
    for (let i = 0; i < fc.mean.length; i++) {
      expect(fc.lower[i]!).toBeLessThan(fc.mean[i]!);
      expect(fc.upper[i]!).toBeGreaterThan(fc.mean[i]!);
    }
  });
});

describe('ETS details', () => {
  it('multiplicative bootstrap intervals are seeded and reproducible', () => {
    const fit = fitEts(series.airline, { trend: 'add', seasonal: 'mul' }, { seasonPeriod: 12, seed: 3 });
    const a = fit.forecast(12, 0.8);
    const b = fit.forecast(12, 0.8);
    expect(Array.from(a.lower)).toEqual(Array.from(b.lower));
    expect(a.median).toBeDefined();
    for (let i = 0; i < 12; i++) expect(a.lower[i]!).toBeLessThanOrEqual(a.median![i]!);
    // Wider level, wider interval.
    const c = fit.forecast(12, 0.95);
    expect(c.upper[11]! - c.lower[11]!).toBeGreaterThan(a.upper[11]! - a.lower[11]!);
  });

  it('auto selection by AIC prefers a seasonal model on the airline series', () => {
    const fit = fitEtsAuto(series.airline, { seasonPeriod: 12 });
    expect(fit.config.seasonal).not.toBe('none');
    expect(fit.modelId).toBe('ets');
  });

  it('rejects multiplicative seasonality on data with zeros', () => {
    const y = Float64Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? 0 : 5));
    expect(() => fitEts(y, { trend: 'none', seasonal: 'mul' }, { seasonPeriod: 7 })).toThrow(RangeError);
  });
});

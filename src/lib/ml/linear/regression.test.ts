/**
 * OLS, ridge and lasso against scikit-learn 1.2.1 on a small fixed data set whose 5th column is
 * the sum of the first two (OLS must find lstsq's minimum-norm solution). Reference values from
 * `docs/reference/regression_reference.py linear` (__fixtures__/sklearn-linear-regression.json):
 * LinearRegression, Ridge(alpha 1, 10), Lasso(alpha 0.05, 0.5, tol 1e-12).
 */
import { describe, expect, it } from 'vitest';
import ref from './__fixtures__/sklearn-linear-regression.json';
import { fromRows } from '../matrix';
import { LinearRegressor, symmetricEigen, type LinearRegressionParams } from './regression';

const X = fromRows(ref.X);
const y = Float64Array.from(ref.y);

function paramsOf(name: string): Partial<LinearRegressionParams> {
  if (name === 'ols') return { penalty: 'none' };
  const [kind, alpha] = name.split('_');
  return kind === 'ridge'
    ? { penalty: 'l2', alpha: Number(alpha) }
    : { penalty: 'l1', alpha: Number(alpha), tol: 1e-12, maxIter: 100_000 };
}

const maxDiff = (a: ArrayLike<number>, b: readonly number[]) =>
  b.reduce((m, v, i) => Math.max(m, Math.abs(a[i]! - v)), 0);

describe('linear regression vs scikit-learn', () => {
  for (const fit of ref.fits) {
    it(`${fit.name}: coefficients, intercept and predictions`, () => {
      const m = new LinearRegressor(paramsOf(fit.name)).fit(X, y);
      const coefDiff = maxDiff(m.coef, fit.coef);
      const predDiff = maxDiff(m.predict(X), fit.predict);
      console.info(
        `[linear] ${fit.name}: max |Δcoef| ${coefDiff.toExponential(2)}, max |Δŷ| ${predDiff.toExponential(2)}`,
      );
      expect(coefDiff).toBeLessThan(1e-8);
      expect(Math.abs(m.intercept - fit.intercept)).toBeLessThan(1e-8);
      expect(predDiff).toBeLessThan(1e-8);
    });
  }

  it('lasso sets coefficients exactly to zero under a strong penalty', () => {
    const m = new LinearRegressor({ penalty: 'l1', alpha: 0.5, tol: 1e-12, maxIter: 100_000 }).fit(X, y);
    expect(Array.from(m.coef).some((c) => c === 0)).toBe(true);
    const huge = new LinearRegressor({ penalty: 'l1', alpha: 1e6 }).fit(X, y);
    expect(Array.from(huge.coef).every((c) => c === 0)).toBe(true);
    expect(huge.intercept).toBeCloseTo(y.reduce((a, b) => a + b, 0) / y.length, 12);
  });

  it('round-trips through JSON with identical predictions', () => {
    for (const fit of ref.fits) {
      const m = new LinearRegressor(paramsOf(fit.name)).fit(X, y);
      const back = LinearRegressor.load(JSON.parse(JSON.stringify(m.toJSON())));
      expect(Array.from(back.predict(X))).toEqual(Array.from(m.predict(X)));
    }
  });

  it('decomposes a symmetric matrix (A v = λ v)', () => {
    const A = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(A, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += A[i * 3 + j]! * vectors[j * 3 + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * 3 + k]!, 10);
      }
    }
  });
});

/**
 * Logistic regression against scikit-learn 1.2.1
 * `LogisticRegression(C, solver='lbfgs', max_iter=10000, tol=1e-10[, class_weight='balanced'])` on
 * the standardised Online Shoppers features (public/samples, CC BY 4.0). Reference values from
 * docs/reference/selection_reference.py (__fixtures__/shoppers-logistic.json). That lbfgs fit
 * stops on scipy's relative-decrease test (its max |gradient| is ~0.02, not 1e-10), so the
 * reference also holds the same fit by sklearn's newton-cg at tol=1e-12, i.e. the optimum. Both
 * are checked, as max-norm relative differences over all coefficients (a per-coefficient
 * relative check would only measure how far lbfgs is from converging the smallest ones); the
 * measured values are printed.
 */
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/shoppers-logistic.json';
import { loadShoppers } from '../../features/selection/__fixtures__/shoppers';
import {
  decisionFunction,
  fitLogistic,
  fitStandardizer,
  matrixFromColumns,
  predictClass,
  predictProba,
  standardizeColumns,
} from './logistic';

const data = loadShoppers();
const X = matrixFromColumns(standardizeColumns(data.columns, fitStandardizer(data.columns)));
const sampleRows = Array.from(
  { length: Math.ceil(X.rows / reference.proba_rows_step) },
  (_, i) => i * reference.proba_rows_step,
);
const Xsample = matrixFromColumns(
  standardizeColumns(data.columns, fitStandardizer(data.columns)).map((c) =>
    Float64Array.from(sampleRows, (i) => c[i]!),
  ),
);

/** max |a − e| over a matrix, divided by max |e| (a norm-wise relative difference). */
function normRelative(actual: readonly Float64Array[], expected: readonly (readonly (number | null)[])[]): number {
  let diff = 0;
  let scale = 0;
  expected.forEach((row, k) =>
    row.forEach((e, j) => {
      diff = Math.max(diff, Math.abs(actual[k]![j]! - e!));
      scale = Math.max(scale, Math.abs(e!));
    }),
  );
  return diff / scale;
}

function maxProbaDiff(proba: Float64Array, expected: readonly (readonly (number | null)[])[], K: number): number {
  let worst = 0;
  expected.forEach((row, i) => row.forEach((e, k) => (worst = Math.max(worst, Math.abs(proba[i * K + k]! - e!)))));
  return worst;
}

describe('logistic regression vs scikit-learn', () => {
  for (const ref of reference.fits) {
    it(`${ref.name}`, () => {
      const y = ref.target === 'Revenue' ? data.revenue : data.visitor;
      const model = fitLogistic(X, y, {
        C: ref.C,
        classWeight: ref.class_weight === 'balanced' ? 'balanced' : null,
      });
      expect(model.converged).toBe(true);
      expect(model.coef.length).toBe(ref.coef.length);
      const proba = predictProba(model, Xsample);
      // 1. The optimum itself (sklearn newton-cg, max |gradient| ≤ 1e-12): tight agreement.
      const exactCoef = normRelative(model.coef, ref.exact.coef);
      const exactIntercept = normRelative([model.intercept], [ref.exact.intercept]);
      const exactProba = maxProbaDiff(proba, ref.exact.proba, model.nClasses);
      expect(exactCoef).toBeLessThan(1e-6);
      expect(exactIntercept).toBeLessThan(1e-6);
      expect(exactProba).toBeLessThan(1e-7);
      // 2. The lbfgs fit the brief names: it stops on relative objective decrease, ~1e-5 (binary)
      // to ~1e-3 (multinomial) away from the optimum in the max-norm over coefficients.
      const binary = model.nClasses === 2;
      const lbfgsCoef = normRelative(model.coef, ref.coef);
      const lbfgsIntercept = normRelative([model.intercept], [ref.intercept]);
      const lbfgsProba = maxProbaDiff(proba, ref.proba, model.nClasses);
      expect(lbfgsCoef).toBeLessThan(binary ? 1e-4 : 2e-3);
      expect(lbfgsIntercept).toBeLessThan(binary ? 1e-4 : 2e-3);
      expect(lbfgsProba).toBeLessThan(binary ? 5e-5 : 1e-3);
      console.info(
        `[logistic] ${ref.name}: ${model.nIter} Newton steps, max|g| ${model.gradientMax.toExponential(1)}; ` +
          `vs newton-cg: coef ${exactCoef.toExponential(1)}, intercept ${exactIntercept.toExponential(1)}, proba ${exactProba.toExponential(1)}; ` +
          `vs lbfgs: coef ${lbfgsCoef.toExponential(1)}, intercept ${lbfgsIntercept.toExponential(1)}, proba ${lbfgsProba.toExponential(1)}`,
      );
    });
  }
});

describe('logistic regression basics', () => {
  it('a tiny problem: symmetric data give a zero intercept; predictions and probabilities agree', () => {
    const Xs = matrixFromColumns([Float64Array.of(-2, -1, 1, 2)]);
    const model = fitLogistic(Xs, [0, 0, 1, 1]);
    expect(model.intercept[0]).toBeCloseTo(0, 12);
    expect(model.coef[0]![0]).toBeGreaterThan(0);
    expect(Array.from(predictClass(model, Xs))).toEqual([0, 0, 1, 1]);
    const p = predictProba(model, Xs);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 15);
    expect(decisionFunction(model, Xs).length).toBe(4);
  });

  it('without intercept, with sample weights, and rejects a single class', () => {
    const Xs = matrixFromColumns([Float64Array.of(1, 2, 3, 4), Float64Array.of(0, 1, 0, 1)]);
    const noIntercept = fitLogistic(Xs, [0, 1, 0, 1], { fitIntercept: false });
    expect(noIntercept.intercept[0]).toBe(0);
    // Doubling every sample weight is the same as doubling C.
    const w2 = fitLogistic(Xs, [0, 1, 0, 1], { sampleWeight: [2, 2, 2, 2] });
    const c2 = fitLogistic(Xs, [0, 1, 0, 1], { C: 2 });
    expect(w2.coef[0]![1]).toBeCloseTo(c2.coef[0]![1]!, 10);
    expect(() => fitLogistic(Xs, [1, 1, 1, 1])).toThrow(/two classes/);
  });
});

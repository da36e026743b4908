/**
 * RFE against scikit-learn 1.2.1 `RFE(LogisticRegression(C=1, solver='lbfgs', max_iter=10000,
 * tol=1e-10), step=1)` on the StandardScaler-ed Online Shoppers features (public/samples,
 * CC BY 4.0); rankings from docs/reference/selection_reference.py
 * (__fixtures__/shoppers-reference.json). Permutation importance lives in ml/eval (tested there
 * and in model-based.test.ts).
 */
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/shoppers-reference.json';
import { loadShoppers } from './__fixtures__/shoppers';
import { rfeLogistic } from './wrappers';

const data = loadShoppers();

describe('RFE with logistic regression', () => {
  it('ranks every feature as sklearn does (n_features_to_select = 1)', () => {
    const result = rfeLogistic(data.columns, data.revenue, { nFeaturesToSelect: 1 });
    expect(Array.from(result.ranking)).toEqual(reference.rfe_1);
    expect(result.eliminated.length).toBe(data.columns.length - 1);
    expect(data.features[result.support.indexOf(true)]).toBe('PageValues');
  });

  it('step = 3 and step = 0.2 share ranks like sklearn; multinomial sums squared coefficients', () => {
    expect(Array.from(rfeLogistic(data.columns, data.revenue, { nFeaturesToSelect: 2, step: 3 }).ranking)).toEqual(
      reference.rfe_step3,
    );
    expect(Array.from(rfeLogistic(data.columns, data.revenue, { nFeaturesToSelect: 1, step: 0.2 }).ranking)).toEqual(
      reference['rfe_step0.2'],
    );
    expect(Array.from(rfeLogistic(data.columns, data.visitor, { nFeaturesToSelect: 1 }).ranking)).toEqual(
      reference.rfe_visitor_1,
    );
  });

  it('stops at half the features by default, with sklearn’s ranking', () => {
    const result = rfeLogistic(data.columns, data.revenue);
    expect(Array.from(result.ranking)).toEqual(reference.rfe_default);
    expect(result.support.filter(Boolean).length).toBe(7);
  });
});

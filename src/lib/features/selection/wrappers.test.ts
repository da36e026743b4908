/**
 * RFE against scikit-learn 1.2.1 `RFE(LogisticRegression(C=1, solver='lbfgs', max_iter=10000,
 * tol=1e-10), step=1)` on the StandardScaler-ed Online Shoppers features (public/samples,
 * CC BY 4.0); rankings from docs/reference/selection_reference.py
 * (__fixtures__/shoppers-reference.json). Permutation importance is checked for its properties
 * (its shuffles are seeded but not numpy's).
 */
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/shoppers-reference.json';
import { loadShoppers } from './__fixtures__/shoppers';
import { permutationImportance, rfeLogistic } from './wrappers';
import { fitLogistic, matrixFromColumns, predictProba } from '../../ml/linear/logistic';

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

describe('permutation importance', () => {
  const rows = 3000;
  const cols = data.columns.map((c) => c.slice(0, rows));
  // Add a pure-noise column: shuffling it cannot matter.
  const noise = Float64Array.from({ length: rows }, (_, i) => ((i * 7919) % 1000) / 1000);
  const y = data.revenue.slice(0, rows);
  const model = fitLogistic(matrixFromColumns([...cols, noise]), y);
  const predict = (columns: readonly Float64Array[]): Float64Array => {
    const p = predictProba(model, matrixFromColumns(columns));
    return Float64Array.from({ length: rows }, (_, i) => (p[i * 2 + 1]! >= 0.5 ? 1 : 0));
  };
  const accuracy = (truth: ArrayLike<number>, pred: Float64Array): number => {
    let hits = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) hits++;
    return hits / pred.length;
  };

  it('PageValues matters most, noise not at all; seeded and reproducible', () => {
    const a = permutationImportance([...cols, noise], y, predict, accuracy, { nRepeats: 3, randomState: 7 });
    const b = permutationImportance([...cols, noise], y, predict, accuracy, { nRepeats: 3, randomState: 7 });
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    const best = a.mean.indexOf(Math.max(...a.mean));
    expect(data.features[best]).toBe('PageValues');
    expect(a.mean[a.mean.length - 1]).toBeCloseTo(0, 2);
    expect(a.importances[best]!.length).toBe(3);
    expect(a.std.every((s) => s >= 0)).toBe(true);
    expect(a.baseline).toBeGreaterThan(0.8);
  });
});

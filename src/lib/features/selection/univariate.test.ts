/**
 * Univariate scores on the Online Shoppers sample (public/samples, CC BY 4.0) against
 * scikit-learn 1.2.1 / numpy 1.24.2; reference values from docs/reference/selection_reference.py
 * (__fixtures__/shoppers-reference.json). Scores and p-values: 1e-6 relative, or 1e-12 absolute
 * for p-values that small (several are exactly 0 in double precision for both).
 */
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/shoppers-reference.json';
import { loadShoppers, relDiff } from './__fixtures__/shoppers';
import { chi2, correlationMatrix, dropCorrelated, fClassif, fRegression, varianceThreshold } from './univariate';
import { percentile, rankScores, selectKBest, selectPercentile } from './select';

const data = loadShoppers();

function expectClose(
  actual: ArrayLike<number>,
  expected: readonly (number | null)[],
  label: string,
  rel = 1e-6,
): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let j = 0; j < expected.length; j++) {
    const e = expected[j];
    const a = actual[j]!;
    if (e === null || e === undefined) {
      expect(Number.isFinite(a), `${label}[${j}] should be non-finite`).toBe(false);
      continue;
    }
    const ok = Math.abs(a - e) <= 1e-12 || relDiff(a, e) <= rel;
    expect(ok, `${label}[${j}] (${data.features[j]}): ${a} vs sklearn ${e}`).toBe(true);
    if (Math.abs(e) > 1e-12) worst = Math.max(worst, relDiff(a, e));
  }
  return worst;
}

describe('univariate scores vs scikit-learn', () => {
  it('loads the sample like the reference script', () => {
    expect(data.columns[0]!.length).toBe(reference.rows);
    expect(data.revenue.reduce((s, v) => s + v, 0)).toBe(reference.positives);
    expect(data.visitorClasses).toEqual(reference.visitor.classes);
  });

  it('variances (np.var), VarianceThreshold masks and Pearson correlations', () => {
    const { variances, support } = varianceThreshold(data.columns);
    expectClose(variances, reference.variance, 'variance', 1e-12);
    expect(support.every(Boolean)).toBe(true);
    expect(varianceThreshold(data.columns, 1).support).toEqual(reference.variance_threshold1_support);
    expectClose(correlationMatrix(data.columns), reference.corrcoef, 'corrcoef', 1e-10);
  });

  it('f_classif on Revenue and on VisitorType (3 classes)', () => {
    const binary = fClassif(data.columns, data.revenue);
    const worstF = expectClose(binary.scores, reference.f_classif.F, 'F');
    const worstP = expectClose(binary.pValues, reference.f_classif.p, 'p');
    const three = fClassif(data.columns, data.visitor);
    expectClose(three.scores, reference.visitor.f_classif.F, 'F3');
    expectClose(three.pValues, reference.visitor.f_classif.p, 'p3');
    console.info(
      `[selection] f_classif worst relative difference: F ${worstF.toExponential(1)}, p ${worstP.toExponential(1)}`,
    );
  });

  it('chi2 on Revenue and on VisitorType', () => {
    const binary = chi2(data.columns, data.revenue);
    expectClose(binary.scores, reference.chi2.chi2, 'chi2');
    expectClose(binary.pValues, reference.chi2.p, 'p');
    const three = chi2(data.columns, data.visitor);
    expectClose(three.scores, reference.visitor.chi2.chi2, 'chi2_3');
    expectClose(three.pValues, reference.visitor.chi2.p, 'p3');
    expect(() => chi2([Float64Array.of(1, -1)], [0, 1])).toThrow(
      expect.objectContaining({ code: 'chi2_negative_values' }),
    );
  });

  it('f_regression on ProductRelated_Duration', () => {
    const ref = reference.f_regression;
    const cols = ref.features.map((f) => data.column(f));
    const result = fRegression(cols, data.column(ref.target));
    expectClose(result.scores, ref.F, 'F');
    expectClose(result.pValues, ref.p, 'p');
  });

  it('degenerate features follow sklearn', () => {
    const constant = new Float64Array(6).fill(2);
    const y = [0, 0, 0, 1, 1, 1];
    expect(fClassif([constant], y).scores[0]).toBeNaN();
    const separated = Float64Array.of(1, 1, 1, 2, 2, 2);
    expect(fClassif([separated], y).scores[0]).toBe(Infinity);
    expect(fClassif([separated], y).pValues[0]).toBe(0);
    expect(chi2([new Float64Array(6)], y).scores[0]).toBeNaN();
    const reg = fRegression([constant, separated], Float64Array.of(1, 1, 1, 2, 2, 2));
    expect(Array.from(reg.scores)).toEqual([0, Number.MAX_VALUE]);
    expect(Array.from(reg.pValues)).toEqual([1, 0]);
    expect(varianceThreshold([constant]).variances[0]).toBe(0);
  });
});

describe('selection helpers', () => {
  it('SelectKBest and SelectPercentile masks match sklearn', () => {
    const { scores } = fClassif(data.columns, data.revenue);
    expect(selectKBest(scores, 5)).toEqual(reference.select_k_best_5);
    expect(selectPercentile(scores, 30)).toEqual(reference.select_percentile_30);
  });

  it('ties: the later column wins, NaN ranks last, percentile ties are capped', () => {
    expect(Array.from(rankScores([1, NaN, 3, 3]))).toEqual([3, 4, 2, 1]);
    expect(selectKBest([1, NaN, 3, 3], 1)).toEqual([false, false, false, true]);
    // np.percentile([1, 2, 2, 2], 50) = 2; max_feats = 2; ties fill from the left.
    expect(percentile([1, 2, 2, 2], 50)).toBe(2);
    expect(selectPercentile([1, 2, 2, 2], 50)).toEqual([false, true, true, false]);
    expect(percentile([1, 2, 3, 4], 25)).toBeCloseTo(1.75, 15);
  });

  it('dropCorrelated drops the less relevant member of each strongly correlated pair', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5, 6);
    const b = Float64Array.of(1, 2, 3, 4, 5, 7); // r(a, b) ≈ 0.99
    const c = Float64Array.of(2, 4, 6, 8, 10, 12); // r(a, c) = 1
    const d = Float64Array.of(3, 1, 2, 6, 4, 5); // weakly related
    const { keep, drops } = dropCorrelated([a, b, c, d], 0.95, [0.5, 0.9, 0.6, 0.1]);
    // a–c (r = 1) goes first: a is less relevant than c → a dropped. Then b–c: b is more relevant → c dropped.
    expect(keep).toEqual([false, true, false, true]);
    expect(drops.map((x) => [x.dropped, x.keptInstead])).toEqual([
      [0, 2],
      [2, 1],
    ]);
    // With the shoppers data: the two exit-rate columns are correlated at r ≈ 0.91.
    const relevance = fClassif(data.columns, data.revenue).scores;
    const shoppers = dropCorrelated(data.columns, 0.9, relevance);
    expect(shoppers.drops.map((x) => data.features[x.dropped])).toEqual(['BounceRates']);
  });
});

/**
 * Partial dependence against scikit-learn 1.2.1: `docs/reference/classify_pd_reference.py`
 * fits a ColumnTransformer (median impute + StandardScaler, one-hot) + LogisticRegression
 * pipeline on the first 240 rows and writes `sklearn.inspection.partial_dependence(method='brute',
 * grid_resolution=20, percentiles=(0.05, 0.95))` on the other 120 rows to
 * sklearn_pd_reference.json. Our side holds the same model: ShopSight's own `fitPreprocess`
 * on the same training rows (its medians and means are checked against sklearn's) and the
 * coefficients sklearn learnt, mapped by encoded column name — so what is compared is the grid
 * and the brute-force averaging through the pipeline. A second check compares a fitted
 * decision tree (ours; sklearn's cannot be carried over exactly through standardisation) with a
 * brute-force loop written out in the test.
 */
import { describe, expect, it } from 'vitest';
import type { FrameColumn } from '../../contracts/frame';
import { encodedNames, fitPreprocess, transformColumns } from '../preprocess';
import { DecisionTreeClassifier } from '../tree';
import { categoricalGrid, mquantiles, numericGrid, partialDependence } from './partial-dependence';
import reference from './sklearn_pd_reference.json';

type Ref = typeof reference;
const ref = reference as Ref;

function columnsOf(rows: Ref['rows'], from: number, to: number): FrameColumn[] {
  const num = (v: (number | null)[]) => Float64Array.from(v.slice(from, to), (x) => (x === null ? NaN : x));
  return [
    { name: 'x1', kind: 'number', values: num(rows.x1) },
    { name: 'x2', kind: 'number', values: num(rows.x2) },
    { name: 'visits', kind: 'number', values: num(rows.visits) },
    { name: 'seg', kind: 'string', values: rows.seg.slice(from, to) },
  ];
}

describe('partial dependence', () => {
  const n = ref.rows.y.length;
  const all = columnsOf(ref.rows, 0, n);
  const trainRows = Int32Array.from({ length: ref.nTrain }, (_, i) => i);
  const fitted = fitPreprocess(all, trainRows, 10);
  const names = encodedNames(fitted);
  const coef = names.map((name) => (ref.coef as Record<string, number>)[name]!);
  const test = columnsOf(ref.rows, ref.nTrain, n);
  const predict = async (cols: FrameColumn[]) => {
    const X = transformColumns(fitted, cols);
    const out = new Float64Array(X.nRows);
    for (let i = 0; i < X.nRows; i++) {
      let z = ref.intercept;
      for (let j = 0; j < X.nCols; j++) z += coef[j]! * X.data[i * X.nCols + j]!;
      out[i] = 1 / (1 + Math.exp(-z));
    }
    return out;
  };

  it('holds the same pipeline as scikit-learn (medians, means, every encoded column, test probabilities)', async () => {
    expect(coef.every((c) => Number.isFinite(c))).toBe(true);
    expect(names).toHaveLength(Object.keys(ref.coef).length);
    const nums = fitted.columns.filter((c) => c.kind === 'number');
    nums.forEach((c, j) => {
      expect(c.median).toBeCloseTo(ref.medians[j]!, 12);
      expect(c.mean).toBeCloseTo(ref.scalerMean[j]!, 12);
    });
    const p = await predict(test);
    p.forEach((v, i) => expect(v).toBeCloseTo(ref.testProba[i]!, 10));
  });

  for (const feature of ['x1', 'x2', 'visits', 'seg'] as const) {
    it(`matches sklearn's grid and averages for ${feature}`, async () => {
      const pd = await partialDependence(test, feature, predict, { gridResolution: 20, percentiles: [0.05, 0.95] });
      const expected = ref.pd[feature];
      expect(pd.grid).toHaveLength(expected.grid.length);
      pd.grid.forEach((g, i) => {
        if (typeof g === 'number') expect(g).toBeCloseTo(expected.grid[i] as number, 10);
        else expect(g).toBe(expected.grid[i]);
      });
      pd.average.forEach((a, i) => expect(a).toBeCloseTo(expected.average[i]!, 9));
      expect(pd.kind).toBe(feature === 'seg' ? 'category' : 'number');
    });
  }

  it('uses the unique values of a low-cardinality column and ignores missing values', () => {
    expect(numericGrid(Float64Array.from([3, 1, NaN, 2, 3, 1]))).toEqual([1, 2, 3]);
    expect(numericGrid(Float64Array.from([NaN, NaN]))).toEqual([]);
    const many = Float64Array.from({ length: 101 }, (_, i) => i);
    const grid = numericGrid(many, { gridResolution: 5, percentiles: [0.1, 0.9] });
    expect(grid).toHaveLength(5);
    // scipy.stats.mstats.mquantiles(range(101), [0.1, 0.9]) = [9.52, 90.48] (alphap = betap = 0.4).
    expect(mquantiles(many, [0.1, 0.9])).toEqual([expect.closeTo(9.52, 12), expect.closeTo(90.48, 12)]);
    expect(grid[0]).toBeCloseTo(9.52, 12);
    expect(grid[4]).toBeCloseTo(90.48, 12);
    expect(grid[2]).toBeCloseTo(50, 12);
    expect(categoricalGrid(['b', null, 'a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(categoricalGrid(['x', 'y', 'y', 'z', 'z', 'z'], { maxLevels: 2 })).toEqual(['y', 'z']);
  });

  it('averages a fitted tree exactly like a brute-force loop over the rows', async () => {
    const X = transformColumns(fitted, all, trainRows);
    const y = Int32Array.from(ref.rows.y.slice(0, ref.nTrain));
    const tree = new DecisionTreeClassifier({ maxDepth: 4, seed: 0 }).fit(X, y);
    const treePredict = async (cols: FrameColumn[]) => tree.predictProba(transformColumns(fitted, cols));
    const pd = await partialDependence(test, 'x1', treePredict);
    const x1 = test[0]!.values as Float64Array;
    for (let g = 0; g < pd.grid.length; g++) {
      let sum = 0;
      for (let i = 0; i < x1.length; i++) {
        const row = test.map((c) =>
          c.kind === 'string'
            ? { ...c, values: [c.values[i] ?? null] }
            : { ...c, values: Float64Array.of(c.name === 'x1' ? (pd.grid[g] as number) : c.values[i]!) },
        );
        sum += tree.predictProba(transformColumns(fitted, row as FrameColumn[]))[0]!;
      }
      expect(pd.average[g]).toBeCloseTo(sum / x1.length, 12);
    }
    // The curve moves: x1 is the strongest signal.
    expect(Math.max(...pd.average) - Math.min(...pd.average)).toBeGreaterThan(0.2);
  });
});

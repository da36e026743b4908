/**
 * Trees against scikit-learn. The reference JSON was produced by
 * `/usr/bin/python3 docs/reference/classify_models_reference.py tree > src/lib/ml/tree/sklearn_tree_reference.json`
 * (Debian's scikit-learn 1.2.1). Features are multiples of 1/1024, exact in float32 and float64,
 * so CART must reproduce sklearn's trees: same predictions, node counts and importances.
 */
import { describe, expect, it } from 'vitest';
import ref from './sklearn_tree_reference.json';
import { matrix } from '../matrix';
import { Rng } from '../random';
import { DummyClassifier } from '../eval/baseline';
import { logLoss, rocAuc } from '../metrics';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
  fitBins,
  applyBins,
} from './index';

const X = matrix(Float64Array.from(ref.X), ref.n, ref.p);
const Xt = matrix(Float64Array.from(ref.Xt), ref.Xt.length / ref.p, ref.p);

function expectClose(a: ArrayLike<number>, b: number[], digits = 12) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i]!, digits);
}

/** Class probabilities n × k for comparing with sklearn's predict_proba. */
function fullProba(p: Float64Array, n: number): number[] {
  if (p.length !== n) return Array.from(p);
  return Array.from(p).flatMap((q) => [1 - q, q]);
}

describe('CART matches sklearn', () => {
  it('gini, depth 4', () => {
    const m = new DecisionTreeClassifier({ maxDepth: 4 }).fit(X, ref.y);
    expectClose(fullProba(m.predictProba(Xt), Xt.nRows), ref.gini_d4.pred);
    expectClose(m.featureImportances, ref.gini_d4.importances);
    expect(m.tree!.feature.length).toBe(ref.gini_d4.n_nodes);
  });

  it('entropy, depth 3, min_samples_leaf 5', () => {
    const m = new DecisionTreeClassifier({ criterion: 'entropy', maxDepth: 3, minSamplesLeaf: 5 }).fit(X, ref.y);
    expectClose(fullProba(m.predictProba(Xt), Xt.nRows), ref.entropy_d3_leaf5.pred);
    expectClose(m.featureImportances, ref.entropy_d3_leaf5.importances);
  });

  it('3 classes with sample weights', () => {
    const m = new DecisionTreeClassifier({ maxDepth: 4 }).fit(X, ref.y3, { sampleWeight: ref.w });
    // One node has two features giving the same partition (an exact tie, broken by sklearn's
    // random feature order), so compare on the training rows, where both trees agree.
    expectClose(m.predictProba(X), ref.gini3_d4_weighted.pred_train);
    expect(m.tree!.feature.length).toBe(ref.gini3_d4_weighted.n_nodes);
  });

  it('regression (squared error), with and without weights', () => {
    const a = new DecisionTreeRegressor({ maxDepth: 4 }).fit(X, ref.yr);
    expectClose(a.predict(Xt), ref.mse_d4.pred, 10);
    expectClose(a.featureImportances, ref.mse_d4.importances, 10);
    const b = new DecisionTreeRegressor({ maxDepth: 5, minSamplesSplit: 20 }).fit(X, ref.yr, { sampleWeight: ref.w });
    expectClose(b.predict(Xt), ref.mse_d5_split20.pred, 10);
    expect(b.tree!.feature.length).toBe(ref.mse_d5_split20.n_nodes);
  });

  it('Saabas contributions add up to the prediction', () => {
    const m = new DecisionTreeClassifier({ maxDepth: 5 }).fit(X, ref.y);
    const { bias, contributions } = m.contributions(Xt);
    const p = m.predictProba(Xt);
    for (let i = 0; i < Xt.nRows; i++) {
      let s = bias;
      for (let j = 0; j < Xt.nCols; j++) s += contributions[i * Xt.nCols + j]!;
      expect(s).toBeCloseTo(p[i]!, 12);
    }
  });

  it('the prior baseline matches DummyClassifier', () => {
    const d = new DummyClassifier().fit(X, ref.y3, { sampleWeight: ref.w });
    expectClose(d.predictProba(matrix(Xt.data.slice(0, ref.p), 1, ref.p)), ref.dummy_prior3);
  });
});

/** A larger synthetic problem for the ensembles: a noisy interaction plus missing values. */
function synthetic(n: number, seed: number) {
  const rng = new Rng(seed);
  const p = 8;
  const data = new Float64Array(n * p);
  const y = new Int32Array(n);
  const yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) data[i * p + j] = rng.normal();
    const x = data.subarray(i * p, i * p + p);
    const f = 1.2 * x[0]! - x[1]! + (x[2]! > 0.5 ? 1.5 : 0) + x[3]! * x[4]!;
    y[i] = rng.next() < 1 / (1 + Math.exp(-2 * f)) ? 1 : 0;
    yr[i] = f + 0.3 * rng.normal();
    if (rng.next() < 0.05) data[i * p + 5] = NaN;
  }
  return { X: matrix(data, n, p), y, yr };
}

describe('ensembles', () => {
  const train = synthetic(2000, 1);
  const test = synthetic(1000, 2);

  it('random forest: accurate, seeded, OOB score, JSON round trip with identical predictions', () => {
    const rf = new RandomForestClassifier({ nEstimators: 30, oobScore: true, seed: 3 }).fit(train.X, train.y);
    const p = rf.predictProba(test.X);
    expect(rocAuc(test.y, p)).toBeGreaterThan(0.85);
    expect(rf.oobScore!).toBeGreaterThan(0.7);
    const again = new RandomForestClassifier({ nEstimators: 30, oobScore: true, seed: 3 }).fit(train.X, train.y);
    expect(Array.from(again.predictProba(test.X))).toEqual(Array.from(p));
    const loaded = RandomForestClassifier.load(JSON.parse(JSON.stringify(rf.toJSON())));
    expect(Array.from(loaded.predictProba(test.X))).toEqual(Array.from(p));
    const imp = rf.featureImportances;
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // The noise features 5–7 matter less than the signal features 0 and 1.
    expect(Math.min(imp[0]!, imp[1]!)).toBeGreaterThan(Math.max(imp[6]!, imp[7]!));
  });

  it('random forest regressor and tree JSON round trips', () => {
    const rf = new RandomForestRegressor({ nEstimators: 10, oobScore: true, maxFeatures: 'sqrt' }).fit(
      train.X,
      train.yr,
    );
    expect(rf.oobScore!).toBeGreaterThan(0.5);
    const loaded = RandomForestRegressor.load(JSON.parse(JSON.stringify(rf.toJSON())));
    expect(Array.from(loaded.predict(test.X))).toEqual(Array.from(rf.predict(test.X)));
    const dt = new DecisionTreeClassifier({ maxDepth: 8 }).fit(train.X, train.y);
    const dtl = DecisionTreeClassifier.load(JSON.parse(JSON.stringify(dt.toJSON())));
    expect(Array.from(dtl.predictProba(test.X))).toEqual(Array.from(dt.predictProba(test.X)));
    const dr = new DecisionTreeRegressor().fit(train.X, train.yr);
    const drl = DecisionTreeRegressor.load(JSON.parse(JSON.stringify(dr.toJSON())));
    expect(Array.from(drl.predict(test.X))).toEqual(Array.from(dr.predict(test.X)));
  });

  it('hist gradient boosting: accurate, handles NaN, contributions, JSON round trip', () => {
    const m = new HistGradientBoostingClassifier({ maxIter: 60 }).fit(train.X, train.y);
    const p = m.predictProba(test.X);
    expect(rocAuc(test.y, p)).toBeGreaterThan(0.88);
    const loaded = HistGradientBoostingClassifier.load(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(loaded.predictProba(test.X))).toEqual(Array.from(p));
    const raw = m.decisionFunction(test.X);
    const { bias, contributions } = m.contributions(test.X);
    for (let i = 0; i < 20; i++) {
      let s = bias;
      for (let j = 0; j < test.X.nCols; j++) s += contributions[i * test.X.nCols + j]!;
      expect(s).toBeCloseTo(raw[i]!, 9);
    }
    const reg = new HistGradientBoostingRegressor({ maxIter: 50, maxDepth: 4, l2Regularization: 1 }).fit(
      train.X,
      train.yr,
    );
    const regl = HistGradientBoostingRegressor.load(JSON.parse(JSON.stringify(reg.toJSON())));
    expect(Array.from(regl.predict(test.X))).toEqual(Array.from(reg.predict(test.X)));
  });

  it('hist gradient boosting, 3 classes: softmax probabilities beat the prior, JSON round trip', () => {
    const y3 = Int32Array.from(train.yr, (v) => (v < -0.5 ? 0 : v < 0.8 ? 1 : 2));
    const t3 = Int32Array.from(test.yr, (v) => (v < -0.5 ? 0 : v < 0.8 ? 1 : 2));
    const m = new HistGradientBoostingClassifier({ maxIter: 30 }).fit(train.X, y3);
    expect(m.nClasses).toBe(3);
    expect(m.nIter).toBe(30);
    const p = m.predictProba(test.X);
    expect(p).toHaveLength(test.X.nRows * 3);
    for (let i = 0; i < 5; i++) expect(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]!).toBeCloseTo(1, 12);
    const prior = new DummyClassifier().fit(train.X, y3).predictProba(test.X);
    expect(logLoss(t3, p)).toBeLessThan(0.7 * logLoss(t3, prior));
    const loaded = HistGradientBoostingClassifier.load(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(loaded.predictProba(test.X))).toEqual(Array.from(p));
  });

  it('hist gradient boosting early stopping stops before maxIter on an easy problem', () => {
    const m = new HistGradientBoostingClassifier({ maxIter: 500, earlyStopping: true, learningRate: 0.3 }).fit(
      train.X,
      train.y,
    );
    expect(m.nIter).toBeLessThan(500);
    expect(m.validationLoss.length).toBe(m.nIter + 1);
  });

  it('binning: ≤ maxBins bins, NaN in the last bin, thresholds at midpoints for few values', () => {
    const mapper = fitBins(train.X, 16);
    const xb = applyBins(mapper, train.X);
    expect(Math.max(...xb)).toBe(16);
    for (const t of mapper.thresholds) expect(t.length).toBeLessThanOrEqual(15);
    expect(mapper.hasMissing[5]).toBe(1);
    const few = fitBins(matrix(Float64Array.from([1, 2, 2, 4]), 4, 1));
    expect(Array.from(few.thresholds[0]!)).toEqual([1.5, 3]);
  });
});

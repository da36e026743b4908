/**
 * Fast variant of shoppers.datasets.test.ts on public/samples/online_shoppers_intention.csv
 * (CC BY 4.0): one stratified 75/25 split and small ensembles, so it runs in a few seconds. The
 * floors sit a little below the full 5-fold bar because the models are smaller.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShoppers } from './shoppers-fixture';
import { stratifiedSplit } from './split';
import { DummyClassifier } from './baseline';
import { takeRows, takeVector } from '../matrix';
import { rocAuc } from '../metrics';
import { DecisionTreeClassifier, HistGradientBoostingClassifier, RandomForestClassifier } from '../tree';
import { GaussianNB } from '../bayes';

const { X, y, names } = parseShoppers(
  readFileSync(path.resolve(process.cwd(), 'public/samples/online_shoppers_intention.csv'), 'utf8'),
);
const split = stratifiedSplit(y, 0.25, 0);
const Xtr = takeRows(X, split.train);
const ytr = takeVector(y, split.train);
const Xte = takeRows(X, split.test);
const yte = takeVector(y, split.test);

describe('shoppers sample, one stratified split', () => {
  it('parses 12 330 rows into 28 features with about 15.5 % buyers', () => {
    expect(X.nRows).toBe(12330);
    expect(names).toHaveLength(28);
    expect(y.reduce((a, b) => a + b, 0) / y.length).toBeCloseTo(0.1547, 3);
  });

  it('trees, forests and boosting clear their floors; the baseline does not', () => {
    const auc = (m: { predictProba(X: typeof Xte): Float64Array }) => rocAuc(yte, m.predictProba(Xte));
    const hgb = auc(new HistGradientBoostingClassifier({ maxIter: 40, learningRate: 0.2 }).fit(Xtr, ytr));
    const rf = auc(new RandomForestClassifier({ nEstimators: 25, minSamplesLeaf: 2 }).fit(Xtr, ytr));
    const dt = auc(new DecisionTreeClassifier({ maxDepth: 6 }).fit(Xtr, ytr));
    const nb = auc(new GaussianNB().fit(Xtr, ytr));
    expect(hgb).toBeGreaterThan(0.92);
    expect(rf).toBeGreaterThan(0.91);
    expect(dt).toBeGreaterThan(0.88);
    expect(nb).toBeGreaterThan(0.75);
    expect(auc(new DummyClassifier().fit(Xtr, ytr))).toBe(0.5);
  });
});

/**
 * Naive Bayes against scikit-learn. The reference JSON was produced by
 * `/usr/bin/python3 docs/reference/classify_models_reference.py bayes > src/lib/ml/bayes/sklearn_bayes_reference.json`
 * (Debian's scikit-learn 1.2.1).
 */
import { describe, expect, it } from 'vitest';
import ref from './sklearn_bayes_reference.json';
import { matrix } from '../matrix';
import { CategoricalNB, GaussianNB } from './index';

const X = matrix(Float64Array.from(ref.X), ref.n, ref.p);
const Xt = matrix(Float64Array.from(ref.Xt), ref.Xt.length / ref.p, ref.p);
const Xc = matrix(Float64Array.from(ref.Xc), ref.n, 3);
const Xct = matrix(Float64Array.from(ref.Xct), ref.Xct.length / 3, 3);

function expectClose(a: ArrayLike<number>, b: number[], digits = 10) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i]!, digits);
}

describe('naive Bayes matches sklearn', () => {
  it('GaussianNB, 3 classes (var_smoothing) and weighted binary', () => {
    const g = new GaussianNB().fit(X, ref.y3);
    expectClose(g.variance, ref.gnb3_var, 14);
    expectClose(g.predictProba(Xt), ref.gnb3_proba);
    const gw = new GaussianNB().fit(X, ref.y, { sampleWeight: ref.w });
    expectClose(gw.predictProba(Xt), ref.gnb_w_proba);
    const loaded = GaussianNB.load(JSON.parse(JSON.stringify(gw.toJSON())));
    expect(Array.from(loaded.predictProba(Xt))).toEqual(Array.from(gw.predictProba(Xt)));
  });

  it('CategoricalNB, alpha 1 and weighted alpha 0.5', () => {
    const c = new CategoricalNB().fit(Xc, ref.yc);
    expectClose(c.predictProba(Xct), ref.cnb_proba);
    const c2 = new CategoricalNB({ alpha: 0.5 }).fit(Xc, ref.yc, { sampleWeight: ref.w });
    expectClose(c2.predictProba(Xct), ref.cnb_alpha05_w_proba);
    const loaded = CategoricalNB.load(JSON.parse(JSON.stringify(c2.toJSON())));
    expect(Array.from(loaded.predictProba(Xct))).toEqual(Array.from(c2.predictProba(Xct)));
  });
});

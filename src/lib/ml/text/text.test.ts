/**
 * Tokenisers, TF-IDF, sparse logistic regression and keyword scoring on handmade text.
 * tfidf.reference.json was produced by `/usr/bin/python3 docs/reference/insights_reference.py`
 * (scikit-learn 1.2.1 TfidfVectorizer and LogisticRegression(solver='lbfgs') on a 5-document corpus).
 */
import { describe, expect, it } from 'vitest';
import reference from './tfidf.reference.json';
import { binaryMetrics, stratifiedSplit } from './evaluate';
import { complaintKeywords, logOddsKeywords } from './keywords';
import { fitSparseLogistic, predictProba, topTerms } from './logistic';
import { csrRowDense, csrSelectRows, fitTfidf, transformTfidf } from './tfidf';
import { tokenizeChinese, tokenizeEnglish } from './tokenize';

describe('English tokeniser', () => {
  it('lowercases, strips punctuation and 1-letter tokens, and adds bigrams', () => {
    expect(tokenizeEnglish("Love it!! It's sooo pretty.")).toEqual([
      'love',
      'it',
      'it',
      'sooo',
      'pretty',
      'love it',
      'it it',
      'it sooo',
      'sooo pretty',
    ]);
  });
  it('drops stop words before forming n-grams (as sklearn)', () => {
    expect(tokenizeEnglish('The zipper broke after one wash', { stopWords: true, ngrams: [1, 2] })).toEqual([
      'zipper',
      'broke',
      'wash',
      'zipper broke',
      'broke wash',
    ]);
    expect(tokenizeEnglish('not good', { ngrams: [2, 2] })).toEqual(['not good']);
  });
  it('keeps accented letters and digits', () => {
    expect(tokenizeEnglish('Café size 10', { ngrams: [1, 1] })).toEqual(['café', 'size', '10']);
  });
});

describe('Chinese tokeniser', () => {
  it('makes character uni+bigrams within Han runs, breaking at punctuation', () => {
    expect(tokenizeChinese('很好，物流快')).toEqual(['很', '好', '很好', '物', '流', '快', '物流', '流快']);
  });
  it('normalises full-width letters, digits and punctuation (NFKC) and keeps Latin words whole', () => {
    expect(tokenizeChinese('ＩＰＨＯＮＥ１２不错！', { ngrams: [1, 1] })).toEqual(['iphone12', '不', '错']);
    expect(tokenizeChinese('买了iPhone很满意', { ngrams: [2, 2] })).toEqual(['买了', 'iphone', '很满', '满意']);
  });
});

describe('TF-IDF against sklearn’s TfidfVectorizer', () => {
  for (const c of reference.cases) {
    it(`ngram ${c.options.ngram_range.join('-')}, sublinear ${c.options.sublinear_tf}, stop words ${c.options.stop_words ?? 'none'}`, () => {
      const docs = reference.corpus.map((t) =>
        tokenizeEnglish(t, {
          ngrams: c.options.ngram_range as [number, number],
          stopWords: c.options.stop_words === 'english',
        }),
      );
      const model = fitTfidf(docs, { sublinearTf: c.options.sublinear_tf });
      expect(model.terms).toEqual(c.vocabulary);
      c.idf.forEach((v, j) => expect(model.idf[j]).toBeCloseTo(v, 12));
      const m = transformTfidf(model, docs);
      c.matrix.forEach((row, i) => {
        const dense = csrRowDense(m, i);
        row.forEach((v, j) => expect(dense[j]).toBeCloseTo(v, 12));
      });
    });
  }
  it('CSR rows have ascending columns; unknown terms are ignored; minDf / maxDfRatio / maxFeatures filter', () => {
    const docs = [['a', 'b', 'b'], ['b', 'c'], ['b']];
    const model = fitTfidf(docs, { minDf: 2 });
    expect(model.terms).toEqual(['b']);
    expect(fitTfidf(docs, { maxDfRatio: 0.9 }).terms).toEqual(['a', 'c']);
    expect(fitTfidf(docs, { maxFeatures: 1 }).terms).toEqual(['b']);
    const m = transformTfidf(fitTfidf(docs), [['c', 'zzz', 'a']]);
    expect(Array.from(m.indices)).toEqual([0, 2]);
    const sub = csrSelectRows(transformTfidf(fitTfidf(docs), docs), [2, 0]);
    expect(sub.nRows).toBe(2);
    expect(Array.from(sub.indptr)).toEqual([0, 1, 3]);
  });
});

describe('sparse logistic regression', () => {
  const docs = reference.corpus.map((t) => tokenizeEnglish(t, { ngrams: [1, 1] }));
  const tfidf = fitTfidf(docs);
  const x = transformTfidf(tfidf, docs);
  for (const ref of reference.logistic) {
    it(`matches sklearn lbfgs (C=${ref.C}, class_weight=${ref.class_weight})`, () => {
      const model = fitSparseLogistic(x, reference.labels, {
        c: ref.C,
        classWeight: ref.class_weight === 'balanced' ? 'balanced' : undefined,
        tol: 1e-10,
        maxIter: 1000,
      });
      ref.coef.forEach((v, j) => expect(model.weights[j]).toBeCloseTo(v, 5));
      expect(model.bias).toBeCloseTo(ref.intercept, 5);
      const p = predictProba(model, x);
      ref.proba.forEach((v, i) => expect(p[i]).toBeCloseTo(v, 5));
    });
  }
  it('ranks positive and negative terms by coefficient', () => {
    const model = fitSparseLogistic(x, reference.labels, { c: 10 });
    const top = topTerms(model, tfidf.terms, 3);
    expect(top.positive.map((t) => t.term)).toContain('love');
    expect(top.negative.map((t) => t.term)).toContain('terrible');
    expect(top.negative.every((t) => t.weight < 0)).toBe(true);
  });
  it('balanced class weights raise the minority class’s probabilities', () => {
    const y = [1, 1, 1, 1, 0];
    const plain = predictProba(fitSparseLogistic(x, y), x);
    const bal = predictProba(fitSparseLogistic(x, y, { classWeight: 'balanced' }), x);
    expect(bal[4]).toBeLessThan(plain[4]!);
  });
});

describe('complaint keywords (log-odds with a Dirichlet prior)', () => {
  const neg = ['zipper broke', 'zipper broke again', 'runs small zipper', 'fabric cheap', 'zipper stuck'].map((t) =>
    tokenizeEnglish(t, { ngrams: [1, 1] }),
  );
  const pos = ['love fabric', 'love colour', 'fits great love', 'great fabric', 'love love'].map((t) =>
    tokenizeEnglish(t, { ngrams: [1, 1] }),
  );
  it('puts the term typical of negative reviews first and excludes balanced ones', () => {
    const kw = logOddsKeywords(neg, pos, { minCount: 2, priorStrength: 10 });
    expect(kw[0]!.term).toBe('zipper');
    expect(kw[0]).toMatchObject({ countA: 4, countB: 0 });
    expect(kw.map((k) => k.term)).not.toContain('love');
    expect(kw.map((k) => k.term)).not.toContain('fabric');
  });
  it('groups documents and skips groups without both sides', () => {
    const docs = [...neg, ...pos, ['ok']];
    const isNeg = [...neg.map(() => true), ...pos.map(() => false), true];
    const groups = [...neg.map(() => 'dresses'), ...pos.map(() => 'dresses'), 'bags'];
    const res = complaintKeywords(docs, isNeg, groups, { minCount: 2, priorStrength: 10 });
    expect(Array.from(res.keys())).toEqual(['dresses']);
    expect(res.get('dresses')![0]!.term).toBe('zipper');
  });
});

describe('split and metrics', () => {
  it('stratified split is seeded, disjoint and keeps label shares', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 30 ? 0 : 1));
    const a = stratifiedSplit(labels, 0.2, 5);
    expect(a.test).toHaveLength(20);
    expect(Array.from(a.test).filter((i) => labels[i] === 0)).toHaveLength(6);
    expect(new Set([...a.train, ...a.test]).size).toBe(100);
    expect(Array.from(stratifiedSplit(labels, 0.2, 5).test)).toEqual(Array.from(a.test));
    expect(Array.from(stratifiedSplit(labels, 0.2, 6).test)).not.toEqual(Array.from(a.test));
  });
  it('computes accuracy, F1 and macro-F1', () => {
    const m = binaryMetrics([1, 1, 0, 0], [1, 0, 0, 0]);
    expect(m.accuracy).toBe(0.75);
    expect(m.precision).toBe(1);
    expect(m.recall).toBe(0.5);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 12);
  });
});

/**
 * Review sentiment on the public datasets: TF-IDF + sparse logistic regression, seeded
 * stratified 80/20 split, held-out accuracy / F1 versus the majority-class baseline, plus
 * complaint keywords. Run with `npx vitest run --config vitest.datasets.config.ts src/lib/ml/text`.
 * - womens_clothing_ecommerce_reviews.csv.gz (English): positive = Rating ≥ 4, negative ≤ 2, 3 dropped.
 * - online_shopping_10_cats_dev15.csv (Chinese): `label` 1 = positive, 0 = negative.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../data/db';
import { sqlLiteral } from '../../sql/ident';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import { binaryMetrics, stratifiedSplit, type BinaryMetrics } from './evaluate';
import { complaintKeywords } from './keywords';
import { fitSparseLogistic, predictProba, topTerms } from './logistic';
import { csrSelectRows, fitTfidf, transformTfidf } from './tfidf';
import { tokenizeChinese, tokenizeEnglish } from './tokenize';

const EN = path.join(DATASETS_DIR, 'womens_clothing_ecommerce_reviews.csv.gz');
const ZH = path.join(DATASETS_DIR, 'online_shopping_10_cats_dev15.csv');
const missing = [EN, ZH].filter((f) => !existsSync(f));
const suite = missing.length === 0 ? describe : describe.skip;
if (missing.length) console.warn(`[text.datasets] SKIPPED: ${missing.join(', ')} not found (set $SHOPSIGHT_DATASETS).`);

const fmt = (m: BinaryMetrics): string =>
  `accuracy ${m.accuracy.toFixed(3)}, F1(neg) ${m.f1.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)}`;

/** Fits on the train rows, returns held-out metrics (negative class = 0 is reported) and the model. */
function evaluate(docs: string[][], y: number[], seed: number) {
  const { train, test } = stratifiedSplit(y, 0.2, seed);
  const trainDocs = Array.from(train, (i) => docs[i]!);
  const tfidf = fitTfidf(trainDocs, { minDf: 2, sublinearTf: true });
  const xAll = transformTfidf(tfidf, docs);
  const xTrain = csrSelectRows(xAll, train);
  const xTest = csrSelectRows(xAll, test);
  const yTrain = Array.from(train, (i) => y[i]!);
  const yTest = Array.from(test, (i) => y[i]!);
  const started = performance.now();
  const model = fitSparseLogistic(xTrain, yTrain, { c: 4, classWeight: 'balanced', maxIter: 300 });
  const ms = Math.round(performance.now() - started);
  const pred = Array.from(predictProba(model, xTest), (p) => (p >= 0.5 ? 1 : 0));
  const majority = yTrain.filter((v) => v === 1).length * 2 >= yTrain.length ? 1 : 0;
  return {
    model,
    tfidf,
    ms,
    nTrain: train.length,
    nTest: test.length,
    ours: binaryMetrics(yTest, pred, 0),
    baseline: binaryMetrics(
      yTest,
      yTest.map(() => majority),
      0,
    ),
  };
}

suite('review sentiment on the shared datasets', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  it('English clothing reviews: beats the majority baseline; complaint keywords per department', () => {
    const rows = db.rows(
      `SELECT "Review Text" AS text, CAST("Rating" AS INTEGER) AS rating, coalesce("Department Name", '?') AS dept
       FROM read_csv(${sqlLiteral(EN)}, all_varchar = true)
       WHERE "Review Text" IS NOT NULL AND trim("Review Text") <> '' AND CAST("Rating" AS INTEGER) <> 3`,
    );
    const docs = rows.map((r) => tokenizeEnglish(String(r.text)));
    const y = rows.map((r) => (Number(r.rating) >= 4 ? 1 : 0));
    const res = evaluate(docs, y, 42);
    const top = topTerms(res.model, res.tfidf.terms, 8);
    const kw = complaintKeywords(
      rows.map((r) => tokenizeEnglish(String(r.text), { stopWords: true })),
      y.map((v) => v === 0),
      rows.map((r) => String(r.dept)),
      { top: 6 },
    );
    console.info(
      `[text.datasets] EN: ${rows.length} reviews (${y.filter((v) => v === 0).length} negative), ${res.tfidf.terms.length} terms, ` +
        `train ${res.nTrain} / test ${res.nTest}, L-BFGS ${res.model.nIter} it (converged: ${res.model.converged}) ${res.ms} ms\n` +
        `  logistic: ${fmt(res.ours)}\n  majority: ${fmt(res.baseline)}\n` +
        `  + ${top.positive.map((t) => t.term).join(', ')}\n  − ${top.negative.map((t) => t.term).join(', ')}\n` +
        Array.from(kw, ([g, k]) => `  complaints[${g}]: ${k.map((t) => t.term).join(', ')}`).join('\n'),
    );
    expect(rows.length).toBeGreaterThan(18000);
    expect(res.ours.accuracy).toBeGreaterThan(res.baseline.accuracy);
    expect(res.ours.macroF1).toBeGreaterThan(0.8);
    expect(res.ours.f1).toBeGreaterThan(0.6);
    expect(kw.get('Tops')!.length).toBeGreaterThan(0);
  });

  it('Chinese shopping reviews: beats the majority baseline; complaint keywords per category', () => {
    const rows = db.rows(
      `SELECT "cat" AS cat, CAST("label" AS INTEGER) AS label, "review" AS text
       FROM read_csv(${sqlLiteral(ZH)}, all_varchar = true) WHERE "review" IS NOT NULL AND trim("review") <> ''`,
    );
    const docs = rows.map((r) => tokenizeChinese(String(r.text)));
    const y = rows.map((r) => Number(r.label));
    const res = evaluate(docs, y, 42);
    const top = topTerms(res.model, res.tfidf.terms, 10);
    const kw = complaintKeywords(
      rows.map((r) => tokenizeChinese(String(r.text), { ngrams: [2, 2] })),
      y.map((v) => v === 0),
      rows.map((r) => String(r.cat)),
      { top: 6 },
    );
    console.info(
      `[text.datasets] ZH: ${rows.length} reviews (${y.filter((v) => v === 0).length} negative), ${res.tfidf.terms.length} terms, ` +
        `train ${res.nTrain} / test ${res.nTest}, L-BFGS ${res.model.nIter} it (converged: ${res.model.converged}) ${res.ms} ms\n` +
        `  logistic: ${fmt(res.ours)}\n  majority: ${fmt(res.baseline)}\n` +
        `  + ${top.positive.map((t) => t.term).join(' ')}\n  − ${top.negative.map((t) => t.term).join(' ')}\n` +
        Array.from(kw, ([g, k]) => `  complaints[${g}]: ${k.map((t) => t.term).join(' ')}`).join('\n'),
    );
    expect(rows.length).toBeGreaterThan(9000);
    expect(res.ours.accuracy).toBeGreaterThan(res.baseline.accuracy + 0.3);
    expect(res.ours.macroF1).toBeGreaterThan(0.85);
    expect(kw.size).toBe(10);
  });
});

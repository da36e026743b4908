/**
 * The TF.js embedding + pooling sentiment model on the public review datasets, beside the
 * majority baseline and TF-IDF + logistic regression, on the very same seeded stratified 80/20
 * split (the split, tokenisers and TF-IDF settings of the Reviews view; see
 * ../text/text.datasets.test.ts). Trained on tfjs-wasm in Node (the browser's CPU backend).
 * Run with `SHOPSIGHT_DATASETS=/work/shared/datasets npx vitest run --config vitest.datasets.config.ts src/lib/ml/tf/text-embedding`.
 * - womens_clothing_ecommerce_reviews.csv.gz (English): positive = Rating ≥ 4, negative ≤ 2, 3 dropped.
 * - online_shopping_10_cats_dev15.csv (Chinese): `label` 1 = positive, 0 = negative.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../data/db';
import { sqlLiteral } from '../../sql/ident';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import { type BinaryMetrics, binaryMetrics, stratifiedSplit } from '../text/evaluate';
import { fitSparseLogistic, predictProba } from '../text/logistic';
import { csrSelectRows, fitTfidf, transformTfidf } from '../text/tfidf';
import { tokenizeChinese, tokenizeEnglish } from '../text/tokenize';
import { fitReviewEmbedding, predictReviewEmbedding } from './text-embedding';

const require = createRequire(import.meta.url);
setWasmPaths(`${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);

const EN = path.join(DATASETS_DIR, 'womens_clothing_ecommerce_reviews.csv.gz');
const ZH = path.join(DATASETS_DIR, 'online_shopping_10_cats_dev15.csv');
const missing = [EN, ZH].filter((f) => !existsSync(f));
const suite = missing.length === 0 ? describe : describe.skip;
if (missing.length)
  console.warn(`[text-embedding.datasets] SKIPPED: ${missing.join(', ')} not found (set $SHOPSIGHT_DATASETS).`);

const fmt = (m: BinaryMetrics): string =>
  `accuracy ${m.accuracy.toFixed(3)}, F1(neg) ${m.f1.toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)}`;

/** Baseline, TF-IDF LR and the embedding model on one split; negative (0) is the reported class. */
async function compare(texts: string[], y: number[], language: 'en' | 'zh') {
  const { train, test } = stratifiedSplit(y, 0.2, 42);
  const yTrain = Array.from(train, (i) => y[i]!);
  const yTest = Array.from(test, (i) => y[i]!);
  const majority = yTrain.filter((v) => v === 1).length * 2 >= yTrain.length ? 1 : 0;
  const baseline = binaryMetrics(
    yTest,
    yTest.map(() => majority),
    0,
  );

  const bag = texts.map((t) => (language === 'zh' ? tokenizeChinese(t) : tokenizeEnglish(t)));
  const tfidf = fitTfidf(
    Array.from(train, (i) => bag[i]!),
    { minDf: 2, sublinearTf: true },
  );
  const x = transformTfidf(tfidf, bag);
  const lr = fitSparseLogistic(csrSelectRows(x, train), yTrain, { c: 4, classWeight: 'balanced', maxIter: 300 });
  const lrPred = Array.from(predictProba(lr, csrSelectRows(x, test)), (p) => (p >= 0.5 ? 1 : 0));

  // The Reviews view's tokens: English words and word pairs, Chinese characters and pairs.
  const seq = texts.map((t) => (language === 'zh' ? tokenizeChinese(t) : tokenizeEnglish(t)));
  const started = performance.now();
  const fit = await fitReviewEmbedding(
    Array.from(train, (i) => seq[i]!),
    yTrain,
    { seed: 42 },
  );
  const seconds = (performance.now() - started) / 1000;
  const p = await predictReviewEmbedding(
    fit,
    Array.from(test, (i) => seq[i]!),
  );
  fit.model.dispose();
  return {
    nTrain: train.length,
    nTest: test.length,
    baseline,
    tfidf: binaryMetrics(yTest, lrPred, 0),
    embedding: binaryMetrics(
      yTest,
      Array.from(p, (v) => (v >= 0.5 ? 1 : 0)),
      0,
    ),
    fit,
    seconds,
  };
}

function log(name: string, n: number, negatives: number, r: Awaited<ReturnType<typeof compare>>): void {
  console.info(
    `[text-embedding.datasets] ${name}: ${n} reviews (${negatives} negative), train ${r.nTrain} / test ${r.nTest}\n` +
      `  majority:  ${fmt(r.baseline)}\n  tfidf+LR:  ${fmt(r.tfidf)}\n  embedding: ${fmt(r.embedding)}` +
      ` (tfjs-${r.fit.backend}, vocabulary ${r.fit.vocab.size}, length ${r.fit.length}, ` +
      `${r.fit.loop.epochsRun} epochs, best val loss ${r.fit.loop.bestValLoss?.toFixed(4)}, ${r.seconds.toFixed(1)} s)`,
  );
}

suite('embedding sentiment model on the shared datasets', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.ready();
  });
  afterAll(async () => {
    db?.bindings.reset();
    await tf.setBackend('cpu');
  });

  it('English clothing reviews: beats the majority baseline, beside TF-IDF LR', async () => {
    const before = tf.memory().numTensors;
    const rows = db.rows(
      `SELECT "Review Text" AS text, CAST("Rating" AS INTEGER) AS rating
       FROM read_csv(${sqlLiteral(EN)}, all_varchar = true)
       WHERE "Review Text" IS NOT NULL AND trim("Review Text") <> '' AND CAST("Rating" AS INTEGER) <> 3`,
    );
    const y = rows.map((r) => (Number(r.rating) >= 4 ? 1 : 0));
    const r = await compare(
      rows.map((x) => String(x.text)),
      y,
      'en',
    );
    log('EN', rows.length, y.filter((v) => v === 0).length, r);
    expect(r.fit.backend).toBe('wasm');
    expect(r.embedding.accuracy).toBeGreaterThan(r.baseline.accuracy);
    expect(r.embedding.f1).toBeGreaterThan(0.5);
    expect(r.embedding.macroF1).toBeGreaterThan(0.7);
    expect(tf.memory().numTensors).toBe(before);
  }, 900_000);

  it('Chinese shopping reviews: beats the majority baseline, beside TF-IDF LR', async () => {
    const before = tf.memory().numTensors;
    const rows = db.rows(
      `SELECT CAST("label" AS INTEGER) AS label, "review" AS text
       FROM read_csv(${sqlLiteral(ZH)}, all_varchar = true) WHERE "review" IS NOT NULL AND trim("review") <> ''`,
    );
    const y = rows.map((r) => Number(r.label));
    const r = await compare(
      rows.map((x) => String(x.text)),
      y,
      'zh',
    );
    log('ZH', rows.length, y.filter((v) => v === 0).length, r);
    expect(r.embedding.accuracy).toBeGreaterThan(r.baseline.accuracy + 0.3);
    expect(r.embedding.macroF1).toBeGreaterThan(0.8);
    expect(tf.memory().numTensors).toBe(before);
  }, 900_000);
});

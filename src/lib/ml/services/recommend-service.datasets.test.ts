/**
 * The recommend and sentiment services end to end on the public datasets, loaded through the
 * app's own ingest (as a user would drop them): bakery baskets (day-first dates, no customer
 * id), the Online Retail sample (customers), the English clothing reviews (star ratings) and
 * the Chinese shopping reviews (0/1 labels). Prints the figures quoted in the notes. Run with
 * `SHOPSIGHT_DATASETS=/work/shared/datasets npx vitest run --config vitest.datasets.config.ts src/lib/ml/services/recommend`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { MlContext } from './context';
import { createRecommendApi } from './recommend-service';

const FILES = {
  bakery: 'bakery_transactions.csv',
  retail: 'online_retail_sample_20k.csv',
  en: 'womens_clothing_ecommerce_reviews.csv.gz',
  zh: 'online_shopping_10_cats_dev15.csv',
};
const missing = Object.values(FILES).filter((f) => !existsSync(path.join(DATASETS_DIR, f)));
const suite = missing.length === 0 ? describe : describe.skip;
if (missing.length) console.warn(`[recommend-service.datasets] SKIPPED: ${missing.join(', ')} not in ${DATASETS_DIR}.`);

const f3 = (v: number) => v.toFixed(3);

suite('recommend and sentiment services on the shared datasets', () => {
  let db: Db;
  let engine: DataEngine;
  let api: ReturnType<typeof createRecommendApi>;
  const load = async (key: keyof typeof FILES) => {
    const file = FILES[key];
    const [info] = await engine.loadFile(
      `load-${key}`,
      new Blob([readFileSync(path.join(DATASETS_DIR, file))]),
      file,
      {},
    );
    return info!;
  };

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    api = createRecommendApi(new MlContext(engineFrameSource(engine)));
  }, 120_000);
  afterAll(() => db?.bindings.reset());

  it('bakery baskets: basket rules, and item-item beats best sellers on the later baskets', async () => {
    const info = await load('bakery');
    const roles = Object.fromEntries(info.columns.map((c) => [c.name, c.role]));
    console.info(
      `[recommend-service.datasets] bakery columns: ${JSON.stringify(roles)}; types ${info.columns.map((c) => c.type).join(', ')}`,
    );
    const res = await api.recommend('bakery', {
      table: info.name,
      product: 'Item',
      basket: 'Transaction',
      timestamp: 'Date',
      similarity: 'cosine',
      k: 5,
      minSupport: 0.01,
      minConfidence: 0.3,
    });
    const e = res.evaluation!;
    console.info(
      `[recommend-service.datasets] bakery: ${res.nBaskets} baskets, ${res.nItems} items, ${res.nRules} rules; ` +
        `${e.method} split, ${e.nCases} cases: hit@5 ${f3(e.model.hitRate)} vs popularity ${f3(e.popularity.hitRate)}, ` +
        `precision@5 ${f3(e.model.precision)} vs ${f3(e.popularity.precision)}\n` +
        res.rules
          .slice(0, 5)
          .map(
            (r) =>
              `  ${r.antecedent.join(' + ')} → ${r.consequent.join(' + ')}: conf ${r.confidence.toFixed(2)}, lift ${r.lift.toFixed(2)}`,
          )
          .join('\n'),
    );
    expect(res.mode).toBe('basket');
    expect(res.nBaskets).toBeGreaterThan(9000);
    expect(res.rules.some((r) => r.consequent.join() === 'Coffee')).toBe(true);
    expect(e.method).toBe('basket');
    expect(e.model.hitRate).toBeGreaterThan(e.popularity.hitRate);
  });

  it('Online Retail sample: per-customer recommendations on a time split vs best sellers', async () => {
    const info = await load('retail');
    const res = await api.recommend('retail', {
      table: info.name,
      similarity: 'cosine',
      k: 10,
      minSupport: 0.02,
      minConfidence: 0.3,
    });
    const e = res.evaluation!;
    console.info(
      `[recommend-service.datasets] retail: ${res.nRows} lines, ${res.nCustomers} customers, ${res.nItems} items, ${res.nRules} rules; ` +
        `${e.method} split at ${e.cutoff ? new Date(e.cutoff).toISOString().slice(0, 10) : '-'}, ${e.nCases} cases: ` +
        `hit@10 ${f3(e.model.hitRate)} vs popularity ${f3(e.popularity.hitRate)}, precision@10 ${f3(e.model.precision)} vs ${f3(e.popularity.precision)}`,
    );
    expect(res.mode).toBe('customer');
    expect(e.method).toBe('customer');
    expect(res.nRecommendations).toBe(res.nCustomers! * 10);
    // Measured, not asserted: on this 20k-line sample (2,508 products, 755 customers with new
    // items after the cut-off) item-item CF does NOT beat best sellers (0.041 vs 0.050 hit@10);
    // the view then says so and advises the best sellers. Both must at least be real scores.
    expect(e.nCases).toBeGreaterThan(500);
    expect(e.popularity.hitRate).toBeGreaterThan(0);
    expect(e.model.hitRate).toBeGreaterThan(0);
    // The blend of item-item with recency-weighted best sellers, its β and half-life chosen on
    // the last 20 % of the training period (never on these cases). Only items the customer had
    // not bought before the cut-off count, as for the other two.
    const b = e.blend!;
    console.info(
      `[recommend-service.datasets] retail blend: β ${b.beta}, half-life ${b.halfLifeDays ?? '∞'} d ` +
        `(validation hit@10 ${f3(b.validationHitRate)} vs best sellers ${f3(b.validationPopularity)}); ` +
        `test hit@10 ${f3(b.hitRate)}, precision@10 ${f3(b.precision)} vs popularity ${f3(e.popularity.hitRate)} / item-item ${f3(e.model.hitRate)}`,
    );
    expect(b.validationHitRate).toBeGreaterThan(b.validationPopularity);
    expect(b.hitRate).toBeGreaterThan(e.popularity.hitRate);
    expect(res.recommender).toBe('itemitem');
  });

  it('English clothing reviews: held-out F1 vs the majority baseline, complaint keywords per department', async () => {
    const info = await load('en');
    const res = await api.sentiment('en', {
      table: info.name,
      text: 'Review Text',
      rating: 'Rating',
      groupBy: 'Department Name',
    });
    console.info(
      `[recommend-service.datasets] EN: ${res.nText} reviews, ${res.nLabelled} labelled (${res.nNegative} negative), ${res.nUnrated} unrated; ` +
        `accuracy ${f3(res.model.accuracy)} F1(neg) ${f3(res.model.f1)} macro-F1 ${f3(res.model.macroF1)} | majority accuracy ${f3(res.baseline.accuracy)} F1 ${f3(res.baseline.f1)}\n` +
        res.keywords
          .map(
            (k) =>
              `  ${k.group}: ${k.terms
                .slice(0, 6)
                .map((t) => t.term)
                .join(', ')}`,
          )
          .join('\n'),
    );
    expect(res.language).toBe('en');
    expect(res.model.accuracy).toBeGreaterThan(res.baseline.accuracy);
    expect(res.model.f1).toBeGreaterThan(0.6);
    expect(res.nUnrated).toBeGreaterThan(2000);
  }, 400_000);

  it('Chinese shopping reviews: 0/1 labels, character n-grams, per category', async () => {
    const info = await load('zh');
    const res = await api.sentiment('zh', { table: info.name, text: 'review', label: 'label', groupBy: 'cat' });
    console.info(
      `[recommend-service.datasets] ZH: ${res.nText} reviews (${res.nNegative} negative); ` +
        `accuracy ${f3(res.model.accuracy)} F1(neg) ${f3(res.model.f1)} macro-F1 ${f3(res.model.macroF1)} | majority accuracy ${f3(res.baseline.accuracy)}\n` +
        res.keywords
          .slice(0, 4)
          .map(
            (k) =>
              `  ${k.group}: ${k.terms
                .slice(0, 6)
                .map((t) => t.term)
                .join(' ')}`,
          )
          .join('\n'),
    );
    expect(res.language).toBe('zh');
    expect(res.model.accuracy).toBeGreaterThan(res.baseline.accuracy + 0.3);
    expect(res.keywords.length).toBe(11);
  });
});

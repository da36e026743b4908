/**
 * The recommend and sentiment services on the real DuckDB engine (Node build): synthetic order
 * lines with a planted rule, generated English and Chinese reviews, and the input errors.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { createRng } from '../segment/prng';
import { MlContext } from './context';
import { createRecommendApi } from './recommend-service';

/** Order lines: 60 customers, 3 orders each over 90 days; Bread ⇒ Butter in every order with Bread. */
export function syntheticOrders(seed = 1): string {
  const rng = createRng(seed);
  const others = ['Milk', 'Eggs', 'Jam', 'Tea', 'Coffee', 'Apples', 'Rice', 'Soap'];
  const lines = ['InvoiceNo,CustomerID,StockCode,InvoiceDate'];
  let order = 1000;
  for (let c = 0; c < 60; c++) {
    const likesBread = c % 2 === 0;
    for (let o = 0; o < 3; o++) {
      order++;
      const day = new Date(Date.UTC(2024, 0, 1 + o * 30 + (c % 25)));
      const date = day.toISOString().slice(0, 10);
      const items = new Set<string>();
      if (likesBread && (o > 0 || rng() < 0.5)) items.add('Bread').add('Butter');
      items.add(others[Math.floor(rng() * others.length)]!);
      if (rng() < 0.5) items.add(others[Math.floor(rng() * others.length)]!);
      for (const it of items) lines.push(`${order},C${c},${it},${date}`);
    }
  }
  return lines.join('\n');
}

const POS_EN = ['love', 'perfect fit', 'beautiful', 'great quality', 'comfortable', 'very soft', 'recommend it'];
const NEG_EN = [
  'poor quality',
  'too small',
  'returned it',
  'fabric ripped',
  'disappointed',
  'cheap material',
  'terrible',
];
const POS_ZH = ['质量很好', '非常满意', '物流很快', '包装精美', '值得购买', '性价比高'];
const NEG_ZH = ['质量太差', '非常失望', '发货太慢', '包装破损', '不值这个价', '客服态度差'];

/** Generated reviews: rating 1–5, text built from the phrase lists (3 neutral, some unrated). */
function reviews(lang: 'en' | 'zh', n: number, seed = 3): string {
  const rng = createRng(seed);
  const pick = (xs: string[]): string => xs[Math.floor(rng() * xs.length)]!;
  const lines = ['id,category,rating,review'];
  for (let i = 0; i < n; i++) {
    const rating = 1 + Math.floor(rng() * 5);
    const category = i % 2 ? 'Dresses' : 'Tops';
    const good = rating >= 4 || (rating === 3 && rng() < 0.5);
    const parts = [pick(good ? (lang === 'en' ? POS_EN : POS_ZH) : lang === 'en' ? NEG_EN : NEG_ZH)];
    if (rng() < 0.7) parts.push(pick(good ? (lang === 'en' ? POS_EN : POS_ZH) : lang === 'en' ? NEG_EN : NEG_ZH));
    // Category-specific complaint for Dresses.
    if (!good && category === 'Dresses') parts.push(lang === 'en' ? 'zipper broke' : '拉链坏了');
    // Noise: a word from the other side now and then.
    if (rng() < 0.15) parts.push(pick(good ? (lang === 'en' ? NEG_EN : NEG_ZH) : lang === 'en' ? POS_EN : POS_ZH));
    const text = lang === 'en' ? parts.join(', ') + '.' : parts.join('，') + '。';
    lines.push(`${i + 1},${category},${i % 10 === 9 ? '' : rating},"${text}"`);
  }
  return lines.join('\n');
}

describe('recommend service', { timeout: 60_000 }, () => {
  let db: Db;
  let engine: DataEngine;
  let api: ReturnType<typeof createRecommendApi>;

  beforeAll(async () => {
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('l1', syntheticOrders(), 'orders.csv', {});
    await engine.loadFile('l2', reviews('en', 600), 'reviews_en.csv', {});
    await engine.loadFile('l3', reviews('zh', 600), 'reviews_zh.csv', {});
    await engine.loadFile('l4', 'order,item\n1,A\n1,A\n2,A\n3,A', 'single.csv', {});
    await engine.loadFile('l5', 'sku,qty\nA,1\nB,2', 'nobasket.csv', {});
    await engine.loadFile('l6', 'rating,review\n5,good\n5,nice\n4,great\n5,fine', 'allfive.csv', {});
    await engine.loadFile('l7', 'rating,review\n5,\n1,\n4,', 'notext.csv', {});
    api = createRecommendApi(new MlContext(engineFrameSource(engine)));
  }, 180_000);
  afterAll(() => db?.bindings.reset());

  it('finds the planted rule, evaluates on a time split and writes both tables', async () => {
    const info = await engine.describe('orders');
    expect(info.columns.map((c) => c.role)).toEqual(['order_id', 'customer_id', 'product_id', 'timestamp']);
    const phases = new Set<string>();
    const res = await api.recommend(
      'r1',
      { table: 'orders', similarity: 'cosine', k: 3, minSupport: 0.05, minConfidence: 0.5, neighboursOf: 'Bread' },
      (p) => phases.add(p.phase),
    );
    expect(res.mode).toBe('customer');
    expect(res.columns).toEqual({
      customer: 'CustomerID',
      product: 'StockCode',
      basket: 'InvoiceNo',
      timestamp: 'InvoiceDate',
    });
    expect(res.nCustomers).toBe(60);
    expect(res.nBaskets).toBe(180);
    const bread = res.rules.find((r) => r.antecedent.join() === 'Bread' && r.consequent.join() === 'Butter');
    expect(bread).toBeDefined();
    expect(bread!.confidence).toBe(1);
    expect(bread!.lift).toBeGreaterThan(2);
    expect(res.rules.every((r) => r.confidence >= 0.5 && r.support >= 0.05)).toBe(true);
    expect(res.neighbours!.product).toBe('Bread');
    expect(res.neighbours!.items[0]!.item).toBe('Butter');
    expect(res.neighbourIndex['Butter']![0]!.item).toBe('Bread');
    expect(res.evaluation).not.toBeNull();
    expect(res.evaluation!.method).toBe('customer');
    expect(res.evaluation!.nCases).toBeGreaterThan(10);
    expect(['read', 'train', 'evaluate', 'score', 'write'].every((p) => phases.has(p))).toBe(true);

    const recs = db.rows(`SELECT * FROM orders_recommendations ORDER BY CustomerID, rank`);
    expect(recs.length).toBe(60 * 3);
    // Nothing already bought is recommended.
    const bought = new Set(db.rows(`SELECT DISTINCT CustomerID || '|' || StockCode AS k FROM orders`).map((r) => r.k));
    expect(recs.every((r) => !bought.has(`${r.CustomerID}|${r.StockCode}`))).toBe(true);
    const rules = db.rows(`SELECT * FROM orders_rules`);
    expect(rules.length).toBe(res.nRules);
    expect((await engine.describe('orders_rules')).derived).toEqual({ kind: 'rules', from: 'orders' });
    expect((await engine.describe('orders_recommendations')).derived).toEqual({
      kind: 'recommendations',
      from: 'orders',
    });
  });

  it('without a customer column: basket rules, per-basket recommendations, basket evaluation', async () => {
    const res = await api.recommend('r2', {
      table: 'orders',
      customer: undefined,
      basket: 'InvoiceNo',
      product: 'StockCode',
      similarity: 'jaccard',
      k: 2,
      minSupport: 0.05,
      minConfidence: 0.3,
      output: 'baskets',
    });
    // Roles still find a customer; explicitly dropping it needs a table without one.
    expect(res.mode).toBe('customer');
    await engine.setColumnRole('orders', 'CustomerID', 'none');
    const basketRes = await api.recommend('r3', {
      table: 'orders',
      similarity: 'jaccard',
      k: 2,
      minSupport: 0.05,
      minConfidence: 0.3,
      output: 'baskets',
    });
    await engine.setColumnRole('orders', 'CustomerID', 'customer_id');
    expect(basketRes.mode).toBe('basket');
    expect(basketRes.notes).toContain('per_basket');
    expect(basketRes.evaluation!.method).toBe('basket');
    expect(basketRes.rules.some((r) => r.antecedent.join() === 'Butter' && r.consequent.join() === 'Bread')).toBe(true);
    expect(db.rows(`SELECT count(DISTINCT InvoiceNo) AS n FROM baskets_recommendations`)[0]!.n).toBe(180);
  });

  it('fills the table with the tuned blend when asked, and says when it cannot tune one', async () => {
    const res = await api.recommend('rb', {
      table: 'orders',
      similarity: 'cosine',
      k: 3,
      minSupport: 0.05,
      minConfidence: 0.5,
      recommender: 'blend',
      output: 'blended',
    });
    const b = res.evaluation!.blend!;
    expect(b.beta).toBeGreaterThan(0);
    expect(b.beta).toBeLessThanOrEqual(1);
    expect(b.hitRate).toBeGreaterThanOrEqual(0);
    expect(res.recommender).toBe('blend');
    expect(res.notes).not.toContain('blend_untuned');
    // Never what the customer already bought.
    expect(
      db.rows(
        `SELECT count(*)::INTEGER AS n FROM blended_recommendations r JOIN orders o ON o.CustomerID = r.CustomerID AND o.StockCode = r.StockCode`,
      ),
    ).toEqual([{ n: 0 }]);
    expect(db.rows(`SELECT count(*)::INTEGER AS n FROM blended_recommendations`)).toEqual([{ n: 180 }]);
    const noTime = await api.recommend('rb2', {
      table: 'orders',
      similarity: 'cosine',
      k: 3,
      minSupport: 0.05,
      minConfidence: 0.5,
      recommender: 'blend',
      timestamp: 'StockCode',
      output: 'blended2',
    });
    expect(noTime.recommender).toBe('itemitem');
    expect(noTime.notes).toContain('blend_untuned');
  });

  it('explains unsuitable input', async () => {
    const base = { similarity: 'cosine', k: 3, minSupport: 0.1, minConfidence: 0.1 } as const;
    await expect(
      api.recommend('e1', { ...base, table: 'single', product: 'item', basket: 'order' }),
    ).rejects.toMatchObject({
      code: 'single_product',
    });
    await expect(api.recommend('e2', { ...base, table: 'nobasket', product: 'sku' })).rejects.toMatchObject({
      code: 'no_basket_column',
    });
    await expect(api.recommend('e3', { ...base, table: 'orders', k: 0 })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('cancels', async () => {
    const context = new MlContext(engineFrameSource(engine));
    const local = createRecommendApi(context);
    const run = local.recommend(
      'c1',
      { table: 'orders', similarity: 'cosine', k: 3, minSupport: 0.05, minConfidence: 0.5 },
      () => context.jobs.cancel('c1'),
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('English sentiment from star ratings beats the majority baseline and scores the unrated', async () => {
    const res = await api.sentiment('s1', {
      table: 'reviews_en',
      text: 'review',
      rating: 'rating',
      groupBy: 'category',
    });
    expect(res.language).toBe('en');
    expect(res.nText).toBe(600);
    expect(res.nUnrated).toBeGreaterThan(60); // 3-star and empty ratings
    expect(res.model.accuracy).toBeGreaterThan(res.baseline.accuracy);
    expect(res.model.f1).toBeGreaterThan(0.8);
    expect(res.baseline.f1).toBe(0);
    const [[tn, fp], [fn, tp]] = res.confusion;
    expect(tn + fp + fn + tp).toBe(res.nTest);
    expect(res.keywords[0]!.group).toBe('all');
    const dresses = res.keywords.find((k) => k.group === 'Dresses')!;
    expect(dresses.terms.slice(0, 3).map((t) => t.term)).toContain('zipper');
    const rows = db.rows(`SELECT split, count(*) AS n FROM reviews_en_sentiment GROUP BY split ORDER BY split`);
    expect(rows.map((r) => r.split)).toEqual(['test', 'train', 'unrated']);
    expect(db.rows(`SELECT count(*) AS n FROM reviews_en_sentiment WHERE p_positive IS NULL`)[0]!.n).toBe(0);
    expect(res.mostNegative[0]!.score).toBeLessThan(0.5);
    const h = res.histogram;
    expect([...h.negative, ...h.positive, ...h.unrated].reduce((a, b) => a + b, 0)).toBe(600);
  });

  it('Chinese sentiment (auto language, character n-grams)', async () => {
    const res = await api.sentiment('s2', { table: 'reviews_zh', text: 'review', rating: 'rating', language: 'auto' });
    expect(res.language).toBe('zh');
    expect(res.model.accuracy).toBeGreaterThan(res.baseline.accuracy + 0.2);
    expect(res.model.macroF1).toBeGreaterThan(0.8);
    expect(res.drivers.negative.map((d) => d.term).join(' ')).toMatch(/差|失望|慢|破|坏/);
  });

  it('the TF.js embedding model beside TF-IDF: compared on the same hold-out, scores the table, frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const res = await api.sentiment('s3', {
      table: 'reviews_en',
      text: 'review',
      rating: 'rating',
      model: 'both',
      output: 'reviews_en_both',
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.scoredBy).toBe('tfidf');
    expect(res.comparison.map((c) => c.model)).toEqual(['tfidf', 'embedding']);
    const emb = res.comparison[1]!;
    expect(emb).toMatchObject({ backend: tf.getBackend() });
    expect(emb.epochs).toBeGreaterThan(0);
    expect(emb.vocabulary).toBeGreaterThan(10);
    expect(emb.scores.accuracy).toBeGreaterThan(res.baseline.accuracy);
    expect(emb.scores.f1).toBeGreaterThan(0.6);
    expect(res.model).toEqual(res.comparison[0]!.scores);
    const stored = db.rows(
      `SELECT count(*)::INTEGER AS n, count(p_embedding)::INTEGER AS e, max(abs(p_positive - p_tfidf)) AS d FROM reviews_en_both`,
    )[0]!;
    expect(stored).toMatchObject({ n: 600, e: 600, d: 0 });

    const only = await api.sentiment('s4', {
      table: 'reviews_zh',
      text: 'review',
      rating: 'rating',
      model: 'embedding',
    });
    expect(only.scoredBy).toBe('embedding');
    expect(only.model).toEqual(only.comparison[1]!.scores);
    expect(only.model.accuracy).toBeGreaterThan(only.baseline.accuracy);
    const [[tn, fp], [fn, tp]] = only.confusion;
    expect(tn + fp + fn + tp).toBe(only.nTest);
    await expect(
      api.sentiment('s5', { table: 'reviews_zh', text: 'review', rating: 'rating', model: 'bert' as never }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  }, 120_000);

  it('cancelling the embedding training stops the job and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const context2 = new MlContext(engineFrameSource(engine));
    const api2 = createRecommendApi(context2);
    const run = api2.sentiment(
      's6',
      { table: 'reviews_en', text: 'review', rating: 'rating', model: 'embedding' },
      (p) => {
        if (p.phase === 'train' && p.detail?.startsWith('embedding')) context2.jobs.cancel('s6');
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('sentiment errors: one class, no text, no rating', async () => {
    await expect(api.sentiment('e4', { table: 'allfive', text: 'review', rating: 'rating' })).rejects.toMatchObject({
      code: 'single_class_ratings',
    });
    await expect(api.sentiment('e5', { table: 'notext', text: 'review', rating: 'rating' })).rejects.toMatchObject({
      code: 'empty_text_column',
    });
    await expect(api.sentiment('e6', { table: 'allfive', text: 'review' })).rejects.toMatchObject({
      code: 'missing_role',
    });
  });
});

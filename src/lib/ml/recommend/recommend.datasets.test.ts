/**
 * Association rules and co-purchase recommendations on the public bakery baskets
 * (`bakery_transactions.csv`, day-first dates). Run with
 * `npx vitest run --config vitest.datasets.config.ts src/lib/ml/recommend`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../data/db';
import { sqlLiteral } from '../../sql/ident';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import { evaluateTopK, leaveOneOut } from './evaluate';
import { associationRules, fpGrowth } from './fp-growth';
import { encode } from './interactions';
import { fitItemItem, fitPopularity, recommendItemItem, recommendPopular } from './item-item';

const FILE = path.join(DATASETS_DIR, 'bakery_transactions.csv');
const suite = existsSync(FILE) ? describe : describe.skip;
if (!existsSync(FILE)) console.warn(`[recommend.datasets] SKIPPED: ${FILE} not found (set $SHOPSIGHT_DATASETS).`);

suite('bakery baskets', () => {
  let db: Db;
  let vocab: string[];
  let baskets: Int32Array[];
  beforeAll(async () => {
    db = await createNodeDb();
    // Dates are DD-MM-YYYY: parse explicitly rather than trusting auto-detection. 'NONE' is no item.
    const rows = db.rows(
      `SELECT CAST("Transaction" AS INTEGER) AS t, strptime("Date" || ' ' || "Time", '%d-%m-%Y %H:%M:%S') AS ts, "Item" AS item
       FROM read_csv(${sqlLiteral(FILE)}, all_varchar = true) WHERE "Item" <> 'NONE' ORDER BY ts, t`,
    );
    const items = encode(rows.map((r) => String(r.item)));
    vocab = items.vocab;
    const byTx = new Map<number, Set<number>>();
    rows.forEach((r, i) => {
      const t = Number(r.t);
      (byTx.get(t) ?? byTx.set(t, new Set()).get(t)!).add(items.codes[i]!);
    });
    // Map preserves insertion order, which is chronological here.
    baskets = Array.from(byTx.values(), (s) => Int32Array.from(s).sort());
  });
  afterAll(() => db?.bindings.reset());

  it('mines rules with FP-Growth', () => {
    const sets = fpGrowth(baskets, { minSupport: 0.01 });
    const rules = associationRules(sets, baskets.length, { minConfidence: 0.3, minLift: 1 });
    const name = (xs: number[]) => xs.map((i) => vocab[i]).join(' + ');
    console.info(
      `[recommend.datasets] ${baskets.length} baskets, ${vocab.length} items, ${sets.length} itemsets (support ≥ 1%), ${rules.length} rules:\n` +
        rules
          .slice(0, 10)
          .map(
            (r) =>
              `  ${name(r.antecedent)} → ${name(r.consequent)}: support ${r.support.toFixed(3)}, confidence ${r.confidence.toFixed(2)}, lift ${r.lift.toFixed(2)}`,
          )
          .join('\n'),
    );
    expect(baskets.length).toBeGreaterThan(9000);
    expect(rules.length).toBeGreaterThan(3);
    expect(rules.some((r) => r.consequent.length === 1 && vocab[r.consequent[0]!] === 'Coffee')).toBe(true);
    expect(rules.every((r) => r.lift >= 1 && r.confidence >= 0.3)).toBe(true);
  });

  it('item-item beats the popularity baseline on a time split (train: first 80% of baskets)', () => {
    const cut = Math.floor(baskets.length * 0.8);
    const train = baskets.slice(0, cut);
    const cases = leaveOneOut(baskets.slice(cut));
    const pop = fitPopularity(train, vocab.length);
    const results: string[] = [];
    let better = 0;
    for (const k of [3, 5]) {
      const base = evaluateTopK(cases, (seed, kk) => recommendPopular(pop, seed, kk).map((r) => r.item), k);
      results.push(`  popularity@${k}: hit-rate ${base.hitRate.toFixed(3)}, precision ${base.precision.toFixed(3)}`);
      for (const [label, opts] of [
        ['cosine α=0.5', { similarity: 'cosine', alpha: 0.5, shrinkage: 10 }],
        ['cosine α=0.8', { similarity: 'cosine', alpha: 0.8, shrinkage: 10 }],
        ['jaccard', { similarity: 'jaccard', shrinkage: 10 }],
      ] as const) {
        const model = fitItemItem(train, vocab.length, opts);
        const m = evaluateTopK(cases, (seed, kk) => recommendItemItem(model, seed, kk).map((r) => r.item), k);
        results.push(
          `  item-item ${label} @${k}: hit-rate ${m.hitRate.toFixed(3)}, precision ${m.precision.toFixed(3)}`,
        );
        if (label === 'cosine α=0.8' && m.hitRate > base.hitRate) better++;
      }
    }
    console.info(
      `[recommend.datasets] leave-one-out on ${cases.length} cases from the last 20% of baskets:\n${results.join('\n')}`,
    );
    expect(better).toBe(2);
  });
});

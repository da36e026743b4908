/**
 * The hyperparameter search on the committed Online Shoppers sample (public/samples, 12 330
 * rows, CC BY 4.0) through the real DuckDB engine and the Classify service: the default grids
 * for the decision tree (depth) and gradient boosting (learning rate × leaves), 5-fold stratified
 * CV with seed 0 on every row (testSize 0), against scikit-learn 1.2.1's GridSearchCV on the
 * same encoding and procedure (docs/reference/classify_search_reference.py →
 * sklearn_search_reference.json). Folds are drawn by different generators, so the per-point
 * means agree to 0.01 (as the leaderboard's do) — or, for the deep trees whose fold scores
 * spread by more than 0.01 (depth 8 and 12: 0.885 / 0.800 ours vs 0.871 / 0.787), to 1.5 fold
 * std — and the best point is sklearn's or scores within 0.003 of it on our folds. Heavy (≈ 40 fits), hence a datasets test:
 * `SHOPSIGHT_DATASETS=/work/shared/datasets npx vitest run --config vitest.datasets.config.ts src/lib/ml/services/classify-search.datasets.test.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyParams } from '../../contracts/classify-api';
import type { ClassifySearchResult } from '../../contracts/classify-explain-api';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import ref from './sklearn_search_reference.json';
import { MlContext } from './context';
import { createClassifyApi } from './classify-service';

const SAMPLE = path.resolve(__dirname, '../../../../public/samples/online_shoppers_intention.csv');
const same = (a: ClassifyParams, b: Record<string, number>) =>
  Object.entries(b).every(([k, v]) => a[k as keyof ClassifyParams] === v);

describe('Classify search on Online Shoppers vs scikit-learn GridSearchCV', () => {
  let db: Db;
  const results: Record<'tree' | 'boosting', ClassifySearchResult> = {} as never;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('load', readFileSync(SAMPLE, 'utf8'), 'online_shoppers_intention.csv', {});
    const info = await engine.describe('online_shoppers_intention');
    const api = createClassifyApi(new MlContext(engineFrameSource(engine)));
    const cmp = await api.classifyCompare('shoppers', {
      table: info.name,
      target: 'Revenue',
      features: info.columns.map((c) => c.name).filter((n) => n !== 'Revenue'),
      models: ['naive_bayes'],
      folds: 5,
      seed: 0,
      testSize: 0,
    });
    for (const family of ['tree', 'boosting'] as const) {
      const started = performance.now();
      results[family] = await api.classifySearch(`search-${family}`, { comparisonId: cmp.comparisonId, family });
      console.info(
        `[classify-search.datasets] ${family}: ${results[family].candidates.length} points in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      for (const c of results[family].candidates) {
        const theirs = ref.search[family].points.find((p) => same(c.params, p.params))!;
        console.info(
          `[classify-search.datasets]   ${JSON.stringify(c.params)} ours ${c.rocAuc.mean.toFixed(4)} ± ${c.rocAuc.std.toFixed(4)}  sklearn ${theirs.mean.toFixed(4)}  fit ${(c.fitMs / 1000).toFixed(2)} s/fold`,
        );
      }
    }
  }, 1_800_000);
  afterAll(() => db?.bindings.reset());

  for (const family of ['tree', 'boosting'] as const) {
    it(`${family}: every grid point within 0.01 of scikit-learn, the best one agreeing`, () => {
      const r = results[family];
      expect(r.candidates).toHaveLength(ref.search[family].points.length);
      for (const point of ref.search[family].points) {
        const ours = r.candidates.find((c) => same(c.params, point.params))!;
        // Deep trees vary most between fold draws (fold std > 0.01): there 1.5 fold std is the bar.
        const bar = Math.max(0.01, 1.5 * Math.max(ours.rocAuc.std, point.std));
        expect(Math.abs(ours.rocAuc.mean - point.mean), JSON.stringify(point.params)).toBeLessThanOrEqual(bar);
      }
      const theirBest = r.candidates.find((c) => same(c.params, ref.search[family].best))!;
      expect(r.candidates[0]!.rocAuc.mean - theirBest.rocAuc.mean).toBeLessThanOrEqual(0.003);
    });
  }
});

/**
 * Classify's regression side on the real DuckDB engine (Node build) and TF.js on its cpu
 * backend: a synthetic table with a known linear signal (plus a category effect and holes in a
 * feature), task detection, CV beside the training-mean baseline, preprocessing fitted on
 * training rows only, the held-out evaluation, scoring into a `prediction` column, model files
 * that reload with identical predictions, cancel, and clear errors.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../contracts/data-api';
import type { RegressionApi, RegressionFamily } from '../../contracts/regression-api';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { Rng } from '../random';
import { trainTestSplit } from '../eval/split';
import { MlContext } from './context';
import { createRegressionApi } from './regression-service';

/** n rows: spend = 3·x1 − 2·x2 + 4·(segment = 'b') + 10 + noise; x2 has holes (filled with the median). */
function synthetic(n: number, seed: number, mangle?: Set<number>): string {
  const rng = new Rng(seed);
  const lines = ['id,x1,x2,segment,noise,spend,bought'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const seg = ['a', 'b', 'c'][rng.randint(3)]!;
    const spend = 3 * x1 - 2 * x2 + (seg === 'b' ? 4 : 0) + 10 + 0.3 * rng.normal();
    const noise = rng.normal().toFixed(4);
    const bought = spend > 10 ? 'yes' : 'no';
    if (mangle?.has(i)) lines.push(`r${i},${(x1 * 1e6).toFixed(2)},,zzz,${noise},${spend.toFixed(4)},${bought}`);
    else
      lines.push(
        `r${i},${x1.toFixed(4)},${i % 9 === 0 ? '' : x2.toFixed(4)},${seg},${noise},${spend.toFixed(4)},${bought}`,
      );
  }
  return lines.join('\n');
}

const FEATURES = ['x1', 'x2', 'segment', 'noise'];

describe('regression service', () => {
  let db: Db;
  let engine: DataEngine;
  let api: RegressionApi;
  let job = 0;
  const id = () => `job-${++job}`;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('l1', synthetic(300, 1), 'synth.csv', {});
    // The same rows with the held-out part (random 20 %, seed 3) mangled.
    const test = new Set(Array.from(trainTestSplit(300, 0.2, 3).test));
    await engine.loadFile('l2', synthetic(300, 1, test), 'synth_mangled.csv', {});
    await engine.loadFile('l3', 'a,b,c\n1,x,5\n2,y,5\n3,x,5\n4,y,5\n5,x,5\n6,y,5\n', 'flat.csv', {});
    api = createRegressionApi(new MlContext(engineFrameSource(engine)));
  }, 60_000);
  afterAll(() => db?.bindings.reset());

  it('detects the task from the target column, with an override', async () => {
    expect(await api.classifyDetectTask('synth', 'spend')).toMatchObject({
      task: 'regression',
      reason: 'numeric_many_values',
      numeric: true,
      distinct: 300,
    });
    expect(await api.classifyDetectTask('synth', 'bought')).toMatchObject({
      task: 'classification',
      reason: 'two_values',
      distinct: 2,
    });
    expect(await api.classifyDetectTask('synth', 'spend', 'classification')).toMatchObject({
      task: 'classification',
      reason: 'chosen',
    });
    await expect(api.classifyDetectTask('synth', 'segment', 'regression')).rejects.toMatchObject({
      code: 'non_numeric_target',
    });
    await expect(api.classifyDetectTask('synth', 'nope')).rejects.toMatchObject({ code: 'unknown_column' });
  });

  it('compares families with k-fold CV beside the training-mean baseline, with progress', async () => {
    const progress: ProgressEvent[] = [];
    const models: RegressionFamily[] = ['linear', 'ridge', 'lasso', 'tree', 'boosting', 'mlp'];
    const before = tf.memory().numTensors;
    const result = await api.regressionCompare(
      id(),
      { table: 'synth', target: 'spend', features: FEATURES, models, folds: 3, params: { boosting: { maxIter: 40 } } },
      (p) => progress.push(p),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(result.task).toBe('regression');
    expect(result.detection.reason).toBe('numeric_many_values');
    expect(result.nTrain + result.nTest).toBe(300);
    expect(result.nTest).toBe(60);
    expect(result.nEncoded).toBe(3 + 3);
    expect(result.rows.map((r) => r.family).sort()).toEqual([...models, 'baseline'].sort());
    const base = result.rows.find((r) => r.baseline)!;
    // The mean of the training folds predicts no better than the mean: R² ≤ 0, never a win.
    expect(base.metrics.r2.mean).toBeLessThanOrEqual(0);
    expect(base.metrics.r2.mean).toBeGreaterThan(-0.1);
    for (const family of ['linear', 'ridge', 'lasso'] as const) {
      const row = result.rows.find((r) => r.family === family)!;
      // x2 is missing on every 9th row (imputed with the median): R² ≈ 0.97, not 1.
      expect(row.metrics.r2.mean).toBeGreaterThan(0.95);
      expect(row.metrics.mae.mean).toBeLessThan(0.8);
      expect(row.metrics.mae.mean).toBeLessThan(base.metrics.mae.mean / 5);
      expect(row.foldR2).toHaveLength(3);
      expect(row.engine).toBe('js');
    }
    const mlp = result.rows.find((r) => r.family === 'mlp')!;
    expect(mlp.engine).toBe('cpu');
    expect(mlp.metrics.r2.mean).toBeGreaterThan(0.5);
    expect(result.rows.find((r) => r.family === 'tree')!.metrics.r2.mean).toBeGreaterThan(0.6);
    // Sorted by mean R², the best is a real model that beats the baseline.
    const r2s = result.rows.map((r) => r.metrics.r2.mean);
    expect([...r2s].sort((a, b) => b - a)).toEqual(r2s);
    expect(result.rows[0]!.baseline).toBe(false);
    expect(result.best).toBe(result.rows[0]!.family);
    expect(result.beatsBaseline).toBe(true);
    expect(result.target.mean).toBeGreaterThan(9);
    expect(progress.at(-1)).toMatchObject({ phase: 'train', done: 21, total: 21 });
    expect(progress.some((p) => p.detail === 'lasso 2/3')).toBe(true);
  }, 120_000);

  it('fits preprocessing on training rows only: mangling the held-out rows changes no CV score', async () => {
    const request = {
      target: 'spend',
      features: FEATURES,
      models: ['linear', 'tree'] as RegressionFamily[],
      folds: 4,
      seed: 3,
    };
    const a = await api.regressionCompare(id(), { ...request, table: 'synth' });
    const b = await api.regressionCompare(id(), { ...request, table: 'synth_mangled' });
    const scores = (r: typeof a) => r.rows.map((row) => [row.family, row.foldR2, row.metrics.mae.mean]);
    expect(scores(b)).toEqual(scores(a));
    const ea = await api.regressionEvaluate(id(), { comparisonId: a.comparisonId, family: 'linear' });
    const eb = await api.regressionEvaluate(id(), { comparisonId: b.comparisonId, family: 'linear' });
    expect(eb.metrics.mae).not.toBe(ea.metrics.mae);
  }, 60_000);

  it('evaluates on the test part, scores a table, and reloads every family with identical predictions', async () => {
    const families: RegressionFamily[] = ['linear', 'ridge', 'lasso', 'tree', 'forest', 'boosting', 'mlp'];
    const cmp = await api.regressionCompare(id(), {
      table: 'synth',
      target: 'spend',
      features: FEATURES,
      models: ['linear'],
      folds: 3,
    });
    const before = tf.memory().numTensors;
    const deleted: string[] = [];
    for (const family of families) {
      const ev = await api.regressionEvaluate(id(), {
        comparisonId: cmp.comparisonId,
        family,
        params: { nEstimators: 20, maxIter: 40, epochs: 60 },
      });
      expect(ev.task).toBe('regression');
      expect(ev.nTest).toBe(60);
      expect(ev.actual).toHaveLength(60);
      expect(ev.predicted).toHaveLength(60);
      expect(ev.metrics.r2).toBeGreaterThan(['tree', 'forest', 'mlp'].includes(family) ? 0.5 : 0.8);
      expect(ev.metrics.mae).toBeLessThan(ev.baseline.mae);
      expect(ev.baseline.r2).toBeLessThanOrEqual(0.05);
      // x1 carries the largest effect; the pure-noise column hardly matters.
      expect(ev.importance[0]!.feature).toBe('x1');
      expect(ev.importance.find((i) => i.feature === 'noise')!.permutation).toBeLessThan(0.03);
      if (['linear', 'ridge', 'lasso'].includes(family)) {
        // Standardised x1 (std ≈ 1) has a coefficient near 3 in target units.
        const x1 = ev.coefficients!.find((c) => c.name === 'x1')!;
        expect(x1.coef).toBeGreaterThan(2.5);
        // All three segments are one-hot columns: only their differences are identified (b − a ≈ 4).
        const coef = (name: string) => ev.coefficients!.find((c) => c.name === name)!.coef;
        expect(coef('segment=b') - coef('segment=a')).toBeGreaterThan(3.5);
        expect(coef('segment=b') - coef('segment=a')).toBeLessThan(4.5);
        expect(ev.intercept).not.toBeNull();
      } else expect(ev.coefficients).toBeNull();
      if (['tree', 'forest', 'boosting'].includes(family)) expect(ev.importance[0]!.model).toBeGreaterThan(0.2);
      const scored = await api.regressionPredict(id(), {
        modelId: ev.modelId,
        table: 'synth',
        into: `scored_${family}`,
      });
      expect(scored).toMatchObject({ table: `scored_${family}`, rows: 300, idColumns: ['id'] });
      const info = await engine.describe(`scored_${family}`);
      expect(info.derived).toEqual({ kind: 'predictions', from: 'synth' });
      expect(info.columns.map((c) => c.name)).toEqual(['id', 'prediction']);
      // Export through JSON text (a downloaded file or IndexedDB), import, score again: identical.
      const file = JSON.parse(JSON.stringify(await api.regressionExportModel(ev.modelId)));
      expect(file).toMatchObject({ format: 'shopsight-regressor', version: 1, info: { family, target: 'spend' } });
      const loaded = await api.regressionImportModel(file);
      expect(loaded.modelId).not.toBe(ev.modelId);
      await api.regressionPredict(id(), { modelId: loaded.modelId, table: 'synth', into: `rescored_${family}` });
      const a = await engine.readFrame({ table: `scored_${family}`, columns: ['prediction'] });
      const b = await engine.readFrame({ table: `rescored_${family}`, columns: ['prediction'] });
      expect(Array.from(b.columns[0]!.values as Float64Array)).toEqual(
        Array.from(a.columns[0]!.values as Float64Array),
      );
      expect(scored.mean).toBeCloseTo(
        Array.from(a.columns[0]!.values as Float64Array).reduce((s, v) => s + v, 0) / 300,
        9,
      );
      expect(await api.regressionDeleteModel(ev.modelId)).toBe(true);
      expect(await api.regressionDeleteModel(loaded.modelId)).toBe(true);
      deleted.push(ev.modelId, loaded.modelId);
    }
    // Every fitted and loaded MLP freed its weights once deleted.
    expect(tf.memory().numTensors).toBe(before);
    const left = (await api.regressionListModels()).map((m) => m.modelId);
    expect(left.filter((m) => deleted.includes(m))).toEqual([]);
  }, 180_000);

  it('says clearly what is wrong with a target, the features or a model', async () => {
    await expect(
      api.regressionCompare(id(), { table: 'synth', target: 'segment', features: ['x1'] }),
    ).rejects.toMatchObject({ code: 'non_numeric_target', params: { column: 'segment' } });
    await expect(api.regressionCompare(id(), { table: 'flat', target: 'c', features: ['a'] })).rejects.toMatchObject({
      code: 'constant_target',
    });
    await expect(api.regressionCompare(id(), { table: 'synth', target: 'spend', features: [] })).rejects.toMatchObject({
      code: 'no_usable_features',
    });
    await expect(
      api.regressionCompare(id(), { table: 'synth', target: 'spend', features: ['x1'], folds: 200 }),
    ).rejects.toMatchObject({ code: 'too_few_rows', params: { folds: 200 } });
    await expect(api.regressionEvaluate(id(), { comparisonId: 'rcmp-999' })).rejects.toMatchObject({
      code: 'unknown_comparison',
    });
    await expect(api.regressionPredict(id(), { modelId: 'nope', table: 'synth' })).rejects.toMatchObject({
      code: 'unknown_model',
    });
    await expect(api.regressionImportModel({} as never)).rejects.toMatchObject({ code: 'bad_model' });
  }, 60_000);

  it('cancels a comparison between folds and trees, leaving no tensor behind', async () => {
    const context = new MlContext(engineFrameSource(engine));
    const local = createRegressionApi(context);
    const before = tf.memory().numTensors;
    const running = local.regressionCompare(
      'cancel-me',
      { table: 'synth', target: 'spend', features: FEATURES, models: ['forest', 'mlp'], folds: 5 },
      (p) => {
        if (p.detail?.startsWith('forest 2')) context.jobs.cancel('cancel-me');
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(context.jobs.running).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});

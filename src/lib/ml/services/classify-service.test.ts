/**
 * Classify on the real DuckDB engine (Node build) and TF.js on its cpu backend: a synthetic
 * table with a known signal, and a 1 500-row slice of the committed Online Shoppers sample
 * (public/samples, CC BY 4.0).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../contracts/data-api';
import type { ClassifyApi } from '../../contracts/classify-api';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Db } from '../../data/db';
import { DataEngine, engineFrameSource } from '../../data/engine';
import { bufferRegistrar } from '../../data/ingest/registrar';
import { Rng } from '../random';
import { stratifiedSplit } from '../eval/split';
import { MlContext } from './context';
import { createClassifyApi } from './classify-service';

/** n rows: label = 1 when 2·x1 − x2 + (segment = 'b') + noise > 0.8; x2 has holes. */
function synthetic(n: number, seed: number, mutateRows?: Set<number>): string {
  const rng = new Rng(seed);
  const lines = ['id,x1,x2,segment,noise,label'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const seg = ['a', 'b', 'c'][rng.randint(3)]!;
    const z = 2 * x1 - x2 + (seg === 'b' ? 1 : 0) + 0.5 * rng.normal();
    const label = z > 0.8 ? 'yes' : 'no';
    const noise = rng.normal().toFixed(4);
    if (mutateRows?.has(i)) {
      // Held-out rows with wild values and an unseen category: must not change the CV results.
      lines.push(`c${i},${(x1 * 1e6).toFixed(2)},,zzz,${noise},${label}`);
    } else lines.push(`c${i},${x1.toFixed(4)},${i % 9 === 0 ? '' : x2.toFixed(4)},${seg},${noise},${label}`);
  }
  return lines.join('\n');
}

const FEATURES = ['x1', 'x2', 'segment', 'noise'];

describe('classify service', () => {
  let db: Db;
  let engine: DataEngine;
  let api: ClassifyApi;
  let job = 0;
  const id = () => `job-${++job}`;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('l1', synthetic(400, 1), 'synth.csv', {});
    const labels = synthetic(400, 1)
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').at(-1));
    // The same rows, but the held-out test part (the service's split: stratified, 20 %, seed 3) mangled.
    const codes = labels.map((l) => (l === 'yes' ? 1 : 0));
    const test = new Set(Array.from(stratifiedSplit(codes, 0.2, 3).test));
    await engine.loadFile('l2', synthetic(400, 1, test), 'synth_mangled.csv', {});
    await engine.loadFile('l3', 'a,b\n1,x\n2,x\n3,x\n', 'one_class.csv', {});
    await engine.loadFile('l4', 'a,t\n1,no\n2,no\n3,no\n4,yes\n5,no\n6,yes\n7,no\n8,no\n', 'tiny.csv', {});
    api = createClassifyApi(new MlContext(engineFrameSource(engine)));
  }, 60_000);
  afterAll(() => db?.bindings.reset());

  it('compares families with CV beside the baseline, with progress', async () => {
    const progress: ProgressEvent[] = [];
    const result = await api.classifyCompare(
      id(),
      { table: 'synth', target: 'label', features: FEATURES, models: ['logistic', 'tree', 'naive_bayes'], folds: 3 },
      (p) => progress.push(p),
    );
    // DuckDB reads yes/no as a boolean column.
    expect(result.classes).toEqual(['false', 'true']);
    expect(result.nTrain + result.nTest).toBe(400);
    expect(result.nTest).toBe(80);
    expect(result.nEncoded).toBe(3 + 3);
    expect(result.rows.map((r) => r.family).sort()).toEqual(['baseline', 'logistic', 'naive_bayes', 'tree']);
    const base = result.rows.find((r) => r.baseline)!;
    expect(base.metrics.rocAuc.mean).toBe(0.5);
    const lr = result.rows.find((r) => r.family === 'logistic')!;
    expect(lr.metrics.rocAuc.mean).toBeGreaterThan(0.9);
    expect(lr.foldRocAuc).toHaveLength(3);
    expect(lr.engine).toBe('cpu');
    expect(result.rows[0]!.baseline).toBe(false);
    expect(result.beatsBaseline).toBe(true);
    expect(result.best).toBe(result.rows[0]!.family);
    expect(progress.at(-1)).toMatchObject({ phase: 'train', done: 12, total: 12 });
    expect(progress.some((p) => p.detail === 'tree 2/3')).toBe(true);
  }, 60_000);

  it('fits preprocessing on training rows only: mangling the held-out rows changes no CV score', async () => {
    const request = {
      target: 'label',
      features: FEATURES,
      models: ['tree', 'naive_bayes'] as const,
      folds: 4,
      seed: 3,
    };
    const a = await api.classifyCompare(id(), { ...request, models: [...request.models], table: 'synth' });
    const b = await api.classifyCompare(id(), { ...request, models: [...request.models], table: 'synth_mangled' });
    const scores = (r: typeof a) => r.rows.map((row) => [row.family, row.foldRocAuc, row.metrics.logLoss.mean]);
    expect(scores(b)).toEqual(scores(a));
    // … while the test part did change (the unseen category and outliers are really there).
    const ea = await api.classifyEvaluate(id(), { comparisonId: a.comparisonId, family: 'naive_bayes' });
    const eb = await api.classifyEvaluate(id(), { comparisonId: b.comparisonId, family: 'naive_bayes' });
    expect(eb.metrics.logLoss).not.toBe(ea.metrics.logLoss);
  }, 60_000);

  it('evaluates on the test part, scores a table, and reloads a model with identical predictions', async () => {
    const cmp = await api.classifyCompare(id(), {
      table: 'synth',
      target: 'label',
      features: FEATURES,
      models: ['forest', 'logistic', 'svm'],
      folds: 3,
      params: { forest: { nEstimators: 20 } },
    });
    // The linear SVM (Platt-calibrated) ranks as well as logistic regression on a linear signal.
    const svmRow = cmp.rows.find((r) => r.family === 'svm')!;
    expect(svmRow.engine).toBe('cpu');
    expect(svmRow.metrics.rocAuc.mean).toBeGreaterThan(0.85);
    expect(Number.isFinite(svmRow.metrics.logLoss.mean)).toBe(true);
    expect(svmRow.metrics.logLoss.mean).toBeLessThan(cmp.rows.find((r) => r.baseline)!.metrics.logLoss.mean);
    for (const family of ['forest', 'logistic', 'svm'] as const) {
      const ev = await api.classifyEvaluate(id(), {
        comparisonId: cmp.comparisonId,
        family,
        params: family === 'forest' ? { nEstimators: 20 } : {},
      });
      expect(ev.nTest).toBe(80);
      expect(ev.metrics.rocAuc).toBeGreaterThan(0.85);
      expect(ev.baseline.rocAuc).toBe(0.5);
      expect(ev.roc.fpr[0]).toBe(0);
      expect(ev.roc.tpr.at(-1)).toBe(1);
      expect(ev.gain).toHaveLength(10);
      expect(ev.gain.at(-1)!.gain).toBe(1);
      expect(ev.calibration.counts.reduce((s, c) => s + c, 0)).toBe(80);
      expect(ev.yTest).toHaveLength(80);
      // x1 carries the signal; the pure-noise column hardly matters.
      expect(ev.importance[0]!.feature).toBe('x1');
      expect(ev.importance.find((i) => i.feature === 'noise')!.permutation).toBeLessThan(0.05);
      if (family === 'forest') {
        expect(ev.importance[0]!.model).toBeGreaterThan(0.2);
        expect(ev.coefficients).toBeNull();
      } else {
        expect(ev.coefficients![0]!.name).toBe('x1');
        expect(ev.coefficients![0]!.oddsRatio).toBeCloseTo(Math.exp(ev.coefficients![0]!.coef), 12);
        expect(ev.coefficients![0]!.coef).toBeGreaterThan(0);
        // Linear explanations: bias + Σ contributions is the logit of the row's probability.
        expect(ev.explainable).toBe(true);
        const why = await api.classifyExplainRow({ modelId: ev.modelId });
        expect(why.units).toBe('log-odds');
        expect(why.bias + why.contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(why.raw, 9);
        expect(why.probability).toBeCloseTo(1 / (1 + Math.exp(-why.raw)), 12);
        expect(why.probability).toBeCloseTo(Math.max(...Array.from(ev.scoreTest)), 5);
      }
      const scored = await api.classifyPredict(id(), { modelId: ev.modelId, table: 'synth', into: `scored_${family}` });
      expect(scored).toMatchObject({ rows: 400, idColumns: ['id'] });
      const info = await engine.describe(`scored_${family}`);
      expect(info.derived).toEqual({ kind: 'predictions', from: 'synth' });
      expect(info.columns.map((c) => c.name)).toEqual(['id', 'probability', 'predicted_label']);
      // Export through JSON text (a downloaded file), import, score again: identical probabilities.
      const file = JSON.parse(JSON.stringify(await api.classifyExportModel(ev.modelId)));
      const loaded = await api.classifyImportModel(file);
      expect(loaded.modelId).not.toBe(ev.modelId);
      await api.classifyPredict(id(), { modelId: loaded.modelId, table: 'synth', into: `rescored_${family}` });
      const before = await engine.readFrame({ table: `scored_${family}`, columns: ['probability'] });
      const after = await engine.readFrame({ table: `rescored_${family}`, columns: ['probability'] });
      expect(Array.from(after.columns[0]!.values as Float64Array)).toEqual(
        Array.from(before.columns[0]!.values as Float64Array),
      );
    }
    const listed = await api.classifyListModels();
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(await api.classifyDeleteModel(listed[0]!.modelId)).toBe(true);
    expect((await api.classifyListModels()).length).toBe(listed.length - 1);
  }, 120_000);

  it('says clearly what is wrong with a target or the features', async () => {
    await expect(api.classifyCompare(id(), { table: 'one_class', target: 'b', features: ['a'] })).rejects.toMatchObject(
      { code: 'single_class_target' },
    );
    await expect(api.classifyCompare(id(), { table: 'synth', target: 'label', features: [] })).rejects.toMatchObject({
      code: 'no_usable_features',
    });
    await expect(
      api.classifyCompare(id(), { table: 'synth', target: 'label', features: ['label'] }),
    ).rejects.toMatchObject({ code: 'no_usable_features' });
    await expect(
      api.classifyCompare(id(), { table: 'synth', target: 'segment', features: ['x1'] }),
    ).rejects.toMatchObject({ code: 'multiclass_target' });
    await expect(
      api.classifyCompare(id(), { table: 'tiny', target: 't', features: ['a'], folds: 5, testSize: 0.25 }),
    ).rejects.toMatchObject({ code: 'too_few_rows_per_class', params: { folds: 5 } });
    await expect(api.classifyPredict(id(), { modelId: 'nope', table: 'synth' })).rejects.toMatchObject({
      code: 'unknown_model',
    });
    await expect(api.classifyImportModel({} as never)).rejects.toMatchObject({ code: 'bad_model' });
  }, 60_000);

  it('cancels between folds and trees', async () => {
    const context = new MlContext(engineFrameSource(engine));
    const local = createClassifyApi(context);
    const running = local.classifyCompare(
      'cancel-me',
      { table: 'synth', target: 'label', features: FEATURES, models: ['forest'], folds: 5 },
      (p) => {
        if (p.detail?.startsWith('forest')) context.jobs.cancel('cancel-me');
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(context.jobs.running).toEqual([]);
  }, 60_000);

  it('a cancelled MLP comparison leaves no TF.js tensor behind', async () => {
    const context = new MlContext(engineFrameSource(engine));
    const local = createClassifyApi(context);
    const before = tf.memory().numTensors;
    let seenTraining = false;
    const running = local.classifyCompare(
      'cancel-mlp',
      { table: 'synth', target: 'label', features: FEATURES, models: ['mlp'], folds: 3 },
      (p) => {
        // Cancel once the MLP is inside its epochs (a fraction of a fold reported).
        if (p.detail?.startsWith('mlp') && p.done % 1 > 0 && !seenTraining) {
          seenTraining = true;
          context.jobs.cancel('cancel-mlp');
        }
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(seenTraining).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('reaches a sensible AUC on a slice of the committed Online Shoppers sample', async () => {
    const text = readFileSync(path.resolve(process.cwd(), 'public/samples/online_shoppers_intention.csv'), 'utf8');
    await engine.loadFile('l5', text.split('\n').slice(0, 1501).join('\n'), 'shoppers_slice.csv', {});
    const info = await engine.describe('shoppers_slice');
    const features = info.columns.map((c) => c.name).filter((n) => n !== 'Revenue');
    const cmp = await api.classifyCompare(id(), {
      table: 'shoppers_slice',
      target: 'Revenue',
      features,
      models: ['boosting', 'naive_bayes'],
      folds: 3,
      params: { boosting: { maxIter: 30 } },
    });
    expect(cmp.classes).toEqual(['false', 'true']);
    const hgb = cmp.rows.find((r) => r.family === 'boosting')!;
    expect(hgb.metrics.rocAuc.mean).toBeGreaterThan(0.85);
    expect(cmp.beatsBaseline).toBe(true);
  }, 120_000);
});

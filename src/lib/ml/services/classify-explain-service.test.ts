/**
 * Classify's explanations and search through the service, on the real DuckDB engine (Node
 * build, `engineFrameSource`) and TF.js on its cpu backend: partial dependence in the
 * evaluation, per-row explanations whose parts add up to the held-out score, reason columns
 * that agree with them, the search job (its default point reproduces the leaderboard's score on
 * the same folds; progress; cancel) and "evaluate with the best parameters".
 */
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
function synthetic(n: number, seed: number): { csv: string; labels: number[] } {
  const rng = new Rng(seed);
  const lines = ['id,x1,x2,segment,noise,label'];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const seg = ['a', 'b', 'c'][rng.randint(3)]!;
    const z = 2 * x1 - x2 + (seg === 'b' ? 1 : 0) + 0.5 * rng.normal();
    labels.push(z > 0.8 ? 1 : 0);
    const noise = rng.normal().toFixed(4);
    lines.push(`c${i},${x1.toFixed(4)},${i % 9 === 0 ? '' : x2.toFixed(4)},${seg},${noise},${z > 0.8 ? 'yes' : 'no'}`);
  }
  return { csv: lines.join('\n'), labels };
}

const FEATURES = ['x1', 'x2', 'segment', 'noise'];

describe('classify explanations and search (service)', () => {
  let db: Db;
  let engine: DataEngine;
  let context: MlContext;
  let api: ClassifyApi;
  let job = 0;
  const id = () => `xjob-${++job}`;
  const { csv, labels } = synthetic(400, 1);
  // The service's split: stratified, 20 %, the setup's seed (0).
  const testRows = Array.from(stratifiedSplit(Int32Array.from(labels), 0.2, 0).test);
  let comparisonId = '';

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    await engine.loadFile('x1', csv, 'synth.csv', {});
    context = new MlContext(engineFrameSource(engine));
    api = createClassifyApi(context);
    const cmp = await api.classifyCompare(id(), {
      table: 'synth',
      target: 'label',
      features: FEATURES,
      models: ['logistic', 'tree', 'naive_bayes'],
      folds: 3,
    });
    comparisonId = cmp.comparisonId;
  }, 120_000);
  afterAll(() => db?.bindings.reset());

  it('evaluates with partial dependence of the top features on the held-out rows', async () => {
    const ev = await api.classifyEvaluate(id(), { comparisonId, family: 'logistic' });
    expect(ev.explainable).toBe(true);
    const pd = ev.partialDependence!;
    expect(pd.length).toBe(4);
    expect(pd.map((c) => c.feature)).toEqual(ev.importance.slice(0, 4).map((i) => i.feature));
    const x1 = pd.find((c) => c.feature === 'x1')!;
    expect(x1.kind).toBe('number');
    expect(x1.grid).toHaveLength(20);
    // The held-out x1 values bound the 5 %–95 % grid.
    const values = csv
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[1]));
    const held = testRows.map((r) => values[r]!).sort((a, b) => a - b);
    expect(x1.grid[0] as number).toBeGreaterThan(held[0]!);
    expect(x1.grid[19] as number).toBeLessThan(held.at(-1)!);
    // A logistic model is monotone in each feature: P rises with x1 (coefficient +), steeply.
    for (let i = 1; i < 20; i++) expect(x1.average[i]!).toBeGreaterThan(x1.average[i - 1]!);
    expect(x1.average[19]! - x1.average[0]!).toBeGreaterThan(0.5);
    const seg = pd.find((c) => c.feature === 'segment');
    if (seg) {
      expect(seg.kind).toBe('category');
      expect(seg.grid).toEqual(['a', 'b', 'c']);
      // segment = b adds +1 to the true logit.
      expect(seg.average[1]!).toBeGreaterThan(seg.average[0]!);
    }
  }, 120_000);

  it('explains a held-out row: bias + Σ contributions = the held-out score; the default row is the top-scored', async () => {
    for (const family of ['logistic', 'tree'] as const) {
      const ev = await api.classifyEvaluate(id(), { comparisonId, family });
      const top = await api.classifyExplainRow({ modelId: ev.modelId });
      let best = 0;
      ev.scoreTest.forEach((s, i) => (s > ev.scoreTest[best]! ? (best = i) : undefined));
      expect(top.row).toBe(best);
      for (const row of [top.row, 0, 17]) {
        const e = await api.classifyExplainRow({ modelId: ev.modelId, row });
        expect(e.contributions.map((c) => c.feature).sort()).toEqual([...FEATURES].sort());
        const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
        expect(e.bias + sum).toBeCloseTo(e.raw, 10);
        expect(e.probability).toBeCloseTo(ev.scoreTest[row]!, 5);
        expect(e.units).toBe(family === 'logistic' ? 'log-odds' : 'probability');
        expect(e.actual).toBe(ev.yTest[row] ? 'true' : 'false');
        for (let k = 1; k < e.contributions.length; k++) {
          expect(Math.abs(e.contributions[k - 1]!.contribution)).toBeGreaterThanOrEqual(
            Math.abs(e.contributions[k]!.contribution),
          );
        }
        // The row's raw values come along (x2 is missing on every 9th table row).
        const x2 = e.contributions.find((c) => c.feature === 'x2')!;
        if (testRows[row]! % 9 === 0) expect(x2.value).toBeNull();
        else expect(typeof x2.value).toBe('number');
      }
      await expect(api.classifyExplainRow({ modelId: ev.modelId, row: ev.nTest })).rejects.toMatchObject({
        code: 'explain_bad_row',
      });
    }
    const nb = await api.classifyEvaluate(id(), { comparisonId, family: 'naive_bayes' });
    expect(nb.explainable).toBe(false);
    await expect(api.classifyExplainRow({ modelId: nb.modelId })).rejects.toMatchObject({
      code: 'explain_unsupported',
      params: { family: 'naive_bayes' },
    });
    await expect(
      api.classifyPredict(id(), { modelId: nb.modelId, table: 'synth', explain: true }),
    ).rejects.toMatchObject({ code: 'explain_unsupported' });
  }, 180_000);

  it('writes the top 3 reasons per row when scoring, agreeing with the row explanation; kept through export', async () => {
    const ev = await api.classifyEvaluate(id(), { comparisonId, family: 'logistic' });
    const scored = await api.classifyPredict(id(), {
      modelId: ev.modelId,
      table: 'synth',
      into: 'synth_reasons',
      explain: true,
    });
    expect(scored.reasonColumns).toEqual(['reason_1', 'reason_2', 'reason_3']);
    const info = await engine.describe('synth_reasons');
    expect(info.columns.map((c) => c.name)).toEqual([
      'id',
      'probability',
      'predicted_label',
      'reason_1',
      'reason_2',
      'reason_3',
    ]);
    const frame = await engine.readFrame({ table: 'synth_reasons', columns: ['reason_1', 'reason_2', 'probability'] });
    const r1 = frame.columns[0]!.values as (string | null)[];
    const r2 = frame.columns[1]!.values as (string | null)[];
    for (const row of [0, 5, 40]) {
      const e = await api.classifyExplainRow({ modelId: ev.modelId, row });
      const text = (k: number) => {
        const c = e.contributions[k]!;
        return `${c.feature} (${c.contribution >= 0 ? '+' : '-'}${Math.abs(c.contribution).toFixed(2)})`;
      };
      expect(r1[testRows[row]!]).toBe(text(0));
      expect(r2[testRows[row]!]).toBe(text(1));
    }
    expect(r1.every((r) => r !== null && /^[a-z0-9]+ \([+-]\d+\.\d\d\)$/.test(r))).toBe(true);
    // A model file keeps the training means: the imported model explains identically.
    const file = JSON.parse(JSON.stringify(await api.classifyExportModel(ev.modelId)));
    expect(file.encodedMeans).toHaveLength(6);
    const loaded = await api.classifyImportModel(file);
    await api.classifyPredict(id(), { modelId: loaded.modelId, table: 'synth', into: 'synth_reasons2', explain: true });
    const again = await engine.readFrame({ table: 'synth_reasons2', columns: ['reason_1'] });
    expect(again.columns[0]!.values).toEqual(r1);
    await expect(api.classifyExplainRow({ modelId: loaded.modelId })).rejects.toMatchObject({
      code: 'explain_no_held_out',
    });
  }, 120_000);

  it('searches a grid on the comparison folds: the default point scores what the leaderboard said', async () => {
    const cmp = await api.classifyCompare(id(), {
      table: 'synth',
      target: 'label',
      features: FEATURES,
      models: ['tree'],
      folds: 3,
    });
    const progress: ProgressEvent[] = [];
    const result = await api.classifySearch(
      id(),
      { comparisonId: cmp.comparisonId, family: 'tree', space: { maxDepth: [1, 6] } },
      (p) => progress.push(p),
    );
    expect(result.candidates).toHaveLength(2);
    expect(result.folds).toBe(3);
    expect(result.mode).toBe('grid');
    expect(result.candidates[0]!.rocAuc.mean).toBeGreaterThanOrEqual(result.candidates[1]!.rocAuc.mean);
    expect(result.best).toEqual(result.candidates[0]!.params);
    const depth6 = result.candidates.find((c) => c.params.maxDepth === 6)!;
    const leaderboard = cmp.rows.find((r) => r.family === 'tree')!;
    // Same folds, same preprocessing per fold, same default depth: the same numbers.
    expect(depth6.rocAuc.mean).toBeCloseTo(leaderboard.metrics.rocAuc.mean, 12);
    expect(depth6.foldRocAuc).toEqual(leaderboard.foldRocAuc);
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6 });
    expect(progress.some((p) => p.detail === 'tree 2/2')).toBe(true);
    // Depth 1 is a single split: worse than depth 6 on this signal.
    expect(result.best).toEqual({ maxDepth: 6 });
    // Use the best parameters for the held-out evaluation.
    const ev = await api.classifyEvaluate(id(), {
      comparisonId: cmp.comparisonId,
      family: 'tree',
      params: result.best,
    });
    expect(ev.metrics.rocAuc).toBeGreaterThan(ev.baseline.rocAuc);
  }, 120_000);

  it('searches C of the linear SVM: C = 1 is its default and scores what the leaderboard said', async () => {
    const cmp = await api.classifyCompare(id(), {
      table: 'synth',
      target: 'label',
      features: FEATURES,
      models: ['svm'],
      folds: 3,
    });
    const result = await api.classifySearch(id(), {
      comparisonId: cmp.comparisonId,
      family: 'svm',
      space: { C: [0.001, 1] },
    });
    expect(result.candidates).toHaveLength(2);
    const c1 = result.candidates.find((c) => c.params.C === 1)!;
    expect(c1.foldRocAuc).toEqual(cmp.rows.find((r) => r.family === 'svm')!.foldRocAuc);
    await expect(
      api.classifySearch(id(), { comparisonId: cmp.comparisonId, family: 'svm', space: { k: [3] } }),
    ).rejects.toMatchObject({ code: 'bad_search', params: { param: 'k' } });
  }, 120_000);

  it('random search draws distinct points; bad requests say what is wrong; a search cancels', async () => {
    const random = await api.classifySearch(id(), {
      comparisonId,
      family: 'logistic',
      mode: 'random',
      nIter: 3,
      seed: 4,
    });
    expect(random.candidates).toHaveLength(3);
    expect(new Set(random.candidates.map((c) => c.params.C)).size).toBe(3);
    random.candidates.forEach((c) => expect([0.01, 0.1, 1, 10]).toContain(c.params.C));
    await expect(api.classifySearch(id(), { comparisonId, family: 'mlp' as never })).rejects.toMatchObject({
      code: 'bad_search',
    });
    await expect(api.classifySearch(id(), { comparisonId, family: 'tree', space: { k: [3] } })).rejects.toMatchObject({
      code: 'bad_search',
      params: { param: 'k' },
    });
    await expect(api.classifySearch(id(), { comparisonId: 'gone', family: 'tree' })).rejects.toMatchObject({
      code: 'unknown_comparison',
    });
    const before = tf.memory().numTensors;
    const running = api.classifySearch('cancel-search', { comparisonId, family: 'logistic' }, (p) => {
      if (p.done >= 1) context.jobs.cancel('cancel-search');
    });
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(context.jobs.running).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});

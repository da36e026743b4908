/**
 * The Classify embed methods end to end: host calls through the bridge, the real data engine
 * (DuckDB-WASM Node build) and the real Classify service (TF.js on cpu): compare, evaluate,
 * train, predict into a new table, listModels, cancel by a host-chosen job id, bad params.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import { DataEngine, engineFrameSource } from '../data/engine';
import { bufferRegistrar } from '../data/ingest/registrar';
import { MlContext } from '../ml/services/context';
import { createClassifyApi } from '../ml/services/classify-service';
import { createRegressionApi } from '../ml/services/regression-service';
import { Rng } from '../ml/random';
import type { EmbedBackend } from './methods';
import { startEmbedBridge } from './host-bridge';
import type { EmbedReply } from './protocol';
import { FakeWindow, HOST_ORIGIN, standInBackend } from './test-fakes';
import { engineDataBackend } from './test-engine-backend';

function customers(n: number): string {
  const rng = new Rng(5);
  const lines = ['customer_id,visits,channel,bought'];
  for (let i = 0; i < n; i++) {
    const visits = rng.normal();
    const channel = ['ads', 'mail'][rng.randint(2)]!;
    const z = 2 * visits + (channel === 'ads' ? 0.8 : 0) + 0.5 * rng.normal();
    lines.push(`C${i},${visits.toFixed(3)},${channel},${z > 0.5 ? 1 : 0}`);
  }
  return lines.join('\n');
}

describe('Classify embed methods over the real engine and service', () => {
  let db: Db;
  let win: FakeWindow;
  let nextId = 0;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    win = new FakeWindow();
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    const context = new MlContext(engineFrameSource(engine));
    const api = createClassifyApi(context);
    const reg = createRegressionApi(context);
    const backend: EmbedBackend = {
      ...standInBackend(),
      ...engineDataBackend(engine),
      classify: {
        compare: (jobId, request, onProgress) => api.classifyCompare(jobId, request, onProgress),
        evaluate: (jobId, request, onProgress) => api.classifyEvaluate(jobId, request, onProgress),
        predict: (jobId, request, onProgress) => api.classifyPredict(jobId, request, onProgress),
        listModels: () => api.classifyListModels(),
        cancel: async (jobId) => context.jobs.cancel(jobId),
        search: (jobId, request, onProgress) => api.classifySearch(jobId, request, onProgress),
        regression: {
          detectTask: (table, target, choice) => reg.classifyDetectTask(table, target, choice),
          compare: (jobId, request, onProgress) => reg.regressionCompare(jobId, request, onProgress),
          evaluate: (jobId, request, onProgress) => reg.regressionEvaluate(jobId, request, onProgress),
          predict: (jobId, request, onProgress) => reg.regressionPredict(jobId, request, onProgress),
          listModels: () => reg.regressionListModels(),
          cancel: async (jobId) => context.jobs.cancel(jobId),
        },
      },
    };
    startEmbedBridge({ window: win, backend, allowList: [HOST_ORIGIN], version: 'test' });
  }, 60_000);
  afterAll(() => db?.bindings.reset());

  function send(method: string, params: Record<string, unknown> = {}): () => Promise<EmbedReply> {
    const id = `c${++nextId}`;
    win.call(id, method, params);
    return async () => {
      for (let i = 0; i < 3000 && win.parent.repliesTo(id).length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const reply = win.parent.repliesTo(id)[0];
      if (!reply) throw new Error(`no reply to ${method}`);
      return reply.message;
    };
  }
  const call = (method: string, params: Record<string, unknown> = {}) => send(method, params)();
  const ok = async (method: string, params: Record<string, unknown> = {}) => {
    const reply = await call(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result as Record<string, unknown>;
  };

  it('compares, evaluates, trains, predicts and lists models', async () => {
    await ok('loadTable', { fileName: 'customers.csv', data: customers(300) });
    const cmp = await ok('compareModels', {
      table: 'customers',
      target: 'bought',
      models: ['tree', 'logistic'],
      folds: 3,
      jobId: 'host-cmp-1',
    });
    expect(cmp.jobId).toBe('host-cmp-1');
    const rows = cmp.rows as { family: string; baseline: boolean }[];
    expect(rows.map((r) => r.family).sort()).toEqual(['baseline', 'logistic', 'tree']);
    // Features default to the candidate columns: the id column is left out.
    expect((cmp.setup as { features: string[] }).features).toEqual(['visits', 'channel']);

    const ev = await ok('evaluate', { comparisonId: cmp.comparisonId, model: 'tree' });
    expect(ev).toMatchObject({ family: 'tree', nTest: 60 });
    expect(ev).not.toHaveProperty('yTest');
    expect((ev.metrics as { rocAuc: number }).rocAuc).toBeGreaterThan(0.8);

    const trained = await ok('train', { table: 'customers', target: 'bought', model: 'naive_bayes', name: 'nb' });
    expect(trained).toMatchObject({ family: 'naive_bayes', name: 'nb' });

    const scored = await ok('predict', { modelId: trained.modelId, table: 'customers', into: 'customers_scored' });
    expect(scored).toMatchObject({ table: 'customers_scored', rows: 300, idColumns: ['customer_id'] });
    const models = (await ok('listModels')) as unknown as { modelId: string }[];
    expect(models.map((m) => m.modelId)).toEqual([ev.modelId, trained.modelId]);
  }, 120_000);

  it('runs a regression for a numeric target: compare, evaluate, train, predict, listModels', async () => {
    const cmp = await ok('compareModels', {
      table: 'customers',
      target: 'visits',
      features: ['channel', 'bought'],
      models: ['linear', 'lasso', 'tree'],
      folds: 3,
      jobId: 'host-reg-1',
    });
    expect(cmp).toMatchObject({
      task: 'regression',
      jobId: 'host-reg-1',
      detection: { reason: 'numeric_many_values' },
    });
    const rows = cmp.rows as { family: string; baseline: boolean; metrics: { r2: { mean: number } } }[];
    expect(rows.map((r) => r.family).sort()).toEqual(['baseline', 'lasso', 'linear', 'tree']);
    expect(rows[0]!.metrics.r2.mean).toBeGreaterThan(0.3);
    const ev = await ok('evaluate', { comparisonId: cmp.comparisonId, model: 'linear' });
    expect(ev).toMatchObject({ task: 'regression', family: 'linear', nTest: 60 });
    expect(ev).not.toHaveProperty('actual');
    expect((ev.metrics as { r2: number }).r2).toBeGreaterThan(0.3);
    expect(ev.coefficients).not.toBeNull();
    const trained = await ok('train', { table: 'customers', target: 'visits', model: 'boosting', task: 'regression' });
    expect(trained).toMatchObject({ task: 'regression', family: 'boosting' });
    const scored = await ok('predict', { modelId: trained.modelId, table: 'customers', into: 'visits_scored' });
    expect(scored).toMatchObject({ table: 'visits_scored', rows: 300, idColumns: ['customer_id'] });
    const tables = (await ok('listTables')) as unknown as { name: string; columns: { name: string }[] }[];
    expect(tables.find((t) => t.name === 'visits_scored')!.columns.map((c) => c.name)).toEqual([
      'customer_id',
      'prediction',
    ]);
    const models = (await ok('listModels')) as unknown as { modelId: string; task?: string }[];
    expect(models.filter((m) => m.task === 'regression').map((m) => m.modelId)).toEqual([ev.modelId, trained.modelId]);
  }, 120_000);

  it('cancels a running comparison by its job id', async () => {
    await ok('loadTable', { fileName: 'big.csv', data: customers(2000) });
    const running = send('compareModels', { table: 'big', target: 'bought', models: ['forest'], jobId: 'host-cancel' });
    let cancelled = false;
    for (let i = 0; i < 200 && !cancelled; i++) {
      cancelled = ((await ok('cancel', { jobId: 'host-cancel' })) as { cancelled: boolean }).cancelled;
      if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(cancelled).toBe(true);
    const reply = await running();
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('cancelled');
    expect(await ok('cancel', { jobId: 'host-cancel' })).toEqual({ jobId: 'host-cancel', cancelled: false });
  }, 120_000);

  it('rejects bad params without running anything', async () => {
    const bad = await call('compareModels', { table: 'customers', target: 'bought', models: ['magic'] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ code: 'bad_params', params: { param: 'models' } });
    const badJob = await call('train', { table: 'customers', target: 'bought', jobId: 'has space' });
    if (!badJob.ok) expect(badJob.error).toMatchObject({ code: 'bad_params', params: { param: 'jobId' } });
    expect(badJob.ok).toBe(false);
    // A numeric target forced to classification: too many classes (auto would run a regression).
    const single = await call('compareModels', {
      table: 'customers',
      target: 'visits',
      features: ['channel'],
      task: 'classification',
    });
    expect(single.ok).toBe(false);
    if (!single.ok) expect(single.error.code).toBe('multiclass_target');
    const badTask = await call('compareModels', { table: 'customers', target: 'visits', task: 'guess' });
    if (!badTask.ok) expect(badTask.error).toMatchObject({ code: 'bad_params', params: { param: 'task' } });
    expect(badTask.ok).toBe(false);
    const wrongFamily = await call('compareModels', { table: 'customers', target: 'visits', models: ['naive_bayes'] });
    expect(wrongFamily.ok).toBe(false);
    if (!wrongFamily.ok) expect(wrongFamily.error.code).toBe('model_not_for_task');
  }, 60_000);
});

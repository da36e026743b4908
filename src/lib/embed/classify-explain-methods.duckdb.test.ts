/**
 * The embed `search` method and `predict`'s `explain` option end to end: host calls through
 * the bridge, the real data engine (DuckDB-WASM Node build) and the real Classify service
 * (TF.js on cpu): a search on a comparison, its best params passed to `evaluate`, reason
 * columns in the scored table, and bad params refused before anything runs.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDb } from '../../test/duckdb-node';
import type { Db } from '../data/db';
import { DataEngine, engineFrameSource } from '../data/engine';
import { bufferRegistrar } from '../data/ingest/registrar';
import { MlContext } from '../ml/services/context';
import { createClassifyApi } from '../ml/services/classify-service';
import { Rng } from '../ml/random';
import type { EmbedBackend } from './methods';
import { startEmbedBridge } from './host-bridge';
import type { EmbedReply } from './protocol';
import { FakeWindow, HOST_ORIGIN, fakeBackend } from './test-fakes';

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

describe('Classify search and explanations over the embed bridge', () => {
  let db: Db;
  let win: FakeWindow;
  let nextId = 0;
  let engine: DataEngine;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    db = await createNodeDb();
    win = new FakeWindow();
    engine = new DataEngine(db, bufferRegistrar(db.bindings));
    const context = new MlContext(engineFrameSource(engine));
    const api = createClassifyApi(context);
    const backend: EmbedBackend = {
      ...fakeBackend(),
      loadFile: (source, fileName, options, onProgress) =>
        engine.loadFile(`l${++nextId}`, source, fileName, options, onProgress),
      listTables: () => engine.listTables(),
      classify: {
        compare: (jobId, request, onProgress) => api.classifyCompare(jobId, request, onProgress),
        evaluate: (jobId, request, onProgress) => api.classifyEvaluate(jobId, request, onProgress),
        predict: (jobId, request, onProgress) => api.classifyPredict(jobId, request, onProgress),
        listModels: () => api.classifyListModels(),
        cancel: async (jobId) => context.jobs.cancel(jobId),
        search: (jobId, request, onProgress) => api.classifySearch(jobId, request, onProgress),
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

  it('searches, evaluates with the best params and scores with reasons', async () => {
    await ok('loadTable', { fileName: 'customers.csv', data: customers(300) });
    const cmp = await ok('compareModels', {
      table: 'customers',
      target: 'bought',
      models: ['tree'],
      folds: 3,
    });
    const search = await ok('search', {
      comparisonId: cmp.comparisonId,
      model: 'tree',
      space: { maxDepth: [2, 4] },
      jobId: 'host-search',
    });
    expect(search.jobId).toBe('host-search');
    const candidates = search.candidates as { params: { maxDepth: number }; rocAuc: { mean: number } }[];
    expect(candidates.map((c) => c.params.maxDepth).sort()).toEqual([2, 4]);
    expect(search.best).toEqual(candidates[0]!.params);
    const ev = await ok('evaluate', { comparisonId: cmp.comparisonId, model: 'tree', params: search.best });
    expect(ev.family).toBe('tree');
    expect(ev.explainable).toBe(true);
    expect((ev.partialDependence as unknown[]).length).toBe(2);
    const scored = await ok('predict', { modelId: ev.modelId, table: 'customers', into: 'why', explain: true });
    expect(scored.reasonColumns).toEqual(['reason_1', 'reason_2', 'reason_3']);
    const frame = await engine.readFrame({ table: 'why', columns: ['reason_1'] });
    expect(
      (frame.columns[0]!.values as (string | null)[]).every((r) => r === null || /^(visits|channel) \([+-]/.test(r)),
    ).toBe(true);
  }, 120_000);

  it('refuses bad search and explain params without running anything', async () => {
    const bad = async (method: string, params: Record<string, unknown>, param: string) => {
      const reply = await call(method, params);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error).toMatchObject({ code: 'bad_params', params: { param } });
    };
    await bad('search', { comparisonId: 'x', model: 'mlp' }, 'model');
    await bad('search', { comparisonId: 'x', model: 'tree', mode: 'exhaustive' }, 'mode');
    await bad('search', { comparisonId: 'x', model: 'tree', space: { maxDepth: 'deep' } }, 'space');
    await bad('predict', { modelId: 'm', table: 't', explain: 'yes' }, 'explain');
    await bad('evaluate', { comparisonId: 'x', params: { maxDepth: -1 } }, 'params');
  }, 60_000);
});

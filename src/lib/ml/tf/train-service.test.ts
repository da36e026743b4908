import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainProgress } from '../../contracts/train-api';
import { makeWindows } from './forecast';
import { blobs, seasonalSeries } from './test-data';
import { TrainService } from './train-service';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const service = () => new TrainService({ backends: ['cpu'] });

describe('TrainService', () => {
  it('reports the backend, trains with progress, predicts, exports, imports, and frees', async () => {
    const s = service();
    const report = await s.init();
    expect(report.active).toBe('cpu');
    const before = (await s.memory()).numTensors;
    const { X, y } = blobs(30, 2, 2);
    const progress: TrainProgress[] = [];
    const result = await s.train(
      'job-1',
      { kind: 'logistic', options: { epochs: 20, learningRate: 0.1 } },
      { X: X.data, y, nRows: X.nRows, nCols: X.nCols },
      (p) => {
        progress.push(p);
      },
    );
    expect(result.backend).toBe('cpu');
    expect(progress.length).toBe(result.epochsRun);
    expect(progress[0]).toMatchObject({ jobId: 'job-1', epoch: 1, epochs: 20 });
    const predicted = await s.predict(result.modelId, { X: X.data, nRows: X.nRows, nCols: 2 });
    expect(predicted.nOut).toBe(2);
    const imported = await s.importModel(JSON.parse(JSON.stringify(await s.exportModel(result.modelId))));
    expect((await s.predict(imported, { X: X.data, nRows: X.nRows, nCols: 2 })).values).toEqual(predicted.values);
    expect((await s.memory()).models).toEqual([result.modelId, imported]);
    await s.disposeModel(result.modelId);
    await s.disposeModel(imported);
    expect((await s.memory()).numTensors).toBe(before);
  });

  it('trains a forecaster from a matrix that arrived on the data port', async () => {
    const s = service();
    const { X, y, n } = makeWindows(seasonalSeries(120), 7, 2);
    s.receive({ type: 'matrix', key: 'orders-daily', X, y, nRows: n, nCols: 7 });
    expect((await s.memory()).portMatrices).toEqual(['orders-daily']);
    const result = await s.train(
      'job-f',
      { kind: 'gru', options: { lookback: 7, horizon: 2, units: 4, epochs: 3 } },
      { portKey: 'orders-daily' },
    );
    expect(result.engine).toBe('js-simd');
    expect((await s.memory()).portMatrices).toEqual([]);
    const forecast = await s.predict(result.modelId, { X: X.subarray(0, 7), nRows: 1, nCols: 7 });
    expect(forecast.nOut).toBe(2);
    // A train call may overtake its matrix: it waits for it to arrive.
    const early = s.train(
      'job-g',
      { kind: 'lstm', options: { lookback: 7, horizon: 2, units: 2, epochs: 1 } },
      { portKey: 'late' },
    );
    setTimeout(() => s.receive({ type: 'matrix', key: 'late', X, y, nRows: n, nCols: 7 }), 50);
    expect((await early).engine).toBe('js-simd');
  });

  it('cancels a running job by id with the cancelled code and no leaked tensors', async () => {
    const s = service();
    await s.init();
    const before = (await s.memory()).numTensors;
    const { X, y } = blobs(400, 2, 8);
    // Cancel from a timer, as a Comlink message would arrive: the loop must yield to see it.
    // No early stopping and endless epochs: the JS engine would finish 500 epochs before 300 ms.
    const job = s.train(
      'job-c',
      { kind: 'mlp', options: { epochs: 1_000_000, patience: 0, batchSize: 8, hidden: [32] } },
      { X: X.data, y, nRows: X.nRows, nCols: 8 },
    );
    const cancelled = new Promise<boolean>((resolve) => setTimeout(() => resolve(s.cancel('job-c')), 300));
    expect(await cancelled).toBe(true);
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(await s.cancel('job-c')).toBe(false);
    expect((await s.memory()).numTensors).toBe(before);
    expect((await s.memory()).models).toEqual([]);
  });

  it('trains the MLP on the JS engine on a CPU backend and says so', async () => {
    const s = service();
    await s.init();
    const { X, y } = blobs(50, 2, 4);
    const result = await s.train(
      'job-m',
      { kind: 'mlp', options: { epochs: 3, hidden: [8] } },
      { X: X.data, y, nRows: X.nRows, nCols: 4 },
    );
    expect(result.engine).toBe('js-simd');
    expect(result.history).toHaveLength(3);
  });

  it('rejects malformed data with a code', async () => {
    const s = service();
    await expect(
      s.train('job-b', { kind: 'knn' }, { X: new Float32Array(5), y: new Float32Array(2), nRows: 2, nCols: 3 }),
    ).rejects.toMatchObject({ code: 'bad_shape' });
  });
});

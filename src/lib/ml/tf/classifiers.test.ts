import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type EpochLog } from './common';
import { Knn } from './knn';
import { LinearSvm, LogisticRegression } from './linear';
import { Mlp } from './mlp';
import { accuracy, blobs } from './test-data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each([
  ['logistic regression', () => new LogisticRegression(), LogisticRegression.deserialise],
  ['linear SVM', () => new LinearSvm(), LinearSvm.deserialise],
])('%s', (_name, make, load) => {
  it('separates three blobs, stops early, serialises, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = blobs(40, 3, 3);
    const model = make();
    const logs: EpochLog[] = [];
    const result = await model.fit(
      X,
      y,
      { epochs: 60, batchSize: 16, learningRate: 0.1, classWeight: 'balanced' },
      (l) => {
        logs.push(l);
      },
    );
    expect(logs[logs.length - 1]!.loss).toBeLessThan(logs[0]!.loss);
    expect(result.epochsRun).toBeLessThanOrEqual(60);
    const proba = await model.predictProba(X);
    expect(accuracy(proba, y, 3)).toBeGreaterThan(0.95);
    const copy = load(JSON.parse(JSON.stringify(await model.serialise())));
    expect(Array.from(await copy.predictProba(X))).toEqual(Array.from(proba));
    model.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

// Both engines: on this cpu backend 'auto' would pick 'js', so the TF.js path is asked for by name.
describe.each(['js', 'tf'] as const)('MLP (%s engine)', (engine) => {
  it('learns XOR with dropout and early stopping', async () => {
    const before = tf.memory().numTensors;
    const n = 200;
    const data = new Float32Array(n * 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const a = (i * 7919) % 13 < 6.5 ? -1 : 1;
      const b = (i * 104729) % 7 < 3.5 ? -1 : 1;
      data[2 * i] = a + ((i % 10) - 5) * 0.03;
      data[2 * i + 1] = b + ((i % 9) - 4) * 0.03;
      y[i] = a * b > 0 ? 1 : 0;
    }
    const X = { data, nRows: n, nCols: 2 };
    const mlp = new Mlp();
    const logs: EpochLog[] = [];
    await mlp.fit(
      X,
      y,
      { engine, hidden: [16], dropout: 0.1, epochs: 80, batchSize: 32, learningRate: 0.02, patience: 15 },
      (l) => {
        logs.push(l);
      },
    );
    expect(logs[logs.length - 1]!.loss).toBeLessThan(logs[0]!.loss * 0.5);
    expect(accuracy(await mlp.predictProba(X), y, 2)).toBeGreaterThan(0.95);
    expect(mlp.engine).toBe(engine);
    const copy = Mlp.deserialise(JSON.parse(JSON.stringify(await mlp.serialise())), engine);
    expect(accuracy(await copy.predictProba(X), y, 2)).toBeGreaterThan(0.95);
    mlp.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('regresses a linear target', async () => {
    const before = tf.memory().numTensors;
    const n = 256;
    const data = new Float32Array(n * 3);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.sin(i * (c + 1));
      y[i] = 2 * data[i * 3]! - data[i * 3 + 1]! + 0.5;
    }
    const mlp = new Mlp();
    const result = await mlp.fit({ data, nRows: n, nCols: 3 }, y, {
      task: 'regression',
      engine,
      hidden: [16],
      epochs: 60,
      learningRate: 0.01,
    });
    const last = result.history[result.history.length - 1]!;
    expect(last.metric).toBeLessThan(0.2);
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels mid-epoch and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = blobs(100, 2, 4);
    const mlp = new Mlp();
    let batches = 0;
    const signal = {
      get aborted() {
        batches += 1;
        return batches > 3;
      },
    };
    await expect(mlp.fit(X, y, { engine, epochs: 5, batchSize: 16 }, undefined, signal)).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('k-NN', () => {
  it('classifies blobs in batches and frees its rows', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = blobs(30, 3, 3);
    const knn = new Knn();
    await knn.fit(X, y, { k: 3, batchSize: 7 });
    expect(accuracy(await knn.predictProba(X), y, 3)).toBeGreaterThan(0.95);
    const copy = Knn.deserialise(JSON.parse(JSON.stringify(await knn.serialise())));
    const weighted = Knn.deserialise({
      ...(await knn.serialise()),
      config: { k: 5, distanceWeighted: true, batchSize: 64, nClasses: 3 },
    });
    expect(accuracy(await weighted.predictProba(X), y, 3)).toBeGreaterThan(0.95);
    expect(Array.from(await copy.predictProba(X))).toEqual(Array.from(await knn.predictProba(X)));
    knn.dispose();
    copy.dispose();
    weighted.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

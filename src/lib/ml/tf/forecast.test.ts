import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type EpochLog, seededRandom } from './common';
import { Forecaster, makeWindows } from './forecast';
import { JsRnn, type RnnShape, initParams } from './rnn-js';
import { seasonalSeries } from './test-data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('makeWindows', () => {
  it('cuts lookback/horizon windows oldest first', () => {
    const { X, y, n } = makeWindows(Float32Array.from([0, 1, 2, 3, 4, 5]), 3, 2);
    expect(n).toBe(2);
    expect(Array.from(X)).toEqual([0, 1, 2, 1, 2, 3]);
    expect(Array.from(y)).toEqual([3, 4, 4, 5]);
  });
});

describe.each(['lstm', 'gru'] as const)('JS %s backprop', (cell) => {
  it('matches finite differences', () => {
    const shape: RnnShape = { cell, units: 3, lookback: 4, nFeatures: 2, horizon: 2 };
    const random = seededRandom(7);
    const flat = initParams(shape, random);
    const net = new JsRnn(shape, flat);
    const n = 3;
    const x = Float32Array.from({ length: n * 4 * 2 }, () => random() * 2 - 1);
    const y = Float32Array.from({ length: n * 2 }, () => random());
    const rows = [0, 1, 2];
    const grad = net.gradient(x, y, rows);
    const lossAt = () => {
      const out = net.predictRows(x, rows);
      let s = 0;
      for (let i = 0; i < out.length; i++) s += (out[i]! - y[i]!) ** 2;
      return s / out.length;
    };
    const eps = 1e-5;
    let worst = 0;
    for (let i = 0; i < flat.length; i++) {
      const keep = flat[i]!;
      flat[i] = keep + eps;
      const up = lossAt();
      flat[i] = keep - eps;
      const down = lossAt();
      flat[i] = keep;
      const numeric = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - grad[i]!) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i]!)));
    }
    expect(worst).toBeLessThan(1e-4);
  });
});

describe.each([
  ['lstm', 'js'],
  ['gru', 'js'],
] as const)('Forecaster %s on %s', (cell, engine) => {
  it('learns a seasonal series, stops early on the validation window, and round-trips', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = makeWindows(seasonalSeries(260), 14, 3);
    const f = new Forecaster();
    const logs: EpochLog[] = [];
    const epochs = engine === 'js' ? 40 : 12;
    const result = await f.fit(
      X,
      y,
      { cell, engine, units: 8, lookback: 14, horizon: 3, epochs, batchSize: 32, learningRate: 0.02, patience: 4 },
      (l) => {
        logs.push(l);
      },
    );
    expect(f.engine).toBe(engine);
    expect(logs[logs.length - 1]!.loss).toBeLessThan(logs[0]!.loss * 0.6);
    expect(result.bestValLoss).not.toBeNull();
    // Naive "same as last value" RMSE on a ±3 sine is ~2; the net must be far better.
    expect(Math.min(...logs.map((l) => l.metric!))).toBeLessThan(engine === 'js' ? 0.6 : 1.2);
    const predicted = await f.predict(X.subarray(0, 14));
    const copy = Forecaster.deserialise(JSON.parse(JSON.stringify(await f.serialise())));
    const again = await copy.predict(X.subarray(0, 14));
    for (let i = 0; i < 3; i++) expect(again[i]).toBeCloseTo(predicted[i]!, 3);
    f.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Forecaster cancellation', () => {
  it.each(['js', 'layers'] as const)('stops on %s and frees every tensor', async (engine) => {
    const before = tf.memory().numTensors;
    const { X, y } = makeWindows(seasonalSeries(200), 14, 3);
    let checks = 0;
    const signal = {
      get aborted() {
        checks += 1;
        return checks > 4;
      },
    };
    const f = new Forecaster();
    await expect(
      f.fit(X, y, { engine, units: 4, lookback: 14, horizon: 3, epochs: 5, batchSize: 16 }, undefined, signal),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

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
    const net = new JsRnn(shape, initParams(shape, random), { simd: false });
    const flat = net.params.flat;
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

  it('gives the same forward pass and gradient with the SIMD kernels (float32)', () => {
    // units 4 → gate rows of 16 / 12 floats: whole v128s, so the SIMD kernels really run.
    const shape: RnnShape = { cell, units: 4, lookback: 5, nFeatures: 1, horizon: 3 };
    const random = seededRandom(11);
    const init = initParams(shape, random);
    const plain = new JsRnn(shape, init, { simd: false, capacity: 8 });
    const simd = new JsRnn(shape, init, { capacity: 8 });
    expect(simd.simd).toBe(true);
    const x = Float32Array.from({ length: 8 * 5 }, () => random() * 2 - 1);
    const y = Float32Array.from({ length: 8 * 3 }, () => random());
    const rows = [0, 1, 2, 3, 4, 5, 6, 7];
    const a = plain.predictRows(x, rows);
    const b = simd.predictRows(x, rows);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    const ga = plain.gradient(x, y, rows);
    const gb = simd.gradient(x, y, rows);
    const scale = Math.max(...ga.map(Math.abs));
    ga.forEach((v, i) => expect(Math.abs(gb[i]! - v) / scale).toBeLessThan(1e-4));
  });
});

describe.each([
  ['lstm', true],
  ['gru', true],
  ['lstm', false],
] as const)('Forecaster %s, JS engine, SIMD %s', (cell, simd) => {
  const engine = 'js' as const;
  it('learns a seasonal series, stops early on the validation window, and round-trips', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = makeWindows(seasonalSeries(260), 14, 3);
    const f = new Forecaster();
    const logs: EpochLog[] = [];
    const epochs = 40;
    const result = await f.fit(
      X,
      y,
      {
        cell,
        engine,
        simd,
        units: 8,
        lookback: 14,
        horizon: 3,
        epochs,
        batchSize: 32,
        learningRate: 0.02,
        patience: 4,
      },
      (l) => {
        logs.push(l);
      },
    );
    expect(f.engine).toBe(engine);
    expect(f.simd).toBe(simd);
    expect(logs[logs.length - 1]!.loss).toBeLessThan(logs[0]!.loss * 0.6);
    expect(result.bestValLoss).not.toBeNull();
    // Naive "same as last value" RMSE on a ±3 sine is ~2; the net must be far better.
    expect(Math.min(...logs.map((l) => l.metric!))).toBeLessThan(0.6);
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

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EpochLog } from './common';
import { Forecaster, makeWindows } from './forecast';
import { seasonalSeries } from './test-data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The tf.layers engine is slow on tfjs-cpu (that is why the JS engine exists): tiny shapes only.
describe.each(['lstm', 'gru'] as const)('Forecaster %s on tf.layers', (cell) => {
  it('reduces the loss, round-trips, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const { X, y } = makeWindows(seasonalSeries(130), 7, 2);
    const f = new Forecaster();
    const logs: EpochLog[] = [];
    await f.fit(
      X,
      y,
      {
        cell,
        engine: 'layers',
        units: 6,
        lookback: 7,
        horizon: 2,
        epochs: 8,
        batchSize: 32,
        learningRate: 0.03,
        patience: 3,
      },
      (l) => {
        logs.push(l);
      },
    );
    expect(f.engine).toBe('layers');
    expect(logs[logs.length - 1]!.loss).toBeLessThan(logs[0]!.loss * 0.8);
    const predicted = await f.predict(X.subarray(0, 7));
    const copy = Forecaster.deserialise(JSON.parse(JSON.stringify(await f.serialise())));
    const again = await copy.predict(X.subarray(0, 7));
    for (let i = 0; i < 2; i++) expect(again[i]).toBeCloseTo(predicted[i]!, 3);
    f.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The embedding + pooling sentiment model on tfjs-cpu and tfjs-wasm in Node: its lookup
 * gradient against TF.js's own gather gradient, learning a planted signal, and no tensor left
 * behind after training, prediction or a cancel.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../segment/prng';
import { CancelledError } from './common';
import { embeddingLookup, fitReviewEmbedding, predictReviewEmbedding } from './text-embedding';

const require = createRequire(import.meta.url);
setWasmPaths(`${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);

/** Reviews of 4–12 filler words with one or two sentiment words planted; label 1 = positive. */
function reviews(n: number, seed: number): { docs: string[][]; y: number[] } {
  const r = createRng(seed);
  const filler = ['the', 'dress', 'size', 'fabric', 'colour', 'ordered', 'wash', 'it', 'was', 'and', 'a', 'my'];
  const pos = ['love', 'great', 'perfect', 'comfortable'];
  const neg = ['returned', 'cheap', 'ripped', 'disappointed'];
  const docs: string[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = r() < 0.7 ? 1 : 0;
    const words = Array.from({ length: 4 + Math.floor(r() * 9) }, () => filler[Math.floor(r() * filler.length)]!);
    const cue = label ? pos : neg;
    for (let c = 0; c < 1 + Math.floor(r() * 2); c++)
      words.splice(Math.floor(r() * words.length), 0, cue[Math.floor(r() * cue.length)]!);
    docs.push(words);
    y.push(label);
  }
  return { docs, y };
}

/** Gradient of Σ(lookup · w) w.r.t. the table, by our lookup and by tf.gather, on cpu. */
function gradients(ids: number[][]): { ours: number[]; gather: number[] } {
  return tf.tidy(() => {
    const table = tf.tensor2d(
      Array.from({ length: 15 }, (_, i) => i / 10),
      [5, 3],
    );
    const idsT = tf.tensor2d(ids, [ids.length, ids[0]!.length], 'int32');
    const w = tf.tensor(
      Array.from({ length: ids.length * ids[0]!.length * 3 }, (_, i) => (i % 7) - 3),
      [ids.length, ids[0]!.length, 3],
    );
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, idsT), w)))(table);
    const viaGather = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idsT), w)))(table);
    return { ours: Array.from(ours.dataSync()), gather: Array.from(viaGather.dataSync()) };
  });
}

describe('embedding lookup gradient', () => {
  it('equals the gather gradient, repeated ids summed (cpu)', async () => {
    await tf.setBackend('cpu');
    const { ours, gather } = gradients([
      [1, 2, 2, 0],
      [4, 1, 1, 1],
    ]);
    expect(ours).toEqual(gather);
    expect(ours.some((v) => v !== 0)).toBe(true);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`embedding sentiment on tfjs-${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it('learns planted sentiment words well above the majority baseline and frees every tensor', async () => {
      const before = tf.memory().numTensors;
      const train = reviews(800, 1);
      const test = reviews(400, 2);
      const epochs: number[] = [];
      const fit = await fitReviewEmbedding(train.docs, train.y, { seed: 5, epochs: 25, patience: 3 }, (log) => {
        epochs.push(log.epoch);
      });
      expect(fit.backend).toBe(backend);
      expect(fit.vocab.size).toBeGreaterThan(15);
      const p = await predictReviewEmbedding(fit, test.docs);
      const accuracy = test.y.filter((t, i) => (p[i]! >= 0.5 ? 1 : 0) === t).length / test.y.length;
      const majority = Math.max(...[0, 1].map((c) => test.y.filter((t) => t === c).length)) / test.y.length;
      expect(majority).toBeLessThan(0.8);
      expect(accuracy).toBeGreaterThan(0.95);
      expect(epochs.length).toBe(fit.loop.epochsRun);
      expect(fit.loop.history.every((h) => Number.isFinite(h.loss))).toBe(true);
      // An empty review gets a probability too (pooled to zeros).
      const [empty] = await predictReviewEmbedding(fit, [[]]);
      expect(empty).toBeGreaterThan(0);
      expect(empty).toBeLessThan(1);
      fit.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);

    it('stops on cancel with CancelledError and leaves no tensor behind', async () => {
      const before = tf.memory().numTensors;
      const train = reviews(600, 3);
      const flag = { aborted: false };
      await expect(
        fitReviewEmbedding(
          train.docs,
          train.y,
          { seed: 1, epochs: 50 },
          () => {
            flag.aborted = true;
          },
          flag,
        ),
      ).rejects.toBeInstanceOf(CancelledError);
      expect(tf.memory().numTensors).toBe(before);
    }, 60_000);
  });
}

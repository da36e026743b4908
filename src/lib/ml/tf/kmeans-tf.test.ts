/**
 * The TF.js k-means assignment against the JS reference path and scikit-learn, on tfjs-cpu and
 * tfjs-wasm in Node. The reference (../segment/kmeans.reference.json) was produced by
 * `/usr/bin/python3 docs/reference/insights_reference.py` with Debian's scikit-learn 1.2.1; it
 * records sklearn's own k-means++ initial centres, and both paths run Lloyd from them.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import reference from '../segment/kmeans.reference.json';
import { kmeans, lloyd, lloydWith } from '../segment/kmeans';
import { matrixFromRows } from '../segment/matrix';
import { createRng } from '../segment/prng';
import { silhouetteScore } from '../segment/silhouette';
import { TfKMeansAssigner, kmeansTf } from './kmeans-tf';

const require = createRequire(import.meta.url);
setWasmPaths(`${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

/** Five well-separated Gaussian blobs in 4-D (seeded), the shape the Segments view sees after scaling. */
function blobs(n: number, seed: number): ReturnType<typeof matrixFromRows> {
  const r = createRng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const centres = [
    [0, 0, 0, 0],
    [6, 0, 0, 3],
    [0, 6, -3, 0],
    [-6, -2, 4, 1],
    [3, -6, 2, -5],
  ];
  return matrixFromRows(
    Array.from({ length: n }, (_, i) => centres[i % centres.length]!.map((m) => m + 0.7 * normal())),
  );
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`k-means assignment on tfjs-${backend}`, () => {
    let previous = '';
    beforeAll(async () => {
      previous = tf.getBackend();
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });
    afterAll(async () => {
      if (previous) await tf.setBackend(previous);
    });

    for (const c of reference.cases) {
      it(`${c.name}: Lloyd from sklearn’s init gives sklearn’s labels, n_iter and inertia, and the JS path’s bits`, async () => {
        const before = tf.memory().numTensors;
        const x = matrixFromRows(c.X);
        const init = matrixFromRows(c.init);
        const assigner = new TfKMeansAssigner(x, { chunkRows: 37 });
        expect(assigner.backend).toBe(backend);
        const fit = await lloydWith(x, init, assigner.assign);
        assigner.dispose();
        const js = lloyd(x, init);
        expect(Array.from(fit.labels)).toEqual(c.labels);
        expect(fit.nIter).toBe(c.n_iter);
        expect(rel(fit.inertia, c.inertia)).toBeLessThan(1e-6);
        expect(rel(silhouetteScore(x, fit.labels), c.silhouette)).toBeLessThan(1e-6);
        // Same labels → the float64 centres and inertia are the JS path's, bit for bit.
        expect(Array.from(fit.labels)).toEqual(Array.from(js.labels));
        expect(Array.from(fit.centers.data)).toEqual(Array.from(js.centers.data));
        expect(fit.inertia).toBe(js.inertia);
        expect(tf.memory().numTensors).toBe(before);
      });
    }

    it('k-means++ restarts on well-separated data: the same labels, inertia and winner as the JS path', async () => {
      const before = tf.memory().numTensors;
      const x = blobs(3000, 7);
      const js = kmeans(x, 5, { nInit: 4, seed: 3 });
      const viaTf = await kmeansTf(x, 5, { nInit: 4, seed: 3, chunkRows: 1000 });
      expect(Array.from(viaTf.labels)).toEqual(Array.from(js.labels));
      expect(viaTf.inertia).toBe(js.inertia);
      expect(viaTf.nIter).toBe(js.nIter);
      expect(viaTf.backend).toBe(backend);
      expect(viaTf.stats.calls).toBeGreaterThan(4);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('the n × k matrix ‖x‖² − 2x·c + ‖c‖² matches float64 distances to float32 precision', async () => {
      const x = blobs(500, 11);
      const centres = matrixFromRows([
        [0, 0, 0, 0],
        [6, 0, 0, 3],
        [-6, -2, 4, 1],
      ]);
      const assigner = new TfKMeansAssigner(x, { chunkRows: 128 });
      const dist = await assigner.squaredDistances(centres);
      assigner.dispose();
      expect(dist).toHaveLength(500 * 3);
      for (let i = 0; i < 500; i++)
        for (let c = 0; c < 3; c++) {
          let exact = 0;
          let scale = 0;
          for (let j = 0; j < 4; j++) {
            exact += (x.data[i * 4 + j]! - centres.data[c * 4 + j]!) ** 2;
            scale += x.data[i * 4 + j]! ** 2 + centres.data[c * 4 + j]! ** 2;
          }
          expect(Math.abs(dist[i * 3 + c]! - exact)).toBeLessThan(1e-5 * (1 + scale));
        }
    });

    it('decides near-ties in float64: an equidistant row goes to the lowest centre, as in JS', async () => {
      // Row 1 is exactly halfway between the two centres; row 2 is 1e-9 nearer the second
      // (far below float32 resolution at this scale), which only float64 can tell.
      const x = matrixFromRows([
        [0, 0],
        [5, 0],
        [5 + 1e-9, 0],
        [10, 0],
      ]);
      const centres = matrixFromRows([
        [0, 0],
        [10, 0],
      ]);
      const labels = new Int32Array(4);
      const assigner = new TfKMeansAssigner(x);
      await assigner.assign(centres, labels);
      assigner.dispose();
      expect(Array.from(labels)).toEqual([0, 0, 1, 1]);
      expect(assigner.stats.refined).toBe(2);
    });
  });
}

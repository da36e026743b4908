/**
 * The dense head's extra inputs (the horizon's calendar, known covariates, a series one-hot):
 * gradients against finite differences, the SIMD kernels against float64 JavaScript, and the
 * layout rule that a network without extras keeps its old parameter vector.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from './common';
import { JsRnn, type RnnShape, initParams } from './rnn-js';

describe.each(['lstm', 'gru'] as const)('JS %s with extra head inputs', (cell) => {
  it('matches finite differences, including the extra-input weights', () => {
    const shape: RnnShape = { cell, units: 3, lookback: 4, nFeatures: 2, horizon: 2, nExtra: 3, nStep: 2 };
    const random = seededRandom(5);
    const net = new JsRnn(shape, initParams(shape, random), { simd: false });
    const flat = net.params.flat;
    const n = 3;
    const x = Float32Array.from({ length: n * 4 * 2 }, () => random() * 2 - 1);
    const e = Float32Array.from({ length: n * 3 }, () => random() * 2 - 1);
    const st = Float32Array.from({ length: n * 2 * 2 }, () => random() * 2 - 1);
    const y = Float32Array.from({ length: n * 2 }, () => random());
    const rows = [0, 1, 2];
    // Per-step weights start at 0: move them off zero so their gradient is checked at a general point.
    net.params.ws.set([0.3, -0.2]);
    const grad = net.gradient(x, y, rows, e, st);
    const lossAt = () => {
      const out = net.predictRows(x, rows, e, st);
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
    // The extras matter: other head inputs, other predictions.
    const base = Array.from(net.predictRows(x, rows, e, st));
    expect(
      Array.from(
        net.predictRows(
          x,
          rows,
          Float32Array.from(e, (v) => -v),
          st,
        ),
      ),
    ).not.toEqual(base);
    // A per-step input moves only its own step's output, by its shared weight.
    const st2 = st.slice();
    st2[1 * 2 + 0]! += 1; // window 0, step 1, column 0
    const moved = Array.from(net.predictRows(x, rows, e, st2));
    expect(moved[1]! - base[1]!).toBeCloseTo(0.3, 6);
    expect(moved[0]).toBeCloseTo(base[0]!, 12);
    expect(() => net.predictRows(x, rows)).toThrow(/extra inputs/);
    expect(() => net.predictRows(x, rows, e)).toThrow(/per output step/);
  });

  it('gives the same forward pass and gradient with the SIMD kernels', () => {
    const shape: RnnShape = { cell, units: 4, lookback: 5, nFeatures: 1, horizon: 4, nExtra: 6, nStep: 3 };
    const random = seededRandom(13);
    const init = initParams(shape, random);
    const plain = new JsRnn(shape, init, { simd: false, capacity: 8 });
    const simd = new JsRnn(shape, init, { capacity: 8 });
    expect(simd.simd).toBe(true);
    const x = Float32Array.from({ length: 8 * 5 }, () => random() * 2 - 1);
    const e = Float32Array.from({ length: 8 * 6 }, () => random() * 2 - 1);
    const st = Float32Array.from({ length: 8 * 4 * 3 }, () => random() * 2 - 1);
    const y = Float32Array.from({ length: 8 * 4 }, () => random());
    const rows = [0, 1, 2, 3, 4, 5, 6, 7];
    plain.params.ws.set([0.1, -0.3, 0.2]);
    simd.params.ws.set([0.1, -0.3, 0.2]);
    const a = plain.predictRows(x, rows, e, st);
    const b = simd.predictRows(x, rows, e, st);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    const ga = plain.gradient(x, y, rows, e, st);
    const gb = simd.gradient(x, y, rows, e, st);
    const scale = Math.max(...ga.map(Math.abs));
    ga.forEach((v, i) => expect(Math.abs(gb[i]! - v) / scale).toBeLessThan(1e-4));
  });

  it('draws the same recurrent weights with or without extras (extras are appended last)', () => {
    const base: RnnShape = { cell, units: 3, lookback: 4, nFeatures: 1, horizon: 2 };
    const plain = initParams(base, seededRandom(1));
    const withExtra = initParams({ ...base, nExtra: 5, nStep: 3 }, seededRandom(1));
    expect(withExtra.length).toBe(plain.length + 5 * 2 + 3);
    expect(Array.from(withExtra.subarray(0, plain.length))).toEqual(Array.from(plain));
  });
});

import { describe, expect, it } from 'vitest';
import { addMatMul, addOuter, matMulT } from './rnn-js';

const rand = (n: number, seed: number) =>
  Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);

// Odd sizes exercise the unrolled main loops and their remainders.
describe.each([
  [3, 5, 7],
  [10, 17, 9],
  [16, 32, 128],
])('kernels at B=%i K=%i J=%i', (B, K, J) => {
  it('match naive loops', () => {
    const a = rand(B * K, 1);
    const w = rand(K * J, 2);
    const out = rand(B * J, 3);
    const want = out.slice();
    for (let b = 0; b < B; b++)
      for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) want[b * J + j]! += a[b * K + k]! * w[k * J + j]!;
    addMatMul(a, 0, w, out, 0, B, K, J);
    out.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 10));

    const d = rand(B * J, 4);
    const g = rand(K * J, 5);
    const gWant = g.slice();
    for (let b = 0; b < B; b++)
      for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) gWant[k * J + j]! += a[b * K + k]! * d[b * J + j]!;
    addOuter(a, 0, d, 0, g, B, K, J);
    g.forEach((v, i) => expect(v).toBeCloseTo(gWant[i]!, 10));

    const back = new Float64Array(B * K);
    matMulT(d, w, back, B, K, J);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < J; j++) s += d[b * J + j]! * w[k * J + j]!;
        expect(back[b * K + k]).toBeCloseTo(s, 10);
      }
    }
  });
});

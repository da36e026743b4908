/**
 * Tiny deterministic data sets for the model tests (shared, so every test file stays small).
 */
import { type Matrix, seededRandom } from './common';

/** Two Gaussian blobs per class around distinct centres, linearly separable. */
export function blobs(nPerClass: number, nClasses = 2, nCols = 2, seed = 1): { X: Matrix; y: Float32Array } {
  const random = seededRandom(seed);
  const nRows = nPerClass * nClasses;
  const data = new Float32Array(nRows * nCols);
  const y = new Float32Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const k = r % nClasses;
    y[r] = k;
    for (let c = 0; c < nCols; c++) {
      const centre = c === k % nCols ? 2.5 : -1;
      data[r * nCols + c] = centre + (random() - 0.5) * 1.2;
    }
  }
  return { X: { data, nRows, nCols }, y };
}

/** Share of rows whose arg-max probability is the label. */
export function accuracy(proba: Float32Array, y: Float32Array, nClasses: number): number {
  let right = 0;
  for (let r = 0; r < y.length; r++) {
    let best = 0;
    for (let k = 1; k < nClasses; k++) if (proba[r * nClasses + k]! > proba[r * nClasses + best]!) best = k;
    if (best === y[r]) right += 1;
  }
  return right / y.length;
}

/** A noisy weekly-seasonal series with trend. */
export function seasonalSeries(length: number, seed = 3): Float32Array {
  const random = seededRandom(seed);
  const s = new Float32Array(length);
  for (let t = 0; t < length; t++) s[t] = 10 + 0.01 * t + 3 * Math.sin((2 * Math.PI * t) / 7) + (random() - 0.5) * 0.3;
  return s;
}

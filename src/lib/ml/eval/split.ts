/** Seeded (stratified) train/test splits and k-fold index generators. */
import type { Vector } from '../matrix';
import { Rng } from '../random';

/** Row indices of one split. */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** Groups row indices by label (labels are integers 0..k-1). */
function byClass(y: Vector): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    (groups[c] ??= []).push(i);
  }
  return groups.filter((g) => g !== undefined);
}

/** Sorted copy, so that split outputs are in row order whatever the shuffling. */
function sortedInt(a: number[]): Int32Array {
  return Int32Array.from(a).sort();
}

/** Random train/test split of `n` rows, `testSize` a fraction in (0, 1) or a row count. */
export function trainTestSplit(n: number, testSize = 0.25, seed = 0): Split {
  const nTest = testSize < 1 ? Math.ceil(n * testSize) : Math.floor(testSize);
  const perm = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  return { test: sortedInt(perm.slice(0, nTest)), train: sortedInt(perm.slice(nTest)) };
}

/**
 * Stratified train/test split: each class contributes its share of the test rows (largest
 * remainders get the leftover rows), so class proportions match in both parts.
 */
export function stratifiedSplit(y: Vector, testSize = 0.25, seed = 0): Split {
  const n = y.length;
  const nTest = testSize < 1 ? Math.ceil(n * testSize) : Math.floor(testSize);
  const rng = new Rng(seed);
  const groups = byClass(y);
  const exact = groups.map((g) => (g.length * nTest) / n);
  const take = exact.map(Math.floor);
  let left = nTest - take.reduce((a, b) => a + b, 0);
  const order = exact.map((e, c) => [e - Math.floor(e), c] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of order) {
    if (left <= 0) break;
    if (take[c]! < groups[c]!.length) {
      take[c]!++;
      left--;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, c) => {
    const perm = rng.shuffle(g.slice());
    for (let t = 0; t < perm.length; t++) (t < take[c]! ? test : train).push(perm[t]!);
  });
  return { train: sortedInt(train), test: sortedInt(test) };
}

/** Plain k-fold splits, shuffled with the seed (or in row order when `shuffle` is false). */
export function kFold(n: number, k = 5, seed = 0, shuffle = true): Split[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (shuffle) new Rng(seed).shuffle(idx);
  const folds: number[][] = Array.from({ length: k }, () => []);
  // First n % k folds get one extra row, like sklearn's KFold.
  let pos = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let t = 0; t < size; t++) folds[f]!.push(idx[pos++]!);
  }
  return toSplits(folds, n);
}

/**
 * Stratified k-fold: each class is shuffled and dealt round-robin across the folds (continuing
 * where the previous class stopped), so every fold has the class proportions of the whole.
 */
export function stratifiedKFold(y: Vector, k = 5, seed = 0): Split[] {
  const rng = new Rng(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const g of byClass(y)) {
    if (g.length < k) {
      // sklearn warns here; the split still works, some folds just miss this class.
    }
    for (const i of rng.shuffle(g.slice())) {
      folds[next]!.push(i);
      next = (next + 1) % k;
    }
  }
  return toSplits(folds, y.length);
}

function toSplits(folds: number[][], n: number): Split[] {
  return folds.map((test) => {
    const inTest = new Uint8Array(n);
    for (const i of test) inTest[i] = 1;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (!inTest[i]) train.push(i);
    return { train: Int32Array.from(train), test: sortedInt(test) };
  });
}

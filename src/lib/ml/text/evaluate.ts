/**
 * Seeded stratified train/test splits and binary classification metrics for the text
 * classifiers (kept here so this module stands alone).
 */
import { createRng, shuffleInPlace } from '../segment/prng';

/** Splits row indices so that each label keeps its share in the test set (round(n_label × testFraction)). */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  seed = 0,
): { train: Int32Array; test: Int32Array } {
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++)
    (byLabel.get(labels[i]!) ?? byLabel.set(labels[i]!, []).get(labels[i]!)!).push(i);
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const key of Array.from(byLabel.keys()).sort((a, b) => a - b)) {
    const rows = byLabel.get(key)!;
    shuffleInPlace(rows, rng);
    const nTest = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/** Binary classification metrics; `positive` is the class whose precision/recall/F1 are reported. */
export interface BinaryMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Mean of the two classes' F1. */
  macroF1: number;
  n: number;
}

function f1Of(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, pos: number): { p: number; r: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === pos;
    const p = yPred[i] === pos;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}

/** Accuracy, precision, recall, F1 (for `positive`, default 1) and macro-F1 of 0/1 predictions. */
export function binaryMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, positive = 1): BinaryMetrics {
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  const a = f1Of(yTrue, yPred, positive);
  const b = f1Of(yTrue, yPred, 1 - positive);
  return {
    accuracy: yTrue.length ? ok / yTrue.length : 0,
    precision: a.p,
    recall: a.r,
    f1: a.f1,
    macroF1: (a.f1 + b.f1) / 2,
    n: yTrue.length,
  };
}

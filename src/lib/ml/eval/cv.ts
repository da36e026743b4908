/** Cross-validation: fit and score a fresh model per fold, with out-of-fold predictions and timings. */
import type { Classifier, FitOptions, Regressor } from '../model';
import { takeRows, takeVector, type Matrix, type Vector } from '../matrix';
import { kFold, stratifiedKFold, type Split } from './split';

/** Any model: classifiers are scored on `predictProba`, regressors on `predict`. */
export type Model = Classifier | Regressor;

/** A metric on (true labels/targets, predictions); predictions are what `predictOf` returns. */
export type Metric = (yTrue: Vector, pred: Float64Array) => number;

/** The model's scores for a matrix: probabilities for classifiers, predictions for regressors. */
export function predictOf(m: Model, X: Matrix): Float64Array {
  return 'predictProba' in m ? m.predictProba(X) : m.predict(X);
}

/** Options for `crossValidate`. */
export interface CvOptions {
  /** Precomputed folds; otherwise `k` folds, stratified unless `stratified` is false. */
  folds?: Split[];
  k?: number;
  seed?: number;
  stratified?: boolean;
  metrics: Record<string, Metric>;
  sampleWeight?: Vector;
  /** Called after each fold. */
  onFold?: (fold: number, nFolds: number) => void;
}

/** One fold's scores and timings (milliseconds of wall time). */
export interface FoldResult {
  scores: Record<string, number>;
  fitMs: number;
  predictMs: number;
}

/** Mean and standard deviation (population, ddof = 0, like numpy's default) of each metric over the folds. */
export interface CvResult {
  folds: FoldResult[];
  mean: Record<string, number>;
  std: Record<string, number>;
  fitMs: number;
  predictMs: number;
  /** Out-of-fold predictions for binary/regression models (length n; NaN if a row was in no test fold). */
  oof: Float64Array;
}

/** Mean and population standard deviation. */
export function meanStd(v: number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std };
}

/** Folds for `crossValidate`: the given ones, or fresh (stratified) k-fold splits. */
export function resolveFolds(
  y: Vector,
  opts: { folds?: Split[]; k?: number; seed?: number; stratified?: boolean },
): Split[] {
  if (opts.folds) return opts.folds;
  const k = opts.k ?? 5;
  const seed = opts.seed ?? 0;
  return opts.stratified === false ? kFold(y.length, k, seed) : stratifiedKFold(y, k, seed);
}

/** Fits `make()` on each training part and scores it on the held-out part. */
export function crossValidate(make: () => Model, X: Matrix, y: Vector, opts: CvOptions): CvResult {
  const folds = resolveFolds(y, opts);
  const oof = new Float64Array(X.nRows).fill(NaN);
  const results: FoldResult[] = [];
  folds.forEach((split, f) => {
    const Xtr = takeRows(X, split.train);
    const ytr = takeVector(y, split.train);
    const Xte = takeRows(X, split.test);
    const yte = takeVector(y, split.test);
    const fitOpts: FitOptions = {};
    if (opts.sampleWeight) fitOpts.sampleWeight = takeVector(opts.sampleWeight, split.train);
    const model = make();
    const t0 = performance.now();
    model.fit(Xtr, ytr, fitOpts);
    const t1 = performance.now();
    const pred = predictOf(model, Xte);
    const t2 = performance.now();
    if (pred.length === split.test.length) split.test.forEach((row, t) => (oof[row] = pred[t]!));
    const scores: Record<string, number> = {};
    for (const [name, metric] of Object.entries(opts.metrics)) scores[name] = metric(yte, pred);
    results.push({ scores, fitMs: t1 - t0, predictMs: t2 - t1 });
    opts.onFold?.(f + 1, folds.length);
  });
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const name of Object.keys(opts.metrics)) {
    const s = meanStd(results.map((r) => r.scores[name]!));
    mean[name] = s.mean;
    std[name] = s.std;
  }
  return {
    folds: results,
    mean,
    std,
    fitMs: meanStd(results.map((r) => r.fitMs)).mean,
    predictMs: meanStd(results.map((r) => r.predictMs)).mean,
    oof,
  };
}

/**
 * Shared contracts for the pure-TypeScript models (trees, forests, boosting, naive Bayes and
 * the linear models): they run inside a worker, so everything here is plain data and typed
 * arrays, and every model serialises to JSON and loads back with identical predictions.
 */
import type { Matrix, Vector } from './matrix';

export type { Matrix, Vector } from './matrix';

/** Options shared by every `fit`. */
export interface FitOptions {
  /** Per-row weights (default 1); a weight of 0 removes the row. */
  sampleWeight?: Vector;
  /** Called now and then with the fraction done, so a worker can report progress. */
  onProgress?: (fraction: number) => void;
}

/** JSON form of a fitted model: `kind` names the class that can load it back. */
export interface SerialisedModel {
  kind: string;
  version: number;
  [key: string]: unknown;
}

/**
 * A probabilistic classifier over integer classes `0..nClasses-1`. For binary problems
 * `predictProba` returns P(y = 1) per row (length nRows); with k > 2 classes it returns the
 * row-major nRows × k matrix of class probabilities.
 */
export interface Classifier {
  readonly nClasses: number;
  fit(X: Matrix, y: Vector, opts?: FitOptions): this;
  predictProba(X: Matrix): Float64Array;
  toJSON(): SerialisedModel;
}

/** A regressor predicting one number per row. */
export interface Regressor {
  fit(X: Matrix, y: Vector, opts?: FitOptions): this;
  predict(X: Matrix): Float64Array;
  toJSON(): SerialisedModel;
}

/** The static side of a model class: construct from hyperparameters, or load from JSON. */
export interface ModelClass<M, P = Record<string, unknown>> {
  new (params?: Partial<P>): M;
  load(json: SerialisedModel): M;
}

/** Hard class labels from `predictProba` output (argmax, or `p ≥ threshold` when binary). */
export function predictLabels(proba: Float64Array, nRows: number, threshold = 0.5): Int32Array {
  const out = new Int32Array(nRows);
  if (proba.length === nRows) {
    for (let i = 0; i < nRows; i++) out[i] = proba[i]! >= threshold ? 1 : 0;
    return out;
  }
  const k = proba.length / nRows;
  for (let i = 0; i < nRows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Number of classes in integer labels `0..k-1` (max + 1, at least 2). */
export function countClasses(y: Vector): number {
  let max = 1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || v < 0) throw new Error(`labels must be integers 0..k-1, got ${v} at row ${i}`);
    if (v > max) max = v;
  }
  return max + 1;
}

/** Checks that X and y agree on the number of rows. */
export function checkXy(X: Matrix, y: Vector): void {
  if (X.data.length !== X.nRows * X.nCols) throw new Error('matrix buffer length does not match nRows × nCols');
  if (y.length !== X.nRows) throw new Error(`X has ${X.nRows} rows but y has ${y.length}`);
}

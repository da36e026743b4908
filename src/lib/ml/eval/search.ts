/** Hyperparameter search (exhaustive grid or seeded random draws), each candidate scored by cross-validation. */
import type { Matrix, Vector } from '../matrix';
import { Rng } from '../random';
import { crossValidate, resolveFolds, type Metric, type Model } from './cv';
import type { Split } from './split';

/** A hyperparameter assignment. */
export type Params = Record<string, unknown>;

/** One scored candidate. */
export interface Candidate {
  params: Params;
  mean: number;
  std: number;
  fitMs: number;
}

/** Search result: every candidate (best first) and the winner. */
export interface SearchResult {
  candidates: Candidate[];
  best: Candidate;
}

/** Options shared by grid and random search. */
export interface SearchOptions {
  metric: Metric;
  /** Whether larger metric values are better (default true; false for losses). */
  greaterIsBetter?: boolean;
  folds?: Split[];
  k?: number;
  seed?: number;
  stratified?: boolean;
  onCandidate?: (done: number, total: number) => void;
}

/** Every combination of the listed values, in order (the last key varies fastest). */
export function gridPoints(grid: Record<string, unknown[]>): Params[] {
  let out: Params[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    const next: Params[] = [];
    for (const base of out) for (const v of values) next.push({ ...base, [key]: v });
    out = next;
  }
  return out;
}

function evaluate(
  make: (p: Params) => Model,
  points: Params[],
  X: Matrix,
  y: Vector,
  opts: SearchOptions,
): SearchResult {
  // The same folds for every candidate, so differences come from the parameters alone.
  const folds = resolveFolds(y, opts);
  const sign = opts.greaterIsBetter === false ? -1 : 1;
  const candidates = points.map((params, i) => {
    const r = crossValidate(() => make(params), X, y, { folds, metrics: { score: opts.metric } });
    opts.onCandidate?.(i + 1, points.length);
    return { params, mean: r.mean.score!, std: r.std.score!, fitMs: r.fitMs };
  });
  candidates.sort((a, b) => sign * (b.mean - a.mean));
  return { candidates, best: candidates[0]! };
}

/** Scores every point of the grid with cross-validation. */
export function gridSearch(
  make: (p: Params) => Model,
  grid: Record<string, unknown[]>,
  X: Matrix,
  y: Vector,
  opts: SearchOptions,
): SearchResult {
  return evaluate(make, gridPoints(grid), X, y, opts);
}

/** A distribution to draw one hyperparameter from: a list (uniform choice) or a numeric range. */
export type Distribution = unknown[] | { min: number; max: number; log?: boolean; integer?: boolean };

/** Draws `nIter` seeded random points from the distributions. */
export function randomPoints(space: Record<string, Distribution>, nIter: number, seed = 0): Params[] {
  const rng = new Rng(seed);
  const out: Params[] = [];
  for (let i = 0; i < nIter; i++) {
    const p: Params = {};
    for (const [key, d] of Object.entries(space)) {
      if (Array.isArray(d)) p[key] = d[rng.randint(d.length)];
      else {
        const u = rng.next();
        // Integers: draw on [min, max + 1) and floor, so both ends are as likely as the inside.
        const hi = d.integer ? d.max + 1 : d.max;
        let v = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(hi) - Math.log(d.min))) : d.min + u * (hi - d.min);
        if (d.integer) v = Math.min(d.max, Math.floor(v));
        p[key] = v;
      }
    }
    out.push(p);
  }
  return out;
}

/** Scores `nIter` random points of the space with cross-validation. */
export function randomSearch(
  make: (p: Params) => Model,
  space: Record<string, Distribution>,
  nIter: number,
  X: Matrix,
  y: Vector,
  opts: SearchOptions,
): SearchResult {
  return evaluate(make, randomPoints(space, nIter, opts.seed ?? 0), X, y, opts);
}

/**
 * Bounded Nelder-Mead simplex minimiser. Bounds are enforced by projecting every trial point
 * onto the box, the same strategy as scipy.optimize.minimize(method='Nelder-Mead', bounds=...).
 * Chosen over L-BFGS-B because the ETS and ARIMA objectives are cheap, not smooth at the
 * bounds, and a derivative-free method needs no finite-difference step tuning.
 */

/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Lower bounds (use -Infinity for none); same length as x0. */
  lower?: ArrayLike<number>;
  /** Upper bounds (use Infinity for none). */
  upper?: ArrayLike<number>;
  /** Initial simplex step per coordinate (default 5% of |x0|, 0.00025 for zeros, as scipy). */
  step?: ArrayLike<number>;
  /** Maximum objective evaluations (default 400 × dimension). */
  maxEvaluations?: number;
  /** Stop when the simplex spread in f and in x are both below these (default 1e-10, 1e-8). */
  fTolerance?: number;
  xTolerance?: number;
  /** Number of restarts from the best point with a fresh simplex (default 2): escapes collapsed simplices. */
  restarts?: number;
}

/** Result of {@link nelderMead}. */
export interface OptimizeResult {
  x: Float64Array;
  f: number;
  evaluations: number;
  converged: boolean;
}

function project(x: Float64Array, lower: ArrayLike<number> | undefined, upper: ArrayLike<number> | undefined): void {
  for (let i = 0; i < x.length; i++) {
    if (lower && x[i]! < lower[i]!) x[i] = lower[i]!;
    if (upper && x[i]! > upper[i]!) x[i] = upper[i]!;
  }
}

/** Minimise `f` from `x0` inside optional box bounds; non-finite objective values count as +Infinity. */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): OptimizeResult {
  const n = x0.length;
  const { lower, upper } = options;
  const maxEval = options.maxEvaluations ?? 400 * Math.max(1, n);
  const fTol = options.fTolerance ?? 1e-10;
  const xTol = options.xTolerance ?? 1e-8;
  let evaluations = 0;
  const evalf = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };

  let best = Float64Array.from(x0);
  project(best, lower, upper);
  let bestF = evalf(best);
  if (n === 0) return { x: best, f: bestF, evaluations, converged: true };
  let converged = false;
  const restarts = options.restarts ?? 2;

  for (let round = 0; round <= restarts && evaluations < maxEval; round++) {
    const simplex: Float64Array[] = [Float64Array.from(best)];
    const values: number[] = [bestF];
    for (let i = 0; i < n; i++) {
      const v = Float64Array.from(best);
      const s = options.step?.[i] ?? (v[i] !== 0 ? 0.05 * Math.abs(v[i]!) : 0.00025);
      v[i] = v[i]! + s;
      // A vertex pushed onto an upper bound would make the simplex degenerate: step the other way.
      if (upper && v[i]! > upper[i]!) v[i] = best[i]! - s;
      project(v, lower, upper);
      simplex.push(v);
      values.push(evalf(v));
    }
    const order = Array.from({ length: n + 1 }, (_, i) => i);
    const centroid = new Float64Array(n);
    const trial = (coef: number, worst: Float64Array): Float64Array => {
      const p = new Float64Array(n);
      for (let j = 0; j < n; j++) p[j] = centroid[j]! + coef * (worst[j]! - centroid[j]!);
      project(p, lower, upper);
      return p;
    };
    converged = false;
    while (evaluations < maxEval) {
      order.sort((a, b) => values[a]! - values[b]!);
      const iBest = order[0]!;
      const iWorst = order[n]!;
      const iSecond = order[n - 1]!;
      let fSpread = 0;
      let xSpread = 0;
      for (let k = 1; k <= n; k++) {
        const idx = order[k]!;
        fSpread = Math.max(fSpread, Math.abs(values[idx]! - values[iBest]!));
        for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(simplex[idx]![j]! - simplex[iBest]![j]!));
      }
      if (fSpread <= fTol && xSpread <= xTol) {
        converged = true;
        break;
      }
      centroid.fill(0);
      for (let k = 0; k < n; k++) {
        const v = simplex[order[k]!]!;
        for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + v[j]! / n;
      }
      const worst = simplex[iWorst]!;
      const xr = trial(-1, worst);
      const fr = evalf(xr);
      if (fr < values[iBest]!) {
        const xe = trial(-2, worst);
        const fe = evalf(xe);
        if (fe < fr) {
          simplex[iWorst] = xe;
          values[iWorst] = fe;
        } else {
          simplex[iWorst] = xr;
          values[iWorst] = fr;
        }
        continue;
      }
      if (fr < values[iSecond]!) {
        simplex[iWorst] = xr;
        values[iWorst] = fr;
        continue;
      }
      const outside = fr < values[iWorst]!;
      const xc = trial(outside ? -0.5 : 0.5, worst);
      const fc = evalf(xc);
      if (fc < (outside ? fr : values[iWorst]!)) {
        simplex[iWorst] = xc;
        values[iWorst] = fc;
        continue;
      }
      // Shrink towards the best vertex.
      const b = simplex[iBest]!;
      for (let k = 1; k <= n; k++) {
        const idx = order[k]!;
        const v = simplex[idx]!;
        for (let j = 0; j < n; j++) v[j] = b[j]! + 0.5 * (v[j]! - b[j]!);
        values[idx] = evalf(v);
      }
    }
    let iMin = 0;
    for (let k = 1; k <= n; k++) if (values[k]! < values[iMin]!) iMin = k;
    const improved = values[iMin]! < bestF - Math.max(fTol, 1e-12 * Math.abs(bestF));
    if (values[iMin]! <= bestF) {
      best = Float64Array.from(simplex[iMin]!);
      bestF = values[iMin]!;
    }
    // A restart that finds nothing new confirms the optimum; stop early.
    if (round > 0 && !improved) break;
  }
  return { x: best, f: bestF, evaluations, converged };
}

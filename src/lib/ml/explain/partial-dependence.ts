/**
 * Partial dependence (`sklearn.inspection.partial_dependence`, method 'brute', kind 'average'):
 * set one raw feature column to each grid value on every row, run the rows through the whole
 * fitted pipeline (preprocessing + model) and average the predicted probability. Numeric grids
 * follow sklearn's `_grid_from_X`: the unique values when there are fewer than
 * `gridResolution`, else `gridResolution` evenly spaced points between two empirical
 * percentiles (scipy's `mquantiles`, alphap = betap = 0.4). Categorical grids are the levels.
 */
import type { FrameColumn } from '../../contracts/frame';

/** Grid options (sklearn's names and defaults, camel-cased). */
export interface GridOptions {
  gridResolution?: number;
  percentiles?: [number, number];
  /** At most this many levels of a categorical column (the most frequent; default 30). */
  maxLevels?: number;
}

/** scipy.stats.mstats.mquantiles of sorted finite values (plotting positions alphap, betap). */
export function mquantiles(sorted: ArrayLike<number>, probs: readonly number[], alphap = 0.4, betap = 0.4): number[] {
  const n = sorted.length;
  if (n === 0) return probs.map(() => NaN);
  return probs.map((p) => {
    const m = alphap + p * (1 - alphap - betap);
    const aleph = n * p + m;
    const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
    const gamma = Math.min(Math.max(aleph - k, 0), 1);
    if (n === 1) return sorted[0]!;
    return (1 - gamma) * sorted[k - 1]! + gamma * sorted[k]!;
  });
}

/** The grid of a numeric column over the given rows (missing values ignored); empty when all are missing. */
export function numericGrid(values: ArrayLike<number>, opts: GridOptions = {}): number[] {
  const resolution = opts.gridResolution ?? 20;
  const [lo, hi] = opts.percentiles ?? [0.05, 0.95];
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) finite.push(values[i]!);
  finite.sort((a, b) => a - b);
  const uniques: number[] = [];
  for (const v of finite) if (uniques.length === 0 || uniques[uniques.length - 1] !== v) uniques.push(v);
  if (uniques.length < resolution) return uniques;
  const [a, b] = mquantiles(finite, [lo, hi]) as [number, number];
  if (Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b)) return [a];
  // numpy's linspace: i · step + start, the last point exactly `stop`.
  const step = (b - a) / (resolution - 1);
  return Array.from({ length: resolution }, (_, i) => (i === resolution - 1 ? b : i * step + a));
}

/** The levels of a text column (sorted, like numpy's unique), the most frequent `maxLevels` when there are more. */
export function categoricalGrid(values: readonly (string | null)[], opts: GridOptions = {}): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  const max = opts.maxLevels ?? 30;
  let levels = [...counts.keys()];
  if (levels.length > max) {
    levels = levels.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1)).slice(0, max);
  }
  return levels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One feature's partial dependence curve. */
export interface PartialDependence {
  feature: string;
  kind: 'number' | 'category';
  grid: (number | string)[];
  /** Mean predicted probability over the rows at each grid value. */
  average: number[];
}

/** Predicts P(positive) for raw columns (the full pipeline: preprocessing, then the model). */
export type PipelinePredict = (columns: FrameColumn[]) => Promise<Float64Array>;

/**
 * The partial dependence of `feature` over the raw `columns` (each the held-out rows only):
 * for each grid value the column is replaced by that constant and the pipeline's mean
 * prediction recorded. `onStep` runs after each grid value (for progress and cancel checks).
 */
export async function partialDependence(
  columns: readonly FrameColumn[],
  feature: string,
  predict: PipelinePredict,
  opts: GridOptions & { grid?: (number | string)[]; onStep?: () => Promise<void> | void } = {},
): Promise<PartialDependence> {
  const index = columns.findIndex((c) => c.name === feature);
  const column = columns[index];
  if (!column || column.kind === 'date') throw new Error(`partialDependence: no number or text column "${feature}"`);
  const n = column.values.length;
  const kind = column.kind === 'number' ? 'number' : 'category';
  const grid =
    opts.grid ?? (column.kind === 'number' ? numericGrid(column.values, opts) : categoricalGrid(column.values, opts));
  const average: number[] = [];
  for (const value of grid) {
    const replaced: FrameColumn =
      column.kind === 'number'
        ? { name: column.name, kind: 'number', values: new Float64Array(n).fill(value as number) }
        : { name: column.name, kind: 'string', values: new Array<string | null>(n).fill(value as string) };
    const swapped = columns.map((c, j) => (j === index ? replaced : c));
    const p = await predict(swapped);
    let sum = 0;
    for (let i = 0; i < p.length; i++) sum += p[i]!;
    average.push(p.length > 0 ? sum / p.length : NaN);
    await opts.onStep?.();
  }
  return { feature, kind, grid, average };
}

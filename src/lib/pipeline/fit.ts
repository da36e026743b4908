/**
 * Fits a recipe: computes the statistics of its fitted steps (imputation values, scaling,
 * outlier bounds, bin edges, category lists) step by step, each on the output of the steps
 * before it, over the TRAINING rows only (`fitOn`). `applyRecipe` then uses the stored numbers
 * and never looks at the data to re-fit them.
 *
 * Definitions (chosen to match scikit-learn / pandas):
 * - mean: arithmetic mean of non-missing values; median and quartiles: linear interpolation
 *   (`quantile_cont`, numpy's default); mode: most frequent non-missing value, ties to the
 *   smallest (SimpleImputer's `most_frequent`).
 * - standard scaling and z-scores use the POPULATION standard deviation (`stddev_pop`, ddof = 0),
 *   as StandardScaler does; a zero spread is stored as 1 so constant columns map to 0.
 * - equal-width bin edges are numpy.linspace(min, max, n + 1); quantile edges are the
 *   quantiles at i/n, with coinciding edges merged (KBinsDiscretizer).
 */
import type { CancelToken, Db } from '../data/db';
import type { Row } from '../data/arrow';
import { ShopSightError } from '../data/errors';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import { num, queryRows, str } from '../sql/run';
import { chainSql, compileSteps, schemaAfter } from './compile';
import { needsFit, stepLabel, type Recipe, type RecipeStep, type Scalar, type SourceColumn } from './steps';

/** More categories than this make a CASE too large to be useful: that column is an id, not a category. */
export const MAX_CATEGORIES = 1000;

export interface FitOptions {
  /** Table or view holding the TRAINING rows (same columns as the table); default: the table itself. */
  fitOn?: string;
  token?: CancelToken;
  /** Fit only the steps that have no `fitted` yet (previews); default: re-fit every fitted step. */
  onlyMissing?: boolean;
}

/** The columns of a table or view, as DuckDB describes them. */
export function describeColumns(db: Db, relation: string): SourceColumn[] {
  try {
    return db
      .rows(`DESCRIBE SELECT * FROM ${quoteIdent(relation)}`)
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch {
    throw new ShopSightError({
      code: 'not_found',
      message: `There is no table named "${relation}".`,
      params: { name: relation },
    });
  }
}

/** Returns a copy of the recipe with `fitted` computed for every enabled fitted step. */
export async function fitRecipe(db: Db, table: string, recipe: Recipe, options: FitOptions = {}): Promise<Recipe> {
  const token = options.token ?? { cancelled: false };
  const source = options.fitOn ?? table;
  const columns = describeColumns(db, source);
  if (options.fitOn !== undefined) {
    // The training rows must look like the table the recipe will be applied to.
    const tableColumns = describeColumns(db, table);
    const missing = tableColumns.find((c) => !columns.some((t) => t.name === c.name));
    if (missing) {
      throw new ShopSightError({
        code: 'bad_fit_rows',
        message: `The training rows "${source}" lack column "${missing.name}" of "${table}".`,
        params: { table, fitOn: source, column: missing.name },
      });
    }
  }
  const steps: RecipeStep[] = structuredClone(recipe.steps);
  const fitted: Recipe = { ...recipe, steps };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (!step.enabled || !needsFit(step)) continue;
    if (options.onlyMissing && 'fitted' in step && step.fitted) continue;
    // Statistics of step i come from the output of steps 0..i−1 (already fitted) on the training rows.
    const prefix = compileSteps(fitted, source, { count: i, columns });
    // Check this step's own requirements (type of its columns) before querying.
    schemaAfter(fitted, columns, i + 1);
    const over = (tail: (last: string) => string) => chainSql(prefix.steps, source, tail);
    const rows = (tail: (last: string) => string) => queryRows(db, over(tail), token);
    steps[i] = await fitStep(step, i, rows);
  }
  return fitted;
}

type Query = (tail: (last: string) => string) => Promise<Row[]>;

const q = quoteIdent;

function cannotFit(index: number, step: RecipeStep, column: string, why: string): ShopSightError {
  return new ShopSightError({
    code: 'cannot_fit',
    message: `${stepLabel(index, step.kind)} cannot be fitted: column "${column}" ${why}.`,
    params: { step: index + 1, kind: step.kind, column },
  });
}

async function numbers(
  query: Query,
  index: number,
  step: RecipeStep,
  column: string,
  exprs: Record<string, string>,
): Promise<Record<string, number>> {
  const names = Object.keys(exprs);
  const [row] = await query(
    (last) => `SELECT ${names.map((n, i) => `CAST(${exprs[n]} AS DOUBLE) AS v${i}`).join(', ')} FROM ${last}`,
  );
  const out: Record<string, number> = {};
  names.forEach((n, i) => {
    const v = num(row?.[`v${i}`]);
    if (v === undefined) throw cannotFit(index, step, column, 'has no values in the training rows');
    out[n] = v;
  });
  return out;
}

async function categories(query: Query, index: number, step: RecipeStep, column: string, limit?: number) {
  const c = q(column);
  const rows = await query(
    (last) =>
      `SELECT CAST(${c} AS VARCHAR) AS v, count(*) AS n FROM ${last} WHERE ${c} IS NOT NULL GROUP BY ${c} ` +
      (limit === undefined ? `ORDER BY ${c}` : `ORDER BY n DESC, ${c} ASC LIMIT ${limit}`),
  );
  if (limit === undefined && rows.length > MAX_CATEGORIES) {
    throw cannotFit(index, step, column, `has more than ${MAX_CATEGORIES} distinct values (is it an id?)`);
  }
  return rows.map((r) => ({ value: str(r.v) ?? '', count: num(r.n) ?? 0 }));
}

async function fitStep(step: RecipeStep, index: number, query: Query): Promise<RecipeStep> {
  switch (step.kind) {
    case 'impute': {
      const fitted: { column: string; value: Scalar }[] = [];
      for (const column of step.columns) {
        const c = q(column);
        let value: Scalar;
        if (step.method === 'mode') {
          const [row] = await query(
            (last) =>
              `SELECT ${c} AS v FROM ${last} WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY count(*) DESC, ${c} LIMIT 1`,
          );
          value = row ? (row.v ?? null) : null;
        } else {
          const agg = step.method === 'mean' ? `avg(${c})` : `quantile_cont(${c}, 0.5)`;
          value = (await numbers(query, index, step, column, { v: agg })).v!;
        }
        fitted.push({ column, value });
      }
      return { ...step, fitted };
    }
    case 'outliers': {
      const fitted = [];
      for (const column of step.columns) {
        const c = q(column);
        if (step.method === 'iqr') {
          const k = step.threshold ?? 1.5;
          const s = await numbers(query, index, step, column, {
            q1: `quantile_cont(${c}, 0.25)`,
            q3: `quantile_cont(${c}, 0.75)`,
          });
          const iqr = s.q3! - s.q1!;
          fitted.push({ column, lower: s.q1! - k * iqr, upper: s.q3! + k * iqr });
        } else {
          const z = step.threshold ?? 3;
          const s = await numbers(query, index, step, column, { mean: `avg(${c})`, std: `stddev_pop(${c})` });
          fitted.push({ column, lower: s.mean! - z * s.std!, upper: s.mean! + z * s.std! });
        }
      }
      return { ...step, fitted };
    }
    case 'scale': {
      const fitted = [];
      for (const column of step.columns) {
        const c = q(column);
        let center: number;
        let spread: number;
        if (step.method === 'minmax') {
          const s = await numbers(query, index, step, column, { min: `min(${c})`, max: `max(${c})` });
          center = s.min!;
          spread = s.max! - s.min!;
        } else if (step.method === 'standard') {
          const s = await numbers(query, index, step, column, { mean: `avg(${c})`, std: `stddev_pop(${c})` });
          center = s.mean!;
          spread = s.std!;
        } else {
          const s = await numbers(query, index, step, column, {
            median: `quantile_cont(${c}, 0.5)`,
            q1: `quantile_cont(${c}, 0.25)`,
            q3: `quantile_cont(${c}, 0.75)`,
          });
          center = s.median!;
          spread = s.q3! - s.q1!;
        }
        fitted.push({ column, center, scale: spread === 0 ? 1 : spread });
      }
      return { ...step, fitted };
    }
    case 'bin': {
      const c = q(step.column);
      let edges: number[];
      if (step.method === 'equal_width') {
        const s = await numbers(query, index, step, step.column, { min: `min(${c})`, max: `max(${c})` });
        const width = (s.max! - s.min!) / step.bins;
        edges =
          width === 0
            ? [s.min!, s.max!]
            : Array.from({ length: step.bins + 1 }, (_, i) => (i === step.bins ? s.max! : s.min! + i * width));
      } else {
        const exprs: Record<string, string> = {};
        for (let i = 0; i <= step.bins; i++) exprs[`e${i}`] = `quantile_cont(${c}, ${sqlLiteral(i / step.bins)})`;
        const s = await numbers(query, index, step, step.column, exprs);
        const raw = Array.from({ length: step.bins + 1 }, (_, i) => s[`e${i}`]!);
        edges = raw.filter((e, i) => i === 0 || e > raw[i - 1]!);
        if (edges.length === 1) edges.push(edges[0]!);
      }
      return { ...step, fitted: { edges } };
    }
    case 'one_hot': {
      const top = await categories(query, index, step, step.column, step.topK);
      return { ...step, fitted: { categories: top.map((t) => t.value) } };
    }
    case 'ordinal_encode': {
      if (step.order) return { ...step, fitted: { categories: [...step.order] } };
      const all = await categories(query, index, step, step.column);
      return { ...step, fitted: { categories: all.map((t) => t.value) } };
    }
    case 'frequency_encode': {
      const all = await categories(query, index, step, step.column);
      const [row] = await query((last) => `SELECT count(*) AS n FROM ${last}`);
      const total = num(row?.n) ?? 0;
      const normalize = step.normalize !== false;
      return {
        ...step,
        fitted: {
          values: all.map((t) => ({ value: t.value, frequency: normalize ? (total ? t.count / total : 0) : t.count })),
        },
      };
    }
    default:
      return step;
  }
}

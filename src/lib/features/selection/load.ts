/**
 * Reads feature columns and a target column from a DuckDB table into Float64Arrays for the
 * selection functions, and `selectFeatures`, the one call the data worker makes.
 *
 * Loading rules:
 * - Features are numeric or BOOLEAN columns (booleans become 0/1); by default every such column
 *   except the target. Anything else named explicitly is `feature_not_numeric`.
 * - Rows whose target is NULL are dropped (and counted); none left is `no_target_rows`.
 * - NULL feature values are replaced by the column's mean over the kept rows (`missing: 'mean'`,
 *   the default, counted per feature in `imputed`), or refused with `feature_has_nulls`
 *   (`missing: 'error'`). A feature that is NULL on every kept row is `feature_all_null`;
 *   NaN or ±Infinity values are `not_finite`.
 * - The target is BOOLEAN (classes false/true), text and other non-numeric types (classes = the
 *   distinct values, sorted), or numeric (kept as numbers, and read as classes — the sorted
 *   distinct values — by the methods that need classes). A class target with a single class is
 *   `target_single_class`; more than `maxClasses` classes is `target_too_many_classes`.
 */
import { tableFromIPC } from 'apache-arrow';
import { yieldToEventLoop, type CancelToken, type Db } from '../../data/db';
import type { ProgressCallback } from '../../contracts/data-api';
import { ShopSightError } from '../../data/errors';
import { quoteIdent } from '../../sql/ident';
import { chi2, dropCorrelated, fClassif, fRegression, varianceThreshold } from './univariate';
import { mutualInfoSteps } from './mutual-info';
import { rankScores, selectKBest, selectPercentile } from './select';
import { rfeLogisticSteps } from './wrappers';
import { permutationRankingSteps, rfeForestSteps } from './model-based';

/** How the target column was read. */
export type TargetKind = 'boolean' | 'categorical' | 'numeric';

/** What to load. */
export interface LoadOptions {
  table: string;
  target: string;
  /** Feature columns; default: every numeric/BOOLEAN column except the target. The target itself is never a feature. */
  features?: readonly string[];
  /** NULL feature values: impute with the column mean (default) or throw `feature_has_nulls`. */
  missing?: 'mean' | 'error';
  /** Largest number of classes accepted for a class target (default 100). */
  maxClasses?: number;
  /** Read at most this many rows, as a repeatable reservoir sample of the non-NULL-target rows. */
  sampleRows?: number;
}

/** Loaded, numeric data. */
export interface LoadedData {
  features: string[];
  /** columns[j][i]: feature j on row i. */
  columns: Float64Array[];
  targetKind: TargetKind;
  /** Numeric target values (booleans 0/1); null for a text target. */
  target: Float64Array | null;
  /** Class index per row into `labels`; null for a numeric target with more than `maxClasses` values. */
  classes: Int32Array | null;
  labels: string[] | null;
  rows: number;
  /** Rows left out because the target was NULL. */
  droppedRows: number;
  /** Whether `rows` is a sample of the usable rows (see `sampleRows`). */
  sampled: boolean;
  /** Number of imputed (NULL) values per feature; features without NULLs are absent. */
  imputed: Record<string, number>;
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|BOOLEAN)$/i;

function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.trim());
}

function describe(db: Db, table: string): { name: string; type: string }[] {
  try {
    return db
      .rows(`DESCRIBE SELECT * FROM ${quoteIdent(table)}`)
      .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch {
    throw new ShopSightError({
      code: 'not_found',
      message: `There is no table named "${table}".`,
      params: { name: table },
    });
  }
}

function notFound(table: string, column: string): ShopSightError {
  return new ShopSightError({
    code: 'not_found',
    message: `Table "${table}" has no column "${column}".`,
    params: { table, column },
  });
}

/** Loads features and target as described in the module comment. */
export async function loadFeatureData(db: Db, options: LoadOptions, token: CancelToken): Promise<LoadedData> {
  const { table, target } = options;
  const maxClasses = options.maxClasses ?? 100;
  const schema = describe(db, table);
  const targetColumn = schema.find((c) => c.name === target);
  if (!targetColumn) throw notFound(table, target);
  let features: string[];
  if (options.features) {
    features = [...new Set(options.features)].filter((f) => f !== target);
    for (const f of features) {
      const column = schema.find((c) => c.name === f);
      if (!column) throw notFound(table, f);
      if (!isNumericType(column.type)) {
        throw new ShopSightError({
          code: 'feature_not_numeric',
          message: `"${f}" is ${column.type}, not a number: feature selection needs numeric or true/false columns.`,
          params: { column: f, type: column.type },
        });
      }
    }
  } else {
    features = schema.filter((c) => c.name !== target && isNumericType(c.type)).map((c) => c.name);
  }
  if (features.length === 0) {
    throw new ShopSightError({
      code: 'no_numeric_features',
      message: 'There are no numeric or true/false columns to select from.',
      params: { table },
    });
  }
  const targetType = targetColumn.type.trim().toUpperCase();
  const targetKind: TargetKind =
    targetType === 'BOOLEAN' ? 'boolean' : isNumericType(targetType) ? 'numeric' : 'categorical';

  const t = quoteIdent(target);
  // Aliases f0, f1, … keep any column name (even one equal to the target's) out of the result schema.
  const selectList = [
    ...features.map((f, j) => `CAST(${quoteIdent(f)} AS DOUBLE) AS f${j}`),
    targetKind === 'categorical' ? `CAST(${t} AS VARCHAR) AS y` : `CAST(${t} AS DOUBLE) AS y`,
  ].join(', ');
  let sql = `SELECT ${selectList} FROM ${quoteIdent(table)} WHERE ${t} IS NOT NULL`;
  const counts = db.rows(`SELECT count(*) AS total, count(${t}) AS usable FROM ${quoteIdent(table)}`)[0]!;
  const usable = Number(counts.usable);
  const droppedRows = Number(counts.total) - usable;
  let sampled = false;
  if (options.sampleRows !== undefined) {
    if (!Number.isInteger(options.sampleRows) || options.sampleRows < 1) {
      throw new Error('sampleRows must be a positive integer.');
    }
    if (usable > options.sampleRows) {
      // Fixed seed: the same table gives the same sample, so results are reproducible.
      sql = `SELECT * FROM (${sql}) USING SAMPLE reservoir(${options.sampleRows} ROWS) REPEATABLE (42)`;
      sampled = true;
    }
  }
  const arrow = tableFromIPC(await db.runCancellable(sql, token));
  const rows = arrow.numRows;
  if (rows === 0) {
    throw new ShopSightError({
      code: 'no_target_rows',
      message: `No row of "${table}" has a value in "${target}".`,
      params: { table, column: target },
    });
  }

  const imputed: Record<string, number> = {};
  const columns = features.map((name, j) => {
    const vector = arrow.getChild(`f${j}`)!;
    let out: Float64Array;
    let nulls = 0;
    let sum = 0;
    if (vector.nullCount === 0) {
      // The fast path: the DOUBLE column's values as one typed array (copied: Arrow owns its buffers).
      out = Float64Array.from(vector.toArray() as Float64Array);
      for (let i = 0; i < rows; i++) sum += out[i]!;
    } else {
      out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        const v = vector.get(i) as number | null;
        if (v === null) nulls++;
        out[i] = v ?? NaN;
        if (v !== null) sum += v;
      }
    }
    if (!Number.isFinite(sum)) {
      // A NaN or ±Infinity value (not a NULL) is somewhere in the column.
      for (let i = 0; i < rows; i++) {
        const v = out[i]!;
        if (!Number.isFinite(v) && vector.isValid(i)) {
          throw new ShopSightError({
            code: 'not_finite',
            message: `"${name}" contains NaN or infinite values.`,
            params: { column: name },
          });
        }
      }
    }
    if (nulls === rows) {
      throw new ShopSightError({
        code: 'feature_all_null',
        message: `"${name}" has no values on the rows that have a target.`,
        params: { column: name },
      });
    }
    if (nulls > 0) {
      if (options.missing === 'error') {
        throw new ShopSightError({
          code: 'feature_has_nulls',
          message: `"${name}" has ${nulls} missing values.`,
          params: { column: name, count: nulls },
        });
      }
      // Mean imputation keeps the row (and the other features' information); it shrinks the
      // feature's variance a little, which the caller can see in `imputed`.
      const fill = sum / (rows - nulls);
      for (let i = 0; i < rows; i++) if (Number.isNaN(out[i]!)) out[i] = fill;
      imputed[name] = nulls;
    }
    return out;
  });

  const yVector = arrow.getChild('y')!;
  let numeric: Float64Array | null = null;
  let classes: Int32Array | null = null;
  let labels: string[] | null = null;
  if (targetKind === 'categorical') {
    const values = Array.from({ length: rows }, (_, i) => String(yVector.get(i)));
    labels = [...new Set(values)].sort();
    checkClassCount(labels, target, maxClasses);
    const index = new Map(labels.map((l, c) => [l, c]));
    classes = Int32Array.from(values, (v) => index.get(v)!);
  } else {
    numeric = Float64Array.from(yVector.toArray() as Float64Array);
    if (numeric.some((v) => !Number.isFinite(v))) {
      throw new ShopSightError({
        code: 'not_finite',
        message: `"${target}" contains NaN or infinite values.`,
        params: { column: target },
      });
    }
    const distinct = [...new Set(numeric)].sort((a, b) => a - b);
    if (targetKind === 'boolean') {
      labels = ['false', 'true'];
      classes = Int32Array.from(numeric);
      if (distinct.length < 2)
        checkClassCount(
          distinct.map((v) => labels![v]!),
          target,
          maxClasses,
        );
    } else if (distinct.length <= maxClasses) {
      labels = distinct.map(String);
      const index = new Map(distinct.map((v, c) => [v, c]));
      classes = Int32Array.from(numeric, (v) => index.get(v)!);
    }
  }
  return {
    features,
    columns,
    targetKind,
    target: numeric,
    classes,
    labels,
    rows,
    droppedRows,
    sampled,
    imputed,
  };
}

function checkClassCount(labels: readonly string[], target: string, maxClasses: number): void {
  if (labels.length < 2) {
    throw new ShopSightError({
      code: 'target_single_class',
      message: `"${target}" has only one value (${labels[0] ?? ''}) on the rows used: there is nothing to tell apart.`,
      params: { column: target, value: labels[0] ?? '' },
    });
  }
  if (labels.length > maxClasses) {
    throw new ShopSightError({
      code: 'target_too_many_classes',
      message: `"${target}" has ${labels.length} distinct values; at most ${maxClasses} classes are supported.`,
      params: { column: target, count: labels.length, max: maxClasses },
    });
  }
}

/** The selection methods `selectFeatures` offers. */
export type SelectionMethod =
  'anova' | 'chi2' | 'f_regression' | 'mutual_info' | 'variance' | 'rfe' | 'rfe_forest' | 'permutation' | 'correlation';

/** A `selectFeatures` request: what to load, which method, and its knobs. */
export interface SelectFeaturesRequest extends LoadOptions {
  method: SelectionMethod;
  /**
   * How many top-ranked features to mark `selected`. Default: 10 (or all, if fewer) for the
   * scoring methods; for 'variance' and 'correlation' every feature that passes their filter.
   */
  k?: number;
  /** Instead of `k`: mark the top `percentile` % as selected (sklearn's SelectPercentile, its tie rule included). */
  percentile?: number;
  /** 'variance': keep variance > threshold (default 0). 'correlation': drop pairs with |r| ≥ threshold (default 0.9). */
  threshold?: number;
  /** 'mutual_info': classification (default for BOOLEAN/text targets) or regression (default for numeric ones). */
  task?: 'classification' | 'regression';
  /** 'mutual_info' noise seed, as sklearn's random_state; 'permutation' / 'rfe_forest' split and forest seed (default 0). */
  randomState?: number;
  /** 'rfe': inverse L2 strength of the logistic regression (default 1). */
  C?: number;
  /** 'rfe', 'rfe_forest': features removed per round (default 1, which gives a full ranking; larger is faster, with shared ranks). */
  step?: number;
}

/**
 * Row caps applied when the request sets no `sampleRows`: the k-NN estimator and the repeated
 * logistic fits are the two costs that grow faster than the row count times the feature count.
 */
export const DEFAULT_SAMPLE_ROWS: Partial<Record<SelectionMethod, number>> = {
  mutual_info: 50_000,
  rfe: 50_000,
  // A forest per round (rfe_forest) or one forest plus shuffled re-scoring (permutation).
  rfe_forest: 20_000,
  permutation: 20_000,
};

/**
 * Runs a step generator, yielding to the event loop every ~30 ms so that a cancel can land;
 * `progress` turns each yielded value into a 'select' progress event.
 */
async function runSteps<T>(
  steps: Generator<number, T, void>,
  token: CancelToken,
  progress?: (value: number) => void,
): Promise<T> {
  let last = performance.now();
  for (;;) {
    if (token.cancelled) throw ShopSightError.cancelled();
    const next = steps.next();
    if (next.done) return next.value;
    progress?.(next.value);
    if (performance.now() - last > 30) {
      await yieldToEventLoop();
      last = performance.now();
    }
  }
}

/** One feature's result; `rank` 1 is the best. */
export interface FeatureScore {
  feature: string;
  score: number;
  pValue?: number;
  /** 'permutation': the standard deviation of the score drop over the shuffles. */
  std?: number;
  rank: number;
  selected: boolean;
}

/** The ranked features plus what was used to get them. */
export interface SelectFeaturesResult {
  method: SelectionMethod;
  target: string;
  task: 'classification' | 'regression' | 'unsupervised';
  /** What `score` means, for display. */
  scoreName: string;
  rows: number;
  droppedRows: number;
  /** Whether the rows were a reservoir sample (see `sampleRows` and DEFAULT_SAMPLE_ROWS). */
  sampled: boolean;
  imputed: Record<string, number>;
  labels: string[] | null;
  /** Sorted by rank. */
  features: FeatureScore[];
  /** 'correlation': which feature was dropped in favour of which. */
  correlatedDrops?: { dropped: string; keptInstead: string; r: number }[];
  elapsedMs: number;
}

function requireClasses(data: LoadedData, target: string, method: SelectionMethod): Int32Array {
  if (!data.classes || !data.labels) {
    throw new ShopSightError({
      code: 'target_too_many_classes',
      message: `"${target}" has too many distinct values to be used as classes by ${method}.`,
      params: { column: target, method },
    });
  }
  checkClassCount(data.labels, target, Infinity);
  return data.classes;
}

function requireNumericTarget(data: LoadedData, target: string, method: SelectionMethod): Float64Array {
  if (!data.target) {
    throw new ShopSightError({
      code: 'target_not_numeric',
      message: `${method} needs a numeric target; "${target}" is text.`,
      params: { column: target, method },
    });
  }
  if (data.target.every((v) => v === data.target![0])) {
    throw new ShopSightError({
      code: 'target_single_class',
      message: `"${target}" has only one value (${data.target[0]}) on the rows used: there is nothing to explain.`,
      params: { column: target, value: String(data.target[0]) },
    });
  }
  return data.target;
}

/**
 * Loads the data and ranks the features with one method; what the data worker calls. Scores
 * are: F ('anova', 'f_regression'), χ² ('chi2'), nats ('mutual_info'), variance ('variance'),
 * rounds survived in recursive elimination ('rfe', with a full ranking), and |r| with the target
 * ('correlation'; for class targets the correlation ratio η, which is |r| for two classes).
 */
export async function selectFeatures(
  db: Db,
  request: SelectFeaturesRequest,
  token: CancelToken,
  onProgress?: ProgressCallback,
): Promise<SelectFeaturesResult> {
  const started = performance.now();
  const sampleRows = request.sampleRows ?? DEFAULT_SAMPLE_ROWS[request.method];
  const data = await loadFeatureData(db, sampleRows === undefined ? request : { ...request, sampleRows }, token);
  if (token.cancelled) throw ShopSightError.cancelled();
  const { method, target } = request;
  const p = data.features.length;
  let scores: Float64Array;
  let pValues: Float64Array | undefined;
  let passes: boolean[] | undefined;
  let ranks: Int32Array | undefined;
  let task: SelectFeaturesResult['task'] = 'classification';
  let scoreName: string;
  let correlatedDrops: SelectFeaturesResult['correlatedDrops'];
  let spreads: Float64Array | undefined;
  switch (method) {
    case 'anova': {
      ({ scores, pValues } = fClassif(data.columns, requireClasses(data, target, method)));
      scoreName = 'F';
      break;
    }
    case 'chi2': {
      try {
        ({ scores, pValues } = chi2(data.columns, requireClasses(data, target, method)));
      } catch (error) {
        if (error instanceof ShopSightError && error.code === 'chi2_negative_values') {
          const column = data.features[Number(error.params.feature)]!;
          throw new ShopSightError({
            code: error.code,
            message: `"${column}" has negative values; ${error.message}`,
            params: { column },
          });
        }
        throw error;
      }
      scoreName = 'chi2';
      break;
    }
    case 'f_regression': {
      ({ scores, pValues } = fRegression(data.columns, requireNumericTarget(data, target, method)));
      task = 'regression';
      scoreName = 'F';
      break;
    }
    case 'mutual_info': {
      const regression = request.task ? request.task === 'regression' : data.targetKind === 'numeric';
      const options = { randomState: request.randomState ?? 0 };
      const y = regression ? requireNumericTarget(data, target, method) : requireClasses(data, target, method);
      scores = await runSteps(mutualInfoSteps(data.columns, y, !regression, options), token, (done) =>
        onProgress?.({ phase: 'select', done, total: p }),
      );
      task = regression ? 'regression' : 'classification';
      scoreName = 'mutual_information_nats';
      break;
    }
    case 'variance': {
      const result = varianceThreshold(data.columns, request.threshold ?? 0);
      scores = result.variances;
      passes = result.support;
      task = 'unsupervised';
      scoreName = 'variance';
      break;
    }
    case 'rfe': {
      const steps = rfeLogisticSteps(data.columns, requireClasses(data, target, method), {
        nFeaturesToSelect: 1,
        C: request.C ?? 1,
        step: request.step ?? 1,
      });
      // Progress counts eliminated features: p − 1 of them for a full ranking.
      const rfe = await runSteps(steps, token, (left) =>
        onProgress?.({ phase: 'select', done: p - left, total: p - 1 }),
      );
      ranks = rfe.ranking;
      scores = Float64Array.from(rfe.ranking, (r) => p - r);
      scoreName = 'rounds_survived';
      break;
    }
    case 'rfe_forest': {
      const steps = rfeForestSteps(data.columns, requireClasses(data, target, method), {
        nFeaturesToSelect: 1,
        step: request.step ?? 1,
        seed: request.randomState ?? 0,
      });
      const rfe = await runSteps(steps, token, (left) =>
        onProgress?.({ phase: 'select', done: p - left, total: p - 1 }),
      );
      ranks = rfe.ranking;
      scores = Float64Array.from(rfe.ranking, (r) => p - r);
      scoreName = 'rounds_survived';
      break;
    }
    case 'permutation': {
      const regression = request.task ? request.task === 'regression' : data.targetKind === 'numeric' || !data.classes;
      const y = regression
        ? { target: requireNumericTarget(data, target, method) }
        : { classes: requireClasses(data, target, method), nClasses: data.labels!.length };
      const ranking = await runSteps(
        permutationRankingSteps(data.columns, y, { seed: request.randomState ?? 0 }),
        token,
        (done) => onProgress?.({ phase: 'select', done, total: 2 }),
      );
      scores = ranking.mean;
      spreads = ranking.std;
      task = regression ? 'regression' : 'classification';
      scoreName = `permutation_${ranking.metric}_drop`;
      break;
    }
    case 'correlation': {
      if (data.targetKind === 'numeric' || !data.classes) {
        const y = requireNumericTarget(data, target, method);
        scores = Float64Array.from(fRegression(data.columns, y).r, Math.abs);
        task = 'regression';
      } else {
        const classes = requireClasses(data, target, method);
        const { scores: f } = fClassif(data.columns, classes);
        const dfb = data.labels!.length - 1;
        const dfw = data.rows - data.labels!.length;
        // η² = SSB/SST = F·dfb / (F·dfb + dfw); a constant feature (F = NaN) has η = 0.
        scores = Float64Array.from(f, (v) =>
          Number.isNaN(v) ? 0 : v === Infinity ? 1 : Math.sqrt((v * dfb) / (v * dfb + dfw)),
        );
      }
      const dropped = dropCorrelated(data.columns, request.threshold ?? 0.9, scores);
      passes = dropped.keep;
      correlatedDrops = dropped.drops.map((d) => ({
        dropped: data.features[d.dropped]!,
        keptInstead: data.features[d.keptInstead]!,
        r: d.r,
      }));
      scoreName = task === 'regression' ? 'abs_pearson_r' : 'correlation_ratio';
      break;
    }
    default:
      // Unreachable through the typed API; a programming error, not a user-facing one.
      throw new Error(`Unknown feature-selection method "${String(method)}".`);
  }
  if (token.cancelled) throw ShopSightError.cancelled();
  const rank = ranks ?? rankScores(scores);
  const k = request.k ?? (passes ? p : Math.min(10, p));
  if (!Number.isInteger(k) || k < 0) throw new Error('k must be a non-negative integer.');
  const top =
    request.percentile !== undefined && request.k === undefined
      ? selectPercentile(scores, request.percentile)
      : ranks
        ? Array.from(rank, (r) => r <= k)
        : selectKBest(scores, k);
  const features: FeatureScore[] = data.features.map((feature, j) => {
    const entry: FeatureScore = {
      feature,
      score: scores[j]!,
      rank: rank[j]!,
      selected: top[j]! && (passes ? passes[j]! : true),
    };
    if (pValues) entry.pValue = pValues[j]!;
    if (spreads) entry.std = spreads[j]!;
    return entry;
  });
  features.sort((a, b) => a.rank - b.rank);
  const result: SelectFeaturesResult = {
    method,
    target,
    task,
    scoreName,
    rows: data.rows,
    droppedRows: data.droppedRows,
    sampled: data.sampled,
    imputed: data.imputed,
    labels: data.labels,
    features,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (correlatedDrops) result.correlatedDrops = correlatedDrops;
  return result;
}

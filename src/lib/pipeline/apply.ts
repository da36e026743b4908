/**
 * Runs a fitted recipe: `applyRecipe` materialises the result atomically (built under a temporary
 * name, then renamed in one transaction; on any failure nothing is left behind and the source is
 * untouched), and `previewStep` shows one step's before/after counts and first rows.
 */
import { tableFromIPC } from 'apache-arrow';
import type { CancelToken, Db } from '../data/db';
import { ShopSightError, toErrorInfo } from '../data/errors';
import { validateTableName } from '../data/table-names';
import { quoteIdent } from '../sql/ident';
import { checkCancelled, num, queryRows } from '../sql/run';
import {
  chainSql,
  checkSchema,
  compileSteps,
  convertibleCountSql,
  failureCountSql,
  type CompiledStep,
} from './compile';
import { describeColumns, fitRecipe } from './fit';
import { stepLabel, type Recipe, type SourceColumn } from './steps';

export interface StepStats {
  id: string;
  rows: number;
  columns: number;
  /** Values the step could not convert (cast, parse_date, log1p) and so left missing. */
  failed?: number;
}

export interface ApplyResult {
  rows: number;
  columns: SourceColumn[];
  /** One entry per enabled step, in order. */
  perStep: StepStats[];
}

const q = quoteIdent;

/** DuckDB prefixes messages with "Binder Error: " and the like (same rule as the engine's). */
function cleanMessage(message: string): string {
  return message.replace(/^(?:[A-Z][a-z]+ )*Error: /, '').trim();
}

function schemaOrThrow(recipe: Recipe, columns: readonly SourceColumn[]): void {
  const problem = checkSchema(recipe, columns);
  if (problem) throw problem;
}

/** Which step breaks: the first prefix of the chain that fails on its first row (error path only). */
function findFailingStep(db: Db, table: string, steps: readonly CompiledStep[]): number | undefined {
  for (let n = 1; n <= steps.length; n++) {
    try {
      db.exec(chainSql(steps.slice(0, n), table, (last) => `SELECT * FROM ${last} LIMIT 1`));
    } catch {
      return steps[n - 1]!.index;
    }
  }
  return undefined;
}

function failure(error: unknown, db: Db, table: string, steps: readonly CompiledStep[], recipe: Recipe): Error {
  if (error instanceof ShopSightError) return error;
  // DuckDB appends the statement ("LINE 2: …"), which means nothing to the user.
  const message = cleanMessage(toErrorInfo(error).message).split('\n')[0]!.trim();
  const index = findFailingStep(db, table, steps);
  if (index === undefined) {
    return new ShopSightError({ code: 'recipe_failed', message: `The recipe could not be applied: ${message}` });
  }
  const step = recipe.steps[index]!;
  return new ShopSightError({
    code: 'recipe_failed',
    message: `${stepLabel(index, step.kind)} could not be applied: ${message}`,
    params: { step: index + 1, kind: step.kind },
  });
}

/**
 * Whether a step can change the number of rows. Only these need their own count: every other
 * step keeps its input's, and each count re-evaluates the chain up to its step, which is the
 * expensive part of applying a long recipe to a big table (bench/prepare).
 */
export function changesRowCount(step: Recipe['steps'][number]): boolean {
  return step.kind === 'dedupe' || step.kind === 'filter_rows' || (step.kind === 'outliers' && step.action === 'drop');
}

/** Per-step row counts, column counts and conversion failures, in one query over the chain. */
async function stepStats(
  db: Db,
  table: string,
  steps: readonly CompiledStep[],
  recipe: Recipe,
  token: CancelToken,
): Promise<StepStats[]> {
  if (!steps.length) return [];
  // The table itself counts as "row 0"; a disabled step is not in `steps` at all.
  const exprs: string[] = [`(SELECT count(*) FROM ${q(table)}) AS r_in`];
  steps.forEach((s, i) => {
    if (changesRowCount(recipe.steps[s.index]!)) exprs.push(`(SELECT count(*) FROM ${q(s.cte)}) AS r${i}`);
    const prev = i === 0 ? q(table) : q(steps[i - 1]!.cte);
    const failed = failureCountSql(recipe.steps[s.index]!, prev);
    if (failed) exprs.push(`${failed} AS f${i}`);
    const convertible = convertibleCountSql(recipe.steps[s.index]!, prev);
    if (convertible) exprs.push(`${convertible} AS c${i}`);
  });
  const [row] = await queryRows(
    db,
    chainSql(steps, table, () => `SELECT ${exprs.join(', ')}`),
    token,
  );
  let rows = num(row?.r_in) ?? 0;
  return steps.map((s, i) => {
    rows = num(row?.[`r${i}`]) ?? rows;
    const columns = db.rows(`DESCRIBE ${chainSql(steps.slice(0, i + 1), table)}`).length;
    const failed = num(row?.[`f${i}`]);
    const convertible = num(row?.[`c${i}`]);
    if (failed !== undefined && convertible !== undefined && convertible > 0 && failed === convertible) {
      const step = recipe.steps[s.index]!;
      throw new ShopSightError({
        code: 'step_converted_nothing',
        message: `${stepLabel(s.index, step.kind)} could not convert any of its ${convertible} values (check the format or the target type); the recipe was not applied.`,
        params: { step: s.index + 1, kind: step.kind, count: convertible },
      });
    }
    return { id: s.id, rows, columns, ...(failed === undefined ? {} : { failed }) };
  });
}

/**
 * Applies a fitted recipe to `table` and writes the result to `target` (replacing a table of
 * that name only once the new one is complete). Never re-fits: unfitted steps are an error.
 */
export async function applyRecipe(
  db: Db,
  table: string,
  recipe: Recipe,
  target: string,
  token: CancelToken = { cancelled: false },
): Promise<ApplyResult> {
  const name = validateTableName(target);
  const columns = describeColumns(db, table);
  schemaOrThrow(recipe, columns);
  const compiled = compileSteps(recipe, table, { columns });
  const temp = `__recipe_${Math.random().toString(36).slice(2, 10)}`;
  let inTransaction = false;
  try {
    await db.runCancellable(`CREATE TABLE ${q(temp)} AS ${compiled.sql}`, token);
    const perStep = await stepStats(db, table, compiled.steps, recipe, token);
    checkCancelled(token);
    db.exec('BEGIN TRANSACTION');
    inTransaction = true;
    db.exec(`DROP TABLE IF EXISTS ${q(name)}`);
    db.exec(`ALTER TABLE ${q(temp)} RENAME TO ${q(name)}`);
    db.exec('COMMIT');
    inTransaction = false;
    const rows = num(db.scalar(`SELECT count(*) FROM ${q(name)}`)) ?? 0;
    return { rows, columns: describeColumns(db, name), perStep };
  } catch (error) {
    if (inTransaction) db.exec('ROLLBACK');
    db.exec(`DROP TABLE IF EXISTS ${q(temp)}`);
    throw failure(error, db, table, compiled.steps, recipe);
  }
}

export interface PreviewSide {
  rows: number;
  columns: SourceColumn[];
}

export interface StepPreview {
  before: PreviewSide;
  after: PreviewSide;
  /** The first `limit` rows after the step, as Arrow IPC stream bytes. */
  ipc: Uint8Array;
  rowCount: number;
  failed?: number;
  /** The recipe with the steps up to `stepIndex` fitted (those that were not yet). */
  recipe: Recipe;
}

/**
 * Before/after counts and the first rows for step `stepIndex` (0-based). Steps not yet fitted are
 * fitted on the fly on `fitOn` (default: the table), and the fitted recipe is returned.
 */
export async function previewStep(
  db: Db,
  table: string,
  recipe: Recipe,
  stepIndex: number,
  limit: number,
  options: { fitOn?: string; token?: CancelToken } = {},
): Promise<StepPreview> {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= recipe.steps.length) {
    throw new ShopSightError({
      code: 'bad_request',
      message: `The recipe has no step ${stepIndex + 1}.`,
      params: { step: stepIndex + 1 },
    });
  }
  const columns = describeColumns(db, table);
  const prefix: Recipe = { ...recipe, steps: recipe.steps.slice(0, stepIndex + 1) };
  schemaOrThrow(prefix, columns);
  const fitted = await fitRecipe(db, table, prefix, {
    onlyMissing: true,
    ...(options.fitOn === undefined ? {} : { fitOn: options.fitOn }),
    ...(options.token ? { token: options.token } : {}),
  });
  const full: Recipe = { ...recipe, steps: [...fitted.steps, ...recipe.steps.slice(stepIndex + 1)] };
  const before = compileSteps(full, table, { count: stepIndex, columns });
  const after = compileSteps(full, table, { count: stepIndex + 1, columns });
  const side = (sql: string): PreviewSide => ({
    rows: num(db.scalar(`SELECT count(*) FROM (${sql})`)) ?? 0,
    columns: db.rows(`DESCRIBE ${sql}`).map((r) => ({ name: String(r.column_name), type: String(r.column_type) })),
  });
  try {
    const step = full.steps[stepIndex]!;
    const prev = before.steps.length ? q(before.steps[before.steps.length - 1]!.cte) : q(table);
    const failedSql = step.enabled ? failureCountSql(step, prev) : undefined;
    const failed = failedSql ? num(db.scalar(chainSql(before.steps, table, () => `SELECT ${failedSql}`))) : undefined;
    const ipc = db.ipc(
      chainSql(after.steps, table, (last) => `SELECT * FROM ${last} LIMIT ${Math.max(0, Math.floor(limit))}`),
    );
    return {
      before: side(before.sql),
      after: side(after.sql),
      ipc,
      rowCount: tableFromIPC(ipc).numRows,
      ...(failed === undefined ? {} : { failed }),
      recipe: full,
    };
  } catch (error) {
    throw failure(error, db, table, after.steps, full);
  }
}

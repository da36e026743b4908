/**
 * Compiles a recipe to DuckDB SQL: one CTE per enabled step, each a SELECT over the previous
 * one. Names go through `quoteIdent` and values through `sqlLiteral` (fitted numbers through
 * `dbl`, a string parsed as DOUBLE so they round-trip exactly); nothing else reaches the text.
 *
 * The same walk propagates the schema step by step, which is how `checkSchema` tells the user
 * that next month's file lacks a column or has it with the wrong type before anything runs.
 */
import { ShopSightError } from '../data/errors';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import {
  needsFit,
  stepLabel,
  type CastTarget,
  type Condition,
  type ConditionGroup,
  type Recipe,
  type RecipeStep,
  type Scalar,
  type SourceColumn,
} from './steps';

/** Coarse type classes that step requirements are stated in. */
export type TypeClass = 'numeric' | 'text' | 'date' | 'timestamp' | 'boolean' | 'other';

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|INT|INT\d|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|NUMERIC(\(\d+,\s*\d+\))?)$/;

export function typeClass(type: string): TypeClass {
  const t = type.trim().toUpperCase();
  if (NUMERIC.test(t)) return 'numeric';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR(') || t === 'TEXT' || t === 'STRING') return 'text';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  return 'other';
}

const CAST_SQL_TYPE: Record<CastTarget, string> = {
  integer: 'BIGINT',
  double: 'DOUBLE',
  varchar: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

/** A fitted number as SQL: parsed from its shortest decimal string, so the DOUBLE is exact. */
export function dbl(n: number): string {
  return `CAST(${sqlLiteral(String(n))} AS DOUBLE)`;
}

// Full-width ASCII variants U+FF01–U+FF5E map to U+0021–U+007E; U+3000 is the ideographic space.
const FULL_WIDTH = String.fromCharCode(...Array.from({ length: 0x5e }, (_, i) => 0xff01 + i), 0x3000);
const HALF_WIDTH = String.fromCharCode(...Array.from({ length: 0x5e }, (_, i) => 0x21 + i), 0x20);

// ---------------------------------------------------------------------------------------------
// Schema propagation

/** The schema flowing between steps; `open` once an unfitted step makes the columns unknowable. */
interface Schema {
  columns: SourceColumn[];
  open: boolean;
}

function describeType(type: string): string {
  const cls = typeClass(type);
  return cls === 'text' ? 'text' : `${cls === 'other' ? '' : `${cls} `}(${type})`.trim();
}

const CLASS_WORDS: Record<string, string> = {
  numeric: 'numeric',
  text: 'text',
  date: 'date or timestamp',
};

function mismatch(message: string, params: Record<string, string | number>): ShopSightError {
  return new ShopSightError({ code: 'schema_mismatch', message, params });
}

class StepSchema {
  constructor(
    readonly schema: Schema,
    readonly index: number,
    readonly step: RecipeStep,
  ) {}

  get label(): string {
    return stepLabel(this.index, this.step.kind);
  }

  /** DuckDB matches identifiers case-insensitively, even quoted ones. */
  find(name: string): SourceColumn | undefined {
    const lower = name.toLowerCase();
    return (
      this.schema.columns.find((c) => c.name === name) ??
      this.schema.columns.find((c) => c.name.toLowerCase() === lower)
    );
  }

  /** Requires a column (optionally of a type class); returns its type or undefined when unknowable. */
  need(name: string, need?: 'numeric' | 'text' | 'date'): string | undefined {
    const col = this.find(name);
    const params = { step: this.index + 1, kind: this.step.kind, column: name };
    if (!col) {
      if (this.schema.open) return undefined;
      const word = need ? `${CLASS_WORDS[need]} column` : 'column';
      throw mismatch(`${this.label} needs ${word} "${name}", but the table has no such column.`, params);
    }
    if (need) {
      const cls = typeClass(col.type);
      const ok =
        need === 'numeric'
          ? cls === 'numeric'
          : need === 'text'
            ? cls === 'text'
            : cls === 'date' || cls === 'timestamp';
      if (!ok) {
        throw mismatch(
          `${this.label} needs ${CLASS_WORDS[need]} column "${name}", but the table has it as ${describeType(col.type)}.`,
          { ...params, type: col.type },
        );
      }
    }
    return col.type;
  }

  /** Requires that a new column name is free. */
  fresh(name: string, ignoring: readonly string[] = []): void {
    const existing = this.find(name);
    if (existing && !ignoring.includes(existing.name)) {
      throw mismatch(`${this.label} would create column "${name}", but the table already has one.`, {
        step: this.index + 1,
        kind: this.step.kind,
        column: name,
      });
    }
  }
}

function setType(columns: SourceColumn[], name: string, type: string): SourceColumn[] {
  return columns.map((c) => (c.name === name ? { name, type } : c));
}

/** Output column of a step that writes either in place or `into` a new column. */
function writeTo(s: StepSchema, cols: SourceColumn[], column: string, into: string | undefined, type: string) {
  if (into === undefined || into === column) return setType(cols, column, type);
  s.fresh(into);
  return [...cols, { name: into, type }];
}

/**
 * `<prefix>_<category>` for each fitted category, then `<prefix>_other`. Names that DuckDB would
 * treat as equal (it ignores case) get `_2`, `_3`… in category order, so they are deterministic.
 */
export function oneHotNames(step: Extract<RecipeStep, { kind: 'one_hot' }>): string[] {
  const prefix = step.prefix ?? step.column;
  const taken = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  };
  const other = `${prefix}_other`;
  taken.add(other.toLowerCase());
  return [...(step.fitted?.categories ?? []).map((c) => unique(`${prefix}_${c}`)), other];
}

/** Checks one step's requirements against its input schema and returns its output schema. */
function propagate(schema: Schema, index: number, step: RecipeStep): Schema {
  const s = new StepSchema(schema, index, step);
  let cols = schema.columns;
  let open = schema.open;
  switch (step.kind) {
    case 'dedupe':
      for (const k of step.keys ?? []) s.need(k);
      if (step.orderBy) s.need(step.orderBy);
      break;
    case 'select_columns':
      for (const c of step.columns) s.need(c);
      if (step.mode === 'keep') {
        cols = step.columns.map((name) => s.find(name) ?? { name, type: 'UNKNOWN' });
      } else {
        cols = cols.filter((c) => !step.columns.includes(c.name));
        if (cols.length === 0 && !open) {
          throw mismatch(`${s.label} would drop every column.`, { step: index + 1, kind: step.kind });
        }
      }
      break;
    case 'rename_columns': {
      const froms = step.renames.map((r) => r.from);
      for (const r of step.renames) {
        s.need(r.from);
        s.fresh(r.to, froms);
      }
      cols = cols.map((c) => {
        const r = step.renames.find((x) => x.from === c.name);
        return r ? { name: r.to, type: c.type } : c;
      });
      break;
    }
    case 'filter_rows':
      forEachCondition(step.where, (c) => s.need(c.column));
      break;
    case 'cast':
      for (const c of step.columns) {
        s.need(c);
        cols = setType(cols, c, CAST_SQL_TYPE[step.to]);
      }
      break;
    case 'parse_date':
      s.need(step.column, 'text');
      cols = writeTo(s, cols, step.column, step.into, step.as === 'date' ? 'DATE' : 'TIMESTAMP');
      break;
    case 'date_parts':
      s.need(step.column, 'date');
      for (const part of step.parts) {
        const name = `${step.prefix ?? step.column}_${part}`;
        s.fresh(name);
        cols = [...cols, { name, type: part === 'is_weekend' ? 'BOOLEAN' : 'BIGINT' }];
      }
      break;
    case 'days_between':
      s.need(step.start, 'date');
      if ('column' in step.end) s.need(step.end.column, 'date');
      s.fresh(step.into);
      cols = [...cols, { name: step.into, type: 'BIGINT' }];
      break;
    case 'impute':
      for (const c of step.columns) {
        const type = s.need(c, step.method === 'mean' || step.method === 'median' ? 'numeric' : undefined);
        if ((step.method === 'mean' || step.method === 'median') && type) cols = setType(cols, c, 'DOUBLE');
      }
      if (step.orderBy) s.need(step.orderBy);
      for (const g of step.groupBy ?? []) s.need(g);
      if (step.flagMissing) {
        for (const c of step.columns) {
          s.fresh(`${c}_was_missing`);
          cols = [...cols, { name: `${c}_was_missing`, type: 'BOOLEAN' }];
        }
      }
      break;
    case 'outliers':
    case 'scale':
    case 'log1p':
      for (const c of step.columns) {
        s.need(c, 'numeric');
        if (step.kind !== 'outliers' || step.action === 'clip') cols = setType(cols, c, 'DOUBLE');
      }
      break;
    case 'bin':
      s.need(step.column, 'numeric');
      cols = writeTo(s, cols, step.column, step.into, 'INTEGER');
      break;
    case 'one_hot': {
      s.need(step.column);
      if (!step.keepOriginal) cols = cols.filter((c) => c.name !== step.column);
      if (!step.fitted) {
        open = true;
        break;
      }
      const names = oneHotNames(step);
      const after = new StepSchema({ columns: cols, open }, index, step);
      for (const name of names) after.fresh(name);
      cols = [...cols, ...names.map((name) => ({ name, type: 'INTEGER' }))];
      break;
    }
    case 'ordinal_encode':
      s.need(step.column);
      cols = writeTo(s, cols, step.column, step.into, 'INTEGER');
      break;
    case 'frequency_encode':
      s.need(step.column);
      cols = writeTo(s, cols, step.column, step.into, step.normalize === false ? 'BIGINT' : 'DOUBLE');
      break;
    case 'text_clean':
      for (const c of step.columns) s.need(c, 'text');
      break;
  }
  return { columns: cols, open };
}

function forEachCondition(group: ConditionGroup, visit: (c: Condition) => void): void {
  for (const item of 'all' in group ? group.all : group.any) {
    if ('all' in item || 'any' in item) forEachCondition(item, visit);
    else visit(item);
  }
}

/**
 * Checks that a table with `columns` can go through the recipe; returns the first specific
 * problem ("Step 3 (scale) needs numeric column "Price", but the table has it as text.") or
 * `undefined`. Disabled steps are not checked.
 */
export function checkSchema(recipe: Recipe, columns: readonly SourceColumn[]): ShopSightError | undefined {
  try {
    schemaAfter(recipe, columns, recipe.steps.length);
    return undefined;
  } catch (error) {
    if (error instanceof ShopSightError) return error;
    throw error;
  }
}

/** The schema after the first `count` steps (only enabled ones act); throws `schema_mismatch`. */
export function schemaAfter(recipe: Recipe, columns: readonly SourceColumn[], count: number): SourceColumn[] {
  let schema: Schema = { columns: [...columns], open: false };
  recipe.steps.slice(0, count).forEach((step, i) => {
    if (step.enabled) schema = propagate(schema, i, step);
  });
  return schema.columns;
}

// ---------------------------------------------------------------------------------------------
// SQL

const q = quoteIdent;

function lit(value: Scalar): string {
  return sqlLiteral(value);
}

function conditionSql(c: Condition): string {
  const col = q(c.column);
  const text = (e: string) => (c.ignoreCase ? `lower(CAST(${e} AS VARCHAR))` : `CAST(${e} AS VARCHAR)`);
  const textLit = (v: string) => (c.ignoreCase ? `lower(${lit(v)})` : lit(v));
  const v = c.value;
  switch (c.op) {
    case 'is_null':
      return `${col} IS NULL`;
    case 'not_null':
      return `${col} IS NOT NULL`;
    case 'in':
      return `${col} IN (${(v as Scalar[]).map(lit).join(', ')})`;
    case 'between': {
      const [lo, hi] = v as Scalar[];
      return `${col} BETWEEN ${lit(lo ?? null)} AND ${lit(hi ?? null)}`;
    }
    case 'contains':
      return `contains(${text(col)}, ${textLit(v as string)})`;
    case 'starts_with':
      return `starts_with(${text(col)}, ${textLit(v as string)})`;
    case '!=':
      // Like pandas' `!=`, a missing value is "not equal" and so kept.
      return `${col} IS DISTINCT FROM ${lit(v as Scalar)}`;
    default:
      return `${col} ${c.op} ${lit(v as Scalar)}`;
  }
}

function groupSql(group: ConditionGroup): string {
  const items = 'all' in group ? group.all : group.any;
  const parts = items.map((item) => ('all' in item || 'any' in item ? groupSql(item) : conditionSql(item)));
  return `(${parts.join('all' in group ? ' AND ' : ' OR ')})`;
}

function notFitted(index: number, step: RecipeStep): ShopSightError {
  return new ShopSightError({
    code: 'not_fitted',
    message: `${stepLabel(index, step.kind)} has not been fitted yet: fit the recipe before applying it.`,
    params: { step: index + 1, kind: step.kind },
  });
}

function fittedFor<T extends { column: string }>(
  list: T[] | undefined,
  column: string,
  index: number,
  step: RecipeStep,
): T {
  const found = list?.find((f) => f.column === column);
  if (!found) throw notFitted(index, step);
  return found;
}

function replaceOrAdd(prev: string, column: string, into: string | undefined, expr: string): string {
  return into === undefined || into === column
    ? `SELECT * REPLACE (${expr} AS ${q(column)}) FROM ${prev}`
    : `SELECT *, ${expr} AS ${q(into)} FROM ${prev}`;
}

/** The expression that maps a value to a 0-based bin index with the fitted edges. */
function binExpr(col: string, edges: readonly number[]): string {
  const inner = edges.slice(1, -1);
  if (inner.length === 0) return `CASE WHEN ${col} IS NULL THEN NULL ELSE 0 END`;
  const whens = inner.map((e, i) => `WHEN ${col} < ${dbl(e)} THEN ${i}`).join(' ');
  return `CAST(CASE WHEN ${col} IS NULL THEN NULL ${whens} ELSE ${inner.length} END AS INTEGER)`;
}

/** SQL of one step as a SELECT over `prev` (an already-quoted relation name). */
export function stepSql(step: RecipeStep, index: number, prev: string): string {
  if (needsFit(step) && !('fitted' in step && step.fitted)) throw notFitted(index, step);
  switch (step.kind) {
    case 'dedupe': {
      if (!step.keys?.length) return `SELECT DISTINCT * FROM ${prev}`;
      const order = step.orderBy
        ? ` ORDER BY ${q(step.orderBy)} ${step.keep === 'last' ? 'DESC' : 'ASC'} NULLS LAST`
        : '';
      return `SELECT * FROM ${prev} QUALIFY row_number() OVER (PARTITION BY ${step.keys.map(q).join(', ')}${order}) = 1`;
    }
    case 'select_columns':
      return step.mode === 'keep'
        ? `SELECT ${step.columns.map(q).join(', ')} FROM ${prev}`
        : `SELECT * EXCLUDE (${step.columns.map(q).join(', ')}) FROM ${prev}`;
    case 'rename_columns':
      return `SELECT * RENAME (${step.renames.map((r) => `${q(r.from)} AS ${q(r.to)}`).join(', ')}) FROM ${prev}`;
    case 'filter_rows':
      return `SELECT * FROM ${prev} WHERE ${groupSql(step.where)}`;
    case 'cast':
      return `SELECT * REPLACE (${step.columns
        .map((c) => `TRY_CAST(${q(c)} AS ${CAST_SQL_TYPE[step.to]}) AS ${q(c)}`)
        .join(', ')}) FROM ${prev}`;
    case 'parse_date':
      return replaceOrAdd(prev, step.column, step.into, parseDateExpr(step));
    case 'date_parts': {
      const col = q(step.column);
      const prefix = step.prefix ?? step.column;
      const exprs = step.parts.map((part) => {
        const e =
          part === 'weekday'
            ? `isodow(${col})`
            : part === 'is_weekend'
              ? `isodow(${col}) IN (6, 7)`
              : `CAST(${part}(${col}) AS BIGINT)`;
        return `${e} AS ${q(`${prefix}_${part}`)}`;
      });
      return `SELECT *, ${exprs.join(', ')} FROM ${prev}`;
    }
    case 'days_between': {
      const end = 'column' in step.end ? q(step.end.column) : lit(step.end.date);
      return `SELECT *, date_diff('day', CAST(${q(step.start)} AS DATE), CAST(${end} AS DATE)) AS ${q(step.into)} FROM ${prev}`;
    }
    case 'impute': {
      const replaced = step.columns.map((c) => {
        let fill: string;
        if (step.method === 'constant') fill = lit(step.value ?? null);
        else if (step.method === 'forward_fill') {
          const part = step.groupBy?.length ? `PARTITION BY ${step.groupBy.map(q).join(', ')} ` : '';
          fill = `last_value(${q(c)} IGNORE NULLS) OVER (${part}ORDER BY ${q(step.orderBy ?? c)} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
        } else {
          const v = fittedFor(step.fitted, c, index, step).value;
          fill = step.method === 'mode' ? lit(v) : typeof v === 'number' ? dbl(v) : 'NULL';
        }
        return `coalesce(${q(c)}, ${fill}) AS ${q(c)}`;
      });
      const flags = step.flagMissing ? step.columns.map((c) => `, ${q(c)} IS NULL AS ${q(`${c}_was_missing`)}`) : [];
      return `SELECT * REPLACE (${replaced.join(', ')})${flags.join('')} FROM ${prev}`;
    }
    case 'outliers': {
      const bounds = step.columns.map((c) => ({ c: q(c), ...fittedFor(step.fitted, c, index, step) }));
      if (step.action === 'drop') {
        const keep = bounds.map((b) => `(${b.c} IS NULL OR ${b.c} BETWEEN ${dbl(b.lower)} AND ${dbl(b.upper)})`);
        return `SELECT * FROM ${prev} WHERE ${keep.join(' AND ')}`;
      }
      const clips = bounds.map(
        (b) =>
          `CASE WHEN ${b.c} < ${dbl(b.lower)} THEN ${dbl(b.lower)} WHEN ${b.c} > ${dbl(b.upper)} THEN ${dbl(b.upper)} ELSE CAST(${b.c} AS DOUBLE) END AS ${b.c}`,
      );
      return `SELECT * REPLACE (${clips.join(', ')}) FROM ${prev}`;
    }
    case 'scale':
      return `SELECT * REPLACE (${step.columns
        .map((c) => {
          const f = fittedFor(step.fitted, c, index, step);
          return `(CAST(${q(c)} AS DOUBLE) - ${dbl(f.center)}) / ${dbl(f.scale)} AS ${q(c)}`;
        })
        .join(', ')}) FROM ${prev}`;
    case 'log1p':
      // CASE keeps ln() away from values ≤ −1 (DuckDB throws on ln(0) and below).
      return `SELECT * REPLACE (${step.columns
        .map((c) => `CASE WHEN ${q(c)} > -1 THEN ln(1 + CAST(${q(c)} AS DOUBLE)) END AS ${q(c)}`)
        .join(', ')}) FROM ${prev}`;
    case 'bin':
      return replaceOrAdd(prev, step.column, step.into, binExpr(q(step.column), step.fitted!.edges));
    case 'one_hot': {
      const col = q(step.column);
      const text = `CAST(${col} AS VARCHAR)`;
      const cats = step.fitted!.categories;
      const names = oneHotNames(step);
      // A missing value is in no category (all zeros), as in pandas.get_dummies.
      const exprs = cats.map((cat, i) => `CASE WHEN ${text} = ${lit(cat)} THEN 1 ELSE 0 END AS ${q(names[i]!)}`);
      const other = cats.length
        ? `CASE WHEN ${col} IS NOT NULL AND ${text} NOT IN (${cats.map(lit).join(', ')}) THEN 1 ELSE 0 END`
        : `CASE WHEN ${col} IS NOT NULL THEN 1 ELSE 0 END`;
      exprs.push(`${other} AS ${q(names[names.length - 1]!)}`);
      const star = step.keepOriginal ? '*' : `* EXCLUDE (${col})`;
      return `SELECT ${star}, ${exprs.join(', ')} FROM ${prev}`;
    }
    case 'ordinal_encode': {
      const cats = step.order ?? step.fitted!.categories;
      const col = q(step.column);
      const whens = cats.map((cat, i) => `WHEN ${lit(cat)} THEN ${i}`).join(' ');
      const unknown = step.unknownValue ?? -1;
      const expr = cats.length
        ? `CAST(CASE WHEN ${col} IS NULL THEN NULL ELSE CASE CAST(${col} AS VARCHAR) ${whens} ELSE ${unknown} END END AS INTEGER)`
        : `CAST(CASE WHEN ${col} IS NULL THEN NULL ELSE ${unknown} END AS INTEGER)`;
      return replaceOrAdd(prev, step.column, step.into, expr);
    }
    case 'frequency_encode': {
      const col = q(step.column);
      const values = step.fitted!.values;
      const type = step.normalize === false ? 'BIGINT' : 'DOUBLE';
      const whens = values.map((v) => `WHEN ${lit(v.value)} THEN ${dbl(v.frequency)}`).join(' ');
      const expr = values.length
        ? `CAST(CASE WHEN ${col} IS NULL THEN NULL ELSE CASE CAST(${col} AS VARCHAR) ${whens} ELSE 0 END END AS ${type})`
        : `CAST(CASE WHEN ${col} IS NULL THEN NULL ELSE 0 END AS ${type})`;
      return replaceOrAdd(prev, step.column, step.into, expr);
    }
    case 'text_clean':
      return `SELECT * REPLACE (${step.columns
        .map((c) => {
          let e = q(c);
          if (step.halfWidth) e = `translate(${e}, ${lit(FULL_WIDTH)}, ${lit(HALF_WIDTH)})`;
          if (step.trim) e = `trim(${e})`;
          if (step.lowercase) e = `lower(${e})`;
          return `${e} AS ${q(c)}`;
        })
        .join(', ')}) FROM ${prev}`;
  }
}

function parseDateExpr(step: Extract<RecipeStep, { kind: 'parse_date' }>): string {
  const parsed = `try_strptime(CAST(${q(step.column)} AS VARCHAR), ${lit(step.format)})`;
  return step.as === 'date' ? `CAST(${parsed} AS DATE)` : parsed;
}

/**
 * SQL counting the values a step could not convert (cast, parse_date, log1p), evaluated over the
 * step's input `prev`; undefined for steps that convert nothing.
 */
export function failureCountSql(step: RecipeStep, prev: string): string | undefined {
  let cond: string | undefined;
  if (step.kind === 'cast') {
    cond = step.columns
      .map((c) => `(${q(c)} IS NOT NULL AND TRY_CAST(${q(c)} AS ${CAST_SQL_TYPE[step.to]}) IS NULL)::INTEGER`)
      .join(' + ');
    return `(SELECT coalesce(sum(${cond}), 0) FROM ${prev})`;
  }
  if (step.kind === 'parse_date') {
    cond = `${q(step.column)} IS NOT NULL AND ${parseDateExpr(step)} IS NULL`;
  } else if (step.kind === 'log1p') {
    cond = step.columns.map((c) => `${q(c)} <= -1`).join(' OR ');
  }
  return cond === undefined ? undefined : `(SELECT count(*) FILTER (WHERE ${cond}) FROM ${prev})`;
}

/**
 * SQL counting the values a converting step (cast, parse_date) was given to convert: its
 * non-missing inputs. When every one of them failed, the step matched nothing (a wrong date
 * format, text cast to a number) and applying it would only wipe the column.
 */
export function convertibleCountSql(step: RecipeStep, prev: string): string | undefined {
  if (step.kind === 'cast') {
    const cond = step.columns.map((c) => `(${q(c)} IS NOT NULL)::INTEGER`).join(' + ');
    return `(SELECT coalesce(sum(${cond}), 0) FROM ${prev})`;
  }
  if (step.kind === 'parse_date') return `(SELECT count(${q(step.column)}) FROM ${prev})`;
  return undefined;
}

/** One compiled step: its CTE name and SELECT. */
export interface CompiledStep {
  id: string;
  /** Index of the step in `recipe.steps`. */
  index: number;
  cte: string;
  sql: string;
}

export interface CompiledRecipe {
  /** A single `WITH … SELECT * FROM <last>` statement. */
  sql: string;
  steps: CompiledStep[];
}

/** The CTE name of step `index` (internal names start with `__`, which user tables cannot). */
export function cteName(index: number): string {
  return `__step_${index + 1}`;
}

/**
 * Compiles the first `count` steps of a recipe over `inputTable`, checking them against
 * `columns` (default: the recipe's own source schema). Disabled steps produce no CTE.
 */
export function compileSteps(
  recipe: Recipe,
  inputTable: string,
  options: { count?: number; columns?: readonly SourceColumn[] } = {},
): CompiledRecipe {
  const count = options.count ?? recipe.steps.length;
  const problem = checkSchema(
    { ...recipe, steps: recipe.steps.slice(0, count) },
    options.columns ?? recipe.source.columns,
  );
  if (problem) throw problem;
  let prev = q(inputTable);
  const steps: CompiledStep[] = [];
  recipe.steps.slice(0, count).forEach((step, index) => {
    if (!step.enabled) return;
    const cte = cteName(index);
    steps.push({ id: step.id, index, cte, sql: stepSql(step, index, prev) });
    prev = q(cte);
  });
  return { sql: chainSql(steps, inputTable), steps };
}

/** `WITH` all the steps, then `tail` over the last one (default: every row of it). */
export function chainSql(steps: readonly CompiledStep[], inputTable: string, tail?: (last: string) => string): string {
  const last = steps.length ? q(steps[steps.length - 1]!.cte) : q(inputTable);
  const body = tail ? tail(last) : `SELECT * FROM ${last}`;
  if (!steps.length) return body;
  return `WITH ${steps.map((s) => `${q(s.cte)} AS (${s.sql})`).join(',\n')}\n${body}`;
}

/** Compiles every enabled step of a fitted recipe to one SQL statement over `inputTable`. */
export function compileRecipe(recipe: Recipe, inputTable: string): CompiledRecipe {
  return compileSteps(recipe, inputTable);
}

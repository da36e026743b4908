/**
 * The recipe model: a typed, JSON-serialisable list of cleaning and feature steps, and the one
 * validator (`parseRecipe`) that turns untrusted JSON (a saved file, an embed call) into it.
 *
 * Steps never carry SQL. Column names and values are data; `compile.ts` quotes them with
 * `quoteIdent`/`sqlLiteral`. Fitted steps keep their statistics in `fitted`, so a saved recipe
 * replays next month's export with the very same numbers.
 */
import { ShopSightError } from '../data/errors';

/** A JSON-safe scalar as it appears in filter values, constants and fitted modes. */
export type Scalar = string | number | boolean | null;

interface StepBase {
  /** Unique within the recipe; stable across reorderings (undo/redo, previews). */
  id: string;
  enabled: boolean;
}

/** Remove duplicate rows: whole-row duplicates, or rows sharing the key columns. */
export interface DedupeStep extends StepBase {
  kind: 'dedupe';
  /** Key columns; absent or empty means "identical in every column". */
  keys?: string[];
  /** With keys: which row of a group survives, by this column (ties and absence: unspecified). */
  orderBy?: string;
  keep?: 'first' | 'last';
}

export interface SelectColumnsStep extends StepBase {
  kind: 'select_columns';
  mode: 'keep' | 'drop';
  columns: string[];
}

export interface RenameColumnsStep extends StepBase {
  kind: 'rename_columns';
  renames: { from: string; to: string }[];
}

export type ConditionOp =
  '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'starts_with' | 'is_null' | 'not_null' | 'in' | 'between';

export const CONDITION_OPS: readonly ConditionOp[] = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'contains',
  'starts_with',
  'is_null',
  'not_null',
  'in',
  'between',
];

/** One form row: `column op value`. `in` takes a list, `between` a `[low, high]` pair (inclusive). */
export interface Condition {
  column: string;
  op: ConditionOp;
  value?: Scalar | Scalar[];
  /** For `contains` / `starts_with`: compare case-insensitively. */
  ignoreCase?: boolean;
}

/** A group of conditions that must all (`all`) or any (`any`) hold; groups nest. */
export type ConditionGroup = { all: (Condition | ConditionGroup)[] } | { any: (Condition | ConditionGroup)[] };

export interface FilterRowsStep extends StepBase {
  kind: 'filter_rows';
  where: ConditionGroup;
}

export type CastTarget = 'integer' | 'double' | 'varchar' | 'date' | 'timestamp' | 'boolean';
export const CAST_TARGETS: readonly CastTarget[] = ['integer', 'double', 'varchar', 'date', 'timestamp', 'boolean'];

/** TRY_CAST: values that do not convert become NULL (and are counted in the step's stats). */
export interface CastStep extends StepBase {
  kind: 'cast';
  columns: string[];
  to: CastTarget;
}

/** Parses text with a DuckDB strptime format (`%d/%m/%Y`); non-matching values become NULL. */
export interface ParseDateStep extends StepBase {
  kind: 'parse_date';
  column: string;
  format: string;
  /** `date` drops the time of day. */
  as: 'date' | 'timestamp';
  /** New column name; absent means replace the column in place. */
  into?: string;
}

export type DatePart = 'year' | 'month' | 'weekday' | 'hour' | 'is_weekend';
export const DATE_PARTS: readonly DatePart[] = ['year', 'month', 'weekday', 'hour', 'is_weekend'];

/** Adds `<prefix>_<part>` columns; weekday is ISO (1 = Monday … 7 = Sunday). */
export interface DatePartsStep extends StepBase {
  kind: 'date_parts';
  column: string;
  parts: DatePart[];
  /** Defaults to the column name. */
  prefix?: string;
}

/** `into` = calendar days from `start` to `end` (end − start); a fixed `end` date gives "days since". */
export interface DaysBetweenStep extends StepBase {
  kind: 'days_between';
  start: string;
  end: { column: string } | { date: string };
  into: string;
}

export type ImputeMethod = 'mean' | 'median' | 'mode' | 'constant' | 'forward_fill';
export const IMPUTE_METHODS: readonly ImputeMethod[] = ['mean', 'median', 'mode', 'constant', 'forward_fill'];

export interface ImputeStep extends StepBase {
  kind: 'impute';
  columns: string[];
  method: ImputeMethod;
  /** For `constant`. */
  value?: Scalar;
  /** For `forward_fill`: the order (required) and the groups it stays within (optional). */
  orderBy?: string;
  groupBy?: string[];
  /** Adds `<column>_was_missing` (boolean) for each column. */
  flagMissing?: boolean;
  fitted?: { column: string; value: Scalar }[];
}

export interface OutliersStep extends StepBase {
  kind: 'outliers';
  columns: string[];
  method: 'iqr' | 'zscore';
  /** IQR multiplier k (default 1.5) or z threshold (default 3). */
  threshold?: number;
  action: 'clip' | 'drop';
  fitted?: { column: string; lower: number; upper: number }[];
}

export type ScaleMethod = 'minmax' | 'standard' | 'robust';

/** `(x − center) / scale`; a zero spread is stored as scale 1, as scikit-learn does. */
export interface ScaleStep extends StepBase {
  kind: 'scale';
  columns: string[];
  method: ScaleMethod;
  fitted?: { column: string; center: number; scale: number }[];
}

/** ln(1 + x); values ≤ −1 become NULL. */
export interface Log1pStep extends StepBase {
  kind: 'log1p';
  columns: string[];
}

/** Bin index 0 … n−1 from fitted edges; values beyond the fitted range go to the end bins. */
export interface BinStep extends StepBase {
  kind: 'bin';
  column: string;
  method: 'equal_width' | 'quantile';
  bins: number;
  into?: string;
  /** All n+1 edges (quantile edges that coincide are merged, so there may be fewer bins). */
  fitted?: { edges: number[] };
}

/** 0/1 columns `<prefix>_<category>` for the top-K categories plus `<prefix>_other`. */
export interface OneHotStep extends StepBase {
  kind: 'one_hot';
  column: string;
  topK: number;
  prefix?: string;
  /** Keep the original column (default: drop it). */
  keepOriginal?: boolean;
  fitted?: { categories: string[] };
}

/** Codes 0 … n−1 in sorted category order (scikit-learn's OrdinalEncoder); unseen → `unknownValue`. */
export interface OrdinalEncodeStep extends StepBase {
  kind: 'ordinal_encode';
  column: string;
  /** Explicit order (e.g. S < M < L); absent means sorted distinct values of the training rows. */
  order?: string[];
  unknownValue?: number;
  into?: string;
  fitted?: { categories: string[] };
}

/** Share (or count) of training rows with the same value; unseen values → 0. */
export interface FrequencyEncodeStep extends StepBase {
  kind: 'frequency_encode';
  column: string;
  normalize?: boolean;
  into?: string;
  fitted?: { values: { value: string; frequency: number }[] };
}

export interface TextCleanStep extends StepBase {
  kind: 'text_clean';
  columns: string[];
  trim?: boolean;
  lowercase?: boolean;
  /** Full-width ASCII (U+FF01–FF5E) and the ideographic space (U+3000) → ASCII. */
  halfWidth?: boolean;
}

export type RecipeStep =
  | DedupeStep
  | SelectColumnsStep
  | RenameColumnsStep
  | FilterRowsStep
  | CastStep
  | ParseDateStep
  | DatePartsStep
  | DaysBetweenStep
  | ImputeStep
  | OutliersStep
  | ScaleStep
  | Log1pStep
  | BinStep
  | OneHotStep
  | OrdinalEncodeStep
  | FrequencyEncodeStep
  | TextCleanStep;

export type StepKind = RecipeStep['kind'];

export const STEP_KINDS: readonly StepKind[] = [
  'dedupe',
  'select_columns',
  'rename_columns',
  'filter_rows',
  'cast',
  'parse_date',
  'date_parts',
  'days_between',
  'impute',
  'outliers',
  'scale',
  'log1p',
  'bin',
  'one_hot',
  'ordinal_encode',
  'frequency_encode',
  'text_clean',
];

export interface SourceColumn {
  name: string;
  /** DuckDB type, e.g. `DOUBLE`, `VARCHAR`, `DATE`. */
  type: string;
}

export interface Recipe {
  version: 1;
  name: string;
  /** The input schema the recipe was built for. */
  source: { columns: SourceColumn[] };
  steps: RecipeStep[];
}

/** Whether a step learns statistics from data (and so needs `fitted` before it can be applied). */
export function needsFit(step: RecipeStep): boolean {
  switch (step.kind) {
    case 'impute':
      return step.method === 'mean' || step.method === 'median' || step.method === 'mode';
    case 'outliers':
    case 'scale':
    case 'bin':
    case 'one_hot':
    case 'frequency_encode':
      return true;
    case 'ordinal_encode':
      return step.order === undefined;
    default:
      return false;
  }
}

/** "Step 3 (scale)": how errors name a step (1-based, as the recipe panel numbers them). */
export function stepLabel(index: number, kind: string): string {
  return `Step ${index + 1} (${kind})`;
}

// ---------------------------------------------------------------------------------------------
// Validation

type Json = Record<string, unknown>;

class Ctx {
  constructor(
    readonly where: string,
    readonly params: Record<string, string | number>,
  ) {}

  fail(field: string, problem: string): never {
    throw new ShopSightError({
      code: 'bad_recipe',
      message: `${this.where}: "${field}" ${problem}.`,
      params: { ...this.params, field },
    });
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function noNul(s: string): boolean {
  return !s.includes('\u0000');
}

function reqString(ctx: Ctx, obj: Json, field: string, allowEmpty = false): string {
  const v = obj[field];
  if (typeof v !== 'string' || (!allowEmpty && v === '') || !noNul(v)) {
    ctx.fail(field, allowEmpty ? 'must be text' : 'must be non-empty text');
  }
  return v;
}

function optString(ctx: Ctx, obj: Json, field: string): string | undefined {
  return obj[field] === undefined ? undefined : reqString(ctx, obj, field);
}

function reqNames(ctx: Ctx, obj: Json, field: string, allowEmpty = false): string[] {
  const v = obj[field];
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) ctx.fail(field, 'must be a non-empty list of column names');
  const out: string[] = [];
  for (const item of v) {
    if (typeof item !== 'string' || item === '' || !noNul(item)) ctx.fail(field, 'must contain only column names');
    if (out.includes(item)) ctx.fail(field, `names "${item}" twice`);
    out.push(item);
  }
  return out;
}

function optBool(ctx: Ctx, obj: Json, field: string): boolean | undefined {
  const v = obj[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') ctx.fail(field, 'must be true or false');
  return v;
}

function reqNumber(ctx: Ctx, obj: Json, field: string, check?: (n: number) => boolean, what = 'a number'): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || (check && !check(v))) ctx.fail(field, `must be ${what}`);
  return v;
}

function optNumber(ctx: Ctx, obj: Json, field: string, check?: (n: number) => boolean, what?: string) {
  return obj[field] === undefined ? undefined : reqNumber(ctx, obj, field, check, what);
}

function reqEnum<T extends string>(ctx: Ctx, obj: Json, field: string, allowed: readonly T[]): T {
  const v = obj[field];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    ctx.fail(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return v as T;
}

function isScalar(v: unknown): v is Scalar {
  return (
    v === null ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v)) ||
    (typeof v === 'string' && noNul(v))
  );
}

function onlyKeys(ctx: Ctx, obj: Json, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) ctx.fail(key, 'is not a known field');
  }
}

/** Copies only defined optional fields, so the result round-trips through JSON unchanged. */
function withOptional<T extends object>(base: T, extras: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extras)) if (v !== undefined) out[k] = v;
  return out as T;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseCondition(ctx: Ctx, value: unknown, path: string, depth: number): Condition | ConditionGroup {
  if (!isObject(value)) ctx.fail(path, 'must be a condition or a group');
  if ('all' in value || 'any' in value) return parseGroup(ctx, value, path, depth + 1);
  onlyKeys(ctx, value, ['column', 'op', 'value', 'ignoreCase']);
  const sub: Ctx = new Ctx(ctx.where, ctx.params);
  const column = reqString(sub, value, 'column');
  const op = reqEnum(sub, value, 'op', CONDITION_OPS);
  const ignoreCase = optBool(sub, value, 'ignoreCase');
  const v = value.value;
  const field = `${path}.value`;
  let parsed: Scalar | Scalar[] | undefined;
  if (op === 'is_null' || op === 'not_null') {
    if (v !== undefined) ctx.fail(field, `must be absent for "${op}"`);
  } else if (op === 'in') {
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => isScalar(x) && x !== null)) {
      ctx.fail(field, 'must be a non-empty list of values for "in"');
    }
    parsed = [...(v as Scalar[])];
  } else if (op === 'between') {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => isScalar(x) && x !== null)) {
      ctx.fail(field, 'must be a [low, high] pair for "between"');
    }
    parsed = [...(v as Scalar[])];
  } else if (op === 'contains' || op === 'starts_with') {
    if (typeof v !== 'string' || !noNul(v)) ctx.fail(field, `must be text for "${op}"`);
    parsed = v;
  } else {
    if (!isScalar(v) || v === null) ctx.fail(field, `must be a text, number or true/false value for "${op}"`);
    parsed = v;
  }
  return withOptional<Condition>({ column, op }, { value: parsed, ignoreCase });
}

function parseGroup(ctx: Ctx, value: unknown, path: string, depth = 0): ConditionGroup {
  if (depth > 8) ctx.fail(path, 'nests groups too deeply (at most 8 levels)');
  if (!isObject(value)) ctx.fail(path, 'must be {"all": [...]} or {"any": [...]}');
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'all' && keys[0] !== 'any')) {
    ctx.fail(path, 'must have exactly one of "all" or "any"');
  }
  const key = keys[0] as 'all' | 'any';
  const list = value[key];
  if (!Array.isArray(list) || list.length === 0) ctx.fail(`${path}.${key}`, 'must be a non-empty list of conditions');
  const items = list.map((item, i) => parseCondition(ctx, item, `${path}.${key}[${i}]`, depth));
  return key === 'all' ? { all: items } : { any: items };
}

function parseFittedList<T>(ctx: Ctx, obj: Json, columns: string[], parseItem: (item: Json) => T): T[] | undefined {
  const v = obj.fitted;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== columns.length) ctx.fail('fitted', 'must have one entry per column');
  return v.map((item, i) => {
    if (!isObject(item) || item.column !== columns[i]) ctx.fail('fitted', `entry ${i + 1} must be for "${columns[i]}"`);
    return parseItem(item);
  });
}

function parseStep(value: unknown, index: number, seenIds: Set<string>): RecipeStep {
  const outer: Ctx = new Ctx(`Step ${index + 1}`, { step: index + 1 });
  if (!isObject(value)) outer.fail('step', 'must be an object');
  const kind = reqEnum(outer, value, 'kind', STEP_KINDS);
  const ctx: Ctx = new Ctx(stepLabel(index, kind), { step: index + 1, kind });
  const id = reqString(ctx, value, 'id');
  if (seenIds.has(id)) ctx.fail('id', `"${id}" is used by another step`);
  seenIds.add(id);
  const enabled = value.enabled === undefined ? true : optBool(ctx, value, 'enabled')!;
  const base = { id, enabled };
  const common = ['id', 'kind', 'enabled'];
  const fields = (...more: string[]) => onlyKeys(ctx, value, [...common, ...more]);
  const num = (f: string) => (item: Json) => reqNumber(ctx, item, f);

  switch (kind) {
    case 'dedupe': {
      fields('keys', 'orderBy', 'keep');
      const keys = value.keys === undefined ? undefined : reqNames(ctx, value, 'keys', true);
      const orderBy = optString(ctx, value, 'orderBy');
      const keep = value.keep === undefined ? undefined : reqEnum(ctx, value, 'keep', ['first', 'last'] as const);
      if ((orderBy || keep) && !keys?.length) ctx.fail('orderBy', 'only applies when key columns are given');
      return withOptional<DedupeStep>({ ...base, kind }, { keys, orderBy, keep });
    }
    case 'select_columns': {
      fields('mode', 'columns');
      return {
        ...base,
        kind,
        mode: reqEnum(ctx, value, 'mode', ['keep', 'drop'] as const),
        columns: reqNames(ctx, value, 'columns'),
      };
    }
    case 'rename_columns': {
      fields('renames');
      const list = value.renames;
      if (!Array.isArray(list) || list.length === 0) ctx.fail('renames', 'must be a non-empty list of {from, to}');
      const renames = list.map((r, i) => {
        if (!isObject(r)) ctx.fail(`renames[${i}]`, 'must be {from, to}');
        onlyKeys(ctx, r, ['from', 'to']);
        return { from: reqString(ctx, r, 'from'), to: reqString(ctx, r, 'to') };
      });
      const froms = new Set(renames.map((r) => r.from));
      const tos = new Set(renames.map((r) => r.to));
      if (froms.size !== renames.length) ctx.fail('renames', 'renames the same column twice');
      if (tos.size !== renames.length) ctx.fail('renames', 'gives two columns the same new name');
      return { ...base, kind, renames };
    }
    case 'filter_rows': {
      fields('where');
      return { ...base, kind, where: parseGroup(ctx, value.where, 'where') };
    }
    case 'cast': {
      fields('columns', 'to');
      return { ...base, kind, columns: reqNames(ctx, value, 'columns'), to: reqEnum(ctx, value, 'to', CAST_TARGETS) };
    }
    case 'parse_date': {
      fields('column', 'format', 'as', 'into');
      return withOptional<ParseDateStep>(
        {
          ...base,
          kind,
          column: reqString(ctx, value, 'column'),
          format: reqString(ctx, value, 'format'),
          as: reqEnum(ctx, value, 'as', ['date', 'timestamp'] as const),
        },
        { into: optString(ctx, value, 'into') },
      );
    }
    case 'date_parts': {
      fields('column', 'parts', 'prefix');
      const parts = value.parts;
      if (!Array.isArray(parts) || parts.length === 0) ctx.fail('parts', 'must be a non-empty list of date parts');
      const list = parts.map((p) => {
        if (typeof p !== 'string' || !(DATE_PARTS as readonly string[]).includes(p)) {
          ctx.fail('parts', `must contain only ${DATE_PARTS.map((d) => `"${d}"`).join(', ')}`);
        }
        return p as DatePart;
      });
      if (new Set(list).size !== list.length) ctx.fail('parts', 'lists a part twice');
      return withOptional<DatePartsStep>(
        { ...base, kind, column: reqString(ctx, value, 'column'), parts: list },
        { prefix: optString(ctx, value, 'prefix') },
      );
    }
    case 'days_between': {
      fields('start', 'end', 'into');
      const end = value.end;
      let parsedEnd: DaysBetweenStep['end'];
      if (isObject(end) && Object.keys(end).length === 1 && typeof end.column === 'string') {
        parsedEnd = { column: reqString(ctx, end, 'column') };
      } else if (isObject(end) && Object.keys(end).length === 1 && typeof end.date === 'string') {
        const date = end.date;
        if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(date)))
          ctx.fail('end.date', 'must be a date as YYYY-MM-DD');
        parsedEnd = { date };
      } else {
        ctx.fail('end', 'must be {"column": name} or {"date": "YYYY-MM-DD"}');
      }
      return {
        ...base,
        kind,
        start: reqString(ctx, value, 'start'),
        end: parsedEnd,
        into: reqString(ctx, value, 'into'),
      };
    }
    case 'impute': {
      fields('columns', 'method', 'value', 'orderBy', 'groupBy', 'flagMissing', 'fitted');
      const columns = reqNames(ctx, value, 'columns');
      const method = reqEnum(ctx, value, 'method', IMPUTE_METHODS);
      let constant: Scalar | undefined;
      if (method === 'constant') {
        if (!isScalar(value.value) || value.value === null)
          ctx.fail('value', 'must be a text, number or true/false value');
        constant = value.value;
      } else if (value.value !== undefined) ctx.fail('value', 'only applies to the "constant" method');
      const orderBy = optString(ctx, value, 'orderBy');
      const groupBy = value.groupBy === undefined ? undefined : reqNames(ctx, value, 'groupBy', true);
      if (method === 'forward_fill' && !orderBy) ctx.fail('orderBy', 'is required for forward fill');
      if (method !== 'forward_fill' && (orderBy || groupBy)) ctx.fail('orderBy', 'only applies to forward fill');
      const fitted = needsFitMethod(method)
        ? parseFittedList(ctx, value, columns, (item) => {
            if (!isScalar(item.value)) ctx.fail('fitted', 'values must be text, numbers, true/false or null');
            return { column: item.column as string, value: item.value };
          })
        : value.fitted === undefined
          ? undefined
          : ctx.fail('fitted', `does not apply to the "${method}" method`);
      return withOptional<ImputeStep>(
        { ...base, kind, columns, method },
        { value: constant, orderBy, groupBy, flagMissing: optBool(ctx, value, 'flagMissing'), fitted },
      );
    }
    case 'outliers': {
      fields('columns', 'method', 'threshold', 'action', 'fitted');
      const columns = reqNames(ctx, value, 'columns');
      const fitted = parseFittedList(ctx, value, columns, (item) => {
        const lower = num('lower')(item);
        const upper = num('upper')(item);
        if (lower > upper) ctx.fail('fitted', 'lower bound must not exceed the upper bound');
        return { column: item.column as string, lower, upper };
      });
      return withOptional<OutliersStep>(
        {
          ...base,
          kind,
          columns,
          method: reqEnum(ctx, value, 'method', ['iqr', 'zscore'] as const),
          action: reqEnum(ctx, value, 'action', ['clip', 'drop'] as const),
        },
        { threshold: optNumber(ctx, value, 'threshold', (n) => n > 0, 'a positive number'), fitted },
      );
    }
    case 'scale': {
      fields('columns', 'method', 'fitted');
      const columns = reqNames(ctx, value, 'columns');
      const fitted = parseFittedList(ctx, value, columns, (item) => {
        const scale = num('scale')(item);
        if (scale === 0) ctx.fail('fitted', 'scale must not be 0');
        return { column: item.column as string, center: num('center')(item), scale };
      });
      return withOptional<ScaleStep>(
        { ...base, kind, columns, method: reqEnum(ctx, value, 'method', ['minmax', 'standard', 'robust'] as const) },
        { fitted },
      );
    }
    case 'log1p': {
      fields('columns');
      return { ...base, kind, columns: reqNames(ctx, value, 'columns') };
    }
    case 'bin': {
      fields('column', 'method', 'bins', 'into', 'fitted');
      let fitted: BinStep['fitted'];
      if (value.fitted !== undefined) {
        const f = value.fitted;
        const edges = isObject(f) ? f.edges : undefined;
        if (
          !Array.isArray(edges) ||
          edges.length < 2 ||
          !edges.every((e, i) => typeof e === 'number' && Number.isFinite(e) && (i === 0 || e >= edges[i - 1]))
        ) {
          ctx.fail('fitted.edges', 'must be at least two ascending numbers');
        }
        fitted = { edges: [...(edges as number[])] };
      }
      return withOptional<BinStep>(
        {
          ...base,
          kind,
          column: reqString(ctx, value, 'column'),
          method: reqEnum(ctx, value, 'method', ['equal_width', 'quantile'] as const),
          bins: reqNumber(ctx, value, 'bins', (n) => Number.isInteger(n) && n >= 2 && n <= 100, 'a whole number 2–100'),
        },
        { into: optString(ctx, value, 'into'), fitted },
      );
    }
    case 'one_hot': {
      fields('column', 'topK', 'prefix', 'keepOriginal', 'fitted');
      return withOptional<OneHotStep>(
        {
          ...base,
          kind,
          column: reqString(ctx, value, 'column'),
          topK: reqNumber(ctx, value, 'topK', (n) => Number.isInteger(n) && n >= 1 && n <= 200, 'a whole number 1–200'),
        },
        {
          prefix: optString(ctx, value, 'prefix'),
          keepOriginal: optBool(ctx, value, 'keepOriginal'),
          fitted: parseCategories(ctx, value),
        },
      );
    }
    case 'ordinal_encode': {
      fields('column', 'order', 'unknownValue', 'into', 'fitted');
      return withOptional<OrdinalEncodeStep>(
        { ...base, kind, column: reqString(ctx, value, 'column') },
        {
          order: value.order === undefined ? undefined : reqValues(ctx, value, 'order'),
          unknownValue: optNumber(ctx, value, 'unknownValue', Number.isInteger, 'a whole number'),
          into: optString(ctx, value, 'into'),
          fitted: parseCategories(ctx, value),
        },
      );
    }
    case 'frequency_encode': {
      fields('column', 'normalize', 'into', 'fitted');
      let fitted: FrequencyEncodeStep['fitted'];
      if (value.fitted !== undefined) {
        const f = value.fitted;
        const values = isObject(f) ? f.values : undefined;
        if (!Array.isArray(values)) ctx.fail('fitted.values', 'must be a list of {value, frequency}');
        fitted = {
          values: values.map((v) => {
            if (!isObject(v) || typeof v.value !== 'string' || !noNul(v.value)) {
              ctx.fail('fitted.values', 'must be a list of {value, frequency}');
            }
            return { value: v.value, frequency: reqNumber(ctx, v, 'frequency', (n) => n >= 0, 'a number ≥ 0') };
          }),
        };
      }
      return withOptional<FrequencyEncodeStep>(
        { ...base, kind, column: reqString(ctx, value, 'column') },
        { normalize: optBool(ctx, value, 'normalize'), into: optString(ctx, value, 'into'), fitted },
      );
    }
    case 'text_clean': {
      fields('columns', 'trim', 'lowercase', 'halfWidth');
      const step = withOptional<TextCleanStep>(
        { ...base, kind, columns: reqNames(ctx, value, 'columns') },
        {
          trim: optBool(ctx, value, 'trim'),
          lowercase: optBool(ctx, value, 'lowercase'),
          halfWidth: optBool(ctx, value, 'halfWidth'),
        },
      );
      if (!step.trim && !step.lowercase && !step.halfWidth) ctx.fail('trim', 'or another cleaning option must be on');
      return step;
    }
  }
}

function needsFitMethod(method: ImputeMethod): boolean {
  return method === 'mean' || method === 'median' || method === 'mode';
}

function reqValues(ctx: Ctx, obj: Json, field: string): string[] {
  const v = obj[field];
  if (!Array.isArray(v) || v.length === 0) ctx.fail(field, 'must be a non-empty list of values');
  const out: string[] = [];
  for (const item of v) {
    if (typeof item !== 'string' || !noNul(item)) ctx.fail(field, 'must contain only text values');
    if (out.includes(item)) ctx.fail(field, `lists "${item}" twice`);
    out.push(item);
  }
  return out;
}

function parseCategories(ctx: Ctx, obj: Json): { categories: string[] } | undefined {
  if (obj.fitted === undefined) return undefined;
  const f = obj.fitted;
  if (!isObject(f) || !Array.isArray(f.categories)) ctx.fail('fitted.categories', 'must be a list of values');
  return { categories: reqValues(ctx, f, 'categories') };
}

/** Validates untrusted JSON into a `Recipe`; throws `bad_recipe` naming the step and field. */
export function parseRecipe(json: unknown): Recipe {
  const ctx: Ctx = new Ctx('Recipe', {});
  if (!isObject(json)) ctx.fail('recipe', 'must be an object');
  onlyKeys(ctx, json, ['version', 'name', 'source', 'steps']);
  if (json.version !== 1) ctx.fail('version', 'must be 1 (this recipe was saved by a newer or unknown version)');
  const name = reqString(ctx, json, 'name', true);
  const source = json.source;
  if (!isObject(source) || !Array.isArray(source.columns)) ctx.fail('source', 'must be {"columns": [{name, type}]}');
  const seenColumns = new Set<string>();
  const columns = source.columns.map((c, i) => {
    const cctx: Ctx = new Ctx(`Recipe source column ${i + 1}`, { column: i + 1 });
    if (!isObject(c)) cctx.fail('column', 'must be {name, type}');
    onlyKeys(cctx, c, ['name', 'type']);
    const col = { name: reqString(cctx, c, 'name'), type: reqString(cctx, c, 'type') };
    if (seenColumns.has(col.name)) cctx.fail('name', `"${col.name}" appears twice`);
    seenColumns.add(col.name);
    return col;
  });
  if (!Array.isArray(json.steps)) ctx.fail('steps', 'must be a list');
  const ids = new Set<string>();
  const steps = json.steps.map((s, i) => parseStep(s, i, ids));
  return { version: 1, name, source: { columns }, steps };
}

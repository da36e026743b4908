/**
 * What the recipe panel needs to show a step as a form, without knowing each step's shape:
 * the fields of every step kind (what kind of input, which column types fit, the choices), a
 * new step with sensible defaults for a table's columns, and the rule that editing a step
 * forgets the statistics fitted after it. Pure: the Svelte form renders these descriptors.
 */
import { typeClass, type TypeClass } from './compile';
import {
  CAST_TARGETS,
  CONDITION_OPS,
  DATE_PARTS,
  IMPUTE_METHODS,
  type RecipeStep,
  type SourceColumn,
  type StepKind,
} from './steps';

export type FieldKind =
  /** One column name. */
  | 'column'
  /** Several column names. */
  | 'columns'
  /** One of `choices`. */
  | 'choice'
  /** Several of `choices`. */
  | 'choices'
  | 'number'
  | 'text'
  | 'flag'
  /** A text, number or true/false constant. */
  | 'scalar'
  /** The filter builder: a list of conditions joined by all/any. */
  | 'conditions'
  /** A list of from → to column renames. */
  | 'renames'
  /** days_between's end: another column or a fixed date. */
  | 'date_end';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  /** For column fields: the column types that fit (absent: any). */
  accepts?: readonly TypeClass[];
  choices?: readonly string[];
  optional?: boolean;
  min?: number;
  max?: number;
  /** Shown only when this holds for the step being edited. */
  when?: (step: RecipeStep) => boolean;
}

const NUMERIC: readonly TypeClass[] = ['numeric'];
const TEMPORAL: readonly TypeClass[] = ['date', 'timestamp'];
const TEXT: readonly TypeClass[] = ['text'];
const CATEGORICAL: readonly TypeClass[] = ['text', 'boolean', 'numeric'];

/** The form of each step kind, in the order the fields are shown. */
export const STEP_FIELDS: Readonly<Record<StepKind, readonly FieldSpec[]>> = {
  dedupe: [
    { key: 'keys', kind: 'columns', optional: true },
    { key: 'orderBy', kind: 'column', optional: true, when: (s) => s.kind === 'dedupe' && !!s.keys?.length },
    {
      key: 'keep',
      kind: 'choice',
      choices: ['first', 'last'],
      optional: true,
      when: (s) => s.kind === 'dedupe' && !!s.keys?.length,
    },
  ],
  select_columns: [
    { key: 'mode', kind: 'choice', choices: ['keep', 'drop'] },
    { key: 'columns', kind: 'columns' },
  ],
  rename_columns: [{ key: 'renames', kind: 'renames' }],
  filter_rows: [{ key: 'where', kind: 'conditions' }],
  cast: [
    { key: 'columns', kind: 'columns' },
    { key: 'to', kind: 'choice', choices: CAST_TARGETS },
  ],
  parse_date: [
    { key: 'column', kind: 'column', accepts: TEXT },
    { key: 'format', kind: 'text' },
    { key: 'as', kind: 'choice', choices: ['date', 'timestamp'] },
    { key: 'into', kind: 'text', optional: true },
  ],
  date_parts: [
    { key: 'column', kind: 'column', accepts: TEMPORAL },
    { key: 'parts', kind: 'choices', choices: DATE_PARTS },
    { key: 'prefix', kind: 'text', optional: true },
  ],
  days_between: [
    { key: 'start', kind: 'column', accepts: TEMPORAL },
    { key: 'end', kind: 'date_end', accepts: TEMPORAL },
    { key: 'into', kind: 'text' },
  ],
  impute: [
    { key: 'columns', kind: 'columns' },
    { key: 'method', kind: 'choice', choices: IMPUTE_METHODS },
    { key: 'value', kind: 'scalar', when: (s) => s.kind === 'impute' && s.method === 'constant' },
    { key: 'orderBy', kind: 'column', when: (s) => s.kind === 'impute' && s.method === 'forward_fill' },
    {
      key: 'groupBy',
      kind: 'columns',
      optional: true,
      when: (s) => s.kind === 'impute' && s.method === 'forward_fill',
    },
    { key: 'flagMissing', kind: 'flag', optional: true },
  ],
  outliers: [
    { key: 'columns', kind: 'columns', accepts: NUMERIC },
    { key: 'method', kind: 'choice', choices: ['iqr', 'zscore'] },
    { key: 'threshold', kind: 'number', optional: true, min: 0 },
    { key: 'action', kind: 'choice', choices: ['clip', 'drop'] },
  ],
  scale: [
    { key: 'columns', kind: 'columns', accepts: NUMERIC },
    { key: 'method', kind: 'choice', choices: ['standard', 'minmax', 'robust'] },
  ],
  log1p: [{ key: 'columns', kind: 'columns', accepts: NUMERIC }],
  bin: [
    { key: 'column', kind: 'column', accepts: NUMERIC },
    { key: 'method', kind: 'choice', choices: ['quantile', 'equal_width'] },
    { key: 'bins', kind: 'number', min: 2, max: 100 },
    { key: 'into', kind: 'text', optional: true },
  ],
  one_hot: [
    { key: 'column', kind: 'column', accepts: CATEGORICAL },
    { key: 'topK', kind: 'number', min: 1, max: 200 },
    { key: 'prefix', kind: 'text', optional: true },
    { key: 'keepOriginal', kind: 'flag', optional: true },
  ],
  ordinal_encode: [
    { key: 'column', kind: 'column', accepts: CATEGORICAL },
    { key: 'into', kind: 'text', optional: true },
  ],
  frequency_encode: [
    { key: 'column', kind: 'column', accepts: CATEGORICAL },
    { key: 'normalize', kind: 'flag', optional: true },
    { key: 'into', kind: 'text', optional: true },
  ],
  text_clean: [
    { key: 'columns', kind: 'columns', accepts: TEXT },
    { key: 'trim', kind: 'flag', optional: true },
    { key: 'lowercase', kind: 'flag', optional: true },
    { key: 'halfWidth', kind: 'flag', optional: true },
  ],
};

/** Step kinds grouped as the "Add step" menu shows them. */
export const STEP_GROUPS: readonly { id: string; kinds: readonly StepKind[] }[] = [
  { id: 'rows', kinds: ['dedupe', 'filter_rows'] },
  { id: 'columns', kinds: ['select_columns', 'rename_columns', 'cast', 'text_clean'] },
  { id: 'dates', kinds: ['parse_date', 'date_parts', 'days_between'] },
  { id: 'missing', kinds: ['impute', 'outliers'] },
  { id: 'numbers', kinds: ['scale', 'log1p', 'bin'] },
  { id: 'encode', kinds: ['one_hot', 'ordinal_encode', 'frequency_encode'] },
];

/** Columns that fit a field (all columns when it accepts any type). */
export function columnsFor(field: FieldSpec, columns: readonly SourceColumn[]): SourceColumn[] {
  const accepts = field.accepts;
  return accepts ? columns.filter((c) => accepts.includes(typeClass(c.type))) : [...columns];
}

/** A step id not used in `existing` (`s1`, `s2`, …). */
export function newStepId(existing: readonly RecipeStep[]): string {
  const used = new Set(existing.map((s) => s.id));
  for (let i = existing.length + 1; ; i++) if (!used.has(`s${i}`)) return `s${i}`;
}

/** A new step of `kind` with defaults chosen from the columns the step will see. */
export function newStep(kind: StepKind, columns: readonly SourceColumn[], id: string): RecipeStep {
  const of = (...classes: TypeClass[]) => columns.filter((c) => classes.includes(typeClass(c.type))).map((c) => c.name);
  const numeric = of('numeric');
  const temporal = of('date', 'timestamp');
  const text = of('text');
  const first = (names: readonly string[]) => names[0] ?? columns[0]?.name ?? '';
  const firstList = (names: readonly string[]) => (names.length ? [names[0]!] : columns[0] ? [columns[0].name] : []);
  const base = { id, enabled: true };
  switch (kind) {
    case 'dedupe':
      return { ...base, kind };
    case 'select_columns':
      return { ...base, kind, mode: 'drop', columns: [] };
    case 'rename_columns':
      return { ...base, kind, renames: [{ from: first([]), to: '' }] };
    case 'filter_rows':
      return { ...base, kind, where: { all: [{ column: first(numeric), op: '>', value: 0 }] } };
    case 'cast':
      return { ...base, kind, columns: firstList(text), to: 'double' };
    case 'parse_date':
      return { ...base, kind, column: first(text), format: '%d/%m/%Y', as: 'date' };
    case 'date_parts':
      return { ...base, kind, column: first(temporal), parts: ['year', 'month', 'weekday'] };
    case 'days_between': {
      const start = first(temporal);
      return {
        ...base,
        kind,
        start,
        end: { date: new Date().toISOString().slice(0, 10) },
        into: `days_since_${start}`,
      };
    }
    case 'impute':
      return { ...base, kind, columns: firstList(numeric), method: 'median', flagMissing: true };
    case 'outliers':
      return { ...base, kind, columns: firstList(numeric), method: 'iqr', threshold: 1.5, action: 'clip' };
    case 'scale':
      return { ...base, kind, columns: numeric.slice(0, 3), method: 'standard' };
    case 'log1p':
      return { ...base, kind, columns: firstList(numeric) };
    case 'bin':
      return { ...base, kind, column: first(numeric), method: 'quantile', bins: 5 };
    case 'one_hot':
      return { ...base, kind, column: first(text), topK: 10 };
    case 'ordinal_encode':
      return { ...base, kind, column: first(text) };
    case 'frequency_encode':
      return { ...base, kind, column: first(text), normalize: true };
    case 'text_clean':
      return { ...base, kind, columns: firstList(text), trim: true, lowercase: false, halfWidth: true };
  }
}

/** The step without its fitted statistics (they no longer describe what it will see). */
export function unfitted(step: RecipeStep): RecipeStep {
  if (!('fitted' in step) || step.fitted === undefined) return step;
  const { fitted: _stale, ...rest } = step;
  return rest as RecipeStep;
}

/**
 * Steps after a change at `from`: every fitted step from there on learned from data that the
 * change alters, so its statistics are dropped and fitted again on the next preview or apply.
 */
export function invalidateFrom(steps: readonly RecipeStep[], from: number): RecipeStep[] {
  return steps.map((s, i) => (i >= from ? unfitted(s) : s));
}

/** The condition operators the filter builder offers (all of them, in menu order). */
export const FILTER_OPS = CONDITION_OPS;

/** The columns a step works on, for the one-line summary in the step list ("amount, qty"). */
export function stepSubject(step: RecipeStep): string {
  switch (step.kind) {
    case 'dedupe':
      return step.keys?.join(', ') ?? '';
    case 'rename_columns':
      return step.renames.map((r) => `${r.from} → ${r.to}`).join(', ');
    case 'filter_rows': {
      const items = 'all' in step.where ? step.where.all : step.where.any;
      return items.map((c) => ('column' in c ? c.column : '…')).join(', ');
    }
    case 'days_between':
      return `${step.start} → ${'column' in step.end ? step.end.column : step.end.date}`;
    default:
      if ('columns' in step) return step.columns.join(', ');
      if ('column' in step) return step.column;
      return '';
  }
}

/** Whether a step carries fitted statistics. */
export function isFitted(step: RecipeStep): boolean {
  return 'fitted' in step && step.fitted !== undefined;
}

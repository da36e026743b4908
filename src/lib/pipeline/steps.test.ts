import { describe, expect, it } from 'vitest';
import { thrownShopSightError } from '../../test/errors';
import { needsFit, parseRecipe, STEP_KINDS, type Recipe, type RecipeStep } from './steps';

/** One step of every kind, with most options set and fitted statistics where they apply. */
const EVERY_KIND: RecipeStep[] = [
  { id: 's1', kind: 'dedupe', enabled: true, keys: ['order id'], orderBy: 'ts', keep: 'last' },
  { id: 's2', kind: 'select_columns', enabled: true, mode: 'drop', columns: ['note'] },
  { id: 's3', kind: 'rename_columns', enabled: false, renames: [{ from: 'qty', to: '数量' }] },
  {
    id: 's4',
    kind: 'filter_rows',
    enabled: true,
    where: {
      all: [
        { column: 'price', op: 'between', value: [1, 10] },
        {
          any: [
            { column: 'city', op: 'contains', value: "O'Hare", ignoreCase: true },
            { column: 'city', op: 'is_null' },
          ],
        },
        { column: 'status', op: 'in', value: ['paid', 'shipped'] },
      ],
    },
  },
  { id: 's5', kind: 'cast', enabled: true, columns: ['qty'], to: 'integer' },
  { id: 's6', kind: 'parse_date', enabled: true, column: 'day', format: '%d/%m/%Y', as: 'date', into: 'day_parsed' },
  { id: 's7', kind: 'date_parts', enabled: true, column: 'ts', parts: ['year', 'is_weekend'], prefix: 'order' },
  { id: 's8', kind: 'days_between', enabled: true, start: 'ts', end: { date: '2024-12-31' }, into: 'days_since' },
  {
    id: 's9',
    kind: 'impute',
    enabled: true,
    columns: ['price'],
    method: 'median',
    flagMissing: true,
    fitted: [{ column: 'price', value: 4.5 }],
  },
  {
    id: 's10',
    kind: 'impute',
    enabled: true,
    columns: ['qty'],
    method: 'forward_fill',
    orderBy: 'ts',
    groupBy: ['customer'],
  },
  { id: 's11', kind: 'impute', enabled: true, columns: ['city'], method: 'constant', value: '未知' },
  {
    id: 's12',
    kind: 'outliers',
    enabled: true,
    columns: ['price'],
    method: 'iqr',
    threshold: 1.5,
    action: 'clip',
    fitted: [{ column: 'price', lower: -1.25, upper: 73.75 }],
  },
  {
    id: 's13',
    kind: 'scale',
    enabled: true,
    columns: ['price'],
    method: 'standard',
    fitted: [{ column: 'price', center: 0.1, scale: 0.30000000000000004 }],
  },
  { id: 's14', kind: 'log1p', enabled: true, columns: ['qty'] },
  { id: 's15', kind: 'bin', enabled: true, column: 'price', method: 'quantile', bins: 4, fitted: { edges: [0, 1, 2] } },
  { id: 's16', kind: 'one_hot', enabled: true, column: 'city', topK: 5, fitted: { categories: ['Paris', '上海'] } },
  {
    id: 's17',
    kind: 'ordinal_encode',
    enabled: true,
    column: 'size',
    order: ['S', 'M', 'L'],
    unknownValue: -1,
    into: 'size_code',
  },
  {
    id: 's18',
    kind: 'frequency_encode',
    enabled: true,
    column: 'customer',
    fitted: { values: [{ value: 'a', frequency: 0.4 }] },
  },
  { id: 's19', kind: 'text_clean', enabled: true, columns: ['city'], trim: true, lowercase: true, halfWidth: true },
];

const recipe = (steps: unknown[]): unknown => ({
  version: 1,
  name: 'test',
  source: { columns: [{ name: 'price', type: 'DOUBLE' }] },
  steps,
});

function badRecipe(json: unknown) {
  const error = thrownShopSightError(() => parseRecipe(json));
  expect(error.code).toBe('bad_recipe');
  return error;
}

describe('recipe model', () => {
  it('covers every step kind', () => {
    expect(new Set(EVERY_KIND.map((s) => s.kind))).toEqual(new Set(STEP_KINDS));
  });

  it('round-trips through JSON unchanged', () => {
    const original = recipe(EVERY_KIND) as Recipe;
    const parsed = parseRecipe(JSON.parse(JSON.stringify(original)));
    expect(parsed).toEqual(original);
    expect(parseRecipe(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
    // Fitted numbers survive exactly (0.1 + 0.2 is not 0.3).
    expect((parsed.steps[12] as Extract<RecipeStep, { kind: 'scale' }>).fitted?.[0]?.scale).toBe(0.1 + 0.2);
  });

  it('defaults "enabled" to true and keeps no undefined fields', () => {
    const parsed = parseRecipe(recipe([{ id: 'a', kind: 'log1p', columns: ['price'] }]));
    expect(parsed.steps[0]).toEqual({ id: 'a', kind: 'log1p', enabled: true, columns: ['price'] });
  });

  it('knows which steps are fitted', () => {
    const fitted = EVERY_KIND.filter(needsFit).map((s) => s.id);
    // s17 has an explicit order, so it needs no fitting; forward fill and constant never do.
    expect(fitted).toEqual(['s9', 's12', 's13', 's15', 's16', 's18']);
  });
});

describe('recipe validation names the step and the field', () => {
  it('rejects a wrong version or shape', () => {
    expect(badRecipe({ ...(recipe([]) as object), version: 2 }).params.field).toBe('version');
    expect(badRecipe(null).message).toContain('must be an object');
    expect(badRecipe({ ...(recipe([]) as object), steps: 'x' }).params.field).toBe('steps');
    expect(badRecipe({ ...(recipe([]) as object), sql: 'DROP TABLE x' }).params.field).toBe('sql');
  });

  it('rejects an unknown step kind', () => {
    const e = badRecipe(recipe([{ id: 'a', kind: 'raw_sql', sql: 'SELECT 1' }]));
    expect(e.message).toMatch(/^Step 1: "kind" must be one of "dedupe"/);
  });

  it('rejects a missing field', () => {
    const e = badRecipe(
      recipe([
        { id: 'a', kind: 'log1p' },
        { id: 'b', kind: 'scale', columns: ['price'] },
      ]),
    );
    expect(e.message).toBe('Step 1 (log1p): "columns" must be a non-empty list of column names.');
    const e2 = badRecipe(recipe([{ id: 'b', kind: 'scale', columns: ['price'] }]));
    expect(e2.message).toBe('Step 1 (scale): "method" must be one of "minmax", "standard", "robust".');
    expect(e2.params).toMatchObject({ step: 1, kind: 'scale', field: 'method' });
  });

  it('rejects unknown fields (no raw SQL can ride along)', () => {
    const e = badRecipe(recipe([{ id: 'a', kind: 'filter_rows', where: { all: [] }, sql: '1=1' }]));
    expect(e.params.field).toBe('sql');
    const e2 = badRecipe(
      recipe([{ id: 'a', kind: 'filter_rows', where: { all: [{ column: 'x', op: '=', value: 1, raw: 'OR 1=1' }] } }]),
    );
    expect(e2.params.field).toBe('raw');
  });

  it('checks filter conditions', () => {
    expect(badRecipe(recipe([{ id: 'a', kind: 'filter_rows', where: { all: [] } }])).params.field).toBe('where.all');
    const op = badRecipe(
      recipe([{ id: 'a', kind: 'filter_rows', where: { any: [{ column: 'x', op: 'LIKE', value: '%' }] } }]),
    );
    expect(op.message).toContain('"op" must be one of');
    const between = badRecipe(
      recipe([{ id: 'a', kind: 'filter_rows', where: { all: [{ column: 'x', op: 'between', value: [1] }] } }]),
    );
    expect(between.params.field).toBe('where.all[0].value');
    const both = badRecipe(recipe([{ id: 'a', kind: 'filter_rows', where: { all: [{}], any: [{}] } }]));
    expect(both.message).toContain('exactly one of "all" or "any"');
  });

  it('rejects duplicate ids, duplicate columns and NUL characters', () => {
    const dup = badRecipe(
      recipe([
        { id: 'a', kind: 'log1p', columns: ['x'] },
        { id: 'a', kind: 'log1p', columns: ['y'] },
      ]),
    );
    expect(dup.message).toBe('Step 2 (log1p): "id" "a" is used by another step.');
    expect(badRecipe(recipe([{ id: 'a', kind: 'log1p', columns: ['x', 'x'] }])).message).toContain('names "x" twice');
    expect(badRecipe(recipe([{ id: 'a', kind: 'log1p', columns: ['x\u0000'] }])).params.field).toBe('columns');
  });

  it('checks option values and fitted statistics', () => {
    expect(badRecipe(recipe([{ id: 'a', kind: 'bin', column: 'x', method: 'quantile', bins: 1 }])).params.field).toBe(
      'bins',
    );
    expect(badRecipe(recipe([{ id: 'a', kind: 'impute', columns: ['x'], method: 'forward_fill' }])).params.field).toBe(
      'orderBy',
    );
    expect(
      badRecipe(recipe([{ id: 'a', kind: 'scale', columns: ['x'], method: 'standard', fitted: [] }])).params.field,
    ).toBe('fitted');
    expect(
      badRecipe(
        recipe([
          {
            id: 'a',
            kind: 'scale',
            columns: ['x'],
            method: 'standard',
            fitted: [{ column: 'x', center: 1, scale: 'big' }],
          },
        ]),
      ).params.field,
    ).toBe('scale');
    expect(
      badRecipe(recipe([{ id: 'a', kind: 'days_between', start: 'x', end: { date: '31/12/2024' }, into: 'd' }])).params
        .field,
    ).toBe('end.date');
    expect(badRecipe(recipe([{ id: 'a', kind: 'text_clean', columns: ['x'] }])).message).toContain(
      'or another cleaning option must be on',
    );
    expect(
      badRecipe(recipe([{ id: 'a', kind: 'bin', column: 'x', method: 'quantile', bins: 3, fitted: { edges: [3, 1] } }]))
        .params.field,
    ).toBe('fitted.edges');
  });

  it('checks the source schema', () => {
    const e = badRecipe({ version: 1, name: 'r', source: { columns: [{ name: 'a' }] }, steps: [] });
    expect(e.message).toBe('Recipe source column 1: "type" must be non-empty text.');
  });
});

import { describe, expect, it } from 'vitest';
import { STEP_FIELDS, STEP_GROUPS, columnsFor, invalidateFrom, newStep, newStepId } from './step-forms';
import { STEP_KINDS, parseRecipe, type RecipeStep, type SourceColumn } from './steps';

const COLUMNS: SourceColumn[] = [
  { name: 'order_id', type: 'VARCHAR' },
  { name: 'amount', type: 'DOUBLE' },
  { name: 'qty', type: 'INTEGER' },
  { name: 'ordered_at', type: 'TIMESTAMP' },
  { name: 'channel', type: 'VARCHAR' },
];

describe('step forms', () => {
  it('makes a valid default step of every kind for a typical orders table', () => {
    for (const kind of STEP_KINDS) {
      const step = newStep(kind, COLUMNS, 's1');
      // rename needs a target name and select_columns a column: the user fills them in.
      if (step.kind === 'rename_columns') step.renames = [{ from: 'channel', to: 'sales_channel' }];
      if (step.kind === 'select_columns') step.columns = ['channel'];
      const recipe = parseRecipe({ version: 1, name: 'r', source: { columns: COLUMNS }, steps: [step] });
      expect(recipe.steps[0]?.kind).toBe(kind);
    }
  });

  it('picks columns of the right type as defaults', () => {
    expect(newStep('scale', COLUMNS, 'a')).toMatchObject({ columns: ['amount', 'qty'] });
    expect(newStep('date_parts', COLUMNS, 'a')).toMatchObject({ column: 'ordered_at' });
    expect(newStep('one_hot', COLUMNS, 'a')).toMatchObject({ column: 'order_id' });
  });

  it('describes every kind, and every kind is in exactly one menu group', () => {
    for (const kind of STEP_KINDS) expect(STEP_FIELDS[kind]).toBeDefined();
    const grouped = STEP_GROUPS.flatMap((g) => g.kinds);
    expect([...grouped].sort()).toEqual([...STEP_KINDS].sort());
  });

  it('offers only the columns a field accepts', () => {
    const scaleColumns = STEP_FIELDS.scale.find((f) => f.key === 'columns')!;
    expect(columnsFor(scaleColumns, COLUMNS).map((c) => c.name)).toEqual(['amount', 'qty']);
    const castColumns = STEP_FIELDS.cast.find((f) => f.key === 'columns')!;
    expect(columnsFor(castColumns, COLUMNS)).toHaveLength(COLUMNS.length);
  });

  it('forgets fitted statistics from the edited step on, keeping those before it', () => {
    const steps: RecipeStep[] = [
      {
        id: 'a',
        enabled: true,
        kind: 'impute',
        columns: ['amount'],
        method: 'mean',
        fitted: [{ column: 'amount', value: 2 }],
      },
      {
        id: 'b',
        enabled: true,
        kind: 'scale',
        columns: ['amount'],
        method: 'standard',
        fitted: [{ column: 'amount', center: 1, scale: 2 }],
      },
      {
        id: 'c',
        enabled: true,
        kind: 'bin',
        column: 'amount',
        method: 'quantile',
        bins: 4,
        fitted: { edges: [0, 1, 2] },
      },
    ];
    const after = invalidateFrom(steps, 1);
    expect(after[0]).toBe(steps[0]);
    expect('fitted' in after[1]!).toBe(false);
    expect('fitted' in after[2]!).toBe(false);
  });

  it('numbers new steps without reusing an id', () => {
    const steps = [newStep('dedupe', COLUMNS, 's2'), newStep('log1p', COLUMNS, 's3')];
    expect(newStepId(steps)).toBe('s4');
    expect(newStepId([])).toBe('s1');
  });
});

describe('step summaries', () => {
  it('names the columns a step works on', async () => {
    const { stepSubject, isFitted } = await import('./step-forms');
    expect(stepSubject(newStep('scale', COLUMNS, 'a'))).toBe('amount, qty');
    expect(stepSubject({ id: 'r', enabled: true, kind: 'rename_columns', renames: [{ from: 'a', to: 'b' }] })).toBe(
      'a → b',
    );
    expect(stepSubject(newStep('filter_rows', COLUMNS, 'f'))).toBe('amount');
    expect(isFitted(newStep('scale', COLUMNS, 'a'))).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db';
import type { Row } from '../data/arrow';
import { createNodeDb } from '../../test/duckdb-node';
import { tableExists } from '../sql/run';
import { buildCustomerTable } from './customers';
import { buildLabels, type LabelOptions } from './labels';
import { LINE_ROLES, SHOP, createLines, type Line } from './test-fixtures';

let db: Db;
beforeAll(async () => {
  db = await createNodeDb();
  createLines(db, 'shop', SHOP);
});
afterAll(() => db?.bindings.reset());

/** SHOP with a 10-day window after 2024-01-31: only customer 1 orders in it (Feb 5). */
const BASE = { roles: LINE_ROLES, cutoff: '2024-01-31', horizonDays: 10, kind: 'buys_again' } as const;

async function labelled(
  lines: readonly Line[],
  extra: Partial<LabelOptions> = {},
): Promise<{ features: Row[]; labels: Map<unknown, unknown> }> {
  createLines(db, 'var', lines);
  await buildLabels(db, { ...BASE, table: 'var', into: 'var_labels', ...extra });
  const features = db.rows('SELECT * EXCLUDE (label) FROM var_labels ORDER BY customer_id');
  const labels = new Map(db.rows('SELECT customer_id, label FROM var_labels').map((r) => [r.customer_id, r.label]));
  return { features, labels };
}

describe('buildLabels', () => {
  let base: Awaited<ReturnType<typeof labelled>>;
  beforeAll(async () => {
    base = await labelled(SHOP);
  });

  it('labels buyers in the window and reuses the customer features exactly', async () => {
    const s = await buildLabels(db, { ...BASE, table: 'shop', into: 'lab' });
    expect(s).toMatchObject({
      rows: 5,
      positives: 1,
      negatives: 4,
      share: 0.2,
      cutoff: '2024-01-31',
      windowEnd: '2024-02-10',
      excludedNullCustomers: 1,
    });
    // The data ends on Feb 5, before the window does.
    expect(s.warnings.map((w) => w.code)).toEqual(['label_window_beyond_data']);
    expect(db.rows('SELECT customer_id, label FROM lab')).toEqual(
      [1, 0, 0, 0, 0].map((label, i) => ({ customer_id: i + 1, label })),
    );
    await buildCustomerTable(db, { table: 'shop', roles: LINE_ROLES, cutoff: '2024-01-31', into: 'feat' });
    expect(db.rows('SELECT * EXCLUDE (label) FROM lab')).toEqual(db.rows('SELECT * FROM feat'));
  });

  it('changes a label and no feature when events are added to the window', async () => {
    const more = await labelled([
      ...SHOP,
      ['o20', 3, '2024-01-31 00:00:01', 'p1', 'X', 1, 5], // just after the cutoff
      ['o21', 2, '2024-02-09 23:59:59', 'p1', 'X', 1, 5], // the window's last instant
    ]);
    expect([base.labels.get(2), base.labels.get(3)]).toEqual([0, 0]);
    expect([more.labels.get(2), more.labels.get(3)]).toEqual([1, 1]);
    expect(more.features).toEqual(base.features);
  });

  it('moving an event across the cutoff flips the label; the features are those without the event', async () => {
    const moved = SHOP.map((l): Line =>
      l[0] === 'o7' ? [l[0], l[1], '2024-02-02 09:00:00', l[3], l[4], l[5], l[6]] : l,
    );
    const without = await labelled(SHOP.filter((l) => l[0] !== 'o7'));
    const after = await labelled(moved);
    expect(base.labels.get(3)).toBe(0);
    expect(after.labels.get(3)).toBe(1);
    expect(after.features).toEqual(without.features);
    expect(after.features).not.toEqual(base.features);
  });

  it('ignores events after the window; a line at the cutoff instant counts in the label only', async () => {
    const later = await labelled([
      ...SHOP,
      ['o24', 2, '2024-02-10 00:00:00', 'p1', 'X', 1, 5], // the window's end is excluded
      ['o22', 5, '2024-03-15 10:00:00', 'p2', 'Y', 9, 20],
    ]);
    expect(later.features).toEqual(base.features);
    expect([...later.labels]).toEqual([...base.labels]);
    const atCutoff = await labelled([...SHOP, ['o23', 3, '2024-01-31 00:00:00', 'p2', 'Y', 9, 20]]);
    expect(atCutoff.features).toEqual(base.features);
    expect(atCutoff.labels.get(3)).toBe(1);
    expect(base.labels.get(3)).toBe(0);
  });

  it('computes churn and spends-more, and refuses a single class', async () => {
    const churn = await buildLabels(db, { ...BASE, kind: 'churn', table: 'shop', into: 'churn' });
    expect(churn).toMatchObject({ positives: 4, negatives: 1 });
    // Customer 1 spent 30 in [Jan 21, Jan 31) and 5 in the window: not more; nobody else buys.
    await expect(buildLabels(db, { ...BASE, kind: 'spends_more', table: 'shop', into: 'spend' })).rejects.toMatchObject(
      {
        code: 'label_single_class',
        params: { label: 0, rows: 5 },
      },
    );
    expect(tableExists(db, 'spend')).toBe(false);
    expect(db.rows("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_\\_%' ESCAPE '\\'")).toEqual([]);
    const spend = await buildLabels(db, {
      ...BASE,
      kind: 'spends_more',
      threshold: 4.99,
      table: 'shop',
      into: 'spend',
    });
    expect(spend).toMatchObject({ positives: 1, negatives: 4 });
    const twice = buildLabels(db, { ...BASE, threshold: 2, table: 'shop', into: 'x' });
    await expect(twice).rejects.toMatchObject({ code: 'label_single_class', params: { label: 0 } });
  });

  it('warns about extreme imbalance and rejects bad requests', async () => {
    db.exec(`CREATE OR REPLACE TABLE many AS
      SELECT 'o' || i AS inv, i AS cust, TIMESTAMP '2024-01-10 10:00:00' AS ts, 'p' AS sku, 'X' AS cat, 1 AS qty, 2.0 AS price
      FROM range(40) t(i)
      UNION ALL SELECT 'late', 0, TIMESTAMP '2024-02-20 10:00:00', 'p', 'X', 1, 2.0`);
    const s = await buildLabels(db, { ...BASE, horizonDays: 30, table: 'many', into: 'many_labels' });
    expect(s).toMatchObject({ rows: 40, positives: 1, share: 1 / 40 });
    expect(s.warnings.map((w) => w.code)).toEqual(['label_extreme_imbalance', 'label_window_beyond_data']);
    await expect(buildLabels(db, { ...BASE, horizonDays: 0, table: 'shop', into: 'x' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(buildLabels(db, { ...BASE, cutoff: '2020-01-01', table: 'shop', into: 'x' })).rejects.toMatchObject({
      code: 'no_customers',
    });
  });
});

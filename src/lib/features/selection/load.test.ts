/**
 * `loadFeatureData` / `selectFeatures` on a real DuckDB-WASM (Node build) with the Online
 * Shoppers sample from public/samples (CC BY 4.0). Scores are checked against the scikit-learn
 * references of docs/reference/selection_reference.py (__fixtures__/shoppers-reference.json):
 * the table's numeric/BOOLEAN columns, in schema order, are exactly the reference features.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../data/db';
import { createNodeDb } from '../../../test/duckdb-node';
import { sqlLiteral } from '../../sql/ident';
import reference from './__fixtures__/shoppers-reference.json';
import { SHOPPERS_CSV, relDiff } from './__fixtures__/shoppers';
import { loadFeatureData, selectFeatures, type SelectFeaturesResult } from './load';

let db: Db;
const token = { cancelled: false };

beforeAll(async () => {
  db = await createNodeDb();
  db.exec(`CREATE TABLE shoppers AS SELECT * FROM read_csv(${sqlLiteral(SHOPPERS_CSV)})`);
  db.exec('CREATE TABLE small AS SELECT * FROM shoppers LIMIT 2000');
  db.exec(`CREATE TABLE gaps AS SELECT * FROM (VALUES
    (1.0, 10, 'a', true), (NULL, 20, 'b', false), (3.0, NULL, 'a', true), (5.0, 40, NULL, NULL), (7.0, 50, 'b', false)
  ) AS t(x, n, label, flag)`);
  db.exec(`CREATE TABLE one_class AS SELECT * FROM (VALUES (1.0, 'x'), (2.0, 'x'), (3.0, NULL)) AS t(x, label)`);
  db.exec(
    `CREATE TABLE infinite AS SELECT * FROM (VALUES (1.0::DOUBLE, 'a'), ('inf'::DOUBLE, 'b'), (NULL, 'a')) AS t(x, label)`,
  );
  db.exec(`CREATE TABLE no_target AS SELECT * FROM (VALUES (1.0, CAST(NULL AS VARCHAR)), (2.0, NULL)) AS t(x, label)`);
});
afterAll(() => db?.bindings.reset());

function byFeature(result: SelectFeaturesResult): Map<string, SelectFeaturesResult['features'][number]> {
  return new Map(result.features.map((f) => [f.feature, f]));
}

function expectScores(
  result: SelectFeaturesResult,
  scores: readonly (number | null)[],
  pValues?: readonly (number | null)[],
): void {
  const map = byFeature(result);
  reference.features.forEach((name, j) => {
    const got = map.get(name)!;
    expect(relDiff(got.score, scores[j]!), `${name} score`).toBeLessThan(1e-6);
    if (pValues) {
      const e = pValues[j]!;
      expect(Math.abs(got.pValue! - e) <= 1e-12 || relDiff(got.pValue!, e) < 1e-6, `${name} p`).toBe(true);
    }
  });
}

describe('loadFeatureData', () => {
  it('reads the numeric and BOOLEAN columns, the BOOLEAN target as classes', async () => {
    const data = await loadFeatureData(db, { table: 'shoppers', target: 'Revenue' }, token);
    expect(data.features).toEqual(reference.features);
    expect(data.rows).toBe(reference.rows);
    expect(data.targetKind).toBe('boolean');
    expect(data.labels).toEqual(['false', 'true']);
    expect(data.classes!.reduce((s, v) => s + v, 0)).toBe(reference.positives);
    expect(data.columns[data.features.indexOf('Weekend')]!.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('a text target becomes sorted class labels', async () => {
    const data = await loadFeatureData(
      db,
      { table: 'shoppers', target: 'VisitorType', features: ['PageValues'] },
      token,
    );
    expect(data.labels).toEqual(reference.visitor.classes);
    expect(data.targetKind).toBe('categorical');
    expect(data.target).toBeNull();
  });

  it('drops NULL-target rows, imputes NULL features with the mean, or refuses them', async () => {
    const data = await loadFeatureData(db, { table: 'gaps', target: 'label', features: ['x', 'n', 'flag'] }, token);
    expect(data.rows).toBe(4);
    expect(data.droppedRows).toBe(1);
    expect(Array.from(data.columns[0]!)).toEqual([1, (1 + 3 + 7) / 3, 3, 7]);
    expect(Array.from(data.columns[1]!)).toEqual([10, 20, (10 + 20 + 50) / 3, 50]);
    expect(data.imputed).toEqual({ x: 1, n: 1 });
    await expect(
      loadFeatureData(db, { table: 'gaps', target: 'label', missing: 'error' }, token),
    ).rejects.toMatchObject({
      code: 'feature_has_nulls',
      params: { column: 'x', count: 1 },
    });
  });

  it('clear errors', async () => {
    const cases: [Parameters<typeof loadFeatureData>[1], object][] = [
      [
        { table: 'shoppers', target: 'Revenue', features: ['Month'] },
        { code: 'feature_not_numeric', params: { column: 'Month', type: 'VARCHAR' } },
      ],
      [
        { table: 'shoppers', target: 'Nope' },
        { code: 'not_found', params: { table: 'shoppers', column: 'Nope' } },
      ],
      [
        { table: 'shoppers', target: 'Revenue', features: ['Nope'] },
        { code: 'not_found', params: { column: 'Nope' } },
      ],
      [
        { table: 'missing_table', target: 'x' },
        { code: 'not_found', params: { name: 'missing_table' } },
      ],
      [
        { table: 'one_class', target: 'label' },
        { code: 'target_single_class', params: { column: 'label', value: 'x' } },
      ],
      [{ table: 'no_target', target: 'label' }, { code: 'no_target_rows' }],
      [{ table: 'shoppers', target: 'Revenue', features: [] }, { code: 'no_numeric_features' }],
      [
        { table: 'infinite', target: 'label' },
        { code: 'not_finite', params: { column: 'x' } },
      ],
    ];
    for (const [options, error] of cases)
      await expect(loadFeatureData(db, options, token)).rejects.toMatchObject(error);
    await expect(
      loadFeatureData(db, { table: 'shoppers', target: 'Revenue' }, { cancelled: true }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('selectFeatures', () => {
  it('anova: sklearn f_classif scores and p-values, PageValues first, top 10 selected', async () => {
    const result = await selectFeatures(db, { table: 'shoppers', target: 'Revenue', method: 'anova' }, token);
    expectScores(result, reference.f_classif.F, reference.f_classif.p);
    expect(result.features[0]).toMatchObject({ feature: 'PageValues', rank: 1, selected: true });
    expect(result.features.filter((f) => f.selected)).toHaveLength(10);
    expect(result.features.map((f) => f.rank)).toEqual(reference.features.map((_, i) => i + 1));
    expect(result).toMatchObject({ method: 'anova', task: 'classification', rows: reference.rows, droppedRows: 0 });
  });

  it('anova with k follows SelectKBest, with percentile SelectPercentile', async () => {
    const result = await selectFeatures(db, { table: 'shoppers', target: 'Revenue', method: 'anova', k: 5 }, token);
    const map = byFeature(result);
    expect(reference.features.map((f) => map.get(f)!.selected)).toEqual(reference.select_k_best_5);
    const pct = await selectFeatures(
      db,
      { table: 'shoppers', target: 'Revenue', method: 'anova', percentile: 30 },
      token,
    );
    const pmap = byFeature(pct);
    expect(reference.features.map((f) => pmap.get(f)!.selected)).toEqual(reference.select_percentile_30);
  });

  it('chi2 on the three-class VisitorType', async () => {
    const result = await selectFeatures(db, { table: 'shoppers', target: 'VisitorType', method: 'chi2' }, token);
    expectScores(result, reference.visitor.chi2.chi2, reference.visitor.chi2.p);
    expect(result.labels).toEqual(reference.visitor.classes);
  });

  it('f_regression on a numeric target', async () => {
    const ref = reference.f_regression;
    const result = await selectFeatures(
      db,
      { table: 'shoppers', target: ref.target, method: 'f_regression', features: ref.features },
      token,
    );
    const map = byFeature(result);
    ref.features.forEach((name, j) => expect(relDiff(map.get(name)!.score, ref.F[j]!)).toBeLessThan(1e-6));
    expect(result.task).toBe('regression');
  });

  it('variance keeps everything above the threshold; correlation drops BounceRates for ExitRates', async () => {
    const variance = await selectFeatures(
      db,
      { table: 'shoppers', target: 'Revenue', method: 'variance', threshold: 1 },
      token,
    );
    const vmap = byFeature(variance);
    expect(reference.features.map((f) => vmap.get(f)!.selected)).toEqual(reference.variance_threshold1_support);
    const corr = await selectFeatures(db, { table: 'shoppers', target: 'Revenue', method: 'correlation' }, token);
    expect(corr.correlatedDrops).toEqual([
      { dropped: 'BounceRates', keptInstead: 'ExitRates', r: expect.closeTo(0.913, 3) },
    ]);
    expect(corr.features.filter((f) => !f.selected).map((f) => f.feature)).toEqual(['BounceRates']);
    // For a two-class target the correlation ratio is |point-biserial r|.
    const r = reference.corrcoef; // not the target; sanity check the range instead
    expect(r.length).toBe(reference.features.length ** 2);
    expect(corr.features.every((f) => f.score >= 0 && f.score <= 1)).toBe(true);
  });

  it('mutual_info and rfe run on a 2,000-row table', async () => {
    const mi = await selectFeatures(db, { table: 'small', target: 'Revenue', method: 'mutual_info' }, token);
    expect(mi.features[0]!.feature).toBe('PageValues');
    expect(mi.features.every((f) => f.score >= 0 && f.pValue === undefined)).toBe(true);
    const events: number[] = [];
    const rfe = await selectFeatures(db, { table: 'small', target: 'Revenue', method: 'rfe', k: 3 }, token, (e) =>
      events.push(e.done / e.total),
    );
    expect(events[0]).toBe(0);
    expect(events.at(-1)).toBe(1);
    expect(rfe.features.map((f) => f.rank)).toEqual(reference.features.map((_, i) => i + 1));
    expect(rfe.features.filter((f) => f.selected)).toHaveLength(3);
    expect(rfe.features[0]!.feature).toBe('PageValues');
  });

  it('permutation importance and forest RFE run on a 2,000-row table, PageValues first', async () => {
    const perm = await selectFeatures(db, { table: 'small', target: 'Revenue', method: 'permutation', k: 4 }, token);
    expect(perm).toMatchObject({ task: 'classification', scoreName: 'permutation_roc_auc_drop' });
    expect(perm.features[0]!.feature).toBe('PageValues');
    expect(perm.features.every((f) => f.std !== undefined && f.std >= 0)).toBe(true);
    expect(perm.features.filter((f) => f.selected)).toHaveLength(4);
    const rfe = await selectFeatures(db, { table: 'small', target: 'Revenue', method: 'rfe_forest', step: 4 }, token);
    expect(rfe.features[0]!.feature).toBe('PageValues');
    expect(rfe.features[0]!.rank).toBe(1);
  });

  it('samples large tables reproducibly when asked (and by default for rfe / mutual_info)', async () => {
    const a = await loadFeatureData(db, { table: 'shoppers', target: 'Revenue', sampleRows: 500 }, token);
    const b = await loadFeatureData(db, { table: 'shoppers', target: 'Revenue', sampleRows: 500 }, token);
    expect(a).toMatchObject({ rows: 500, sampled: true });
    expect(Array.from(a.columns[8]!)).toEqual(Array.from(b.columns[8]!));
    const all = await loadFeatureData(db, { table: 'small', target: 'Revenue', sampleRows: 5000 }, token);
    expect(all).toMatchObject({ rows: 2000, sampled: false });
  });

  it('method errors', async () => {
    await expect(
      selectFeatures(db, { table: 'shoppers', target: 'VisitorType', method: 'f_regression' }, token),
    ).rejects.toMatchObject({ code: 'target_not_numeric' });
    await expect(
      selectFeatures(db, { table: 'shoppers', target: 'ProductRelated_Duration', method: 'anova' }, token),
    ).rejects.toMatchObject({ code: 'target_too_many_classes' });
    db.exec('CREATE OR REPLACE TABLE constant AS SELECT x, 3.5 AS y, CAST(NULL AS DOUBLE) AS empty FROM gaps');
    await expect(
      selectFeatures(db, { table: 'constant', target: 'y', method: 'f_regression', features: ['x'] }, token),
    ).rejects.toMatchObject({ code: 'target_single_class', params: { column: 'y', value: '3.5' } });
    await expect(
      selectFeatures(db, { table: 'constant', target: 'y', method: 'variance' }, token),
    ).rejects.toMatchObject({
      code: 'feature_all_null',
      params: { column: 'empty' },
    });
    db.exec('CREATE OR REPLACE TABLE negative AS SELECT x - 5 AS x, label FROM gaps');
    await expect(
      selectFeatures(db, { table: 'negative', target: 'label', method: 'chi2' }, token),
    ).rejects.toMatchObject({
      code: 'chi2_negative_values',
      params: { column: 'x' },
    });
  });
});

/**
 * RFM segmentation of the public UCI Online Retail 20k-row sample: log-RFM, standardised,
 * elbow + silhouette over k, k-means, PCA, profiles and suggested actions. Run with
 * `npx vitest run --config vitest.datasets.config.ts src/lib/ml/segment`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../data/db';
import { sqlLiteral } from '../../sql/ident';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import { elbow, kmeans } from './kmeans';
import { matrixFromRows, standardize } from './matrix';
import { pca } from './pca';
import { segmentProfiles, suggestAction } from './profile';
import { silhouetteScore } from './silhouette';

const FILE = path.join(DATASETS_DIR, 'online_retail_sample_20k.csv');
const suite = existsSync(FILE) ? describe : describe.skip;
if (!existsSync(FILE)) console.warn(`[segment.datasets] SKIPPED: ${FILE} not found (set $SHOPSIGHT_DATASETS).`);

suite('RFM segments of the Online Retail sample', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  it('finds well-separated segments with sensible actions', () => {
    const rows = db.rows(
      `WITH t AS (
         SELECT * FROM read_csv(${sqlLiteral(FILE)}, nullstr = 'NA', types = {'CustomerID': 'VARCHAR', 'InvoiceNo': 'VARCHAR'})
         WHERE CustomerID IS NOT NULL AND NOT starts_with(InvoiceNo, 'C') AND Quantity > 0),
       now AS (SELECT max(InvoiceDate) AS ts FROM t)
       SELECT CustomerID AS id,
              date_diff('day', max(InvoiceDate), (SELECT ts FROM now)) AS recency,
              count(DISTINCT InvoiceNo) AS frequency,
              sum(Quantity * UnitPrice) AS monetary
       FROM t GROUP BY CustomerID HAVING sum(Quantity * UnitPrice) > 0 ORDER BY CustomerID`,
    );
    const rfm = matrixFromRows(rows.map((r) => [Number(r.recency), Number(r.frequency), Number(r.monetary)]));
    // log1p tames the heavy right tails of frequency and spend before z-scoring.
    const { matrix: x } = standardize({ ...rfm, data: rfm.data.map(Math.log1p) });
    const sil = (m: typeof x, labels: Int32Array): number => silhouetteScore(m, labels, { sampleSize: 1500, seed: 1 });
    const curve = elbow(x, 2, 8, { nInit: 4, seed: 1, silhouette: sil });
    const k = 4;
    const fit = kmeans(x, k, { nInit: 10, seed: 1 });
    const profiles = segmentProfiles(rfm, fit.labels, ['recency', 'frequency', 'monetary']);
    const overall = segmentProfiles(rfm, new Int32Array(rfm.nRows), ['recency', 'frequency', 'monetary'])[0]!.means;
    const p = pca(x, 2);
    const rfmOf = (m: Record<string, number>) => ({
      recency: m.recency!,
      frequency: m.frequency!,
      monetary: m.monetary!,
    });
    const actions = profiles.map((s) => suggestAction(rfmOf(s.means), rfmOf(overall)));
    console.info(
      `[segment.datasets] ${rows.length} customers; elbow suggests k = ${curve.suggestedK}\n` +
        curve.points
          .map((pt) => `  k=${pt.k}: inertia ${pt.inertia.toFixed(0)}, silhouette ${pt.silhouette?.toFixed(3)}`)
          .join('\n') +
        `\n  PCA explained variance ratio: ${Array.from(p.explainedVarianceRatio, (v) => v.toFixed(3)).join(', ')}\n` +
        profiles
          .map(
            (s, i) =>
              `  segment ${s.segment}: ${s.size} (${(s.share * 100).toFixed(1)}%), recency ${s.means.recency!.toFixed(0)} d, ` +
              `frequency ${s.means.frequency!.toFixed(2)}, monetary ${s.means.monetary!.toFixed(0)} → ${actions[i]}`,
          )
          .join('\n'),
    );
    expect(rows.length).toBeGreaterThan(2500);
    expect(profiles.reduce((s, pr) => s + pr.size, 0)).toBe(rows.length);
    expect(curve.points.every((pt) => (pt.silhouette ?? 0) > 0.2)).toBe(true);
    expect(new Set(actions).size).toBeGreaterThanOrEqual(3);
    expect(p.explainedVarianceRatio[0]! + p.explainedVarianceRatio[1]!).toBeGreaterThan(0.8);
  });
});

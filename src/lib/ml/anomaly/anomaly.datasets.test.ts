/**
 * Unusual days in the public Superstore daily sales (train part): isolation forest over
 * sales, orders, quantity and average order value, explained by robust z-scores. Run with
 * `npx vitest run --config vitest.datasets.config.ts src/lib/ml/anomaly`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../data/db';
import { sqlLiteral } from '../../sql/ident';
import { DATASETS_DIR, createNodeDb } from '../../../test/duckdb-node';
import { matrixFromRows } from '../segment/matrix';
import { anomalyScores, fitIsolationForest, pathAttribution } from './isolation-forest';
import { explainRow, fitRobustScale } from './robust';

const FILE = path.join(DATASETS_DIR, 'superstore_daily_sales_train.csv');
const suite = existsSync(FILE) ? describe : describe.skip;
if (!existsSync(FILE)) console.warn(`[anomaly.datasets] SKIPPED: ${FILE} not found (set $SHOPSIGHT_DATASETS).`);

suite('unusual days in Superstore daily sales', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  it('flags the extreme days and explains them by their extreme features', () => {
    const rows = db.rows(
      `SELECT CAST("date" AS VARCHAR) AS day, sales, orders, quantity, CASE WHEN orders > 0 THEN sales / orders ELSE 0 END AS aov
       FROM read_csv(${sqlLiteral(FILE)}) WHERE orders > 0 ORDER BY "date"`,
    );
    const names = ['sales', 'orders', 'quantity', 'aov'];
    const x = matrixFromRows(rows.map((r) => names.map((n) => Number(r[n]))));
    const forest = fitIsolationForest(x, { seed: 3 });
    const s = anomalyScores(forest, x);
    const fitted = fitRobustScale(x);
    const order = Array.from(s.keys()).sort((a, b) => s[b]! - s[a]!);
    const top = order.slice(0, 8);
    const lines = top.map((i) => {
      const attr = pathAttribution(forest, x, i);
      const why = explainRow(x, i, { fitted, names, attribution: attr });
      return (
        `  ${String(rows[i]!.day)} score ${s[i]!.toFixed(3)}: ` +
        (why
          .map(
            (w) => `${w.name}=${w.value.toFixed(0)} (z ${w.z.toFixed(1)}, path ${(w.attribution! * 100).toFixed(0)}%)`,
          )
          .join('; ') || 'no single extreme feature')
      );
    });
    console.info(`[anomaly.datasets] ${rows.length} trading days; top anomalies:\n${lines.join('\n')}`);
    expect(rows.length).toBeGreaterThan(1000);
    // The most anomalous days are explained by at least one feature beyond 3 robust σ.
    for (const i of top.slice(0, 5)) expect(explainRow(x, i, { fitted, names, minAbsZ: 3 }).length).toBeGreaterThan(0);
    // And the highest-sales day is among the top 2% of scores.
    const maxSales = Array.from({ length: x.nRows }, (_, i) => i).sort((a, b) => x.data[b * 4]! - x.data[a * 4]!)[0]!;
    expect(order.indexOf(maxSales)).toBeLessThan(Math.ceil(rows.length * 0.02));
  });
});

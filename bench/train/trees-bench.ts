/**
 * The tree half of the training benchmark: fit times of ShopSight's random forest and
 * histogram gradient boosting on Online Shoppers (public/samples, CC BY 4.0), encoded as
 * src/lib/ml/eval/shoppers-fixture.ts does. The trees are plain TypeScript and run the same
 * in the ML worker as in Node (both V8), so Node's figures stand for the browser's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { HistGradientBoostingClassifier, RandomForestClassifier } from '../../src/lib/ml/tree';
import { parseShoppers } from '../../src/lib/ml/eval/shoppers-fixture';
import { rocAuc } from '../../src/lib/ml/metrics';

/** One model's timings. */
export interface TreeTiming {
  model: 'random_forest' | 'hist_gradient_boosting';
  seconds: number[];
  /** Training-set ROC-AUC of the last fit: a check that both sides fitted a comparable model. */
  trainAuc: number;
  /** Boosting iterations run (early stopping is on by default above 10,000 rows, as in sklearn). */
  nIter?: number;
}

/**
 * Encodes the CSV once, writes it as `X…,y` rows to `matrixCsv` for the scikit-learn side, then
 * fits each model `runs` times with scikit-learn's defaults (forest: 100 trees, sqrt features,
 * seed 0; boosting: 100 iterations max, 255 bins, auto early stopping, seed 0).
 */
export function timeTrees(
  csvPath: string,
  matrixCsv: string,
  runs: number,
): { rows: number; cols: number; timings: TreeTiming[] } {
  const { X, y } = parseShoppers(readFileSync(csvPath, 'utf8'));
  const lines: string[] = [];
  for (let i = 0; i < X.nRows; i++) {
    const row = Array.from(X.data.subarray(i * X.nCols, (i + 1) * X.nCols));
    lines.push([...row, y[i]].join(','));
  }
  writeFileSync(matrixCsv, lines.join('\n') + '\n');
  const timings: TreeTiming[] = [];
  const forest: TreeTiming = { model: 'random_forest', seconds: [], trainAuc: NaN };
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const model = new RandomForestClassifier({ nEstimators: 100, seed: 0 }).fit(X, y);
    forest.seconds.push((performance.now() - t0) / 1000);
    forest.trainAuc = rocAuc(y, model.predictProba(X));
  }
  timings.push(forest);
  const boosting: TreeTiming = { model: 'hist_gradient_boosting', seconds: [], trainAuc: NaN };
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const model = new HistGradientBoostingClassifier({ seed: 0 }).fit(X, y);
    boosting.seconds.push((performance.now() - t0) / 1000);
    boosting.trainAuc = rocAuc(y, model.predictProba(X));
    boosting.nIter = model.nIter;
  }
  timings.push(boosting);
  return { rows: X.nRows, cols: X.nCols, timings };
}

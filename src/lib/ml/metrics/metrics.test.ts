/**
 * Metrics against scikit-learn. The reference JSON (inputs and expected values) was produced by
 * `/usr/bin/python3 docs/reference/classify_metrics_reference.py > src/lib/ml/metrics/sklearn_reference.json`
 * with Debian's scikit-learn 1.2.1; values agree to 1e-9.
 */
import { describe, expect, it } from 'vitest';
import ref from './sklearn_reference.json';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  brier,
  calibrationCurve,
  confusionAtThreshold,
  confusionMatrix,
  cumulativeGain,
  f1,
  logLoss,
  mae,
  mape,
  mse,
  optimiseThreshold,
  precision,
  prCurve,
  r2,
  recall,
  rmse,
  rocAuc,
  rocCurve,
} from './index';

const { y, score, weight, y3, p3, yr, yr_pred } = ref.inputs;
const pred = score.map((s) => (s >= 0.5 ? 1 : 0));
const pred3 = y3.map((_, i) => {
  const row = p3.slice(i * 3, i * 3 + 3);
  return row.indexOf(Math.max(...row));
});
const TOL = 1e-9;

function close(actual: ArrayLike<number>, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 9);
}

describe('classification metrics match sklearn', () => {
  it('label metrics', () => {
    expect(accuracy(y, pred)).toBeCloseTo(ref.accuracy, 12);
    expect(accuracy(y, pred, weight)).toBeCloseTo(ref.accuracy_w, 12);
    expect(balancedAccuracy(y, pred)).toBeCloseTo(ref.balanced_accuracy, 12);
    expect(balancedAccuracy(y3, pred3)).toBeCloseTo(ref.balanced_accuracy3, 12);
    expect(Math.abs(precision(y, pred) - ref.precision)).toBeLessThan(TOL);
    expect(Math.abs(recall(y, pred) - ref.recall)).toBeLessThan(TOL);
    expect(Math.abs(f1(y, pred) - ref.f1)).toBeLessThan(TOL);
    expect(Math.abs(f1(y, pred, { sampleWeight: weight }) - ref.f1_w)).toBeLessThan(TOL);
    expect(Math.abs(precision(y3, pred3, { average: 'macro' }) - ref.precision_macro3)).toBeLessThan(TOL);
    expect(Math.abs(recall(y3, pred3, { average: 'macro' }) - ref.recall_macro3)).toBeLessThan(TOL);
    expect(Math.abs(f1(y3, pred3, { average: 'macro' }) - ref.f1_macro3)).toBeLessThan(TOL);
    expect(Math.abs(f1(y3, pred3, { average: 'weighted' }) - ref.f1_weighted3)).toBeLessThan(TOL);
  });

  it('confusion matrices', () => {
    expect(Array.from(confusionMatrix(y, pred))).toEqual(ref.confusion);
    expect(Array.from(confusionMatrix(y3, pred3))).toEqual(ref.confusion3);
    const c = confusionAtThreshold(y, score, 0.5);
    expect([c.tn, c.fp, c.fn, c.tp]).toEqual(ref.confusion);
  });

  it('ROC curve and AUC, with ties and weights', () => {
    expect(Math.abs(rocAuc(y, score) - ref.roc_auc)).toBeLessThan(TOL);
    expect(Math.abs(rocAuc(y, score, weight) - ref.roc_auc_w)).toBeLessThan(TOL);
    const full = rocCurve(y, score, { dropIntermediate: false });
    close(full.fpr, ref.roc_fpr);
    close(full.tpr, ref.roc_tpr);
    expect(full.thresholds[0]).toBe(Infinity);
    close(full.thresholds.subarray(1), ref.roc_thresholds_after_first);
    const dropped = rocCurve(y, score);
    close(dropped.fpr, ref.roc_fpr_dropped);
    close(dropped.tpr, ref.roc_tpr_dropped);
  });

  it('PR curve and step-wise average precision', () => {
    const pr = prCurve(y, score);
    close(pr.precision, ref.pr_precision);
    close(pr.recall, ref.pr_recall);
    close(pr.thresholds, ref.pr_thresholds);
    expect(Math.abs(averagePrecision(y, score) - ref.average_precision)).toBeLessThan(TOL);
    expect(Math.abs(averagePrecision(y, score, weight) - ref.average_precision_w)).toBeLessThan(TOL);
  });

  it('log-loss (eps clipping), Brier', () => {
    expect(Math.abs(logLoss(y, score) - ref.log_loss)).toBeLessThan(TOL);
    expect(Math.abs(logLoss(y, score, { sampleWeight: weight }) - ref.log_loss_w)).toBeLessThan(TOL);
    expect(Math.abs(logLoss(y3, p3) - ref.log_loss3)).toBeLessThan(TOL);
    expect(Math.abs(brier(y, score) - ref.brier)).toBeLessThan(TOL);
    expect(Math.abs(brier(y, score, weight) - ref.brier_w)).toBeLessThan(TOL);
  });

  it('calibration curve bins', () => {
    const u = calibrationCurve(y, score, 10, 'uniform');
    close(u.probTrue, ref.calibration_uniform.prob_true);
    close(u.probPred, ref.calibration_uniform.prob_pred);
    const q = calibrationCurve(y, score, 7, 'quantile');
    close(q.probTrue, ref.calibration_quantile.prob_true);
    close(q.probPred, ref.calibration_quantile.prob_pred);
  });
});

describe('regression metrics match sklearn', () => {
  it('MAE, MSE, RMSE, R², MAPE', () => {
    expect(Math.abs(mae(yr, yr_pred) - ref.mae)).toBeLessThan(TOL);
    expect(Math.abs(mse(yr, yr_pred) - ref.mse)).toBeLessThan(TOL);
    expect(Math.abs(rmse(yr, yr_pred) - ref.rmse)).toBeLessThan(TOL);
    expect(Math.abs(r2(yr, yr_pred) - ref.r2)).toBeLessThan(TOL);
    expect(Math.abs(r2(yr, yr_pred, weight) - ref.r2_w)).toBeLessThan(TOL);
    expect(Math.abs(mape(yr, yr_pred) - ref.mape)).toBeLessThan(TOL);
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 2])).toBe(0);
  });
});

describe('gain, lift and thresholds', () => {
  it('cumulative gain reaches 1 at the whole population and lift is gain / fraction', () => {
    const g = cumulativeGain([1, 0, 1, 0, 0, 0, 0, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0], 5);
    expect(g.map((p) => p.gain)).toEqual([1 / 3, 2 / 3, 2 / 3, 2 / 3, 1]);
    expect(g[0]!.lift).toBeCloseTo(5 / 3, 12);
  });

  it('max-F1 threshold equals the best F1 over all distinct thresholds', () => {
    const best = optimiseThreshold(y, score, { kind: 'maxF1' })!;
    let brute = 0;
    for (const t of new Set(score))
      brute = Math.max(
        brute,
        f1(
          y,
          score.map((s) => (s >= t ? 1 : 0)),
        ),
      );
    expect(best.f1).toBeCloseTo(brute, 12);
    expect(
      f1(
        y,
        score.map((s) => (s >= best.threshold ? 1 : 0)),
      ),
    ).toBeCloseTo(best.f1, 12);
  });

  it('target precision / recall thresholds meet their targets', () => {
    const p = optimiseThreshold(y, score, { kind: 'precision', target: 0.8 })!;
    expect(
      precision(
        y,
        score.map((s) => (s >= p.threshold ? 1 : 0)),
      ),
    ).toBeGreaterThanOrEqual(0.8);
    const r = optimiseThreshold(y, score, { kind: 'recall', target: 0.9 })!;
    expect(
      recall(
        y,
        score.map((s) => (s >= r.threshold ? 1 : 0)),
      ),
    ).toBeGreaterThanOrEqual(0.9);
    expect(optimiseThreshold([0, 0, 1], [0.9, 0.8, 0.1], { kind: 'precision', target: 1.01 })).toBeNull();
  });
});

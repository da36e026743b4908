"""Reference values for src/lib/ml/metrics from scikit-learn.

Run with Debian's scikit-learn (1.2.1 here):
    /usr/bin/python3 docs/reference/classify_metrics_reference.py > src/lib/ml/metrics/sklearn_reference.json

Inputs are generated with a seeded numpy RNG and written into the JSON too, so the TypeScript
test reads exactly the same numbers. Scores are rounded to 2 decimals so that there are many ties.
"""
import json

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve

rng = np.random.RandomState(0)
n = 200
y = (rng.rand(n) < 0.35).astype(int)
score = np.clip(np.round(0.35 * y + rng.rand(n) * 0.65, 2), 0, 1)
score[:5] = [0.0, 1.0, 0.5, 0.5, 0.5]  # exact 0/1 exercise the log-loss clipping
weight = np.round(rng.rand(n) * 2 + 0.1, 3)
pred = (score >= 0.5).astype(int)
# A 3-class problem for macro averages and multiclass log-loss.
y3 = rng.randint(0, 3, n)
raw = rng.rand(n, 3) + np.eye(3)[y3] * 0.8
p3 = raw / raw.sum(axis=1, keepdims=True)
pred3 = p3.argmax(axis=1)
# Regression.
yr = np.round(rng.randn(n) * 3 + 10, 3)
yr_pred = np.round(yr + rng.randn(n), 3)

fpr, tpr, thr = metrics.roc_curve(y, score, drop_intermediate=False)
fpr_d, tpr_d, _ = metrics.roc_curve(y, score)
prec, rec, pthr = metrics.precision_recall_curve(y, score)
pt_u, pp_u = calibration_curve(y, score, n_bins=10, strategy="uniform")
pt_q, pp_q = calibration_curve(y, score, n_bins=7, strategy="quantile")

out = {
    "sklearn": sklearn.__version__,
    "inputs": {
        "y": y.tolist(),
        "score": score.tolist(),
        "weight": weight.tolist(),
        "y3": y3.tolist(),
        "p3": p3.ravel().tolist(),
        "yr": yr.tolist(),
        "yr_pred": yr_pred.tolist(),
    },
    "accuracy": metrics.accuracy_score(y, pred),
    "accuracy_w": metrics.accuracy_score(y, pred, sample_weight=weight),
    "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
    "balanced_accuracy3": metrics.balanced_accuracy_score(y3, pred3),
    "precision": metrics.precision_score(y, pred),
    "recall": metrics.recall_score(y, pred),
    "f1": metrics.f1_score(y, pred),
    "f1_w": metrics.f1_score(y, pred, sample_weight=weight),
    "precision_macro3": metrics.precision_score(y3, pred3, average="macro"),
    "recall_macro3": metrics.recall_score(y3, pred3, average="macro"),
    "f1_macro3": metrics.f1_score(y3, pred3, average="macro"),
    "f1_weighted3": metrics.f1_score(y3, pred3, average="weighted"),
    "confusion": metrics.confusion_matrix(y, pred).ravel().tolist(),
    "confusion3": metrics.confusion_matrix(y3, pred3).ravel().tolist(),
    "roc_auc": metrics.roc_auc_score(y, score),
    "roc_auc_w": metrics.roc_auc_score(y, score, sample_weight=weight),
    "roc_fpr": fpr.tolist(),
    "roc_tpr": tpr.tolist(),
    "roc_thresholds_after_first": thr[1:].tolist(),
    "roc_fpr_dropped": fpr_d.tolist(),
    "roc_tpr_dropped": tpr_d.tolist(),
    "pr_precision": prec.tolist(),
    "pr_recall": rec.tolist(),
    "pr_thresholds": pthr.tolist(),
    "average_precision": metrics.average_precision_score(y, score),
    "average_precision_w": metrics.average_precision_score(y, score, sample_weight=weight),
    "log_loss": metrics.log_loss(y, score),
    "log_loss_w": metrics.log_loss(y, score, sample_weight=weight),
    "log_loss3": metrics.log_loss(y3, p3),
    "brier": metrics.brier_score_loss(y, score),
    "brier_w": metrics.brier_score_loss(y, score, sample_weight=weight),
    "calibration_uniform": {"prob_true": pt_u.tolist(), "prob_pred": pp_u.tolist()},
    "calibration_quantile": {"prob_true": pt_q.tolist(), "prob_pred": pp_q.tolist()},
    "mae": metrics.mean_absolute_error(yr, yr_pred),
    "mse": metrics.mean_squared_error(yr, yr_pred),
    "rmse": float(np.sqrt(metrics.mean_squared_error(yr, yr_pred))),
    "r2": metrics.r2_score(yr, yr_pred),
    "r2_w": metrics.r2_score(yr, yr_pred, sample_weight=weight),
    "mape": metrics.mean_absolute_percentage_error(yr, yr_pred),
}
print(json.dumps(out))

"""scikit-learn reference for the shoppers quality bar (src/lib/ml/eval/shoppers.datasets.test.ts).

Run with Debian's scikit-learn (1.2.1 here), single-threaded so that timings compare with one JS worker:
    OMP_NUM_THREADS=1 /usr/bin/python3 docs/reference/classify_shoppers_reference.py \
        > src/lib/ml/eval/sklearn_shoppers_reference.json

Encoding as src/lib/ml/eval/shoppers-fixture.ts: 14 numeric columns, one-hot Month (10) and
VisitorType (3), Weekend 0/1; Revenue is the label. 5-fold StratifiedKFold(shuffle, seed 0),
ROC-AUC per fold; then fit times on all rows (CPU seconds, best of 3).

The linear SVM ("linear_svc_sigmoid", for ShopSight's `svm` family) is preprocessed as ShopSight
does (numbers and Weekend standardised with the training fold's mean and std, one-hot columns
left 0/1), then LinearSVC(loss='hinge', C=1) inside CalibratedClassifierCV(method='sigmoid',
cv=3, ensemble=False): Platt's sigmoid fitted on 3-fold out-of-fold decision values of the
training fold, the SVM refitted on the whole training fold (libsvm's `probability=True` scheme).
"""
import json
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

NUMERIC = ["Administrative", "Administrative_Duration", "Informational", "Informational_Duration",
           "ProductRelated", "ProductRelated_Duration", "BounceRates", "ExitRates", "PageValues",
           "SpecialDay", "OperatingSystems", "Browser", "Region", "TrafficType"]
MONTHS = ["Feb", "Mar", "May", "June", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
VISITORS = ["New_Visitor", "Other", "Returning_Visitor"]

df = pd.read_csv("public/samples/online_shoppers_intention.csv")
cols = [df[NUMERIC].to_numpy(float)]
cols += [(df["Month"] == m).to_numpy(float)[:, None] for m in MONTHS]
cols += [(df["VisitorType"] == v).to_numpy(float)[:, None] for v in VISITORS]
cols += [df["Weekend"].astype(bool).to_numpy(float)[:, None]]
X = np.hstack(cols)
y = df["Revenue"].astype(bool).to_numpy(int)

models = {
    "random_forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1),
    # Fully grown trees give noisy leaf probabilities; 3 rows per leaf ranks better (0.926 → 0.931).
    "random_forest_leaf3": lambda: RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=0, n_jobs=1),
    "hist_gradient_boosting": lambda: HistGradientBoostingClassifier(random_state=0),
    "decision_tree_depth6": lambda: DecisionTreeClassifier(max_depth=6, random_state=0),
    "gaussian_nb": lambda: GaussianNB(),
    "dummy_prior": lambda: DummyClassifier(strategy="prior"),
    "linear_svc_sigmoid": lambda: make_pipeline(
        ColumnTransformer([("scale", StandardScaler(), list(range(len(NUMERIC))) + [X.shape[1] - 1])],
                          remainder="passthrough"),
        CalibratedClassifierCV(LinearSVC(loss="hinge", C=1.0, dual=True, max_iter=100_000, random_state=0),
                               method="sigmoid", cv=3, ensemble=False)),
}
out = {"sklearn": sklearn.__version__, "n_rows": int(X.shape[0]), "n_features": int(X.shape[1]),
       "positive_rate": float(y.mean()), "cv": {}, "fit_seconds_all_rows": {}}
folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X, y))
for name, make in models.items():
    aucs = []
    for tr, te in folds:
        m = make().fit(X[tr], y[tr])
        aucs.append(roc_auc_score(y[te], m.predict_proba(X[te])[:, 1]))
    out["cv"][name] = {"folds": aucs, "mean": float(np.mean(aucs)), "std": float(np.std(aucs))}
for name in ["random_forest", "hist_gradient_boosting", "decision_tree_depth6"]:
    cpu, wall = [], []
    for _ in range(3):
        t0, w0 = time.process_time(), time.perf_counter()
        models[name]().fit(X, y)
        cpu.append(time.process_time() - t0)
        wall.append(time.perf_counter() - w0)
    out["fit_seconds_all_rows"][name] = {"cpu": min(cpu), "wall": min(wall)}
print(json.dumps(out, indent=2))

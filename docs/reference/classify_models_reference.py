"""Reference predictions for the tree and naive Bayes models, from scikit-learn.

Run with Debian's scikit-learn (1.2.1 here):
    /usr/bin/python3 docs/reference/classify_models_reference.py tree > src/lib/ml/tree/sklearn_tree_reference.json
    /usr/bin/python3 docs/reference/classify_models_reference.py bayes > src/lib/ml/bayes/sklearn_bayes_reference.json

Feature values are multiples of 1/1024 so that they are exact in float32 (sklearn's trees work
in float32) and in float64 (ours), which makes split thresholds comparable bit for bit.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.dummy import DummyClassifier
from sklearn.naive_bayes import CategoricalNB, GaussianNB
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

which = sys.argv[1]
rng = np.random.RandomState(42)
n, p = 300, 5
X = np.round(rng.randn(n, p) * 512) / 1024
logit = 1.5 * X[:, 0] - X[:, 1] + 0.8 * X[:, 2] * X[:, 3]
y = (rng.rand(n) < 1 / (1 + np.exp(-2 * logit))).astype(int)
y3 = np.digitize(logit + 0.3 * rng.randn(n), [-0.4, 0.4])
yr = np.round(logit + 0.2 * rng.randn(n), 4)
w = np.round(rng.rand(n) + 0.5, 3)
Xt = np.round(rng.randn(50, p) * 512) / 1024
out = {"sklearn": sklearn.__version__, "X": X.ravel().tolist(), "n": n, "p": p, "y": y.tolist(),
       "y3": y3.tolist(), "yr": yr.tolist(), "w": w.tolist(), "Xt": Xt.ravel().tolist()}

if which == "tree":
    cases = {
        "gini_d4": (DecisionTreeClassifier(max_depth=4, random_state=0), y, None),
        "entropy_d3_leaf5": (DecisionTreeClassifier(criterion="entropy", max_depth=3, min_samples_leaf=5, random_state=0), y, None),
        "gini3_d4_weighted": (DecisionTreeClassifier(max_depth=4, random_state=0), y3, w),
        "mse_d4": (DecisionTreeRegressor(max_depth=4, random_state=0), yr, None),
        "mse_d5_split20": (DecisionTreeRegressor(max_depth=5, min_samples_split=20, random_state=0), yr, w),
    }
    for name, (m, target, sw) in cases.items():
        m.fit(X, target, sample_weight=sw)
        pred = m.predict_proba(Xt) if hasattr(m, "predict_proba") else m.predict(Xt)
        out[name] = {
            "pred": np.asarray(pred).ravel().tolist(),
            "pred_train": np.asarray(m.predict_proba(X) if hasattr(m, "predict_proba") else m.predict(X)).ravel().tolist(),
            "importances": m.feature_importances_.tolist(),
            "n_nodes": int(m.tree_.node_count),
            "n_leaves": int(m.get_n_leaves()),
        }
    d = DummyClassifier(strategy="prior").fit(X, y3, sample_weight=w)
    out["dummy_prior3"] = d.predict_proba(Xt[:1]).ravel().tolist()
elif which == "bayes":
    g = GaussianNB().fit(X, y3)
    gw = GaussianNB().fit(X, y, sample_weight=w)
    Xc = rng.randint(0, 4, size=(n, 3))
    Xc[:, 2] = rng.randint(0, 2, size=n)
    yc = ((Xc[:, 0] >= 2) ^ (rng.rand(n) < 0.2)).astype(int)
    Xct = rng.randint(0, 2, size=(40, 3))
    c = CategoricalNB().fit(Xc, yc)
    c2 = CategoricalNB(alpha=0.5).fit(Xc, yc, sample_weight=w)
    out.update({
        "gnb3_proba": g.predict_proba(Xt).ravel().tolist(),
        "gnb3_var": g.var_.ravel().tolist(),
        "gnb_w_proba": gw.predict_proba(Xt)[:, 1].tolist(),
        "Xc": Xc.ravel().tolist(), "yc": yc.tolist(), "Xct": Xct.ravel().tolist(),
        "cnb_proba": c.predict_proba(Xct)[:, 1].tolist(),
        "cnb_alpha05_w_proba": c2.predict_proba(Xct)[:, 1].tolist(),
    })
print(json.dumps(out))

"""scikit-learn references for Classify's regression side.

Run with Debian's scikit-learn (1.2.1 here), single-threaded:

    OMP_NUM_THREADS=1 /usr/bin/python3 docs/reference/regression_reference.py linear \
        > src/lib/ml/linear/__fixtures__/sklearn-linear-regression.json
    OMP_NUM_THREADS=1 /usr/bin/python3 docs/reference/regression_reference.py superstore \
        /work/shared/datasets/superstore_orders_train.csv > docs/reference/regression_superstore_reference.json

`linear`: a small fixed data set (30 rows, 5 features, the 5th = the 1st + the 2nd, so OLS has
to find sklearn's minimum-norm solution), fitted by LinearRegression, Ridge(alpha 1 and 10) and
Lasso(alpha 0.05 and 0.5, tol 1e-12); checked by src/lib/ml/linear/regression.test.ts.

`superstore`: the quality bar of src/lib/ml/services/regression.datasets.test.ts. Target: the
order line's Profit; features Sales, Quantity, Discount, Segment, Region, Category,
Sub-Category, Ship Mode. The folds are ShopSight's own (`kFold(n, 5, seed 0)` with its
mulberry32 `Rng`, ported below bit for bit), and so is the preprocessing, refitted on each
fold's training rows: numbers imputed with the median and standardised with the mean and the
population std; text one-hot over the 10 most frequent training values (ties by name), other
values all zeros.
"""
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import TransformedTargetRegressor
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Lasso, LinearRegression, Ridge
from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error, mean_squared_error, r2_score
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

M = 0xFFFFFFFF


class Rng:
    """src/lib/ml/random.ts (mulberry32 with a mixed seed), in unsigned 32-bit arithmetic."""

    def __init__(self, seed=0):
        self.state = ((((seed ^ 0x9E3779B9) & M) * 0x85EBCA6B) & M) ^ 0xC2B2AE35

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & M
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t = t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M)
        return ((t ^ (t >> 14)) & M) / 4294967296

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = int(self.next() * (i + 1))
            a[i], a[j] = a[j], a[i]
        return a


def kfold(n, k=5, seed=0):
    """src/lib/ml/eval/split.ts kFold: shuffled, the first n % k folds one row longer."""
    idx = Rng(seed).shuffle(list(range(n)))
    folds, pos = [], 0
    for f in range(k):
        size = n // k + (1 if f < n % k else 0)
        folds.append(sorted(idx[pos:pos + size]))
        pos += size
    out = []
    for test in folds:
        s = set(test)
        out.append((np.array([i for i in range(n) if i not in s]), np.array(test)))
    return out


def fit_preprocess(df, numeric, text, rows, top_k=10):
    spec = []
    for c in numeric:
        v = df[c].to_numpy(float)[rows]
        med = np.nanmedian(v)
        v = np.where(np.isnan(v), med, v)
        std = v.std()
        spec.append(("num", c, med, v.mean(), std if std > 1e-12 else 1.0))
    for c in text:
        counts = df[c].iloc[rows].dropna().value_counts()
        levels = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
        spec.append(("cat", c, [lv for lv, _ in levels]))
    return spec


def transform(df, spec, rows):
    cols = []
    for s in spec:
        if s[0] == "num":
            v = df[s[1]].to_numpy(float)[rows]
            cols.append(((np.where(np.isnan(v), s[2], v) - s[3]) / s[4])[:, None])
        else:
            v = df[s[1]].iloc[rows].to_numpy()
            cols.append(np.stack([(v == lv).astype(float) for lv in s[2]], axis=1))
    return np.hstack(cols)


def linear_fixture():
    rng = np.random.RandomState(3)
    X = rng.normal(size=(30, 4)).round(3)
    X = np.hstack([X, X[:, :1] + X[:, 1:2]])
    y = (2 * X[:, 0] - 1.5 * X[:, 1] + 0.5 * X[:, 2] + 0.1 * X[:, 3] + 3 + rng.normal(scale=0.3, size=30)).round(4)
    fits = []
    for name, make in [
        ("ols", lambda: LinearRegression()),
        ("ridge_1", lambda: Ridge(alpha=1.0)),
        ("ridge_10", lambda: Ridge(alpha=10.0)),
        ("lasso_0.05", lambda: Lasso(alpha=0.05, tol=1e-12, max_iter=100000)),
        ("lasso_0.5", lambda: Lasso(alpha=0.5, tol=1e-12, max_iter=100000)),
    ]:
        m = make().fit(X, y)
        fits.append({"name": name, "coef": m.coef_.tolist(), "intercept": float(m.intercept_), "predict": m.predict(X).tolist()})
    return {"sklearn": sklearn.__version__, "X": X.tolist(), "y": y.tolist(), "fits": fits}


NUMERIC = ["Sales", "Quantity", "Discount"]
TEXT = ["Segment", "Region", "Category", "Sub-Category", "Ship Mode"]


def models(y_train):
    return {
        "baseline": lambda: DummyRegressor(strategy="mean"),
        "linear": lambda: LinearRegression(),
        "ridge": lambda: Ridge(alpha=1.0),
        "lasso": lambda: Lasso(alpha=0.01 * np.std(y_train)),
        "tree": lambda: DecisionTreeRegressor(max_depth=6, random_state=0),
        "forest": lambda: RandomForestRegressor(n_estimators=100, random_state=0, n_jobs=1),
        "boosting": lambda: HistGradientBoostingRegressor(random_state=0),
        "mlp": lambda: TransformedTargetRegressor(
            regressor=MLPRegressor(hidden_layer_sizes=(64,), alpha=1e-4, batch_size=128, learning_rate_init=0.001,
                                   max_iter=100, early_stopping=True, validation_fraction=0.1, n_iter_no_change=8,
                                   random_state=0),
            transformer=StandardScaler()),
    }


def superstore(path):
    df = pd.read_csv(path)
    y = df["Profit"].to_numpy(float)
    folds = kfold(len(df), 5, 0)
    out = {"sklearn": sklearn.__version__, "target": "Profit", "features": NUMERIC + TEXT, "n_rows": len(df),
           "folds": 5, "seed": 0, "fold_sizes": [len(te) for _, te in folds], "cv": {}}
    scores = {}
    for tr, te in folds:
        spec = fit_preprocess(df, NUMERIC, TEXT, tr)
        Xtr, Xte = transform(df, spec, tr), transform(df, spec, te)
        out["n_encoded"] = int(Xtr.shape[1])
        for name, make in models(y[tr]).items():
            p = make().fit(Xtr, y[tr]).predict(Xte)
            s = scores.setdefault(name, {"r2": [], "mae": [], "rmse": [], "mape": []})
            s["r2"].append(r2_score(y[te], p))
            s["mae"].append(mean_absolute_error(y[te], p))
            s["rmse"].append(mean_squared_error(y[te], p) ** 0.5)
            s["mape"].append(mean_absolute_percentage_error(y[te], p))
    for name, s in scores.items():
        out["cv"][name] = {k: {"folds": v, "mean": float(np.mean(v)), "std": float(np.std(v))} for k, v in s.items()}
    # How much sklearn itself moves with random_state (ties in the tree, initialisation of the MLP):
    # the yardstick for the tolerances of the randomised families.
    out["seed_spread"] = {}
    for name in ["tree", "forest", "mlp"]:
        means = {"r2": [], "mae": []}
        for seed in [1, 2, 3]:
            r2s, maes = [], []
            for tr, te in folds:
                spec = fit_preprocess(df, NUMERIC, TEXT, tr)
                m = models(y[tr])[name]()
                key = "regressor__random_state" if name == "mlp" else "random_state"
                m.set_params(**{key: seed})
                p = m.fit(transform(df, spec, tr), y[tr]).predict(transform(df, spec, te))
                r2s.append(r2_score(y[te], p))
                maes.append(mean_absolute_error(y[te], p))
            means["r2"].append(float(np.mean(r2s)))
            means["mae"].append(float(np.mean(maes)))
        out["seed_spread"][name] = {"seeds": [1, 2, 3], **means}
    return out


if __name__ == "__main__":
    if sys.argv[1] == "linear":
        print(json.dumps(linear_fixture(), indent=1))
    else:
        print(json.dumps(superstore(sys.argv[2]), indent=1))

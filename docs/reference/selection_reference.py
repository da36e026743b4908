"""Reference values for src/lib/features/selection and src/lib/ml/linear from scikit-learn/scipy.

Run with Debian's scikit-learn (1.2.1, scipy 1.10.1, numpy 1.24.2 here), from the repository root:
    /usr/bin/python3 docs/reference/selection_reference.py

It reads public/samples/online_shoppers_intention.csv (CC BY 4.0, shipped with the app) and writes
    src/lib/features/selection/__fixtures__/shoppers-reference.json
    src/lib/ml/linear/__fixtures__/shoppers-logistic.json
The TypeScript tests read the same CSV, so only the reference numbers are stored here.
"""
import csv
import json
import sys

import numpy as np
import scipy
import sklearn
from scipy import special, stats
from sklearn.feature_selection import (
    RFE,
    SelectKBest,
    SelectPercentile,
    VarianceThreshold,
    chi2,
    f_classif,
    f_regression,
    mutual_info_classif,
    mutual_info_regression,
)
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

CSV = "public/samples/online_shoppers_intention.csv"
# The numeric columns plus Weekend (boolean → 0/1); Month and VisitorType are categorical.
FEATURES = [
    "Administrative",
    "Administrative_Duration",
    "Informational",
    "Informational_Duration",
    "ProductRelated",
    "ProductRelated_Duration",
    "BounceRates",
    "ExitRates",
    "PageValues",
    "SpecialDay",
    "OperatingSystems",
    "Browser",
    "Region",
    "TrafficType",
    "Weekend",
]
# Regression: predict ProductRelated_Duration from the other features.
REG_TARGET = "ProductRelated_Duration"
REG_FEATURES = [f for f in FEATURES if f != REG_TARGET]
# Discrete features for the mixed mutual-information case.
DISCRETE = ["OperatingSystems", "Browser", "Region", "TrafficType", "Weekend"]
# Every 50th row's predicted probabilities are stored (247 rows).
PROBA_STEP = 50


def load():
    with open(CSV, newline="") as f:
        rows = list(csv.DictReader(f))

    def num(v):
        return 1.0 if v == "TRUE" else 0.0 if v == "FALSE" else float(v)

    X = np.array([[num(r[c]) for c in FEATURES] for r in rows], dtype=np.float64)
    y = np.array([1 if r["Revenue"] == "TRUE" else 0 for r in rows])
    visitor = np.array([r["VisitorType"] for r in rows])
    return X, y, visitor


def lst(a):
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    X, y, visitor = load()
    idx = {f: i for i, f in enumerate(FEATURES)}
    Xr = X[:, [idx[f] for f in REG_FEATURES]]
    yr = X[:, idx[REG_TARGET]]

    out = {
        "_produced_by": "docs/reference/selection_reference.py",
        "versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
        "features": FEATURES,
        "rows": int(X.shape[0]),
        "positives": int(y.sum()),
    }
    # VarianceThreshold(0) reports min(variance, peak-to-peak) in variances_; the plain population
    # variance is stored too, and the TypeScript port reports that (the 0-threshold mask is the same).
    out["variance_threshold0_variances_"] = lst(VarianceThreshold().fit(X).variances_)
    out["variance"] = lst(np.var(X, axis=0))
    out["variance_threshold1_support"] = [bool(v) for v in VarianceThreshold(1.0).fit(X).get_support()]
    out["corrcoef"] = lst(np.corrcoef(X, rowvar=False))
    F, p = f_classif(X, y)
    out["f_classif"] = {"F": lst(F), "p": lst(p)}
    c2, p2 = chi2(X, y)
    out["chi2"] = {"chi2": lst(c2), "p": lst(p2)}
    # A three-class target (VisitorType) for ANOVA and chi² with k - 1 = 2 degrees of freedom.
    classes3, y3 = np.unique(visitor, return_inverse=True)
    F3, p3 = f_classif(X, y3)
    c3, pc3 = chi2(X, y3)
    out["visitor"] = {"classes": list(classes3), "f_classif": {"F": lst(F3), "p": lst(p3)}, "chi2": {"chi2": lst(c3), "p": lst(pc3)}}
    Fr, pr = f_regression(Xr, yr)
    out["f_regression"] = {"target": REG_TARGET, "features": REG_FEATURES, "F": lst(Fr), "p": lst(pr)}

    # Mutual information, k = 3. random_state=0 is what the TypeScript port reproduces; the other
    # seeds show how much sklearn itself moves with the noise it adds.
    out["mutual_info_classif"] = {
        str(s): lst(mutual_info_classif(X, y, n_neighbors=3, random_state=s)) for s in range(5)
    }
    disc = np.array([f in DISCRETE for f in FEATURES])
    out["mutual_info_classif_discrete"] = {
        "discrete": DISCRETE,
        "mi": lst(mutual_info_classif(X, y, discrete_features=disc, n_neighbors=3, random_state=0)),
    }
    # Regression MI on the first 3,000 rows keeps the TypeScript test fast.
    nr = 3000
    out["mutual_info_regression"] = {
        "rows": nr,
        "target": REG_TARGET,
        "features": REG_FEATURES,
        "by_seed": {
            str(s): lst(mutual_info_regression(Xr[:nr], yr[:nr], n_neighbors=3, random_state=s)) for s in range(5)
        },
    }

    # SelectKBest / SelectPercentile on the ANOVA scores.
    out["select_k_best_5"] = [bool(v) for v in SelectKBest(f_classif, k=5).fit(X, y).get_support()]
    out["select_percentile_30"] = [bool(v) for v in SelectPercentile(f_classif, percentile=30).fit(X, y).get_support()]

    # numpy's legacy RandomState stream, which the mutual-information port reproduces.
    out["randomstate"] = {
        "seed0_normal": lst(np.random.RandomState(0).standard_normal(7)),
        "seed12345_normal": lst(np.random.RandomState(12345).standard_normal(5)),
        "seed0_uint32": [int(v) for v in np.random.RandomState(0).randint(0, 2**32, size=3, dtype=np.uint64)],
    }

    # RFE with logistic regression on standardised features.
    Xs = StandardScaler().fit_transform(X)
    lr = dict(C=1.0, solver="lbfgs", max_iter=10000, tol=1e-10)
    out["rfe_1"] = [int(v) for v in RFE(LogisticRegression(**lr), n_features_to_select=1, step=1).fit(Xs, y).ranking_]
    out["rfe_default"] = [int(v) for v in RFE(LogisticRegression(**lr), step=1).fit(Xs, y).ranking_]
    out["rfe_step3"] = [int(v) for v in RFE(LogisticRegression(**lr), n_features_to_select=2, step=3).fit(Xs, y).ranking_]
    out["rfe_step0.2"] = [int(v) for v in RFE(LogisticRegression(**lr), n_features_to_select=1, step=0.2).fit(Xs, y).ranking_]
    # Multinomial: importance is the squared coefficients summed over the three classes.
    out["rfe_visitor_1"] = [int(v) for v in RFE(LogisticRegression(**lr), n_features_to_select=1).fit(Xs, y3).ranking_]

    # Special functions: the p-value tails.
    fx = [0.001, 0.1, 0.5, 1.0, 2.5, 10.0, 50.0, 200.0]
    fdf = [(1, 1), (1, 10), (2, 12327), (1, 12328), (5, 3), (14, 7), (0.5, 2.5), (30, 400)]
    out["special"] = {
        "f_sf": [[x, a, b, float(stats.f.sf(x, a, b))] for x in fx for (a, b) in fdf],
        "chi2_sf": [[x, k, float(stats.chi2.sf(x, k))] for x in [0.01, 0.5, 1, 3.84, 10, 50, 300, 1000] for k in [1, 2, 3, 10, 50, 250]],
        "betainc": [[a, b, x, float(special.betainc(a, b, x))] for a in [0.5, 1, 3.3, 20, 6164] for b in [0.5, 2, 7.5, 500] for x in [0.01, 0.3, 0.7, 0.999]],
        "gammaincc": [[a, x, float(special.gammaincc(a, x))] for a in [0.5, 1, 2.5, 10, 100] for x in [0.01, 1, 5, 20, 150]],
        "gammaln": [[x, float(special.gammaln(x))] for x in [0.1, 0.5, 1, 1.5, 2, 7.25, 30, 1000.5, 6164.5, 1e6]],
        "digamma": [[x, float(special.digamma(x))] for x in [0.25, 1, 2, 3, 4, 7.5, 100, 12330]],
    }
    with open("src/lib/features/selection/__fixtures__/shoppers-reference.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")

    # Logistic regression fits.
    lin = {
        "_produced_by": "docs/reference/selection_reference.py",
        "versions": out["versions"],
        "features": FEATURES,
        "standardise": "sklearn StandardScaler (population std) on all rows",
        "proba_rows_step": PROBA_STEP,
        "fits": [],
    }
    rows = np.arange(0, X.shape[0], PROBA_STEP)
    for name, kwargs, target in [
        ("binary_C1", {}, y),
        ("binary_C0.05", {"C": 0.05}, y),
        ("binary_balanced", {"class_weight": "balanced"}, y),
        ("multinomial_visitor", {}, y3),
        ("multinomial_visitor_balanced", {"class_weight": "balanced"}, y3),
    ]:
        m = LogisticRegression(**{**lr, **kwargs}).fit(Xs, target)
        # lbfgs stops on its relative-decrease test (ftol ≈ 2.2e-9) long before |gradient| reaches
        # tol, so small coefficients are off by ~1e-4 relative. newton-cg with tol=1e-12 (a bound
        # on max |gradient|) gives the optimum itself, which is what a Newton port should match.
        exact = LogisticRegression(**{**lr, **kwargs, "solver": "newton-cg", "tol": 1e-12}).fit(Xs, target)
        lin["fits"].append(
            {
                "name": name,
                "C": kwargs.get("C", 1.0),
                "class_weight": kwargs.get("class_weight"),
                "target": "Revenue" if target is y else "VisitorType",
                "classes": [str(c) for c in (classes3 if target is y3 else [0, 1])],
                "n_iter": int(m.n_iter_[0]),
                "coef": [lst(r) for r in m.coef_],
                "intercept": lst(m.intercept_),
                "proba": [lst(r) for r in m.predict_proba(Xs[rows])],
                "exact": {
                    "solver": "newton-cg",
                    "tol": 1e-12,
                    "coef": [lst(r) for r in exact.coef_],
                    "intercept": lst(exact.intercept_),
                    "proba": [lst(r) for r in exact.predict_proba(Xs[rows])],
                },
            }
        )
    with open("src/lib/ml/linear/__fixtures__/shoppers-logistic.json", "w") as f:
        json.dump(lin, f, indent=1)
        f.write("\n")
    print("ok", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Reference partial dependence from scikit-learn for src/lib/ml/explain/partial-dependence.test.ts.

Run with Debian's scikit-learn (1.2.1 here):
    /usr/bin/python3 docs/reference/classify_pd_reference.py > src/lib/ml/explain/sklearn_pd_reference.json
    npx prettier --write src/lib/ml/explain/sklearn_pd_reference.json

A raw table (two numeric columns, one with holes; a low-cardinality integer column; a text
category) goes through the same preprocessing ShopSight fits (median impute + standardise with
the population std, one-hot with unknown levels as all zeros) and a logistic regression, fitted
here on the first 240 rows. The test rebuilds that pipeline in TypeScript from the training rows
(ShopSight's own `fitPreprocess`) with the coefficients below, so both sides hold the same model,
and `sklearn.inspection.partial_dependence(method='brute', grid_resolution=20,
percentiles=(0.05, 0.95))` on the other 120 rows is what the TypeScript module must reproduce:
grid values (scipy's mquantiles, alphap = betap = 0.4, then linspace; unique values when there
are fewer than grid_resolution) and the average P(positive) per grid value.
"""
import json

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.inspection import partial_dependence
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

rng = np.random.RandomState(7)
n, n_train = 360, 240
x1 = np.round(rng.randn(n) * 2 + 1, 4)
x2 = np.round(rng.exponential(3, n), 4)
x2_holes = x2.copy()
holes = rng.rand(n) < 0.1
# Holes in training rows only: sklearn builds a grid over NaN as if it were a value, ShopSight skips it.
holes[n_train:] = False
x2_holes[holes] = np.nan
visits = rng.randint(0, 6, n).astype(float)
seg = rng.choice(["north", "south", "east", "west"], n, p=[0.4, 0.3, 0.2, 0.1])
z = 0.9 * x1 - 0.4 * x2 + 0.3 * visits + np.where(seg == "south", 1.0, 0.0) - 0.5 + rng.randn(n)
y = (z > 0).astype(int)
df = pd.DataFrame({"x1": x1, "x2": x2_holes, "visits": visits, "seg": seg})
num = ["x1", "x2", "visits"]
pre = ColumnTransformer(
    [
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), num),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["seg"]),
    ]
)
model = Pipeline([("pre", pre), ("lr", LogisticRegression(C=1.0, max_iter=1000))])
train, test = df.iloc[:n_train], df.iloc[n_train:]
model.fit(train, y[:n_train])
enc_names = num + [f"seg={c}" for c in model.named_steps["pre"].named_transformers_["cat"].categories_[0]]
coef = model.named_steps["lr"].coef_[0]
pd_out = {}
for feature in ["x1", "x2", "visits", "seg"]:
    r = partial_dependence(
        model,
        test,
        [feature],
        method="brute",
        kind="average",
        grid_resolution=20,
        percentiles=(0.05, 0.95),
        categorical_features=["seg"],
    )
    pd_out[feature] = {"grid": [v.item() if hasattr(v, "item") else v for v in r["values"][0]], "average": r["average"][0].tolist()}
out = {
    "sklearn": sklearn.__version__,
    "nTrain": n_train,
    "rows": {
        "x1": x1.tolist(),
        "x2": [None if np.isnan(v) else v for v in x2_holes.tolist()],
        "visits": visits.tolist(),
        "seg": seg.tolist(),
        "y": y.tolist(),
    },
    "coef": {name: c for name, c in zip(enc_names, coef.tolist())},
    "intercept": float(model.named_steps["lr"].intercept_[0]),
    "scalerMean": model.named_steps["pre"].named_transformers_["num"].named_steps["scale"].mean_.tolist(),
    "medians": model.named_steps["pre"].named_transformers_["num"].named_steps["impute"].statistics_.tolist(),
    "pd": pd_out,
    "testProba": model.predict_proba(test)[:, 1].tolist(),
}
print(json.dumps(out))

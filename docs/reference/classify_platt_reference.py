"""scikit-learn reference for Platt scaling (src/lib/ml/classify/platt.test.ts).

    /usr/bin/python3 docs/reference/classify_platt_reference.py > src/lib/ml/classify/sklearn_platt_reference.json

sklearn.calibration._sigmoid_calibration minimises the same objective as ShopSight's fitPlatt
(Platt's smoothed targets, Lin, Lin & Weng 2007) with BFGS; it returns (A, B) of
P = 1 / (1 + exp(A f + B)).
"""
import json

import numpy as np
import sklearn
from sklearn.calibration import _sigmoid_calibration

rng = np.random.default_rng(0)
cases = {}
for name, n, scale, shift in [("noisy", 60, 1.0, 0.0), ("sharp", 80, 3.0, 0.5), ("rare", 120, 1.5, -1.0)]:
    f = np.round(rng.normal(0, 1.5, n), 4)
    p = 1 / (1 + np.exp(-(scale * f + shift)))
    y = (rng.uniform(size=n) < p).astype(int)
    a, b = _sigmoid_calibration(f, y)
    cases[name] = {"f": f.tolist(), "y": y.tolist(), "a": float(a), "b": float(b)}
print(json.dumps({"sklearn": sklearn.__version__, "cases": cases}))

"""scikit-learn reference for bench/train's tree fits: the same encoded Online Shoppers matrix
(written by bench/train/trees-bench.ts), the same defaults, one thread. Prints one JSON line."""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

path, runs = sys.argv[1], int(sys.argv[2])
data = np.loadtxt(path, delimiter=",")
X, y = data[:, :-1], data[:, -1].astype(int)
out = {"sklearn": sklearn.__version__, "rows": len(y), "cols": X.shape[1], "timings": []}
for name, make in [
    ("random_forest", lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)),
    ("hist_gradient_boosting", lambda: HistGradientBoostingClassifier(random_state=0)),
]:
    seconds = []
    for _ in range(runs):
        model = make()
        t0 = time.perf_counter()
        model.fit(X, y)
        seconds.append(time.perf_counter() - t0)
    entry = {"model": name, "seconds": seconds, "trainAuc": roc_auc_score(y, model.predict_proba(X)[:, 1])}
    if hasattr(model, "n_iter_"):
        entry["nIter"] = int(model.n_iter_)
    out["timings"].append(entry)
print(json.dumps(out))

"""scikit-learn reference for Classify's hyperparameter search (src/lib/ml/services/classify-search.datasets.test.ts).

Run with Debian's scikit-learn (1.2.1 here):
    OMP_NUM_THREADS=1 /usr/bin/python3 docs/reference/classify_search_reference.py \
        > src/lib/ml/services/sklearn_search_reference.json
    npx prettier --write src/lib/ml/services/sklearn_search_reference.json

The committed Online Shoppers sample (public/samples, CC BY 4.0), encoded as
docs/reference/classify_shoppers_reference.py does (14 numbers, one-hot Month and VisitorType,
Weekend 0/1), 5-fold StratifiedKFold(shuffle, seed 0), mean ROC-AUC per point of the default
grids ShopSight searches (src/lib/ml/services/classify-explain.ts `defaultSpace`): decision
tree max_depth [3, 4, 6, 8, 12]; hist gradient boosting learning_rate [0.05, 0.1, 0.2] ×
max_leaf_nodes [15, 31]. Trees and boosting do not depend on standardisation, so ShopSight's
standardised encoding ranks the same splits.
"""
import json

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
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
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
searches = {
    "tree": (DecisionTreeClassifier(random_state=0), {"max_depth": [3, 4, 6, 8, 12]}, {"max_depth": "maxDepth"}),
    "boosting": (
        HistGradientBoostingClassifier(random_state=0),
        {"learning_rate": [0.05, 0.1, 0.2], "max_leaf_nodes": [15, 31]},
        {"learning_rate": "learningRate", "max_leaf_nodes": "maxLeafNodes"},
    ),
}
out = {"sklearn": sklearn.__version__, "n_rows": int(X.shape[0]), "search": {}}
for name, (model, grid, names) in searches.items():
    gs = GridSearchCV(model, grid, scoring="roc_auc", cv=cv, n_jobs=1).fit(X, y)
    points = []
    for params, mean, std in zip(gs.cv_results_["params"], gs.cv_results_["mean_test_score"], gs.cv_results_["std_test_score"]):
        points.append({"params": {names[k]: v for k, v in params.items()}, "mean": float(mean), "std": float(std)})
    out["search"][name] = {"points": points, "best": {names[k]: v for k, v in gs.best_params_.items()}}
print(json.dumps(out))

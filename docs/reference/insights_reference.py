#!/usr/bin/env python3
"""Reference values for the insights ML modules (src/lib/ml/{segment,anomaly,text}).

Run with Debian's scikit-learn (python3-sklearn 1.2.1, numpy 1.24.2):

    /usr/bin/python3 docs/reference/insights_reference.py

It writes JSON files next to the tests that read them:
  src/lib/ml/segment/kmeans.reference.json
  src/lib/ml/text/tfidf.reference.json
  src/lib/ml/anomaly/iforest.reference.json

sklearn's RNG cannot be reproduced in JavaScript, so for k-means we record sklearn's chosen
k-means++ initial centres and let the TypeScript tests run Lloyd iterations from them.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import silhouette_samples, silhouette_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write(rel, obj):
    path = os.path.join(ROOT, rel)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", rel)


def kmeans_case(name, X, k, seed):
    init, indices = kmeans_plusplus(X, k, random_state=seed)
    # Replay of the random draws kmeans_plusplus makes (randint(n), then uniform(size=trials)
    # per further centre), so the TS test can feed them to its own k-means++ and compare.
    replay = np.random.RandomState(seed)
    trials = 2 + int(np.log(k))
    first = int(replay.randint(X.shape[0]))
    uniforms = [replay.uniform(size=trials).tolist() for _ in range(1, k)]
    km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd").fit(X)
    best = KMeans(n_clusters=k, init="k-means++", n_init=10, random_state=seed, algorithm="lloyd").fit(X)
    return {
        "name": name,
        "k": k,
        "X": X.tolist(),
        "init": init.tolist(),
        "init_indices": indices.tolist(),
        "pp_first": first,
        "pp_uniforms": uniforms,
        "labels": km.labels_.tolist(),
        "centers": km.cluster_centers_.tolist(),
        "inertia": float(km.inertia_),
        "n_iter": int(km.n_iter_),
        "silhouette": float(silhouette_score(X, km.labels_)),
        "silhouette_samples": silhouette_samples(X, km.labels_).tolist(),
        "best_of_10_inertia": float(best.inertia_),
    }


def segment():
    X1, _ = make_blobs(n_samples=300, centers=4, n_features=3, cluster_std=[1.0, 1.5, 0.5, 2.0], random_state=7)
    rng = np.random.RandomState(3)
    X2 = rng.uniform(size=(200, 2))
    X3 = np.vstack([rng.normal(size=(120, 4)) * [3.0, 1.0, 0.5, 0.1] + [1, 2, 3, 4]])
    X3[:, 1] += 0.8 * X3[:, 0]
    pca = PCA(n_components=2).fit(X3)
    write(
        "src/lib/ml/segment/kmeans.reference.json",
        {
            "produced_by": f"docs/reference/insights_reference.py (scikit-learn {sklearn.__version__}, numpy {np.__version__})",
            "cases": [kmeans_case("blobs_300x3_k4", X1, 4, 0), kmeans_case("uniform_200x2_k5", X2, 5, 1)],
            "pca": {
                "X": X3.tolist(),
                "explained_variance": pca.explained_variance_.tolist(),
                "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
                "components": pca.components_.tolist(),
                "projection": pca.transform(X3).tolist(),
            },
        },
    )


def text():
    corpus = [
        "The dress fits perfectly, love the colour!",
        "Terrible fit. The zipper broke after one wash.",
        "Love it, love it, love it.",
        "The colour faded and the fit is terrible",
        "perfect gift",
    ]
    cases = []
    for opts in [
        {"ngram_range": [1, 1], "sublinear_tf": False, "stop_words": None},
        {"ngram_range": [1, 2], "sublinear_tf": True, "stop_words": None},
        {"ngram_range": [1, 2], "sublinear_tf": False, "stop_words": "english"},
    ]:
        v = TfidfVectorizer(ngram_range=tuple(opts["ngram_range"]), sublinear_tf=opts["sublinear_tf"], stop_words=opts["stop_words"])
        M = v.fit_transform(corpus).toarray()
        cases.append({"options": opts, "vocabulary": v.get_feature_names_out().tolist(), "idf": v.idf_.tolist(), "matrix": M.tolist()})
    # L2 logistic regression (lbfgs) on the unigram TF-IDF of the same corpus.
    labels = [1, 0, 1, 0, 1]
    X = TfidfVectorizer().fit_transform(corpus)
    logreg = []
    for C, cw in [(1.0, None), (10.0, "balanced")]:
        lr = LogisticRegression(C=C, class_weight=cw, solver="lbfgs", tol=1e-10, max_iter=10000).fit(X, labels)
        logreg.append({"C": C, "class_weight": cw, "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]), "proba": lr.predict_proba(X)[:, 1].tolist()})
    write(
        "src/lib/ml/text/tfidf.reference.json",
        {"produced_by": f"docs/reference/insights_reference.py (scikit-learn {sklearn.__version__})", "corpus": corpus, "cases": cases, "labels": labels, "logistic": logreg},
    )


def anomaly():
    ns = [1, 2, 3, 5, 10, 100, 256, 1000]
    # A small forest whose trees the TS test loads verbatim, so score_samples can be compared
    # exactly. sklearn's trees compare float32 features, so the data is float32-representable.
    rng = np.random.RandomState(5)
    X = rng.normal(size=(300, 3))
    X[:5] += 6
    X = X.astype(np.float32).astype(np.float64)
    forest = IsolationForest(n_estimators=10, max_samples=64, random_state=0).fit(X)
    trees = []
    for est in forest.estimators_:
        t = est.tree_
        leaf = t.children_left == -1
        trees.append(
            {
                "feature": np.where(leaf, -1, t.feature).tolist(),
                "threshold": np.where(leaf, 0.0, t.threshold).tolist(),
                "left": t.children_left.tolist(),
                "right": t.children_right.tolist(),
                "size": t.n_node_samples.tolist(),
            }
        )
    write(
        "src/lib/ml/anomaly/iforest.reference.json",
        {
            "produced_by": f"docs/reference/insights_reference.py (scikit-learn {sklearn.__version__}: _average_path_length, IsolationForest(n_estimators=10, max_samples=64, random_state=0))",
            "n": ns,
            "c": _average_path_length(np.array(ns)).tolist(),
            "forest": {"max_samples": int(forest.max_samples_), "X": X.tolist(), "trees": trees, "score_samples": forest.score_samples(X).tolist()},
        },
    )


if __name__ == "__main__":
    segment()
    text()
    anomaly()

"""scikit-learn KMeans on the bench's data (float64 binary written by run.mjs); prints one JSON line.

argv: data.bin n d k n_init repeats. Same k-means++ init, n_init, tol and max_iter as ShopSight's
kmeans (sklearn defaults, algorithm='lloyd'). Threads: whatever OMP_NUM_THREADS says (run.mjs
runs it twice: the default and 1 thread).
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info

path, n, d, k, n_init, repeats = sys.argv[1], *map(int, sys.argv[2:7])
x = np.fromfile(path, dtype=np.float64).reshape(n, d)
times = []
inertia = None
iters = None
for r in range(repeats):
    t0 = time.perf_counter()
    km = KMeans(n_clusters=k, n_init=n_init, init="k-means++", algorithm="lloyd", random_state=r, tol=1e-4, max_iter=300)
    km.fit(x)
    times.append((time.perf_counter() - t0) * 1000)
    if r == 0:
        inertia = float(km.inertia_)
        iters = int(km.n_iter_)
threads = max([p.get("num_threads", 1) for p in threadpool_info()] or [1])
print(json.dumps({"ms": times, "inertia": inertia, "nIter": iters, "sklearn": sklearn.__version__, "threads": threads}))

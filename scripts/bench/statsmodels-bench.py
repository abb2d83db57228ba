#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""statsmodels side of scripts/bench-compare.

Times statsmodels.stats.meta_analysis.combine_effects (DerSimonian-Laird: method_re="dl";
Paule-Mandel: method_re="pm"; statsmodels has no REML for this model), which computes the
common- and random-effects estimates, their variances, Q, I² and τ² (confidence intervals are
computed later, on demand, and are not timed), on the datasets exported
by `orrmeta-bench --export DIR`, and writes one tab-separated line per task to stdout (the
same columns as metafor-bench.R).

    python3 scripts/bench/statsmodels-bench.py DATA_DIR [quick]
"""
import csv
import os
import statistics
import sys
import time

import numpy as np
import statsmodels
from statsmodels.stats.meta_analysis import combine_effects

directory = sys.argv[1]
quick = len(sys.argv) > 2 and sys.argv[2] == "quick"


def timeit(f, samples, target):
    f()
    t0 = time.perf_counter(); f(); once = time.perf_counter() - t0
    if once > 1:
        samples = min(samples, 3)
    n = max(1, min(100_000, int(target / max(once, 1e-9))))
    per = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(n):
            f()
        per.append((time.perf_counter() - t0) / n)
    return min(per), statistics.median(per), samples, n


print(f"#statsmodels\t{statsmodels.__version__}\tPython {sys.version.split()[0]}, numpy {np.__version__}")
for name in ["alk", "k10", "k66", "k1000", "k100000", "k1000000"]:
    path = os.path.join(directory, name + ".csv")
    if not os.path.exists(path):
        continue
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    y = np.array([float(r["yi"]) for r in rows])
    v = np.array([float(r["vi"]) for r in rows])
    for method, code in [("DL", "dl"), ("PM", "pm")]:
        def fit():
            return combine_effects(y, v, method_re=code)
        big = len(y) >= 100_000
        mn, md, samples, n = timeit(fit, samples=3 if (quick or big) else 7, target=0.2 if quick else 0.5)
        print(f"fit\t{method}\t{name}\t{len(y)}\tcombine_effects(method_re=\"{code}\")\t1\t{mn!r}\t{md!r}\t{samples}\t{n}\t1",
              flush=True)

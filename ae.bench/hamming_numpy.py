"""Hamming scan + top-100 in numpy on 1,000,000 random 64-bit codes, one query at a time (the data of
HammingBenchmark): np.bitwise_count(codes ^ q) then np.argpartition for the 100 nearest. Prints codes per second."""
import time

import numpy as np

rng = np.random.default_rng(1)
codes = rng.integers(0, 2**63, size=1_000_000, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, size=1_000_000, dtype=np.uint64)
queries = rng.integers(0, 2**63, size=64, dtype=np.uint64)
for label, k in (("distances", None), ("scan+top-100", 100)):
    times = []
    for rep in range(5):
        start = time.perf_counter()
        for q in queries:
            d = np.bitwise_count(codes ^ q)
            if k is not None:
                top = np.argpartition(d, k)[:k]
                top = top[np.lexsort((top, d[top]))]
        times.append((time.perf_counter() - start) / len(queries))
    best = min(times)
    print(f"numpy {label}: {best * 1e3:.3f} ms per query, {1_000_000 / best / 1e9:.3f} billion codes/s")

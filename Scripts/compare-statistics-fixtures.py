#!/usr/bin/env python3
"""Independent reference values for Tests/SearchTests/CompareStatisticsTests.swift.

Computes, with scipy (pip install scipy; these values came from scipy 1.17.1):
- exact McNemar p-values, as the two-sided binomial test of the discordant pairs (scipy.stats.binomtest);
- exact paired sign-flip permutation p-values of the mean difference
  (scipy.stats.permutation_test, permutation_type="samples", every sign pattern);
- percentile bootstrap intervals of a mean (scipy.stats.bootstrap, method="percentile",
  200 000 resamples) — the Swift side draws 10 000, so the test allows a stated tolerance;
- the minimum detectable difference (z_0.975 + z_0.80) * s_d / sqrt(n) (scipy.stats.norm.ppf).

Run: python3 Scripts/compare-statistics-fixtures.py  (prints Swift literals to paste into the test).
"""
import numpy as np
from scipy import stats

print("// exact McNemar: (wins, losses, p)")
for wins, losses in [(9, 2), (5, 1), (4, 4), (0, 6), (13, 3), (1, 0)]:
    print(f"({wins}, {losses}, {float(stats.binomtest(min(wins, losses), wins + losses, 0.5).pvalue)!r}),")

print("// sign flip: (differences, p)")
cases = [
    [1/3, 2/3, -1/3, 0, 1, 1/3, -2/3, 1/3, 2/3, 0, 1/3, 1/3],
    [0.25, -0.5, 0.75, 0.5, 0.25, -0.25, 1.0, 0.5],
    [0.1, -0.2, 0.05, -0.3, 0.15, 0.2, -0.05],
]
for d in cases:
    res = stats.permutation_test((np.array(d),), np.mean, permutation_type="samples",
                                 n_resamples=np.inf, alternative="two-sided")
    print(f"({[float(x) for x in d]!r}, {float(res.pvalue)!r}),")

print("// bootstrap percentile 95 %: (values, low, high)")
rng = np.random.default_rng(7)
values = np.round(rng.uniform(0, 1, 20), 3)
res = stats.bootstrap((values,), np.mean, method="percentile", n_resamples=200_000, random_state=1)
print(f"({[float(x) for x in values]!r}, {float(res.confidence_interval.low)!r}, {float(res.confidence_interval.high)!r}),")

print("// MDE: (differences, mde)")
z = stats.norm.ppf(0.975) + stats.norm.ppf(0.80)
for d in [[1, 0, 0, -1, 1], cases[0]]:
    d = np.array(d, dtype=float)
    print(f"({[float(x) for x in d]!r}, {float(z * d.std(ddof=1) / np.sqrt(len(d)))!r}),")

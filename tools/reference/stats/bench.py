"""Times trygg-analysis against pandas + statsmodels and ipfn on the same data, in one run.

From the repository root, with the pinned packages of requirements.txt:

    /work/venv-stats/bin/python tools/reference/stats/bench.py

It runs `cargo bench -p trygg-analysis --bench stats` (criterion, release build), then
the Python references on the data that bench generates (the SplitMix64 generator is
mirrored here), and prints both times and the ratios.
"""

import itertools
import re
import subprocess
import time

import numpy as np
import pandas as pd
from ipfn import ipfn
from statsmodels.stats.proportion import proportion_confint

RESPONDENTS, QUESTIONS, OPTIONS = 100_000, 40, 5
AREAS, GENDERS, AGE_BANDS = 10, 3, 4


def mix(x):
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def code(j, k):
    i = np.arange(RESPONDENTS, dtype=np.uint64)
    return (mix(i * np.uint64(1000) + np.uint64(j)) % np.uint64(k)).astype(np.int64)


def data():
    columns = {"area": code(100, AREAS), "gender": code(101, GENDERS), "age_band": code(102, AGE_BANDS)}
    for q in range(QUESTIONS):
        values = code(q, OPTIONS + 2)
        values[values == OPTIONS + 1] = -1  # not answered
        columns[f"q{q}"] = values
    return pd.DataFrame(columns)


def lagesbild(df):
    """Shares of every option by every subset of area × gender × age band, "vet ej" (5)
    outside the base and reported separately, Wilson intervals, and primary suppression
    (base < 30, counts 1–4); what an analyst would write with pandas and statsmodels."""
    background = ["area", "gender", "age_band"]
    plans = [list(c) for r in range(4) for c in itertools.combinations(background, r)]
    out = []
    for q in (f"q{i}" for i in range(QUESTIONS)):
        answered = df[df[q] >= 0]
        for by in plans:
            if by:
                counts = answered.groupby(by)[q].value_counts().unstack(fill_value=0)
            else:
                counts = answered[q].value_counts().to_frame().T
            counts = counts.reindex(columns=range(OPTIONS + 1), fill_value=0)
            base = counts[list(range(OPTIONS))].sum(axis=1)
            everyone = base + counts[OPTIONS]
            for option in range(OPTIONS + 1):
                n = everyone if option == OPTIONS else base
                count = counts[option]
                share = count / n
                low, high = proportion_confint(count, n, alpha=0.05, method="wilson")
                suppressed = (n < 30) | ((count >= 1) & (count <= 4))
                out.append(pd.DataFrame({"count": count, "n": n, "share": share, "low": low, "high": high,
                                         "suppressed": suppressed}))
    return out


def raking(df):
    margins = [("area", AREAS, 20_000.0), ("gender", GENDERS, 1_100_000.0 / 6.0), ("age_band", AGE_BANDS, 110_000.0)]
    frame = df[["area", "gender", "age_band"]].copy()
    frame["total"] = 1.0
    aggregates = [pd.Series([base * (1 + c) for c in range(k)], index=pd.Index(range(k), name=name))
                  for name, k, base in margins]
    return ipfn.ipfn(frame, aggregates, [[m[0]] for m in margins], weight_col="total",
                     convergence_rate=1e-12, max_iteration=1000, rate_tolerance=0.0, verbose=0).iteration()


def best_of(runs, f, *args):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


def rust_times():
    run = subprocess.run(
        ["cargo", "bench", "-p", "trygg-analysis", "--bench", "stats", "--", "--output-format", "bencher"],
        check=True, capture_output=True, text=True)
    times = {}
    for line in run.stdout.splitlines():
        match = re.match(r"test (\S+)\s+\.\.\. bench:\s+([\d,]+) ns/iter", line)
        if match:
            times[match.group(1)] = int(match.group(2).replace(",", "")) / 1e9
    return times


def main():
    rust = rust_times()
    df = data()
    py_lagesbild = best_of(3, lagesbild, df)
    py_raking = best_of(3, raking, df)
    rows = [("lägesbild 100k × 40 × area·gender·age", rust["stats/lagesbild_100k_x_40_by_area_gender_age"], py_lagesbild),
            ("raking 100k, 3 margins", rust["stats/rake_100k_3_margins"], py_raking)]
    print(f"{'task':40} {'trygg (criterion)':>18} {'python best/median':>22} {'ratio (best)':>13}")
    for name, ours, (best, median) in rows:
        print(f"{name:40} {ours * 1e3:15.1f} ms {best * 1e3:9.0f} / {median * 1e3:5.0f} ms {best / ours:12.1f}×")


if __name__ == "__main__":
    main()

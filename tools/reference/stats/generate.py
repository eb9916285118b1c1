"""Oracle fixtures for trygg-analysis statistics, from statsmodels, ipfn and pandas.

Run from the repository root with the pinned packages (see requirements.txt):

    python3 -m venv /work/venv-stats
    /work/venv-stats/bin/pip install -r tools/reference/stats/requirements.txt
    /work/venv-stats/bin/python tools/reference/stats/generate.py

It writes JSON files to crates/trygg-analysis/tests/fixtures/stats/; `cargo test`
reads them and needs no Python.
"""

import json
import pathlib

import numpy as np
import pandas as pd
from ipfn import ipfn
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    test_proportions_2indep,
)
from statsmodels.stats.weightstats import DescrStatsW

OUT = pathlib.Path(__file__).resolve().parents[3] / "crates/trygg-analysis/tests/fixtures/stats"
METHODS = {"wilson": "wilson", "clopper_pearson": "beta", "agresti_coull": "agresti_coull"}


def write(name, value):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(value, indent=1) + "\n")


def intervals():
    # The cases of analysis.md §6.3, the named edge cases, and random ones.
    cases = [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (3, 7), (37, 120), (412, 1000),
             (1, 1000), (523, 1037), (0, 1), (1, 1), (0, 30), (30, 30), (2, 2)]
    rng = np.random.default_rng(5)
    for _ in range(40):
        n = int(rng.integers(1, 5000))
        cases.append((int(rng.integers(0, n + 1)), n))
    # Fractional counts and bases, as weighted data gives them (share × n_eff, n_eff).
    for _ in range(10):
        n = float(rng.uniform(2, 3000))
        cases.append((float(rng.uniform(0, 1)) * n, n))
    rows = []
    for count, n in cases:
        for ours, theirs in METHODS.items():
            low, high = proportion_confint(count, n, alpha=0.05, method=theirs)
            rows.append({"count": count, "n": n, "method": ours, "low": float(low), "high": float(high)})
    write("intervals.json", rows)


def trends():
    cases = [(281, 1050, 232, 1000), (0, 50, 0, 60), (50, 50, 48, 50), (1, 1, 0, 1),
             (120, 400, 90, 410), (360, 1000, 310, 1000)]
    rng = np.random.default_rng(7)
    for _ in range(20):
        n1, n2 = (int(x) for x in rng.integers(5, 3000, 2))
        cases.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    rows = []
    for c1, n1, c2, n2 in cases:
        low, high = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff", alpha=0.05)
        test = test_proportions_2indep(c1, n1, c2, n2, compare="diff", method="agresti-caffo")
        rows.append({"count1": c1, "n1": n1, "count2": c2, "n2": n2, "low": float(low), "high": float(high),
                     "z": float(test.statistic), "p_value": float(test.pvalue)})
    write("trends.json", rows)


def raking_case(name, dims, counts, margins):
    """Rakes a table of respondent counts with ipfn; per-respondent weight = raked cell / count."""
    df = pd.DataFrame(
        [dict(zip(dims, idx), total=float(c)) for idx, c in np.ndenumerate(counts) if c > 0]
    )
    aggregates = []
    for dim, population in zip(dims, margins):
        aggregates.append(pd.Series(population, index=pd.Index(range(len(population)), name=dim)))
    fitted = ipfn.ipfn(df.copy(), aggregates, [[d] for d in dims], weight_col="total",
                       convergence_rate=1e-13, max_iteration=10_000, rate_tolerance=0.0, verbose=0).iteration()
    cells = []
    for (_, row), (_, raked) in zip(df.iterrows(), fitted.iterrows()):
        cells.append({"codes": [int(row[d]) for d in dims], "count": int(row["total"]),
                      "weight": float(raked["total"] / row["total"])})
    w = np.repeat([c["weight"] for c in cells], [c["count"] for c in cells])
    return {"name": name, "variables": dims, "margins": [list(map(float, m)) for m in margins], "cells": cells,
            "design_effect": float(len(w) * (w ** 2).sum() / w.sum() ** 2)}


def raking():
    # analysis.md §6.4: gender × age band, population shares scaled to 1000.
    counts = np.array([[80, 150, 120, 90], [110, 200, 160, 90]])
    research = raking_case("gender_age", ["gender", "age_band"], counts,
                           [[495.0, 505.0], [240.0, 330.0, 220.0, 210.0]])
    # Three margins (area × gender × age band) on random respondents.
    rng = np.random.default_rng(11)
    counts3 = rng.integers(3, 40, size=(4, 2, 4))
    pop = [[12000.0, 9000.0, 6000.0, 3000.0], [14800.0, 15200.0], [6000.0, 9000.0, 9000.0, 6000.0]]
    three = raking_case("area_gender_age", ["area", "gender", "age_band"], counts3, pop)
    write("raking.json", [research, three])


def crosstab():
    """Weighted shares by area with "vet ej" outside the base, as pandas computes them."""
    rng = np.random.default_rng(13)
    n = 900
    area = rng.integers(0, 4, n)
    gender = rng.integers(0, 2, n)
    answer = rng.choice(6, n, p=[0.3, 0.3, 0.15, 0.1, 0.05, 0.1])  # option 5 is vet ej
    answer[rng.random(n) < 0.05] = -1  # not answered
    weight = rng.uniform(0.4, 2.5, n)
    df = pd.DataFrame({"area": area, "gender": gender, "answer": answer, "weight": weight})
    based = df[(df.answer >= 0) & (df.answer != 5)]
    cells = []
    for by in (["area"], ["area", "gender"]):
        counts = pd.crosstab([based[b] for b in by], based.answer)
        wsum = based.pivot_table(index=by, columns="answer", values="weight", aggfunc="sum", fill_value=0.0)
        for group, row in wsum.iterrows():
            group = group if isinstance(group, tuple) else (group,)
            sub = based
            for b, g in zip(by, group):
                sub = sub[sub[b] == g]
            total = sub.weight.sum()
            n_eff = total ** 2 / (sub.weight ** 2).sum()
            for option in range(5):
                share = row.get(option, 0.0) / total
                low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
                cells.append({"group_by": by, "group": [int(g) for g in group], "option": option,
                              "n": int(len(sub)), "count": int(counts.loc[group if len(by) > 1 else group[0]].get(option, 0)),
                              "share": float(share), "n_eff": float(n_eff), "low": float(low), "high": float(high)})
    respondents = {"area": area.tolist(), "gender": gender.tolist(), "answer": answer.tolist(), "weight": weight.tolist()}
    write("crosstab.json", {"respondents": respondents, "cells": cells})


def means():
    rng = np.random.default_rng(17)
    rows = []
    for size in (2, 5, 40, 333):
        x = np.round(rng.gamma(2.0, 6.0, size), 1)
        stats = DescrStatsW(x)
        low, high = stats.tconfint_mean(alpha=0.05)
        rows.append({"values": x.tolist(), "mean": float(stats.mean), "low": float(low), "high": float(high)})
    write("means.json", rows)


if __name__ == "__main__":
    intervals()
    trends()
    raking()
    crosstab()
    means()

"""Writes the events oracle fixtures from esda/libpysal, pymannkendall, statsmodels and h3-py.

Run from the repository root with the pinned packages of requirements.txt in a venv
outside the repository:

    python3 -m venv /work/venv-events
    /work/venv-events/bin/pip install -r tools/reference/events/requirements.txt
    /work/venv-events/bin/python tools/reference/events/make_fixtures.py

The fixtures land in crates/trygg-analysis/tests/fixtures/events/, and the Rust tests
read them, so `cargo test` needs no Python.

- mann_kendall.json: `pymannkendall.original_test` on series with and without ties.
- poisson.json: `statsmodels.stats.rates.test_poisson_2indep(method="exact-cond")`.
- emerging.json: 26 weeks of events on H3 cells, built so that every one of the
  seventeen patterns occurs; per cell and week esda's `G_Local(transform="B",
  star=True)` z and p_norm, per cell pymannkendall on the weekly z-scores, and the
  pattern from the rules below (written out here independently of the Rust code).
"""

import json
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")

import h3  # noqa: E402
import libpysal  # noqa: E402
import esda  # noqa: E402
import pymannkendall as mk  # noqa: E402
import statsmodels  # noqa: E402
from statsmodels.stats.rates import test_poisson_2indep  # noqa: E402

OUT = Path(__file__).resolve().parents[3] / "crates/trygg-analysis/tests/fixtures/events"
VERSIONS = {
    "numpy": np.__version__,
    "esda": esda.__version__,
    "libpysal": libpysal.__version__,
    "h3": h3.__version__,
    "pymannkendall": mk.__version__,
    "statsmodels": statsmodels.__version__,
}


def write(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    data = {"generated_by": "tools/reference/events/make_fixtures.py", "versions": VERSIONS, **data}
    path = OUT / name
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{path.relative_to(OUT.parents[4])}: {path.stat().st_size / 1024:.0f} KB")


def mk_fixture():
    rng = np.random.default_rng(7)
    series = [
        list(rng.normal(0, 1, 26)),
        list(np.arange(26) * 0.1 + rng.normal(0, 1, 26)),
        list(-np.arange(52) * 0.05 + rng.normal(0, 1, 52)),
        [float(v) for v in rng.integers(0, 4, 30)],  # many ties
        [1.0, 2.0, 2.0, 4.0],
        [3.0] * 10,
        [5.0, 1.0],
    ]
    cases = []
    for x in series:
        r = mk.original_test(np.array(x))
        cases.append({"x": x, "s": float(r.s), "var_s": float(r.var_s), "z": float(r.z), "p": float(r.p), "trend": r.trend})
    write("mann_kendall.json", {"cases": cases})


def poisson_fixture():
    cases = []
    grid = [(0, 1, 3, 4), (1, 1, 0, 4), (5, 1, 20, 4), (12, 1, 8, 4), (2, 1, 30, 4), (7, 1, 7, 1),
            (40, 1, 100, 4), (0, 1, 50, 4), (300, 1, 1000, 4), (3, 1, 9, 1), (9, 1, 3, 1), (25, 1, 100, 4),
            (1, 1, 1, 1), (4, 2, 11, 5), (60, 1, 30, 1)]
    for c1, e1, c2, e2 in grid:
        r = test_poisson_2indep(c1, e1, c2, e2, method="exact-cond")
        cases.append({"count1": c1, "exposure1": e1, "count2": c2, "exposure2": e2, "p": float(r.pvalue)})
    write("poisson.json", {"cases": cases})


# --- Emerging hot spots -------------------------------------------------------------

WEEKS = 26
ALPHA = 0.05


def classify(z, p, trend):
    """The patterns, as the Rust docs (Shape) state them; hot first, cold mirrored."""
    hot = [pi < ALPHA and zi > 0 for zi, pi in zip(z, p)]
    cold = [pi < ALPHA and zi < 0 for zi, pi in zip(z, p)]

    def most(flags):
        return len(flags) > 0 and 10 * sum(flags) >= 9 * len(flags)

    def shape(own, opposite, side):
        if most(own):
            extreme = "increasing" if side == "hot" else "decreasing"
            if trend == "no trend":
                return "persistent"
            return "intensifying" if trend == extreme else "diminishing"
        count = sum(own)
        run = 0
        for f in reversed(own):
            if not f:
                break
            run += 1
        if count == 1:
            return "new"
        if run == count:
            return "consecutive"
        if any(opposite[:-1]):
            return "oscillating"
        return "sporadic"

    if hot[-1]:
        return f"{shape(hot, cold, 'hot')}_hot_spot"
    if cold[-1]:
        return f"{shape(cold, hot, 'cold')}_cold_spot"
    if most(hot):
        return "historical_hot_spot"
    if most(cold):
        return "historical_cold_spot"
    return "no_pattern"


def schedules():
    """Per designed site: 26 (mode, strength) pairs; H adds events, C removes them."""
    n = WEEKS
    dot = [(".", 0.0)]
    ramp_up = [i / (n - 1) for i in range(n)]
    return {
        "new_hot_spot": dot * (n - 1) + [("H", 1.0)],
        "consecutive_hot_spot": dot * (n - 4) + [("H", 1.0)] * 4,
        "intensifying_hot_spot": [("H", 0.4 + 1.6 * t) for t in ramp_up],
        "persistent_hot_spot": [("H", 1.0)] * n,
        "diminishing_hot_spot": [("H", 2.0 - 1.6 * t) for t in ramp_up],
        "sporadic_hot_spot": [("H", 1.0) if i in (3, 9, 15, n - 1) else (".", 0.0) for i in range(n)],
        "oscillating_hot_spot": [("C", 1.0) if i in (4, 5) else ("H", 1.0) if i in (12, n - 1) else (".", 0.0) for i in range(n)],
        "historical_hot_spot": [("H", 1.0)] * (n - 1) + dot,
        "new_cold_spot": dot * (n - 1) + [("C", 1.0)],
        "consecutive_cold_spot": dot * (n - 4) + [("C", 1.0)] * 4,
        "intensifying_cold_spot": [("C", 0.4 + 0.6 * t) for t in ramp_up],
        "persistent_cold_spot": [("C", 1.0)] * n,
        "diminishing_cold_spot": [("C", 1.0 - 0.6 * t) for t in ramp_up],
        "sporadic_cold_spot": [("C", 1.0) if i in (3, 9, 15, n - 1) else (".", 0.0) for i in range(n)],
        "oscillating_cold_spot": [("H", 1.0) if i in (4, 5) else ("C", 1.0) if i in (12, n - 1) else (".", 0.0) for i in range(n)],
        "historical_cold_spot": [("C", 1.0)] * (n - 1) + dot,
    }


def emerging_fixture(background=6, hot_extra=8, k=1, resolution=9):
    rng = np.random.default_rng(2026)
    centre = h3.latlng_to_cell(59.512, 17.6335, resolution)
    area = sorted(h3.grid_disk(centre, 16), key=lambda c: int(c, 16))
    # Site centres at least 4 steps apart, so their k-rings never touch.
    sites = []
    for cell in area:
        if h3.grid_distance(centre, cell) <= 13 and all(h3.grid_distance(cell, s) >= 4 for s in sites):
            sites.append(cell)
    plan = schedules()
    assert len(sites) >= len(plan), f"{len(sites)} sites for {len(plan)} patterns"
    site_of = dict(zip(plan, sites))

    weeks = []
    for w in range(WEEKS):
        counts = {c: background + int(rng.integers(-1, 2)) for c in area}
        for name, cell in site_of.items():
            mode, strength = plan[name][w]
            for c in h3.grid_disk(cell, k):
                if mode == "H":
                    counts[c] += int(round(hot_extra * strength))
                elif mode == "C":
                    counts[c] = max(1, int(round(counts[c] * (1.0 - 0.85 * strength))))
        weeks.append({c: v for c, v in counts.items() if v > 0})

    region = sorted({d for week in weeks for c in week for d in h3.grid_disk(c, k)}, key=lambda c: int(c, 16))
    index = {c: i for i, c in enumerate(region)}
    neighbours = {i: sorted(index[d] for d in h3.grid_disk(c, k) if d != c and d in index) for i, c in enumerate(region)}
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    zs = np.zeros((len(region), WEEKS))
    ps = np.ones((len(region), WEEKS))
    for t, week in enumerate(weeks):
        y = np.array([float(week.get(c, 0)) for c in region])
        g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
        z = np.asarray(g.Zs, dtype=float)
        p = np.asarray(g.p_norm, dtype=float)
        defined = np.isfinite(z)
        zs[:, t] = np.where(defined, z, 0.0)
        ps[:, t] = np.where(defined, p, 1.0)

    cells = []
    for i, c in enumerate(region):
        r = mk.original_test(zs[i])
        cells.append({
            "h3": c,
            "z": list(map(float, zs[i])),
            "p": list(map(float, ps[i])),
            "mk_s": float(r.s),
            "mk_var_s": float(r.var_s),
            "mk_z": float(r.z),
            "mk_p": float(r.p),
            "pattern": classify(list(zs[i]), list(ps[i]), r.trend),
        })
    found = {c["pattern"] for c in cells}
    wanted = set(plan) | {"no_pattern"}
    missing = wanted - found
    designed = {name: next(x["pattern"] for x in cells if x["h3"] == cell) for name, cell in site_of.items()}
    off = {name: got for name, got in designed.items() if got != name}
    assert not missing, f"patterns missing: {sorted(missing)}; designed sites came out as {off}"
    write("emerging.json", {
        "k": k,
        "weeks": [[[c, n] for c, n in sorted(week.items(), key=lambda kv: int(kv[0], 16))] for week in weeks],
        "designed": {name: cell for name, cell in site_of.items()},
        "cells": cells,
    })


if __name__ == "__main__":
    mk_fixture()
    poisson_fixture()
    emerging_fixture()

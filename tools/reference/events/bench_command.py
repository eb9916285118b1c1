"""Times `trygg events emerging` against esda + pymannkendall on the same events, in one run.

Run through `scripts/bench-events`, which installs the pinned references
(requirements.txt) into a virtualenv under the target folder and builds `trygg` in release:

    scripts/bench-events [--runs N]

or directly: `python bench_command.py TRYGG_BINARY WORK_DIR [--runs N]`.

It writes 52 weeks of events (numpy, seed 11) over a 46 × 46 km box near 59.5 N 17.6 E
in the columns of `trygg events import` (`occurred_at,lon,lat,category,organisation,
description`), dense enough that the study region at H3 resolution 9 with k = 1 holds
about 20,000 cells, then times, each in its own process under `/usr/bin/time -v`:

- `trygg events emerging --resolution 9 --k 1 --weeks 52`: the whole command, reading the
  CSV, binning per week, Gi* for each of the 52 weeks, Mann–Kendall and the pattern per
  cell, writing the cells' GeoJSON;
- the reference: h3-py binning, libpysal weights, esda `G_Local(transform="B",
  star=True, permutations=0)` for each week and `pymannkendall.original_test` on every
  cell's 52 z-scores, timed from the coordinates in memory to the result
  (`time.perf_counter`), so file reading, imports and interpreter start are not counted.

It prints a Markdown table with the ratio and both peak RSS.
"""

import json
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from timing import timed  # noqa: E402

WEEKS = 52
# Monday of ISO week 2026-W01 is 2025-12-29; the data end in 2026-W52.
FIRST_MONDAY = datetime(2025, 12, 29, tzinfo=timezone.utc)
END_WEEK = "2026-W52"
CATEGORIES = ["skadegorelse", "klotter", "brand", "nedskrapning", "buskorning", "narkotika"]
ORGANISATIONS = ["bostadsbolaget", "vaktbolaget", "faltassistenterna", "kommunen"]


def write_events(work, n=200_000):
    rng = np.random.default_rng(11)
    lat0, lon0, half = 59.5, 17.6, 23_000.0
    m_lat, m_lon = 111_320.0, 111_320.0 * np.cos(np.radians(lat0))
    x = rng.uniform(-half, half, n)
    y = rng.uniform(-half, half, n)
    week = rng.integers(0, WEEKS, n)
    # A quarter of the events around 40 places, one of them only in the last ten weeks.
    k = n // 4
    centres = rng.uniform(-half * 0.8, half * 0.8, (40, 2))
    pick = rng.integers(0, 40, k)
    x[:k] = centres[pick, 0] + rng.normal(0, 300, k)
    y[:k] = centres[pick, 1] + rng.normal(0, 300, k)
    week[:k] = np.where(pick == 0, rng.integers(WEEKS - 10, WEEKS, k), week[:k])
    seconds = rng.integers(0, 7 * 24 * 3600, n)
    path = work / f"events_{n}.csv"
    with path.open("w") as out:
        out.write("occurred_at,lon,lat,category,organisation,description\n")
        for i in range(n):
            at = FIRST_MONDAY + timedelta(weeks=int(week[i]), seconds=int(seconds[i]))
            out.write(
                f"{at.isoformat()},{float(lon0 + x[i] / m_lon)!r},{float(lat0 + y[i] / m_lat)!r},"
                f"{CATEGORIES[i % len(CATEGORIES)]},{ORGANISATIONS[i % len(ORGANISATIONS)]},\n"
            )
    return path


def reference(csv_path):
    import warnings

    warnings.filterwarnings("ignore")
    import esda
    import h3
    import libpysal
    import pymannkendall as mk

    when = np.loadtxt(csv_path, delimiter=",", skiprows=1, usecols=(0,), dtype=str)
    data = np.loadtxt(csv_path, delimiter=",", skiprows=1, usecols=(1, 2), dtype=float)
    weeks = [(datetime.fromisoformat(w) - FIRST_MONDAY).days // 7 for w in when]
    start = time.perf_counter()
    counts = [dict() for _ in range(WEEKS)]
    for (lon, lat), week in zip(data.tolist(), weeks):
        c = h3.latlng_to_cell(lat, lon, 9)
        counts[week][c] = counts[week].get(c, 0) + 1
    region = sorted({d for week in counts for c in week for d in h3.grid_disk(c, 1)})
    index = {c: i for i, c in enumerate(region)}
    neighbours = {i: [index[d] for d in h3.grid_disk(c, 1) if d != c and d in index] for i, c in enumerate(region)}
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    z = np.zeros((len(region), WEEKS))
    for t in range(WEEKS):
        y = np.array([counts[t].get(c, 0) for c in region], dtype=float)
        g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
        z[:, t] = np.nan_to_num(np.asarray(g.Zs, dtype=float), nan=0.0)
    trends = [mk.original_test(z[i]).trend for i in range(len(region))]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cells": len(region), "increasing": trends.count("increasing")}))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "reference":
        reference(sys.argv[2])
        return
    binary, work = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    work.mkdir(parents=True, exist_ok=True)
    csv_path = write_events(work)
    args = [
        "events", "emerging", "--input", str(csv_path), "--resolution", "9", "--k", "1",
        "--weeks", str(WEEKS), "--end-week", END_WEEK, "--output", str(work / "cells.geojson"),
    ]
    walls, peaks, out = [], [], ""
    for _ in range(runs):
        out, wall, rss = timed([binary, *args])
        walls.append(wall)
        peaks.append(rss)
    ours = {"seconds": statistics.median(walls), "rss": max(peaks)}
    print(f"trygg: {', '.join(f'{w:.2f}' for w in walls)} s, peak {ours['rss']:.0f} MB; {out.strip().splitlines()[0] if out.strip() else ''}", flush=True)
    out, wall, rss = timed([sys.executable, __file__, "reference", str(csv_path)])
    theirs = {**json.loads([line for line in out.splitlines() if line.startswith("{")][-1]), "rss": rss, "process": wall}
    print("reference", theirs, flush=True)
    print()
    print("| command, 200,000 events in 52 weeks | trygg, whole command | peak RSS | esda + pymannkendall, same run | peak RSS | ratio |")
    print("|---|---|---|---|---|---|")
    print(
        f"| `events emerging` res 9, k 1, {theirs['cells']:,} cells, CSV in, cells GeoJSON out | {ours['seconds']:.2f} s | {ours['rss']:.0f} MB "
        f"| {theirs['seconds']:.2f} s ({theirs['process']:.1f} s process) | {theirs['rss']:.0f} MB | **{theirs['seconds'] / ours['seconds']:.1f}×** |"
    )


if __name__ == "__main__":
    main()

"""Times the whole `trygg hotspots gi|dbscan` commands against their Python references, in one run.

Run through `scripts/bench-hotspots`, which installs the pinned references
(requirements.txt) into a virtualenv under the target folder and builds `trygg` in release:

    scripts/bench-hotspots [--runs N]

or directly: `python bench_command.py TRYGG_BINARY WORK_DIR [--runs N]`.

It writes 100,000 pins of analysis.md Appendix A (numpy, seed 42, near 59.5 N 17.6 E)
as a pins CSV in the columns of `trygg export pins --format csv` and as GeoJSON points,
then, each in its own process under `/usr/bin/time -v` (wall time, peak RSS):

- `trygg hotspots gi --resolution 10 --permutations 999`: the whole command, reading the
  file, binning, 999 conditional permutations and writing the cells' GeoJSON, on the CSV
  and on the GeoJSON input; against h3-py binning + libpysal weights + esda `G_Local`
  (`n_jobs=1`, no numba) over the same study region (the pins' cells and their 1-rings);
- `trygg hotspots dbscan --eps-m 50 --min-points 5` with hulls and labels written, against
  scikit-learn `DBSCAN(metric="haversine", algorithm="ball_tree")`.

The references are timed from the coordinates in memory to the result (`time.perf_counter`),
so their file reading, imports and interpreter start are not counted; the commands are
timed from process start to exit. Each command runs `--runs` times (median reported), each
reference once. It prints a Markdown table with the ratios.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

R = 6371008.8
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from timing import timed  # noqa: E402
from make_fixtures import make_pins  # noqa: E402

CATEGORIES = ["belysning", "grupper", "trafik", "skadegorelse", "ode", "narkotika", "annat"]
TIMES = ["day", "evening", "night"]


def write_pins(work, n):
    """The pins as an export CSV and as GeoJSON points; respondents leave 1–3 pins each."""
    lat, lon = make_pins(n, seed=42)
    rng = np.random.default_rng(7)
    category = rng.integers(0, len(CATEGORIES), n)
    when = rng.integers(0, len(TIMES), n)
    respondent = np.cumsum(rng.random(n) < 0.5)
    csv_path = work / f"pins_{n}.csv"
    with csv_path.open("w") as out:
        out.write("lon,lat,category,time_of_day,area_code,response_id,comment\n")
        for i in range(n):
            out.write(
                f"{float(lon[i])!r},{float(lat[i])!r},{CATEGORIES[category[i]]},{TIMES[when[i]]},,"
                f"00000000-0000-4000-8000-{int(respondent[i]):012d},\n"
            )
    geojson_path = work / f"pins_{n}.geojson"
    with geojson_path.open("w") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for i in range(n):
            sep = ",\n" if i + 1 < n else "\n"
            out.write(
                '{"type": "Feature", "geometry": {"type": "Point", "coordinates": '
                f'[{float(lon[i])!r}, {float(lat[i])!r}]}}, "properties": {{"category": "{CATEGORIES[category[i]]}", '
                f'"time_of_day": "{TIMES[when[i]]}", "response_id": "00000000-0000-4000-8000-{int(respondent[i]):012d}"}}}}{sep}'
            )
        out.write("]}\n")
    return csv_path, geojson_path


def read_csv_coordinates(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1), dtype=float)
    return data[:, 1], data[:, 0]


# Each reference runs in a fresh process (`bench_command.py reference NAME CSV`) and prints JSON.
def reference(name, csv_path):
    import warnings

    warnings.filterwarnings("ignore")
    lat, lon = read_csv_coordinates(csv_path)
    if name == "gi":
        import esda
        import h3
        import libpysal

        start = time.perf_counter()
        counts = {}
        for a, b in zip(lat.tolist(), lon.tolist()):
            c = h3.latlng_to_cell(a, b, 10)
            counts[c] = counts.get(c, 0) + 1
        region = sorted({d for c in counts for d in h3.grid_disk(c, 1)})
        index = {c: i for i, c in enumerate(region)}
        neighbours = {
            i: [index[d] for d in h3.grid_disk(c, 1) if d != c and d in index] for i, c in enumerate(region)
        }
        y = np.array([counts.get(c, 0) for c in region], dtype=float)
        w = libpysal.weights.W(neighbours, silence_warnings=True)
        g = esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=1, n_jobs=1)
        seconds = time.perf_counter() - start
        hot = int(((g.p_sim <= 0.05) & (g.Zs > 0)).sum())
        print(json.dumps({"seconds": seconds, "cells": len(region), "hot_95": hot}))
    elif name == "dbscan":
        from sklearn.cluster import DBSCAN

        start = time.perf_counter()
        x = np.radians(np.column_stack([lat, lon]))
        labels = DBSCAN(eps=50 / R, min_samples=5, metric="haversine", algorithm="ball_tree").fit_predict(x)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "clusters": int(labels.max() + 1)}))


def command(binary, runs, args):
    walls, peaks, out = [], [], ""
    for _ in range(runs):
        out, wall, rss = timed([binary, *args])
        walls.append(wall)
        peaks.append(rss)
    return {"seconds": statistics.median(walls), "all": walls, "rss": max(peaks), "out": out}


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "reference":
        reference(sys.argv[2], sys.argv[3])
        return
    binary, work = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    work.mkdir(parents=True, exist_ok=True)
    csv_path, geojson_path = write_pins(work, 100_000)

    gi_args = ["hotspots", "gi", "--resolution", "10", "--permutations", "999", "--output", str(work / "cells.geojson")]
    dbscan_args = ["hotspots", "dbscan", "--eps-m", "50", "--min-points", "5"]
    ours = {
        "gi_csv": command(binary, runs, [*gi_args, "--input", str(csv_path)]),
        "gi_geojson": command(binary, runs, [*gi_args, "--input", str(geojson_path)]),
        "dbscan_csv": command(
            binary,
            runs,
            [*dbscan_args, "--input", str(csv_path), "--output", str(work / "clusters.geojson"), "--labels", str(work / "labels.csv")],
        ),
    }
    for name, result in ours.items():
        first = result["out"].strip().splitlines()[0] if result["out"].strip() else ""
        print(f"{name}: {', '.join(f'{w:.2f}' for w in result['all'])} s, peak {result['rss']:.0f} MB; {first}", flush=True)
    theirs = {}
    for name in ("gi", "dbscan"):
        out, wall, rss = timed([sys.executable, __file__, "reference", name, str(csv_path)])
        lines = [line for line in out.splitlines() if line.startswith("{")]
        theirs[name] = {**json.loads(lines[-1]), "rss": rss, "process": wall}
        print(name, theirs[name], flush=True)

    def row(what, mine, peer):
        return (
            f"| {what} | {mine['seconds']:.2f} s | {mine['rss']:.0f} MB | {peer['seconds']:.2f} s "
            f"({peer['process']:.1f} s process) | {peer['rss']:.0f} MB | **{peer['seconds'] / mine['seconds']:.1f}×** |"
        )

    print()
    print("| command, 100,000 pins | trygg, whole command | peak RSS | reference, same run | peak RSS | ratio |")
    print("|---|---|---|---|---|---|")
    print(row("`hotspots gi` res 10, 999 permutations, CSV in, cells GeoJSON out vs h3-py + libpysal + esda `G_Local` n_jobs=1", ours["gi_csv"], theirs["gi"]))
    print(row("the same with GeoJSON points in", ours["gi_geojson"], theirs["gi"]))
    print(row("`hotspots dbscan` eps 50 m, 5 points, CSV in, hulls + labels out vs scikit-learn haversine ball_tree", ours["dbscan_csv"], theirs["dbscan"]))
    print()
    print(f"Gi* cells: {theirs['gi']['cells']} (esda hot at 95 %: {theirs['gi']['hot_95']}); sklearn clusters: {theirs['dbscan']['clusters']}.")


if __name__ == "__main__":
    main()

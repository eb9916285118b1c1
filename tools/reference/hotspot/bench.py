"""Times trygg-analysis's hotspots against scikit-learn and esda on the same points, in one run.

Run from the repository root (the venv as in make_fixtures.py):

    /work/venv-hotspot/bin/python tools/reference/hotspot/bench.py [--skip-python]

It writes the pins of analysis.md Appendix A (numpy, seed 42) to target/hotspot-bench/,
runs `cargo bench -p trygg-analysis --bench hotspot` on them, runs each Python peer in
its own process under /usr/bin/time for peak memory, and runs the Rust cases once more,
one process each, for theirs. It prints a Markdown table with the ratios.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "target/hotspot-bench"
R = 6371008.8
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import make_pins  # noqa: E402


def write_pins(n):
    lat, lon = make_pins(n, seed=42)
    np.column_stack([lon, lat]).astype("<f8").tofile(DATA / f"pins_{n}.f64")


def read_pins(n):
    xy = np.fromfile(DATA / f"pins_{n}.f64", dtype="<f8").reshape(-1, 2)
    return xy[:, 1], xy[:, 0]


# Each peer runs in a fresh process (`bench.py peer NAME`) and prints its seconds.
def peer(name):
    import warnings

    warnings.filterwarnings("ignore")
    if name.startswith("dbscan"):
        from sklearn.cluster import DBSCAN

        lat, lon = read_pins(1_000_000)
        if name == "dbscan_haversine":
            x = np.radians(np.column_stack([lat, lon]))
            model = DBSCAN(eps=50 / R, min_samples=5, metric="haversine", algorithm="ball_tree")
        else:
            lat0 = np.radians(lat.mean())
            x = np.column_stack([np.radians(lon) * R * np.cos(lat0), np.radians(lat) * R])
            model = DBSCAN(eps=50, min_samples=5, algorithm="kd_tree")
        start = time.perf_counter()
        labels = model.fit_predict(x)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "clusters": int(labels.max() + 1)}))
    elif name == "gi":
        import esda
        import h3
        import libpysal

        lat, lon = read_pins(100_000)
        counts = {}
        for a, b in zip(lat, lon):
            c = h3.latlng_to_cell(float(a), float(b), 10)
            counts[c] = counts.get(c, 0) + 1
        region = sorted({d for c in counts for d in h3.grid_disk(c, 1)})
        index = {c: i for i, c in enumerate(region)}
        neighbours = {i: [index[d] for d in h3.grid_disk(c, 1) if d != c and d in index] for i, c in enumerate(region)}
        y = np.array([counts.get(c, 0) for c in region], dtype=float)
        w = libpysal.weights.W(neighbours, silence_warnings=True)
        start = time.perf_counter()
        esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=1, n_jobs=1)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "cells": len(region)}))
    elif name == "kde":
        from sklearn.neighbors import KernelDensity

        lat, lon = read_pins(100_000)
        lon0, lat0 = 17.6, 59.5
        x = R * np.cos(np.radians(lat0)) * np.radians(lon - lon0)
        y = R * np.radians(lat - lat0)
        g = -10_000 + 25 + 50 * np.arange(400)
        gx, gy = np.meshgrid(g, g)
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        start = time.perf_counter()
        KernelDensity(kernel="epanechnikov", bandwidth=100.0).fit(np.column_stack([x, y])).score_samples(grid)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds}))


def timed(command, env=None):
    """Runs a command under /usr/bin/time; returns its stdout and peak RSS in MB."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "RSS_KB %M", *command],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        check=True,
    )
    rss = next(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("RSS_KB"))
    return result.stdout, result.stderr, rss / 1024


def criterion_mean(group, name):
    estimates = ROOT / "target/criterion" / group / name / "new/estimates.json"
    return json.loads(estimates.read_text())["mean"]["point_estimate"] / 1e9


def bench_binary():
    out = subprocess.run(
        ["cargo", "bench", "-p", "trygg-analysis", "--bench", "hotspot", "--no-run", "--message-format=json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("target", {}).get("name") == "hotspot":
            if message.get("executable"):
                return message["executable"]
    raise SystemExit("no bench executable")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "peer":
        peer(sys.argv[2])
        return
    skip_python = "--skip-python" in sys.argv
    DATA.mkdir(parents=True, exist_ok=True)
    for n in (100_000, 1_000_000):
        write_pins(n)
    env = {"TRYGG_HOTSPOT_BENCH_DIR": str(DATA)}

    subprocess.run(
        ["cargo", "bench", "-p", "trygg-analysis", "--bench", "hotspot"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    rust = {
        "dbscan": criterion_mean("hotspot_dbscan", "1m_eps50_min5"),
        "dbscan_100k": criterion_mean("hotspot_dbscan", "100k_eps50_min5"),
        "gi": criterion_mean("hotspot_gi", "100k_pins_res10_999_permutations"),
        "gi_analytic": criterion_mean("hotspot_gi", "100k_pins_res10_analytic"),
        "kde": criterion_mean("hotspot_kde", "100k_400x400_epanechnikov"),
        "kde_quartic": criterion_mean("hotspot_kde", "100k_400x400_quartic"),
        "h3": criterion_mean("hotspot_h3", "1m_res9_counts"),
    }
    binary = bench_binary()
    rust_rss = {}
    for case in ("dbscan_1m", "gi_35k", "kde_100k"):
        _, err, rss = timed([binary], {**env, "TRYGG_HOTSPOT_ONCE": case})
        rust_rss[case] = rss
        print(err.strip().splitlines()[0], f"(peak RSS {rss:.0f} MB)")

    python = {}
    if not skip_python:
        for name in ("dbscan_haversine", "dbscan_euclid", "gi", "kde"):
            out, _, rss = timed([sys.executable, __file__, "peer", name])
            python[name] = {**json.loads(out.strip().splitlines()[-1]), "rss": rss}
            print(name, python[name])

    def row(what, ours, peer_name, rss_ours):
        if peer_name in python:
            theirs = python[peer_name]
            return (
                f"| {what} | {ours:.3f} s | {theirs['seconds']:.2f} s | **{theirs['seconds'] / ours:.1f}×** "
                f"| {rss_ours:.0f} MB | {theirs['rss']:.0f} MB |"
            )
        return f"| {what} | {ours:.3f} s | | | {rss_ours:.0f} MB | |"

    print()
    print("| case | trygg-analysis | Python peer | ratio | peak RSS trygg | peak RSS peer |")
    print("|---|---|---|---|---|---|")
    print(row("DBSCAN 1M pins, eps 50 m, 5 points vs sklearn haversine ball_tree", rust["dbscan"], "dbscan_haversine", rust_rss["dbscan_1m"]))
    print(row("DBSCAN 1M pins vs sklearn euclid kd_tree (projected metres)", rust["dbscan"], "dbscan_euclid", rust_rss["dbscan_1m"]))
    print(row("Gi* 999 permutations, 100k pins at res 10 vs esda n_jobs=1", rust["gi"], "gi", rust_rss["gi_35k"]))
    print(row("KDE 100k pins, 400×400 grid, epanechnikov vs sklearn KernelDensity", rust["kde"], "kde", rust_rss["kde_100k"]))
    print()
    print(
        f"Also: DBSCAN 100k {rust['dbscan_100k']:.3f} s; Gi* analytic only {rust['gi_analytic'] * 1000:.1f} ms; "
        f"KDE quartic {rust['kde_quartic']:.3f} s; H3 counts of 1M pins at res 9 {rust['h3']:.3f} s."
    )
    if "dbscan_haversine" in python:
        print(f"Clusters: sklearn haversine {python['dbscan_haversine']['clusters']}, euclid {python['dbscan_euclid']['clusters']}; Gi* cells {python['gi']['cells']}.")


if __name__ == "__main__":
    main()

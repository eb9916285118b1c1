"""Writes the hotspot oracle fixtures from scikit-learn, esda/libpysal, h3-py and numpy.

Run from the repository root with the pinned packages of requirements.txt in a venv
outside the repository:

    python3 -m venv /work/venv-hotspot
    /work/venv-hotspot/bin/pip install -r tools/reference/hotspot/requirements.txt
    /work/venv-hotspot/bin/python tools/reference/hotspot/make_fixtures.py [DEMO_PINS.geojson]

DEMO_PINS.geojson is `trygg export pins --survey trygghetsmatning-2023 --format geojson`
after `trygg demo load`; without it the committed demo fixture is kept as it is.
The fixtures land in crates/trygg-analysis/tests/fixtures/hotspot/, and the Rust tests
read them, so `cargo test` needs no Python.
"""

import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")

import h3  # noqa: E402
import libpysal  # noqa: E402
import esda  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import DBSCAN  # noqa: E402

R = 6371008.8
OUT = Path(__file__).resolve().parents[3] / "crates/trygg-analysis/tests/fixtures/hotspot"
VERSIONS = {
    "numpy": np.__version__,
    "scikit-learn": sklearn.__version__,
    "esda": esda.__version__,
    "libpysal": libpysal.__version__,
    "h3": h3.__version__,
}


def write(name, data):
    data = {"generated_by": "tools/reference/hotspot/make_fixtures.py", "versions": VERSIONS, **data}
    path = OUT / name
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{path.relative_to(OUT.parents[4])}: {path.stat().st_size / 1024:.0f} KB")


def make_pins(n, seed=42, n_clusters=None, noise_frac=0.2, lat0=59.5, lon0=17.6, box=10_000):
    """analysis.md Appendix A, with the box half-width as a parameter."""
    rng = np.random.default_rng(seed)
    if n_clusters is None:
        n_clusters = max(10, n // 2000)
    n_noise = int(n * noise_frac)
    n_cl = n - n_noise
    m_lat = 111_320.0
    m_lon = 111_320.0 * np.cos(np.radians(lat0))
    cx = rng.uniform(-box, box, n_clusters)
    cy = rng.uniform(-box, box, n_clusters)
    sig = rng.uniform(30, 250, n_clusters)
    wts = rng.dirichlet(np.ones(n_clusters) * 2.0)
    lab = rng.choice(n_clusters, size=n_cl, p=wts)
    x = np.concatenate([cx[lab] + rng.normal(0, 1, n_cl) * sig[lab], rng.uniform(-box, box, n_noise)])
    y = np.concatenate([cy[lab] + rng.normal(0, 1, n_cl) * sig[lab], rng.uniform(-box, box, n_noise)])
    return lat0 + y / m_lat, lon0 + x / m_lon


def rdist(lat_a, lon_a, lat_b, lon_b):
    """scikit-learn's HaversineDistance.rdist on degrees, through np.radians and libm."""
    a0, a1, b0, b1 = (float(v) for v in np.radians(np.array([lat_a, lon_a, lat_b, lon_b])))
    s0 = math.sin(0.5 * (a0 - b0))
    s1 = math.sin(0.5 * (a1 - b1))
    return s0 * s0 + math.cos(a0) * math.cos(b0) * s1 * s1


def exactly_eps_apart(lat, lon, eps_m, bearing):
    """A point as far from (lat, lon) as still counts as within eps: one ulp further is out."""
    reduced = math.sin(0.5 * (eps_m / R)) ** 2
    d = math.degrees(eps_m / R)
    if bearing == "north":
        move = lambda t: (t, lon)  # noqa: E731
        start = lat + d
    else:
        move = lambda t: (lat, t)  # noqa: E731
        start = lon + d / math.cos(math.radians(lat))
    t = start
    while rdist(lat, lon, *move(t)) > reduced:
        t = float(np.nextafter(t, -np.inf))
    while rdist(lat, lon, *move(float(np.nextafter(t, np.inf)))) <= reduced:
        t = float(np.nextafter(t, np.inf))
    return move(t)


def sklearn_haversine_labels(lat, lon, eps_m, min_samples):
    x = np.radians(np.column_stack([lat, lon]))
    model = DBSCAN(eps=eps_m / R, min_samples=min_samples, metric="haversine", algorithm="ball_tree")
    return model.fit_predict(x)


def dbscan_fixtures(demo_path):
    x = [[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]]
    labels = DBSCAN(eps=3, min_samples=2).fit_predict(np.array(x, dtype=float))
    write("dbscan_docstring.json", {"points": x, "eps": 3.0, "min_points": 2, "labels": labels.tolist()})

    # A 10,000-pin synthetic city: Appendix A clusters in a 3 km box, 400 exact duplicates
    # and 300 pairs exactly eps apart (north and east), so ties at the radius are tested.
    lat, lon = make_pins(9_000, seed=11, n_clusters=25, box=1_500)
    rng = np.random.default_rng(12)
    dup = rng.choice(len(lat), 400, replace=False)
    lat = np.concatenate([lat, lat[dup]])
    lon = np.concatenate([lon, lon[dup]])
    eps_m = 50.0
    extra = []
    for k, i in enumerate(rng.choice(len(lat), 300, replace=False)):
        extra.append(exactly_eps_apart(float(lat[i]), float(lon[i]), eps_m, "north" if k % 2 else "east"))
    # Lone pairs far out, where the single boundary neighbour decides core or noise.
    for k in range(150):
        a = (59.47 + 0.0007 * k, 17.80)
        b = exactly_eps_apart(*a, eps_m, "north" if k % 2 else "east")
        extra.extend([a, b])
    lat = np.concatenate([lat, [p[0] for p in extra]])
    lon = np.concatenate([lon, [p[1] for p in extra]])
    order = rng.permutation(len(lat))
    lat, lon = lat[order], lon[order]
    for min_points in (2, 5):
        labels = sklearn_haversine_labels(lat, lon, eps_m, min_points)
        write(
            f"dbscan_city_min{min_points}.json",
            {
                "lon": lon.tolist(),
                "lat": lat.tolist(),
                "eps_m": eps_m,
                "min_points": min_points,
                "labels": labels.tolist(),
                "clusters": int(labels.max() + 1),
                "noise": int((labels == -1).sum()),
            },
        )

    if demo_path:
        features = json.loads(Path(demo_path).read_text())["features"]
        lon = np.array([f["geometry"]["coordinates"][0] for f in features])
        lat = np.array([f["geometry"]["coordinates"][1] for f in features])
        labels = sklearn_haversine_labels(lat, lon, 100.0, 5)
        write(
            "dbscan_demo.json",
            {"lon": lon.tolist(), "lat": lat.tolist(), "eps_m": 100.0, "min_points": 5, "labels": labels.tolist()},
        )


def esda_class(g, alpha=0.05):
    return [
        "hot" if p <= alpha and z > 0 else "cold" if p <= alpha and z < 0 else "not_significant"
        for p, z in zip(g.p_sim, g.Zs)
    ]


def gi_fixtures():
    points = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
    y = np.array([2, 3, 3.2, 5, 8, 7])
    w = libpysal.weights.DistanceBand(points, threshold=15)
    g = esda.G_Local(y, w, transform="B", star=True, permutations=999, seed=10, n_jobs=1)
    neighbours = [sorted(w.neighbors[i]) for i in range(len(points))]
    write(
        "gi_esda_points.json",
        {
            "y": y.tolist(),
            "neighbours": neighbours,
            "Gs": g.Gs.tolist(),
            "EGs": g.EGs.tolist(),
            "VGs": g.VGs.tolist(),
            "Zs": g.Zs.tolist(),
            "p_norm": g.p_norm.tolist(),
            "p_sim": g.p_sim.tolist(),
        },
    )

    # About 2,100 resolution-9 cells: the cells of synthetic pins and their 1-rings.
    lat, lon = make_pins(3_000, seed=5, n_clusters=12, box=7_000)
    counts = {}
    for a, b in zip(lat, lon):
        c = h3.latlng_to_cell(float(a), float(b), 9)
        counts[c] = counts.get(c, 0) + 1
    region = sorted({d for c in counts for d in h3.grid_disk(c, 1)}, key=lambda c: int(c, 16))
    index = {c: i for i, c in enumerate(region)}
    neighbours = {i: sorted(index[d] for d in h3.grid_disk(c, 1) if d != c and d in index) for i, c in enumerate(region)}
    yv = np.array([counts.get(c, 0) for c in region], dtype=float)
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    g = esda.G_Local(yv, w, transform="B", star=True, permutations=999, seed=1, n_jobs=1)
    write(
        "gi_h3.json",
        {
            "resolution": 9,
            "k": 1,
            "lon": lon.tolist(),
            "lat": lat.tolist(),
            "cells": region,
            "y": yv.tolist(),
            "Zs": g.Zs.tolist(),
            "p_norm": g.p_norm.tolist(),
            "p_sim": g.p_sim.tolist(),
            "class_05": esda_class(g),
            "fdr_cutoff_05": float(esda.fdr(g.p_sim, 0.05)),
        },
    )


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return state, z ^ (z >> 31)


def h3_points(n, seed):
    """Deterministic points both languages can make: 90 % around Upplands-Bro, 10 % anywhere."""
    state = seed
    out = []
    for i in range(n):
        state, a = splitmix64(state)
        state, b = splitmix64(state)
        u = (a >> 11) * 2.0**-53
        v = (b >> 11) * 2.0**-53
        if i % 10 == 9:
            out.append((-89.9 + 179.8 * u, -180.0 + 360.0 * v))
        else:
            out.append((59.40 + 0.20 * u, 17.40 + 0.50 * v))
    return out


def h3_fixture():
    n, seed = 100_000, 2026
    points = h3_points(n, seed)
    result = {"n": n, "seed": seed, "resolutions": {}}
    mask = (1 << 64) - 1
    for res in (7, 8, 9, 10):
        ids = [h3.str_to_int(h3.latlng_to_cell(lat, lon, res)) for lat, lon in points]
        result["resolutions"][str(res)] = {
            # Full lists would be 3 MB; the first ids verbatim and order-sensitive
            # checksums of all of them catch any difference.
            "first": [h3.int_to_str(c) for c in ids[:1000]],
            "xor": str(np.bitwise_xor.reduce(np.array(ids, dtype=np.uint64))),
            "weighted_sum": str(sum((c * (i + 1)) & mask for i, c in enumerate(ids)) & mask),
            "distinct": len(set(ids)),
        }
    # Pins on cell edges and corners: vertices and edge midpoints of cells around Bro centrum.
    edge = []
    for res in (9, 10):
        for cell in h3.grid_disk(h3.latlng_to_cell(59.512, 17.6335, res), 1):
            ring = h3.cell_to_boundary(cell)
            for (a_lat, a_lon), (b_lat, b_lon) in zip(ring, ring[1:] + ring[:1]):
                for lat, lon in ((a_lat, a_lon), ((a_lat + b_lat) / 2, (a_lon + b_lon) / 2)):
                    edge.append({"lat": lat, "lon": lon, "resolution": res, "cell": h3.latlng_to_cell(lat, lon, res)})
    result["edge_points"] = edge
    result["oracle"] = {
        "lat": 59.8586,
        "lon": 17.6389,
        "cells": {str(r): h3.latlng_to_cell(59.8586, 17.6389, r) for r in (7, 8, 9, 10)},
    }
    write("h3_ids.json", result)


def kde_fixture():
    lat, lon = make_pins(400, seed=9, n_clusters=4, box=800, lat0=59.51, lon0=17.64)
    lon0, lat0 = 17.64, 59.51
    cos0 = math.cos(math.radians(lat0))
    x = R * cos0 * np.radians(lon - lon0)
    y = R * np.radians(lat - lat0)
    grid = {"lon0": lon0, "lat0": lat0, "x0": -1000.0, "y0": -900.0, "cell_m": 25.0, "columns": 81, "rows": 73}
    gx = grid["x0"] + grid["cell_m"] * np.arange(grid["columns"])
    gy = grid["y0"] + grid["cell_m"] * np.arange(grid["rows"])
    cx, cy = np.meshgrid(gx, gy)
    d2 = (cx[..., None] - x) ** 2 + (cy[..., None] - y) ** 2
    surfaces = {}
    for kernel, h in (("quartic", 150.0), ("epanechnikov", 120.0), ("gaussian", 60.0)):
        u2 = d2 / h**2
        if kernel == "quartic":
            k = np.where(u2 < 1, 3 / (math.pi * h**2) * (1 - u2) ** 2, 0.0)
        elif kernel == "epanechnikov":
            k = np.where(u2 < 1, 2 / (math.pi * h**2) * (1 - u2), 0.0)
        else:
            k = np.exp(-0.5 * u2) / (2 * math.pi * h**2)
        surfaces[kernel] = {"bandwidth_m": h, "density": k.sum(axis=-1).ravel().tolist()}
    write("kde_brute.json", {"lon": lon.tolist(), "lat": lat.tolist(), "grid": grid, "surfaces": surfaces})


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    dbscan_fixtures(sys.argv[1] if len(sys.argv) > 1 else None)
    gi_fixtures()
    h3_fixture()
    kde_fixture()

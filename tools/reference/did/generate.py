"""Oracle fixtures for the effect follow-up: difference-in-differences from statsmodels OLS.

Each case expands its four groups (focus area / rest of the municipality, baseline /
later round) to one row per respondent and fits `y ~ focus + later + focus:later`
with statsmodels' formula OLS and its default (classical) covariance. The
interaction coefficient is the difference-in-differences; its 95 % interval comes
from `conf_int(alpha=0.05)`, Student's t on n - 4 degrees of freedom.

Run from the repository root with the pinned packages (see requirements.txt):

    python3 -m venv /work/venv-did
    /work/venv-did/bin/pip install -r tools/reference/did/requirements.txt
    /work/venv-did/bin/python tools/reference/did/generate.py

It writes crates/trygg-analysis/tests/fixtures/stats/did.json; `cargo test` reads it
and needs no Python.
"""

import json
import pathlib

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

OUT = pathlib.Path(__file__).resolve().parents[3] / "crates/trygg-analysis/tests/fixtures/stats"
GROUPS = ["focus_baseline", "focus_later", "rest_baseline", "rest_later"]
FLAGS = {"focus": {"focus_baseline": 1, "focus_later": 1, "rest_baseline": 0, "rest_later": 0},
         "later": {"focus_baseline": 0, "focus_later": 1, "rest_baseline": 0, "rest_later": 1}}


def fit(values):
    rows = []
    for group in GROUPS:
        for y in values[group]:
            rows.append({"y": float(y), "focus": FLAGS["focus"][group], "later": FLAGS["later"][group]})
    frame = pd.DataFrame(rows)
    model = smf.ols("y ~ focus + later + focus:later", data=frame).fit()
    low, high = model.conf_int(alpha=0.05).loc["focus:later"]
    return {
        "estimate": float(model.params["focus:later"]),
        "std_error": float(model.bse["focus:later"]),
        "low": float(low),
        "high": float(high),
        "t": float(model.tvalues["focus:later"]),
        "p_value": float(model.pvalues["focus:later"]),
        "df": float(model.df_resid),
    }


def binary_case(name, counts):
    """`counts` maps each group to (ones, n): a 0/1 indicator such as evening-unsafe."""
    values = {g: [1.0] * ones + [0.0] * (n - ones) for g, (ones, n) in counts.items()}
    return {"name": name, "kind": "count",
            "groups": {g: {"count": c, "n": n} for g, (c, n) in counts.items()},
            "expected": fit(values)}


def numeric_case(name, values):
    return {"name": name, "kind": "values", "groups": values, "expected": fit(values)}


def main():
    cases = [
        # The demo's shape: evening-unsafe in Bro against the rest, 2020 -> 2023.
        binary_case("bro_2020_2023", {"focus_baseline": (190, 420), "focus_later": (141, 405),
                                      "rest_baseline": (350, 1080), "rest_later": (325, 1095)}),
        # Both areas move alike: the estimate is zero up to rounding.
        binary_case("parallel", {"focus_baseline": (40, 100), "focus_later": (30, 100),
                                 "rest_baseline": (400, 1000), "rest_later": (300, 1000)}),
        # A focus area that rises while the rest falls.
        binary_case("diverging", {"focus_baseline": (20, 150), "focus_later": (45, 160),
                                  "rest_baseline": (300, 900), "rest_later": (250, 880)}),
        # Tiny groups, few degrees of freedom: t differs clearly from the normal.
        binary_case("tiny", {"focus_baseline": (1, 2), "focus_later": (0, 2),
                             "rest_baseline": (1, 3), "rest_later": (2, 3)}),
        # All zero in the focus area at the later round.
        binary_case("none_later", {"focus_baseline": (12, 60), "focus_later": (0, 55),
                                   "rest_baseline": (80, 500), "rest_later": (75, 510)}),
    ]
    rng = np.random.default_rng(11)
    for i in range(6):
        counts = {}
        for g in GROUPS:
            n = int(rng.integers(20, 2500))
            counts[g] = (int(rng.binomial(n, rng.uniform(0.1, 0.6))), n)
        cases.append(binary_case(f"random_{i}", counts))
    # A mean indicator (e.g. a 1-5 problem score), numeric outcomes.
    cases.append(numeric_case("scores", {
        g: [float(x) for x in rng.integers(1, 6, int(rng.integers(30, 80)))] for g in GROUPS}))
    cases.append(numeric_case("continuous", {
        g: [float(x) for x in rng.normal(2.5 + 0.3 * k, 1.1, 40)] for k, g in enumerate(GROUPS)}))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "did.json").write_text(json.dumps(cases, indent=1) + "\n")


if __name__ == "__main__":
    main()

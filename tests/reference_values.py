"""Reference values from R (tests/reference/values/reference.csv) and the data they were computed from.

The R script tests/reference/make_reference.R wrote both; each row quotes its R call.
Helpers here only read and pair; they share no code with the package under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

REFERENCE = Path(__file__).parent / "reference"
BASELINE = {  # first level of VISITS in make_reference.R
    "sleep": "group1",
    "sleepstudy_d0_3": "day0",
    "synth_ties": "baseline",
    "synth_missing": "baseline",
    "synth_positive": "baseline",
}
NUMBERS = ("estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value")
REL_TOL = 1e-6  # estimates, SEs, CI limits, statistics, p-values
DF_REL_TOL = 1e-4


def reference_rows(*methods: str) -> list:
    """Reference rows of the given methods as pytest params with readable ids."""
    table = pd.read_csv(REFERENCE / "values" / "reference.csv", keep_default_na=False, na_values=[""])
    rows = table[table["method"].isin(methods)]
    return [pytest.param(row, id=f"{row['dataset']}-{row['visit']}-{row['method']}-{row['term']}")
            for row in rows.to_dict("records")]


def long_data(dataset: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "data" / f"{dataset}.csv", dtype={"subject": str, "visit": str})


def pairs(dataset: str, visit: str) -> tuple[pd.Series, pd.Series]:
    """(baseline, visit) values of the subjects with both, as R's complete_pairs()."""
    data = long_data(dataset)
    base = data[data["visit"] == BASELINE[dataset]]
    post = data[data["visit"] == visit]
    both = base.merge(post, on="subject", suffixes=("_base", "_visit"))
    return both["value_base"], both["value_visit"]


def assert_row_matches(actual: pd.Series, reference: dict, rel: float = REL_TOL, check_n: bool = True) -> None:
    """Every number R gave (non-missing) matches to ``rel`` (df to 1e-4); ``n`` exactly if ``check_n``."""
    for column in NUMBERS:
        expected = reference[column]
        if expected is None or (isinstance(expected, float) and math.isnan(expected)):
            continue
        tol = DF_REL_TOL if column == "df" else rel
        assert actual[column] == pytest.approx(expected, rel=tol, abs=1e-12), column
    if check_n and not math.isnan(reference["n"]):
        assert actual["n"] == reference["n"]


#: Visit levels, baseline first, of the datasets the mixed models are checked on.
MODEL_VISITS = {
    "sleepstudy_d0_3": ["day0", "day1", "day2", "day3"],
    "synth_ties": ["baseline", "week4", "week12", "week16"],
    "synth_missing": ["baseline", "week4", "week12", "week16"],
}
#: Relative tolerance per column of the model checks (1e-6; df 1e-4).
MODEL_REL_TOL = {"estimate": REL_TOL, "std_error": REL_TOL, "ci_low": REL_TOL, "ci_high": REL_TOL,
                 "statistic": REL_TOL, "p_value": REL_TOL, "df": DF_REL_TOL}


def model_reference_table(methods: tuple[str, ...]) -> pd.DataFrame:
    """Reference rows of the given model methods on the :data:`MODEL_VISITS` datasets, numbers as floats."""
    ref = pd.read_csv(REFERENCE / "values" / "reference.csv", keep_default_na=False, na_values=["NA", ""])
    ref = ref.loc[ref["method"].isin(methods) & ref["dataset"].isin(list(MODEL_VISITS))].copy()
    for column in [*MODEL_REL_TOL, "n"]:
        ref[column] = pd.to_numeric(ref[column])
    ref["visit"] = ref["visit"].fillna("").astype(str)
    return ref

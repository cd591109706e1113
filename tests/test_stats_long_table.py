"""The long-table runner: every paired row it writes for the R datasets equals R's (tests/reference)."""

import math

import pandas as pd
import pytest
from reference_values import root_path_tolerance, BASELINE, assert_row_matches, long_data, reference_rows

from aidheart.stats.long_table import (
    PAIRED_METHODS,
    LongTableError,
    analyse_long_table,
    change_from_baseline,
    ordered_visit_levels,
)

PAIRED = tuple(PAIRED_METHODS)


@pytest.fixture(scope="module")
def paired_ards():
    datasets = {param.values[0]["dataset"] for param in reference_rows(*PAIRED)}
    return {dataset: analyse_long_table(long_data(dataset), "subject", "visit", "value", BASELINE[dataset],
                                        methods=PAIRED, resamples=199).set_index(["visit", "method", "term"])
            for dataset in sorted(datasets)}


@pytest.mark.parametrize("ref", reference_rows(*PAIRED))
def test_paired_rows_match_r(paired_ards, ref):
    row = paired_ards[ref["dataset"]].loc[(ref["visit"], ref["method"], ref["term"])]
    assert_row_matches(row, ref, **root_path_tolerance(ref))


def test_rows_come_in_visit_then_method_order(paired_ards):
    ard = paired_ards["synth_ties"].reset_index()
    assert list(dict.fromkeys(ard["visit"])) == ["week4", "week12", "week16"]
    assert list(dict.fromkeys(ard.loc[ard["visit"] == "week4", "method"])) == list(PAIRED)


def tiny(rows):
    return pd.DataFrame(rows, columns=["id", "avisit", "aval"])


def test_visit_with_too_few_pairs_gives_nan_rows_not_an_exception():
    data = tiny([("a", "base", 1.0), ("b", "base", 2.0), ("a", "w1", 3.0), ("b", "w2", float("nan"))])
    ard = analyse_long_table(data, "id", "avisit", "aval", "base", methods=("paired_t", "cohen_dz", "hodges_lehmann"))
    w1 = ard[ard["visit"] == "w1"].set_index("method")
    assert w1.loc["paired_t", "n"] == 1 and math.isnan(w1.loc["paired_t", "p_value"])
    assert w1.loc["cohen_dz", "note"] == "fewer than 2 complete pairs"
    w2 = ard[ard["visit"] == "w2"].set_index("method")
    assert w2.loc["paired_t", "n"] == 0 and w2.loc["hodges_lehmann", "note"] == "no complete pairs"


def test_visit_order_given_numeric_or_by_appearance():
    assert ordered_visit_levels(pd.Series(["10", "0", "2"]), "0") == ["0", "2", "10"]
    assert ordered_visit_levels(pd.Series(["wk2", "bl", "wk1"]), "bl") == ["bl", "wk2", "wk1"]
    assert ordered_visit_levels(pd.Series(["wk2", "bl", "wk1"]), "bl", ["bl", "wk1", "wk2"]) == ["bl", "wk1", "wk2"]
    with pytest.raises(LongTableError, match="not in the visit order"):
        ordered_visit_levels(pd.Series(["wk2", "bl", "wk1"]), "bl", ["bl", "wk1"])


@pytest.mark.parametrize(("data", "arguments", "message"), [
    (tiny([("a", "base", 1.0)]), ("id", "avisit", "missing_col", "base"), "missing_col"),
    (tiny([("a", "base", 1.0)]), ("id", "avisit", "aval", "screening"), "baseline level 'screening'"),
    (tiny([("a", "base", "x1"), ("a", "w1", 2)]), ("id", "avisit", "aval", "base"), "not numeric"),
    (tiny([("a", "base", 1.0), ("a", "base", 2.0)]), ("id", "avisit", "aval", "base"), "more than one row"),
])
def test_bad_input_raises_a_named_error(data, arguments, message):
    with pytest.raises(LongTableError, match=message):
        analyse_long_table(data, *arguments, methods=("paired_t",))


def test_change_from_baseline_derives_base_and_chg():
    data = tiny([("a", "base", 10.0), ("a", "w1", 12.5), ("b", "w1", 3.0), ("c", "base", 1.0), ("c", "w1", float("nan"))])
    derived = change_from_baseline(data, "id", "avisit", "aval", "base")
    assert derived.to_dict("records") == [{"id": "a", "avisit": "w1", "aval": 12.5, "CHG": 2.5, "BASE": 10.0}]


def test_given_base_and_change_are_used_as_they_are():
    # ADaM brings its own BASE and CHG: b's CHG is missing (e.g. no baseline derived), so b is no pair,
    # although its AVAL and BASE are present; a's pair is (BASE, AVAL) = (10, 12.5)
    data = pd.DataFrame({"id": ["a", "a", "b", "b", "c", "c"], "avisit": ["base", "w1"] * 3,
                         "aval": [10.0, 12.5, 4.0, 6.0, 1.0, 2.0], "BASE": [10.0, 10.0, 4.0, 4.0, 1.0, 1.0],
                         "CHG": [None, 2.5, None, None, None, 1.0]})
    ard = analyse_long_table(data, "id", "avisit", "aval", "base", methods=("summary",), base="BASE", change="CHG")
    rows = ard.set_index("term")
    assert rows.loc["mean_change", "n"] == 2
    assert rows.loc["mean_change", "estimate"] == pytest.approx((2.5 + 1.0) / 2)
    assert rows.loc["mean_baseline", "estimate"] == pytest.approx((10.0 + 1.0) / 2)


def test_base_without_change_is_refused():
    with pytest.raises(LongTableError, match="both the baseline and the change"):
        analyse_long_table(tiny([("a", "base", 1.0)]), "id", "avisit", "aval", "base", base="aval")


@pytest.mark.parametrize("ref", reference_rows("lmm", "lmm_kr", "mmrm"))
def test_model_rows_through_the_runner_match_r(ref):
    # checks the runner's wiring (BASE/CHG derivation, visit order) end to end; the models'
    # own tests live in test_stats_lmm.py / test_stats_mmrm.py
    ard = analyse_long_table(long_data(ref["dataset"]), "subject", "visit", "value", BASELINE[ref["dataset"]],
                             methods=("lmm", "mmrm")).set_index(["visit", "method", "term"])
    key = ("" if pd.isna(ref["visit"]) else ref["visit"], ref["method"], ref["term"])
    if key not in ard.index:
        pytest.skip(f"the model does not report {key}")
    # model-level rows (no visit): R's reference counts observations in n, the models count
    # subjects (a convention to settle between those two); the numbers must agree regardless
    assert_row_matches(ard.loc[key], ref, check_n=bool(key[0]))

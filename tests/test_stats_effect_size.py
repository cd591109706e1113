"""Cohen's dz and Hedges' gz against R (tests/reference: noncentral-t CI by uniroot, tol 1e-12) and closed forms."""

import math

import pytest
from reference_values import assert_row_matches, pairs, reference_rows

from aidheart.stats.effect_size import cohen_dz, hedges_correction, hedges_gz

FUNCTIONS = {"cohen_dz": cohen_dz, "hedges_gz": hedges_gz}


@pytest.mark.parametrize("ref", reference_rows(*FUNCTIONS))
def test_matches_r(ref):
    row = FUNCTIONS[ref["method"]](*pairs(ref["dataset"], ref["visit"])).iloc[0]
    assert_row_matches(row, ref)


def test_hedges_correction_closed_forms():
    # df = 3: Γ(3/2) / (sqrt(3/2) Γ(1)) = (sqrt(pi)/2) / sqrt(1.5)
    assert hedges_correction(3) == pytest.approx(math.sqrt(math.pi) / 2 / math.sqrt(1.5), rel=1e-14)
    # df = 2: Γ(1) / (1 · Γ(1/2)) = 1/sqrt(pi)
    assert hedges_correction(2) == pytest.approx(1 / math.sqrt(math.pi), rel=1e-14)
    # Hedges' approximation 1 - 3/(4 df - 1) is good to O(df^-2)
    assert hedges_correction(200) == pytest.approx(1 - 3 / 799, abs=1e-5)


def test_dz_hand_value():
    # d = 1, 2, 3: mean 2, sd 1 -> dz = 2; t = 2 sqrt(3), df 2
    row = cohen_dz([0, 0, 0], [1, 2, 3]).iloc[0]
    assert row["estimate"] == pytest.approx(2) and row["df"] == 2
    assert row["ci_low"] < 2 < row["ci_high"]


@pytest.mark.parametrize(("function", "baseline", "visit", "reason"), [
    (cohen_dz, [0.0], [1.0], "fewer than 2"),
    (cohen_dz, [0.0, 0.0], [1.0, 1.0], "constant"),
    (hedges_gz, [0.0, 0.0], [1.0, 3.0], "fewer than 3"),
])
def test_undefined_gives_nan_row_with_note(function, baseline, visit, reason):
    row = function(baseline, visit).iloc[0]
    assert math.isnan(row["estimate"]) and reason in row["note"]

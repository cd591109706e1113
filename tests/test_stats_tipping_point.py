"""Tipping-point analysis against R (t.test + closed form checked by uniroot; tests/reference) and hand values."""

import math

import numpy as np
import pytest
from reference_values import assert_row_matches, reference_rows, with_baseline

from aidheart.stats.tipping_point import tipping_point

T_975_2DF = math.sqrt(2 / (1 - 0.95**2) - 2)  # closed form of t_{0.975} on 2 df


@pytest.mark.parametrize("ref", reference_rows("tipping_point"))
def test_matches_r(ref):
    # R: tt <- t.test(observed change); delta = -tt$conf.int[edge] / share (uniroot agrees);
    # mean_change[delta=D] = mean + share * D with the CI of tt shifted by share * D
    data = with_baseline(ref["dataset"], ref["visit"])
    frame = tipping_point(data["baseline"], data["visit"], deltas=[-20, -10, 0, 10]).set_index("term")
    assert_row_matches(frame.loc[ref["term"]], ref)


def test_positive_mean_tips_at_minus_lower_limit_over_share():
    # changes 10, 12, 14 observed, one missing: mean 12, SE 2/sqrt(3), CI lower
    # L = 12 - t_{0.975,2} 2/sqrt(3) > 0; share 1/4, so delta* = -4 L
    low = 12 - T_975_2DF * 2 / math.sqrt(3)
    frame = tipping_point([0, 0, 0, 0], [10, 12, 14, np.nan], deltas=[-4 * low]).set_index("term")
    assert frame.loc["delta_tipping", "estimate"] == pytest.approx(-4 * low, rel=1e-12)
    assert frame.loc["delta_tipping", "note"] == "1 of 4 changes imputed at the observed mean + delta"
    at_tip = frame.loc[f"mean_change[delta={-4 * low:g}]"]
    assert at_tip["ci_low"] == pytest.approx(0, abs=1e-6)  # the label rounds delta to 6 digits
    assert (at_tip["df"], at_tip["n"]) == (2, 4)


def test_negative_mean_tips_upwards():
    # changes -10, -12, -14 observed, two missing: U = -12 + t 2/sqrt(3) < 0, share 2/5
    high = -12 + T_975_2DF * 2 / math.sqrt(3)
    row = tipping_point([0] * 5, [-10, -12, -14, np.nan, np.nan]).iloc[0]
    assert row["estimate"] == pytest.approx(-high / 0.4, rel=1e-12) and row["estimate"] > 0


def test_ci_including_zero_needs_no_shift():
    # changes 1, 2, 3: CI 2 +/- 4.30 * 0.577 includes 0
    row = tipping_point([0] * 4, [1, 2, 3, np.nan]).iloc[0]
    assert row["estimate"] == 0 and "includes 0 without a shift" in row["note"]


def test_subject_without_baseline_is_left_out_and_edge_cases():
    row = tipping_point([0, 0, 0, np.nan, 0], [10, 12, 14, 99, np.nan]).iloc[0]
    assert row["n"] == 4  # the subject without a baseline is not imputed
    complete = tipping_point([0, 0, 0], [10, 12, 14]).iloc[0]
    assert math.isnan(complete["estimate"]) and complete["note"] == "no subject misses the visit"
    few = tipping_point([0, 0], [1, np.nan], deltas=[5]).set_index("term")
    assert few["note"].eq("fewer than 2 observed changes").all() and few["estimate"].isna().all()
    with pytest.raises(ValueError, match="differ in length"):
        tipping_point([0, 0], [1])

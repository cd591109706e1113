"""Paired t, summaries and geometric mean ratio against R's t.test (tests/reference) and hand values."""

import math

import numpy as np
import pytest
from reference_values import assert_row_matches, pairs, reference_rows

from aidheart.stats.paired import geometric_mean_ratio, paired_t, summary

FUNCTIONS = {"paired_t": paired_t, "summary": summary, "gmr": geometric_mean_ratio}


@pytest.mark.parametrize("ref", reference_rows("paired_t", "summary", "gmr"))
def test_matches_r(ref):
    # R: t.test(x_visit, x_base, paired = TRUE); mean()/sd(); exp() of t.test on logs
    frame = FUNCTIONS[ref["method"]](*pairs(ref["dataset"], ref["visit"]))
    assert_row_matches(frame.set_index("term").loc[ref["term"]], ref)


def test_sleep_published_values():
    # R documentation, ?sleep / t.test example: t = -4.0621, df = 9, p-value = 0.002833
    # (group1 - group2; here visit - baseline, so the sign flips)
    row = paired_t(*pairs("sleep", "group2")).iloc[0]
    assert row["statistic"] == pytest.approx(4.0621, abs=5e-5)
    assert row["df"] == 9
    assert row["p_value"] == pytest.approx(0.002833, abs=5e-7)


def test_hand_computed_three_pairs():
    # d = 1, 2, 3: mean 2, sd 1, t = 2 sqrt(3) on 2 df; for 2 df P(T > t) = (1 - t/sqrt(t^2 + 2))/2
    row = paired_t([0, 0, 0], [1, 2, 3]).iloc[0]
    t = 2 * math.sqrt(3)
    assert row["estimate"] == pytest.approx(2)
    assert row["std_error"] == pytest.approx(1 / math.sqrt(3))
    assert row["statistic"] == pytest.approx(t)
    assert row["p_value"] == pytest.approx(1 - t / math.sqrt(t**2 + 2), rel=1e-12)
    # t_{0.975, 2} = 4.302652729... (closed form: sqrt(2 / (1 - 0.95**2) - 2) for 2 df)
    half = math.sqrt(2 / (1 - 0.95**2) - 2) / math.sqrt(3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((2 - half, 2 + half), rel=1e-12)


def test_incomplete_pairs_are_dropped():
    with_missing = paired_t([0, 0, np.nan, 0, 5], [1, 2, 7, 3, np.nan]).iloc[0]
    complete = paired_t([0, 0, 0], [1, 2, 3]).iloc[0]
    assert with_missing["n"] == 3
    assert with_missing["statistic"] == complete["statistic"]


@pytest.mark.parametrize(("baseline", "visit", "reason"), [
    ([1.0], [2.0], "fewer than 2"),
    ([], [], "fewer than 2"),
    ([1.0, 2.0, 3.0], [1.5, 2.5, 3.5], "constant"),
])
def test_undefined_t_gives_nan_row_with_note(baseline, visit, reason):
    row = paired_t(baseline, visit).iloc[0]
    assert math.isnan(row["estimate"]) and math.isnan(row["p_value"])
    assert reason in row["note"]


def test_summary_with_one_pair_has_means_but_no_sds():
    frame = summary([1.0], [3.0]).set_index("term")
    assert frame.loc["mean_change", "estimate"] == 2
    assert math.isnan(frame.loc["sd_change", "estimate"])
    assert "fewer than 2" in frame.loc["sd_change", "note"]


def test_gmr_hand_value_and_non_positive_values():
    # ratios 2, 2, 8: log mean = log 2 * (1 + 1 + 3) / 3, so GMR = 2^(5/3)
    row = geometric_mean_ratio([1, 1, 1], [2, 2, 8]).iloc[0]
    assert row["estimate"] == pytest.approx(2 ** (5 / 3), rel=1e-12)
    bad = geometric_mean_ratio([1, 0, 1], [2, 2, 8]).iloc[0]
    assert math.isnan(bad["estimate"]) and "non-positive" in bad["note"]


def test_visit_mean_is_a_t_interval_without_a_test():
    # R 4.2.2: r <- t.test(c(3.1, 4.7, 2.2, 5.9, 4.4)); print(r$conf.int, digits = 8); r$stderr
    from aidheart.stats.paired import visit_mean

    row = visit_mean([3.1, 4.7, 2.2, float("nan"), 5.9, 4.4]).iloc[0]  # the NaN is dropped
    assert (row["method"], row["term"], row["n"]) == ("visit_mean", "mean", 5)
    assert row["estimate"] == pytest.approx(4.06, rel=1e-12)
    assert row["std_error"] == pytest.approx(4.06 / 6.3053817, rel=1e-7)  # mean / t
    assert row["ci_low"] == pytest.approx(2.2722625, rel=1e-7)
    assert row["ci_high"] == pytest.approx(5.8477375, rel=1e-7)
    # a mean of 0 is no hypothesis for a value at a visit: no t, df or p
    assert np.isnan(row["statistic"]) and np.isnan(row["df"]) and np.isnan(row["p_value"])


def test_visit_mean_of_one_value_has_no_interval():
    from aidheart.stats.paired import visit_mean

    row = visit_mean([7.0]).iloc[0]
    assert row["estimate"] == 7.0 and np.isnan(row["ci_low"]) and row["note"] == "fewer than 2 values"

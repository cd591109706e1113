"""Display rounding: the text a report shows for full-precision values."""

import math

import pytest

from aidheart.tables.formatting import (
    MISSING,
    fmt_ci,
    fmt_count,
    fmt_estimate_ci,
    fmt_n_pct,
    fmt_number,
    fmt_p,
    significant_digits,
)


@pytest.mark.parametrize(("value", "text"), [(0.0204, "0.02"), (-1.005, "\u22121.00"), (12.345678, "12.35"),
                                             (None, MISSING), (math.nan, MISSING)])
def test_numbers_round_to_two_decimals(value, text):
    assert fmt_number(value) == text


def test_a_negative_estimate_and_its_limits_share_one_minus_sign():
    assert fmt_estimate_ci(-0.0018, -0.0110, 0.0073, 4) == "\u22120.0018 (\u22120.0110, 0.0073)"
    assert "-" not in fmt_estimate_ci(-0.0018, -0.0110, 0.0073, 4)


def test_interval_and_estimate():
    assert fmt_ci(0.0032, 0.0376, 3) == "(0.003, 0.038)"
    assert fmt_estimate_ci(0.0204, 0.0032, 0.0376, 3) == "0.020 (0.003, 0.038)"
    assert fmt_estimate_ci(1.5, math.nan, 2.0) == "1.50"
    assert fmt_ci(1.0, None) == MISSING


@pytest.mark.parametrize(("p", "text"), [(0.022944, "0.023"), (0.0009, "<0.001"), (1.0, "1.000"), (None, MISSING)])
def test_p_values(p, text):
    assert fmt_p(p) == text


def test_counts_and_percentages():
    assert fmt_n_pct(3, 20) == "3 (15%)"
    assert fmt_n_pct(0, 20) == "0"
    assert fmt_n_pct(1, 0) == "1"  # no denominator: the count alone
    assert fmt_n_pct(None, 20) == MISSING
    assert fmt_count(16.0) == "16"
    assert significant_digits(0.0153) == "0.0153"

"""The display formats added for the reports (mean (SD), median [IQR], percentages, fractions)."""

import math

import pandas as pd

from aidheart.tables.formatting import MISSING, fmt_fraction, fmt_listing, fmt_mean_sd, fmt_median_iqr, fmt_percent_ci


def test_mean_sd_and_median_iqr():
    assert fmt_mean_sd(263.45, 46.3, 1) == "263.4 (46.3)" or fmt_mean_sd(263.45, 46.3, 1) == "263.5 (46.3)"
    assert fmt_mean_sd(1.0, math.nan) == "1.00"
    assert fmt_mean_sd(None, 1.0) == MISSING
    assert fmt_median_iqr(267.0, 246.0, 287.0, 1) == "267.0 [246.0, 287.0]"


def test_percentages_and_fractions():
    assert fmt_percent_ci(0.4375, 0.197534, 0.701223) == "43.8% (19.8, 70.1)"
    assert fmt_percent_ci(0.5, None, None) == "50.0%"
    assert fmt_fraction(7, 16) == "7/16"
    assert fmt_fraction(7, math.nan) == MISSING


def test_listing_cells_as_text():
    frame = pd.DataFrame({"day": pd.array([3, None], dtype="Int64"), "anc": [1.234, 0.5], "term": ["Rash", None]})
    assert fmt_listing(frame, {"anc": 2}).values.tolist() == [["3", "1.23", "Rash"], [MISSING, "0.50", MISSING]]

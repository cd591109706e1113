"""Shift table and proportion improved against R (table(), binom.test; tests/reference) and hand counts."""

import math

import numpy as np
import pytest
from reference_values import assert_row_matches, pairs, reference_rows

from aidheart.stats.ordinal import ordinal_improvement, shift_table

LEVELS = [1, 2, 3, 4]


@pytest.mark.parametrize("ref", reference_rows("shift_table"))
def test_shift_table_matches_r(ref):
    # R: table(factor(x_base, 1:4), factor(x_visit, 1:4))
    frame = shift_table(*pairs(ref["dataset"], ref["visit"]), levels=LEVELS).set_index("term")
    assert_row_matches(frame.loc[ref["term"]], ref)


@pytest.mark.parametrize("ref", reference_rows("ordinal_improvement"))
def test_improvement_matches_r(ref):
    # R: binom.test(sum(x_base - x_visit >= k), n)$conf.int
    classes = int(ref["term"].removeprefix("improved_ge"))
    row = ordinal_improvement(*pairs(ref["dataset"], ref["visit"]), classes=classes).iloc[0]
    assert row["term"] == ref["term"]
    assert_row_matches(row, ref)


def test_hand_counts_and_missing_pairs():
    # pairs (3,2), (3,3), (4,2), (4,4); the (3, NaN) pair is dropped
    frame = shift_table([3, 3, 4, 4, 3], [2, 3, 2, 4, np.nan], levels=LEVELS).set_index("term")
    assert len(frame) == 16 and (frame["n"] == 4).all()
    assert frame["estimate"].sum() == 4
    assert frame.loc["count[baseline=3,visit=2]", "estimate"] == 1
    assert frame.loc["count[baseline=4,visit=2]", "estimate"] == 1
    assert frame.loc["count[baseline=1,visit=1]", "estimate"] == 0
    improved = ordinal_improvement([3, 3, 4, 4], [2, 3, 2, 4]).iloc[0]
    assert (improved["estimate"], improved["n"]) == (0.5, 4)  # (3,2) and (4,2)
    assert (improved["count"], improved["denominator"]) == (2, 4)
    assert ordinal_improvement([3, 3, 4, 4], [2, 3, 2, 4], classes=2).iloc[0]["estimate"] == 0.25
    # higher is better (e.g. a score): improved means visit - baseline >= 1
    assert ordinal_improvement([3, 3, 4, 4], [2, 3, 2, 4], lower_is_better=False).iloc[0]["estimate"] == 0


def test_levels_as_floats_label_like_integers():
    frame = shift_table([3.0], [2.0], levels=[1.0, 2.0, 3.0, 4.0])
    assert "count[baseline=3,visit=2]" in set(frame["term"])


def test_value_outside_levels_is_named():
    with pytest.raises(ValueError, match=r"visit value 5 \(complete pair 2\) is not one of the levels"):
        shift_table([3, 3], [2, 5], levels=LEVELS)


def test_no_pairs():
    row = ordinal_improvement([np.nan], [2]).iloc[0]
    assert row["n"] == 0 and math.isnan(row["estimate"]) and row["note"] == "no trials"

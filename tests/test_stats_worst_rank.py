"""Worst-rank composite against R (own composite + coin::wilcoxsign_test exact; tests/reference) and hand cases."""

import math

import numpy as np
import pandas as pd
import pytest
from reference_values import REFERENCE, assert_row_matches, reference_rows, with_baseline

from aidheart.stats.worst_rank import worst_rank_composite, worst_rank_scores

ORDER = ("death", "lvad", "hf_not_done")


def synth_events():
    """Per subject (baseline order): week16 change (NaN if absent) and the event label."""
    pairs = with_baseline("synth_events", "week16")
    status = pd.read_csv(REFERENCE / "data" / "synth_events_status.csv", dtype=str, keep_default_na=False)
    change = pairs["visit"] - pairs["baseline"]
    return change.to_numpy(), status.set_index("subject")["event"].reindex(pairs.index).to_numpy()


@pytest.mark.parametrize("ref", reference_rows("worst_rank_composite"))
def test_matches_r(ref):
    # R: score = change, or -(max|change| + 4 - k) for the k-th of death, lvad, hf_not_done;
    # coin::wilcoxsign_test(score ~ numeric(n), distribution = "exact", zero.method = "Pratt")
    frame = worst_rank_composite(*synth_events(), event_order=ORDER).set_index("term")
    assert_row_matches(frame.loc[ref["term"]], ref)


def test_hand_case():
    # changes +10, +20, a death and an LVAD: scores 10, 20, -23, -22; |score| ranks 1, 2, 4, 3,
    # V = 1 + 2 = 3, E V = 5. Of the 16 sign patterns of ranks 1-4, V <= 3 for {}, {1}, {2},
    # {3}, {1,2} and by symmetry V >= 7 for five more: p = 10/16.
    change = [10.0, 20.0, np.nan, np.nan]
    event = ["", "", "death", "lvad"]
    scores, counts, left_out = worst_rank_scores(change, event, event_order=ORDER)
    assert scores.tolist() == [10, 20, -23, -22]
    assert counts == {"death": 1, "lvad": 1, "hf_not_done": 0, "observed": 2} and left_out == 0
    row = worst_rank_composite(change, event, event_order=ORDER).iloc[0]
    assert (row["statistic"], row["p_value"], row["n"]) == (3, 0.625, 4)


def test_events_tie_within_a_category_and_withdrawal_is_left_out():
    # two deaths share the top mid-rank 3.5; a withdrawn subject without a value is left out;
    # a zero change keeps rank 1 (Pratt) but no sign
    change = [0.0, 5.0, np.nan, np.nan, np.nan]
    event = ["", "", "death", "death", "withdrew"]
    scores, counts, left_out = worst_rank_scores(change, event, event_order=ORDER)
    assert scores.tolist() == [0, 5, -8, -8] and left_out == 1 and counts["observed"] == 2
    frame = worst_rank_composite(change, event, event_order=ORDER)
    row = frame.iloc[0]
    # V = rank of +5 = 2; non-zero scores 2, 3.5, 3.5 (sum 9, E 4.5): |V' - 4.5| >= 2.5 for
    # V' = 0, 2 and 7, 9 of the 8 patterns (0, 2, 3.5, 3.5, 5.5, 5.5, 7, 9): p = 4/8
    assert (row["statistic"], row["p_value"]) == (2, 0.5)
    assert "1 subject(s) without a value or a ranked event left out" in row["note"]
    assert frame.set_index("term").loc["count[death]", "estimate"] == 2


def test_an_event_outranks_an_observed_value():
    scores, counts, _ = worst_rank_scores([30.0, 12.0], ["", "death"], event_order=ORDER)
    assert scores.tolist() == [30, -33] and counts["observed"] == 1


def test_no_ranked_subject_and_length_mismatch():
    row = worst_rank_composite([np.nan], ["withdrew"], event_order=ORDER).iloc[0]
    assert row["n"] == 0 and math.isnan(row["p_value"]) and row["note"] == "no ranked subjects"
    with pytest.raises(ValueError, match="differ in length"):
        worst_rank_scores([1.0, 2.0], [""], event_order=ORDER)


def test_no_subjects_yet_gives_a_row_saying_so():
    rows = worst_rank_composite([], [], event_order=["death", "lvad"])
    assert rows["term"].tolist() == ["V", "count[death]", "count[lvad]", "count[observed]"]
    assert rows.loc[0, "note"] == "no ranked subjects" and math.isnan(rows.loc[0, "estimate"])
    assert rows["estimate"].iloc[1:].tolist() == [0.0, 0.0, 0.0] and rows["n"].tolist() == [0, 0, 0, 0]

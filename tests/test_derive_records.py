"""Parameter records: 6MWD with its zero-imputed record, logs, CTCAE grade, VISMAINT."""

import math

import pandas as pd
import pytest
from study_model import schedule_of

from aidheart.derive.adlb import derive_param_ancgr
from aidheart.derive.checks import DerivationError
from aidheart.derive.ctcae import compute_ctcae_anc_grade
from aidheart.derive.inotrope import compute_visit_intervals, derive_param_vismaint
from aidheart.derive.records import (
    derive_param_findings,
    derive_param_imputed_zero,
    derive_param_log,
    derive_param_walk,
    source_sequence,
)

SCHEDULE = schedule_of(("baseline_arm_1", "Baseline", 0, 1, 0), ("week_2_arm_1", "Week 2", 2, 15, 3),
                       ("week_4_arm_1", "Week 4", 4, 29, 3))
WEIGHTS = {"Dobutamine": 1, "Milrinone": 10}
REASONS = ["Heart-failure symptoms", "Non-cardiac limitation", "Missed visit", "Other"]


def walks_not_done_for_each_reason():
    return pd.DataFrame({
        "record_id": ["1", "2", "3", "4", "5"], "event": "week_4_arm_1", "walk_day": [29, 30, None, 28, 29],
        "done": ["N", "N", "N", "N", "Y"], "distance_m": [None, None, None, None, 301],
        "not_done_reason": [*REASONS, None],
    })


def test_walk_not_done_keeps_its_reason_and_only_hf_symptoms_scores_zero():
    sixmwd = derive_param_walk(walks_not_done_for_each_reason(), "SIXMWD", "Six-minute walk distance (m)")
    assert sixmwd["AVAL"].isna().tolist() == [True, True, True, True, False]
    assert sixmwd.loc[4, "AVAL"] == 301
    assert sixmwd["REASND"].tolist()[:4] == REASONS and pd.isna(sixmwd.loc[4, "REASND"])
    imputed = derive_param_imputed_zero(sixmwd, "SIXMWD", ("Heart-failure symptoms",))
    assert imputed["record_id"].tolist() == ["1"]
    assert imputed["AVAL"].tolist() == [0.0] and imputed["DTYPE"].tolist() == ["ZERO-IMPUTED"]
    assert imputed["SRCSEQ"].tolist() == [1]  # the walk not done: row 1 of the clean walks table


def test_log_parameter_is_natural_log_and_missing_when_not_positive():
    labs = pd.DataFrame({"record_id": "1", "event": "baseline_arm_1", "lab_day": 1,
                         "param": ["crp", "crp", "crp", "anc"], "value": [math.e, 0.0, None, 3.0]})
    crp = derive_param_findings(labs, {"crp": ("CRP", "CRP (mg/L)")}, day="lab_day", srcdom="labs")
    assert crp["PARAMCD"].tolist() == ["CRP"] * 3 and crp["SRCVAR"].tolist() == ["crp"] * 3
    lcrp = derive_param_log(crp, "CRP", "LCRP", "ln CRP")
    assert lcrp.iloc[0]["AVAL"] == pytest.approx(1.0)
    assert math.isnan(lcrp.iloc[1]["AVAL"]) and lcrp.iloc[1]["REASND"] == "CRP not positive, no logarithm"
    assert math.isnan(lcrp.iloc[2]["AVAL"]) and pd.isna(lcrp.iloc[2]["REASND"])


@pytest.mark.parametrize(("anc", "grade"), [
    (2.0, 0), (1.99, 1), (1.5, 1), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3), (0.49, 4), (0.0, 4),
])
def test_ctcae_anc_grade_boundaries(anc, grade):
    # CTCAE v5 "Neutrophil count decreased": <LLN-1.5, <1.5-1.0, <1.0-0.5, <0.5 (x 10^9/L), LLN 2.0
    assert compute_ctcae_anc_grade(pd.Series([anc]), lln=2.0).iloc[0] == grade


def test_ctcae_grade_of_missing_anc_is_missing_and_records_follow():
    assert pd.isna(compute_ctcae_anc_grade(pd.Series([None], dtype=float), lln=2.0).iloc[0])
    anc = pd.DataFrame({"PARAMCD": "ANC", "PARAM": "ANC", "AVAL": [1.0, 2.5], "REASND": pd.NA})
    grades = derive_param_ancgr(anc, anc_lln=2.0)
    assert grades["PARAMCD"].tolist() == ["ANCGR"] * 2 and grades["AVAL"].tolist() == [2.0, 0.0]


def test_visit_intervals_follow_the_nominal_days():
    intervals = compute_visit_intervals(SCHEDULE)
    assert intervals[["ASTDY", "AENDY"]].values.tolist() == [[1, 1], [2, 15], [16, 29]]


def test_vismaint_is_time_weighted_over_each_interval_and_cut_at_the_end_day():
    # milrinone 0.5 (VIS 5) from day 1, raised to 0.75 (VIS 7.5) on day 10; subject leaves on day 20
    log = pd.DataFrame({"record_id": "1", "instance": [1, 2], "ino_day": [1, 10], "drug": "Milrinone",
                        "dose": [0.5, 0.75], "reason": ["Home dose at start", "Increase for symptoms"]})
    records = derive_param_vismaint(log, pd.Series({"1": 20}), SCHEDULE, WEIGHTS, "VISMAINT", "VIS")
    assert records["event"].tolist() == ["baseline_arm_1", "week_2_arm_1", "week_4_arm_1"]
    assert records["AVAL"].tolist() == pytest.approx([5.0, (8 * 5.0 + 6 * 7.5) / 14, 7.5])
    assert records[["ASTDY", "AENDY"]].values.tolist() == [[1, 1], [2, 15], [16, 20]]
    assert records["SRCDOM"].tolist() == ["inotrope_log"] * 3 and records["SRCSEQ"].isna().all()


def test_vismaint_later_entry_of_a_day_wins_and_a_subject_without_log_is_missing_with_reason():
    log = pd.DataFrame({"record_id": "1", "instance": [1, 2], "ino_day": [1, 1], "drug": "Dobutamine",
                        "dose": [4.0, 5.0], "reason": ["Home dose at start", "Other"]})
    records = derive_param_vismaint(log, pd.Series({"1": 1, "2": 1}), SCHEDULE, WEIGHTS, "VISMAINT", "VIS")
    assert records["record_id"].tolist() == ["1", "2"]
    assert records.loc[0, "AVAL"] == 5.0
    assert math.isnan(records.loc[1, "AVAL"]) and records.loc[1, "REASND"] == "no inotrope log entry in force"


def test_findings_records_trace_each_value_to_its_source_row():
    labs = pd.DataFrame({"record_id": ["1", "1", "2"], "event": "baseline_arm_1", "lab_day": [1, 1, -2],
                         "param": ["anc", "crp", "crp"], "value": [2.5, 4.0, 6.5]})
    crp = derive_param_findings(labs, {"crp": ("CRP", "C-reactive protein (mg/L)")}, day="lab_day", srcdom="labs")
    expected = pd.DataFrame({"record_id": ["1", "2"], "event": "baseline_arm_1", "day": [1, -2],
                             "PARAMCD": "CRP", "PARAM": "C-reactive protein (mg/L)", "AVAL": [4.0, 6.5],
                             "SRCDOM": "labs", "SRCVAR": "crp", "SRCSEQ": [2, 3]})
    pd.testing.assert_frame_equal(crp[list(expected.columns)], expected, check_dtype=False)


def test_source_sequence_needs_the_table_as_read():
    labs = pd.DataFrame({"param": ["anc", "crp"]})
    with pytest.raises(DerivationError, match="SRCSEQ needs its rows as read"):
        source_sequence(labs.iloc[[1]], labs.iloc[[1]])

"""Steady state per dose step and the per-session slopes, on tiny inline sessions."""

import math

import numpy as np
import pandas as pd
import pytest
from study_model import STUDY, adsl_of, schedule_of

from aidheart.derive.adstep import build_adstep
from aidheart.derive.checks import DerivationError
from aidheart.derive.dose_response import derive_param_maintenance, derive_param_slope
from aidheart.derive.queries import derive_queries
from aidheart.derive.vis import compute_vis

SCHEDULE = schedule_of(("baseline_arm_1", "Baseline", 0, 1, 0))
WEIGHTS = {"Dobutamine": 1, "Milrinone": 10}
STEP_S = 900  # 15-minute steps


def session(record_id, drug, doses, *, present="Y", ci=None, valid=None, start=36000):
    """A challenge session: one reading a minute (30 s past the minute) from its first step to its end.

    ``ci(step)`` gives the cardiac index of readings in a step; ``valid(step, t)`` their validity.
    """
    ci = ci or (lambda step: 2.0 + 0.05 * step)
    valid = valid or (lambda step, t: True)
    sessions = pd.DataFrame({"record_id": [record_id], "event": ["baseline_arm_1"], "ch_day": [1],
                             "drug": [drug], "weight_kg": [80.0], "monitor_file": [f"{record_id}_baseline_arm_1.csv"],
                             "monitor_file_present": [present], "session_start_clock_s": [start - 120]})
    steps = pd.DataFrame({"record_id": record_id, "event": "baseline_arm_1", "step": range(1, len(doses) + 1),
                          "drug": drug, "dose": doses,
                          "start_clock_s": [start + STEP_S * k for k in range(len(doses))],
                          "end_clock_s": [start + STEP_S * (k + 1) for k in range(len(doses))]})
    times = np.arange(start + 30, start + STEP_S * len(doses), 60)
    step_of = (times - start) // STEP_S
    readings = pd.DataFrame({"record_id": record_id, "event": "baseline_arm_1", "clock_s": times,
                             "ci": [ci(int(k)) for k in step_of], "hr": [80 + 2 * int(k) for k in step_of],
                             "valid": ["Y" if valid(int(k), t) else "N" for k, t in zip(step_of, times)]})
    if present != "Y":
        readings = readings.iloc[0:0]
    return sessions, steps, readings


def adstep_of(*parts):
    """ADSTEP of the sessions, with the session keys the slopes are derived by (``record_id``, ``event``)."""
    sessions, steps, readings = (pd.concat(frames, ignore_index=True) for frames in zip(*parts))
    adsl = adsl_of(*sessions["record_id"].astype(str))
    adstep = build_adstep(sessions, steps, readings, adsl, schedule=SCHEDULE, vis_weights=WEIGHTS,
                          steady_state_minutes=5, min_valid_readings=3)
    return adstep.assign(record_id=adstep["SUBJID"], event="baseline_arm_1")


def test_vis_weights_milrinone_ten_times_dobutamine():
    vis = compute_vis(pd.Series([5.0, 0.5, None]), pd.Series(["Dobutamine", "Milrinone", "Milrinone"]), WEIGHTS)
    assert vis.iloc[0] == 5.0 and vis.iloc[1] == 5.0 and math.isnan(vis.iloc[2])


def test_steady_state_is_the_median_of_valid_readings_in_the_last_5_minutes():
    # step 1 readings: the last 5 minutes of [0, 900) hold 630, 690, 750, 810, 870 s;
    # values there 2.0, 2.2, 9.9 (invalid), 2.1, 2.3 -> median of the valid 2.0, 2.2, 2.1, 2.3 = 2.15
    values = {630: 2.0, 690: 2.2, 750: 9.9, 810: 2.1, 870: 2.3}
    sessions, steps, readings = session("1", "Dobutamine", [2.5, 5.0])
    readings = readings.assign(ci=[values.get(t - 36000, 1.0) if t < 36900 else 3.0 for t in readings["clock_s"]],
                               valid=["N" if t - 36000 == 750 else "Y" for t in readings["clock_s"]])
    adstep = adstep_of((sessions, steps, readings))
    first = adstep.iloc[0]
    assert (first["WREADN"], first["WVALIDN"]) == (5, 4)
    assert first["CISS"] == pytest.approx(2.15)
    assert first["USABLFL"] == "Y"


def test_milrinone_session_slope_is_per_vis_unit():
    # milrinone 0.25 -> 0.375 -> 0.5 mcg/kg/min = VIS 2.5, 3.75, 5; CI rises 0.05 per step
    adstep = adstep_of(session("1", "Milrinone", [0.25, 0.375, 0.5]))
    assert adstep["VIS"].tolist() == pytest.approx([2.5, 3.75, 5.0])
    inosens = derive_param_slope(adstep, "CISS", "INOSENS", "x")
    assert inosens.loc[0, "AVAL"] == pytest.approx(0.05 / 1.25)
    hrslope = derive_param_slope(adstep, "HRSS", "HRSLOPE", "x")
    assert hrslope.loc[0, "AVAL"] == pytest.approx(2 / 1.25)


def test_session_with_one_usable_step_is_missing_with_reason():
    # step 2's last 5 minutes hold readings 1530, 1590, 1650, 1710, 1770 s after the start: 2 valid
    kept = {36000 + 1530, 36000 + 1650}
    adstep = adstep_of(session("1", "Dobutamine", [2.5, 5.0], valid=lambda step, t: step == 0 or t in kept))
    assert adstep["USABLFL"].tolist() == ["Y", "N"]
    assert adstep.loc[1, "REASND"] == "2 valid reading(s) in the last 5 min, fewer than 3"
    inosens = derive_param_slope(adstep, "CISS", "INOSENS", "x")
    assert math.isnan(inosens.loc[0, "AVAL"])
    assert inosens.loc[0, "REASND"] == ("1 usable step(s) at distinct doses, fewer than 2 "
                                        "(step 2: 2 valid reading(s) in the last 5 min, fewer than 3)")
    # the maintenance dose (step 1) is still measured
    assert derive_param_maintenance(adstep, "CISS", "CIMAINT", "x").loc[0, "AVAL"] == pytest.approx(2.0)


def test_single_dose_step_session_and_missing_monitor_file():
    adstep = adstep_of(session("1", "Dobutamine", [2.5]), session("2", "Dobutamine", [2.5, 5.0], present="N"))
    inosens = derive_param_slope(adstep, "CISS", "INOSENS", "x")
    assert inosens["REASND"].tolist() == ["1 dose step(s) at distinct doses performed, fewer than 2",
                                          "monitor file 2_baseline_arm_1.csv missing"]
    assert adstep.loc[adstep["SUBJID"] == "2", "REASND"].tolist() == ["monitor file missing"] * 2


def test_step_with_missing_dose_is_left_out_of_the_slope():
    adstep = adstep_of(session("1", "Dobutamine", [2.5, None, 7.5], ci=lambda step: 2.0 + 0.1 * step))
    assert adstep.loc[1, "REASND"] == "dose or drug missing"
    inosens = derive_param_slope(adstep, "CISS", "INOSENS", "x")
    assert inosens.loc[0, "AVAL"] == pytest.approx(0.2 / 5.0)
    assert (inosens.loc[0, "SRCDOM"], inosens.loc[0, "SRCVAR"]) == ("ADSTEP", "CISS")
    assert pd.isna(inosens.loc[0, "SRCSEQ"])  # from several steps: no single source row


def test_adstep_record_of_each_step_and_of_a_session_without_steps():
    sessions, steps, readings = session("1", "Dobutamine", [2.5, 5.0])
    empty = session("2", "Dobutamine", [])[0].assign(monitor_file_present="N")
    adstep = build_adstep(pd.concat([sessions, empty], ignore_index=True), steps, readings, adsl_of("1", "2"),
                          schedule=SCHEDULE, vis_weights=WEIGHTS, steady_state_minutes=5, min_valid_readings=3)
    expected = pd.DataFrame({
        "USUBJID": ["AIDHEART-1", "AIDHEART-1", "AIDHEART-2"], "AVISIT": "Baseline", "STEP": [1, 2, None],
        "VIS": [2.5, 5.0, None], "ASTTM": [36000, 36900, None], "AENTM": [36900, 37800, None],
        "WSTTM": [36600, 37500, None], "WENTM": [36900, 37800, None], "WREADN": [5, 5, 0], "WVALIDN": [5, 5, 0],
        "USABLFL": ["Y", "Y", "N"], "REASND": [None, None, "monitor file missing"],
        "MONFILE": ["1_baseline_arm_1.csv", "1_baseline_arm_1.csv", "2_baseline_arm_1.csv"],
        "SRCDOM": ["challenge_steps", "challenge_steps", "challenge_sessions"], "SRCSEQ": [1, 2, 2],
    }).astype({"STEP": "Int64", "ASTTM": "Int64", "AENTM": "Int64", "WSTTM": "Int64", "WENTM": "Int64",
               "SRCSEQ": "Int64", "REASND": "string"})
    got = adstep[list(expected.columns)].astype({"REASND": "string", "AVISIT": object})
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_queries_name_each_unusable_step_and_session():
    adstep = adstep_of(session("1", "Dobutamine", [2.5]), session("2", "Dobutamine", [2.5, 5.0], present="N"))
    inosens = derive_param_slope(adstep, "CISS", "INOSENS", "x")
    adeff = inosens.assign(PARAMCD="INOSENS", SUBJID=inosens["record_id"], AVISIT="Baseline")
    queries = derive_queries(adstep, adeff, SCHEDULE, "INOSENS")
    assert queries["rule"].tolist() == ["challenge_step_not_usable"] * 2 + ["inosens_not_derived"] * 2
    assert queries["field"].tolist() == ["step_1", "step_2", "INOSENS", "INOSENS"]
    assert queries["message"].iloc[3] == "INOSENS not derived: monitor file 2_baseline_arm_1.csv missing"


def test_a_step_entered_twice_stops_the_derivation_naming_it():
    sessions, steps, readings = session("7", "Dobutamine", [2.5, 5.0])
    with pytest.raises(DerivationError, match="challenge_steps .* record_id=7, event=baseline_arm_1, step=2"):
        adstep_of((sessions, pd.concat([steps, steps.iloc[[1]]]), readings))


def test_a_missing_column_is_named():
    sessions, steps, readings = session("7", "Dobutamine", [2.5, 5.0])
    with pytest.raises(DerivationError, match="monitor_readings lacks column.s. valid"):
        adstep_of((sessions, steps, readings.drop(columns="valid")))


def test_derive_queries_of_a_study_with_no_sessions_yet_is_empty():
    """At an early cut-off there are no steps and no sessions: an empty listing, not an error."""
    import pandas as pd

    from aidheart.derive.queries import derive_queries
    from aidheart.ingest.queries import QUERY_COLUMNS

    adstep = pd.DataFrame({column: pd.Series([], dtype=float)
                           for column in ("USABLFL", "SUBJID", "AVISIT", "STEP", "WVALIDN", "REASND")})
    adeff = pd.DataFrame({column: pd.Series([], dtype=float)
                          for column in ("PARAMCD", "AVAL", "SUBJID", "AVISIT", "REASND")})
    queries = derive_queries(adstep, adeff, STUDY.schedule, STUDY.primary_endpoint.paramcd)
    assert queries.empty and list(queries.columns) == list(QUERY_COLUMNS)

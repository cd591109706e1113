"""ADSTEP: one record per inotrope-challenge dose step, with its steady state.

The report draws the per-subject dose-response panels from it, and
:mod:`aidheart.derive.dose_response` fits the per-session slopes on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from aidheart.derive.checks import assert_has_columns, assert_unique_keys
from aidheart.derive.identifiers import derive_vars_usubjid
from aidheart.derive.steady_state import (
    SESSION_KEYS,
    STEP_KEYS,
    derive_vars_steady_state,
    derive_vars_step_window,
    derive_vars_usable,
)
from aidheart.derive.visits import derive_vars_avisit
from aidheart.derive.vis import compute_vis

#: Session columns carried onto each step (clean challenge_sessions).
SESSION_COLUMNS = ["ch_day", "monitor_file", "monitor_file_present"]

COLUMNS = [
    "STUDYID", "USUBJID", "record_id", "event", "AVISIT", "AVISITN", "ADY", "STEP", "DRUG", "DOSE", "VIS",
    "STARTS", "ENDS", "WINSTART", "WINEND", "NREAD", "NVALID", "CISS", "HRSS", "USABLFL", "REASON",
    "monitor_file", "monitor_file_present", "SRCDOM", "SRCKEY",
]


def build_adstep(sessions: pd.DataFrame, steps: pd.DataFrame, readings: pd.DataFrame, *, study_id: str,
                 visits: Sequence[dict], vis_weights: Mapping[str, float], steady_state_minutes: float,
                 min_valid_readings: int) -> pd.DataFrame:
    """Per-step steady-state table of every challenge session.

    Parameters
    ----------
    sessions, steps, readings : DataFrame
        Clean ``challenge_sessions``, ``challenge_steps`` and ``monitor_readings``.
    study_id : str
        Config ``study.study_id``.
    visits : list of dict
        Config ``visits``.
    vis_weights : mapping
        Config ``vis_weights``.
    steady_state_minutes, min_valid_readings
        Config ``challenge`` keys.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: ``VIS = DOSE * weight[DRUG]``; ``[WINSTART, WINEND)``
        the last ``steady_state_minutes`` of the step; ``NREAD``/``NVALID`` the
        readings/valid readings there; ``CISS``/``HRSS`` their medians;
        ``USABLFL`` and the ``REASON`` of an unusable step. A session with no
        step rows keeps one record with ``STEP`` missing and its reason.
    """
    assert_has_columns(sessions, [*SESSION_KEYS, *SESSION_COLUMNS], "challenge_sessions")
    assert_has_columns(steps, [*STEP_KEYS, "drug", "dose", "start_clock_s", "end_clock_s"], "challenge_steps")
    assert_has_columns(readings, [*SESSION_KEYS, "clock_s", "ci", "hr", "valid"], "monitor_readings")
    assert_unique_keys(sessions, SESSION_KEYS, "challenge_sessions")
    assert_unique_keys(steps, STEP_KEYS, "challenge_steps")
    data = sessions[[*SESSION_KEYS, *SESSION_COLUMNS]].merge(steps, on=SESSION_KEYS, how="left")
    data = data.assign(VIS=compute_vis(data["dose"], data["drug"], vis_weights))
    data = derive_vars_step_window(data, steady_state_minutes)
    data = derive_vars_steady_state(data, readings)
    data = derive_vars_usable(data, min_valid_readings, steady_state_minutes)
    data = derive_vars_avisit(data, visits)
    data = derive_vars_usubjid(data, study_id)
    data = data.assign(
        ADY=data["ch_day"].astype("Int64"), STEP=data["step"].astype("Int64"), DRUG=data["drug"],
        DOSE=data["dose"].astype(float), STARTS=data["start_clock_s"].astype("Int64"),
        ENDS=data["end_clock_s"].astype("Int64"), SRCDOM="challenge_steps;monitor_readings",
        SRCKEY="event=" + data["event"] + ";step=" + data["step"].astype("Int64").astype("string").fillna(""),
    )
    return data[COLUMNS]

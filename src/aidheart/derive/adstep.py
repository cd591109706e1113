"""ADSTEP: one record per inotrope-challenge dose step, with its steady state.

The report draws the per-subject dose-response panels from it, and
:mod:`aidheart.derive.dose_response` fits the per-session slopes on it. Step times
are seconds after midnight (the clock of the monitor), as ADaM's ``--TM`` variables.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aidheart.derive.checks import assert_has_columns, assert_unique_keys
from aidheart.derive.identifiers import derive_vars_merged_adsl
from aidheart.derive.records import source_sequence
from aidheart.derive.steady_state import (
    SESSION_KEYS,
    STEP_KEYS,
    derive_vars_steady_state,
    derive_vars_step_window,
    derive_vars_usable,
)
from aidheart.derive.variables import ADSTEP
from aidheart.derive.visits import derive_vars_avisit
from aidheart.derive.vis import compute_vis
from aidheart.study import Schedule

#: Session columns carried onto each step (clean challenge_sessions) -> ADSTEP name.
SESSION_VARS = {"ch_day": "ch_day", "monitor_file": "MONFILE", "monitor_file_present": "MONFILFL"}


def build_adstep(sessions: pd.DataFrame, steps: pd.DataFrame, readings: pd.DataFrame, adsl: pd.DataFrame, *,
                 schedule: Schedule, vis_weights: Mapping[str, float], steady_state_minutes: float,
                 min_valid_readings: int) -> pd.DataFrame:
    """Per-step steady-state table of every challenge session.

    Parameters
    ----------
    sessions, steps, readings : DataFrame
        Clean ``challenge_sessions``, ``challenge_steps`` and ``monitor_readings``, rows as read.
    adsl : DataFrame
        ADSL (identifiers and ``TRT01A``).
    schedule : Schedule
        The visits (``AVISIT`` of each session's event).
    vis_weights : mapping
        Config ``vis_weights``.
    steady_state_minutes, min_valid_readings
        Config ``challenge`` keys.

    Returns
    -------
    DataFrame
        :data:`aidheart.derive.variables.ADSTEP`: ``VIS = DOSE * weight[DRUG]``;
        ``ASTTM``/``AENTM`` the step's start and end (seconds after midnight);
        ``[WSTTM, WENTM)`` its last ``steady_state_minutes``; ``WREADN``/``WVALIDN`` the
        readings/valid readings there; ``CISS``/``HRSS`` their medians; ``USABLFL`` and
        the ``REASND`` of an unusable step; ``MONFILE``/``MONFILFL`` the session's
        monitor file and whether it was found. ``SRCDOM``/``SRCSEQ``: the step's row
        of ``challenge_steps``; a session with no step rows keeps one record with
        ``STEP`` missing, its reason, and its row of ``challenge_sessions``.
    """
    assert_has_columns(sessions, [*SESSION_KEYS, *SESSION_VARS], "challenge_sessions")
    assert_has_columns(steps, [*STEP_KEYS, "drug", "dose", "start_clock_s", "end_clock_s"], "challenge_steps")
    assert_has_columns(readings, [*SESSION_KEYS, "clock_s", "ci", "hr", "valid"], "monitor_readings")
    assert_unique_keys(sessions, SESSION_KEYS, "challenge_sessions")
    assert_unique_keys(steps, STEP_KEYS, "challenge_steps")
    session_rows = sessions[[*SESSION_KEYS, *SESSION_VARS]].rename(columns=SESSION_VARS).assign(
        _session_seq=source_sequence(sessions, sessions))
    data = session_rows.merge(steps.assign(_step_seq=source_sequence(steps, steps)), on=SESSION_KEYS, how="left")
    data = data.assign(VIS=compute_vis(data["dose"], data["drug"], vis_weights))
    data = derive_vars_step_window(data, steady_state_minutes)
    data = derive_vars_steady_state(data, readings)
    data = derive_vars_usable(data, min_valid_readings, steady_state_minutes)
    data = derive_vars_avisit(data, schedule)
    data = derive_vars_merged_adsl(data, adsl, new_vars={"TRTA": "TRT01A"})
    has_step = data["_step_seq"].notna()
    data = data.assign(
        ADY=data["ch_day"].astype("Int64"), STEP=data["step"].astype("Int64"), DRUG=data["drug"],
        DOSE=data["dose"].astype(float), ASTTM=data["start_clock_s"].astype("Int64"),
        AENTM=data["end_clock_s"].astype("Int64"),
        SRCDOM=pd.Series(np.where(has_step, "challenge_steps", "challenge_sessions"), index=data.index),
        SRCSEQ=data["_step_seq"].astype("Int64").where(has_step, data["_session_seq"].astype("Int64")),
    )
    return data[list(ADSTEP)]

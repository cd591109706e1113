"""Steady-state cardiac index and heart rate of each inotrope-challenge dose step.

A step runs from its start to the next step's start (the last step to the end of
the session): ``[start_clock_s, end_clock_s)`` in seconds after midnight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SESSION_KEYS = ["record_id", "event"]
STEP_KEYS = [*SESSION_KEYS, "step"]


def derive_vars_step_window(steps: pd.DataFrame, steady_state_minutes: float) -> pd.DataFrame:
    """Add the steady-state window ``[WSTTM, WENTM)`` of each step (seconds after midnight).

    ``WENTM`` is the step's end and ``WSTTM = max(start, end - 60 * steady_state_minutes)``
    rounded up to a whole second (clock times are whole seconds, so no reading moves
    in or out); both missing when the step's start or end is missing.
    """
    start = steps["start_clock_s"].astype(float)
    end = steps["end_clock_s"].astype(float)
    window_start = np.ceil(np.fmax(start, end - 60.0 * steady_state_minutes)).where(start.notna() & end.notna())
    return steps.assign(WSTTM=window_start.astype("Int64"), WENTM=end.where(start.notna()).astype("Int64"))


def derive_vars_steady_state(steps: pd.DataFrame, readings: pd.DataFrame) -> pd.DataFrame:
    """Add the readings of each step's window: ``WREADN``, ``WVALIDN``, ``CISS``, ``HRSS``.

    Parameters
    ----------
    steps : DataFrame
        With ``record_id``, ``event``, ``step``, ``WSTTM``, ``WENTM``.
    readings : DataFrame
        Clean ``monitor_readings`` (``record_id``, ``event``, ``clock_s``, ``ci``,
        ``hr``, ``valid``).

    Returns
    -------
    DataFrame
        ``steps`` with ``WREADN`` (readings with ``WSTTM <= clock_s < WENTM``),
        ``WVALIDN`` (those with ``valid == "Y"``), and ``CISS``/``HRSS``, the medians of
        the valid readings' cardiac index (L/min/m^2) and heart rate (bpm);
        missing when the window has no valid reading.

    Notes
    -----
    Validity (signal quality and physiological ranges) is decided by the
    cleaning step from the config ``challenge`` thresholds; here it is read.
    """
    windows = steps[[*STEP_KEYS, "WSTTM", "WENTM"]].dropna(subset=["WSTTM", "WENTM"])
    joined = windows.merge(readings[[*SESSION_KEYS, "clock_s", "ci", "hr", "valid"]], on=SESSION_KEYS)
    inside = joined[(joined["clock_s"] >= joined["WSTTM"]) & (joined["clock_s"] < joined["WENTM"])]
    valid = inside[inside["valid"] == "Y"]
    counts = inside.groupby(STEP_KEYS).size().rename("WREADN")
    summary = valid.groupby(STEP_KEYS).agg(WVALIDN=("ci", "size"), CISS=("ci", "median"), HRSS=("hr", "median"))
    merged = steps[STEP_KEYS].merge(counts.reset_index(), on=STEP_KEYS, how="left").merge(
        summary.reset_index(), on=STEP_KEYS, how="left")
    return steps.assign(
        WREADN=merged["WREADN"].fillna(0).astype(int).to_numpy(),
        WVALIDN=merged["WVALIDN"].fillna(0).astype(int).to_numpy(),
        CISS=merged["CISS"].astype(float).to_numpy(),
        HRSS=merged["HRSS"].astype(float).to_numpy(),
    )


def derive_vars_usable(steps: pd.DataFrame, min_valid_readings: int, steady_state_minutes: float) -> pd.DataFrame:
    """Add ``USABLFL`` (``"Y"``/``"N"``) and, for unusable steps, ``REASND``.

    Notes
    -----
    A step is usable when its monitor file is present, its dose (and so VIS),
    start and end are known, and its window holds at least ``min_valid_readings``
    valid readings. The reason of an unusable step is the first failing rule in
    that order; the steady-state values of an unusable step are set missing.
    """
    file_missing = steps["MONFILFL"] != "Y"
    no_step = steps["step"].isna()
    no_dose = steps["VIS"].isna()
    no_times = steps["WSTTM"].isna() | steps["WENTM"].isna()
    few = steps["WVALIDN"] < min_valid_readings
    few_text = (steps["WVALIDN"].astype(str) + f" valid reading(s) in the last {steady_state_minutes:g} min,"
                f" fewer than {min_valid_readings}")
    reason = pd.Series(pd.NA, index=steps.index, dtype="string")
    for condition, text in reversed([
        (file_missing, "monitor file missing"),
        (no_step, "no dose steps recorded"),
        (no_dose, "dose or drug missing"),
        (no_times, "step start or end time missing"),
        (few, few_text),
    ]):
        reason = reason.mask(condition.fillna(True).to_numpy(dtype=bool), text)
    usable = reason.isna()
    return steps.assign(
        USABLFL=np.where(usable, "Y", "N"),
        CISS=steps["CISS"].where(usable),
        HRSS=steps["HRSS"].where(usable),
        REASND=reason,
    )

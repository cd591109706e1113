"""Maintenance inotrope dose per visit interval (VISMAINT) from the inotrope dose log."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aidheart.derive.records import RECORD_COLUMNS
from aidheart.derive.vis import compute_vis
from aidheart.study import Schedule


def compute_visit_intervals(schedule: Schedule) -> pd.DataFrame:
    """Day interval of each visit: ``event``, ``ASTDY``, ``AENDY``.

    The baseline visit's interval is its own nominal day; each later visit's runs
    from the day after the previous visit's nominal day to its own nominal day.
    """
    days = [visit.day for visit in schedule.visits]
    return pd.DataFrame({"event": [visit.event for visit in schedule.visits],
                         "ASTDY": days[:1] + [day + 1 for day in days[:-1]], "AENDY": days})


def _subject_intervals(end_days: pd.Series, schedule: Schedule) -> pd.DataFrame:
    """One row per subject and visit interval starting on or before the subject's end day, cut there."""
    intervals = compute_visit_intervals(schedule)
    ends = end_days.dropna().rename_axis("record_id").rename("end_day").reset_index()
    rows = ends.merge(intervals, how="cross")
    rows = rows[rows["ASTDY"] <= rows["end_day"]]
    return rows.assign(AENDY=np.minimum(rows["AENDY"], rows["end_day"]).astype(int)).reset_index(drop=True)


def _days(intervals: pd.DataFrame) -> pd.DataFrame:
    """One row per study day of each interval (day 0 does not exist); ``row`` points at the interval."""
    lengths = (intervals["AENDY"] - intervals["ASTDY"] + 1).to_numpy()
    row = np.repeat(np.arange(len(intervals)), lengths)
    offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = pd.DataFrame({"row": row, "record_id": intervals["record_id"].to_numpy()[row],
                         "day": intervals["ASTDY"].to_numpy()[row] + offset}).astype({"record_id": "string"})
    return days[days["day"] != 0]


def derive_param_vismaint(inotrope_log: pd.DataFrame, end_days: pd.Series, schedule: Schedule,
                          vis_weights: Mapping[str, float], paramcd: str, param: str) -> pd.DataFrame:
    """Time-weighted mean VIS of the maintenance inotrope over each visit interval.

    Parameters
    ----------
    inotrope_log : DataFrame
        Clean ``inotrope_log`` (``record_id``, ``instance``, ``ino_day``, ``drug``, ``dose``).
    end_days : Series
        Last study day on study per ``record_id`` (index); intervals are cut there.
    schedule : Schedule
        The visits whose intervals are summarised.
    vis_weights : mapping
        Config ``vis_weights``.

    Returns
    -------
    DataFrame
        :data:`~aidheart.derive.records.RECORD_COLUMNS` plus ``ASTDY``/``AENDY``;
        ``day`` is the interval's last day; ``SRCSEQ`` is missing (the value comes from
        every log entry in force in the interval); subjects in ``end_days`` order,
        visits in schedule order.

    Notes
    -----
    A log entry is in force from its day until the next entry (of two entries on
    one day, the later instance). For visit *k* the interval is ``(nominal day of
    visit k-1, nominal day of visit k]`` (baseline: day 1), cut at the subject's
    end day; ``AVAL = sum of daily VIS / number of days`` over the days with an
    entry in force (study day 0 does not exist). Intervals starting after the end
    day give no record; an interval with no entry in force has ``AVAL`` missing
    and a ``REASND``. Entries with a missing day or VIS are not used.
    """
    log = inotrope_log.assign(VIS=compute_vis(inotrope_log["dose"], inotrope_log["drug"], vis_weights))
    log = log.dropna(subset=["ino_day", "VIS"]).astype({"record_id": "string", "ino_day": "int64"})
    log = log.sort_values(["ino_day", "instance"], kind="mergesort")[["record_id", "ino_day", "instance", "VIS"]]
    intervals = _subject_intervals(end_days, schedule)
    days = _days(intervals).sort_values("day", kind="mergesort")
    in_force = pd.merge_asof(days, log, left_on="day", right_on="ino_day", by="record_id",
                             direction="backward").dropna(subset=["VIS"])
    found = intervals.join(in_force.groupby("row")["VIS"].mean().rename("AVAL"))
    frame = pd.DataFrame({
        "record_id": found["record_id"], "event": found["event"], "day": found["AENDY"], "PARAMCD": paramcd,
        "PARAM": param, "AVAL": found["AVAL"], "DTYPE": pd.NA,
        "REASND": pd.Series(pd.NA, index=found.index, dtype="string").where(
            found["AVAL"].notna(), "no inotrope log entry in force"),
        "SRCDOM": "inotrope_log", "SRCVAR": "dose", "SRCSEQ": pd.NA,
        "ASTDY": found["ASTDY"], "AENDY": found["AENDY"],
    })
    return frame[[*RECORD_COLUMNS, "ASTDY", "AENDY"]].astype(
        {"AVAL": float, "DTYPE": "string", "REASND": "string", "SRCSEQ": "Int64", "ASTDY": "Int64", "AENDY": "Int64"})

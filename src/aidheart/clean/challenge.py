"""Inotrope challenge tables (the checks joining the CRF with the monitor files: :mod:`.monitor_files`).

Rules
-----
- Sessions: one row per challenge form; the monitor file is matched by its
  session key (:func:`aidheart.clean.monitor_files.session_key`);
  ``monitor_file_excluded`` says why a file that is present is not used (its
  readings are not in the readings table), empty otherwise.
- Steps: step k has a dose or a start; it ends where the next step starts, the
  last at ``ch_end``. Clock times are seconds after midnight.
"""

from __future__ import annotations

import pandas as pd

from aidheart.clean.decode import labels
from aidheart.clean.monitor_files import EXCLUSION_TEXT, session_key
from aidheart.clean.reference import day_column
from aidheart.clean.studyday import clock_seconds

N_STEPS = 4


def sessions(rows: pd.DataFrame, dictionary, reference, monitor_sessions: pd.DataFrame) -> pd.DataFrame:
    """One row per challenge form; facts of the monitor file used for the session joined by its key.

    ``monitor_sessions`` has the monitor job's session columns and ``excluded``, the rule that
    excluded the file (empty when its readings are used).
    """
    files = rows["ch_monitor_file"] if "ch_monitor_file" in rows else pd.Series("", index=rows.index)
    by_key = monitor_sessions.set_index(monitor_sessions["monitor_file"].map(session_key))
    starts = by_key["start_clock_s"]
    keys = files.map(session_key)
    present = keys.isin(set(starts.index)) & files.ne("")
    excluded = keys.map(by_key["excluded"].map(lambda rule: EXCLUSION_TEXT.get(rule, rule))).fillna("")
    return pd.DataFrame({
        "record_id": rows["record_id"],
        "event": rows["redcap_event_name"],
        "ch_day": day_column(rows, "ch_date", reference),
        "drug": labels(rows["ch_drug"], dictionary.loc["ch_drug", "choices"]),
        "weight_kg": rows["ch_weight"],
        "monitor_file": files,
        "monitor_file_present": present.map({True: "Y", False: "N"}).astype(str),
        "monitor_file_excluded": excluded.where(present, "").astype(str),
        "session_start_clock_s": pd.to_numeric(keys.map(starts), errors="coerce").astype("Int64"),
    })


def steps(rows: pd.DataFrame, dictionary) -> pd.DataFrame:
    """One row per dose step recorded on a challenge form."""
    drug = labels(rows["ch_drug"], dictionary.loc["ch_drug", "choices"])
    starts = [clock_seconds(rows[f"ch_start_{k}"]) for k in range(1, N_STEPS + 1)]
    end = clock_seconds(rows["ch_end"])
    parts = []
    for k in range(1, N_STEPS + 1):
        has = rows[f"ch_dose_{k}"].ne("") | rows[f"ch_start_{k}"].ne("")
        step_end = end
        for later in reversed(range(k, N_STEPS)):  # the nearest later step with a start wins
            step_end = starts[later].combine_first(step_end)
        parts.append(pd.DataFrame({"record_id": rows["record_id"], "event": rows["redcap_event_name"], "step": k,
                                   "drug": drug, "dose": rows[f"ch_dose_{k}"], "start_clock_s": starts[k - 1],
                                   "end_clock_s": step_end, "_row": rows.index})[has])
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["_row", "step"], kind="stable").drop(columns="_row").reset_index(drop=True)

"""Inotrope challenge tables and the checks that join the CRF with the monitor files.

Rules
-----
- ``missing_monitor_file`` (error): the CRF names a file that is not in
  ``monitor/`` (``monitor_file_present = N``; the name itself is kept).
- ``monitor_unknown_subject`` (error): a monitor file for a record that is not in
  the export (or excluded); its readings are not used.
- ``monitor_unknown_event`` (error): a file named for an event that is not a
  challenge visit of the project; readings not used.
- ``monitor_file_not_in_crf`` (warning): a file no challenge form names; its
  readings are kept.
- ``monitor_start_mismatch`` (warning): the session start is not on the
  challenge date, or not within the configured tolerance before step 1.
- Steps: step k has a dose or a start; it ends where the next step starts, the
  last at ``ch_end``. Clock times are seconds after midnight.
"""

from __future__ import annotations

import pandas as pd

from aidheart import formats as F
from aidheart.clean.decode import labels
from aidheart.clean.reference import day_column
from aidheart.clean.studyday import clock_seconds
from aidheart.ingest.queries import ERROR, WARNING, query
from aidheart.ingest.redcap import LINE

N_STEPS = 4


def sessions(rows: pd.DataFrame, dictionary, reference, monitor_sessions: pd.DataFrame) -> pd.DataFrame:
    """One row per challenge form; monitor facts joined by file name."""
    files = rows["ch_monitor_file"] if "ch_monitor_file" in rows else pd.Series("", index=rows.index)
    starts = monitor_sessions.set_index("monitor_file")["start_clock_s"]
    present = files.isin(set(monitor_sessions["monitor_file"]))
    return pd.DataFrame({
        "record_id": rows["record_id"],
        "event": rows["redcap_event_name"],
        "ch_day": day_column(rows, "ch_date", reference),
        "drug": labels(rows["ch_drug"], dictionary.loc["ch_drug", "choices"]),
        "weight_kg": rows["ch_weight"],
        "monitor_file": files,
        "monitor_file_present": present.map({True: "Y", False: "N"}).astype(str),
        "session_start_clock_s": pd.to_numeric(files.map(starts), errors="coerce").astype("Int64"),
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


def _file_query(session: pd.Series, rule: str, severity: str, message: str) -> dict:
    return query(rule, severity, message, record_id=session["record_id"], event=session["event"], form="monitor",
                 field=session["monitor_file"], value=session["monitor_file"],
                 source=f"monitor/{session['monitor_file']}:1")


def check_monitor_files(crf: pd.DataFrame, monitor_sessions: pd.DataFrame, records: set[str],
                        excluded_crf: dict[str, str], tolerance_min: float, source: str,
                        challenge_events: set[str]) -> tuple[list, dict]:
    """CRF against monitor files; returns (queries, excluded file -> reason).

    ``crf`` holds the kept challenge rows (masked); ``excluded_crf`` maps file
    names of challenge forms excluded for a reason (e.g. after the cut-off) to it;
    ``challenge_events`` are the events the challenge form is designated to.
    """
    queries, excluded = [], {}
    named = dict(zip(crf["ch_monitor_file"], crf.index)) if "ch_monitor_file" in crf else {}
    on_disk = set(monitor_sessions["monitor_file"])
    for file_name, index in sorted(named.items()):
        if file_name and file_name not in on_disk:
            row = crf.loc[index]
            queries.append(query("missing_monitor_file", ERROR, f"the CRF names {file_name} but monitor/ has no such "
                                 "file; the session cannot be analysed", record_id=row["record_id"],
                                 event=row["redcap_event_name"], form=F.FORM_CHALLENGE, field="ch_monitor_file",
                                 value=file_name, source=f"{source}:{row[LINE]}"))
    starts = _start_problems(monitor_sessions, crf, named, tolerance_min)
    for _, session in monitor_sessions.iterrows():
        name = session["monitor_file"]
        if name in excluded_crf:
            excluded[name] = excluded_crf[name]
        elif session["record_id"] not in records:
            queries.append(_file_query(session, "monitor_unknown_subject", ERROR,
                                       f"record {session['record_id']} is not in the export; readings not used"))
            excluded[name] = "monitor_unknown_subject"
        elif session["event"] not in challenge_events:
            queries.append(_file_query(session, "monitor_unknown_event", ERROR,
                                       f"event {session['event']} has no inotrope challenge; readings not used"))
            excluded[name] = "monitor_unknown_event"
        elif name not in named:
            queries.append(_file_query(session, "monitor_file_not_in_crf", WARNING,
                                       "no challenge form names this file; readings kept under the file name"))
        elif name in starts:
            queries.append(_file_query(session, "monitor_start_mismatch", WARNING, starts[name]))
    return queries, excluded


def _start_problems(monitor_sessions: pd.DataFrame, crf: pd.DataFrame, named: dict, tolerance_min: float) -> dict:
    """File -> message for sessions not starting on the challenge date within the tolerance before step 1."""
    sessions = monitor_sessions[monitor_sessions["monitor_file"].isin(set(named))]
    rows = crf.loc[[named[name] for name in sessions["monitor_file"]]]
    start = pd.to_numeric(sessions["start_clock_s"], errors="coerce").to_numpy()
    step1 = clock_seconds(rows["ch_start_1"]).to_numpy(dtype="float", na_value=float("nan"))
    same_day = sessions["start_date"].to_numpy() == rows["ch_date"].to_numpy()
    dated = (sessions["start_date"].to_numpy() != "") & (rows["ch_date"].to_numpy() != "")
    lead = step1 - start
    problems = {}
    for name, same, known, minutes in zip(sessions["monitor_file"], same_day, dated, lead / 60):
        if minutes != minutes or not known or (same and 0 <= minutes <= tolerance_min):
            continue
        problems[name] = (f"session start ({'same' if same else 'another'} day, {minutes:.0f} min before step 1) "
                          f"does not match the CRF challenge date and step-1 start (tolerance {tolerance_min:g} min)")
    return problems

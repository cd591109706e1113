"""The checks that join the CRF's challenge forms with the monitor files.

A monitor file belongs to a session by its name ``<record_id>_<event>.csv``;
the event and the extension may be in any case on disk or on the CRF
(``1002_baseline_arm_1.CSV`` is the file the CRF calls
``1002_baseline_arm_1.csv``), see :func:`aidheart.ingest.monitor.session_of`.
That lower-cased name is the session's *key*.

Rules
-----
- ``missing_monitor_file`` (error): the CRF names a file that is not in
  ``monitor/`` (``monitor_file_present = N``; the name itself is kept).
- ``monitor_duplicate_file`` (error): two files on disk for one session (names
  differing only in case). The one named exactly as on the CRF (else the one
  in lower case, else the first by name) is used; the others' readings are not.
- ``monitor_unknown_subject`` (error): a monitor file for a record that is not in
  the export (or excluded); its readings are not used.
- ``monitor_unknown_event`` (error): a file named for an event that is not a
  challenge visit of the project; readings not used.
- ``monitor_file_not_in_crf`` (warning): a file no challenge form names; its
  readings are kept.
- ``monitor_start_mismatch`` (warning): the session start is not on the
  challenge date, or not within the configured tolerance before step 1.
- ``reading_after_challenge_end`` (warning): readings later than the CRF's end
  of the last step (``ch_end``) by more than the same tolerance. They fall in no
  step; when ``ch_end`` itself is wrong, the last step's steady state is taken
  from the wrong minutes. A session past midnight counts on (as its readings do).
"""

from __future__ import annotations

import pandas as pd

from aidheart import formats as F
from aidheart.clean.studyday import clock_seconds
from aidheart.ingest.monitor import session_of
from aidheart.ingest.monitor_checks import LISTED_TIMES, clock_text
from aidheart.ingest.queries import ERROR, WARNING, query
from aidheart.ingest.redcap import LINE


def session_key(file_name: str) -> str:
    """``<record_id>_<event>.csv`` with the event and extension in lower case; other names as they are."""
    found = session_of(file_name)
    return f"{found[0]}_{found[1]}.csv" if found else file_name


def _file_query(session: pd.Series, rule: str, severity: str, message: str) -> dict:
    return query(rule, severity, message, record_id=session["record_id"], event=session["event"], form="monitor",
                 field=session["monitor_file"], value=session["monitor_file"],
                 source=f"monitor/{session['monitor_file']}:1")


def _duplicates(monitor_sessions: pd.DataFrame, crf_names: dict[str, str]) -> tuple[list, dict]:
    """Files sharing a session key: the one used and queries for the others (module rules)."""
    queries, excluded = [], {}
    keys = monitor_sessions["monitor_file"].map(session_key)
    for key, group in monitor_sessions.groupby(keys, sort=True):
        if len(group) < 2:
            continue
        names = sorted(group["monitor_file"])
        used = next((n for n in names if n == crf_names.get(key)), key if key in names else names[0])
        for _, session in group[group["monitor_file"].ne(used)].sort_values("monitor_file").iterrows():
            queries.append(_file_query(session, "monitor_duplicate_file", ERROR,
                                       f"{session['monitor_file']} and {used} are one session (names differ only "
                                       f"in case); {used} is used, this file's readings are not"))
            excluded[session["monitor_file"]] = "monitor_duplicate_file"
    return queries, excluded


def check_monitor_files(crf: pd.DataFrame, monitor_sessions: pd.DataFrame, records: set[str],
                        excluded_crf: dict[str, str], tolerance_min: float, source: str,
                        challenge_events: set[str]) -> tuple[list, dict]:
    """CRF against monitor files; returns (queries, excluded file -> reason).

    ``crf`` holds the kept challenge rows (masked); ``excluded_crf`` maps file
    names of challenge forms excluded for a reason (e.g. after the cut-off) to it;
    ``challenge_events`` are the events the challenge form is designated to.
    """
    crf_files = crf["ch_monitor_file"] if "ch_monitor_file" in crf else pd.Series("", index=crf.index, dtype=str)
    named = {session_key(name): index for name, index in zip(crf_files, crf.index) if name}
    queries, excluded = _duplicates(monitor_sessions, {session_key(n): n for n in crf_files if n})
    on_disk = set(monitor_sessions["monitor_file"].map(session_key))
    for key, index in sorted(named.items()):
        if key not in on_disk:
            row = crf.loc[index]
            file_name = row["ch_monitor_file"]
            queries.append(query("missing_monitor_file", ERROR, f"the CRF names {file_name} but monitor/ has no such "
                                 "file; the session cannot be analysed", record_id=row["record_id"],
                                 event=row["redcap_event_name"], form=F.FORM_CHALLENGE, field="ch_monitor_file",
                                 value=file_name, source=f"{source}:{row[LINE]}"))
    dropped = {session_key(name): reason for name, reason in excluded_crf.items()}
    used = monitor_sessions[~monitor_sessions["monitor_file"].isin(set(excluded))]
    starts = _start_problems(used, crf, named, tolerance_min)
    for _, session in used.iterrows():
        name, key = session["monitor_file"], session_key(session["monitor_file"])
        if key in dropped:
            excluded[name] = dropped[key]
        elif session["record_id"] not in records:
            queries.append(_file_query(session, "monitor_unknown_subject", ERROR,
                                       f"record {session['record_id']} is not in the export; readings not used"))
            excluded[name] = "monitor_unknown_subject"
        elif session["event"] not in challenge_events:
            queries.append(_file_query(session, "monitor_unknown_event", ERROR,
                                       f"event {session['event']} has no inotrope challenge; readings not used"))
            excluded[name] = "monitor_unknown_event"
        elif key not in named:
            queries.append(_file_query(session, "monitor_file_not_in_crf", WARNING,
                                       "no challenge form names this file; readings kept under the file name"))
        elif key in starts:
            queries.append(_file_query(session, "monitor_start_mismatch", WARNING, starts[key]))
    return queries, excluded


def _start_problems(monitor_sessions: pd.DataFrame, crf: pd.DataFrame, named: dict, tolerance_min: float) -> dict:
    """Key -> message for sessions not starting on the challenge date within the tolerance before step 1."""
    keys = monitor_sessions["monitor_file"].map(session_key)
    sessions = monitor_sessions[keys.isin(set(named))]
    keys = keys[sessions.index]
    rows = crf.loc[[named[key] for key in keys]]
    start = pd.to_numeric(sessions["start_clock_s"], errors="coerce").to_numpy()
    step1 = clock_seconds(rows["ch_start_1"]).to_numpy(dtype="float", na_value=float("nan"))
    same_day = sessions["start_date"].to_numpy() == rows["ch_date"].to_numpy()
    dated = (sessions["start_date"].to_numpy() != "") & (rows["ch_date"].to_numpy() != "")
    lead = step1 - start
    problems = {}
    for key, same, known, minutes in zip(keys, same_day, dated, lead / 60):
        if minutes != minutes or not known or (same and 0 <= minutes <= tolerance_min):
            continue
        problems[key] = (f"session start ({'same' if same else 'another'} day, {minutes:.0f} min before step 1) "
                         f"does not match the CRF challenge date and step-1 start (tolerance {tolerance_min:g} min)")
    return problems


def readings_after_end(crf: pd.DataFrame, readings: pd.DataFrame, tolerance_min: float) -> list[dict]:
    """``reading_after_challenge_end`` warnings (module rules): one per session with such readings."""
    if readings.empty or "ch_end" not in crf:
        return []
    end = clock_seconds(crf["ch_end"])
    step1 = clock_seconds(crf["ch_start_1"])
    end = end.where(~(end < step1).fillna(False), end + 86400)  # the challenge ran past midnight
    limits = pd.Series(end.to_numpy(), index=crf["ch_monitor_file"].map(session_key)).dropna()
    limits = limits[~limits.index.duplicated()]
    clock = pd.to_numeric(readings["clock_s"])
    limit = readings["monitor_file"].map(session_key).map(limits)
    late = readings[(clock > limit + 60 * tolerance_min).fillna(False).astype(bool)]
    queries = []
    for name, group in late.groupby("monitor_file", sort=True):
        times = [clock_text(int(c) % 86400) for c in group["clock_s"].head(LISTED_TIMES)]
        more = f" and {len(group) - len(times)} more" if len(group) > len(times) else ""
        ch_end = clock_text(int(limits[session_key(name)]) % 86400)[:5]
        first = group.iloc[0]
        queries.append(query("reading_after_challenge_end", WARNING, value=str(len(group)),
                             record_id=first["record_id"], event=first["event"], form="monitor", field=name,
                             source=f"monitor/{name}:{first['line']}",
                             message=f"{len(group)} reading(s) more than {tolerance_min:g} min after the CRF's end of "
                                     f"the last step (ch_end {ch_end}), at {', '.join(times)}{more}; they fall in no "
                                     "step (if ch_end is wrong, so is the last step's steady-state window)"))
    return queries

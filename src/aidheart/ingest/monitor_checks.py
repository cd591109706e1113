"""Validity of monitor readings and the per-session queries (standard library only).

Rules (thresholds from ``config/config.yaml`` ``challenge``)
-----------------------------------------------------------
- ``low_signal_quality``: signal quality below ``signal_quality_min``.
- ``artefact_reading``: cardiac index outside ``cardiac_index_range`` or heart
  rate outside ``heart_rate_range`` (not physiological).
- ``duplicate_time``: a reading at the same time as an earlier one (the first
  is kept valid).

A reading may fail several rules; ``invalid_reason`` lists them, ``;``-separated.
Invalid readings stay in the readings table (``valid = N``); each rule gives one
warning per session naming how many readings and when. Header checks: the
``Patient ID`` must equal the record id of the file name
(``monitor_patient_id_mismatch``), the session start must be a date-time
(``monitor_invalid_start``), and reading lines that could not be read are
queried (``truncated_last_line``, ``malformed_reading``) and not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidheart import formats as F
from aidheart.ingest.monitor import MonitorFile, parse_clock
from aidheart.ingest.queries import WARNING, query

READING_COLUMNS = ("record_id", "event", "monitor_file", "line", "clock_s", "co", "ci", "sv", "hr",
                   "signal_quality", "valid", "invalid_reason")
SESSION_COLUMNS = ("monitor_file", "record_id", "event", "patient_id", "start_date", "start_clock_s",
                   "interval_s", "lines_read", "readings_kept", "readings_excluded", "excluded_reasons")
SOURCE_NAMES = dict(zip(F.MONITOR_COLUMNS[1:], ("co", "ci", "sv", "hr", "signal_quality")))
RULE_TEXT = {
    "low_signal_quality": "signal quality below {sq}%",
    "artefact_reading": "cardiac index or heart rate outside the physiological range",
    "duplicate_time": "time already seen in this session",
}


@dataclass(frozen=True)
class ValidityRule:
    """Thresholds of a valid reading."""

    signal_quality_min: float
    cardiac_index_range: tuple[float, float]
    heart_rate_range: tuple[float, float]


def clock_text(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def reading_reasons(values: dict[str, float], rule: ValidityRule) -> list[str]:
    """The rules a reading fails (empty when valid), excluding ``duplicate_time``."""
    reasons = []
    if values["signal_quality"] < rule.signal_quality_min:
        reasons.append("low_signal_quality")
    ci_low, ci_high = rule.cardiac_index_range
    hr_low, hr_high = rule.heart_rate_range
    if not (ci_low <= values["ci"] <= ci_high and hr_low <= values["hr"] <= hr_high):
        reasons.append("artefact_reading")
    return reasons


def check_session(monitor: MonitorFile, file_name: str, rule: ValidityRule) -> tuple[list, list, dict]:
    """Flag the readings of one parsed file.

    Parameters
    ----------
    monitor : the parsed file; ``monitor.name`` is the path shown in ``source``.
    file_name : its base name, ``<record_id>_<event>.csv`` (the caller has checked the pattern).
    rule : the validity thresholds.

    Returns
    -------
    tuple
        Readings (dicts with :data:`READING_COLUMNS`), queries (dicts with
        ``QUERY_COLUMNS``) and the session row (:data:`SESSION_COLUMNS`;
        ``excluded_reasons`` as ``rule:count`` joined by ``;``).
    """
    match = F.MONITOR_FILE_PATTERN.match(file_name)
    record_id, event = match["record_id"], match["event"]
    where = dict(record_id=record_id, event=event, form="monitor", field=file_name)
    queries = []
    patient = monitor.header[F.MONITOR_HEADER_PATIENT]
    if patient != record_id:
        queries.append(query("monitor_patient_id_mismatch", WARNING, value=patient, source=f"{monitor.name}:2",
                             message=f"header Patient ID is {patient} but the file name says {record_id}; "
                                     "readings are kept under the file name's record", **where))
    start_date, _, start_time = monitor.header[F.MONITOR_HEADER_START].partition(" ")
    start_clock = parse_clock(start_time)
    if start_clock is None or len(start_date) != 10:
        queries.append(query("monitor_invalid_start", WARNING, value=monitor.header[F.MONITOR_HEADER_START],
                             source=f"{monitor.name}:3", message="session start is not YYYY-MM-DD HH:MM:SS",
                             **where))
        start_date, start_clock = "", None
    rows, flagged, seen = [], {}, set()
    for reading in monitor.readings:
        numbers = {SOURCE_NAMES[key]: float(value) for key, value in reading.values.items()}
        reasons = reading_reasons(numbers, rule)
        if reading.clock_s in seen:
            reasons.append("duplicate_time")
        seen.add(reading.clock_s)
        for reason in reasons:
            flagged.setdefault(reason, []).append(reading)
        rows.append({"record_id": record_id, "event": event, "monitor_file": file_name, "line": str(reading.line),
                     "clock_s": str(reading.clock_s),
                     **{SOURCE_NAMES[key]: value for key, value in reading.values.items()},
                     "valid": "N" if reasons else "Y", "invalid_reason": ";".join(reasons)})
    for reason, readings in sorted(flagged.items()):
        times = ", ".join(clock_text(r.clock_s % 86400) for r in readings)
        text = RULE_TEXT[reason].format(sq=f"{rule.signal_quality_min:g}")
        queries.append(query(reason, WARNING, value=str(len(readings)), source=f"{monitor.name}:{readings[0].line}",
                             message=f"{len(readings)} reading(s) invalid ({text}) at {times}; "
                                     "flagged valid = N, kept in the readings table", **where))
    for line, reason, detail in monitor.rejected:
        queries.append(query(reason, WARNING, value=detail, source=f"{monitor.name}:{line}",
                             message="reading line could not be read (cut short or malformed); not used",
                             **where))
    rejected: dict[str, int] = {}
    for _, reason, _ in monitor.rejected:
        rejected[reason] = rejected.get(reason, 0) + 1
    session = {"monitor_file": file_name, "record_id": record_id, "event": event, "patient_id": patient,
               "start_date": start_date, "start_clock_s": "" if start_clock is None else str(start_clock),
               "interval_s": monitor.header[F.MONITOR_HEADER_INTERVAL], "lines_read": str(monitor.lines_read),
               "readings_kept": str(len(monitor.readings)), "readings_excluded": str(len(monitor.rejected)),
               "excluded_reasons": ";".join(f"{reason}:{count}" for reason, count in sorted(rejected.items()))}
    return rows, queries, session

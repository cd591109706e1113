"""Validity of monitor readings and the per-session queries, one reading at a time (standard library only).

Rules (thresholds from ``config/config.yaml`` ``challenge``)
-----------------------------------------------------------
- ``low_signal_quality``: signal quality below ``signal_quality_min``.
- ``artefact_reading``: cardiac index outside ``cardiac_index_range`` or heart
  rate outside ``heart_rate_range`` (not physiological).
- ``duplicate_time``: a reading at the same time as an earlier one (the first
  is kept valid).
- ``time_backwards``: a reading earlier than a reading before it in the file
  (the device clock was reset, or lines are out of order). Which of the two
  times is wrong cannot be told, so the later line is flagged.
- ``before_session_start``: a reading before the header's session start (the
  device cannot have measured before it started).

A reading may fail several rules; ``invalid_reason`` lists them, ``;``-separated.
Invalid readings stay in the readings table (``valid = N``); each rule gives one
warning per session naming how many readings and the first
:data:`LISTED_TIMES` times.

Header and file checks:

- ``monitor_patient_id_mismatch`` (error): the ``Patient ID`` is not the record id
  of the file name, so the readings may be another patient's; the cleaning step
  does not use them (:mod:`aidheart.clean.monitor_files`). The header's value is
  not copied anywhere: a device may hold an MRN there, and this job cannot tell.

Warnings:

- ``monitor_invalid_start``: the session start is not a date-time.
- ``monitor_invalid_interval``: the sampling interval is not a positive number.
- ``sampling_interval_mismatch``: the readings' median spacing (positive gaps
  between consecutive readings) is not the header's interval: outside
  ``[0.5, 1.5)`` times it, i.e. nearer another whole multiple of it.
- ``truncated_last_line``, ``malformed_reading``: reading lines that could not
  be read; not kept, one query per rule naming the count and the first lines. A
  line's text is shown only when it holds no letters (it may be any text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aidheart import formats as F
from aidheart.ingest.monitor import MonitorFile, Reading, parse_clock, session_of
from aidheart.ingest.queries import ERROR, WARNING, query

READING_COLUMNS = ("record_id", "event", "monitor_file", "line", "clock_s", "co", "ci", "sv", "hr",
                   "signal_quality", "valid", "invalid_reason")
SESSION_COLUMNS = ("monitor_file", "record_id", "event", "patient_id_matches", "start_date", "start_clock_s",
                   "interval_s", "lines_read", "readings_kept", "readings_excluded", "excluded_reasons")
SOURCE_NAMES = dict(zip(F.MONITOR_COLUMNS[1:], ("co", "ci", "sv", "hr", "signal_quality")))
RULE_TEXT = {
    "low_signal_quality": "signal quality below {sq}%",
    "artefact_reading": "cardiac index or heart rate outside the physiological range",
    "duplicate_time": "time already seen in this session",
    "time_backwards": "time earlier than a reading before it in the file",
    "before_session_start": "time before the header's session start",
}
REJECTED_TEXT = {
    "truncated_last_line": "the last line is cut short (no line end)",
    "malformed_reading": "reading line(s) could not be read (wrong number of fields, a non-number or a bad time)",
}
#: A query lists at most this many times (or lines); the count gives the rest.
LISTED_TIMES = 10


@dataclass(frozen=True)
class ValidityRule:
    """Thresholds of a valid reading."""

    signal_quality_min: float
    cardiac_index_range: tuple[float, float]
    heart_rate_range: tuple[float, float]


def clock_text(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def reading_reasons(values: dict[str, float], rule: ValidityRule) -> list[str]:
    """The value rules a reading fails (empty when valid); the timing rules are the session's."""
    reasons = []
    if values["signal_quality"] < rule.signal_quality_min:
        reasons.append("low_signal_quality")
    ci_low, ci_high = rule.cardiac_index_range
    hr_low, hr_high = rule.heart_rate_range
    if not (ci_low <= values["ci"] <= ci_high and hr_low <= values["hr"] <= hr_high):
        reasons.append("artefact_reading")
    return reasons


def median_of_counts(counts: Counter) -> float | None:
    """Median of the values counted in ``counts`` (value -> times seen); ``None`` when empty."""
    total = sum(counts.values())
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)  # 0-based ranks of the middle value(s)
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(value)
    return sum(found) / 2


def positive_number(text: str) -> float | None:
    """``text`` as a finite number above 0, else ``None``."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if 0 < number < float("inf") else None


class SessionCheck:
    """The timing and value rules of one session, applied reading by reading (module notes)."""

    def __init__(self, monitor: MonitorFile, file_name: str, rule: ValidityRule):
        self.monitor, self.file_name, self.rule = monitor, file_name, rule
        self.record_id, self.event = session_of(file_name)
        self.where = dict(record_id=self.record_id, event=self.event, form="monitor", field=file_name)
        self.queries: list[dict] = []
        self.flagged: dict[str, list] = {}  # rule -> [count, first line, first times]
        self.rejected: dict[str, list] = {}  # rule -> [count, first lines, first shown text]
        self.seen: set[int] = set()
        self.latest: int | None = None
        self.previous: int | None = None
        self.gaps: Counter = Counter()
        self.kept = 0
        self.start_date, self.start_clock = self._start()

    def _start(self) -> tuple[str, int | None]:
        text = self.monitor.header[F.MONITOR_HEADER_START]
        start_date, _, start_time = text.partition(" ")
        start_clock = parse_clock(start_time)
        if start_clock is None or len(start_date) != 10:
            self.queries.append(query("monitor_invalid_start", WARNING, value=text, source=f"{self.monitor.name}:3",
                                      message="session start is not YYYY-MM-DD HH:MM:SS", **self.where))
            return "", None
        return start_date, start_clock

    def reading(self, reading: Reading) -> list[str]:
        """The readings-table row of one reading (:data:`READING_COLUMNS` order), its flags applied."""
        numbers = {SOURCE_NAMES[key]: float(value) for key, value in reading.values.items()}
        reasons = reading_reasons(numbers, self.rule)
        clock = reading.clock_s
        if clock in self.seen:
            reasons.append("duplicate_time")
        if self.latest is not None and clock < self.latest:
            reasons.append("time_backwards")
        if self.start_clock is not None and clock < self.start_clock:
            reasons.append("before_session_start")
        if self.previous is not None and clock > self.previous:
            self.gaps[clock - self.previous] += 1
        self.seen.add(clock)
        self.latest = clock if self.latest is None else max(self.latest, clock)
        self.previous = clock
        self.kept += 1
        for reason in reasons:
            entry = self.flagged.setdefault(reason, [0, reading.line, []])
            entry[0] += 1
            if len(entry[2]) < LISTED_TIMES:
                entry[2].append(clock_text(clock % 86400))
        return [self.record_id, self.event, self.file_name, str(reading.line), str(clock),
                *reading.values.values(), "N" if reasons else "Y", ";".join(reasons)]

    def reject(self, line: int, rule: str, text: str) -> None:
        entry = self.rejected.setdefault(rule, [0, [], ""])
        entry[0] += 1
        if len(entry[1]) < LISTED_TIMES:
            entry[1].append(str(line))
        if not entry[2] and not any(char.isalpha() for char in text):
            entry[2] = text

    def finish(self) -> tuple[list[dict], dict]:
        """The session's queries and its row (:data:`SESSION_COLUMNS`), once every line has been seen."""
        name, where = self.monitor.name, self.where
        queries = self._patient_queries() + self.queries + self._interval_queries()
        for reason, (count, first_line, times) in sorted(self.flagged.items()):
            text = RULE_TEXT[reason].format(sq=f"{self.rule.signal_quality_min:g}")
            more = f" and {count - len(times)} more" if count > len(times) else ""
            queries.append(query(reason, WARNING, value=str(count), source=f"{name}:{first_line}",
                                 message=f"{count} reading(s) invalid ({text}) at {', '.join(times)}{more}; "
                                         "flagged valid = N, kept in the readings table", **where))
        for reason, (count, lines, shown) in sorted(self.rejected.items()):
            more = f" and {count - len(lines)} more" if count > len(lines) else ""
            example = f" (first: {shown[:60]!r})" if shown else ""
            queries.append(query(reason, WARNING, value=str(count), source=f"{name}:{lines[0]}",
                                 message=f"{count} {REJECTED_TEXT[reason]} at line(s) {', '.join(lines)}{more}"
                                         f"{example}; not used", **where))
        excluded = sum(entry[0] for entry in self.rejected.values())
        session = {"monitor_file": self.file_name, "record_id": self.record_id, "event": self.event,
                   "patient_id_matches": "Y" if self._patient_matches() else "N", "start_date": self.start_date,
                   "start_clock_s": "" if self.start_clock is None else str(self.start_clock),
                   "interval_s": self.monitor.header[F.MONITOR_HEADER_INTERVAL],
                   "lines_read": str(self.kept + excluded), "readings_kept": str(self.kept),
                   "readings_excluded": str(excluded),
                   "excluded_reasons": ";".join(f"{rule}:{entry[0]}" for rule, entry in sorted(self.rejected.items()))}
        return queries, session

    def _patient_matches(self) -> bool:
        return self.monitor.header[F.MONITOR_HEADER_PATIENT] == self.record_id

    def _patient_queries(self) -> list[dict]:
        if self._patient_matches():
            return []
        return [query("monitor_patient_id_mismatch", ERROR, source=f"{self.monitor.name}:2",
                      message=f"header Patient ID (line 2) is not {self.record_id}, the record of the file name: "
                              "the readings may be another patient's and are not used; check the file and the "
                              "device (the header's value is not copied: it may be an identifier)", **self.where)]

    def _interval_queries(self) -> list[dict]:
        text = self.monitor.header[F.MONITOR_HEADER_INTERVAL]
        interval = positive_number(text)
        if interval is None:
            return [query("monitor_invalid_interval", WARNING, value=text, source=f"{self.monitor.name}:4",
                          message="sampling interval is not a positive number of seconds", **self.where)]
        spacing = median_of_counts(self.gaps)
        if spacing is None or 0.5 * interval <= spacing < 1.5 * interval:
            return []
        return [query("sampling_interval_mismatch", WARNING, value=f"{spacing:g}", source=f"{self.monitor.name}:4",
                      message=f"readings are {spacing:g} s apart (median) but the header's sampling interval is "
                              f"{interval:g} s; check the device setting and the times", **self.where)]


def check_session(monitor: MonitorFile, file_name: str, rule: ValidityRule,
                  write_reading: Callable[[list[str]], object]) -> tuple[list[dict], dict]:
    """Flag the readings of one opened file as they are read.

    Parameters
    ----------
    monitor : the opened file (:func:`aidheart.ingest.monitor.open_monitor`); ``monitor.name`` is the
        path shown in ``source``.
    file_name : its base name, ``<record_id>_<event>.csv`` in any case (the caller has checked the pattern).
    rule : the validity thresholds.
    write_reading : called with each reading's row (:data:`READING_COLUMNS` order), in file order.

    Returns
    -------
    tuple
        Queries (dicts with ``QUERY_COLUMNS``) and the session row (:data:`SESSION_COLUMNS`;
        ``excluded_reasons`` as ``rule:count`` joined by ``;``).
    """
    check = SessionCheck(monitor, file_name, rule)
    for record in monitor.records():
        if isinstance(record, Reading):
            write_reading(check.reading(record))
        else:
            check.reject(record.line, record.rule, record.detail)
    return check.finish()

"""Reader of a hemodynamic-monitor export, one line at a time (standard library only).

Layout (:mod:`aidheart.formats`): ``key<sep>value`` header lines (device
serial, patient id, session start ``YYYY-MM-DD HH:MM:SS``, sampling interval),
one blank line, the column header, one reading per line. ``<sep>`` is a comma,
or a semicolon with decimal commas in the numbers. A UTF-8 BOM and CRLF line
ends are accepted.

:func:`open_monitor` reads the header block; :meth:`MonitorFile.records` then
streams the readings, so a file of a million readings is never held in memory.

Rules
-----
- Not a monitor export (first header key, the header keys or the column header
  differ from the format), an empty file, binary or non-UTF-8 content:
  :class:`~aidheart.ingest.errors.InputStructureError`. A column header with
  the monitor's columns in another order, or with a column missing or added,
  is named as such (found and expected order).
- A reading line that cannot be read (wrong number of fields, a non-number, a
  bad time) is not a reading: it is yielded as a :class:`Rejected` line with
  its reason (``truncated_last_line`` when it is the last line and has no line
  end, else ``malformed_reading``). Nothing is dropped silently.
- Times are seconds after midnight; a session running past midnight keeps
  counting (24:00:00 = 86400 s): a time more than 12 hours before the previous
  reading is read as the next day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from aidheart import formats as F
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.text import iter_lines

NUMERIC_COLUMNS = F.MONITOR_COLUMNS[1:]
#: The file-name pattern with the event and the extension in any case (devices write ``1002_BASELINE_ARM_1.CSV``).
FILE_NAME = re.compile(F.MONITOR_FILE_PATTERN.pattern, re.IGNORECASE)
HALF_DAY_S = 43200
DAY_S = 86400


@dataclass
class Reading:
    """One reading: its line in the file, the time (s after midnight) and the values as text."""

    line: int
    clock_s: int
    values: dict[str, str]


@dataclass
class Rejected:
    """A reading line that could not be read: its line, the rule and the line's text (at most 60 characters)."""

    line: int
    rule: str
    detail: str


def session_of(file_name: str) -> tuple[str, str] | None:
    """``(record_id, event)`` named by a monitor file name, the event in REDCap's lower case; ``None`` if none.

    The record id is kept as written; the event and the ``.csv`` extension may
    be in any case (a device or a Windows copy may upper-case them).
    """
    match = FILE_NAME.match(file_name)
    return (match["record_id"], match["event"].lower()) if match else None


def parse_clock(text: str) -> int | None:
    """``HH:MM:SS`` (or ``HH:MM``) -> seconds after midnight; ``None`` when not a time of day."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        return None
    hours, minutes, seconds = (int(part) for part in parts + ["0"] * (3 - len(parts)))
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return 3600 * hours + 60 * minutes + seconds


def _number(text: str, decimal_comma: bool) -> str | None:
    """The value as text with a decimal point, or ``None`` when it is not a finite number."""
    value = text.strip().replace(",", ".") if decimal_comma else text.strip()
    try:
        number = float(value)
    except ValueError:
        return None
    return value if number == number and abs(number) != float("inf") else None


def _column_fault(found: list[str], separator: str) -> str:
    """What is wrong with a column header that is not the format's (one line)."""
    expected = list(F.MONITOR_COLUMNS)
    shown, wanted = separator.join(found), separator.join(expected)
    missing = [column for column in expected if column not in found]
    extra = [column for column in found if column not in expected]
    if sorted(found) == sorted(expected):
        return f"monitor columns in another order: found '{shown}', expected '{wanted}'"
    if missing:
        return f"column '{missing[0]}' is missing from the column header '{shown}' (expected '{wanted}')"
    if extra:
        return f"unexpected column '{extra[0]}' in the column header '{shown}' (expected '{wanted}')"
    return f"column header '{shown}' should be '{wanted}'"


@dataclass
class MonitorFile:
    """An opened monitor export: its header; :meth:`records` streams the reading lines."""

    name: str
    header: dict[str, str]
    separator: str
    first_reading_line: int
    _lines: Iterator[tuple[str, bool]]

    def records(self) -> Iterator[Reading | Rejected]:
        """Each reading line in file order, read or rejected (module rules); blank lines are skipped."""
        separator, decimal_comma, n_columns = self.separator, self.separator == ";", len(F.MONITOR_COLUMNS)
        previous, day_offset = None, 0
        for line_no, (raw, ended) in enumerate(self._lines, start=self.first_reading_line):
            if not raw.strip():
                continue
            fields = raw.split(separator)
            clock = parse_clock(fields[0])
            numbers = [_number(value, decimal_comma) for value in fields[1:]]
            if len(fields) != n_columns or clock is None or None in numbers:
                yield Rejected(line_no, "malformed_reading" if ended else "truncated_last_line", raw.strip()[:60])
                continue
            if previous is not None and clock + day_offset < previous - HALF_DAY_S:
                day_offset += DAY_S
            clock += day_offset
            previous = clock
            yield Reading(line_no, clock, dict(zip(NUMERIC_COLUMNS, numbers)))


def open_monitor(path: str | Path, shown_as: str | None = None) -> MonitorFile:
    """Read the header block of one monitor export; see the module notes for the rules."""
    name = shown_as or str(path)
    lines = iter_lines(path, name)
    first = next(lines, None)
    if first is None or not first[0].strip():
        if all(not text.strip() for text, _ in lines):
            raise InputStructureError(name, "the file is empty")
        first = ("", True)
    separator = ";" if first[0].startswith(F.MONITOR_HEADER_DEVICE + ";") else ","
    if not first[0].startswith(F.MONITOR_HEADER_DEVICE + separator):
        raise InputStructureError(name, f"not a monitor export (the first line should start with "
                                        f"'{F.MONITOR_HEADER_DEVICE}')")
    header: dict[str, str] = {}
    line_no, text = 0, first[0]
    for line_no, (text, _) in enumerate(chain([first], lines), start=1):
        if not text.strip():
            break
        key, _, value = text.partition(separator)
        header[key.strip()] = value.strip()
    missing = [key for key in F.MONITOR_HEADER_KEYS if key not in header]
    if missing:
        raise InputStructureError(name, f"not a monitor export (header line '{missing[0]}' is missing)")
    columns = next(lines, ("", True))[0].strip() if not text.strip() else ""
    if not columns:
        raise InputStructureError(name, f"not a monitor export (no column header after the header block; expected "
                                        f"'{separator.join(F.MONITOR_COLUMNS)}')")
    found = [column.strip() for column in columns.split(separator)]
    if found != list(F.MONITOR_COLUMNS):
        raise InputStructureError(name, f"not a monitor export ({_column_fault(found, separator)})")
    return MonitorFile(name=name, header=header, separator=separator, first_reading_line=line_no + 2, _lines=lines)

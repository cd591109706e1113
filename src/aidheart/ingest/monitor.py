"""Reader of a hemodynamic-monitor export (standard library only).

Layout (:mod:`aidheart.formats`): ``key<sep>value`` header lines (device
serial, patient id, session start ``YYYY-MM-DD HH:MM:SS``, sampling interval),
one blank line, the column header, one reading per line. ``<sep>`` is a comma,
or a semicolon with decimal commas in the numbers. A UTF-8 BOM and CRLF line
ends are accepted.

Rules
-----
- Not a monitor export (first header key, the header keys or the column header
  differ from the format), an empty file, binary or non-UTF-8 content:
  :class:`~aidheart.ingest.errors.InputStructureError`.
- A reading line that cannot be read (wrong number of fields, a non-number, a
  bad time) is not a reading: it is returned in ``rejected`` with its reason
  (``truncated_last_line`` when it is the last line and has no line end, else
  ``malformed_reading``). Nothing is dropped silently.
- Times are seconds after midnight; a session running past midnight keeps
  counting (24:00:00 = 86400 s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aidheart import formats as F
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.text import read_text

NUMERIC_COLUMNS = F.MONITOR_COLUMNS[1:]


@dataclass
class Reading:
    """One reading: its line in the file, the time (s after midnight) and the values as text."""

    line: int
    clock_s: int
    values: dict[str, str]


@dataclass
class MonitorFile:
    """A parsed monitor export."""

    name: str
    header: dict[str, str]
    separator: str
    readings: list[Reading] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, rule, detail)

    @property
    def lines_read(self) -> int:
        """Reading lines in the file (kept + rejected)."""
        return len(self.readings) + len(self.rejected)


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


def _header(lines: list[str], name: str) -> tuple[dict[str, str], str, int]:
    first = lines[0]
    separator = ";" if first.startswith(F.MONITOR_HEADER_DEVICE + ";") else ","
    if not first.startswith(F.MONITOR_HEADER_DEVICE + separator):
        raise InputStructureError(name, f"not a monitor export (the first line should start with "
                                        f"'{F.MONITOR_HEADER_DEVICE}')")
    header: dict[str, str] = {}
    index = 0
    while index < len(lines) and lines[index].strip():
        key, _, value = lines[index].partition(separator)
        header[key.strip()] = value.strip()
        index += 1
    missing = [key for key in F.MONITOR_HEADER_KEYS if key not in header]
    if missing:
        raise InputStructureError(name, f"not a monitor export (header line '{missing[0]}' is missing)")
    columns_at = index + 1
    expected = separator.join(F.MONITOR_COLUMNS)
    found = lines[columns_at].strip() if columns_at < len(lines) else ""
    if found != expected:
        raise InputStructureError(name, f"not a monitor export (column header should be '{expected}')")
    return header, separator, columns_at + 1


def read_monitor(path: str | Path, shown_as: str | None = None) -> MonitorFile:
    """Parse one monitor export; see the module notes for the rules."""
    name = shown_as or str(path)
    text = read_text(path, name)
    ends_with_newline = text.endswith("\n")
    lines = text.split("\n")
    if ends_with_newline:
        lines.pop()
    header, separator, first_reading = _header(lines, name)
    result = MonitorFile(name=name, header=header, separator=separator)
    decimal_comma = separator == ";"
    previous = None
    day_offset = 0
    for index in range(first_reading, len(lines)):
        line_no = index + 1
        raw = lines[index]
        if not raw.strip():
            continue
        is_cut = index == len(lines) - 1 and not ends_with_newline
        fields = raw.split(separator)
        clock = parse_clock(fields[0]) if fields else None
        numbers = [_number(value, decimal_comma) for value in fields[1:]]
        if len(fields) != len(F.MONITOR_COLUMNS) or clock is None or None in numbers:
            rule = "truncated_last_line" if is_cut else "malformed_reading"
            result.rejected.append((line_no, rule, raw.strip()[:60]))
            continue
        if previous is not None and clock + day_offset < previous - 43200:
            day_offset += 86400
        clock += day_offset
        previous = clock
        result.readings.append(Reading(line_no, clock, dict(zip(NUMERIC_COLUMNS, numbers))))
    return result

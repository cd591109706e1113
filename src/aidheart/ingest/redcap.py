"""Reader of the REDCap raw (coded) export: a table of strings with the line of each record.

Rules
-----
- UTF-8 with or without BOM, LF or CRLF; fields quoted as REDCap quotes them
  (a notes field may span lines: ``line`` is where its record starts).
- Structural faults raise :class:`~aidheart.ingest.errors.InputStructureError`:
  empty file, binary or non-UTF-8 content, a semicolon-delimited file (REDCap
  writes commas), an export with label headers (``Event Name`` for
  ``redcap_event_name``: a labels export), a key column missing
  (``record_id``, ``redcap_event_name``, ``redcap_repeat_instrument``,
  ``redcap_repeat_instance``), a column name
  twice, a record with more or fewer fields than the header, no records.
- Every value is kept as text; an empty cell is ``""`` (never NaN). Values are
  not judged here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from aidheart import formats as F
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.text import read_text

LINE = "line"
#: REDCap's column headers for the key columns in an export "with labels" as headers.
LABEL_HEADERS = ("Event Name", "Repeat Instrument", "Repeat Instance")


def _records(text: str, name: str) -> tuple[list[str], list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        rows, starts, previous = [], [], reader.line_num
        for row in reader:
            if row:
                rows.append(row)
                starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error as error:
        raise InputStructureError(name, f"not a readable CSV near line {reader.line_num} ({error})") from None
    return header, rows, starts


def _check_header(header: list[str], name: str) -> None:
    if len(header) == 1 and ";" in header[0]:
        raise InputStructureError(name, "semicolon-delimited; REDCap exports comma-separated CSV")
    if F.EXPORT_KEY_COLUMNS[0] not in header and set(LABEL_HEADERS) & set(header):
        raise InputStructureError(name, "a labels export (column headers are field labels such as 'Event Name'); "
                                        "export the raw data (codes, variable names) from REDCap")
    if header[0] != F.EXPORT_KEY_COLUMNS[0] and F.EXPORT_KEY_COLUMNS[0] not in header:
        raise InputStructureError(name, "not a REDCap export (no 'record_id' column)")
    for column in F.EXPORT_KEY_COLUMNS:
        if column not in header:
            raise InputStructureError(name, f"required column '{column}' is missing")
    seen = set()
    for column in header:
        if column in seen:
            raise InputStructureError(name, f"column '{column}' appears twice")
        seen.add(column)


def read_export(path: str | Path, shown_as: str | None = None) -> pd.DataFrame:
    """The export as a DataFrame of strings plus an integer ``line`` column (1 = header line)."""
    name = shown_as or str(path)
    header, rows, starts = _records(read_text(path, name), name)
    header = [column.strip() for column in header]
    _check_header(header, name)
    for row, start in zip(rows, starts):
        if len(row) != len(header):
            raise InputStructureError(name, f"line {start} has {len(row)} fields, the header has {len(header)}")
    if not rows:
        raise InputStructureError(name, "the export has no records (header only)")
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    frame.insert(0, LINE, starts)
    return frame

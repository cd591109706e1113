"""A pulled export as files: REDCap's file names, the 18-column dictionary, the bytes written.

Names
-----
``AIDHEART_DATA_YYYY-MM-DD_HHMM.csv`` and ``AIDHEART_DataDictionary_YYYY-MM-DD.csv``
(REDCap's own naming of a raw export and its dictionary), the time being the
export time, in ``<out>/redcap/``.

Byte form
---------
REDCap sends values; the bytes are written here in the form of the shipped
study's files: the export in UTF-8 with a byte-order mark and CRLF line ends,
the dictionary in UTF-8 without one and with LF line ends, a field quoted only
where CSV needs it (a comma, a quote or a line break), whatever quoting and line
ends REDCap's answer had. So a pull of the same data gives the same bytes, a pull
of the shipped study gives its files byte for byte, and the input hashes in the
provenance do not depend on how the export came. A line break inside a value is
kept as REDCap sent it.

Dictionary
----------
REDCap's API names the dictionary's columns by metadata keys (``field_name``,
``select_choices_or_calculations``, ...); they are written under the 18 column
headings of REDCap's "Download data dictionary" (``Variable / Field Name``,
``Choices, Calculations, OR Slider Labels``, ...), one row per field in REDCap's
order. A key REDCap leaves out is written empty.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime
from pathlib import Path

from aidheart import formats as F
from aidheart.pull.errors import PullError

#: REDCap's metadata keys, in the order of the data dictionary's 18 columns.
METADATA_KEYS = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
)
DICTIONARY_HEADINGS = dict(zip(METADATA_KEYS, F.DICTIONARY_COLUMNS, strict=True))
BOM = "\ufeff"


def export_file_name(exported_at: datetime) -> str:
    """``AIDHEART_DATA_YYYY-MM-DD_HHMM.csv`` for the export time."""
    return f"{F.REDCAP_PROJECT}_DATA_{exported_at:%Y-%m-%d_%H%M}.csv"


def dictionary_file_name(exported_at: datetime) -> str:
    """``AIDHEART_DataDictionary_YYYY-MM-DD.csv`` for the export date."""
    return f"{F.REDCAP_PROJECT}_DataDictionary_{exported_at:%Y-%m-%d}.csv"


def _csv_text(rows, line_end: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerows(rows)
    return buffer.getvalue()


def dictionary_bytes(metadata: list[dict]) -> bytes:
    """The dictionary file: the 18 headings, then one row per field (module notes); a null is empty."""
    rows = [list(DICTIONARY_HEADINGS.values())]
    rows += [["" if field.get(key) is None else str(field[key]) for key in METADATA_KEYS] for field in metadata]
    return _csv_text(rows, "\n").encode("utf-8")


def export_rows(records_csv: str) -> list[list[str]]:
    """REDCap's CSV answer as rows of text, the header first.

    Raises
    ------
    PullError
        When the answer is not CSV, its first columns are not the four key columns
        (``record_id``, ``redcap_event_name``, ``redcap_repeat_instrument``,
        ``redcap_repeat_instance``), or a row has more or fewer fields than the header.
    """
    try:
        rows = list(csv.reader(io.StringIO(records_csv, newline=""), strict=True))
    except csv.Error as error:
        raise PullError(f"the record export (content=record) is not readable CSV ({error})") from None
    if not rows:
        raise PullError("the record export (content=record) is empty")
    header = rows[0]
    if tuple(header[: len(F.EXPORT_KEY_COLUMNS)]) != F.EXPORT_KEY_COLUMNS:
        start = ", ".join(header[: len(F.EXPORT_KEY_COLUMNS)])[:80]
        raise PullError(f"the record export (content=record) starts with '{start}', not with "
                        f"{', '.join(F.EXPORT_KEY_COLUMNS)}: not a longitudinal REDCap project "
                        "with repeating instruments")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise PullError(f"the record export (content=record) has {len(row)} fields in row {number}, "
                            f"its header {len(header)}")
    return rows


def export_bytes(rows: list[list[str]]) -> bytes:
    """The export file: the rows in the export's byte form (module notes)."""
    return (BOM + _csv_text(rows, "\r\n")).encode("utf-8")


def earlier_pulls(redcap_dir: Path, replace: bool) -> list[Path]:
    """The exports and dictionaries already in ``redcap_dir`` (by REDCap's file names), sorted.

    The pipeline takes exactly one export and one dictionary from the folder, so an
    earlier one stops the pull (:class:`PullError`) unless ``replace``.
    """
    if not redcap_dir.is_dir():
        return []
    patterns = (F.EXPORT_FILE_PATTERN, F.DICTIONARY_FILE_PATTERN)
    earlier = sorted(path for path in redcap_dir.iterdir() if any(p.match(path.name) for p in patterns))
    if earlier and not replace:
        raise PullError(f"{redcap_dir} already holds {earlier[0].name}; pull into another folder "
                        "or pass --replace to remove the earlier export and dictionary")
    return earlier


def write_pulled_files(redcap_dir: Path, files: dict[str, bytes], replace: bool) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``redcap_dir``; returns their paths.

    An earlier export or dictionary there stops the pull (:func:`earlier_pulls`),
    or with ``replace`` is removed once the new files are written in full
    (``.part`` files, renamed into place last: a failed pull leaves no half-written
    export behind).
    """
    earlier = earlier_pulls(redcap_dir, replace)
    written, parts = [], {name: redcap_dir / f".{name}.part" for name in files}
    try:
        redcap_dir.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            parts[name].write_bytes(data)
        for path in earlier:
            path.unlink()
        for name, part in parts.items():
            os.replace(part, redcap_dir / name)
            written.append(redcap_dir / name)
    except OSError as error:
        for part in parts.values():
            part.unlink(missing_ok=True)
        raise PullError(f"cannot write into {redcap_dir}: {error.strerror or error}") from None
    return written

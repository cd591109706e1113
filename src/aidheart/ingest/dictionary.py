"""Reader of the REDCap data dictionary (REDCap's 18 standard columns).

Returns one row per field with tidy column names: ``field``, ``form``,
``type``, ``choices`` (code -> label dict; ``yesno`` gets ``1, Yes | 0, No``,
which REDCap leaves blank), ``validation``, ``min``, ``max`` (text, empty when
none), ``identifier`` and ``required`` (bool), ``branching``.

Structural faults (:class:`~aidheart.ingest.errors.InputStructureError`): the
file is empty, not UTF-8 or not CSV; a standard column the pipeline uses is
missing; no fields; a field listed twice; no ``record_id`` field.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from aidheart import formats as F
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.text import read_text

USED_COLUMNS = {
    "Variable / Field Name": "field",
    "Form Name": "form",
    "Field Type": "type",
    "Choices, Calculations, OR Slider Labels": "choices",
    "Text Validation Type OR Show Slider Number": "validation",
    "Text Validation Min": "min",
    "Text Validation Max": "max",
    "Identifier?": "identifier",
    "Branching Logic (Show field only if...)": "branching",
    "Required Field?": "required",
}
CHOICE_TYPES = ("radio", "dropdown", "checkbox", "yesno")


def parse_choices(text: str) -> dict[str, str]:
    """``"1, Yes | 0, No"`` -> ``{"1": "Yes", "0": "No"}`` (labels may contain commas)."""
    choices = {}
    for part in (text or "").split("|"):
        code, _, label = part.partition(",")
        if code.strip():
            choices[code.strip()] = label.strip()
    return choices


def read_dictionary(path: str | Path, shown_as: str | None = None) -> pd.DataFrame:
    """The dictionary as a tidy DataFrame indexed by field name (see module notes)."""
    name = shown_as or str(path)
    text = read_text(path, name)
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as error:
        raise InputStructureError(name, f"not a readable CSV ({error})") from None
    header = [column.strip() for column in rows[0]]
    missing = [column for column in USED_COLUMNS if column not in header]
    if len(header) == 1 or len(missing) == len(USED_COLUMNS):
        raise InputStructureError(name, "not a REDCap data dictionary (none of its standard columns)")
    if missing:
        raise InputStructureError(name, f"data dictionary column '{missing[0]}' is missing")
    body = [row + [""] * (len(header) - len(row)) for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise InputStructureError(name, "the data dictionary lists no fields")
    frame = pd.DataFrame([row[: len(header)] for row in body], columns=header, dtype=str)
    frame = frame[list(USED_COLUMNS)].rename(columns=USED_COLUMNS)
    frame = frame.apply(lambda column: column.str.strip())
    duplicated = frame["field"][frame["field"].duplicated()].tolist()
    if duplicated:
        raise InputStructureError(name, f"field '{duplicated[0]}' is listed twice")
    if F.EXPORT_KEY_COLUMNS[0] not in set(frame["field"]):
        raise InputStructureError(name, "the data dictionary has no 'record_id' field")
    frame["identifier"] = frame["identifier"].str.lower().eq("y")
    frame["required"] = frame["required"].str.lower().eq("y")
    choices = [F.YES_NO if kind == "yesno" else parse_choices(text) if kind in CHOICE_TYPES else {}
               for kind, text in zip(frame["type"], frame["choices"])]
    frame["choices"] = pd.Series(choices, index=frame.index, dtype=object)
    return frame.set_index("field", drop=False)

"""The export must hold raw codes: a REDCap *labels* export stops the run with one line.

REDCap offers the data as codes ("raw") or as the choices' labels: ``Female``
for ``2``, ``Checked``/``Unchecked`` for a checkbox's ``1``/``0``, ``Complete``
for ``<form>_complete = 2``. Read as codes, a labels export would make every
coded value an ``invalid_choice`` and leave every coded field missing.

Rule
----
Among the filled cells of the coded columns (radio, dropdown, yes/no, each
checkbox column, ``<form>_complete``), count those that are not a code but are
a label of that column (compared case-folded, spaces trimmed). When they are
more than half, the file is a labels export
(:class:`~aidheart.ingest.errors.InputStructureError`). A few labels in a raw
export stay what they are: ``invalid_choice`` queries.
"""

from __future__ import annotations

import pandas as pd

from aidheart import formats as F
from aidheart.clean.layout import field_columns
from aidheart.ingest.dictionary import CHOICE_TYPES
from aidheart.ingest.errors import InputStructureError

#: REDCap's labels of a checkbox column's codes 1 and 0 in a labels export.
CHECKBOX_LABELS = {"1": "Checked", "0": "Unchecked"}


def coded_columns(columns, dictionary: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Export column -> its code -> label map, for every coded column present in ``columns``."""
    coded = {}
    for field, spec in dictionary.iterrows():
        if spec["type"] not in CHOICE_TYPES or spec["identifier"] or field in F.EXPORT_KEY_COLUMNS:
            continue
        choices = CHECKBOX_LABELS if spec["type"] == "checkbox" else spec["choices"]
        coded.update({column: choices for column in field_columns(dictionary, field)})
    coded.update({f"{form}_complete": F.FORM_COMPLETE for form in dictionary["form"].unique()})
    return {column: choices for column, choices in coded.items() if column in set(columns)}


def assert_raw_codes(data: pd.DataFrame, dictionary: pd.DataFrame, source: str) -> None:
    """Stop when most filled coded cells are labels rather than codes (module notes)."""
    filled = labelled = 0
    example = ""
    for column, choices in coded_columns(data.columns, dictionary).items():
        values = data[column][data[column].ne("")]
        labels = {label.strip().casefold() for label in choices.values()}
        is_label = ~values.isin(list(choices)) & values.str.strip().str.casefold().isin(labels)
        filled += len(values)
        labelled += int(is_label.sum())
        if not example and is_label.any():
            example = f"{column} = {values[is_label].iloc[0]!r}"
    if labelled * 2 > filled:
        raise InputStructureError(source, f"a labels export ({labelled} of {filled} coded values are choice labels, "
                                          f"e.g. {example}); export the raw data (codes) from REDCap")

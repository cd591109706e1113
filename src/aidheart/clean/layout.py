"""Where each field lives in the export: columns per form, and which forms a row holds.

Rules
-----
- A checkbox field exports one column per choice, ``<field>___<code>``.
- ``<form>_complete`` (not in the dictionary, as in REDCap) belongs to its form.
- A form is *present* in a row when any of its columns (``_complete``
  included) is non-empty; the row then counts once for that form in the
  reconciliation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from aidheart import formats as F


def field_columns(dictionary: pd.DataFrame, field: str) -> list[str]:
    """Export columns of one dictionary field."""
    spec = dictionary.loc[field]
    if spec["type"] == "checkbox":
        return [f"{field}___{code}" for code in spec["choices"]]
    return [field]


def form_columns(dictionary: pd.DataFrame, columns) -> dict[str, list[str]]:
    """Form -> its export columns that exist in ``columns`` (key columns excluded)."""
    present = set(columns)
    forms: dict[str, list[str]] = {}
    for field, form in zip(dictionary["field"], dictionary["form"]):
        if field in F.EXPORT_KEY_COLUMNS:
            continue
        forms.setdefault(form, []).extend(c for c in field_columns(dictionary, field) if c in present)
    for form in forms:
        if f"{form}_complete" in present:
            forms[form].append(f"{form}_complete")
    return forms


def forms_present(data: pd.DataFrame, forms: dict[str, list[str]]) -> pd.DataFrame:
    """Boolean frame (rows x forms): does the row hold data of the form?"""
    return pd.DataFrame({form: data[columns].ne("").any(axis=1) if columns else False
                         for form, columns in forms.items()}, index=data.index)


def designated(events: pd.Series, form: str, event_forms: Mapping[str, Sequence[str]]) -> pd.Series:
    """Is ``form`` designated to each row's event (REDCap's instrument designation, ``event_forms``)?"""
    allowed = {event for event, forms in event_forms.items() if form in forms}
    return events.isin(allowed)

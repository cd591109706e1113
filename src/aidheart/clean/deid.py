"""De-identification at the first step: identifiers and free text dropped, age from date of birth.

Rules
-----
- Fields with ``Identifier? = y`` are dropped as soon as the export is read;
  only age (whole years at consent, from ``dob``) is kept from them.
- Free text (dictionary type ``notes``, or ``text`` without validation) is
  dropped unless the configuration lists it in ``free_text_safe``.
- A date of birth that is not a calendar date, or after consent, gives no age
  and an ``invalid_date`` query that does not echo it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from aidheart import formats as F
from aidheart.clean.validate import is_date


def identifier_fields(dictionary: pd.DataFrame) -> list[str]:
    return dictionary.index[dictionary["identifier"]].tolist()


def free_text_fields(dictionary: pd.DataFrame, safe) -> list[str]:
    """Notes fields and unvalidated text fields (not the record id), minus the configured safe ones."""
    text = dictionary["type"].eq("notes") | (dictionary["type"].eq("text") & dictionary["validation"].eq(""))
    return [f for f in dictionary.index[text] if f not in safe and f not in F.EXPORT_KEY_COLUMNS]


def age_in_years(born: dt.date, on: dt.date) -> int:
    """Whole years from ``born`` to ``on`` (birthday not yet reached that year counts one less)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def ages(dob: pd.Series, consent: pd.Series) -> pd.Series:
    """Age at consent per row (nullable integer); missing when either date is not a valid date or dob > consent."""
    values = []
    for born, signed in zip(dob, consent):
        if is_date(born) and is_date(signed) and born <= signed:
            values.append(age_in_years(dt.date.fromisoformat(born), dt.date.fromisoformat(signed)))
        else:
            values.append(None)
    return pd.Series(values, index=dob.index, dtype="Int64")


def drop_columns(data: pd.DataFrame, dictionary: pd.DataFrame, fields) -> pd.DataFrame:
    """``data`` without the export columns of ``fields`` (checkbox columns included)."""
    columns = []
    for field in fields:
        kind = dictionary.loc[field, "type"]
        columns += [f"{field}___{c}" for c in dictionary.loc[field, "choices"]] if kind == "checkbox" else [field]
    return data.drop(columns=[c for c in columns if c in data.columns])

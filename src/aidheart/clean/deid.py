"""De-identification at the first step: identifiers and free text dropped, age from date of birth.

Rules
-----
- Fields with ``Identifier? = y`` are dropped as soon as the export is read;
  only age (whole years at consent, from ``dob``) is kept from them.
- A ``record_id`` equal to an identifier value of its row (the MRN used as the
  record id) is a structural fault: every output would carry it.
- Free text (dictionary type ``notes``, or ``text`` without validation) is
  dropped unless the configuration lists it in ``free_text_safe``.
- ``identifier_in_free_text`` (error): a kept free-text value holding an
  identifier value of any record (:mod:`aidheart.clean.identifier_scan`) has
  that part replaced by ``[identifier removed]``; the query names the field
  and whose identifier it is, never the text.
- The query listing is searched the same way: a query whose value holds an
  identifier value (a name typed into a number field) has its value emptied
  and the identifier replaced in its message.
- A date of birth that is not a calendar date, or after consent, gives no age
  and an ``invalid_date`` query that does not echo it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from aidheart import formats as F
from aidheart.clean.identifier_scan import REDACTED, IdentifierScan, describe
from aidheart.clean.validate import is_date
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.queries import ERROR, query
from aidheart.ingest.redcap import LINE


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


def assert_record_id_not_identifier(raw: pd.DataFrame, dictionary: pd.DataFrame, source: str) -> None:
    """Stop when ``record_id`` repeats an identifier field of its row (the value is not shown)."""
    for field in identifier_fields(dictionary):
        if field in raw.columns:
            same = raw[field].ne("") & raw[field].str.strip().eq(raw["record_id"].str.strip())
            if same.any():
                raise InputStructureError(source, f"record_id equals identifier field {field} in {int(same.sum())} "
                                                  "row(s); export with the study's own record ids")


def redact_free_text(data: pd.DataFrame, fields, scan: IdentifierScan, dictionary: pd.DataFrame,
                     source: str) -> tuple[pd.DataFrame, list[dict]]:
    """Free-text cells of ``fields`` holding identifier values, redacted; one error query per cell (module notes)."""
    data = data.copy()
    queries = []
    for field in [f for f in fields if f in data.columns]:
        for index, text in data[field][data[field].ne("")].items():
            redacted, matches = scan.redact(text)
            if not matches:
                continue
            data.loc[index, field] = redacted
            row = data.loc[index]
            queries.append(query(
                "identifier_in_free_text", ERROR,
                f"{field} holds a value of identifier field {describe(matches, row['record_id'])}; it is replaced "
                f"by {REDACTED} in every output; remove it from the database", record_id=row["record_id"],
                event=row["redcap_event_name"], form=dictionary.loc[field, "form"], field=field,
                instance=row["redcap_repeat_instance"], source=f"{source}:{row[LINE]}"))
    return data, queries


def withhold_identifiers(queries: list[dict], scan: IdentifierScan) -> list[dict]:
    """The queries with any identifier value emptied from ``value`` and replaced in ``message``."""
    kept = []
    for row in queries:
        if scan.find(row["value"]):
            row = {**row, "value": ""}
        message, matches = scan.redact(row["message"])
        kept.append({**row, "message": message} if matches else row)
    return kept

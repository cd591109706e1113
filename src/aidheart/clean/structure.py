"""Row-level rules of the export: events, repeat keys, duplicates, unknown columns, form codes.

Rules (each returns queries; excluded rows are returned with their reason)
-----------------------------------------------------------------------
- ``missing_record_id`` (error): empty ``record_id``; row excluded.
- ``unknown_event`` (error): an event name the project does not define (the
  scheduled visits of the configuration and the project's other events,
  :attr:`aidheart.clean.settings.CleanSettings.event_forms`); row excluded.
- ``invalid_repeat_instance`` (error): a repeating instrument that is not
  repeating, an instance that is not a positive whole number, or repeat
  columns filled on a non-repeating row; row excluded.
- ``duplicate_row`` (warning): a row identical to an earlier one; the copy is
  excluded (nothing is lost). ``duplicate_key`` (error): rows with the same
  record, event, instrument and instance but different values; all excluded.
- ``repeat_instance_gap`` (warning): instance numbers of a record's repeating
  instrument skip a number (queried at the first instance after the gap).
- ``no_enrollment_record`` (error): a record with no enrollment (screening) row
  has no reference date; all its rows excluded.
- ``form_not_designated`` (error): data of a form on an event the form is not
  designated to (a visit's ``forms`` in the configuration); that form's values in
  the row are excluded.
- ``unknown_field`` (warning): a column the dictionary does not define (and not
  a key, checkbox or ``<form>_complete`` column); the column is dropped.
- ``invalid_complete_code`` (warning): ``<form>_complete`` not 0, 1 or 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from aidheart import formats as F
from aidheart.clean.layout import designated
from aidheart.ingest.queries import ERROR, WARNING, query
from aidheart.ingest.redcap import LINE

KEYS = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"]


def _row_query(row: pd.Series, source: str, rule: str, severity: str, message: str, *, form="", field="",
               value="") -> dict:
    return query(rule, severity, message, record_id=row["record_id"], event=row["redcap_event_name"], form=form,
                 field=field, instance=row["redcap_repeat_instance"], value=value, source=f"{source}:{row[LINE]}")


def check_keys(data: pd.DataFrame, source: str, events: Sequence[str]) -> tuple[list[dict], dict[int, str]]:
    """Record id, event (one of ``events``) and repeat columns; returns (queries, excluded row -> rule)."""
    instrument, instance = data["redcap_repeat_instrument"], data["redcap_repeat_instance"]
    good_instance = instance.str.fullmatch(r"[1-9]\d*").fillna(False).astype(bool)
    no_id = data["record_id"].eq("")
    bad_event = ~no_id & ~data["redcap_event_name"].isin(list(events))
    bad_repeat = ~no_id & ~bad_event & instrument.ne("") & (~instrument.isin(F.REPEATING_FORMS) | ~good_instance)
    stray = ~no_id & ~bad_event & instrument.eq("") & instance.ne("")
    queries, excluded = [], {}
    for mask, rule in ((no_id, "missing_record_id"), (bad_event, "unknown_event"),
                       (bad_repeat, "invalid_repeat_instance"), (stray, "invalid_repeat_instance")):
        for index in mask[mask].index:
            row = data.loc[index]
            if rule == "missing_record_id":
                field, value, message = "record_id", "", "row has no record_id"
            elif rule == "unknown_event":
                field, value = "redcap_event_name", row["redcap_event_name"]
                message = f"event {value!r} is not an event of the project"
            elif instrument[index]:
                field, value = "redcap_repeat_instance", f"{instrument[index]}/{instance[index]}"
                message = f"repeat instrument/instance {value!r} is not a repeating form with an instance 1, 2, ..."
            else:
                field, value = "redcap_repeat_instance", instance[index]
                message = "repeat instance given on a row without a repeating instrument"
            queries.append(_row_query(row, source, rule, ERROR, message + "; row not used", field=field, value=value))
            excluded[index] = rule
    return queries, excluded


def check_duplicates(data: pd.DataFrame, source: str) -> tuple[list[dict], dict[int, str]]:
    """Identical rows and conflicting rows with the same key."""
    queries, excluded = [], {}
    values = data.drop(columns=[LINE])
    exact = values.duplicated(keep="first")
    for index in exact[exact].index:
        row = data.loc[index]
        queries.append(_row_query(row, source, "duplicate_row", WARNING,
                                  "the whole row appears twice; the copy is not used"))
        excluded[index] = "duplicate_row"
    rest = values[~exact]
    clash = rest.duplicated(subset=KEYS, keep=False)
    for index in clash[clash].index:
        row = data.loc[index]
        queries.append(_row_query(row, source, "duplicate_key", ERROR,
                                  "two rows with the same record, event and instance differ; neither is used",
                                  field="redcap_event_name", value=row["redcap_event_name"]))
        excluded[index] = "duplicate_key"
    return queries, excluded


def check_repeat_gaps(data: pd.DataFrame, source: str) -> list[dict]:
    """Instance numbers 1, 2, 4 ...: one warning at the first instance after each gap."""
    repeating = data[data["redcap_repeat_instrument"].ne("") & data["redcap_repeat_instance"].str.isdigit()]
    number = repeating["redcap_repeat_instance"].astype(int)
    ordered = repeating.assign(_n=number).sort_values(["record_id", "redcap_repeat_instrument", "_n"])
    previous = ordered.groupby(["record_id", "redcap_repeat_instrument"])["_n"].shift(fill_value=0)
    gaps = ordered[ordered["_n"] > previous + 1]
    return [_row_query(row, source, "repeat_instance_gap", WARNING,
                       f"{row['redcap_repeat_instrument']} instance(s) "
                       f"{', '.join(str(k) for k in range(int(previous[i]) + 1, row['_n']))} missing before "
                       f"instance {row['_n']}", form=row["redcap_repeat_instrument"], field="redcap_repeat_instance",
                       value=str(row["_n"])) for i, row in gaps.iterrows()]


def check_enrollment(data: pd.DataFrame, source: str) -> tuple[list[dict], dict[int, str]]:
    """Rows of records that have no screening row with enrollment data."""
    enrolled = set(data.loc[data["redcap_event_name"].eq(F.EVENT_SCREENING), "record_id"])
    orphan = data[~data["record_id"].isin(enrolled)]
    queries = [_row_query(row, source, "no_enrollment_record", ERROR,
                          f"record {row['record_id']} has no enrollment row; row not used",
                          field="record_id", value=row["record_id"]) for _, row in orphan.iterrows()]
    return queries, {index: "no_enrollment_record" for index in orphan.index}


def check_designation(data: pd.DataFrame, present: pd.DataFrame, source: str,
                      event_forms: Mapping[str, Sequence[str]]) -> tuple[list[dict], set]:
    """Form data on events it is not designated to (``event_forms``); returns (queries, excluded (row, form))."""
    queries, excluded = [], set()
    repeating = data["redcap_repeat_instrument"]
    for form in present.columns:
        allowed = designated(data["redcap_event_name"], form, event_forms)
        if form in F.REPEATING_FORMS:
            allowed &= repeating.eq(form)
        else:
            allowed &= repeating.eq("")
        wrong = present[form] & ~allowed
        for index in wrong[wrong].index:
            queries.append(_row_query(data.loc[index], source, "form_not_designated", ERROR,
                                      f"data of form {form} on a row where it does not belong; not used", form=form))
            excluded.add((index, form))
    return queries, excluded


def check_columns(columns, dictionary: pd.DataFrame, source: str, forms: dict[str, list[str]]) -> tuple[list, list]:
    """Columns the dictionary does not define; returns (queries, unknown columns)."""
    known = set(F.EXPORT_KEY_COLUMNS) | {LINE} | {c for cols in forms.values() for c in cols}
    known |= set(dictionary["field"])
    unknown = [c for c in columns if c not in known and not (c.endswith("_complete")
                                                              and c[: -len("_complete")] in set(dictionary["form"]))]
    queries = [query("unknown_field", WARNING, f"column {c!r} is not in the data dictionary; not used",
                     field=c, source=f"{source}:1") for c in unknown]
    return queries, unknown


def check_complete_codes(data: pd.DataFrame, forms: dict[str, list[str]], source: str) -> list[dict]:
    """``<form>_complete`` values outside 0/1/2 (REDCap's Incomplete/Unverified/Complete)."""
    queries = []
    for form in forms:
        column = f"{form}_complete"
        if column not in data.columns:
            continue
        bad = data[column].ne("") & ~data[column].isin(list(F.FORM_COMPLETE))
        queries += [_row_query(data.loc[i], source, "invalid_complete_code", WARNING,
                               f"{column} = {data.loc[i, column]!r} is not 0, 1 or 2", form=form, field=column,
                               value=data.loc[i, column]) for i in bad[bad].index]
    return queries

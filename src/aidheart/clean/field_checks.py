"""Apply the value rules of :mod:`aidheart.clean.validate` to every field of the export.

Each field is checked on the rows where its form is present. A finding becomes
a query (:mod:`aidheart.ingest.queries`) at the row's line; an error finding
also names the cell to be set missing. Identifier fields are never echoed:
their query ``value`` is empty.
"""

from __future__ import annotations

import pandas as pd

from aidheart import formats as F
from aidheart.clean import validate as V
from aidheart.clean.layout import field_columns
from aidheart.ingest.queries import ERROR, WARNING, query
from aidheart.ingest.redcap import LINE

MESSAGES = {
    "invalid_integer": "{field} = {value} is not a whole number",
    "invalid_number": "{field} = {value} is not a number",
    "invalid_date": "{field} = {value} is not a calendar date YYYY-MM-DD",
    "invalid_datetime": "{field} = {value} is not a date-time YYYY-MM-DD HH:MM",
    "datetime_with_seconds": "{field} = {value} has seconds, which a datetime_ymd field (YYYY-MM-DD HH:MM) does "
                             "not hold in REDCap; kept as given",
    "impossible_value": "{field} = {value} is impossible (cannot be negative or zero)",
    "out_of_range": "{field} = {value} is outside the dictionary range {low} to {high}",
    "invalid_choice": "{field} = {value} is not one of the codes {codes}",
    "invalid_checkbox": "{field} = {value} is not 0 or 1",
    "missing_required": "{field} is required but empty",
}


class Findings:
    """Collects queries and the cells that error queries exclude."""

    def __init__(self, data: pd.DataFrame, source: str, identifiers: set[str]):
        self.data = data
        self.source = source
        self.identifiers = identifiers
        self.queries: list[dict] = []
        self.masked: set[tuple[int, str]] = set()

    def add(self, rows: pd.Series, rule: str, severity: str, form: str, column: str, message_of) -> None:
        """One query per row in the boolean mask ``rows``; ``message_of(value)`` writes the sentence."""
        for index in rows[rows].index:
            row = self.data.loc[index]
            secret = column.split("___")[0] in self.identifiers
            value = "" if secret else row[column] if column in row.index else ""
            shown_value = "(withheld: identifier)" if secret else repr(value)
            self.queries.append(query(
                rule, severity, message_of(shown_value, index), record_id=row["record_id"],
                event=row["redcap_event_name"], form=form, field=column,
                instance=row["redcap_repeat_instance"], value=value, source=f"{self.source}:{row[LINE]}"))
            if severity == ERROR:
                self.masked.add((index, column))


def check_field(findings: Findings, spec: pd.Series, rows: pd.DataFrame, dictionary: pd.DataFrame) -> None:
    """All value rules of one dictionary field on ``rows`` (the rows where its form is present)."""
    field, form, kind = spec["field"], spec["form"], spec["type"]
    columns = [c for c in field_columns(dictionary, field) if c in rows.columns]
    codes = ", ".join(spec["choices"])
    for column in columns:
        values = rows[column]

        def say(rule, column=column):
            return lambda shown, index: MESSAGES[rule].format(field=column, value=shown, low=spec["min"] or "-",
                                                              high=spec["max"] or "-", codes=codes)

        if kind == "checkbox":
            findings.add(~values.isin(["0", "1", ""]), "invalid_checkbox", ERROR, form, column, say("invalid_checkbox"))
            continue
        if kind in ("radio", "dropdown", "yesno"):
            findings.add(V.check_choice(values, spec["choices"]), "invalid_choice", ERROR, form, column,
                         say("invalid_choice"))
        bad_format, rule = V.check_format(values, spec["validation"])
        findings.add(bad_format, rule, ERROR, form, column, say(rule))
        if spec["validation"] == "datetime_ymd":
            findings.add(V.check_seconds(values) & ~bad_format, "datetime_with_seconds", WARNING, form, column,
                         say("datetime_with_seconds"))
        if spec["validation"] in ("integer", "number") and (spec["min"] or spec["max"]):
            impossible, outside = V.check_range(values.where(~bad_format, ""), spec["min"], spec["max"])
            findings.add(impossible, "impossible_value", ERROR, form, column, say("impossible_value"))
            findings.add(outside, "out_of_range", ERROR, form, column, say("out_of_range"))
        if spec["required"] and field not in F.EXPORT_KEY_COLUMNS:
            findings.add(V.check_required(values, spec["branching"], rows), "missing_required", ERROR, form,
                         column, say("missing_required"))


def check_doses(findings: Findings, data: pd.DataFrame, present: pd.DataFrame, dictionary: pd.DataFrame,
                ranges: dict[str, tuple[float, float]]) -> None:
    """Doses against the per-drug plausible range of the configuration."""
    for dose_field, drug_field in V.DOSE_DRUG_FIELDS.items():
        if dose_field not in data.columns or drug_field not in data.columns:
            continue
        form = dictionary.loc[dose_field, "form"]
        rows = data[present[form]]
        messages = V.check_dose_range(rows[dose_field], rows[drug_field], ranges, dictionary.loc[drug_field, "choices"])
        messages = messages[~pd.Series([(i, dose_field) in findings.masked for i in messages.index],
                                       index=messages.index, dtype=bool)]
        findings.add(messages.ne(""), "inotrope_dose_range", ERROR, form, dose_field,
                     lambda shown, index: messages[index])


def validate_values(findings: Findings, data: pd.DataFrame, present: pd.DataFrame, dictionary: pd.DataFrame,
                    ranges: dict[str, tuple[float, float]]) -> None:
    """Run every field rule and the dose rule over the export."""
    for field, spec in dictionary.iterrows():
        if field in F.EXPORT_KEY_COLUMNS or spec["form"] not in present.columns:
            continue
        check_field(findings, spec, data[present[spec["form"]]], dictionary)
    check_doses(findings, data, present, dictionary, ranges)

"""The data-quality report's tables: the query listing summarised and listed, and the row reconciliation."""

from __future__ import annotations

import pandas as pd

SEVERITY_ORDER = ("error", "warning", "note")
#: Zero-width space: a line-break opportunity inside identifiers such as ``week_16_arm_1`` (PDF tables
#: wrap them instead of letting them overflow into the next column).
BREAK = "\u200b"
LISTING_COLUMNS = ("record_id", "event", "form", "field", "instance", "value", "rule", "severity", "message")


def combine_queries(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Query listings of several stages as one, with a ``stage`` column (stage name -> listing).

    Every cell becomes text; a missing cell becomes ``""`` (e.g. a study-level query has no subject).
    """
    parts = [frame.astype(object).fillna("").astype(str).assign(stage=stage) for stage, frame in frames.items()]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*LISTING_COLUMNS, "stage"])


#: Shown for a query that concerns a whole record rather than one form (e.g. a duplicated row).
NO_FORM = "(whole record)"


def _with_form(queries: pd.DataFrame) -> pd.DataFrame:
    return queries.assign(form=queries["form"].replace("", NO_FORM).fillna(NO_FORM))


def _severity_key(series: pd.Series) -> pd.Series:
    order = {name: i for i, name in enumerate(SEVERITY_ORDER)}
    return series.map(lambda value: order.get(value, len(order)))


def by_severity(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries per severity (errors first): ``Severity``, ``Queries``, ``Subjects``."""
    grouped = queries.groupby("severity").agg(Queries=("rule", "size"), Subjects=("record_id", "nunique"))
    grouped = grouped.reset_index().sort_values("severity", key=_severity_key, ignore_index=True)
    return grouped.rename(columns={"severity": "Severity"})


def by_form_rule(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries per form, rule and severity: ``Form``, ``Rule``, ``Severity``, ``Queries``, ``Subjects``."""
    grouped = (_with_form(queries).groupby(["form", "rule", "severity"]).agg(Queries=("record_id", "size"),
                                                                   Subjects=("record_id", "nunique"))
               .reset_index())
    grouped = grouped.rename(columns={"form": "Form", "rule": "Rule", "severity": "Severity"})
    return grouped.sort_values(["Form", "Rule"], ignore_index=True)


def by_subject(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries per subject with counts by severity and the forms concerned, most queries first."""
    table = pd.crosstab(queries["record_id"].astype(str), queries["severity"])
    table = table.reindex(columns=[s for s in SEVERITY_ORDER if s in table.columns]
                          + [s for s in table.columns if s not in SEVERITY_ORDER])
    table.columns = [str(name).capitalize() for name in table.columns]
    table.insert(0, "Queries", table.sum(axis=1))
    forms = (_with_form(queries).groupby(queries["record_id"].astype(str))["form"]
             .agg(lambda names: ", ".join(sorted(set(names)))))
    table["Forms"] = forms
    table = table.rename_axis("Subject").reset_index()
    return table.sort_values(["Queries", "Subject"], ascending=[False, True], ignore_index=True)


def wrappable(text: str) -> str:
    """``text`` with a line-break opportunity after each ``_``, ``/``, ``.`` and ``;`` (display only)."""
    for mark in ("_", "/", ".", ";"):
        text = text.replace(mark, mark + BREAK)
    return text


def query_listing(queries: pd.DataFrame) -> pd.DataFrame:
    """The full listing, sorted by subject, event, form, field and rule.

    Event, form and field share a column (``event · form · field``; the instance of a repeating
    form joins the field as ``field #4``); identifiers and messages may wrap (:func:`wrappable`);
    the value is shown verbatim; missing cells are empty.

    Returns
    -------
    DataFrame
        Columns ``Subject``, ``Event · form · field``, ``Value``, ``Rule``, ``Severity``, ``Message``.
    """
    columns = [column for column in LISTING_COLUMNS if column in queries]
    listing = queries.loc[:, columns].astype("string").fillna("")
    listing = listing.sort_values(["record_id", "event", "form", "field", "rule"], ignore_index=True)
    field = listing["field"].where(listing["instance"] == "", listing["field"] + " #" + listing["instance"])
    where = [" · ".join(part for part in parts if part) for parts in zip(listing["event"], listing["form"], field)]
    table = pd.DataFrame({
        "Subject": listing["record_id"],
        "Event · form · field": [wrappable(text) for text in where],
        "Value": listing["value"].str.replace("|", "/", regex=False),
        "Rule": listing["rule"].map(wrappable),
        "Severity": listing["severity"],
        "Message": listing["message"].str.replace("|", "/", regex=False).map(wrappable),
    })
    return table


def reconciliation_table(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Rows read, kept and excluded per source file and form, with a check that read = kept + excluded.

    Returns
    -------
    DataFrame
        Columns ``File``, ``Form``, ``Read``, ``Kept``, ``Excluded``, ``Reason``, ``Balanced``.
    """
    table = reconciliation.rename(columns={"source_file": "File", "form": "Form", "rows_read": "Read",
                                           "rows_kept": "Kept", "rows_excluded": "Excluded", "reason": "Reason"})
    table = table.loc[:, ["File", "Form", "Read", "Kept", "Excluded", "Reason"]].copy()
    table["Reason"] = table["Reason"].fillna("")
    balanced = table["Read"] == table["Kept"] + table["Excluded"]
    table["Balanced"] = balanced.map({True: "yes", False: "NO"})
    return table


def reconciliation_totals(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Totals per source kind (REDCap export, monitor files): files, rows read, kept, excluded."""
    kind = reconciliation["source_file"].str.split("/").str[0].map({"redcap": "REDCap export",
                                                                     "monitor": "Monitor files"})
    totals = reconciliation.assign(Source=kind.fillna("Other")).groupby("Source").agg(
        Files=("source_file", "nunique"), Read=("rows_read", "sum"), Kept=("rows_kept", "sum"),
        Excluded=("rows_excluded", "sum"))
    return totals.reset_index()

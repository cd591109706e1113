"""The data-quality report's tables: the one query listing summarised and listed, and the row reconciliation.

The listing (``results/qc/queries.csv``, :data:`aidheart.clean.listing.LISTING_COLUMNS`)
is split three ways, and every count of the report is taken from these parts:

- *open queries*: actionable queries raised by this run (status empty, ``new`` or
  ``still open``), the study team's to-do list;
- *notes*: device and derivation notes raised by this run, nothing to correct in REDCap;
- *resolved*: queries of the previous listing raised no more (only when a previous
  listing was given).

Cells are shown as recorded: no character is inserted to help a line break (a
field name copied from the report must match REDCap's); long cells wrap by the
table's layout (CSS in the HTML, line-break opportunities that add no character in
the PDF).
"""

from __future__ import annotations

import pandas as pd

from aidheart.clean.listing import ACTIONABLE, NOTE, RESOLVED
from aidheart.clean.reconcile import FILE

SEVERITY_ORDER = ("error", "warning")
STATUS_ORDER = ("new", "still open", RESOLVED)
#: Shown for a query that concerns a whole record rather than one form (e.g. a duplicated row).
NO_FORM = "(whole record)"


def open_queries(listing: pd.DataFrame) -> pd.DataFrame:
    """The actionable queries this run raised (not the resolved ones)."""
    return listing[listing["category"].eq(ACTIONABLE) & listing["status"].ne(RESOLVED)]


def notes(listing: pd.DataFrame) -> pd.DataFrame:
    """The device and derivation notes this run raised."""
    return listing[listing["category"].eq(NOTE) & listing["status"].ne(RESOLVED)]


def resolved(listing: pd.DataFrame) -> pd.DataFrame:
    """The previous listing's queries and notes that this run no longer raises."""
    return listing[listing["status"].eq(RESOLVED)]


def has_status(listing: pd.DataFrame) -> bool:
    """Whether the listing was compared with a previous one (every line then has a status)."""
    return bool(len(listing)) and listing["status"].ne("").all()


def _owner(queries: pd.DataFrame) -> pd.Series:
    return queries["owner_form"].replace("", NO_FORM)


def _ordered(series: pd.Series, order) -> pd.Series:
    rank = {name: i for i, name in enumerate(order)}
    return series.map(lambda value: rank.get(value, len(rank)))


def by_severity(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries per severity (errors first): ``Severity``, ``Queries``, ``Subjects``."""
    grouped = queries.groupby("severity").agg(Queries=("rule", "size"), Subjects=("record_id", "nunique"))
    grouped = grouped.reset_index().sort_values("severity", key=lambda s: _ordered(s, SEVERITY_ORDER),
                                                ignore_index=True)
    return grouped.rename(columns={"severity": "Severity"})


def by_form_rule(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries per owner form, rule and severity: ``Form``, ``Rule``, ``Severity``, ``Queries``, ``Subjects``."""
    grouped = (queries.assign(form=_owner(queries)).groupby(["form", "rule", "severity"])
               .agg(Queries=("record_id", "size"), Subjects=("record_id", "nunique")).reset_index())
    grouped = grouped.rename(columns={"form": "Form", "rule": "Rule", "severity": "Severity"})
    return grouped.sort_values(["Form", "Rule"], ignore_index=True)


def by_subject(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries per subject with counts by severity and the owner forms concerned, most queries first."""
    subjects = queries["record_id"].astype(str)
    table = pd.crosstab(subjects, queries["severity"])
    table = table.reindex(columns=[s for s in SEVERITY_ORDER if s in table.columns]
                          + [s for s in table.columns if s not in SEVERITY_ORDER])
    table.columns = [str(name).capitalize() for name in table.columns]
    table.insert(0, "Queries", table.sum(axis=1))
    table["Forms"] = _owner(queries).groupby(subjects).agg(lambda names: ", ".join(sorted(set(names))))
    table = table.rename_axis("Subject").reset_index()
    return table.sort_values(["Queries", "Subject"], ascending=[False, True], ignore_index=True)


def notes_by_rule(found: pd.DataFrame) -> pd.DataFrame:
    """Notes per rule: ``Rule``, ``Notes``, ``Subjects``, ``Sessions`` (subject and event)."""
    grouped = found.groupby("rule").agg(Notes=("record_id", "size"), Subjects=("record_id", "nunique"))
    sessions = found.drop_duplicates(["rule", "record_id", "event"]).groupby("rule").size()
    grouped["Sessions"] = sessions
    return grouped.reset_index().rename(columns={"rule": "Rule"})


def by_status(listing: pd.DataFrame) -> pd.DataFrame:
    """Lines per status against the previous listing: ``Status``, ``Actionable``, ``Notes``, ``Subjects``."""
    table = pd.crosstab(listing["status"], listing["category"]).reindex(columns=[ACTIONABLE, NOTE], fill_value=0)
    table.columns = ["Actionable", "Notes"]
    table["Subjects"] = listing.groupby("status")["record_id"].nunique()
    table = table.rename_axis("Status").reset_index()
    return table.sort_values("Status", key=lambda s: _ordered(s, STATUS_ORDER), ignore_index=True)


def shown_source(source: str) -> str:
    """``redcap/<export>.csv:449`` -> ``export:449``; ``monitor/<file>:35`` -> ``monitor:35``; others as they are.

    The file is named elsewhere in the line (a monitor file is the query's field) and in the reconciliation.
    """
    parts = []
    for one in source.split("; "):
        file, colon, line = one.rpartition(":") if ":" in one else (one, "", "")
        kind = {"redcap": "export", "monitor": "monitor"}.get(file.split("/")[0])
        parts.append(f"{kind}{colon}{line}" if kind else one)
    return "; ".join(parts)


def _where(queries: pd.DataFrame) -> list[str]:
    field = queries["field"].where(queries["instance"] == "", queries["field"] + " #" + queries["instance"])
    places = [" · ".join(part for part in parts if part) for parts in zip(queries["event"], queries["form"], field)]
    recorded = queries["source"].str.startswith("redcap/") & queries["value"].ne("")
    return [f"{place} = {value}" if shown else place for place, value, shown in zip(places, queries["value"], recorded)]


def _pipe_safe(series: pd.Series) -> pd.Series:
    return series.str.replace("|", "/", regex=False)


def query_listing(queries: pd.DataFrame, *, with_status: bool = False, with_severity: bool = True) -> pd.DataFrame:
    """Listing lines in the listing's order (subject, event, form, field, rule), cells as recorded.

    Five columns, so that the message, the one long text, has room on an A4 page: the ID with
    its source (shortened by :func:`shown_source`); the subject; event, form and field
    (``event · form · field``; a repeating form's instance joins the field as ``field #4``),
    with ``= value`` when the value is one recorded in the REDCap export (a monitor file's or
    a derivation's value is a count, which its message gives); the severity; and the rule
    followed by the message. A ``|`` in a value or message is shown as ``/`` (it would end a
    table cell).

    Returns
    -------
    DataFrame
        ``Query (source)``, ``Status`` (``with_status``), ``Subject``, ``Event · form · field``,
        ``Severity`` (``with_severity``), ``Rule: message``.
    """
    listing = queries.astype(str).reset_index(drop=True)
    table = pd.DataFrame({
        "Query (source)": listing["query_id"] + " (" + listing["source"].map(shown_source) + ")",
        "Status": listing["status"], "Subject": listing["record_id"],
        "Event · form · field": _pipe_safe(pd.Series(_where(listing), dtype=object)),
        "Severity": listing["severity"], "Rule: message": listing["rule"] + ": " + _pipe_safe(listing["message"]),
    })
    dropped = [name for name, keep in (("Status", with_status), ("Severity", with_severity)) if not keep]
    return table.drop(columns=dropped)


def reconciliation_table(reconciliation: pd.DataFrame, level: str, collapse_complete: bool = False) -> pd.DataFrame:
    """Rows read, kept and excluded per source file and form at one ``level``, with read = kept + excluded checked.

    With ``collapse_complete``, the files that kept every row read (and balance) are one
    row per folder, ``<folder>/: <n> files, every row kept``, with their summed counts, after
    the files that excluded a row or do not balance (each still a row of its own): a study
    of thousands of monitor files shows the few that lost rows; the reconciliation CSV
    keeps every file.

    Returns
    -------
    DataFrame
        Columns ``File``, ``Form``, ``Read``, ``Kept``, ``Excluded``, ``Reason``, ``Balanced``.
    """
    rows = reconciliation[reconciliation["level"].eq(level)]
    table = rows.rename(columns={"source_file": "File", "form": "Form", "rows_read": "Read",
                                 "rows_kept": "Kept", "rows_excluded": "Excluded", "reason": "Reason"})
    table = table.loc[:, ["File", "Form", "Read", "Kept", "Excluded", "Reason"]].reset_index(drop=True)
    table["Reason"] = table["Reason"].fillna("")
    balanced = table["Read"] == table["Kept"] + table["Excluded"]
    table["Balanced"] = balanced.map({True: "yes", False: "NO"})
    if not collapse_complete:
        return table
    complete = balanced & table["Excluded"].eq(0)
    folder = table["File"].str.split("/", n=1).str[0]
    collapsed = [
        {"File": f"{name}/: {len(files)} files, every row kept", "Form": ", ".join(sorted(set(files["Form"]))),
         "Read": files["Read"].sum(), "Kept": files["Kept"].sum(), "Excluded": 0, "Reason": "", "Balanced": "yes"}
        for name, files in table[complete].groupby(folder[complete], sort=True)
    ]
    return pd.concat([table[~complete], pd.DataFrame(collapsed, columns=table.columns)], ignore_index=True)


def reconciliation_totals(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Totals per source kind (REDCap export, monitor files) over the file level, each raw row once."""
    files = reconciliation[reconciliation["level"].eq(FILE)]
    kind = files["source_file"].str.split("/").str[0].map({"redcap": "REDCap export", "monitor": "Monitor files"})
    totals = files.assign(Source=kind.fillna("Other")).groupby("Source").agg(
        Files=("source_file", "nunique"), Read=("rows_read", "sum"), Kept=("rows_kept", "sum"),
        Excluded=("rows_excluded", "sum"))
    return totals.reset_index()


"""The data cut-off: records dated after it are excluded (reason ``after_cutoff``, not a query).

Rules
-----
Each form is dated by one field (:data:`FORM_DATE`): a visit by its visit date,
labs by the draw date, an adverse event by its onset, a diary week by its first
day, the completion form by its date (excluded -> the subject is still
"Ongoing"), enrollment by consent (a subject consented after the cut-off is
excluded entirely). A form whose date is missing is kept. Without a cut-off
nothing is excluded.

``cutoff_after_export`` (warning, once per run, also in the job's log): the
cut-off is later than the export date in the export's file name. The data
stop at the export, so what is judged "at the cut-off" (visits overdue,
ongoing events, time on study) would count days the export cannot show.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd

from aidheart import formats as F
from aidheart.clean.studyday import to_dates
from aidheart.ingest.queries import WARNING, query

FORM_DATE = {
    F.FORM_ENROLLMENT: "consent_date",
    F.FORM_VISIT: "visit_date",
    F.FORM_CHALLENGE: "ch_date",
    F.FORM_WALK: "smw_date",
    F.FORM_LABS: "lab_date",
    F.FORM_CLINICAL: "clin_date",
    F.FORM_AE: "ae_onset",
    F.FORM_INOTROPE_LOG: "ino_date",
    F.FORM_DIARY: "diary_start",
    F.FORM_DEVIATIONS: "dev_date",
    F.FORM_COMPLETION: "eos_date",
}
AFTER_CUTOFF = "after_cutoff"


def after_cutoff(data: pd.DataFrame, form: str, cutoff: dt.date | None) -> pd.Series:
    """Rows whose ``form`` is dated after ``cutoff`` (all False without a cut-off or a dating field)."""
    column = FORM_DATE.get(form)
    if cutoff is None or column not in data.columns:
        return pd.Series(False, index=data.index)
    return (to_dates(data[column]) > pd.Timestamp(cutoff)).fillna(False).astype(bool)


def records_after_cutoff(data: pd.DataFrame, cutoff: dt.date | None) -> set[str]:
    """Records consented after the cut-off (not yet in the study at the cut-off)."""
    screening = data[data["redcap_event_name"].eq(F.EVENT_SCREENING)]
    late = after_cutoff(screening, F.FORM_ENROLLMENT, cutoff)
    return set(screening.loc[late, "record_id"])


def export_date(export_path) -> dt.date | None:
    """The export date in the export's file name (REDCap's ``AIDHEART_DATA_YYYY-MM-DD_HHMM.csv``), else None."""
    match = F.EXPORT_FILE_PATTERN.match(Path(export_path).name)
    return dt.date.fromisoformat(match.group(1)) if match else None


def data_end(cutoff: dt.date | None, export_path) -> dt.date | None:
    """The last day the data can show: the cut-off when configured, else the export date."""
    return cutoff if cutoff is not None else export_date(export_path)


def cutoff_after_export(cutoff: dt.date | None, export_path, source: str) -> list[dict]:
    """The ``cutoff_after_export`` warning (module notes) as a one-query list, logged once; else ``[]``."""
    exported = export_date(export_path)
    if cutoff is None or exported is None or cutoff <= exported:
        return []
    message = (f"the data cut-off {cutoff} (config cutoff_date) is after the export date {exported}; "
               "data after the export are not in it, so set the cut-off on or before the export date")
    logging.getLogger(__name__).warning("%s: %s", source, message)
    return [query("cutoff_after_export", WARNING, message, field="cutoff_date", value=str(cutoff),
                  source=f"{source}:1")]

"""Scheduled visits and forms with no data once the visit's window has closed.

Rules
-----
- ``missed_visit`` (warning): a scheduled visit after baseline (the visits of the
  configuration) whose window (nominal day ± window) closed before the reference
  day, with no kept row of any form at its event, for a dosed subject who was still
  in the study when the window closed (no end-of-study date on or before the
  window's last day). The reference day is the data cut-off's study day, else the
  export date's (the data stop there). The query sits on the visit form's date at
  the visit's event; its source is the export file alone, there being no row.
- ``missing_form`` (warning): at a visit with data (a kept row at its event) whose
  window closed before the reference day, a form the visit collects (its ``forms``
  in the configuration, the visit form among them) has none. The source is the
  first row of the visit's event.
- Baseline visits are not checked as missed: a dosed subject has it (the first-dose date is on it).
- Subjects consented after the cut-off are not in the kept rows and are not checked.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from aidheart import formats as F
from aidheart.clean.reference import day_column
from aidheart.clean.studyday import study_day
from aidheart.ingest.queries import WARNING, query
from aidheart.ingest.redcap import LINE
from aidheart.study import Visit


def reference_days(reference: pd.DataFrame, day: dt.date) -> pd.Series:
    """Study day of the calendar ``day`` for every subject of ``reference`` (record_id index)."""
    when = pd.Series(pd.Timestamp(day), index=reference.index).astype(reference["origin"].dtype)
    return study_day(when, reference["origin"])


def schedule_queries(kept: dict[str, pd.DataFrame], reference: pd.DataFrame, visits: tuple[Visit, ...],
                     data_end: dt.date, end_name: str, source: str) -> list[dict]:
    """``missed_visit`` and ``missing_form`` queries (module rules), in subject and schedule order.

    Parameters
    ----------
    kept : form -> its kept export rows (``record_id``, ``redcap_event_name``, the line).
    reference : per-subject reference dates (:func:`aidheart.clean.reference.reference_dates`).
    visits : the schedule, baseline first.
    data_end : the cut-off date, else the export date.
    end_name : what ``data_end`` is, for the message (``"the cut-off"``, ``"the export date"``).
    source : the export file as the listing names it.
    """
    dosed = reference[reference["day_origin"].eq("first_dose")]
    if dosed.empty:
        return []
    end_day = reference_days(dosed, data_end)
    completion = kept[F.FORM_COMPLETION]
    eos = day_column(completion, "eos_date", reference).groupby(completion["record_id"]).first()
    present = {form: set(zip(rows["record_id"], rows["redcap_event_name"])) for form, rows in kept.items()}
    lines = pd.concat([rows[["record_id", "redcap_event_name", LINE]] for rows in kept.values()])
    first_line = lines.groupby(["record_id", "redcap_event_name"])[LINE].min()
    queries = []
    for record_id in sorted(dosed.index, key=lambda r: (len(r), r)):
        left = eos.get(record_id, pd.NA)
        for number, visit in enumerate(visits):
            if not visit.window_end < end_day[record_id]:
                continue
            key = (record_id, visit.event)
            if key in first_line.index:
                queries += [query("missing_form", WARNING, f"{visit.avisit} has data but its {form} form has "
                                  "none: enter it, or confirm it was not done", record_id=record_id,
                                  event=visit.event, form=form, source=f"{source}:{first_line[key]}")
                            for form in visit.forms if key not in present.get(form, ())]
            elif number and not (pd.notna(left) and left <= visit.window_end):
                queries.append(query("missed_visit", WARNING, f"{visit.avisit} (nominal day {visit.day}, window "
                                     f"days {visit.window_start} to {visit.window_end}) has no data, and its window "
                                     f"closed before {end_name} (study day {end_day[record_id]}) while the subject was "
                                     "in the study: enter the visit, or confirm it was missed",
                                     record_id=record_id, event=visit.event, form=F.FORM_VISIT, field="visit_date",
                                     source=source))
    return queries

"""Data completeness at the cut-off: forms expected vs received per visit, and overdue visits.

Rules
-----
- Only treated subjects (``SAFFL``) have scheduled visits.
- A visit is *due* when its window (nominal day ± window, the schedule) closed
  before the subject's cut-off day (``DCUTDY``), and the subject had not left the
  study before the window opened (end-of-study day ``EOSDY`` on or after the
  window's first day). Without a cut-off day the end-of-study day is the
  reference; an ongoing subject without either has no due visits.
- A visit is *expected* when it is due or was held (a visit held early counts).
- The forms expected at a visit are its ``forms`` (configuration); a form is
  *received* when its clean table has a row for the subject and visit (event).
- A due visit without a visit form is listed: *overdue* while the subject is on
  study (with the days from the window's close to the cut-off), *missed* once
  the subject has left it.
"""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_count, fmt_listing, fmt_number
from aidheart.tables.populations import treated
from aidheart.study import Schedule

#: REDCap form -> (label, the clean table holding one row per form received).
FORMS = {
    "visit_info": ("Visit information", "visits"),
    "labs": ("Safety labs", "labs"),
    "clinical": ("Clinical assessment", "clinical"),
    "six_minute_walk": ("Six-minute walk", "walks"),
    "inotrope_challenge": ("Inotrope challenge", "challenge_sessions"),
}
SCHEDULE_COLUMNS = ["SUBJID", "event", "avisit", "nominal_day", "window_close", "reference_day", "ended", "due",
                    "held", "expected"]
OVERDUE_COLUMNS = ["Subject", "Visit", "Nominal day", "Window closed (day)", "Days past window", "Subject status"]
ENDED = ("COMPLETED", "DISCONTINUED")


def scheduled_visits(adsl: pd.DataFrame, visits_clean: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """Every treated subject x scheduled visit, with ``due``, ``held`` and ``expected`` flags.

    Returns
    -------
    DataFrame
        :data:`SCHEDULE_COLUMNS`: ``window_close`` the last day of the window,
        ``reference_day`` the cut-off (else end-of-study) day, ``ended`` whether the
        subject left the study by the cut-off.
    """
    dosed = treated(adsl)
    ended = dosed["EOSSTT"].isin(ENDED)
    eos = pd.to_numeric(dosed["EOSDY"], errors="coerce").where(ended)
    cutoff = pd.to_numeric(dosed["DCUTDY"], errors="coerce")
    reference = cutoff.where(cutoff.notna(), eos)
    held = set(zip(visits_clean["record_id"].astype(str), visits_clean["event"]))
    rows = []
    for subject, ref, end in zip(dosed["SUBJID"].astype(str), reference, eos):
        for visit in schedule.visits:
            due = bool(pd.notna(ref) and visit.window_end < ref and (pd.isna(end) or end >= visit.window_start))
            was_held = (subject, visit.event) in held
            rows.append((subject, visit.event, visit.avisit, visit.day, visit.window_end, ref, pd.notna(end), due,
                         was_held, due or was_held))
    return pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)


def completeness_table(scheduled: pd.DataFrame, forms: dict[str, pd.DataFrame], schedule: Schedule) -> pd.DataFrame:
    """Forms expected and received per visit and form (``forms``: clean table name -> table).

    Visits nobody is expected at yet are left out.

    Returns
    -------
    DataFrame
        Columns ``Visit``, ``Form``, ``Expected``, ``Received``, ``Missing``, ``Received, %``.
    """
    expected = scheduled[scheduled["expected"].astype(bool)] if len(scheduled) else scheduled
    rows = []
    for visit in schedule.visits:
        subjects = list(expected.loc[expected["event"] == visit.event, "SUBJID"]) if len(expected) else []
        if not subjects:
            continue
        for form in visit.forms:
            label, table_name = FORMS[form]
            table = forms.get(table_name)
            present = (set(zip(table["record_id"].astype(str), table["event"]))
                       if table is not None and len(table) else set())
            got = sum((subject, visit.event) in present for subject in subjects)
            rows.append((visit.avisit, label, fmt_count(len(subjects)), fmt_count(got), fmt_count(len(subjects) - got),
                         fmt_number(100 * got / len(subjects), 0)))
    return pd.DataFrame(rows, columns=["Visit", "Form", "Expected", "Received", "Missing", "Received, %"])


def overdue_table(scheduled: pd.DataFrame) -> pd.DataFrame:
    """Due visits without a visit form: overdue (subject on study) or missed (subject left), as text."""
    if scheduled.empty:
        return pd.DataFrame(columns=OVERDUE_COLUMNS)
    late = scheduled[scheduled["due"].astype(bool) & ~scheduled["held"].astype(bool)]
    frame = pd.DataFrame({
        "Subject": late["SUBJID"], "Visit": late["avisit"], "Nominal day": late["nominal_day"].astype(int),
        "Window closed (day)": late["window_close"].astype(int),
        "Days past window": (late["reference_day"] - late["window_close"]).astype("Int64").where(~late["ended"]),
        "Subject status": late["ended"].map({True: "Missed (left study)", False: "Overdue (on study)"}),
    }, columns=OVERDUE_COLUMNS).reset_index(drop=True)
    return fmt_listing(frame)

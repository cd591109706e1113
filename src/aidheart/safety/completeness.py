"""Data completeness at the cut-off: forms expected vs received per visit, and overdue visits.

Rules
-----
- Only enrolled subjects (first dose by the cut-off) have scheduled visits.
- A visit is *due* when its window (nominal day ± window, from ``config``
  ``visits``) closed before the subject's cut-off day, and the subject had not
  left the study before the window opened (end-of-study day on or after the
  window's first day).  Without a cut-off day the end-of-study day is the
  reference; an ongoing subject without either has no due visits.
- A visit is *expected* when it is due or was held (a visit held early counts).
- A form is *received* when the clean table of that form has a row for the
  subject and visit (event).
- A due visit without a visit form is listed: *overdue* while the subject is on
  study (with the days from the window's close to the cut-off), *missed* once
  the subject has left it.
"""

from __future__ import annotations

import pandas as pd

#: Protocol schedule (SPEC section 1): form -> the visits (events) it is collected at
#: (None: every scheduled visit).
SCHEDULE = {
    "Visit information": None,
    "Safety labs": None,
    "Clinical assessment": None,
    "Six-minute walk": ("baseline_arm_1", "week_4_arm_1", "week_12_arm_1", "week_16_arm_1"),
    "Inotrope challenge": ("baseline_arm_1", "week_4_arm_1", "week_12_arm_1", "week_16_arm_1"),
}
COMPLETENESS_COLUMNS = ["visit", "form", "expected", "received", "missing"]
OVERDUE_COLUMNS = ["Subject", "Visit", "Nominal day", "Window closed (day)", "Days past window", "Subject status"]


def _days(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def scheduled_visits(subjects: pd.DataFrame, completion: pd.DataFrame, visits: pd.DataFrame,
                     plan: list[dict]) -> pd.DataFrame:
    """Every enrolled subject × planned visit, with ``due``, ``held`` and ``expected`` flags.

    Returns
    -------
    DataFrame with ``record_id``, ``event``, ``avisit``, ``nominal_day``,
    ``window_close`` (last day of the window), ``reference_day`` (cut-off or
    end-of-study day), ``ended`` (the subject left the study by the cut-off),
    ``due``, ``held`` and ``expected``.
    """
    columns = ["record_id", "event", "avisit", "nominal_day", "window_close", "reference_day", "ended", "due",
               "held", "expected"]
    dosed = subjects[subjects["day_origin"].astype("string").eq("first_dose").fillna(False).astype(bool)]
    if dosed.empty:
        return pd.DataFrame(columns=columns)
    status = completion.assign(status=completion["status"].astype("string").fillna("").str.strip())
    ended = status[~status["status"].isin(["", "Ongoing"])].drop_duplicates("record_id").set_index("record_id")
    eos = _days(dosed["record_id"].map(ended["eos_day"]))
    cutoff = _days(dosed["cutoff_day"])
    reference = cutoff.where(cutoff.notna(), eos)
    held = set(zip(visits["record_id"], visits["event"]))
    rows = []
    for (record, ref, end) in zip(dosed["record_id"], reference, eos):
        for visit in plan:
            close, opened = visit["day"] + visit["window"], visit["day"] - visit["window"]
            due = bool(pd.notna(ref) and close < ref and (pd.isna(end) or end >= opened))
            was_held = (record, visit["event"]) in held
            rows.append((record, visit["event"], visit["avisit"], visit["day"], close, ref, pd.notna(end), due,
                         was_held, due or was_held))
    return pd.DataFrame(rows, columns=columns)


def forms_received(schedule: pd.DataFrame, forms: dict[str, pd.DataFrame], plan: list[dict]) -> pd.DataFrame:
    """Forms expected and received per visit (``forms``: form name -> its clean table with ``record_id``, ``event``).

    Returns one row per visit × scheduled form: ``visit``, ``form``, ``expected``
    (subjects), ``received`` (of those expected), ``missing``.
    """
    rows = []
    expected = schedule[schedule["expected"].astype(bool)] if len(schedule) else schedule
    for visit in plan:
        at_visit = expected[expected["event"] == visit["event"]] if len(expected) else expected
        for form, events in SCHEDULE.items():
            if events is not None and visit["event"] not in events:
                continue
            table = forms.get(form)
            present = set(zip(table["record_id"], table["event"])) if table is not None and len(table) else set()
            n = len(at_visit)
            got = sum((record, visit["event"]) in present for record in at_visit["record_id"]) if n else 0
            rows.append((visit["avisit"], form, n, got, n - got))
    return pd.DataFrame(rows, columns=COMPLETENESS_COLUMNS)


def overdue_visits(schedule: pd.DataFrame) -> pd.DataFrame:
    """Due visits without a visit form: overdue (subject on study) or missed (subject left), by subject."""
    if schedule.empty:
        return pd.DataFrame(columns=OVERDUE_COLUMNS)
    late = schedule[schedule["due"].astype(bool) & ~schedule["held"].astype(bool)]
    return pd.DataFrame({
        "Subject": late["record_id"].astype(str), "Visit": late["avisit"],
        "Nominal day": late["nominal_day"].astype(int), "Window closed (day)": late["window_close"].astype(int),
        "Days past window": (late["reference_day"] - late["window_close"]).astype("Int64").where(~late["ended"]),
        "Subject status": late["ended"].map({True: "Missed (left study)", False: "Overdue (on study)"}),
    }, columns=OVERDUE_COLUMNS).reset_index(drop=True)

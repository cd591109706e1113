"""Subject status at the data cut-off, enrolment over time and screen failures.

Definitions (stated in the report):

- *screened*: consented by the cut-off (one row of the clean ``subjects`` table);
- *screen failure*: eligibility answered "No"; *eligible*: answered "Yes";
  *in screening*: not yet answered;
- *enrolled*: received the first dose of study drug by the cut-off (the safety
  population; ``day_origin == "first_dose"``), as counted against the
  enrolment target;
- *completed* / *discontinued*: the study-completion form dated by the cut-off
  says completed / any other status (its reason); enrolled subjects without such
  a form are *ongoing*, in the treatment period while the cut-off day is on or
  before the end-of-treatment visit's nominal day, else in off-drug follow-up.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

SCREEN_FAILURE = "Screen failure"
IN_SCREENING = "In screening (eligibility pending)"
AWAITING_DOSE = "Eligible, first dose pending"
ON_TREATMENT = "Ongoing: treatment period"
FOLLOW_UP = "Ongoing: off-drug follow-up"
ONGOING = "Ongoing"
COMPLETED = "Completed"
DISCONTINUED = "Discontinued"
#: Completion-form statuses that are not an end of study.
NOT_ENDED = ("", "Ongoing")

STATUS_COLUMNS = ["record_id", "screened", "eligible", "enrolled", "category", "reason"]
FLOW_COLUMNS = ["level", "label", "n", "denominator", "of"]


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def subject_status(subjects: pd.DataFrame, completion: pd.DataFrame, eot_day: int) -> pd.DataFrame:
    """One row per screened subject with its status category at the cut-off.

    Returns
    -------
    DataFrame with ``record_id``, ``screened`` (True), ``eligible`` (bool),
    ``enrolled`` (bool, first dose by the cut-off), ``category`` (one of the
    module's category labels) and ``reason`` (the completion status of a
    discontinued subject, else empty).
    """
    if subjects.empty:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    eligible_answer = _text(subjects["enrolled"])
    dosed = _text(subjects["day_origin"]).eq("first_dose")
    ended = completion.assign(status=_text(completion["status"]))
    ended = ended[~ended["status"].isin(NOT_ENDED)].drop_duplicates("record_id").set_index("record_id")["status"]
    status = subjects["record_id"].map(ended).astype("string").fillna("")
    cutoff_day = pd.to_numeric(subjects["cutoff_day"], errors="coerce")
    category, reason = [], []
    for answer, on_drug, end, day in zip(eligible_answer, dosed, status, cutoff_day):
        why = ""
        if on_drug and end == "Completed":
            label = COMPLETED
        elif on_drug and end:
            label, why = DISCONTINUED, end
        elif on_drug:
            label = ONGOING if pd.isna(day) else ON_TREATMENT if day <= eot_day else FOLLOW_UP
        elif answer == "N":
            label = SCREEN_FAILURE
        elif answer == "Y":
            label = AWAITING_DOSE
        else:
            label = IN_SCREENING
        category.append(label)
        reason.append(why)
    return pd.DataFrame({"record_id": subjects["record_id"].to_numpy(), "screened": True,
                         "eligible": eligible_answer.eq("Y").to_numpy() | dosed.to_numpy(),
                         "enrolled": dosed.to_numpy(), "category": category, "reason": reason})


def status_flow(status: pd.DataFrame) -> pd.DataFrame:
    """The study status flow: counts with their denominators (screened, or enrolled).

    Returns
    -------
    DataFrame with ``level`` (0 = heading row: screened, enrolled; 1 = a part
    of the heading above; 2 = a reason), ``label``, ``n``, ``denominator`` (the
    count the percentage is of; missing for the screened) and ``of`` (the
    denominator's name).  The level-1 rows under each heading add up to it.
    """
    screened = len(status)
    enrolled = int(status["enrolled"].sum()) if screened else 0
    count = status["category"].value_counts() if screened else pd.Series(dtype=int)
    rows = [(0, "Screened (consented)", screened, None, ""),
            (1, "Screen failure", int(count.get(SCREEN_FAILURE, 0)), screened, "screened"),
            (1, IN_SCREENING, int(count.get(IN_SCREENING, 0)), screened, "screened"),
            (1, AWAITING_DOSE, int(count.get(AWAITING_DOSE, 0)), screened, "screened"),
            (0, "Enrolled (received at least one dose)", enrolled, screened, "screened")]
    for label in (ON_TREATMENT, FOLLOW_UP, ONGOING):
        if label != ONGOING or count.get(ONGOING, 0):
            rows.append((1, label, int(count.get(label, 0)), enrolled, "enrolled"))
    rows.append((1, "Completed study", int(count.get(COMPLETED, 0)), enrolled, "enrolled"))
    rows.append((1, "Discontinued study", int(count.get(DISCONTINUED, 0)), enrolled, "enrolled"))
    if screened:
        reasons = status.loc[status["category"].eq(DISCONTINUED), "reason"].value_counts()
        for reason in sorted(reasons.index, key=lambda r: (-reasons[r], r)):
            rows.append((2, f"Reason: {reason}", int(reasons[reason]), enrolled, "enrolled"))
    return pd.DataFrame(rows, columns=FLOW_COLUMNS)


def screen_failure_reasons(subjects: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Screen failures by reason: ``reason``, ``n``, ``denominator`` (screen failures), most frequent first."""
    if status.empty:
        return pd.DataFrame(columns=["reason", "n", "denominator"])
    failed = subjects.loc[status["category"].eq(SCREEN_FAILURE).to_numpy()]
    reasons = _text(failed["screen_fail_reason"]).replace("", "Not recorded").value_counts()
    order = sorted(reasons.index, key=lambda r: (-reasons[r], r))
    return pd.DataFrame({"reason": order, "n": [int(reasons[r]) for r in order], "denominator": len(failed)})


def _month_index(month: str) -> int:
    year, number = (int(part) for part in month.split("-"))
    return 12 * year + number - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_elapsed(date: dt.date, accrual_start: str) -> float:
    """Months from the first day of ``accrual_start`` (``YYYY-MM``) to the end of ``date``, a part month
    counting by its elapsed days (negative before the start)."""
    elapsed = _month_index(f"{date.year}-{date.month:02d}") - _month_index(accrual_start)
    return elapsed + date.day / calendar.monthrange(date.year, date.month)[1]


def expected_enrolment(date: dt.date, accrual_start: str, accrual_months: int, target: int) -> float:
    """Expected cumulative enrolment at the end of ``date`` under linear accrual.

    Accrual runs from the first day of ``accrual_start`` (``YYYY-MM``) for
    ``accrual_months`` months at ``target / accrual_months`` subjects a month,
    a part month counting by its elapsed days; 0 before, ``target`` after.
    """
    elapsed = months_elapsed(date, accrual_start)
    return float(target) * min(max(elapsed / accrual_months, 0.0), 1.0)


def _month_end(index: int) -> dt.date:
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def enrolment_by_month(subjects: pd.DataFrame, cutoff: dt.date, accrual_start: str, accrual_months: int,
                       target: int) -> pd.DataFrame:
    """Screened and enrolled per calendar month, cumulative actual and expected enrolment.

    Months run from the earlier of ``accrual_start`` and the first consent to the
    cut-off's month; the last month is counted to the cut-off (its expected
    value is at the cut-off date, not the month's end).

    Returns
    -------
    DataFrame with ``month`` (``YYYY-MM``), ``screened``, ``enrolled``,
    ``cumulative_screened``, ``cumulative_enrolled``, ``expected`` (cumulative,
    full precision) and ``date`` (the day the cumulative values refer to).
    """
    consent = _text(subjects["consent_month"]) if len(subjects) else pd.Series(dtype="string")
    dosed = _text(subjects["first_dose_month"]) if len(subjects) else pd.Series(dtype="string")
    last = _month_index(f"{cutoff.year}-{cutoff.month:02d}")
    first = min([_month_index(accrual_start)] + [_month_index(m) for m in consent if m])
    first = min(first, last)
    rows = []
    for index in range(first, last + 1):
        month = _month_name(index)
        day = cutoff if index == last else _month_end(index)
        rows.append({"month": month, "screened": int(consent.eq(month).sum()), "enrolled": int(dosed.eq(month).sum()),
                     "expected": expected_enrolment(day, accrual_start, accrual_months, target), "date": day})
    frame = pd.DataFrame(rows, columns=["month", "screened", "enrolled", "expected", "date"])
    frame["cumulative_screened"] = frame["screened"].cumsum()
    frame["cumulative_enrolled"] = frame["enrolled"].cumsum()
    return frame[["month", "screened", "enrolled", "cumulative_screened", "cumulative_enrolled", "expected", "date"]]


def enrolment_status(status: pd.DataFrame, cutoff: dt.date, accrual_start: str, accrual_months: int,
                     target: int) -> pd.DataFrame:
    """Enrolment against plan at the cut-off: one row per quantity (``quantity``, ``value``, ``unit``).

    Values are full precision; ``unit`` says how to show them (``count``,
    ``number``, ``percent``, ``text``).
    """
    screened = len(status)
    enrolled = int(status["enrolled"].sum()) if screened else 0
    failures = int(status["category"].eq(SCREEN_FAILURE).sum()) if screened else 0
    expected = expected_enrolment(cutoff, accrual_start, accrual_months, target)
    end = _month_name(_month_index(accrual_start) + accrual_months - 1)
    elapsed = max(months_elapsed(cutoff, accrual_start), 0.0)
    rows = [
        ("Enrolment target (subjects)", target, "count"),
        ("Planned accrual period", f"{accrual_start} to {end} ({accrual_months} months)", "text"),
        ("Months since the start of accrual at the cut-off", elapsed, "number"),
        ("Expected enrolled by the cut-off (linear accrual)", expected, "number"),
        ("Enrolled by the cut-off", enrolled, "count"),
        ("Enrolled, % of expected", 100 * enrolled / expected if expected else float("nan"), "percent"),
        ("Enrolled, % of target", 100 * enrolled / target if target else float("nan"), "percent"),
        ("Screened (consented)", screened, "count"),
        ("Screen failures, % of screened", 100 * failures / screened if screened else float("nan"), "percent"),
        ("Enrolled per month since the start of accrual", enrolled / elapsed if elapsed else float("nan"), "number"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "unit"])

"""Accrual against plan (DSMB): treated subjects per month, cumulative actual and expected, and the status.

The plan (config ``study``): ``enrolment_target`` subjects treated over
``accrual_months`` months from ``accrual_start``, at a constant rate. A subject is
screened in the month of consent (ADSL ``RFICMON``) and counts against the target in
the month of the first dose (``TRTSMON``).
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from aidheart.tables.formatting import MISSING, fmt_count, fmt_number
from aidheart.tables.populations import SCREEN_FAILURE, subject_status, treated
from aidheart.study import Study

BY_MONTH_COLUMNS = ["month", "screened", "treated", "cumulative_screened", "cumulative_treated", "expected", "date"]


def _month_index(month: str) -> int:
    year, number = (int(part) for part in month.split("-"))
    return 12 * year + number - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_end(index: int) -> dt.date:
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def months_elapsed(date: dt.date, accrual_start: str) -> float:
    """Months from the first day of ``accrual_start`` (``YYYY-MM``) to the end of ``date``, a part month
    counting by its elapsed days (negative before the start)."""
    elapsed = _month_index(f"{date.year}-{date.month:02d}") - _month_index(accrual_start)
    return elapsed + date.day / calendar.monthrange(date.year, date.month)[1]


def expected_enrolment(date: dt.date, accrual_start: str, accrual_months: int, target: int) -> float:
    """Expected cumulative number treated at the end of ``date`` under linear accrual.

    Accrual runs from the first day of ``accrual_start`` (``YYYY-MM``) for
    ``accrual_months`` months at ``target / accrual_months`` subjects a month,
    a part month counting by its elapsed days; 0 before, ``target`` after.
    """
    elapsed = months_elapsed(date, accrual_start)
    return float(target) * min(max(elapsed / accrual_months, 0.0), 1.0)


def enrolment_by_month(adsl: pd.DataFrame, cutoff: dt.date, plan: dict) -> pd.DataFrame:
    """Screened and treated per calendar month, cumulative actual and expected (full precision).

    Months run from the earlier of ``accrual_start`` and the first consent to the
    cut-off's month; the last month is counted to the cut-off (its expected value is
    at the cut-off date, not the month's end). ``plan`` is config ``study``.

    Returns
    -------
    DataFrame
        :data:`BY_MONTH_COLUMNS` (``date``: the day the cumulative values refer to).
    """
    start, months, target = plan["accrual_start"], plan["accrual_months"], plan["enrolment_target"]
    consent, dosed = _text(adsl["RFICMON"]), _text(adsl["TRTSMON"])
    last = _month_index(f"{cutoff.year}-{cutoff.month:02d}")
    first = min([_month_index(start)] + [_month_index(month) for month in consent if month] + [last])
    rows = []
    for index in range(first, last + 1):
        month = _month_name(index)
        day = cutoff if index == last else _month_end(index)
        rows.append({"month": month, "screened": int(consent.eq(month).sum()), "treated": int(dosed.eq(month).sum()),
                     "expected": expected_enrolment(day, start, months, target), "date": day})
    frame = pd.DataFrame(rows, columns=["month", "screened", "treated", "expected", "date"])
    frame["cumulative_screened"] = frame["screened"].cumsum()
    frame["cumulative_treated"] = frame["treated"].cumsum()
    return frame[BY_MONTH_COLUMNS]


def enrolment_month_table(by_month: pd.DataFrame) -> pd.DataFrame:
    """:func:`enrolment_by_month` as text: ``Month``, ``Screened``, ``Treated``, cumulative treated and expected."""
    return pd.DataFrame({"Month": by_month["month"], "Screened": by_month["screened"].map(fmt_count),
                         "Treated": by_month["treated"].map(fmt_count),
                         "Cumulative treated": by_month["cumulative_treated"].map(fmt_count),
                         "Cumulative expected": by_month["expected"].map(lambda value: fmt_number(value, 1))})


def _percent(value: float) -> str:
    shown = fmt_number(value, 1)
    return shown if shown == MISSING else f"{shown}%"


def enrolment_status_table(adsl: pd.DataFrame, study: Study, cutoff: dt.date, plan: dict) -> pd.DataFrame:
    """Accrual against plan at the cut-off: ``Quantity``, ``Value`` (counts, months, percentages)."""
    start, months, target = plan["accrual_start"], plan["accrual_months"], plan["enrolment_target"]
    status = subject_status(adsl, study)
    screened, dosed = len(adsl), len(treated(adsl))
    failures = int(status["category"].eq(SCREEN_FAILURE).sum())
    expected = expected_enrolment(cutoff, start, months, target)
    end = _month_name(_month_index(start) + months - 1)
    elapsed = max(months_elapsed(cutoff, start), 0.0)
    rows = [
        ("Target (subjects treated)", fmt_count(target)),
        ("Planned accrual period", f"{start} to {end} ({months} months)"),
        ("Months since the start of accrual at the cut-off", fmt_number(elapsed, 1)),
        ("Expected treated by the cut-off (linear accrual)", fmt_number(expected, 1)),
        ("Treated by the cut-off", fmt_count(dosed)),
        ("Treated, % of expected", _percent(100 * dosed / expected if expected else float("nan"))),
        ("Treated, % of target", _percent(100 * dosed / target if target else float("nan"))),
        ("Screened (consented)", fmt_count(screened)),
        ("Screen failures, % of screened", _percent(100 * failures / screened if screened else float("nan"))),
        ("Treated per month since the start of accrual", fmt_number(dosed / elapsed if elapsed else float("nan"), 1)),
    ]
    return pd.DataFrame(rows, columns=["Quantity", "Value"])

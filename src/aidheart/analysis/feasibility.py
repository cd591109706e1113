"""Feasibility of the pilot: recruitment, retention, adherence, assessment completion, each with a CI.

The enrolment rate has one definition, used by the analysis results and the DSMB
report alike (:func:`enrolment_rate`): enrolled subjects (``ENRLFL``) per month of the
accrual period, which runs from the first day of the planned ``accrual_start`` to the
data cut-off, or, once the enrolment target is reached, to the end of the month in
which the target-th subject consented (accrual closed; the months after it are not
accrual). A part month counts by its elapsed days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping

import pandas as pd

from aidheart.stats.proportions import clopper_pearson, poisson_rate_ci

PARAMCD = "FEASIBILITY"


def _yes(column: pd.Series) -> pd.Series:
    return (column == "Y").fillna(False)


def _proportion(count: int, total: int, term: str, population: str) -> pd.DataFrame:
    """``count / total`` with its exact CI, the count and denominator kept as columns."""
    return clopper_pearson(count, total, method="clopper_pearson", term=term).assign(
        population=population, count=count, denominator=float(total))


def month_index(month: str) -> int:
    """``YYYY-MM`` as a count of months (year * 12 + month - 1)."""
    year, number = (int(part) for part in month.split("-"))
    return 12 * year + number - 1


def months_elapsed(date: dt.date, accrual_start: str) -> float:
    """Months from the first day of ``accrual_start`` (``YYYY-MM``) to the end of ``date``, a part month
    counting by its elapsed days (negative before the start)."""
    elapsed = month_index(f"{date.year}-{date.month:02d}") - month_index(accrual_start)
    return elapsed + date.day / calendar.monthrange(date.year, date.month)[1]


def accrual_months(adsl: pd.DataFrame, cutoff: dt.date, plan: Mapping) -> float:
    """Length of the accrual period in months (module notes); 0 before ``accrual_start``.

    ``plan`` is config ``study`` (``accrual_start``, ``enrolment_target``); consent
    months are ADSL ``RFICMON`` of the enrolled subjects.
    """
    start, target = plan["accrual_start"], plan["enrolment_target"]
    consented = sorted(adsl.loc[_yes(adsl["ENRLFL"]), "RFICMON"].dropna().astype(str))
    months = months_elapsed(cutoff, start)
    if target and len(consented) >= target:
        closed = month_index(consented[target - 1]) - month_index(start) + 1
        months = min(months, float(closed))
    return max(months, 0.0)


def enrolment_rate(adsl: pd.DataFrame, cutoff: dt.date, plan: Mapping) -> pd.DataFrame:
    """The enrolment rate (module notes) as an ARD row: enrolled per month of accrual with its exact Poisson
    CI; ``count`` the enrolled subjects, ``denominator`` the months (``term = "enrolment_rate"``)."""
    enrolled = int(_yes(adsl["ENRLFL"]).sum())
    months = accrual_months(adsl, cutoff, plan)
    return poisson_rate_ci(enrolled, months, method="poisson_rate", term="enrolment_rate").assign(
        population="ENRL", count=enrolled, denominator=months)


def analyse_feasibility(adsl: pd.DataFrame, bds: pd.DataFrame, *, cutoff: dt.date, plan: Mapping,
                        adherence_min_pct: float, assessment_visit: str, assessed_params) -> pd.DataFrame:
    """Feasibility outcomes as ARD rows (``paramcd = "FEASIBILITY"``).

    Returns
    -------
    DataFrame
        Rows, each with its exact 95 % CI and its ``count`` and ``denominator``:

        * ``enrolled_of_screened`` (population ``SCREENED``): enrolled / screened (Clopper–Pearson);
        * ``enrolment_rate`` (``ENRL``): :func:`enrolment_rate` at the data ``cutoff``
          (``plan``: config ``study``);
        * ``retention`` (``SAF``): completers / treated;
        * ``adherent`` (``SAF``): subjects with adherence >= ``adherence_min_pct`` / treated;
        * ``assessed_<PARAMCD>`` (``COMPL``): completers with a value of the parameter at
          ``assessment_visit`` / completers.

    Notes
    -----
    Missing data: a treated subject without diary data has missing adherence and
    counts as not adherent.
    """
    screened = len(adsl)
    enrolled = int(_yes(adsl["ENRLFL"]).sum())
    treated = _yes(adsl["SAFFL"])
    completers = _yes(adsl["COMPLFL"])
    adherent = treated & (adsl["ADHPCT"] >= adherence_min_pct).fillna(False)
    frames = [
        _proportion(enrolled, screened, "enrolled_of_screened", "SCREENED"),
        enrolment_rate(adsl, cutoff, plan),
        _proportion(int((treated & completers).sum()), int(treated.sum()), "retention", "SAF"),
        _proportion(int(adherent.sum()), int(treated.sum()), "adherent", "SAF"),
    ]
    completer_ids = set(adsl.loc[completers, "USUBJID"])
    for paramcd in assessed_params:
        at_visit = bds[(bds["PARAMCD"] == paramcd) & (bds["AVISIT"] == assessment_visit)
                       & _yes(bds["ANL01FL"]) & bds["AVAL"].notna()]
        assessed = len(completer_ids & set(at_visit["USUBJID"]))
        frames.append(_proportion(assessed, len(completer_ids), f"assessed_{paramcd}", "COMPL")
                      .assign(visit=assessment_visit))
    return pd.concat(frames, ignore_index=True).assign(paramcd=PARAMCD)

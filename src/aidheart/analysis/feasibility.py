"""Feasibility of the pilot: recruitment, retention, adherence, assessment completion, each with a CI."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.proportions import clopper_pearson, poisson_rate_ci

PARAMCD = "FEASIBILITY"


def _yes(column: pd.Series) -> pd.Series:
    return (column == "Y").fillna(False)


def _proportion(count: int, total: int, term: str, population: str) -> pd.DataFrame:
    """``count / total`` with its exact CI, the count and denominator kept as columns."""
    return clopper_pearson(count, total, method="clopper_pearson", term=term).assign(
        population=population, count=count, denominator=float(total))


def accrual_months(first_month: str, consent_months: pd.Series) -> int:
    """Months of accrual from ``first_month`` (``YYYY-MM``) through the latest consent month, inclusive.

    With no consent yet, 0.
    """
    months = pd.PeriodIndex(consent_months.dropna().astype(str), freq="M")
    if len(months) == 0:
        return 0
    return int((months.max() - pd.Period(first_month, freq="M")).n) + 1


def analyse_feasibility(adsl: pd.DataFrame, bds: pd.DataFrame, *, accrual_start: str, adherence_min_pct: float,
                        assessment_visit: str, assessed_params) -> pd.DataFrame:
    """Feasibility outcomes as ARD rows (``paramcd = "FEASIBILITY"``).

    Returns
    -------
    DataFrame
        Rows, each with its exact 95 % CI and its ``count`` and ``denominator``:

        * ``enrolled_of_screened`` (population ``SCREENED``): enrolled / screened (Clopper–Pearson);
        * ``enrolment_rate`` (``ENRL``): enrolled subjects per month of accrual, from
          ``accrual_start`` through the latest consent month (exact Poisson CI; ``count``
          the enrolled, ``denominator`` the months);
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
    months = accrual_months(accrual_start, adsl["RFICMON"])
    frames = [
        _proportion(enrolled, screened, "enrolled_of_screened", "SCREENED"),
        poisson_rate_ci(enrolled, months, method="poisson_rate", term="enrolment_rate").assign(
            population="ENRL", count=enrolled, denominator=float(months)),
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

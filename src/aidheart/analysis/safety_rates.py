"""Adverse events against time on study drug: exposure-adjusted rates and the time to a first event.

Time at risk of a treated subject (ADSL ``SAFFL``) runs from the first dose (day 1) to
the end of the treatment-emergent window (last dose day ``TRTEDY`` + ``window_days``),
or to the end of the study (``EOSDY``) or the cut-off (``DCUTDY``) when earlier: the
days in which an AE would count as treatment-emergent. A subject whose last dose is not
known yet is at risk to the earlier of the end of study and the cut-off. Days count
inclusively (day 1 to day ``d`` is ``d`` days); a patient-year is 365.25 days.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from aidheart.stats.incidence import kaplan_meier
from aidheart.stats.proportions import poisson_rate_ci

DAYS_PER_YEAR = 365.25


def _yes(series: pd.Series) -> pd.Series:
    return series.astype("string").eq("Y").fillna(False).astype(bool)


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(float)


def time_at_risk(adsl: pd.DataFrame, window_days: int) -> pd.Series:
    """Days at risk (module notes) of each treated subject, indexed by ``SUBJID`` (missing when no end is known)."""
    dosed = adsl[_yes(adsl["SAFFL"])]
    ends = pd.concat([_number(dosed["TRTEDY"]) + window_days, _number(dosed["EOSDY"]), _number(dosed["DCUTDY"])],
                     axis=1)
    return pd.Series(ends.min(axis=1, skipna=True).to_numpy(), index=dosed["SUBJID"].astype(str).to_numpy(),
                     name="days")


def first_event_times(adsl: pd.DataFrame, events: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Per treated subject: ``time`` (onset day of the first of ``events``, else the days at risk) and ``event``.

    ``events`` are treatment-emergent AE records (ADAE) of one category; an onset after
    the subject's time at risk does not count (it is not treatment-emergent).
    """
    at_risk = time_at_risk(adsl, window_days)
    onsets = _number(events["ASTDY"]).groupby(events["SUBJID"].astype(str)).min() if len(events) else pd.Series(
        dtype=float)
    onset = onsets.reindex(at_risk.index)
    happened = (onset <= at_risk).fillna(False) | (onset.notna() & at_risk.isna())
    return pd.DataFrame({"SUBJID": at_risk.index, "time": np.where(happened, onset, at_risk),
                         "event": happened.to_numpy(dtype=bool)})


def exposure_adjusted_rates(adsl: pd.DataFrame, teae: pd.DataFrame, categories: Mapping[str, Callable],
                            window_days: int) -> pd.DataFrame:
    """Events per patient-year of each category, with the exact (Garwood) Poisson 95 % CI.

    Parameters
    ----------
    adsl, teae : DataFrame
        ADSL and the treatment-emergent AE records of the treated subjects.
    categories : mapping
        Label -> function selecting a category's records of ``teae`` (a boolean Series).
    window_days : int
        The treatment-emergent window after the last dose (config ``safety.teae_window_days``).

    Returns
    -------
    DataFrame
        One row per category: ``category``, ``events``, ``subjects``, ``patient_years`` (the
        total time at risk of the treated subjects), ``estimate``, ``ci_low``, ``ci_high``
        (events per patient-year, :func:`aidheart.stats.proportions.poisson_rate_ci`).
    """
    years = float(time_at_risk(adsl, window_days).sum(skipna=True)) / DAYS_PER_YEAR
    rows = []
    for label, rule in categories.items():
        part = teae[rule(teae)] if len(teae) else teae
        rate = poisson_rate_ci(len(part), years, term="events_per_patient_year").iloc[0]
        rows.append({"category": label, "events": len(part), "subjects": part["SUBJID"].nunique() if len(part) else 0,
                     "patient_years": years, "estimate": rate["estimate"], "ci_low": rate["ci_low"],
                     "ci_high": rate["ci_high"]})
    return pd.DataFrame(rows, columns=["category", "events", "subjects", "patient_years", "estimate", "ci_low",
                                       "ci_high"])


def cumulative_incidence(adsl: pd.DataFrame, teae: pd.DataFrame, categories: Mapping[str, Callable],
                         window_days: int) -> pd.DataFrame:
    """Kaplan–Meier cumulative incidence of a first AE of each category by study day: the
    :func:`aidheart.stats.incidence.kaplan_meier` rows with a ``category`` column."""
    frames = []
    for label, rule in categories.items():
        part = teae[rule(teae)] if len(teae) else teae
        times = first_event_times(adsl, part, window_days)
        frames.append(kaplan_meier(times["time"], times["event"]).assign(category=label))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

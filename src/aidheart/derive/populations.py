"""Population flags of ADSL ("Y"/"N"); each rule is written once, here.

The flags nest: every treated subject (``SAFFL``) was enrolled (``ENRLFL``); the
efficacy (``EFFFL``), completer (``COMPLFL``) and per-protocol (``PPROTFL``)
populations are parts of the treated. An endpoint's efficacy analysis set adds the
parameter-level flag ``ANL03FL`` of the BDS dataset (a baseline and a later value;
:func:`aidheart.derive.baseline.derive_var_pairfl`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.study import FIRST_DOSE_DAY, Schedule, Visit


def _yn(condition: pd.Series) -> pd.Series:
    return pd.Series(np.where(condition.fillna(False).to_numpy(dtype=bool), "Y", "N"), index=condition.index,
                     dtype="string")


def derive_var_enrlfl(adsl: pd.DataFrame, eligible: str = "enrolled") -> pd.DataFrame:
    """``ENRLFL = "Y"``: the enrolment form says the subject is eligible and enrolled, or a first dose is recorded."""
    return adsl.assign(ENRLFL=_yn((adsl[eligible] == "Y") | adsl["TRTSDY"].notna()))


def derive_var_saffl(adsl: pd.DataFrame) -> pd.DataFrame:
    """``SAFFL = "Y"`` when the subject took at least one dose (``TRTSDY`` present)."""
    return adsl.assign(SAFFL=_yn(adsl["TRTSDY"].notna()))


def derive_var_efffl(adsl: pd.DataFrame, visits_clean: pd.DataFrame, schedule: Schedule) -> pd.DataFrame:
    """``EFFFL = "Y"``: safety population with at least one post-baseline scheduled visit held.

    A visit is held when the clean ``visits`` table has its row with a study day after
    the first dose (``visit_day > 1``) at one of the schedule's post-baseline events.
    """
    events = {visit.event for visit in schedule.post_baseline}
    held = visits_clean[visits_clean["event"].isin(events) & (visits_clean["visit_day"] > FIRST_DOSE_DAY)]
    return adsl.assign(EFFFL=_yn((adsl["SAFFL"] == "Y") & adsl["SUBJID"].isin(set(held["record_id"]))))


def derive_var_complfl(adsl: pd.DataFrame, visits_clean: pd.DataFrame, end_of_treatment: Visit) -> pd.DataFrame:
    """``COMPLFL = "Y"``: the end-of-treatment visit took place and the drug was not stopped before its window.

    Parameters
    ----------
    adsl : DataFrame
        With ``SUBJID``, ``SAFFL``, ``TRTEDY``.
    visits_clean : DataFrame
        Clean ``visits`` (``record_id``, ``event``, ``visit_day``).
    end_of_treatment : Visit
        The schedule's end-of-treatment visit.

    Notes
    -----
    "Reached on drug": the visit has a day, and ``TRTEDY >= window_start - 1``
    (the last dose is no earlier than the day before the window opens; the
    protocol's last dose falls inside the window).
    """
    held = visits_clean[(visits_clean["event"] == end_of_treatment.event) & visits_clean["visit_day"].notna()]
    reached = adsl["SUBJID"].isin(set(held["record_id"]))
    on_drug = adsl["TRTEDY"] >= end_of_treatment.window_start - 1
    return adsl.assign(COMPLFL=_yn((adsl["SAFFL"] == "Y") & reached & on_drug))


def derive_var_pprotfl(adsl: pd.DataFrame, adherence_min_pct: float) -> pd.DataFrame:
    """``PPROTFL = "Y"``: safety population, ``ADHPCT >= adherence_min_pct`` and no major deviation."""
    return adsl.assign(PPROTFL=_yn((adsl["SAFFL"] == "Y") & (adsl["ADHPCT"] >= adherence_min_pct)
                                   & (adsl["MAJDVFL"] != "Y")))

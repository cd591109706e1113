"""Population flags of ADSL ("Y"/"N"); each rule is written once, here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.derive.baseline import FIRST_DOSE_DAY


def _yn(condition: pd.Series) -> pd.Series:
    return pd.Series(np.where(condition.fillna(False).to_numpy(dtype=bool), "Y", "N"), index=condition.index,
                     dtype="string")


def derive_var_enrlfl(adsl: pd.DataFrame, enrolled: str = "enrolled") -> pd.DataFrame:
    """``ENRLFL = "Y"`` when the enrolment form says the subject was enrolled."""
    return adsl.assign(ENRLFL=_yn(adsl[enrolled] == "Y"))


def derive_var_saffl(adsl: pd.DataFrame) -> pd.DataFrame:
    """``SAFFL = "Y"`` when the subject took at least one dose (``TRTSDT`` present)."""
    return adsl.assign(SAFFL=_yn(adsl["TRTSDT"].notna()))


def derive_var_efffl(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    """``EFF_<paramcd> = "Y"``: safety population, a baseline and at least one post-baseline value.

    A post-baseline value is an ``ANL01FL == "Y"`` record of ``paramcd`` with
    ``ADY > 1``; the baseline is the ``ABLFL == "Y"`` record.
    """
    records = bds[bds["PARAMCD"] == paramcd]
    with_base = set(records.loc[records["ABLFL"] == "Y", "USUBJID"])
    post = (records["ANL01FL"] == "Y") & (records["ADY"] > FIRST_DOSE_DAY).fillna(False)
    with_post = set(records.loc[post, "USUBJID"])
    subject = adsl["USUBJID"]
    return adsl.assign(**{f"EFF_{paramcd}": _yn((adsl["SAFFL"] == "Y") & subject.isin(with_base)
                                                 & subject.isin(with_post))})


def derive_var_complfl(adsl: pd.DataFrame, visits_clean: pd.DataFrame, eot_event: str,
                       eot_window_start: int) -> pd.DataFrame:
    """``COMPLFL = "Y"``: the end-of-treatment visit took place and the drug was not stopped before its window.

    Parameters
    ----------
    adsl : DataFrame
        With ``SUBJID``, ``SAFFL``, ``TRTEDT``.
    visits_clean : DataFrame
        Clean ``visits`` (``record_id``, ``event``, ``visit_day``).
    eot_event : str
        REDCap event of config ``end_of_treatment_visit``.
    eot_window_start : int
        First day of that visit's window (nominal day - window).

    Notes
    -----
    "Reached on drug": the visit has a day, and ``TRTEDT >= eot_window_start - 1``
    (the last dose is no earlier than the day before the window opens; the
    protocol's last dose falls inside the window).
    """
    held = visits_clean[(visits_clean["event"] == eot_event) & visits_clean["visit_day"].notna()]
    reached = adsl["SUBJID"].isin(set(held["record_id"]))
    on_drug = adsl["TRTEDT"] >= eot_window_start - 1
    return adsl.assign(COMPLFL=_yn((adsl["SAFFL"] == "Y") & reached & on_drug))


def derive_var_pprotfl(adsl: pd.DataFrame, adherence_min_pct: float) -> pd.DataFrame:
    """``PPROTFL = "Y"``: safety population, ``ADHPCT >= adherence_min_pct`` and no major deviation."""
    return adsl.assign(PPROTFL=_yn((adsl["SAFFL"] == "Y") & (adsl["ADHPCT"] >= adherence_min_pct)
                                   & (adsl["MAJDVFL"] != "Y")))

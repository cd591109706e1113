"""Treatment dates, exposure and adherence per subject."""

from __future__ import annotations

import pandas as pd

from aidheart.study import FIRST_DOSE_DAY


def derive_vars_adherence(adsl: pd.DataFrame, diary: pd.DataFrame, subjid: str = "SUBJID") -> pd.DataFrame:
    """Add ``DOSEXP``, ``DOSTKN`` and ``ADHPCT`` from the study-drug diary.

    Notes
    -----
    ``DOSEXP``/``DOSTKN`` are the sums of ``expected``/``taken`` over the
    subject's diary weeks (missing entries count as 0); ``ADHPCT = 100 * DOSTKN /
    DOSEXP``, missing when nothing was expected or the subject has no diary.
    """
    sums = diary.groupby("record_id")[["expected", "taken"]].sum(min_count=1)
    expected = adsl[subjid].map(sums["expected"]).astype(float)
    taken = adsl[subjid].map(sums["taken"]).astype(float)
    return adsl.assign(DOSEXP=expected, DOSTKN=taken,
                       ADHPCT=100.0 * taken / expected.where(expected > 0))


def derive_vars_trtdy(adsl: pd.DataFrame, completion: pd.DataFrame, diary: pd.DataFrame,
                      subjid: str = "SUBJID") -> pd.DataFrame:
    """Add ``TRTSDY``, ``TRTEDY`` (study days of the first and last dose) and ``TRTDURD`` (days).

    Notes
    -----
    ``TRTSDY = 1`` for subjects whose first dose is recorded (``TRTSMON``
    present), missing otherwise. ``TRTEDY`` is the completion form's last-dose
    day; while that is not recorded (subject ongoing) it is the last day of the
    last diary week with a dose taken (``start_day + expected - 1``).
    ``TRTDURD = TRTEDY - TRTSDY + 1`` (no day 0 lies between two positive days).
    """
    treated = adsl["TRTSMON"].notna()
    last_dose = adsl[subjid].map(completion.set_index("record_id")["last_dose_day"]).astype("Float64")
    taking = diary[diary["taken"] > 0]
    diary_end = (taking["start_day"] + taking["expected"] - 1).groupby(taking["record_id"]).max()
    trtedy = last_dose.fillna(adsl[subjid].map(diary_end).astype("Float64")).where(treated)
    trtsdy = pd.Series(FIRST_DOSE_DAY, index=adsl.index, dtype="Int64").where(treated)
    return adsl.assign(TRTSDY=trtsdy, TRTEDY=trtedy.astype("Int64"),
                       TRTDURD=(trtedy - FIRST_DOSE_DAY + 1).astype("Int64"))

"""ADEX: exposure and adherence, one record per treated subject and parameter (BDS)."""

from __future__ import annotations

import pandas as pd

from aidheart.derive.variables import ADEX

#: PARAMCD -> (ADSL variable, PARAM); each value is derived once, in ADSL.
EXPOSURE_PARAMS = {
    "TRTDURD": ("TRTDURD", "Exposure duration: last dose day - first dose day + 1 (days)"),
    "DOSEXP": ("DOSEXP", "Doses expected (diary)"),
    "DOSTKN": ("DOSTKN", "Doses taken (diary)"),
    "ADHPCT": ("ADHPCT", "Adherence: doses taken / expected (%)"),
}
AVISIT = "Overall treatment period"


def build_adex(adsl: pd.DataFrame) -> pd.DataFrame:
    """Exposure parameters of the safety population from ADSL.

    Returns
    -------
    DataFrame
        :data:`aidheart.derive.variables.ADEX`: one row per safety subject and
        parameter, subjects in ADSL order; ``SRCDOM`` ``ADSL`` and ``SRCVAR`` the
        variable the value is taken from.
    """
    safety = adsl[adsl["SAFFL"] == "Y"]
    parts = [
        pd.DataFrame({"STUDYID": safety["STUDYID"], "USUBJID": safety["USUBJID"], "SUBJID": safety["SUBJID"],
                      "TRTA": safety["TRT01A"], "PARAMCD": code, "PARAM": label, "PARAMN": n + 1,
                      "AVISIT": AVISIT, "AVAL": safety[variable].astype(float), "SRCDOM": "ADSL",
                      "SRCVAR": variable})
        for n, (code, (variable, label)) in enumerate(EXPOSURE_PARAMS.items())
    ]
    long = pd.concat(parts).rename_axis("_subject").reset_index()
    ordered = long.sort_values(["_subject", "PARAMN"], kind="mergesort")
    return ordered[list(ADEX)].reset_index(drop=True)

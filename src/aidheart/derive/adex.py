"""ADEX: exposure and adherence, one record per treated subject and parameter (BDS)."""

from __future__ import annotations

import pandas as pd

#: PARAMCD -> (ADSL variable, PARAM, source).
EXPOSURE_PARAMS = {
    "TRTDURD": ("TRTDURD", "Exposure duration: last dose day - first dose day + 1 (days)", "completion"),
    "DOSEXP": ("DOSEXP", "Doses expected (diary)", "drug_diary"),
    "DOSTKN": ("DOSTKN", "Doses taken (diary)", "drug_diary"),
    "ADHPCT": ("ADHPCT", "Adherence: doses taken / expected (%)", "drug_diary"),
}
AVISIT = "Overall treatment period"


def build_adex(adsl: pd.DataFrame) -> pd.DataFrame:
    """Exposure parameters of the safety population from ADSL (each derived once, there).

    Returns
    -------
    DataFrame
        ``STUDYID``, ``USUBJID``, ``PARAMCD``, ``PARAM``, ``AVISIT``, ``AVAL``,
        ``SRCDOM``; one row per safety subject and parameter, subjects in ADSL order.
    """
    safety = adsl[adsl["SAFFL"] == "Y"]
    parts = [
        pd.DataFrame({"STUDYID": safety["STUDYID"], "USUBJID": safety["USUBJID"], "PARAMCD": code,
                      "PARAM": label, "AVISIT": AVISIT, "AVAL": safety[variable].astype(float),
                      "SRCDOM": source, "_order": n})
        for n, (code, (variable, label, source)) in enumerate(EXPOSURE_PARAMS.items())
    ]
    long = pd.concat(parts).rename_axis("_subject").reset_index()
    ordered = long.sort_values(["_subject", "_order"], kind="mergesort")
    return ordered.drop(columns=["_subject", "_order"]).reset_index(drop=True)

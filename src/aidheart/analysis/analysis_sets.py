"""Analysis sets: which subjects and which records of a parameter an analysis uses.

Each set is one literal row of :data:`ANALYSIS_SETS`: the ADSL flags a subject needs
(``{paramcd}`` stands for the endpoint's own efficacy flag ``EFF_<PARAMCD>``) and the
BDS record flag that selects records (``ANL01FL``: observed values; ``ANL02FL``:
observed values, and imputed records where no observed value exists).
"""

from __future__ import annotations

import pandas as pd

#: The analysis visit label of every subject's baseline record.
BASELINE_VISIT = "Baseline"
#: set id -> (label, ADSL flags that must be "Y", BDS record flag)
ANALYSIS_SETS = {
    "EFF": ("Efficacy", ("EFF_{paramcd}",), "ANL01FL"),
    "COMPL": ("Completers", ("EFF_{paramcd}", "COMPLFL"), "ANL01FL"),
    "PPROT": ("Per-protocol", ("EFF_{paramcd}", "PPROTFL"), "ANL01FL"),
    "EFF_ZERO": ("Safety, walks not done for heart-failure symptoms scored 0 m", ("SAFFL",), "ANL02FL"),
}


def analysis_set_label(set_id: str) -> str:
    """The readable label of an analysis set (for reports)."""
    return ANALYSIS_SETS[set_id][0]


def select_records(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str,
                   post_baseline_visits) -> pd.DataFrame:
    """The BDS records of ``paramcd`` that the analysis set ``set_id`` analyses.

    Parameters
    ----------
    adsl : DataFrame
        ``USUBJID`` and the population flags.
    bds : DataFrame
        Long BDS data with ``USUBJID``, ``PARAMCD``, ``AVISIT``, ``AVAL``, ``ABLFL`` and the
        record flag of the set.
    paramcd, set_id : str
        The endpoint and the analysis set (a key of :data:`ANALYSIS_SETS`).
    post_baseline_visits : sequence of str
        The scheduled post-baseline ``AVISIT`` labels analysed.

    Returns
    -------
    DataFrame
        The selected records, in their input order: each subject's baseline record
        (``ABLFL == "Y"``, its ``AVISIT`` set to :data:`BASELINE_VISIT`) and its records
        at the scheduled post-baseline visits.

    Notes
    -----
    Missing data: records without ``AVAL`` are dropped; subjects lacking a flag are
    outside the set. A subject without a baseline record contributes to the LMM only.
    """
    _, flags, record_flag = ANALYSIS_SETS[set_id]
    in_set = pd.Series(True, index=adsl.index)
    for flag in flags:
        column = flag.format(paramcd=paramcd)
        in_set &= (adsl[column] == "Y").fillna(False) if column in adsl else False
    subjects = set(adsl.loc[in_set, "USUBJID"])
    keep = (bds["PARAMCD"] == paramcd) & (bds[record_flag] == "Y").fillna(False)
    keep &= bds["USUBJID"].isin(subjects) & bds["AVAL"].notna()
    baseline = (bds["ABLFL"] == "Y").fillna(False)
    records = bds.loc[keep & (baseline | bds["AVISIT"].isin(list(post_baseline_visits)))]
    return records.assign(AVISIT=records["AVISIT"].where(~baseline.loc[records.index], BASELINE_VISIT))


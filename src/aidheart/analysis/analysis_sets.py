"""Analysis sets: which subjects and which records of a parameter an analysis uses.

Each set is one literal row of :data:`ANALYSIS_SETS`: the ADSL flags a subject needs
and the BDS record flag that selects the parameter's records. The efficacy set of an
endpoint is ADSL ``EFFFL`` (treated, with a post-baseline visit) with the ADEFF records
``ANL03FL`` (a baseline and a later value of that endpoint); the completer and
per-protocol sets narrow it; ``SAFZERO`` is the safety set with ``ANL02FL``, the
observed values plus the records scored 0 for a test not done for a listed reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from aidheart.study import Endpoint


@dataclass(frozen=True)
class AnalysisSet:
    """An analysis set: its label, the ADSL flags that must be "Y", and the BDS record flag."""

    label: str
    subject_flags: tuple[str, ...]
    record_flag: str


ANALYSIS_SETS = {
    "EFF": AnalysisSet("Efficacy", ("EFFFL",), "ANL03FL"),
    "COMPL": AnalysisSet("Completers", ("EFFFL", "COMPLFL"), "ANL03FL"),
    "PPROT": AnalysisSet("Per-protocol", ("EFFFL", "PPROTFL"), "ANL03FL"),
    "SAFZERO": AnalysisSet("Safety, tests not done scored 0", ("SAFFL",), "ANL02FL"),
}


def analysis_set_label(set_id: str, endpoint: Endpoint | None = None) -> str:
    """The readable label of an analysis set; for ``SAFZERO`` of an endpoint, with its reasons and unit."""
    if set_id == "SAFZERO" and endpoint is not None and endpoint.zero_if_not_done:
        reasons = " or ".join(reason.lower() for reason in endpoint.zero_if_not_done)
        return f"Safety, not done for {reasons} scored 0 {endpoint.unit}".rstrip()
    return ANALYSIS_SETS[set_id].label


def _yes(column: pd.Series) -> pd.Series:
    return (column == "Y").fillna(False).astype(bool)


def set_subjects(adsl: pd.DataFrame, set_id: str) -> set:
    """``USUBJID`` of the subjects with every ADSL flag of the set."""
    in_set = pd.Series(True, index=adsl.index)
    for flag in ANALYSIS_SETS[set_id].subject_flags:
        in_set &= _yes(adsl[flag]) if flag in adsl else False
    return set(adsl.loc[in_set, "USUBJID"])


def set_records(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str) -> pd.DataFrame:
    """Every record of ``paramcd`` the set analyses: its subjects' records with the set's record flag and a value."""
    record_flag = ANALYSIS_SETS[set_id].record_flag
    keep = (bds["PARAMCD"] == paramcd) & _yes(bds[record_flag]) & bds["AVAL"].notna()
    return bds.loc[keep & bds["USUBJID"].isin(set_subjects(adsl, set_id))]


def select_records(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *, baseline: str,
                   visits: Sequence[str]) -> pd.DataFrame:
    """The baseline and the ``visits`` records of ``paramcd`` that the analysis set ``set_id`` analyses.

    Parameters
    ----------
    adsl : DataFrame
        ``USUBJID`` and the population flags.
    bds : DataFrame
        Long BDS data with ``USUBJID``, ``PARAMCD``, ``AVISIT``, ``AVAL``, ``ABLFL``,
        ``BASE``, ``CHG`` and the record flag of the set.
    paramcd, set_id : str
        The endpoint and the analysis set (a key of :data:`ANALYSIS_SETS`).
    baseline : str
        ``AVISIT`` label of the baseline visit.
    visits : sequence of str
        The scheduled post-baseline ``AVISIT`` labels analysed.

    Returns
    -------
    DataFrame
        The selected records, in their input order: each subject's baseline record
        (``ABLFL == "Y"``, its ``AVISIT`` set to ``baseline``) and its records at
        ``visits``.

    Notes
    -----
    Missing data: records without ``AVAL`` are dropped; subjects lacking a flag are
    outside the set. A subject without a baseline record has no ``BASE``/``CHG``: it
    contributes to the LMM only.
    """
    records = set_records(adsl, bds, paramcd, set_id)
    is_baseline = _yes(records["ABLFL"])
    chosen = records[is_baseline | records["AVISIT"].isin(list(visits))]
    return chosen.assign(AVISIT=chosen["AVISIT"].where(~is_baseline.loc[chosen.index], baseline))

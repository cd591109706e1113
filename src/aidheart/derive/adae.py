"""ADAE: adverse events with the treatment-emergent flag and the analysis relationship."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.derive.checks import assert_has_columns
from aidheart.derive.identifiers import derive_vars_merged_adsl
from aidheart.derive.records import source_sequence
from aidheart.derive.variables import ADAE

#: Relatedness labels counted as related to study drug (AREL = "RELATED").
RELATED = ("Possibly related", "Probably related", "Definitely related")
#: Analysis relationship (AREL) values.
AREL_RELATED, AREL_NOT_RELATED = "RELATED", "NOT RELATED"
#: Clean ``adverse_events`` column -> ADAE variable.
AE_VARS = {
    "record_id": "record_id",
    "instance": "AESEQ",
    "ae_term": "AETERM",
    "body_system": "AEBODSYS",
    "onset_day": "ASTDY",
    "end_day": "AENDY",
    "ongoing": "AEONGO",
    "serious": "AESER",
    "related": "AEREL",
    "injection_site": "AEINJFL",
    "infection": "AEINFFL",
    "action": "AEACN",
    "outcome": "AEOUT",
}
#: ADSL variables every AE record carries.
SUBJECT_VARS = {"TRTA": "TRT01A", "TRTSDY": "TRTSDY", "TRTEDY": "TRTEDY", "SAFFL": "SAFFL"}
#: Study-day variables (integers; missing where unknown).
STUDY_DAYS = ("ASTDY", "AENDY", "TRTSDY", "TRTEDY")


def compute_grade(grade: pd.Series) -> pd.Series:
    """CTCAE grade as an integer from ``"Grade 3"`` or ``3``; missing stays missing."""
    return pd.to_numeric(grade.astype("string").str.extract(r"(\d)", expand=False)).astype("Int64")


def derive_var_trtemfl(dataset: pd.DataFrame, window_days: int, start: str = "ASTDY", end: str = "AENDY",
                       trtsdy: str = "TRTSDY", trtedy: str = "TRTEDY") -> pd.DataFrame:
    """Add ``TRTEMFL``: ``"Y"`` for treatment-emergent events, else missing.

    Notes
    -----
    With an onset day: ``TRTSDY <= start <= TRTEDY + window_days`` (no upper
    bound while ``TRTEDY`` is unknown). With no onset day: treatment-emergent
    unless the event ended before the first dose (``end < TRTSDY``), the
    conservative reading (as admiral's ``derive_var_trtemfl``). Never for
    subjects not treated.
    """
    onset = dataset[start].astype("Float64")
    first, last = dataset[trtsdy].astype("Float64"), dataset[trtedy].astype("Float64")
    within = (onset >= first) & ((onset <= last + window_days) | last.isna())
    unknown = onset.isna() & first.notna() & ~(dataset[end].astype("Float64") < first).fillna(False)
    emergent = (within.fillna(False) | unknown).to_numpy(dtype=bool)
    return dataset.assign(TRTEMFL=pd.Series(np.where(emergent, "Y", pd.NA), index=dataset.index, dtype="string"))


def derive_var_arel(dataset: pd.DataFrame, relatedness: str = "AEREL") -> pd.DataFrame:
    """Add ``AREL``: ``"RELATED"`` for a relatedness in :data:`RELATED`, else ``"NOT RELATED"``."""
    related = dataset[relatedness].isin(RELATED).to_numpy()
    return dataset.assign(AREL=pd.Series(np.where(related, AREL_RELATED, AREL_NOT_RELATED), index=dataset.index))


def build_adae(adverse_events: pd.DataFrame, adsl: pd.DataFrame, *, teae_window_days: int) -> pd.DataFrame:
    """One record per adverse event with ``AETOXGR``, ``AREL``, treatment days and ``TRTEMFL``.

    Returns
    -------
    DataFrame
        :data:`aidheart.derive.variables.ADAE`; rows in the order of the clean table.
        ``AEDECOD`` is the verbatim term (the study does not code terms to a
        dictionary); ``SRCDOM``/``SRCSEQ`` point at the clean ``adverse_events`` row.
    """
    assert_has_columns(adverse_events, [*AE_VARS, "grade"], "adverse_events")
    adae = adverse_events[list(AE_VARS)].rename(columns=AE_VARS)
    adae = derive_vars_merged_adsl(adae, adsl, new_vars=SUBJECT_VARS)
    adae = adae.astype({day: "Int64" for day in STUDY_DAYS})
    adae = adae.assign(AEDECOD=adae["AETERM"], AETOXGR=compute_grade(adverse_events["grade"]).to_numpy())
    adae = derive_var_arel(adae)
    adae = derive_var_trtemfl(adae, teae_window_days)
    adae = adae.assign(SRCDOM="adverse_events", SRCSEQ=source_sequence(adverse_events, adverse_events).to_numpy())
    return adae[list(ADAE)]

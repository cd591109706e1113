"""ADAE: adverse events with the treatment-emergent flag (SPEC section 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.derive.checks import assert_has_columns
from aidheart.derive.identifiers import derive_vars_usubjid

#: Relatedness labels counted as related to study drug (ARELFL = "Y").
RELATED = ("Possibly related", "Probably related", "Definitely related")
#: Clean ``adverse_events`` column -> ADAE variable.
AE_VARS = {
    "record_id": "SUBJID",
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
#: Study-day variables (integers; missing where unknown).
STUDY_DAYS = ("ASTDY", "AENDY", "TRTSDT", "TRTEDT")


def compute_grade(grade: pd.Series) -> pd.Series:
    """CTCAE grade as an integer from ``"Grade 3"`` or ``3``; missing stays missing."""
    return pd.to_numeric(grade.astype("string").str.extract(r"(\d)", expand=False)).astype("Int64")


def derive_var_trtemfl(dataset: pd.DataFrame, window_days: int, start: str = "ASTDY", end: str = "AENDY",
                       trtsdt: str = "TRTSDT", trtedt: str = "TRTEDT") -> pd.DataFrame:
    """Add ``TRTEMFL``: ``"Y"`` for treatment-emergent events, else missing.

    Notes
    -----
    With an onset day: ``TRTSDT <= start <= TRTEDT + window_days`` (no upper
    bound while ``TRTEDT`` is unknown). With no onset day: treatment-emergent
    unless the event ended before the first dose (``end < TRTSDT``), the
    conservative reading (as admiral's ``derive_var_trtemfl``). Never for
    subjects not treated.
    """
    onset = dataset[start].astype("Float64")
    first, last = dataset[trtsdt].astype("Float64"), dataset[trtedt].astype("Float64")
    within = (onset >= first) & ((onset <= last + window_days) | last.isna())
    unknown = onset.isna() & first.notna() & ~(dataset[end].astype("Float64") < first).fillna(False)
    emergent = (within.fillna(False) | unknown).to_numpy(dtype=bool)
    return dataset.assign(TRTEMFL=pd.Series(np.where(emergent, "Y", pd.NA), index=dataset.index, dtype="string"))


def build_adae(adverse_events: pd.DataFrame, adsl: pd.DataFrame, *, study_id: str,
               teae_window_days: int) -> pd.DataFrame:
    """One record per adverse event with ``ATOXGR``, ``ARELFL``, treatment days and ``TRTEMFL``.

    ``SRCDOM``/``SRCKEY`` point at the clean ``adverse_events`` row (its instance).
    Rows keep the order of the clean table.
    """
    assert_has_columns(adverse_events, [*AE_VARS, "grade"], "adverse_events")
    adae = adverse_events[list(AE_VARS)].rename(columns=AE_VARS)
    adae = derive_vars_usubjid(adae, study_id, subjid="SUBJID")
    adae = adae.merge(adsl[["SUBJID", "TRTSDT", "TRTEDT", "SAFFL"]], on="SUBJID", how="left")
    adae = adae.astype({day: "Int64" for day in STUDY_DAYS})
    adae = adae.assign(ATOXGR=compute_grade(adverse_events["grade"]).to_numpy(),
                       ARELFL=np.where(adae["AEREL"].isin(RELATED), "Y", "N"))
    adae = derive_var_trtemfl(adae, teae_window_days)
    return adae.assign(SRCDOM="adverse_events", SRCKEY="instance=" + adae["AESEQ"].astype("string"))

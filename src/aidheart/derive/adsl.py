"""ADSL: one record per screened subject (SPEC section 4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from aidheart.derive.adeff import PARAM_ORDER as EFFICACY_PARAMS
from aidheart.derive.checks import assert_has_columns, assert_unique_keys
from aidheart.derive.exposure import derive_vars_adherence, derive_vars_trtdt
from aidheart.derive.identifiers import derive_vars_usubjid
from aidheart.derive.populations import (
    derive_var_complfl,
    derive_var_efffl,
    derive_var_enrlfl,
    derive_var_pprotfl,
    derive_var_saffl,
)
from aidheart.derive.vis import compute_vis

#: Clean ``subjects`` column -> ADSL variable.
SUBJECT_VARS = {
    "record_id": "SUBJID",
    "age": "AGE",
    "sex": "SEX",
    "race": "RACE",
    "ethnicity": "ETHNIC",
    "consent_day": "RFICDY",
    "consent_month": "RFICMON",
    "first_dose_month": "TRTSMON",
    "screen_crp": "SCRCRP",
    "screen_lvef": "SCRLVEF",
    "screen_inotrope": "INOBLDRG",
    "screen_inotrope_dose": "INOBLDOS",
    "screen_fail_reason": "SCRFREAS",
}
#: Completion status label -> EOSSTT; every other status is "DISCONTINUED" with the label as DCSREAS.
EOSSTT_BY_STATUS = {"Completed": "COMPLETED", "Ongoing": "ONGOING"}
#: Disposition of an enrolled subject with no completion form yet.
EOSSTT_NO_FORM = "ONGOING"
#: Disposition of a screen failure.
SCREEN_FAILURE = ("DISCONTINUED", "Screen failure")
#: The ``DTHFL`` value of subjects who died (others missing), as in ADaM.
DEATH_STATUS = "Death"


def derive_vars_disposition(adsl: pd.DataFrame, completion: pd.DataFrame) -> pd.DataFrame:
    """Add ``EOSSTT``, ``DCSREAS``, ``EOSDY``, ``DTHFL`` and ``DTHDY``.

    Notes
    -----
    Enrolled: ``EOSSTT`` from the completion status (:data:`EOSSTT_BY_STATUS`,
    else ``"DISCONTINUED"`` with the status as ``DCSREAS``); no completion form
    means ``"ONGOING"``. Screen failures: ``"DISCONTINUED"``, ``"Screen failure"``.
    ``DTHFL = "Y"`` when a death day is recorded or the status is death.
    """
    form = adsl[["SUBJID"]].merge(completion.rename(columns={"record_id": "SUBJID"}), on="SUBJID",
                                  how="left").set_axis(adsl.index)
    status = form["status"].astype("string")
    enrolled = adsl["ENRLFL"] == "Y"
    eosstt = status.map(EOSSTT_BY_STATUS).fillna("DISCONTINUED").where(status.notna(), EOSSTT_NO_FORM)
    dcsreas = status.where(eosstt == "DISCONTINUED")
    eosstt = eosstt.where(enrolled, SCREEN_FAILURE[0])
    dcsreas = dcsreas.where(enrolled, SCREEN_FAILURE[1])
    died = form["death_day"].notna() | (status == DEATH_STATUS).fillna(False)
    return adsl.assign(
        EOSSTT=eosstt, DCSREAS=dcsreas,
        EOSDY=form["eos_day"].astype("Int64"),
        DTHFL=pd.Series(np.where(died, "Y", pd.NA), index=adsl.index, dtype="string"),
        DTHDY=form["death_day"].astype("Int64"),
    )


def derive_var_majdvfl(adsl: pd.DataFrame, deviations: pd.DataFrame) -> pd.DataFrame:
    """``MAJDVFL = "Y"`` when the subject has a protocol deviation with ``major == "Y"``, else ``"N"``."""
    major = set(deviations.loc[deviations["major"] == "Y", "record_id"])
    return adsl.assign(MAJDVFL=np.where(adsl["SUBJID"].isin(major), "Y", "N"))


def build_adsl(subjects: pd.DataFrame, completion: pd.DataFrame, diary: pd.DataFrame,
               deviations: pd.DataFrame, visits_clean: pd.DataFrame, adeff: pd.DataFrame, *, study_id: str,
               visits: Sequence[dict], end_of_treatment_visit: str, vis_weights: Mapping[str, float],
               adherence_min_pct: float) -> pd.DataFrame:
    """ADSL from the clean tables and ADEFF (for the per-endpoint efficacy flags).

    Notes
    -----
    ``INOBLVIS = INOBLDOS * vis_weights[INOBLDRG]`` (screening home inotrope).
    Treatment days and adherence: :mod:`aidheart.derive.exposure`; population
    flags: :mod:`aidheart.derive.populations` (``EFF_<PARAMCD>`` for every ADEFF
    parameter). Rows keep the order of the clean ``subjects`` table.
    """
    assert_has_columns(subjects, [*SUBJECT_VARS, "enrolled"], "subjects")
    assert_unique_keys(subjects, ["record_id"], "subjects")
    assert_unique_keys(completion, ["record_id"], "completion")
    adsl = subjects[list(SUBJECT_VARS) + ["enrolled"]].rename(columns=SUBJECT_VARS)
    adsl = derive_vars_usubjid(adsl, study_id, subjid="SUBJID")
    adsl = adsl.assign(INOBLVIS=compute_vis(adsl["INOBLDOS"], adsl["INOBLDRG"], vis_weights))
    adsl = derive_var_enrlfl(adsl)
    adsl = derive_vars_trtdt(adsl, completion, diary)
    adsl = derive_vars_disposition(adsl, completion)
    adsl = derive_vars_adherence(adsl, diary)
    adsl = derive_var_majdvfl(adsl, deviations)
    adsl = derive_var_saffl(adsl)
    for paramcd in EFFICACY_PARAMS:
        adsl = derive_var_efffl(adsl, adeff, paramcd)
    eot = next(visit for visit in visits if visit["avisit"] == end_of_treatment_visit)
    adsl = derive_var_complfl(adsl, visits_clean, eot["event"], eot["day"] - eot["window"])
    adsl = derive_var_pprotfl(adsl, adherence_min_pct)
    return adsl.drop(columns="enrolled").reset_index(drop=True)

"""ADSL: one record per screened subject, built first from the clean tables (no other dataset)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aidheart.derive.checks import assert_has_columns, assert_unique_keys
from aidheart.derive.exposure import derive_vars_adherence, derive_vars_trtdy
from aidheart.derive.identifiers import derive_vars_usubjid
from aidheart.derive.populations import (
    derive_var_complfl,
    derive_var_efffl,
    derive_var_enrlfl,
    derive_var_pprotfl,
    derive_var_saffl,
)
from aidheart.derive.variables import ADSL
from aidheart.derive.vis import compute_vis
from aidheart.study import Study

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
    "cutoff_day": "DCUTDY",
}
#: Unit of AGE.
AGE_UNIT = "YEARS"
#: ARM and ACTARM of subjects who did not get the study treatment (SDTMIG 3.2 terms).
SCREEN_FAILURE_ARM = "Screen Failure"
NOT_ASSIGNED_ARM = "Not Assigned"
NOT_TREATED_ARM = "Not Treated"
#: Completion status label -> EOSSTT; every other status is "DISCONTINUED" with the label as DCSREAS.
EOSSTT_BY_STATUS = {"Completed": "COMPLETED", "Ongoing": "ONGOING"}
#: Disposition of an enrolled subject with no completion form yet.
EOSSTT_NO_FORM = "ONGOING"
#: Disposition of a screen failure.
SCREEN_FAILURE = ("DISCONTINUED", "Screen failure")
#: The ``DTHFL`` value of subjects who died (others missing), as in ADaM.
DEATH_STATUS = "Death"


def derive_vars_arm(adsl: pd.DataFrame, treatment: str, eligible: str = "enrolled") -> pd.DataFrame:
    """Add ``ARM``, ``ACTARM`` (planned and actual arm), ``TRT01P`` and ``TRT01A`` (planned and actual treatment).

    Notes
    -----
    One arm, the study ``treatment``. ``ARM``: the treatment for enrolled subjects
    (``ENRLFL``), :data:`SCREEN_FAILURE_ARM` when eligibility was answered "No",
    otherwise :data:`NOT_ASSIGNED_ARM` (screening not concluded). ``ACTARM``: the
    treatment once a dose is recorded (``TRTSDY``), :data:`NOT_TREATED_ARM` for an
    enrolled subject without a dose yet, otherwise ``ARM``. ``TRT01P``/``TRT01A``:
    the treatment for enrolled/treated subjects, missing for the others.
    """
    enrolled = (adsl["ENRLFL"] == "Y").to_numpy()
    treated = adsl["TRTSDY"].notna().to_numpy()
    failed = (adsl[eligible] == "N").fillna(False).to_numpy()
    arm = np.where(enrolled, treatment, np.where(failed, SCREEN_FAILURE_ARM, NOT_ASSIGNED_ARM))
    actarm = np.where(treated, treatment, np.where(enrolled, NOT_TREATED_ARM, arm))
    text = lambda values: pd.Series(values, index=adsl.index, dtype="string")  # noqa: E731
    return adsl.assign(ARM=text(arm), ACTARM=text(actarm), TRT01P=text(arm).where(enrolled),
                       TRT01A=text(actarm).where(treated))


def derive_vars_disposition(adsl: pd.DataFrame, completion: pd.DataFrame) -> pd.DataFrame:
    """Add ``EOSSTT``, ``DCSREAS``, ``EOSDY``, ``DTHFL`` and ``DTHDY``.

    Notes
    -----
    Enrolled: ``EOSSTT`` from the completion status (:data:`EOSSTT_BY_STATUS`,
    else ``"DISCONTINUED"`` with the status as ``DCSREAS``); no completion form
    means ``"ONGOING"``. Screen failures (``ARM``): ``"DISCONTINUED"``, ``"Screen
    failure"``; a subject still in screening is ``"ONGOING"``. ``DTHFL = "Y"`` when
    a death day is recorded or the status is death.
    """
    form = adsl[["SUBJID"]].merge(completion.rename(columns={"record_id": "SUBJID"}), on="SUBJID",
                                  how="left").set_axis(adsl.index)
    status = form["status"].astype("string")
    enrolled = adsl["ENRLFL"] == "Y"
    failed = adsl["ARM"] == SCREEN_FAILURE_ARM
    eosstt = status.map(EOSSTT_BY_STATUS).fillna("DISCONTINUED").where(status.notna(), EOSSTT_NO_FORM)
    dcsreas = status.where(eosstt == "DISCONTINUED")
    eosstt = eosstt.where(enrolled, EOSSTT_NO_FORM).mask(failed, SCREEN_FAILURE[0])
    dcsreas = dcsreas.where(enrolled).mask(failed, SCREEN_FAILURE[1])
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
               deviations: pd.DataFrame, visits_clean: pd.DataFrame, *, study: Study,
               vis_weights: Mapping[str, float], adherence_min_pct: float) -> pd.DataFrame:
    """ADSL from the clean tables, the first analysis dataset (every other one takes its subjects from it).

    Returns
    -------
    DataFrame
        :data:`aidheart.derive.variables.ADSL`; rows in the order of the clean ``subjects`` table.

    Notes
    -----
    ``SITEID`` and the treatment come from the configuration (one site, one arm);
    ``INOBLVIS = INOBLDOS * vis_weights[INOBLDRG]`` (screening home inotrope).
    Treatment days and adherence: :mod:`aidheart.derive.exposure`; arms and
    disposition: :func:`derive_vars_arm`, :func:`derive_vars_disposition`; population
    flags: :mod:`aidheart.derive.populations`.
    """
    assert_has_columns(subjects, [*SUBJECT_VARS, "enrolled"], "subjects")
    assert_unique_keys(subjects, ["record_id"], "subjects")
    assert_unique_keys(completion, ["record_id"], "completion")
    adsl = subjects[list(SUBJECT_VARS) + ["enrolled"]].rename(columns=SUBJECT_VARS)
    adsl = derive_vars_usubjid(adsl, study.study_id, subjid="SUBJID")
    adsl = adsl.assign(SITEID=study.site_id, AGEU=AGE_UNIT, DCUTDY=adsl["DCUTDY"].astype("Int64"),
                       INOBLVIS=compute_vis(adsl["INOBLDOS"], adsl["INOBLDRG"], vis_weights))
    adsl = derive_vars_trtdy(adsl, completion, diary)
    adsl = derive_var_enrlfl(adsl)
    adsl = derive_vars_arm(adsl, study.treatment)
    adsl = derive_vars_disposition(adsl, completion)
    adsl = derive_vars_adherence(adsl, diary)
    adsl = derive_var_majdvfl(adsl, deviations)
    adsl = derive_var_saffl(adsl)
    adsl = derive_var_efffl(adsl, visits_clean, study.schedule)
    adsl = derive_var_complfl(adsl, visits_clean, study.schedule.end_of_treatment)
    adsl = derive_var_pprotfl(adsl, adherence_min_pct)
    return adsl[list(ADSL)].reset_index(drop=True)

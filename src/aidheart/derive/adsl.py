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

#: Clean ``subjects`` column -> ADSL variable: the predecessors of the ADSL specification.
SUBJECT_VARS = {column: name for name, column in ADSL.predecessors("subjects").items()}
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
#: The AE action that stops study drug for good, and the fatal outcome.
DRUG_WITHDRAWN, FATAL = "Drug withdrawn", "Fatal"
#: Reasons for stopping study drug early (DCTREAS) that come from an adverse event.
AE_REASON, NOT_RECORDED = "Adverse event", "Not recorded"
#: The end-of-treatment statuses (EOTSTT).
EOT_COMPLETED, EOT_DISCONTINUED, EOT_ONGOING = EOTSTT_TERMS = ("COMPLETED", "DISCONTINUED", "ONGOING")


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


def derive_vars_eot(adsl: pd.DataFrame, adverse_events: pd.DataFrame) -> pd.DataFrame:
    """Add ``EOTSTT`` (end-of-treatment status) and ``DCTREAS`` (why study drug stopped early).

    Notes
    -----
    Stopping the drug is kept apart from leaving the study (``EOSSTT``): a subject may stop
    the drug early and stay in follow-up, or complete treatment and leave the study later.
    For treated subjects (``SAFFL``), ``EOTSTT`` is ``"COMPLETED"`` for a completer
    (``COMPLFL``); ``"DISCONTINUED"`` when the subject is not a completer and either has
    left the study (``EOSSTT`` other than ``"ONGOING"``) or has an AE with action
    :data:`DRUG_WITHDRAWN`; otherwise ``"ONGOING"``. Not treated: missing.
    ``DCTREAS`` of a discontinued subject: :data:`AE_REASON` when an AE withdrew the drug
    (the first by onset; ``"Death"`` when that AE was fatal), else the reason for leaving
    the study (``DCSREAS``), else :data:`NOT_RECORDED`.
    """
    withdrawn = adverse_events[adverse_events["action"].astype("string").eq(DRUG_WITHDRAWN).fillna(False)]
    first = withdrawn.sort_values(["record_id", "onset_day"], kind="stable").drop_duplicates("record_id")
    ae_reason = first.set_index("record_id")["outcome"].astype("string").eq(FATAL).map(
        {True: DEATH_STATUS, False: AE_REASON})
    treated = adsl["SAFFL"] == "Y"
    completed = adsl["COMPLFL"] == "Y"
    by_ae = adsl["SUBJID"].map(ae_reason).astype("string")
    stopped = treated & ~completed & (by_ae.notna() | (adsl["EOSSTT"] != EOSSTT_NO_FORM))
    eotstt = pd.Series(np.where(completed, EOT_COMPLETED, np.where(stopped, EOT_DISCONTINUED, EOT_ONGOING)),
                       index=adsl.index, dtype="string").where(treated)
    dctreas = by_ae.fillna(adsl["DCSREAS"].astype("string")).fillna(NOT_RECORDED).where(stopped)
    return adsl.assign(EOTSTT=eotstt, DCTREAS=dctreas)


def derive_var_majdvfl(adsl: pd.DataFrame, deviations: pd.DataFrame) -> pd.DataFrame:
    """``MAJDVFL = "Y"`` when the subject has a protocol deviation with ``major == "Y"``, else ``"N"``."""
    major = set(deviations.loc[deviations["major"] == "Y", "record_id"])
    return adsl.assign(MAJDVFL=np.where(adsl["SUBJID"].isin(major), "Y", "N"))


def build_adsl(subjects: pd.DataFrame, completion: pd.DataFrame, diary: pd.DataFrame,
               deviations: pd.DataFrame, visits_clean: pd.DataFrame, adverse_events: pd.DataFrame, *, study: Study,
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
    flags: :mod:`aidheart.derive.populations`; end of treatment: :func:`derive_vars_eot`
    (the AE form's action on study drug).
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
    adsl = derive_vars_eot(adsl, adverse_events)
    return adsl[list(ADSL)].reset_index(drop=True)

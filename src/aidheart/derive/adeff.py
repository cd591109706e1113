"""ADEFF: the efficacy parameters by visit, one long BDS dataset.

One dataset holds every endpoint of the configuration so that each flows through the
same statistics code; the safety labs are in ADLB (:mod:`aidheart.derive.adlb`), the
per-step challenge values in ADSTEP. Each endpoint's ``source`` names its derivation
(:data:`DERIVATIONS`); its ``PARAM`` and ``PARAMN`` come from the configuration too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from aidheart.derive.baseline import derive_var_pairfl
from aidheart.derive.bds import derive_vars_bds
from aidheart.derive.dose_response import derive_param_maintenance, derive_param_slope
from aidheart.derive.inotrope import derive_param_vismaint
from aidheart.derive.records import (
    derive_param_findings,
    derive_param_imputed_zero,
    derive_param_log,
    derive_param_walk,
)
from aidheart.derive.variables import ADEFF
from aidheart.study import Endpoint, Study

#: Study-day column of each clean findings table.
FINDINGS_DAY = {"labs": "lab_day", "clinical": "clin_day"}


@dataclass(frozen=True)
class EfficacySources:
    """The tables the efficacy parameters are derived from (clean tables as read; ADSTEP with session keys)."""

    steps: pd.DataFrame
    walks: pd.DataFrame
    findings: Mapping[str, pd.DataFrame]
    inotrope_log: pd.DataFrame
    end_days: pd.Series
    study: Study
    vis_weights: Mapping[str, float]
    min_distinct_doses: int


def subject_end_days(adsl: pd.DataFrame) -> pd.Series:
    """Last study day on study per enrolled ``SUBJID``: the end-of-study day, else the data cut-off day."""
    enrolled = adsl[adsl["ENRLFL"] == "Y"]
    return pd.Series(enrolled["EOSDY"].astype("Float64").fillna(enrolled["DCUTDY"].astype("Float64")).to_numpy(),
                     index=enrolled["SUBJID"].astype("string").to_numpy())


def _slope(endpoint: Endpoint, value: str, sources: EfficacySources) -> pd.DataFrame:
    return derive_param_slope(sources.steps, value, endpoint.paramcd, endpoint.param, sources.min_distinct_doses)


def _maintenance(endpoint: Endpoint, value: str, sources: EfficacySources) -> pd.DataFrame:
    return derive_param_maintenance(sources.steps, value, endpoint.paramcd, endpoint.param)


def _walk(endpoint: Endpoint, _field: str, sources: EfficacySources) -> pd.DataFrame:
    walks = derive_param_walk(sources.walks, endpoint.paramcd, endpoint.param)
    imputed = derive_param_imputed_zero(walks, endpoint.paramcd, endpoint.zero_if_not_done)
    return pd.concat([walks, imputed], ignore_index=True)


def _findings(table: str):
    def derive(endpoint: Endpoint, field: str, sources: EfficacySources) -> pd.DataFrame:
        return derive_param_findings(sources.findings[table], {field: (endpoint.paramcd, endpoint.param)},
                                     day=FINDINGS_DAY[table], srcdom=table)
    return derive


def _vismaint(endpoint: Endpoint, _field: str, sources: EfficacySources) -> pd.DataFrame:
    return derive_param_vismaint(sources.inotrope_log, sources.end_days, sources.study.schedule, sources.vis_weights,
                                 endpoint.paramcd, endpoint.param)


#: Endpoint ``source`` key -> the derivation of its records (``log_of`` is applied afterwards).
DERIVATIONS = {
    "challenge_slope": _slope,
    "challenge_maintenance": _maintenance,
    "walk": _walk,
    "labs": _findings("labs"),
    "clinical": _findings("clinical"),
    "inotrope_log": _vismaint,
}


def derive_params_endpoints(sources: EfficacySources) -> pd.DataFrame:
    """The records of every endpoint of the study (before the analysis variables), endpoints in order.

    Notes
    -----
    ``challenge_slope`` (``INOSENS``, ``HRSLOPE``): OLS slope of a step value over a
    session's usable steps (at least ``min_distinct_doses`` distinct VIS);
    ``challenge_maintenance`` (``CIMAINT``): step 1's value; ``walk`` (``SIXMWD``):
    distance, and a walk not done for a ``zero_if_not_done`` reason gets an extra
    record ``AVAL = 0``, ``DTYPE = "ZERO-IMPUTED"`` (in ``ANL02FL``, never ``ANL01FL``);
    ``labs``/``clinical``: the clean parameter as it is; ``log_of`` (``LCRP``): the
    natural log of another endpoint's records; ``inotrope_log`` (``VISMAINT``):
    time-weighted VIS per visit interval.
    """
    records: dict[str, pd.DataFrame] = {}
    for endpoint in sources.study.endpoints:
        if endpoint.derivation != "log_of":
            records[endpoint.paramcd] = DERIVATIONS[endpoint.derivation](
                endpoint, endpoint.source[endpoint.derivation], sources)
    for endpoint in sources.study.endpoints:
        if endpoint.derivation == "log_of":
            records[endpoint.paramcd] = derive_param_log(records[endpoint.source["log_of"]], endpoint.source["log_of"],
                                                         endpoint.paramcd, endpoint.param)
    return pd.concat([records[code] for code in sources.study.paramcds], ignore_index=True)


def with_session_keys(adstep: pd.DataFrame, study: Study) -> pd.DataFrame:
    """ADSTEP with the clean tables' session keys ``record_id`` (``SUBJID``) and ``event`` (of ``AVISIT``)."""
    events = {visit.avisit: visit.event for visit in study.schedule.visits}
    return adstep.assign(record_id=adstep["SUBJID"].astype("string"), event=adstep["AVISIT"].map(events))


def build_adeff(adsl: pd.DataFrame, adstep: pd.DataFrame, walks: pd.DataFrame, labs: pd.DataFrame,
                clinical: pd.DataFrame, inotrope_log: pd.DataFrame, visits_clean: pd.DataFrame, *, study: Study,
                vis_weights: Mapping[str, float], min_distinct_doses: int) -> pd.DataFrame:
    """The efficacy BDS dataset from ADSL, ADSTEP and the clean tables.

    Returns
    -------
    DataFrame
        :data:`aidheart.derive.variables.ADEFF`: the BDS variables
        (:func:`aidheart.derive.bds.derive_vars_bds`), ``ANL03FL`` (the records of a
        subject and parameter with a baseline and a later value,
        :func:`aidheart.derive.baseline.derive_var_pairfl`) and ``ASTDY``/``AENDY``
        (the interval of an ``inotrope_log`` endpoint).
    """
    sources = EfficacySources(steps=with_session_keys(adstep, study), walks=walks,
                              findings={"labs": labs, "clinical": clinical}, inotrope_log=inotrope_log,
                              end_days=subject_end_days(adsl), study=study, vis_weights=vis_weights,
                              min_distinct_doses=min_distinct_doses)
    records = derive_params_endpoints(sources)
    bds = derive_vars_bds(records, visits_clean, adsl, schedule=study.schedule, param_order=study.paramcds)
    return derive_var_pairfl(bds).reindex(columns=list(ADEFF))

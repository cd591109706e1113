"""The analysis results dataset of the study: every analysis of the plan, in plan order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from aidheart.analysis.descriptive import describe_visits
from aidheart.analysis.efficacy import analyse_endpoint
from aidheart.analysis.feasibility import analyse_feasibility
from aidheart.analysis.missingness import analyse_tipping_point, analyse_worst_rank
from aidheart.analysis.next_trial import size_next_trial
from aidheart.analysis.plan import AnalysisPlan
from aidheart.analysis.responders import analyse_responders
from aidheart.stats.ard import ARD_COLUMNS, COUNT_COLUMNS
from aidheart.study import Study

#: The analysis set of the primary analysis, and of the responder, missingness, sizing and feasibility analyses.
PRIMARY_SET = "EFF"


def build_ard(adsl: pd.DataFrame, adeff: pd.DataFrame, *, study: Study, plan: AnalysisPlan, sizing: Mapping,
              accrual: Mapping, cutoff: dt.date, adherence_min_pct: float) -> pd.DataFrame:
    """Run the analysis plan on ADSL and ADEFF.

    Parameters
    ----------
    adsl, adeff : DataFrame
        The subject-level and efficacy BDS datasets.
    study : Study
        The schedule (baseline, post-baseline and primary visits) and the endpoints
        (their analysis sets, methods, roles, MCID, sizing effects, worst-rank events
        and tipping-point shifts).
    plan : AnalysisPlan
        Config ``analysis``: resampling, longitudinal models, covariance order, df.
    sizing : mapping
        Config ``sizing`` (powers, alpha).
    accrual : mapping
        Config ``study`` (the accrual plan of the enrolment rate).
    cutoff : date
        The run's data cut-off (:func:`aidheart.cutoff.effective_cutoff`).
    adherence_min_pct : float
        Adherence threshold of the per-protocol set and the feasibility outcome.

    Returns
    -------
    DataFrame
        The ARD (:data:`aidheart.stats.ard.ARD_COLUMNS`): for each endpoint and set in
        configuration order the mean and CI at each visit (continuous endpoints), the
        analyses by visit and the longitudinal models; then the responder analysis of
        each ``responder`` endpoint, the worst-rank composite of each endpoint with
        ``worst_rank`` events, the tipping point of each with ``tipping_point`` shifts,
        the next-trial sizing of each endpoint with ``sizing_effects``, and feasibility
        (completion of the ``assessed`` endpoints at the primary visit).
    """
    schedule = study.schedule
    frames = []
    for endpoint in study.endpoints:
        for set_id in endpoint.sets:
            if not endpoint.categorical:
                frames.append(describe_visits(adsl, adeff, endpoint.paramcd, set_id, schedule=schedule))
            frames.append(analyse_endpoint(adsl, adeff, endpoint, set_id, schedule=schedule, plan=plan))
    for endpoint in study.with_role("responder"):
        frames.append(analyse_responders(adsl, adeff, endpoint, PRIMARY_SET, schedule=schedule))
    for endpoint in study.endpoints:
        if endpoint.worst_rank:
            frames.append(analyse_worst_rank(adsl, adeff, endpoint, PRIMARY_SET, schedule=schedule))
        if endpoint.tipping_point:
            frames.append(analyse_tipping_point(adsl, adeff, endpoint, PRIMARY_SET, schedule=schedule))
    for endpoint in study.endpoints:
        if endpoint.sizing_effects:
            frames.append(size_next_trial(adsl, adeff, endpoint, PRIMARY_SET, schedule=schedule,
                                          powers=sizing["power"], alpha=sizing["alpha"]))
    assessed = [endpoint.paramcd for endpoint in study.with_role("assessed")]
    frames.append(analyse_feasibility(adsl, adeff, cutoff=cutoff, plan=accrual, adherence_min_pct=adherence_min_pct,
                                      assessment_visit=schedule.primary.avisit, assessed_params=assessed))
    ard = pd.concat(frames, ignore_index=True)
    ard["visit"] = ard["visit"].fillna("")
    ard["covariance"] = ard["covariance"].fillna("")
    ard = ard.astype({column: "Int64" for column in COUNT_COLUMNS})
    return ard.loc[:, list(ARD_COLUMNS)]

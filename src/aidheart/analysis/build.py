"""The analysis results dataset of the study: every analysis of the plan, in plan order."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from aidheart.analysis.descriptive import describe_visits
from aidheart.analysis.efficacy import analyse_endpoint
from aidheart.analysis.feasibility import analyse_feasibility
from aidheart.analysis.next_trial import size_next_trial
from aidheart.analysis.responders import analyse_responders
from aidheart.stats.ard import ARD_COLUMNS, COUNT_COLUMNS
from aidheart.study import Study

#: The analysis set of the responder, sizing and feasibility analyses.
PRIMARY_SET = "EFF"


def build_ard(adsl: pd.DataFrame, adeff: pd.DataFrame, *, study: Study, analysis: Mapping, sizing: Mapping,
              accrual_start: str, adherence_min_pct: float) -> pd.DataFrame:
    """Run the analysis plan on ADSL and ADEFF.

    Parameters
    ----------
    adsl, adeff : DataFrame
        The subject-level and efficacy BDS datasets.
    study : Study
        The schedule (baseline, post-baseline and primary visits) and the endpoints
        (their analysis sets, methods, roles, MCID and sizing effects).
    analysis, sizing : mapping
        Config ``analysis`` (seed, bootstrap resamples) and ``sizing`` (powers, alpha).
    accrual_start : str
        ``YYYY-MM``, first month of accrual.
    adherence_min_pct : float
        Adherence threshold of the per-protocol set and the feasibility outcome.

    Returns
    -------
    DataFrame
        The ARD (:data:`aidheart.stats.ard.ARD_COLUMNS`): for each endpoint and set in
        configuration order the mean and CI at each visit, the paired analyses by visit,
        LMM and MMRM; then the responder analysis of each ``responder`` endpoint, the
        next-trial sizing of each endpoint with ``sizing_effects``, and feasibility
        (completion of the ``assessed`` endpoints at the primary visit).
    """
    schedule = study.schedule
    frames = []
    for endpoint in study.endpoints:
        for set_id in endpoint.sets:
            frames.append(describe_visits(adsl, adeff, endpoint.paramcd, set_id, schedule=schedule))
            frames.append(analyse_endpoint(adsl, adeff, endpoint, set_id, schedule=schedule, seed=analysis["seed"],
                                           resamples=analysis["bootstrap_resamples"]))
    for endpoint in study.with_role("responder"):
        frames.append(analyse_responders(adsl, adeff, endpoint, PRIMARY_SET, schedule=schedule))
    for endpoint in study.endpoints:
        if endpoint.sizing_effects:
            frames.append(size_next_trial(adsl, adeff, endpoint, PRIMARY_SET, schedule=schedule,
                                          powers=sizing["power"], alpha=sizing["alpha"]))
    assessed = [endpoint.paramcd for endpoint in study.with_role("assessed")]
    frames.append(analyse_feasibility(adsl, adeff, accrual_start=accrual_start, adherence_min_pct=adherence_min_pct,
                                      assessment_visit=schedule.primary.avisit, assessed_params=assessed))
    ard = pd.concat(frames, ignore_index=True)
    ard["visit"] = ard["visit"].fillna("")
    ard = ard.astype({column: "Int64" for column in COUNT_COLUMNS})
    return ard.loc[:, list(ARD_COLUMNS)]

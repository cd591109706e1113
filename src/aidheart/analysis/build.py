"""The analysis results dataset of the study: every analysis of the plan, in plan order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from aidheart.analysis.descriptive import describe_visits
from aidheart.analysis.efficacy import analyse_endpoint
from aidheart.analysis.feasibility import analyse_feasibility
from aidheart.analysis.next_trial import size_next_trial
from aidheart.analysis.responders import analyse_responders
from aidheart.stats.ard import ARD_COLUMNS
from aidheart.stats.long_table import DEFAULT_METHODS

#: The endpoint whose change defines a responder, and the analysis set of the responder,
#: sizing and feasibility analyses.
RESPONDER_PARAMCD = "SIXMWD"
PRIMARY_SET = "EFF"
#: Parameters whose completion at the primary visit measures assessment feasibility.
ASSESSED_PARAMS = ("INOSENS", "SIXMWD")


def build_ard(adsl: pd.DataFrame, adeff: pd.DataFrame, *, endpoints: Sequence[Mapping], visits: Sequence[Mapping],
              primary_visit: str, analysis: Mapping, sizing: Mapping, accrual_start: str,
              adherence_min_pct: float) -> pd.DataFrame:
    """Run the analysis plan on ADSL and ADEFF.

    Parameters
    ----------
    adsl, adeff : DataFrame
        The subject-level and efficacy BDS datasets.
    endpoints : sequence of mapping
        Config ``endpoints``: ``paramcd``, ``sets``, optional ``methods``.
    visits : sequence of mapping
        Config ``visits`` (the first is baseline; ``avisit`` labels in order).
    primary_visit : str
        The visit of the responder analysis, the sizing and the assessment completion.
    analysis, sizing : mapping
        Config ``analysis`` (seed, bootstrap resamples, responder threshold) and ``sizing``.
    accrual_start : str
        ``YYYY-MM``, first month of accrual.
    adherence_min_pct : float
        Adherence threshold of the per-protocol set and the feasibility outcome.

    Returns
    -------
    DataFrame
        The ARD (:data:`aidheart.stats.ard.ARD_COLUMNS`): for each endpoint and set in
        config order the mean and CI at each visit, the paired analyses by visit, LMM and MMRM; then the responder
        analysis, the next-trial sizing per endpoint with effect sizes, and feasibility.
    """
    post_visits = [visit["avisit"] for visit in visits[1:]]
    frames = []
    for endpoint in endpoints:
        for set_id in endpoint["sets"]:
            frames.append(describe_visits(adsl, adeff, endpoint["paramcd"], set_id, post_baseline_visits=post_visits))
            frames.append(analyse_endpoint(adsl, adeff, endpoint["paramcd"], set_id, post_baseline_visits=post_visits,
                                           seed=analysis["seed"], resamples=analysis["bootstrap_resamples"],
                                           methods=endpoint.get("methods", DEFAULT_METHODS)))
    frames.append(analyse_responders(adsl, adeff, RESPONDER_PARAMCD, PRIMARY_SET, visit=primary_visit,
                                     threshold=analysis["responder_threshold_6mwd"]))
    for paramcd, effect_sizes in sizing["effect_sizes"].items():
        frames.append(size_next_trial(adsl, adeff, paramcd, PRIMARY_SET, visit=primary_visit,
                                      effect_sizes=effect_sizes, powers=sizing["power"], alpha=sizing["alpha"]))
    frames.append(analyse_feasibility(adsl, adeff, accrual_start=accrual_start, adherence_min_pct=adherence_min_pct,
                                      assessment_visit=primary_visit, assessed_params=ASSESSED_PARAMS))
    ard = pd.concat(frames, ignore_index=True)
    ard["visit"] = ard["visit"].fillna("")
    return ard.loc[:, list(ARD_COLUMNS)]

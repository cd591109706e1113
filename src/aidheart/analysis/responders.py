"""Responder analysis: the proportion of subjects whose change reaches the endpoint's MCID."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import select_records
from aidheart.stats.proportions import clopper_pearson
from aidheart.study import Endpoint, Schedule


def changes_at(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *, schedule: Schedule,
               visit: str) -> pd.DataFrame:
    """The set's records of ``paramcd`` at ``visit`` with a change from baseline (``CHG``), by ``USUBJID``.

    Missing data: complete pairs, as in the paired analyses (a record without ``BASE``
    or ``AVAL`` has no ``CHG``).
    """
    records = select_records(adsl, bds, paramcd, set_id, baseline=schedule.baseline.avisit, visits=[visit])
    at_visit = records[(records["AVISIT"] == visit) & records["CHG"].notna()]
    return at_visit.sort_values("USUBJID", kind="stable")


def analyse_responders(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                       schedule: Schedule) -> pd.DataFrame:
    """Proportion of subjects with ``CHG >= mcid`` at the primary visit, with its Clopper–Pearson 95 % CI.

    Returns
    -------
    DataFrame
        One ARD row: ``method = "responder"``, ``term = "proportion"``, ``estimate``
        responders / n, exact CI, ``n`` subjects with a change at the visit, ``count``
        the responders, ``denominator`` n, ``threshold`` the endpoint's MCID.
    """
    visit = schedule.primary.avisit
    changes = changes_at(adsl, bds, endpoint.paramcd, set_id, schedule=schedule, visit=visit)
    responders = int((changes["CHG"] >= endpoint.mcid).sum())
    row = clopper_pearson(responders, len(changes), method="responder")
    return row.assign(visit=visit, count=responders, denominator=float(len(changes)), threshold=float(endpoint.mcid),
                      paramcd=endpoint.paramcd, population=set_id)

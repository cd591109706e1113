"""Mean and 95 % CI of an endpoint at every visit, on all available data (for the spaghetti plots)."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import select_records
from aidheart.stats.paired import visit_mean
from aidheart.study import Schedule


def collected_visits(bds: pd.DataFrame, paramcd: str, schedule: Schedule) -> list[str]:
    """The post-baseline visit labels, in schedule order, at which ``paramcd`` has any record."""
    collected = set(bds.loc[bds["PARAMCD"] == paramcd, "AVISIT"])
    return [visit.avisit for visit in schedule.post_baseline if visit.avisit in collected]


def describe_visits(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *,
                    schedule: Schedule) -> pd.DataFrame:
    """One ``visit_mean`` ARD row per visit (baseline first) at which ``paramcd`` was collected.

    Missing data: every subject of the set with a value at the visit counts (not complete pairs).
    """
    visits = collected_visits(bds, paramcd, schedule)
    baseline = schedule.baseline.avisit
    records = select_records(adsl, bds, paramcd, set_id, baseline=baseline, visits=visits)
    frames = [visit_mean(records.loc[records["AVISIT"] == visit, "AVAL"]).assign(visit=visit)
              for visit in [baseline, *visits]]
    return pd.concat(frames, ignore_index=True).assign(paramcd=paramcd, population=set_id)

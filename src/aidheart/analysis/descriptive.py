"""Mean and 95 % CI of an endpoint at every visit, on all available data (for the spaghetti plots)."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import BASELINE_VISIT, select_records
from aidheart.stats.paired import visit_mean


def describe_visits(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *,
                    post_baseline_visits) -> pd.DataFrame:
    """One ``visit_mean`` ARD row per visit (baseline first) at which ``paramcd`` was collected.

    Missing data: every subject of the set with a value at the visit counts (not complete pairs).
    """
    collected = set(bds.loc[bds["PARAMCD"] == paramcd, "AVISIT"])
    visits = [BASELINE_VISIT] + [visit for visit in post_baseline_visits if visit in collected]
    records = select_records(adsl, bds, paramcd, set_id, visits[1:])
    frames = [visit_mean(records.loc[records["AVISIT"] == visit, "AVAL"]).assign(visit=visit) for visit in visits]
    return pd.concat(frames, ignore_index=True).assign(paramcd=paramcd, population=set_id)

"""Sizing of the next trial from the pilot's variability of change."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import BASELINE_VISIT, select_records
from aidheart.stats.sizing import next_trial_size


def size_next_trial(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *, visit: str,
                    effect_sizes, powers, alpha: float) -> pd.DataFrame:
    """SD of change at ``visit`` with Browne's upper limits, and per-arm n over the grid.

    Returns the rows of :func:`aidheart.stats.sizing.next_trial_size` labelled with
    ``paramcd``, ``population`` and ``visit``. Missing data: complete pairs.
    """
    records = select_records(adsl, bds, paramcd, set_id, [visit])
    wide = records.pivot(index="USUBJID", columns="AVISIT", values="AVAL")
    baseline = wide.get(BASELINE_VISIT, pd.Series(dtype=float))
    post = wide.get(visit, pd.Series(dtype=float))
    rows = next_trial_size(baseline.reindex(wide.index), post.reindex(wide.index),
                           effect_sizes=effect_sizes, powers=powers, alpha=alpha)
    return rows.assign(visit=visit, paramcd=paramcd, population=set_id)

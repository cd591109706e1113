"""Sizing of the next trial from the pilot's variability of change."""

from __future__ import annotations

import re

import pandas as pd

from aidheart.analysis.responders import changes_at
from aidheart.stats.sizing import next_trial_size
from aidheart.study import Endpoint, Schedule

#: The grid term :func:`~aidheart.stats.sizing.next_trial_size` writes: its delta, power and SD basis
#: become the ARD columns ``threshold`` and ``power`` and the term ``n_per_arm_<basis>``.
GRID_TERM = re.compile(r"^n_per_arm\[delta=(?P<delta>[^,]+),power=(?P<power>[^,]+),sd=(?P<basis>[^\]]+)\]$")


def size_next_trial(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *, schedule: Schedule,
                    powers, alpha: float) -> pd.DataFrame:
    """SD of change at the primary visit with Browne's upper limits, and per-arm n over the grid.

    Returns the rows of :func:`aidheart.stats.sizing.next_trial_size` for the endpoint's
    ``sizing_effects``, labelled with ``paramcd``, ``population`` and ``visit``; a grid
    row has the term ``n_per_arm_sd_change`` or ``n_per_arm_sd_ucl80`` (the SD it
    assumes), the difference to detect in ``threshold`` and the power in ``power``.
    Missing data: complete pairs (ADaM ``BASE`` and ``AVAL`` where ``CHG`` is derived).
    """
    visit = schedule.primary.avisit
    changes = changes_at(adsl, bds, endpoint.paramcd, set_id, schedule=schedule, visit=visit)
    rows = next_trial_size(changes["BASE"].to_numpy(), changes["AVAL"].to_numpy(),
                           effect_sizes=endpoint.sizing_effects, powers=powers, alpha=alpha)
    grid = rows["term"].str.extract(GRID_TERM)
    on_grid = grid["basis"].notna()
    rows = rows.assign(term=rows["term"].where(~on_grid, "n_per_arm_" + grid["basis"]),
                       threshold=pd.to_numeric(grid["delta"]).where(on_grid, rows["threshold"]),
                       power=pd.to_numeric(grid["power"]).where(on_grid, rows["power"]))
    return rows.assign(visit=visit, paramcd=endpoint.paramcd, population=set_id)

"""Cumulative incidence of a first event by the Kaplan–Meier estimator (one minus survival).

Checked against R's ``survival::survfit`` (``tests/test_stats_incidence.py`` quotes
the call and its values).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KM_COLUMNS = ["time", "n_risk", "n_event", "n_censor", "survival", "cum_incidence"]


def kaplan_meier(time, event) -> pd.DataFrame:
    """Kaplan–Meier estimate at each distinct time, with the cumulative incidence ``1 - S(t)``.

    Parameters
    ----------
    time : array-like of float
        Time to the first event, or to censoring.
    event : array-like of bool
        True for an event at ``time``, False for censoring there.

    Returns
    -------
    DataFrame
        :data:`KM_COLUMNS`, one row per distinct time (ascending): subjects at risk just
        before it, events and censorings at it, ``survival`` S(t) and ``cum_incidence``.

    Notes
    -----
    ``S(t) = prod over event times u <= t of (1 - d_u / n_u)``, ``n_u`` the subjects whose
    time is at least ``u``: at a tie, events come before censorings (as ``survfit``).
    Missing data: subjects with a missing time are left out; none gives no rows.
    """
    frame = pd.DataFrame({"time": pd.to_numeric(pd.Series(time), errors="coerce").to_numpy(dtype=float),
                          "event": np.asarray(event, dtype=bool)}).dropna(subset=["time"])
    if frame.empty:
        return pd.DataFrame(columns=KM_COLUMNS)
    grouped = frame.groupby("time")["event"].agg(n_event="sum", n_total="size").reset_index()
    grouped["n_censor"] = grouped["n_total"] - grouped["n_event"]
    grouped["n_risk"] = len(frame) - grouped["n_total"].cumsum().shift(fill_value=0)
    grouped["survival"] = (1 - grouped["n_event"] / grouped["n_risk"]).cumprod()
    grouped["cum_incidence"] = 1 - grouped["survival"]
    return grouped.astype({"n_event": int, "n_censor": int, "n_risk": int})[KM_COLUMNS]

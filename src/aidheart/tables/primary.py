"""The primary endpoint's estimate at each comparison (visit against baseline) as a display table."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import one, select, visits_of
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_mean_sd

#: The one estimate shown per comparison: the paired mean change with its t interval.
ESTIMATE = ("paired_t", "mean_change")


def change_table(ard: pd.DataFrame, endpoint: Endpoint, population: str, baseline: str, primary_visit: str) -> pd.DataFrame:
    """One row per post-baseline visit: the complete pairs, their means (SD) and the mean change with its CI.

    Parameters
    ----------
    ard : DataFrame
        The ARD (:func:`aidheart.io.read_ard`).
    endpoint : Endpoint
        The endpoint (its ``digits`` for values and changes).
    population : str
        The analysis set.
    baseline, primary_visit : str
        The baseline visit's label, and the visit of the primary comparison (marked).

    Returns
    -------
    DataFrame
        Columns ``Visit``, ``Complete pairs``, ``<baseline>, mean (SD)``, ``Visit, mean (SD)``,
        ``Mean change (95% CI)``: the paired-t estimate and interval, one per comparison.
        Visits without a paired analysis (not collected) are left out.
    """
    digits = endpoint.digits
    rows = select(ard, paramcd=endpoint.paramcd, population=population)
    table = []
    for visit in visits_of(rows, endpoint.paramcd, population, ESTIMATE[0]):
        at = select(rows, visit=visit)
        summary = {term: one(at, method="summary", term=term)["estimate"]
                   for term in ("mean_baseline", "sd_baseline", "mean_visit", "sd_visit")}
        change = one(at, method=ESTIMATE[0], term=ESTIMATE[1])
        table.append({
            "Visit": f"{visit} (primary)" if visit == primary_visit else visit,
            "Complete pairs": fmt_count(change["n"]),
            f"{baseline}, mean (SD)": fmt_mean_sd(summary["mean_baseline"], summary["sd_baseline"], digits),
            "Visit, mean (SD)": fmt_mean_sd(summary["mean_visit"], summary["sd_visit"], digits),
            f"Mean change ({ci_label()})": fmt_estimate_ci(change["estimate"], change["ci_low"], change["ci_high"],
                                                           digits),
        })
    columns = ["Visit", "Complete pairs", f"{baseline}, mean (SD)", "Visit, mean (SD)", f"Mean change ({ci_label()})"]
    return pd.DataFrame(table, columns=columns)


def change_interval(ard: pd.DataFrame, endpoint: Endpoint, population: str, visit: str, *,
                    method: str = ESTIMATE[0], term: str = ESTIMATE[1]) -> str:
    """A change with its CI as text (for sentences in a report): by default the paired-t mean change,
    else the ``method``/``term`` row (e.g. a model's ``lsmean_change``)."""
    row = one(ard, paramcd=endpoint.paramcd, population=population, visit=visit, method=method, term=term)
    return fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], endpoint.digits)

"""The simulated power of the next trial (``results/power/power.csv``) and its generating models as display tables."""

from __future__ import annotations

import math

import pandas as pd

from aidheart.study import Endpoint
from aidheart.tables.formatting import MISSING, fmt_count, fmt_number

DISPLAY_COLUMNS = ("Effect", "Difference", "n per arm", "Rejection rate (MC SE)", "Closed form", "95% CI coverage",
                 "Not converged")


def fmt_share(value, mcse=None) -> str:
    """A share as a percentage with one decimal, with its Monte Carlo SE in brackets when given."""
    if value is None or math.isnan(value):
        return MISSING
    if mcse is None or math.isnan(mcse):
        return f"{100 * value:.1f}%"
    return f"{100 * value:.1f}% ({100 * mcse:.1f})"


def power_display_table(power: pd.DataFrame, endpoint: Endpoint) -> pd.DataFrame:
    """One row per effect and n per arm of ``endpoint``: the difference simulated (endpoint units), the simulated power
    (or, at zero effect, the type I error) with its Monte Carlo SE, the closed-form ANCOVA power,
    the coverage of the 95 % CI and the fits that did not converge.

    Returns
    -------
    DataFrame
        Columns :data:`DISPLAY_COLUMNS`.
    """
    rows = power[power["paramcd"] == endpoint.paramcd]
    table = []
    for _, row in rows.iterrows():
        null = row["delta"] == 0
        rate = (fmt_share(row["type_i_error"], row["type_i_error_mcse"]) if null
                else fmt_share(row["power"], row["power_mcse"]))
        table.append({
            "Effect": row["effect"].replace("_", " ") + (" (type I error)" if null else ""),
            "Difference": fmt_number(row["delta"], endpoint.digits),
            "n per arm": fmt_count(row["n_per_arm"]),
            "Rejection rate (MC SE)": rate,
            "Closed form": fmt_share(row["power_closed_form"]),
            "95% CI coverage": fmt_share(row["coverage"]),
            "Not converged": f"{int(row['not_converged'])} of {int(row['replicates'])}",
        })
    return pd.DataFrame(table, columns=list(DISPLAY_COLUMNS))


def generating_model_table(models: dict[str, dict], endpoint: Endpoint) -> pd.DataFrame:
    """The generating model of ``endpoint`` by visit (``results/power/generating_models.json``): the
    pilot's fitted mean, SD, correlation with baseline, the retention and the share of the effect.

    Returns
    -------
    DataFrame
        Columns ``Visit``, ``Pilot mean``, ``SD``, ``Correlation with baseline``, ``Retention``,
        ``Share of effect``.
    """
    model = models[endpoint.paramcd]
    sigma = model["sigma"]
    rows = []
    for j, visit in enumerate([model["baseline_visit"], *model["visits"]]):
        post = j > 0
        rows.append({
            "Visit": visit,
            "Pilot mean": fmt_number(model["visit_means"][j], endpoint.digits),
            "SD": fmt_number(math.sqrt(sigma[j][j]), endpoint.digits),
            "Correlation with baseline": fmt_number(sigma[0][j] / math.sqrt(sigma[0][0] * sigma[j][j]), 2)
            if post else MISSING,
            "Retention": fmt_share(model["retention"][j - 1]) if post else MISSING,
            "Share of effect": fmt_number(model["shape"][j - 1], 2) if post else MISSING,
        })
    return pd.DataFrame(rows)

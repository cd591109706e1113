"""The simulated power of the next trial (``results/power/power.csv``) and its generating models as display tables."""

from __future__ import annotations

import math

import pandas as pd

from aidheart.tables.ard_rows import digits_for
from aidheart.tables.formatting import MISSING, fmt_count, fmt_number


def _percent(value, mcse=None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{100 * value:.1f}%"
    return text if mcse is None or math.isnan(mcse) else f"{text} ({100 * mcse:.1f})"


def power_display_table(power: pd.DataFrame, paramcd: str, *, unit: str = "") -> pd.DataFrame:
    """One row per effect and n per arm of ``paramcd``: the difference simulated, simulated power or
    type I error with its Monte Carlo SE, the closed-form ANCOVA power, CI coverage and the fits
    that did not converge.

    Returns
    -------
    DataFrame
        Columns ``Effect``, ``Difference``, ``n per arm``, ``Rejection rate (MC SE)``,
        ``Closed form``, ``95% CI coverage``, ``Not converged``.
    """
    rows = power[power["paramcd"] == paramcd]
    digits = digits_for(paramcd)
    table = []
    for _, row in rows.iterrows():
        null = row["delta"] == 0
        rate = _percent(row["type_i_error"], row["type_i_error_mcse"]) if null else _percent(row["power"],
                                                                                              row["power_mcse"])
        table.append({
            "Effect": row["effect"].replace("_", " ") + (" (type I error)" if null else ""),
            "Difference": fmt_number(row["delta"], digits) + (f" {unit}" if unit else ""),
            "n per arm": fmt_count(row["n_per_arm"]),
            "Rejection rate (MC SE)": rate,
            "Closed form": _percent(row["power_closed_form"]),
            "95% CI coverage": _percent(row["coverage"]),
            "Not converged": f"{int(row['not_converged'])} of {int(row['replicates'])}",
        })
    return pd.DataFrame(table, columns=["Effect", "Difference", "n per arm", "Rejection rate (MC SE)", "Closed form",
                                        "95% CI coverage", "Not converged"])


def generating_model_table(models: dict[str, dict], paramcd: str) -> pd.DataFrame:
    """The generating model of ``paramcd`` by visit: pilot mean, SD, correlation with baseline,
    retention and share of the effect (from ``results/power/generating_models.json``).

    Returns
    -------
    DataFrame
        Columns ``Visit``, ``Pilot mean``, ``SD``, ``Correlation with baseline``, ``Retention``,
        ``Share of effect``.
    """
    model = models[paramcd]
    digits = digits_for(paramcd)
    sigma = model["sigma"]
    rows = []
    for j, visit in enumerate([model["baseline_visit"], *model["visits"]]):
        sd = math.sqrt(sigma[j][j])
        rows.append({
            "Visit": visit,
            "Pilot mean": fmt_number(model["visit_means"][j], digits),
            "SD": fmt_number(sd, digits),
            "Correlation with baseline": MISSING if j == 0 else fmt_number(
                sigma[0][j] / math.sqrt(sigma[0][0] * sigma[j][j]), 2),
            "Retention": MISSING if j == 0 else _percent(model["retention"][j - 1]),
            "Share of effect": MISSING if j == 0 else fmt_number(model["shape"][j - 1], 2),
        })
    return pd.DataFrame(rows)

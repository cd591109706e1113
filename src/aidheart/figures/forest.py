"""Forest plot of standardised effects (Hedges' g_z with their CI) across endpoints."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.figures.palette import OKABE_ITO
from aidheart.figures.style import new_figure
from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint


def plot_forest(ard: pd.DataFrame, endpoints: list[Endpoint], *, visit: str, population: str):
    """One row per endpoint, in order: the ARD's ``hedges_gz`` at ``visit`` in ``population``.

    Endpoints without an estimate are shown with "not estimable".
    """
    rows = ard[(ard["method"] == "hedges_gz") & (ard["visit"] == visit) & (ard["population"] == population)]
    rows = rows.set_index("paramcd").reindex([endpoint.paramcd for endpoint in endpoints])
    fig, ax = new_figure(height=0.45 * len(endpoints) + 1.0)
    y = np.arange(len(endpoints))[::-1]
    ax.errorbar(rows["estimate"], y, xerr=[rows["estimate"] - rows["ci_low"], rows["ci_high"] - rows["estimate"]],
                fmt="o", color=OKABE_ITO["blue"], capsize=3)
    ax.axvline(0, color=OKABE_ITO["black"], linewidth=0.8)
    texts = [f"{endpoint.short_label} (n={int(n)})" if pd.notna(n) else endpoint.short_label
             for endpoint, n in zip(endpoints, rows["n"])]
    ax.set_yticks(y, texts)
    for yy, estimate in zip(y, rows["estimate"]):
        if pd.isna(estimate):
            ax.text(0, yy, "not estimable", va="center", ha="center", fontsize=7)
    ax.set_xlabel(f"Hedges' g$_z$ (standardised mean change, {visit} vs baseline), {ci_label()}")
    return fig

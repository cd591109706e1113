"""Forest plot of standardised effects (Hedges' g_z with 95 % CI) across endpoints."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from aidheart.figures.style import OKABE_ITO, new_figure


def plot_forest(ard: pd.DataFrame, *, visit: str, population: str, labels: dict[str, str]):
    """One row per endpoint in ``labels`` order: the ARD's ``hedges_gz`` at ``visit`` in ``population``.

    ``labels`` maps PARAMCD to the text shown (the parameter name up to its first
    colon or parenthesis, so the axis stays readable). Endpoints without an estimate are shown
    with "not estimable".
    """
    rows = ard[(ard["method"] == "hedges_gz") & (ard["visit"] == visit) & (ard["population"] == population)]
    rows = rows.set_index("paramcd").reindex(list(labels))
    fig, ax = new_figure(height=0.45 * len(labels) + 1.0)
    y = np.arange(len(labels))[::-1]
    ax.errorbar(rows["estimate"], y, xerr=[rows["estimate"] - rows["ci_low"], rows["ci_high"] - rows["estimate"]],
                fmt="o", color=OKABE_ITO["blue"], capsize=3)
    ax.axvline(0, color=OKABE_ITO["black"], linewidth=0.8)
    short = {code: re.split(r"[:(]", label)[0].strip() for code, label in labels.items()}
    texts = [f"{short[code]} (n={int(row.n)})" if pd.notna(row.n) else short[code] for code, row in rows.iterrows()]
    ax.set_yticks(y, texts)
    for yy, (_, row) in zip(y, rows.iterrows()):
        if pd.isna(row["estimate"]):
            ax.text(0, yy, "not estimable", va="center", ha="center", fontsize=7)
    ax.set_xlabel(f"Hedges' g$_z$ (standardised mean change, {visit} vs baseline), 95% CI")
    return fig

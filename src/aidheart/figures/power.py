"""Power curves of the next trial: simulated power by subjects per arm, beside the closed form."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.figures.palette import ANNOTATION, OKABE_ITO, SERIES
from aidheart.figures.style import new_figure
from aidheart.study import Endpoint

MC_Z = 1.96  # error bars: +- 1.96 Monte Carlo SE


def effect_text(effect: str, delta: float) -> str:
    """Legend text of an effect: ``pilot (0.0164)``."""
    return f"{effect.replace('_', ' ')} ({delta:.3g})"


def plot_power_curves(power: pd.DataFrame, endpoints: list[Endpoint], *, alpha: float):
    """One panel per endpoint, in order, of the power table (:func:`aidheart.analysis.power.power_table`).

    Per non-zero effect, in the order the table lists them: the simulated power at each
    n per arm with +- 1.96 Monte Carlo SE (points, solid line) and the closed-form ANCOVA
    power (dashed, same colour); the zero effect's type I error (black squares) against
    ``alpha`` (dotted line). An endpoint without rows (no generating model from the pilot yet) has a
    panel saying so.
    """
    fig, axes = new_figure(width=6.5, height=3.8, ncols=len(endpoints), sharey=True, squeeze=False)
    for ax, endpoint in zip(axes[0], endpoints):
        rows = power[power["paramcd"] == endpoint.paramcd]
        if rows.empty:  # no generating model from the pilot yet
            ax.text(0.5, 0.5, "Not simulated yet:\nno pilot model", ha="center", va="center", transform=ax.transAxes)
        effects = list(dict.fromkeys(rows.loc[rows["delta"] != 0, "effect"]))
        for effect, colour in zip(effects, SERIES):
            curve = rows[rows["effect"] == effect].sort_values("n_per_arm")
            ax.errorbar(curve["n_per_arm"], curve["power"], yerr=MC_Z * curve["power_mcse"], fmt="o-", color=colour,
                        markersize=3.5, capsize=2, linewidth=1.2,
                        label=effect_text(effect, float(curve["delta"].iloc[0])))
            ax.plot(curve["n_per_arm"], curve["power_closed_form"], "--", color=colour, linewidth=0.9)
        null = rows[rows["delta"] == 0].sort_values("n_per_arm")
        if len(null):
            ax.errorbar(null["n_per_arm"], null["type_i_error"], yerr=MC_Z * null["type_i_error_mcse"], fmt="s",
                        color=OKABE_ITO["black"], markersize=3, capsize=2, label="zero (type I error)")
        ax.axhline(alpha, color=ANNOTATION, linestyle=":", linewidth=0.8)
        ax.set_title(endpoint.short_label)
        ax.set_xlabel("Subjects randomised per arm")
        ax.set_ylim(0, 1)
        ax.set_xticks(np.unique(rows["n_per_arm"]))
        if len(rows):
            ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    axes[0][0].set_ylabel("Power (simulated; dashed: closed form)")
    return fig

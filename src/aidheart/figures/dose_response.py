"""Per-subject dose–response panels: steady-state cardiac index against VIS dose, with the fitted slope."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from aidheart.figures.palette import SERIES
from aidheart.figures.style import new_figure


def plot_dose_response(adstep: pd.DataFrame, adeff: pd.DataFrame, *, visits: list[str], slope: str | None,
                       columns: int = 5, max_subjects: int = 40):
    """One panel per subject: usable steps' steady-state CI (``CISS``) against ``VIS``, one colour per visit.

    The line of each session is its slope from ADEFF (parameter ``slope``, the slope
    of ``CISS`` on VIS; none drawn when ``slope`` is None) through the mean of the
    session's usable steps (the least-squares line passes through that point);
    unusable steps are drawn as open markers. A large study shows its first
    ``max_subjects`` subjects (by ``USUBJID``) and says so in the title.
    """
    every_subject = sorted(adstep["USUBJID"].unique())
    subjects = every_subject[:max_subjects]
    rows = max(1, math.ceil(len(subjects) / columns))
    fig, axes = new_figure(width=1.6 * columns, height=1.45 * rows + 0.6, nrows=rows, ncols=columns,
                           sharex=False, sharey=True, squeeze=False)
    slopes = adeff[(adeff["PARAMCD"] == slope) & adeff["DTYPE"].isna()].set_index(["USUBJID", "AVISIT"])["AVAL"]
    for ax, subject in zip(axes.flat, subjects):
        steps = adstep[adstep["USUBJID"] == subject]
        for colour, visit in zip(SERIES, visits):
            session = steps[steps["AVISIT"] == visit]
            usable = session[(session["USABLFL"] == "Y") & session["CISS"].notna()]
            ax.scatter(usable["VIS"], usable["CISS"], s=10, color=colour)
            unusable = session[session["USABLFL"] != "Y"]
            ax.scatter(unusable["VIS"], unusable["CISS"], s=10, facecolors="none", edgecolors=colour)
            slope = slopes.get((subject, visit), np.nan)
            if len(usable) >= 2 and np.isfinite(slope):
                x = np.array([usable["VIS"].min(), usable["VIS"].max()])
                ax.plot(x, usable["CISS"].mean() + slope * (x - usable["VIS"].mean()), color=colour, linewidth=1)
        ax.set_title(subject.split("-")[-1], fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(subjects):]:
        ax.set_visible(False)
    fig.legend(handles=[Line2D([], [], color=colour, marker="o", label=visit) for colour, visit in zip(SERIES, visits)],
               loc="upper center", ncol=len(visits), frameon=False)
    if len(subjects) < len(every_subject):
        fig.suptitle(f"First {len(subjects)} of {len(every_subject)} subjects", y=0.995, fontsize=8)
    fig.supxlabel("Inotrope dose (VIS units)", fontsize=9)
    fig.supylabel("Steady-state cardiac index (L/min/m$^2$)", fontsize=9)
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.08, top=0.9, wspace=0.25, hspace=0.55)
    return fig

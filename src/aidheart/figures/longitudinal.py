"""Spaghetti plot (individual trajectories with the mean and its CI) and waterfall of changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection

from aidheart.analysis.analysis_sets import select_records
from aidheart.analysis.responders import changes_at
from aidheart.figures.palette import INDIVIDUAL, OKABE_ITO
from aidheart.figures.style import axis_label, new_figure
from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint, Schedule

#: Above this many subjects the waterfall's bars are not labelled with subject numbers.
MAX_LABELLED_BARS = 60


def plot_spaghetti(adsl: pd.DataFrame, adeff: pd.DataFrame, ard: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                   schedule: Schedule):
    """Each subject's values by week (grey) and the ARD's ``visit_mean`` mean with its CI (blue).

    Weeks are the schedule's ``AVISITN``; the y axis is the endpoint's ``PARAM``. The
    trajectories are one collection of lines and one line of markers (one artist per
    subject costs seconds at thousands of subjects, most of them in the legend's search
    for the emptiest corner). Returns the figure.
    """
    weeks = schedule.weeks
    records = select_records(adsl, adeff, endpoint.paramcd, set_id, baseline=schedule.baseline.avisit,
                             visits=[visit.avisit for visit in schedule.post_baseline])
    records = records.assign(WEEK=records["AVISIT"].map(weeks))
    fig, ax = new_figure()
    ordered = records.sort_values(["USUBJID", "WEEK"])
    trajectories = [subject[["WEEK", "AVAL"]].to_numpy(dtype=float)
                    for _, subject in ordered.groupby("USUBJID", sort=True)]
    ax.add_collection(LineCollection(trajectories, colors=INDIVIDUAL, linewidths=0.7, alpha=0.7))
    ax.plot(ordered["WEEK"], ordered["AVAL"], linestyle="none", color=INDIVIDUAL, alpha=0.7, marker=".",
            markersize=3)
    means = ard[(ard["paramcd"] == endpoint.paramcd) & (ard["population"] == set_id)
                & (ard["method"] == "visit_mean")]
    means = means.assign(WEEK=means["visit"].map(weeks)).sort_values("WEEK")
    ax.errorbar(means["WEEK"], means["estimate"],
                yerr=[means["estimate"] - means["ci_low"], means["ci_high"] - means["estimate"]],
                color=OKABE_ITO["blue"], linewidth=2, capsize=4, marker="o", label=f"Mean and {ci_label()}")
    ax.set_xticks(means["WEEK"].to_list(), [f"{visit}\n(n={int(n)})" for visit, n in zip(means["visit"], means["n"])])
    ax.set_xlabel("Visit (weeks from first dose)")
    ax.set_ylabel(axis_label(endpoint.short_param))
    ax.legend(frameon=False, loc="best")
    return fig


def plot_waterfall(adsl: pd.DataFrame, adeff: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                   schedule: Schedule):
    """Each subject's change from baseline (``CHG``) at the primary visit, sorted, bars coloured by direction.

    A dashed line marks the endpoint's MCID (the responder threshold) when it has one. The
    bars are one collection of rectangles (width 0.8, from 0), not a patch per subject.
    """
    at_visit = changes_at(adsl, adeff, endpoint.paramcd, set_id, schedule=schedule, visit=schedule.primary.avisit)
    change = at_visit.set_index("USUBJID")["CHG"].sort_values(ascending=False, kind="stable")
    colours = np.where(change >= 0, OKABE_ITO["blue"], OKABE_ITO["vermillion"])
    fig, ax = new_figure(height=3.6)
    left, height = np.arange(len(change)) - 0.4, change.to_numpy(dtype=float)
    right, base = left + 0.8, np.zeros_like(height)
    corners = ((left, base), (right, base), (right, height), (left, height))
    bars = np.stack([np.column_stack(corner) for corner in corners], axis=1)  # bar x corner x (x, y)
    ax.add_collection(PolyCollection(bars, facecolors=colours, edgecolors="none"))
    ax.autoscale_view()
    ax.axhline(0, color=OKABE_ITO["black"], linewidth=0.8)
    if endpoint.mcid is not None:
        ax.axhline(endpoint.mcid, color=OKABE_ITO["black"], linestyle="--", linewidth=0.8,
                   label=f"Responder threshold ({endpoint.mcid:g})")
        ax.legend(frameon=False)
    if len(change) <= MAX_LABELLED_BARS:
        ax.set_xticks(np.arange(len(change)), [subject.split("-")[-1] for subject in change.index], rotation=90,
                      fontsize=7)
    else:
        ax.set_xticks([])
    ax.set_xlabel(f"Subject (n={len(change)}, sorted by change)")
    ax.set_ylabel(axis_label(f"Change from baseline: {endpoint.short_param}"))
    return fig

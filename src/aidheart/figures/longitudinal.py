"""Spaghetti plot (individual trajectories with the mean and its 95 % CI) and waterfall of changes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.analysis.analysis_sets import BASELINE_VISIT, select_records
from aidheart.figures.style import INDIVIDUAL, OKABE_ITO, new_figure

#: Above this many subjects the waterfall's bars are not labelled with subject numbers.
MAX_LABELLED_BARS = 60


def plot_spaghetti(adsl: pd.DataFrame, adeff: pd.DataFrame, ard: pd.DataFrame, paramcd: str, set_id: str, *,
                   visit_weeks: dict, ylabel: str):
    """Each subject's values by week (grey) and the ARD's ``visit_mean`` mean with 95 % CI (blue).

    ``visit_weeks`` maps visit labels to weeks (config ``avisitn``). Returns the figure.
    """
    records = select_records(adsl, adeff, paramcd, set_id, [v for v in visit_weeks if v != BASELINE_VISIT])
    records = records.assign(WEEK=records["AVISIT"].map(visit_weeks))
    fig, ax = new_figure()
    for _, subject in records.sort_values(["USUBJID", "WEEK"]).groupby("USUBJID", sort=True):
        ax.plot(subject["WEEK"], subject["AVAL"], color=INDIVIDUAL, linewidth=0.7, alpha=0.7, marker=".",
                markersize=3)
    means = ard[(ard["paramcd"] == paramcd) & (ard["population"] == set_id) & (ard["method"] == "visit_mean")]
    means = means.assign(WEEK=means["visit"].map(visit_weeks)).sort_values("WEEK")
    ax.errorbar(means["WEEK"], means["estimate"],
                yerr=[means["estimate"] - means["ci_low"], means["ci_high"] - means["estimate"]],
                color=OKABE_ITO["blue"], linewidth=2, capsize=4, marker="o", label="Mean and 95% CI")
    ax.set_xticks(means["WEEK"].to_list(), [f"{visit}\n(n={int(n)})" for visit, n in zip(means["visit"], means["n"])])
    ax.set_xlabel("Visit (weeks from first dose)")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, loc="best")
    return fig


def plot_waterfall(adsl: pd.DataFrame, adeff: pd.DataFrame, paramcd: str, set_id: str, *, visit: str,
                   ylabel: str, threshold: float | None = None):
    """Each subject's change from baseline (``CHG``) at ``visit``, sorted, bars coloured by direction.

    A dashed line marks ``threshold`` (e.g. the 30 m responder threshold) when given.
    """
    records = select_records(adsl, adeff, paramcd, set_id, [visit])
    at_visit = records[(records["AVISIT"] == visit) & records["CHG"].notna()]
    change = at_visit.set_index("USUBJID")["CHG"].sort_values(ascending=False, kind="stable")
    colours = np.where(change >= 0, OKABE_ITO["blue"], OKABE_ITO["vermillion"])
    fig, ax = new_figure(height=3.6)
    ax.bar(np.arange(len(change)), change.to_numpy(), color=colours, width=0.8)
    ax.axhline(0, color=OKABE_ITO["black"], linewidth=0.8)
    if threshold is not None:
        ax.axhline(threshold, color=OKABE_ITO["black"], linestyle="--", linewidth=0.8,
                   label=f"Responder threshold ({threshold:g})")
        ax.legend(frameon=False)
    if len(change) <= MAX_LABELLED_BARS:
        ax.set_xticks(np.arange(len(change)), [subject.split("-")[-1] for subject in change.index], rotation=90,
                      fontsize=7)
    else:
        ax.set_xticks([])
    ax.set_xlabel(f"Subject (n={len(change)}, sorted by change)")
    ax.set_ylabel(ylabel)
    return fig

"""The DSMB safety figures: a lab over time per subject with its grade lines, and the cumulative
incidence of first adverse events by study day.

Drawn with pyplot but without choosing a backend (the report's kernel keeps its inline
backend, as :mod:`aidheart.figures.enrolment`); colours from the project's palette, the
series also told apart by line style.
"""

from __future__ import annotations

import pandas as pd

from aidheart.derive.ctcae import SafetyLab
from aidheart.figures.palette import ANNOTATION, INDIVIDUAL, OKABE_ITO, SERIES

LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))


def _empty(ax, text: str):
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


def lab_figure(adlb: pd.DataFrame, lab: SafetyLab, *, grades=(2, 3), width: float = 6.5, height: float = 3.2):
    """Each subject's values of ``lab`` by study day (grey lines), with the limit below (or above) which a value
    has each of ``grades`` (dashed lines, labelled), and the values of grade >= the first of them marked."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    values = adlb[adlb["PARAMCD"] == lab.paramcd] if len(adlb) else adlb
    values = values.assign(ADY=pd.to_numeric(values["ADY"], errors="coerce"),
                           AVAL=pd.to_numeric(values["AVAL"], errors="coerce")).dropna(subset=["ADY", "AVAL"]) \
        if len(values) else values
    if values.empty:
        _empty(ax, f"No {lab.label.lower()} values yet")
        return fig
    for _, subject in values.sort_values(["USUBJID", "ADY"]).groupby("USUBJID", sort=True):
        ax.plot(subject["ADY"], subject["AVAL"], color=INDIVIDUAL, linewidth=0.8, marker=".", markersize=3)
    word = "below" if lab.direction == "low" else "above"
    bounds = (lab.normal_range[0] if lab.direction == "low" else lab.normal_range[1], *lab.grade_limits)
    for colour, grade in zip((OKABE_ITO["orange"], OKABE_ITO["vermillion"]), grades):
        limit = bounds[grade - 1]
        ax.axhline(limit, color=colour, linestyle="--", linewidth=1.2, label=f"Grade {grade}: {word} {limit:g}")
    worst = bounds[grades[0] - 1]
    flagged = values[values["AVAL"] < worst] if lab.direction == "low" else values[values["AVAL"] > worst]
    ax.scatter(flagged["ADY"], flagged["AVAL"], color=OKABE_ITO["vermillion"], s=18, zorder=3,
               label=f"Value of grade ≥ {grades[0]}")
    unit = lab.unit.replace("10^9", "10⁹")
    ax.set_xlabel("Study day (day 1 = first dose)")
    ax.set_ylabel(f"{lab.label} ({unit})")
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


def incidence_figure(curves: pd.DataFrame, *, end_day: float | None = None, width: float = 6.5, height: float = 3.4):
    """Step lines of the cumulative incidence (%) of a first AE of each category (:func:`aidheart.tables.
    ae_rates.incidence_curves`) by study day, each starting at 0 on day 1; ``end_day`` marks the end of treatment."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    if curves.empty:
        _empty(ax, "No treated subjects yet")
        return fig
    for (category, part), colour, style in zip(curves.groupby("category", sort=False), SERIES, LINE_STYLES):
        days = [1.0, *part["time"]]
        incidence = [0.0, *(100 * part["cum_incidence"])]
        ax.step(days, incidence, where="post", color=colour, linestyle=style, linewidth=1.6, label=category)
    if end_day is not None:
        ax.axvline(end_day, color=ANNOTATION, linewidth=0.8)
        ax.annotate("end of treatment", (end_day, 100), xytext=(3, -3), textcoords="offset points", ha="left",
                    va="top", fontsize=7, color=ANNOTATION)
    ax.set_xlabel("Study day (day 1 = first dose)")
    ax.set_ylabel("Subjects with a first event (%)")
    ax.set_ylim(0, 100)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=7, frameon=False)
    fig.tight_layout()
    return fig

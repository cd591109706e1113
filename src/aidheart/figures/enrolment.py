"""The DSMB accrual figure: cumulative subjects treated, actual vs expected.

Drawn with pyplot but without choosing a backend (the report's kernel keeps its
inline backend, so this module does not use :mod:`aidheart.figures.style`); colours
from the project's palette, and the series also differ in line style and markers.
Nothing depends on the clock: the x axis runs over the months of the table.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from aidheart.figures.palette import ANNOTATION, INDIVIDUAL, OKABE_ITO


def enrolment_figure(by_month: pd.DataFrame, target: int, cutoff: dt.date, *, width: float = 6.5,
                     height: float = 3.4):
    """Cumulative screened and treated subjects at each month's end (the last at the cut-off) against
    the expected linear accrual (:func:`aidheart.tables.enrolment.enrolment_by_month`), with the
    target as a horizontal line. Returns the figure."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    if by_month.empty:
        ax.text(0.5, 0.5, "No months to show", ha="center", va="center", transform=ax.transAxes)
        return fig
    first = pd.Timestamp(f"{by_month['month'].iloc[0]}-01")
    dates = [first] + [pd.Timestamp(day) for day in by_month["date"]]
    expected = [0.0] + list(by_month["expected"])
    dosed = [0] + list(by_month["cumulative_treated"])
    screened = [0] + list(by_month["cumulative_screened"])
    ax.plot(dates, expected, color=OKABE_ITO["orange"], linestyle="--", linewidth=1.8, label="Expected (linear accrual)")
    ax.plot(dates, screened, color=INDIVIDUAL, linestyle=":", linewidth=1.4, marker="s", markersize=3,
            label="Screened (actual)")
    ax.plot(dates, dosed, color=OKABE_ITO["blue"], linestyle="-", linewidth=2.0, marker="o", markersize=4,
            label="Treated (actual)")
    ax.axhline(target, color=OKABE_ITO["black"], linewidth=0.8, linestyle="-.", label=f"Target ({target})")
    ax.set_ylabel("Subjects (cumulative)")
    top = max([target, *screened, *expected]) * 1.12 + 0.5
    ax.set_ylim(0, top)
    ax.axvline(pd.Timestamp(cutoff), color=ANNOTATION, linewidth=0.8)
    ax.annotate("cut-off", (pd.Timestamp(cutoff), top), xytext=(-3, -3), textcoords="offset points",
                ha="right", va="top", fontsize=7, color=ANNOTATION)
    span = max(len(dates) // 8, 1)
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=span))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=4, fontsize=7, frameon=False)
    fig.tight_layout()
    return fig

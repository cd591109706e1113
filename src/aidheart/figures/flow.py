"""Participant flow diagram (CONSORT style) drawn from ADSL counts."""

from __future__ import annotations

import pandas as pd

from aidheart.derive.adsl import SCREEN_FAILURE_ARM
from aidheart.figures.palette import OKABE_ITO
from aidheart.figures.style import new_figure


def flow_counts(adsl: pd.DataFrame, analysed: set) -> dict:
    """The numbers in the boxes: screened, screen failures by reason, enrolled, treated, completed,
    discontinued by reason, ongoing, and analysed (treated subjects whose ``USUBJID`` is in ``analysed``)."""
    yes = lambda column: (adsl[column] == "Y").fillna(False)  # noqa: E731
    enrolled, treated = yes("ENRLFL"), yes("SAFFL")
    failed = adsl.loc[adsl["ARM"] == SCREEN_FAILURE_ARM, "SCRFREAS"].fillna("Not recorded")
    discontinued = adsl.loc[treated & (adsl["EOSSTT"] == "DISCONTINUED"), "DCSREAS"].fillna("Not recorded")
    return {
        "screened": len(adsl),
        "screen_failed": failed.value_counts().sort_index().to_dict(),
        "enrolled": int(enrolled.sum()),
        "treated": int(treated.sum()),
        "completed_treatment": int((treated & yes("COMPLFL")).sum()),
        "discontinued": discontinued.value_counts().sort_index().to_dict(),
        "ongoing": int((treated & (adsl["EOSSTT"] == "ONGOING")).sum()),
        "analysed": int((treated & adsl["USUBJID"].isin(analysed)).sum()),
    }


def _box(ax, x, y, text, align="center"):
    ax.text(x, y, text, ha=align, va="center", fontsize=8, multialignment="left" if align == "left" else "center",
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": OKABE_ITO["blue"]})


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": OKABE_ITO["black"]})


def _lines(title, counts: dict) -> str:
    return "\n".join([title] + [f"  {reason}: {n}" for reason, n in counts.items()])


def plot_flow(counts: dict, *, analysed_label: str, completed_label: str):
    """The flow diagram of :func:`flow_counts` numbers."""
    fig, ax = new_figure(width=7.0, height=6.0)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    main_x, side_x = 0.28, 0.56
    failed_total = sum(counts["screen_failed"].values())
    discontinued_total = sum(counts["discontinued"].values())
    _box(ax, main_x, 0.93, f"Screened\nn = {counts['screened']}")
    _box(ax, side_x, 0.8, _lines(f"Screen failures, n = {failed_total}", counts["screen_failed"]), align="left")
    _box(ax, main_x, 0.68, f"Enrolled\nn = {counts['enrolled']}")
    _box(ax, main_x, 0.52, f"Received anakinra (safety set)\nn = {counts['treated']}")
    _box(ax, side_x, 0.4, _lines(f"Discontinued, n = {discontinued_total}", counts["discontinued"])
         + f"\nStill on study: {counts['ongoing']}", align="left")
    _box(ax, main_x, 0.28, f"{completed_label}\nn = {counts['completed_treatment']}")
    _box(ax, main_x, 0.1, f"Analysed ({analysed_label}),\ncompleters or not\n"
                          f"n = {counts['analysed']} of {counts['treated']} treated")
    for top, bottom in ((0.89, 0.72), (0.64, 0.56), (0.48, 0.32), (0.24, 0.14)):
        _arrow(ax, (main_x, top), (main_x, bottom))
    _arrow(ax, (main_x, 0.8), (side_x - 0.015, 0.8))
    _arrow(ax, (main_x, 0.4), (side_x - 0.015, 0.4))
    return fig

"""Participant flow diagram (CONSORT style) of :func:`aidheart.tables.populations.flow_counts`.

Each box shows a count of its own ADSL variable: the end of treatment (``EOTSTT``)
and the end of study (``EOSSTT``) are separate stages, so a subject who stopped the
drug early but stayed in follow-up, or who completed treatment and left the study
later, is drawn where the data put them.
"""

from __future__ import annotations

from aidheart.figures.palette import OKABE_ITO
from aidheart.figures.style import new_figure

MAIN_X, SIDE_X = 0.27, 0.56


def _box(ax, x, y, text, align="center"):
    ax.text(x, y, text, ha=align, va="center", fontsize=8, multialignment="left" if align == "left" else "center",
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": OKABE_ITO["blue"]})


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": OKABE_ITO["black"]})


def _lines(title: str, reasons: dict, *extra: str) -> str:
    return "\n".join([title, *(f"  {reason}: {n}" for reason, n in reasons.items()), *extra])


def plot_flow(counts: dict, *, eot_label: str, visit: str):
    """The flow diagram: enrolment, treatment, follow-up and analysis, with the side boxes of who left."""
    fig, ax = new_figure(width=7.0, height=7.2)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    failed, stopped, left = (sum(counts[key].values()) for key in ("screen_failed", "stopped_drug", "left_study"))
    levels = {"screened": 0.95, "enrolled": 0.76, "treated": 0.62, "treatment": 0.45, "study": 0.27, "analysed": 0.07}
    _box(ax, MAIN_X, levels["screened"], f"Screened\nn = {counts['screened']}")
    _box(ax, SIDE_X, 0.855, _lines(f"Not enrolled: screen failures, n = {failed}", counts["screen_failed"],
                                   f"Still in screening: {counts['in_screening']}"), align="left")
    _box(ax, MAIN_X, levels["enrolled"], f"Enrolled\nn = {counts['enrolled']}")
    _box(ax, MAIN_X, levels["treated"], f"Received anakinra (safety set)\nn = {counts['treated']}")
    _box(ax, MAIN_X, levels["treatment"], f"Completed treatment\n({eot_label} on drug)\nn = {counts['completed_treatment']}"
         f"\nStill on drug: {counts['on_drug']}")
    _box(ax, SIDE_X, 0.535, _lines(f"Stopped study drug early, n = {stopped}", counts["stopped_drug"]), align="left")
    _box(ax, MAIN_X, levels["study"], f"Completed the study\nn = {counts['completed_study']}"
         f"\nStill in the study: {counts['in_study']}")
    _box(ax, SIDE_X, 0.36, _lines(f"Left the study early, n = {left}", counts["left_study"],
                                  f"  of whom after completing treatment: {counts['left_after_treatment']}"),
         align="left")
    analysed = "\n".join(f"{label}: n = {n}" for label, n in counts["analysed"].items()) or "no endpoint"
    _box(ax, MAIN_X, levels["analysed"], f"Analysed at {visit}\n(baseline and {visit} value)\n{analysed}")
    chain = list(levels.values())
    for top, bottom in zip(chain, chain[1:]):
        _arrow(ax, (MAIN_X, top - 0.045), (MAIN_X, bottom + 0.06))
    for y in (0.855, 0.535, 0.36):
        _arrow(ax, (MAIN_X, y), (SIDE_X - 0.015, y))
    return fig

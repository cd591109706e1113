"""Shared look of the figures and their byte-reproducible saving."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figure rules run without a display
import matplotlib.pyplot as plt  # noqa: E402

#: Okabe–Ito colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
INDIVIDUAL = "#9A9A9A"  # grey lines of individual subjects
DPI = 150
RC = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "aidheart",  # stable SVG element ids
    "svg.fonttype": "none",
}


plt.rcParams.update(RC)


def new_figure(width: float = 6.5, height: float = 4.0, **subplots):
    """A figure and axes with the project's style (size in inches)."""
    return plt.subplots(figsize=(width, height), **subplots)


def save_figure(fig, stem: str | Path, *, tight: bool = True) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` with no timestamps or version stamps, and close the figure.

    Same figure, same bytes: PNG metadata ``Software`` is removed, SVG ``Date`` and
    ``Creator`` are unset and element ids are salted with a fixed string.
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    bbox = "tight" if tight else None
    fig.savefig(paths[0], dpi=DPI, metadata={"Software": None}, bbox_inches=bbox)
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None}, bbox_inches=bbox)
    plt.close(fig)
    return paths

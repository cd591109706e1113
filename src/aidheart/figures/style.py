"""Shared look of the file figures and their atomic, byte-reproducible saving."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figure rules run without a display
import matplotlib.pyplot as plt  # noqa: E402

from aidheart.figures.names import FORMATS  # noqa: E402
from aidheart.io import atomic_paths  # noqa: E402

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
#: Options of each format: what its metadata leaves out (the same figure gives the same bytes); the PNG's resolution.
SAVE_OPTIONS = {".png": {"metadata": {"Software": None}, "dpi": DPI},
                ".svg": {"metadata": {"Date": None, "Creator": None}}}


plt.rcParams.update(RC)


def new_figure(width: float = 6.5, height: float = 4.0, **subplots):
    """A figure and axes with the project's style (size in inches)."""
    return plt.subplots(figsize=(width, height), **subplots)


def save_figure(fig, stem: str | Path, *, tight: bool = True) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` together, with no timestamps or version stamps; close the figure.

    Both files are written to temporary files and renamed only when both are
    complete (:func:`aidheart.io.atomic_paths`): a failure leaves neither new file,
    never a PNG without its SVG. Same figure, same bytes: PNG metadata ``Software``
    is removed, SVG ``Date`` and ``Creator`` are unset and element ids are salted
    with a fixed string.
    """
    stem = Path(stem)
    paths = [stem.with_suffix(suffix) for suffix in FORMATS]
    bbox = "tight" if tight else None
    try:
        with atomic_paths(paths) as temporaries:
            for temporary, path in zip(temporaries, paths):
                fig.savefig(temporary, format=path.suffix[1:], bbox_inches=bbox, **SAVE_OPTIONS[path.suffix])
    finally:
        plt.close(fig)
    return paths

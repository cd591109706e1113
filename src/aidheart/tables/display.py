"""Display tables as Markdown exactly as formatted (no re-parsing of numbers by tabulate)."""

from __future__ import annotations

import re

import pandas as pd

from aidheart.render.display import markdown_table

NUMERIC_TEXT = re.compile(r"^[-+]?(\d+(\.\d+)?|\.\d+)%?$|^<0\.\d+$|^–$|^$")


def column_alignment(frame: pd.DataFrame) -> list[str]:
    """``"right"`` for columns whose every cell is a single number (or empty/missing), else ``"left"``."""
    return ["right" if len(frame) and frame[column].astype(str).str.match(NUMERIC_TEXT).all() else "left"
            for column in frame.columns]


def show_table(frame: pd.DataFrame, **options):
    """``frame`` (already formatted text) as a Markdown pipe table: cells verbatim, number columns right-aligned."""
    frame = frame.astype(str) if len(frame) else frame
    return markdown_table(frame, disable_numparse=True, colalign=column_alignment(frame), **options)

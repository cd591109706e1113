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


def details(lines: list[tuple[str, str]]) -> str:
    """Markdown of labelled lines (a report's front details): one bold label per paragraph."""
    return "\n\n".join(f"**{label}:** {text}" for label, text in lines) + "\n"


def markdown_table_with_caption(frame: pd.DataFrame, caption: str, label: str) -> str:
    """:func:`show_table` as Markdown text with a pipe-table caption and a cross-reference label
    (``: caption {#tbl-x}``), for a table a cell prints among others (``output: asis``)."""
    return f"{show_table(frame).data}\n\n: {caption} {{#{label}}}\n"


def markdown_figure(path: str, caption: str, label: str, alt: str) -> str:
    """A figure file as a Markdown image with a caption, a cross-reference label and alternative text."""
    quoted = alt.replace('"', "'")
    return f'![{caption}]({path}){{#{label} fig-alt="{quoted}"}}\n'

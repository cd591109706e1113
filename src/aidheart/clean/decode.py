"""Coded values to the clean tables' conventions: labels, Y/N flags, empty = missing."""

from __future__ import annotations

import pandas as pd


def labels(values: pd.Series, choices: dict[str, str]) -> pd.Series:
    """Choice codes -> labels; empty or unknown codes -> empty."""
    return values.map(lambda code: choices.get(code, "")).astype(str)


def yes_no(values: pd.Series) -> pd.Series:
    """``1``/``0`` -> ``Y``/``N``; anything else -> empty."""
    return values.map({"1": "Y", "0": "N"}).fillna("").astype(str)


def month(values: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` -> ``YYYY-MM`` (empty stays empty)."""
    return values.str.slice(0, 7)

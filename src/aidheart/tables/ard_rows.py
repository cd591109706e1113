"""Selecting ARD rows for display (no statistics here)."""

from __future__ import annotations

import math

import pandas as pd

#: Decimals of effect sizes (Cohen's dz, Hedges' gz) and ratios, whatever the endpoint.
EFFECT_DIGITS = 2


def select(ard: pd.DataFrame, **keys) -> pd.DataFrame:
    """Rows whose columns equal every ``column=value`` given (``visit=""`` for model-level rows)."""
    mask = pd.Series(True, index=ard.index)
    for column, value in keys.items():
        mask &= ard[column] == value
    return ard.loc[mask]


def one(ard: pd.DataFrame, **keys) -> pd.Series:
    """The single row matching ``keys``; a row of missing values when there is none.

    Raises
    ------
    ValueError
        More than one row matches (the keys do not identify a result).
    """
    rows = select(ard, **keys)
    if len(rows) > 1:
        raise ValueError(f"{len(rows)} ARD rows match {keys}")
    if rows.empty:
        return pd.Series({column: math.nan for column in ard.columns} | {"note": ""})
    return rows.iloc[0]


def visits_of(ard: pd.DataFrame, paramcd: str, population: str, method: str) -> list[str]:
    """The visits (in ARD order) at which ``method`` has rows for ``paramcd`` in ``population``."""
    rows = select(ard, paramcd=paramcd, population=population, method=method)
    return list(dict.fromkeys(visit for visit in rows["visit"] if visit))


def display_label(text: str) -> str:
    """A label as shown in a report (``^2`` as a superscript)."""
    return text.replace("^2", "²")

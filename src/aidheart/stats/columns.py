"""The numeric columns of the long tables the statistics read."""

from __future__ import annotations

import pandas as pd


def numeric_column(data: pd.DataFrame, column: str, error: type[Exception]) -> pd.Series:
    """``data[column]`` as floats (missing stays NaN); ``error`` naming the column and a value that is not a
    number, when one is present."""
    values = pd.to_numeric(data[column], errors="coerce")
    bad = values.isna() & data[column].notna()
    if bad.any():
        raise error(f"column {column!r} is not numeric (e.g. {data[column][bad].iloc[0]!r})")
    return values.astype(float)

"""Reading and selecting ARD rows for display (no statistics here)."""

from __future__ import annotations

import math

import pandas as pd

#: Decimals shown per endpoint (its values, changes and CIs); effect sizes, ratios and p-values
#: have their own fixed formats in :mod:`aidheart.tables.formatting`.
DISPLAY_DIGITS = {
    "INOSENS": 4, "CIMAINT": 2, "HRSLOPE": 2, "SIXMWD": 1, "CRP": 2, "LCRP": 3, "NTPROBNP": 0,
    "LNTPROBNP": 3, "KCCQ": 1, "NYHA": 2, "LVEF": 1, "VISMAINT": 2,
}
EFFECT_DIGITS = 2


def digits_for(paramcd: str) -> int:
    """Decimals shown for ``paramcd`` (2 when not listed)."""
    return DISPLAY_DIGITS.get(paramcd, 2)


def read_ard(path) -> pd.DataFrame:
    """The ARD CSV with empty cells as missing (and the string ``"NA"`` kept as text)."""
    ard = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"visit": str, "note": str})
    ard["visit"] = ard["visit"].fillna("")
    ard["note"] = ard["note"].fillna("")
    return ard


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


def param_labels(bds: pd.DataFrame) -> dict[str, str]:
    """``PARAMCD -> PARAM`` from a BDS dataset (``^2`` shown as a superscript)."""
    labels = bds.drop_duplicates("PARAMCD").set_index("PARAMCD")["PARAM"]
    return labels.str.replace("^2", "²", regex=False).to_dict()


def visits_of(ard: pd.DataFrame, paramcd: str, population: str, method: str) -> list[str]:
    """The visits (in ARD order) at which ``method`` has rows for ``paramcd`` in ``population``."""
    rows = select(ard, paramcd=paramcd, population=population, method=method)
    return list(dict.fromkeys(visit for visit in rows["visit"] if visit))

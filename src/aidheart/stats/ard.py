"""The analysis results dataset (ARD): one row per endpoint x visit x population x method x term.

Every statistical function returns rows with :data:`RESULT_COLUMNS`; the runner adds
:data:`KEY_COLUMNS`. Values are kept at full precision; rounding happens only
where a report displays them.

Columns
-------
paramcd : endpoint code (``INOSENS``, ``SIXMWD``, ...; ``VALUE`` for the command line)
visit : analysis visit compared with baseline (empty for model-level terms)
population : analysis population flag (``SAFFL``, ``EFFFL``, ``COMPLFL``, ``PPROTFL``, ...)
method : the analysis (``paired_t``, ``wilcoxon_signed_rank``, ``lmm``, ``mmrm``, ...)
term : what the row estimates (``mean_change``, ``V``, ``lsmean_change``, ...)
estimate, std_error, ci_low, ci_high : the estimate, its standard error and 95 % CI
statistic, df, p_value : test statistic, its degrees of freedom, two-sided p
n : subjects (or pairs) contributing
note : why a row is empty, or how it was computed when that needs saying
"""

from __future__ import annotations

import math

import pandas as pd

KEY_COLUMNS = ("paramcd", "visit", "population")
RESULT_COLUMNS = (
    "method",
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p_value",
    "n",
    "note",
)
ARD_COLUMNS = KEY_COLUMNS + RESULT_COLUMNS
NUMERIC_COLUMNS = ("estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value")


def result_row(method: str, term: str, *, visit: str = "", note: str = "", **values) -> dict:
    """One ARD row as a dict; numbers not given are NaN, ``n`` not given is missing.

    Unknown keyword names raise ``TypeError`` so a typo cannot silently drop a value.
    """
    unknown = set(values) - set(NUMERIC_COLUMNS) - {"n"}
    if unknown:
        raise TypeError(f"not ARD columns: {sorted(unknown)}")
    row = {"visit": visit, "method": method, "term": term, "note": note}
    for column in NUMERIC_COLUMNS:
        value = values.get(column)
        row[column] = math.nan if value is None else float(value)
    row["n"] = values.get("n")
    return row


def results_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows from :func:`result_row` as a DataFrame with ``visit`` + :data:`RESULT_COLUMNS`."""
    frame = pd.DataFrame(rows, columns=("visit",) + RESULT_COLUMNS)
    frame["n"] = frame["n"].astype("Int64")
    return frame


def write_ard(ard: pd.DataFrame, path) -> None:
    """Write an ARD as CSV with every float at full (round-trip) precision."""
    ard.loc[:, list(ARD_COLUMNS)].to_csv(path, index=False, float_format="%.17g", lineterminator="\n")

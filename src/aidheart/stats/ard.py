"""The analysis results dataset (ARD): one row per endpoint x visit x population x method x term.

Every statistical function returns rows with :data:`RESULT_COLUMNS`; the runner adds
:data:`KEY_COLUMNS`. Values are kept at full precision; rounding happens only
where a report displays them. A table takes every number it shows from a column:
nothing is parsed back from ``term`` or ``note``, and no count is recovered from a
proportion.

Columns
-------
paramcd : endpoint code (``INOSENS``, ``SIXMWD``, ...; ``VALUE`` for the command line)
visit : analysis visit compared with baseline (empty for model-level terms)
population : analysis set (``EFF``, ``COMPL``, ``PPROT``, ``SAFZERO``; ``SCREENED``, ``SAF``... for feasibility)
method : the analysis (``paired_t``, ``wilcoxon_signed_rank``, ``lmm``, ``mmrm``, ...)
term : what the row estimates (``mean_change``, ``V``, ``lsmean_change``, ...)
estimate, std_error : the estimate and its standard error
ci_low, ci_high, conf_level : its confidence interval and the interval's level (:data:`CONFIDENCE_LEVEL`)
statistic, df, p_value : test statistic, its degrees of freedom, two-sided p
n : subjects (or pairs) contributing
count, denominator : numerator and denominator of a proportion or rate (responders and subjects;
    events and months of exposure)
threshold : the value an outcome is defined by (responder: change >= threshold; sizing: the
    between-arm difference to detect)
power : target power of a sizing row
note : why a row is empty, or how it was computed when that needs saying
"""

from __future__ import annotations

import math

import pandas as pd

#: Level of every confidence interval of the analysis plan.
CONFIDENCE_LEVEL = 0.95

KEY_COLUMNS = ("paramcd", "visit", "population")
RESULT_COLUMNS = (
    "method",
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "conf_level",
    "statistic",
    "df",
    "p_value",
    "n",
    "count",
    "denominator",
    "threshold",
    "power",
    "note",
)
ARD_COLUMNS = KEY_COLUMNS + RESULT_COLUMNS
NUMERIC_COLUMNS = ("estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value", "denominator",
                   "threshold", "power")
COUNT_COLUMNS = ("n", "count")


def result_row(method: str, term: str, *, visit: str = "", note: str = "", **values) -> dict:
    """One ARD row as a dict; numbers not given are NaN, counts not given are missing.

    ``conf_level`` is :data:`CONFIDENCE_LEVEL` on a row with a confidence limit, else NaN.
    Unknown keyword names raise ``TypeError`` so a typo cannot silently drop a value.
    """
    unknown = set(values) - set(NUMERIC_COLUMNS) - set(COUNT_COLUMNS)
    if unknown:
        raise TypeError(f"not ARD columns: {sorted(unknown)}")
    row = {"visit": visit, "method": method, "term": term, "note": note}
    for column in NUMERIC_COLUMNS:
        value = values.get(column)
        row[column] = math.nan if value is None else float(value)
    for column in COUNT_COLUMNS:
        row[column] = values.get(column)
    limits = (values.get("ci_low"), values.get("ci_high"))
    row["conf_level"] = CONFIDENCE_LEVEL if any(limit is not None for limit in limits) else math.nan
    return row


def results_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows from :func:`result_row` as a DataFrame with ``visit`` + :data:`RESULT_COLUMNS`."""
    frame = pd.DataFrame(rows, columns=("visit",) + RESULT_COLUMNS)
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def ci_label(level: float = CONFIDENCE_LEVEL) -> str:
    """``"95% CI"``: how a report names an interval of this level."""
    return f"{100 * level:g}% CI"

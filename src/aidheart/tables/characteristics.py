"""Demographics and baseline characteristics, exposure and adherence: one summary, two reports.

Continuous characteristics show n, mean (SD) and the median with either the
interquartile range (the analysis report's Table 1) or the range (the DSMB report);
categorical ones n (%) of the population per level, levels in alphabetical order and
``Missing`` last. SDs have divisor n - 1; quartiles interpolate linearly. Missing data:
continuous summaries use the subjects with a value (n says how many).
"""

from __future__ import annotations

import pandas as pd

from aidheart.derive.adex import EXPOSURE_PARAMS
from aidheart.tables.ard_rows import display_label
from aidheart.tables.formatting import MISSING, fmt_count, fmt_mean_sd, fmt_median_iqr, fmt_n_pct
from aidheart.tables.populations import treated
from aidheart.study import Study

COLUMNS = ["Characteristic", "Statistic", "Value"]
#: ADSL characteristics: (variable, label, decimals; None for a categorical variable).
CHARACTERISTICS = (
    ("AGE", "Age (years)", 1),
    ("SEX", "Sex", None),
    ("RACE", "Race", None),
    ("ETHNIC", "Ethnicity", None),
    ("INOBLDRG", "Home inotrope", None),
    ("INOBLVIS", "Home inotrope dose, VIS", 2),
    ("SCRCRP", "Screening CRP (mg/L)", 1),
    ("SCRLVEF", "Screening LVEF (%)", 1),
)
#: ADSL exposure variables (labels of the ADEX parameters) with their decimals.
EXPOSURE_DIGITS = {"TRTDURD": 1, "DOSEXP": 1, "DOSTKN": 1, "ADHPCT": 1}
MISSING_LEVEL = "Missing"


def continuous_rows(values: pd.Series, label: str, digits: int, spread: str = "iqr") -> list[dict]:
    """n, mean (SD) and median [Q1, Q3] (``spread="iqr"``) or median [min, max] (``"range"``)."""
    values = pd.to_numeric(values, errors="coerce").dropna()
    sd = values.std(ddof=1) if len(values) > 1 else None
    if spread == "iqr":
        name, low, high = "Median [IQR]", *(values.quantile([0.25, 0.75]).tolist() if len(values) else (None, None))
    else:
        name, low, high = "Median [min, max]", values.min() if len(values) else None, values.max() if len(values) else None
    median = values.median() if len(values) else None
    return [{"Characteristic": label, "Statistic": "n", "Value": fmt_count(len(values))},
            {"Characteristic": "", "Statistic": "Mean (SD)", "Value": fmt_mean_sd(values.mean() if len(values) else None,
                                                                                  sd, digits)},
            {"Characteristic": "", "Statistic": name, "Value": fmt_median_iqr(median, low, high, digits=digits)}]


def categorical_rows(values: pd.Series, label: str, total: int) -> list[dict]:
    """n (% of ``total``) per level: alphabetical, ``Missing`` last; a number shows without trailing zeros."""
    levels = values.map(lambda value: f"{value:g}" if isinstance(value, float) and pd.notna(value) else value)
    levels = levels.astype("string").str.strip().replace("", pd.NA).fillna(MISSING_LEVEL)
    counts = levels.value_counts()
    order = sorted(level for level in counts.index if level != MISSING_LEVEL)
    order += [MISSING_LEVEL] if MISSING_LEVEL in counts.index else []
    rows = [{"Characteristic": label if i == 0 else "", "Statistic": level, "Value": fmt_n_pct(int(counts[level]), total)}
            for i, level in enumerate(order)]
    return rows or [{"Characteristic": label, "Statistic": "", "Value": MISSING}]


def characteristics_table(adsl: pd.DataFrame, adeff: pd.DataFrame | None = None, study: Study | None = None, *,
                          spread: str = "iqr") -> pd.DataFrame:
    """Demographics and baseline characteristics of the treated subjects (the safety set).

    With ``adeff`` and ``study``, the baseline value (``ABLFL == "Y"``, the last value on
    or before the first dose) of each endpoint with the role ``characteristic`` follows,
    labelled with its short label and unit; a categorical endpoint (``summary: categorical``)
    shows its levels.

    Returns
    -------
    DataFrame
        Columns ``Characteristic``, ``Statistic``, ``Value``; no rows when no subject is treated.
    """
    subjects = treated(adsl)
    if subjects.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for column, label, digits in CHARACTERISTICS:
        values = subjects[column] if column in subjects else pd.Series(dtype=object)
        rows += (categorical_rows(values, label, len(subjects)) if digits is None
                 else continuous_rows(values, label, digits, spread))
    if adeff is not None and study is not None:
        baseline = adeff[(adeff["ABLFL"] == "Y").fillna(False) & adeff["USUBJID"].isin(subjects["USUBJID"])]
        for endpoint in study.with_role("characteristic"):
            values = baseline.loc[baseline["PARAMCD"] == endpoint.paramcd].set_index("USUBJID")["AVAL"]
            values = values.reindex(subjects["USUBJID"])
            label = display_label(endpoint.short_param)
            rows += (categorical_rows(values, label, len(subjects)) if endpoint.categorical
                     else continuous_rows(values, label, endpoint.digits, spread))
    return pd.DataFrame(rows, columns=COLUMNS)


def exposure_table(adsl: pd.DataFrame, adherence_min_pct: float) -> pd.DataFrame:
    """Exposure and adherence of the treated subjects (ADSL, labels of the ADEX parameters), and how many
    reached ``adherence_min_pct`` (of those with a diary)."""
    subjects = treated(adsl)
    if subjects.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    for code, (variable, label) in EXPOSURE_PARAMS.items():
        rows += continuous_rows(subjects[variable], label, EXPOSURE_DIGITS[code], spread="range")
    adherence = pd.to_numeric(subjects["ADHPCT"], errors="coerce")
    rows.append({"Characteristic": f"Adherence at least {adherence_min_pct:g}%", "Statistic": "n (%)",
                 "Value": fmt_n_pct(int((adherence >= adherence_min_pct).sum()), int(adherence.notna().sum()))})
    return pd.DataFrame(rows, columns=COLUMNS)

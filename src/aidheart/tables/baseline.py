"""Table 1: baseline characteristics of the safety set, from ADSL and the baseline records of ADEFF."""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import MISSING, fmt_count, fmt_mean_sd, fmt_median_iqr, fmt_n_pct

#: Subject-level characteristics: (ADSL column, label, kind, decimals); kind "both" shows mean (SD)
#: and median [IQR], "categorical" n (%) per level.
ADSL_ROWS = (
    ("AGE", "Age (years)", "both", 1),
    ("SEX", "Sex", "categorical", 0),
    ("RACE", "Race", "categorical", 0),
    ("ETHNIC", "Ethnicity", "categorical", 0),
    ("INOBLDRG", "Baseline inotrope", "categorical", 0),
    ("INOBLVIS", "Baseline inotrope dose, VIS", "both", 2),
    ("SCRCRP", "Screening CRP (mg/L)", "median", 1),
    ("SCRLVEF", "Screening LVEF (%)", "both", 1),
)
#: Baseline values of ADEFF parameters: (PARAMCD, label, kind, decimals; for a categorical
#: parameter the prefix of its numeric levels).
BASELINE_ROWS = (
    ("SIXMWD", "6-minute walk distance (m)", "both", 1),
    ("INOSENS", "Inotrope sensitivity (L/min/m² per VIS unit)", "both", 4),
    ("KCCQ", "KCCQ overall summary score", "both", 1),
    ("NYHA", "NYHA class", "categorical", "Class "),
    ("NTPROBNP", "NT-proBNP (pg/mL)", "median", 0),
)


def _continuous(values: pd.Series, label: str, kind: str, digits: int) -> list[dict]:
    values = pd.to_numeric(values, errors="coerce").dropna()
    rows = [{"Characteristic": label, "Statistic": "n", "Value": fmt_count(len(values))}]
    if kind in ("both", "mean"):
        rows.append({"Characteristic": "", "Statistic": "Mean (SD)",
                     "Value": fmt_mean_sd(values.mean(), values.std(ddof=1) if len(values) > 1 else None, digits)})
    if kind in ("both", "median"):
        q1, median, q3 = values.quantile([0.25, 0.5, 0.75]).tolist() if len(values) else (None, None, None)
        rows.append({"Characteristic": "", "Statistic": "Median [IQR]",
                     "Value": fmt_median_iqr(median, q1, q3, digits=digits)})
    return rows


def _categorical(values: pd.Series, label: str, total: int, prefix: str = "") -> list[dict]:
    levels = values.map(lambda v: f"{prefix}{v:g}" if isinstance(v, float) else v).fillna("Missing")
    counts = levels.value_counts().sort_index()
    rows = [{"Characteristic": label if i == 0 else "", "Statistic": str(level), "Value": fmt_n_pct(count, total)}
            for i, (level, count) in enumerate(counts.items())]
    return rows or [{"Characteristic": label, "Statistic": "", "Value": MISSING}]


def baseline_table(adsl: pd.DataFrame, adeff: pd.DataFrame, population_flag: str = "SAFFL") -> pd.DataFrame:
    """Baseline characteristics of the subjects with ``population_flag == "Y"``.

    Returns
    -------
    DataFrame
        Columns ``Characteristic``, ``Statistic``, ``Value``: for continuous characteristics n and
        mean (SD) and/or median [IQR] (sample SD; quartiles by linear interpolation), for
        categorical ones n (%) of the population per level.

    Notes
    -----
    Missing data: continuous summaries use the subjects with a value (n shows how many);
    categorical levels include "Missing". Endpoint baselines are the ADEFF records with
    ``ABLFL == "Y"`` (the last value on or before the first dose).
    """
    subjects = adsl[(adsl[population_flag] == "Y").fillna(False)]
    total = len(subjects)
    rows = []
    for column, label, kind, digits in ADSL_ROWS:
        if column not in subjects:
            continue
        values = subjects[column]
        rows += (_categorical(values, label, total) if kind == "categorical"
                 else _continuous(values, label, kind, digits))
    baseline = adeff[(adeff["ABLFL"] == "Y").fillna(False) & adeff["USUBJID"].isin(subjects["USUBJID"])]
    for paramcd, label, kind, digits in BASELINE_ROWS:
        values = baseline.loc[baseline["PARAMCD"] == paramcd].set_index("USUBJID")["AVAL"]
        values = values.reindex(subjects["USUBJID"])
        rows += (_categorical(values, label, total, prefix=digits) if kind == "categorical"
                 else _continuous(values, label, kind, digits))
    return pd.DataFrame(rows, columns=["Characteristic", "Statistic", "Value"])

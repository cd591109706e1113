"""Protocol deviations, demographics and baseline characteristics, exposure and adherence.

Denominator of every table: the enrolled subjects (first dose by the cut-off,
ADSL ``SAFFL == "Y"``), unless a row says otherwise.
"""

from __future__ import annotations

import pandas as pd

SUMMARY_COLUMNS = ["variable", "level", "kind", "n", "denominator", "mean", "sd", "median", "min", "max"]
DEVIATION_COLUMNS = ["category", "events", "major_events", "subjects", "denominator"]
#: ADSL categorical and continuous variables of the demographics table, in order.
DEMOGRAPHICS = (
    ("AGE", "Age (years)", "continuous"),
    ("SEX", "Sex", "categorical"),
    ("RACE", "Race", "categorical"),
    ("ETHNIC", "Ethnicity", "categorical"),
    ("INOBLDRG", "Home inotrope", "categorical"),
    ("INOBLVIS", "Home inotrope dose (vasoactive-inotropic score)", "continuous"),
    ("SCRLVEF", "Screening LVEF (%)", "continuous"),
    ("SCRCRP", "Screening CRP (mg/L)", "continuous"),
)
#: ADSL variables of the exposure table.
EXPOSURE = (
    ("TRTDURD", "Treatment duration (days, first to last dose)"),
    ("DOSEXP", "Doses expected (diary)"),
    ("DOSTKN", "Doses taken (diary)"),
    ("ADHPCT", "Adherence: doses taken / expected (%)"),
)


def enrolled(adsl: pd.DataFrame) -> pd.DataFrame:
    """The enrolled subjects of ADSL (``SAFFL == "Y"``)."""
    return adsl[adsl["SAFFL"].astype("string").eq("Y").fillna(False).astype(bool)] if len(adsl) else adsl


def _continuous(values: pd.Series, variable: str, denominator: int) -> dict:
    x = pd.to_numeric(values, errors="coerce").dropna()
    return {"variable": variable, "level": "", "kind": "continuous", "n": len(x), "denominator": denominator,
            "mean": x.mean() if len(x) else float("nan"), "sd": x.std() if len(x) > 1 else float("nan"),
            "median": x.median() if len(x) else float("nan"), "min": x.min() if len(x) else float("nan"),
            "max": x.max() if len(x) else float("nan")}


def _categorical(values: pd.Series, variable: str, denominator: int) -> list[dict]:
    text = values.astype("string").fillna("").str.strip().replace("", "Not recorded")
    counts = text.value_counts()
    return [{"variable": variable, "level": level, "kind": "categorical", "n": int(counts[level]),
             "denominator": denominator} for level in sorted(counts.index, key=lambda v: (-counts[v], v))]


def summarise(dataset: pd.DataFrame, variables) -> pd.DataFrame:
    """Long summary: continuous variables as n, mean, SD, median, min, max; categorical as n per level."""
    rows = []
    for column, label, kind in variables:
        values = dataset[column] if column in dataset else pd.Series(dtype=object)
        if kind == "continuous":
            rows.append(_continuous(values, label, len(dataset)))
        else:
            rows.extend(_categorical(values, label, len(dataset)))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def demographics(adsl: pd.DataFrame) -> pd.DataFrame:
    """Demographics and baseline characteristics of the enrolled subjects (see :func:`summarise`)."""
    return summarise(enrolled(adsl), DEMOGRAPHICS)


def exposure(adsl: pd.DataFrame, adherence_min_pct: float) -> pd.DataFrame:
    """Exposure and adherence of the enrolled subjects, plus the count with adherence ≥ ``adherence_min_pct``."""
    dosed = enrolled(adsl)
    frame = summarise(dosed, [(column, label, "continuous") for column, label in EXPOSURE])
    adherence = pd.to_numeric(dosed["ADHPCT"], errors="coerce") if len(dosed) else pd.Series(dtype=float)
    extra = {"variable": f"Adherence at least {adherence_min_pct:g}%", "level": "", "kind": "categorical",
             "n": int((adherence >= adherence_min_pct).sum()), "denominator": int(adherence.notna().sum())}
    return pd.concat([frame, pd.DataFrame([extra], columns=SUMMARY_COLUMNS)], ignore_index=True)


def deviations(deviations: pd.DataFrame, n_enrolled: int) -> pd.DataFrame:
    """Protocol deviations by category: events, major events, subjects; last row ``Any deviation``."""
    rows = []
    data = deviations.assign(category=deviations["category"].astype("string").fillna("Not recorded"),
                             major=deviations["major"].astype("string").eq("Y").fillna(False))
    for category, part in sorted(data.groupby("category"), key=lambda item: (-len(item[1]), item[0])):
        rows.append((category, len(part), int(part["major"].sum()), part["record_id"].nunique(), n_enrolled))
    rows.append(("Any deviation", len(data), int(data["major"].sum()), data["record_id"].nunique(), n_enrolled))
    return pd.DataFrame(rows, columns=DEVIATION_COLUMNS)

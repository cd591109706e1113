"""Safety labs (ADLB): values by visit, worst post-baseline grade, CTCAE shift tables, listings of grade >= 2.

Reads ADLB: each safety lab of the configuration (``PARAMCD``, e.g. ``ANC`` in 10^9/L)
and its CTCAE grade (``PARAMCD`` + ``GR``, :class:`aidheart.derive.ctcae.SafetyLab`).
Baseline = the ADLB baseline record (``ABLFL == "Y"``); post-baseline = a record after
the first dose (``ADY > 1``), the rule ``CHG`` follows. ADLB holds the labs of the
enrolled subjects; the table of worst grades counts the treated subjects (the safety set).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from aidheart.derive.ctcae import SafetyLab
from aidheart.study import FIRST_DOSE_DAY
from aidheart.tables.formatting import fmt_count, fmt_listing, fmt_mean_sd, fmt_median_iqr, fmt_n_pct
from aidheart.tables.populations import treated

#: The lab the neutropenia stopping rule and the neutrophil section read.
NEUTROPHILS = "ANC"
LISTING_COLUMNS = ["Subject", "Lab", "Visit", "Study day", "Value", "Grade", "Baseline value", "Baseline grade"]
NO_POST_BASELINE = "No post-baseline value"
WITH_GRADE = ["USUBJID", "SUBJID", "AVISIT", "AVISITN", "ADY", "AVAL", "ABLFL", "GRADE"]


def unit_label(unit: str) -> str:
    """A unit as the reports write it (``10^9/L`` as 10⁹/L)."""
    return unit.replace("10^9", "10⁹")


def _param(adlb: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    rows = adlb[adlb["PARAMCD"].astype("string").eq(paramcd).fillna(False).astype(bool)] if len(adlb) else adlb
    rows = rows.assign(AVAL=pd.to_numeric(rows["AVAL"], errors="coerce"),
                       AVISITN=pd.to_numeric(rows["AVISITN"], errors="coerce"),
                       ADY=pd.to_numeric(rows["ADY"], errors="coerce")) if len(rows) else rows
    return rows[rows["AVAL"].notna()] if len(rows) else rows


def with_grade(adlb: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    """The records of lab ``paramcd`` with their grade beside them (``GRADE``), keyed by subject, visit and day."""
    values = _param(adlb, paramcd)
    if values.empty:
        return pd.DataFrame(columns=WITH_GRADE)
    grade = _param(adlb, f"{paramcd}GR")[["USUBJID", "AVISIT", "ADY", "AVAL"]].rename(columns={"AVAL": "GRADE"})
    return values.merge(grade, on=["USUBJID", "AVISIT", "ADY"], how="left")


def _post_baseline(values: pd.DataFrame) -> pd.DataFrame:
    return values[values["ADY"] > FIRST_DOSE_DAY]


def _baseline(values: pd.DataFrame) -> pd.DataFrame:
    return values[values["ABLFL"].astype("string").eq("Y").fillna(False).astype(bool)]


def worst_post_baseline_grade(adlb: pd.DataFrame, paramcd: str = NEUTROPHILS) -> pd.Series:
    """Worst (highest) post-baseline grade of lab ``paramcd`` per subject (``USUBJID`` index)."""
    return _post_baseline(with_grade(adlb, paramcd)).groupby("USUBJID")["GRADE"].max()


def by_visit_table(adlb: pd.DataFrame, lab: SafetyLab) -> pd.DataFrame:
    """Per visit: n, mean (SD), median [min, max] and subjects with grade >= 2 (of n)."""
    values = with_grade(adlb, lab.paramcd)
    rows = []
    for (visit, _), part in sorted(values.groupby(["AVISIT", "AVISITN"]), key=lambda item: item[0][1]):
        aval = part["AVAL"]
        n = part["USUBJID"].nunique()
        rows.append({"Visit": visit, "n": fmt_count(n),
                     "Mean (SD)": fmt_mean_sd(aval.mean(), aval.std() if len(aval) > 1 else None, 2),
                     "Median [min, max]": fmt_median_iqr(aval.median(), aval.min(), aval.max(), 2),
                     "Grade ≥ 2, n (% of n)": fmt_n_pct(part.loc[part["GRADE"] >= 2, "USUBJID"].nunique(), n)})
    return pd.DataFrame(rows, columns=["Visit", "n", "Mean (SD)", "Median [min, max]", "Grade ≥ 2, n (% of n)"])


def worst_grade_table(adsl: pd.DataFrame, adlb: pd.DataFrame, lab: SafetyLab) -> pd.DataFrame:
    """Treated subjects by their worst post-baseline grade of ``lab``: ``Worst grade``, ``Subjects n (%)``
    (grades 0 to the lab's highest, and no post-baseline value)."""
    subjects = treated(adsl)["USUBJID"]
    worst = worst_post_baseline_grade(adlb, lab.paramcd).reindex(subjects)
    rows = [(f"Grade {grade}", fmt_n_pct(int((worst == grade).sum()), len(subjects)))
            for grade in range(lab.max_grade + 1)]
    rows.append((NO_POST_BASELINE, fmt_n_pct(int(worst.isna().sum()), len(subjects))))
    return pd.DataFrame(rows, columns=["Worst grade", "Subjects n (%)"])


def shift_table(adlb: pd.DataFrame, lab: SafetyLab) -> pd.DataFrame:
    """Subjects by baseline grade (rows) and worst post-baseline grade (columns) of ``lab``, as text.

    Rows: ``Grade 0`` ... the lab's highest grade, ``Missing`` (no baseline), ``Total``;
    columns: the grades, ``No post-baseline value``, ``Total``. Every subject with a value
    of the lab counts once.
    """
    values = with_grade(adlb, lab.paramcd)
    subjects = sorted(values["USUBJID"].unique())
    baseline = _baseline(values).groupby("USUBJID")["GRADE"].max()
    worst = worst_post_baseline_grade(adlb, lab.paramcd)
    labels = [f"Grade {g}" for g in range(lab.max_grade + 1)]

    def label(value, none: str) -> str:
        return none if pd.isna(value) else f"Grade {int(value)}"

    rows = pd.Series([label(baseline.get(s), "Missing") for s in subjects], dtype=object)
    cols = pd.Series([label(worst.get(s), NO_POST_BASELINE) for s in subjects], dtype=object)
    table = pd.crosstab(rows, cols) if subjects else pd.DataFrame()
    table = table.reindex(index=labels + ["Missing"], columns=labels + [NO_POST_BASELINE], fill_value=0)
    table["Total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    table.index.name = "Baseline grade"
    table.columns.name = None
    return table.astype(int).astype(str).reset_index()


def grade_listing(adlb: pd.DataFrame, labs: Sequence[SafetyLab], min_grade: int = 2) -> pd.DataFrame:
    """Every post-baseline record of the ``labs`` of grade >= ``min_grade`` and worse than the subject's baseline
    grade (or without a baseline), by subject, lab and day, as text: what changed on treatment, not a value
    already abnormal before it (the shift tables count those)."""
    frames = []
    for lab in labs:
        values = with_grade(adlb, lab.paramcd)
        base = _baseline(values).groupby("USUBJID").agg(BASE_VALUE=("AVAL", "first"), BASE_GRADE=("GRADE", "first"))
        hits = _post_baseline(values)
        hits = hits[hits["GRADE"] >= min_grade].join(base, on="USUBJID")
        hits = hits[hits["BASE_GRADE"].isna() | (hits["GRADE"] > hits["BASE_GRADE"])]
        frames.append(pd.DataFrame({
            "Subject": hits["SUBJID"].astype(str), "Lab": f"{lab.label} ({unit_label(lab.unit)})",
            "Visit": hits["AVISIT"], "Study day": hits["ADY"].astype("Int64"), "Value": hits["AVAL"],
            "Grade": hits["GRADE"].astype("Int64"), "Baseline value": hits["BASE_VALUE"],
            "Baseline grade": hits["BASE_GRADE"].astype("Int64")}, columns=LISTING_COLUMNS))
    listing = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LISTING_COLUMNS)
    listing = listing.sort_values(["Subject", "Study day"], kind="stable").reset_index(drop=True)
    return fmt_listing(listing, {"Value": 2, "Baseline value": 2})

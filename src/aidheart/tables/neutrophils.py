"""Absolute neutrophil count (ADLB): by visit, worst post-baseline grade, CTCAE shift, grade >= 2 listing.

Reads ADLB (``PARAMCD`` ``ANC`` in 10^9/L and ``ANCGR``, the CTCAE grade of
"neutrophil count decreased", 0-4). Baseline = the ADLB baseline record
(``ABLFL == "Y"``); post-baseline = a record after the first dose (``ADY > 1``), the
rule ``CHG`` follows. ADLB holds the labs of the enrolled subjects; the table of
worst grades counts the treated subjects (the safety set).
"""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_count, fmt_listing, fmt_mean_sd, fmt_median_iqr, fmt_n_pct
from aidheart.tables.populations import treated
from aidheart.study import FIRST_DOSE_DAY

CTCAE_GRADES = (0, 1, 2, 3, 4)
LISTING_COLUMNS = ["Subject", "Visit", "Study day", "ANC (10⁹/L)", "Grade", "Baseline ANC", "Baseline grade"]
NO_POST_BASELINE = "No post-baseline value"


def _param(adlb: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    rows = adlb[adlb["PARAMCD"].astype("string").eq(paramcd).fillna(False).astype(bool)] if len(adlb) else adlb
    rows = rows.assign(AVAL=pd.to_numeric(rows["AVAL"], errors="coerce"),
                       AVISITN=pd.to_numeric(rows["AVISITN"], errors="coerce"),
                       ADY=pd.to_numeric(rows["ADY"], errors="coerce")) if len(rows) else rows
    return rows[rows["AVAL"].notna()] if len(rows) else rows


def anc_with_grade(adlb: pd.DataFrame) -> pd.DataFrame:
    """ANC records with their grade beside them (``GRADE``), keyed by subject, visit and day."""
    anc = _param(adlb, "ANC")
    if anc.empty:
        return pd.DataFrame(columns=["USUBJID", "SUBJID", "AVISIT", "AVISITN", "ADY", "AVAL", "ABLFL", "GRADE"])
    grade = _param(adlb, "ANCGR")[["USUBJID", "AVISIT", "ADY", "AVAL"]].rename(columns={"AVAL": "GRADE"})
    return anc.merge(grade, on=["USUBJID", "AVISIT", "ADY"], how="left")


def _post_baseline(anc: pd.DataFrame) -> pd.DataFrame:
    return anc[anc["ADY"] > FIRST_DOSE_DAY]


def worst_post_baseline_grade(adlb: pd.DataFrame) -> pd.Series:
    """Worst (highest) post-baseline ANC grade per subject (``USUBJID`` index)."""
    post = _post_baseline(anc_with_grade(adlb))
    return post.groupby("USUBJID")["GRADE"].max()


def anc_by_visit_table(adlb: pd.DataFrame) -> pd.DataFrame:
    """Per visit: n, mean (SD), median [min, max] and subjects with grade >= 2 (of n)."""
    anc = anc_with_grade(adlb)
    rows = []
    for (visit, _), part in sorted(anc.groupby(["AVISIT", "AVISITN"]), key=lambda item: item[0][1]):
        values = part["AVAL"]
        n = part["USUBJID"].nunique()
        rows.append({"Visit": visit, "n": fmt_count(n),
                     "Mean (SD)": fmt_mean_sd(values.mean(), values.std() if len(values) > 1 else None, 2),
                     "Median [min, max]": fmt_median_iqr(values.median(), values.min(), values.max(), 2),
                     "Grade ≥ 2, n (% of n)": fmt_n_pct(part.loc[part["GRADE"] >= 2, "USUBJID"].nunique(), n)})
    return pd.DataFrame(rows, columns=["Visit", "n", "Mean (SD)", "Median [min, max]", "Grade ≥ 2, n (% of n)"])


def worst_grade_table(adsl: pd.DataFrame, adlb: pd.DataFrame) -> pd.DataFrame:
    """Treated subjects by their worst post-baseline CTCAE grade: ``Worst grade``, ``Subjects n (%)``
    (grades 0-4 and no post-baseline value)."""
    subjects = treated(adsl)["USUBJID"]
    worst = worst_post_baseline_grade(adlb).reindex(subjects)
    rows = [(f"Grade {grade}", fmt_n_pct(int((worst == grade).sum()), len(subjects))) for grade in CTCAE_GRADES]
    rows.append((NO_POST_BASELINE, fmt_n_pct(int(worst.isna().sum()), len(subjects))))
    return pd.DataFrame(rows, columns=["Worst grade", "Subjects n (%)"])


def shift_table(adlb: pd.DataFrame) -> pd.DataFrame:
    """Subjects by baseline grade (rows) and worst post-baseline grade (columns), as text.

    Rows: ``Grade 0`` ... ``Grade 4``, ``Missing`` (no baseline), ``Total``; columns:
    ``Grade 0`` ... ``Grade 4``, ``No post-baseline value``, ``Total``. Every subject
    with an ANC value counts once.
    """
    anc = anc_with_grade(adlb)
    subjects = sorted(anc["USUBJID"].unique())
    baseline = anc[anc["ABLFL"].astype("string").eq("Y").fillna(False).astype(bool)].groupby("USUBJID")["GRADE"].max()
    worst = worst_post_baseline_grade(adlb)
    labels = [f"Grade {g}" for g in CTCAE_GRADES]

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


def grade_listing(adlb: pd.DataFrame, min_grade: int = 2) -> pd.DataFrame:
    """Every post-baseline ANC record of grade >= ``min_grade``, by subject and day, as text."""
    anc = anc_with_grade(adlb)
    base = anc[anc["ABLFL"].astype("string").eq("Y").fillna(False).astype(bool)]
    base = base.groupby("USUBJID").agg(BASE_ANC=("AVAL", "first"), BASE_GRADE=("GRADE", "first"))
    hits = _post_baseline(anc)
    hits = hits[hits["GRADE"] >= min_grade].join(base, on="USUBJID").sort_values(["USUBJID", "ADY"], kind="stable")
    frame = pd.DataFrame({
        "Subject": hits["SUBJID"].astype(str), "Visit": hits["AVISIT"],
        "Study day": hits["ADY"].astype("Int64"), "ANC (10⁹/L)": hits["AVAL"],
        "Grade": hits["GRADE"].astype("Int64"), "Baseline ANC": hits["BASE_ANC"],
        "Baseline grade": hits["BASE_GRADE"].astype("Int64")}, columns=LISTING_COLUMNS).reset_index(drop=True)
    return fmt_listing(frame, {"ANC (10⁹/L)": 2, "Baseline ANC": 2})

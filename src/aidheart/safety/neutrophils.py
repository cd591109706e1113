"""Absolute neutrophil count (ANC): by visit, CTCAE shift from baseline to worst, grade ≥ 2 listing.

Reads ADLB (``PARAMCD`` ``ANC`` in 10^9/L and ``ANCGR``, the CTCAE grade of
"neutrophil count decreased", 0-4).  Baseline = the ADLB baseline record
(``ABLFL == "Y"``); post-baseline = records at a visit after baseline
(``AVISITN > 0``).  Only enrolled subjects have ADLB records.
"""

from __future__ import annotations

import pandas as pd

CTCAE_GRADES = (0, 1, 2, 3, 4)
VISIT_COLUMNS = ["visit", "avisitn", "n", "mean", "sd", "median", "min", "max", "grade_2_plus"]
LISTING_COLUMNS = ["Subject", "Visit", "Study day", "ANC (10⁹/L)", "Grade", "Baseline ANC", "Baseline grade"]


def _param(adlb: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    if adlb.empty:
        return adlb.assign(AVAL=pd.Series(dtype=float), AVISITN=pd.Series(dtype=float))
    rows = adlb[adlb["PARAMCD"].astype("string").eq(paramcd).fillna(False).astype(bool)]
    rows = rows.assign(AVAL=pd.to_numeric(rows["AVAL"], errors="coerce"),
                       AVISITN=pd.to_numeric(rows["AVISITN"], errors="coerce"))
    return rows[rows["AVAL"].notna()]


def anc_with_grade(adlb: pd.DataFrame) -> pd.DataFrame:
    """ANC records with their grade beside them (``GRADE``), keyed by subject and visit."""
    anc = _param(adlb, "ANC")
    grade = _param(adlb, "ANCGR")[["USUBJID", "AVISIT", "ADY", "AVAL"]].rename(columns={"AVAL": "GRADE"})
    return anc.merge(grade, on=["USUBJID", "AVISIT", "ADY"], how="left")


def by_visit(adlb: pd.DataFrame) -> pd.DataFrame:
    """ANC summary per visit: n, mean, SD, median, min, max and subjects with grade ≥ 2 (of n)."""
    anc = anc_with_grade(adlb)
    rows = []
    for (visit, number), part in sorted(anc.groupby(["AVISIT", "AVISITN"]), key=lambda item: item[0][1]):
        values = part["AVAL"]
        rows.append({"visit": visit, "avisitn": number, "n": part["USUBJID"].nunique(), "mean": values.mean(),
                     "sd": values.std() if len(values) > 1 else float("nan"), "median": values.median(),
                     "min": values.min(), "max": values.max(),
                     "grade_2_plus": part.loc[part["GRADE"] >= 2, "USUBJID"].nunique()})
    return pd.DataFrame(rows, columns=VISIT_COLUMNS)


def worst_post_baseline(adlb: pd.DataFrame) -> pd.Series:
    """Worst (highest) post-baseline ANC grade per subject (``USUBJID`` index)."""
    anc = anc_with_grade(adlb)
    post = anc[anc["AVISITN"] > 0]
    return post.groupby("USUBJID")["GRADE"].max()


def shift_table(adlb: pd.DataFrame) -> pd.DataFrame:
    """Subjects by baseline grade (rows) and worst post-baseline grade (columns).

    Rows: ``Grade 0`` ... ``Grade 4``, ``Missing`` (no baseline), ``Total``;
    columns: ``Grade 0`` ... ``Grade 4``, ``No post-baseline value``, ``Total``.
    Every subject with an ANC value counts once.
    """
    anc = anc_with_grade(adlb)
    subjects = sorted(anc["USUBJID"].unique())
    baseline = anc[anc["ABLFL"].astype("string").eq("Y").fillna(False).astype(bool)].groupby("USUBJID")["GRADE"].max()
    worst = worst_post_baseline(adlb)
    labels = [f"Grade {g}" for g in CTCAE_GRADES]

    def label(value, none: str) -> str:
        return none if pd.isna(value) else f"Grade {int(value)}"

    rows = pd.Series([label(baseline.get(s), "Missing") for s in subjects], dtype=object)
    cols = pd.Series([label(worst.get(s), "No post-baseline value") for s in subjects], dtype=object)
    table = pd.crosstab(rows, cols) if subjects else pd.DataFrame()
    table = table.reindex(index=labels + ["Missing"], columns=labels + ["No post-baseline value"], fill_value=0)
    table["Total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    table.index.name = "Baseline grade"
    table.columns.name = None
    return table.astype(int).reset_index()


def grade_listing(adlb: pd.DataFrame, min_grade: int = 2) -> pd.DataFrame:
    """Every post-baseline ANC record of grade ≥ ``min_grade``, by subject and day."""
    anc = anc_with_grade(adlb)
    base = anc[anc["ABLFL"].astype("string").eq("Y").fillna(False).astype(bool)]
    base = base.groupby("USUBJID").agg(BASE_ANC=("AVAL", "first"), BASE_GRADE=("GRADE", "first"))
    hits = anc[(anc["AVISITN"] > 0) & (anc["GRADE"] >= min_grade)].join(base, on="USUBJID")
    hits = hits.sort_values(["USUBJID", "ADY"], kind="stable")
    return pd.DataFrame({
        "Subject": hits["USUBJID"].astype(str).str.rsplit("-", n=1).str[-1], "Visit": hits["AVISIT"],
        "Study day": pd.to_numeric(hits["ADY"], errors="coerce").astype("Int64"), "ANC (10⁹/L)": hits["AVAL"],
        "Grade": hits["GRADE"].astype("Int64"), "Baseline ANC": hits["BASE_ANC"],
        "Baseline grade": hits["BASE_GRADE"].astype("Int64")}, columns=LISTING_COLUMNS).reset_index(drop=True)

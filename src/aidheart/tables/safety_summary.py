"""Safety summary of the safety set: treatment-emergent AEs (ADAE), deaths (ADSL), worst neutrophil grade (ADLB)."""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_n_pct

ANC_GRADE = "ANCGR"


def _yes(column: pd.Series) -> pd.Series:
    return (column == "Y").fillna(False)


def safety_summary_table(adsl: pd.DataFrame, adae: pd.DataFrame) -> pd.DataFrame:
    """Subjects (n, % of the safety set) and events per category of treatment-emergent AE, and deaths.

    Returns
    -------
    DataFrame
        Columns ``Category``, ``Subjects n (%)``, ``Events``: any TEAE; grade ≥ 3; related
        (possibly, probably or definitely); serious; leading to withdrawal of study drug;
        injection-site reactions; infections; fatal TEAEs; and deaths from ADSL (events empty).

    Notes
    -----
    Treatment-emergent and related are ADAE's ``TRTEMFL`` and ``ARELFL``; subjects outside the
    safety set are not counted.
    """
    safety = set(adsl.loc[_yes(adsl["SAFFL"]), "USUBJID"])
    total = len(safety)
    teae = adae[_yes(adae["TRTEMFL"]) & adae["USUBJID"].isin(safety)]
    categories = (
        ("Any TEAE", pd.Series(True, index=teae.index)),
        ("TEAE of CTCAE grade 3 or higher", pd.to_numeric(teae["ATOXGR"], errors="coerce") >= 3),
        ("Related TEAE", _yes(teae["ARELFL"])),
        ("Serious TEAE", _yes(teae["AESER"])),
        ("TEAE leading to withdrawal of study drug", teae["AEACN"] == "Drug withdrawn"),
        ("Injection-site reaction", _yes(teae["AEINJFL"])),
        ("Infection", _yes(teae["AEINFFL"])),
        ("Fatal TEAE", teae["AEOUT"] == "Fatal"),
    )
    rows = [{"Category": label, "Subjects n (%)": fmt_n_pct(teae.loc[mask, "USUBJID"].nunique(), total),
             "Events": str(int(mask.sum()))} for label, mask in categories]
    deaths = adsl[adsl["USUBJID"].isin(safety) & _yes(adsl["DTHFL"])]
    rows.append({"Category": "Deaths (any cause)", "Subjects n (%)": fmt_n_pct(len(deaths), total), "Events": ""})
    return pd.DataFrame(rows, columns=["Category", "Subjects n (%)", "Events"])


def worst_anc_grade_table(adsl: pd.DataFrame, adlb: pd.DataFrame) -> pd.DataFrame:
    """Safety-set subjects by their worst post-baseline CTCAE grade of neutrophil count decrease.

    Returns
    -------
    DataFrame
        Columns ``Worst grade``, ``Subjects n (%)``: grades 0–4 and "No post-baseline value".
    """
    safety = adsl.loc[_yes(adsl["SAFFL"]), "USUBJID"]
    grades = adlb[(adlb["PARAMCD"] == ANC_GRADE) & ~_yes(adlb["ABLFL"]) & adlb["AVAL"].notna()
                  & adlb["USUBJID"].isin(set(safety))]
    if "ANL01FL" in grades:
        grades = grades[_yes(grades["ANL01FL"])]
    worst = grades.groupby("USUBJID")["AVAL"].max().reindex(safety)
    rows = [{"Worst grade": f"Grade {grade}", "Subjects n (%)": fmt_n_pct(int((worst == grade).sum()), len(safety))}
            for grade in range(5)]
    rows.append({"Worst grade": "No post-baseline value", "Subjects n (%)": fmt_n_pct(int(worst.isna().sum()),
                                                                                       len(safety))})
    return pd.DataFrame(rows, columns=["Worst grade", "Subjects n (%)"])

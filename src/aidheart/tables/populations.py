"""Analysis populations and subject disposition counted from ADSL."""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_n_pct


def _yes(adsl: pd.DataFrame, column: str) -> pd.Series:
    return (adsl[column] == "Y").fillna(False) if column in adsl else pd.Series(False, index=adsl.index)


#: (label, definition, ADSL flags that must all be "Y"; none = every screened subject).
POPULATIONS = (
    ("Screened", "Signed consent and screened", ()),
    ("Enrolled", "Eligible and enrolled", ("ENRLFL",)),
    ("Safety", "At least one dose of anakinra", ("SAFFL",)),
    ("Efficacy (INOSENS)", "Safety, baseline and a later inotrope-sensitivity value", ("SAFFL", "EFF_INOSENS")),
    ("Efficacy (6MWD)", "Safety, baseline and a later 6-minute walk", ("SAFFL", "EFF_SIXMWD")),
    ("Completers", "Reached week 12 on drug", ("SAFFL", "COMPLFL")),
    ("Per-protocol", "Efficacy, adherence at or above threshold, no major deviation", ("SAFFL", "PPROTFL")),
)


def population_table(adsl: pd.DataFrame) -> pd.DataFrame:
    """Subjects in each analysis population, with % of the safety set.

    Returns
    -------
    DataFrame
        Columns ``Population``, ``Definition``, ``n (% of safety)``.
    """
    treated = int(_yes(adsl, "SAFFL").sum())
    rows = []
    for label, definition, flags in POPULATIONS:
        members = pd.Series(True, index=adsl.index)
        for flag in flags:
            members &= _yes(adsl, flag)
        count = int(members.sum())
        shown = str(count) if not flags or flags == ("ENRLFL",) else fmt_n_pct(count, treated)
        rows.append({"Population": label, "Definition": definition, "n (% of safety)": shown})
    return pd.DataFrame(rows, columns=["Population", "Definition", "n (% of safety)"])


def disposition_table(adsl: pd.DataFrame) -> pd.DataFrame:
    """Treated subjects by end-of-study status and reason, with % of the safety set.

    Returns
    -------
    DataFrame
        Columns ``Status``, ``Reason``, ``n (%)``, sorted by status then reason.
    """
    treated = adsl[_yes(adsl, "SAFFL")]
    reasons = treated["DCSREAS"].where(treated["EOSSTT"] == "DISCONTINUED", "")
    counts = (pd.DataFrame({"Status": treated["EOSSTT"].fillna("Not recorded").str.capitalize(),
                            "Reason": reasons.fillna("Not recorded")})
              .value_counts().sort_index().reset_index(name="count"))
    counts["n (%)"] = [fmt_n_pct(count, len(treated)) for count in counts["count"]]
    return counts.loc[:, ["Status", "Reason", "n (%)"]]


def screen_failure_table(adsl: pd.DataFrame) -> pd.DataFrame:
    """Screened subjects not enrolled, by screen-failure reason (most frequent first)."""
    failed = adsl.loc[~_yes(adsl, "ENRLFL"), "SCRFREAS"].fillna("Not recorded")
    counts = failed.value_counts().rename_axis("Reason").reset_index(name="n")
    counts = counts.sort_values(["n", "Reason"], ascending=[False, True], ignore_index=True)
    counts["n"] = counts["n"].astype(str)
    return counts

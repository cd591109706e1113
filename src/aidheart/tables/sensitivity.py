"""Sensitivity analyses (the same endpoint in other analysis sets) and the responder analysis."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import analysis_set_label
from aidheart.tables.ard_rows import digits_for, one
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_p, fmt_percent_ci, fmt_proportion_count


def sensitivity_table(ard: pd.DataFrame, paramcd: str, populations, visit: str,
                      digits: int | None = None) -> pd.DataFrame:
    """One row per analysis set: pairs, mean change (95 % CI) and p, Hodges–Lehmann (95 % CI),
    and the MMRM least-squares mean change (95 % CI) at ``visit``.

    Sets without rows for ``paramcd`` are left out.

    Returns
    -------
    DataFrame
        Columns ``Analysis set``, ``n``, ``Mean change (95% CI)``, ``p (t)``, ``Hodges–Lehmann (95% CI)``,
        ``MMRM (95% CI)``.
    """
    digits = digits_for(paramcd) if digits is None else digits
    rows = []
    for population in populations:
        keys = {"paramcd": paramcd, "population": population, "visit": visit}
        t = one(ard, **keys, method="paired_t", term="mean_change")
        if pd.isna(t["n"]) and pd.isna(t["estimate"]):
            continue
        hl = one(ard, **keys, method="hodges_lehmann", term="pseudomedian")
        mmrm = one(ard, **keys, method="mmrm", term="lsmean_change")
        rows.append({"Analysis set": analysis_set_label(population), "n": fmt_count(t["n"]),
                     "Mean change (95% CI)": fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits),
                     "p (t)": fmt_p(t["p_value"]),
                     "Hodges–Lehmann (95% CI)": fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"], digits),
                     "MMRM (95% CI)": fmt_estimate_ci(mmrm["estimate"], mmrm["ci_low"], mmrm["ci_high"], digits)})
    columns = ["Analysis set", "n", "Mean change (95% CI)", "p (t)", "Hodges–Lehmann (95% CI)", "MMRM (95% CI)"]
    return pd.DataFrame(rows, columns=columns)


def responder_table(ard: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """The responder rows of the ARD: endpoint, visit, definition, responders/n and % (Clopper–Pearson 95 % CI)."""
    rows = ard[(ard["method"] == "responder") & (ard["term"] == "proportion")]
    table = [{"Endpoint": labels.get(row["paramcd"], row["paramcd"]), "Visit": row["visit"],
              "Analysis set": analysis_set_label(row["population"]),
              "Definition": row["note"].split(";")[0].replace("responder: ", "").replace(">=", "≥"),
              "Responders/n": fmt_proportion_count(row["estimate"], row["n"]),
              "% (95% CI)": fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])}
             for _, row in rows.iterrows()]
    return pd.DataFrame(table, columns=["Endpoint", "Visit", "Analysis set", "Definition", "Responders/n",
                                        "% (95% CI)"])

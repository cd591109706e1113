"""Sensitivity analyses (the same endpoint in other analysis sets) and the responder analysis."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import analysis_set_label
from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint, Study
from aidheart.tables.ard_rows import display_label, one
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_fraction, fmt_p, fmt_percent_ci

CI = ci_label()


def sensitivity_table(ard: pd.DataFrame, endpoint: Endpoint, visit: str) -> pd.DataFrame:
    """One row per analysis set of the endpoint: pairs, mean change (CI) and p, Hodges–Lehmann (CI),
    and the MMRM least-squares mean change (CI) at ``visit``.

    Sets without rows for the endpoint are left out.

    Returns
    -------
    DataFrame
        Columns ``Analysis set``, ``n``, ``Mean change (95% CI)``, ``p (t)``, ``Hodges–Lehmann (95% CI)``,
        ``MMRM (95% CI)``.
    """
    digits = endpoint.digits
    rows = []
    for population in endpoint.sets:
        keys = {"paramcd": endpoint.paramcd, "population": population, "visit": visit}
        t = one(ard, **keys, method="paired_t", term="mean_change")
        if pd.isna(t["n"]) and pd.isna(t["estimate"]):
            continue
        hl = one(ard, **keys, method="hodges_lehmann", term="pseudomedian")
        mmrm = one(ard, **keys, method="mmrm", term="lsmean_change")
        rows.append({"Analysis set": analysis_set_label(population, endpoint), "n": fmt_count(t["n"]),
                     f"Mean change ({CI})": fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits),
                     "p (t)": fmt_p(t["p_value"]),
                     f"Hodges–Lehmann ({CI})": fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"], digits),
                     f"MMRM ({CI})": fmt_estimate_ci(mmrm["estimate"], mmrm["ci_low"], mmrm["ci_high"], digits)})
    columns = ["Analysis set", "n", f"Mean change ({CI})", "p (t)", f"Hodges–Lehmann ({CI})", f"MMRM ({CI})"]
    return pd.DataFrame(rows, columns=columns)


def responder_table(ard: pd.DataFrame, study: Study) -> pd.DataFrame:
    """The responder rows of the ARD: endpoint, visit, set, definition, responders/n and % (Clopper–Pearson CI)."""
    rows = ard[(ard["method"] == "responder") & (ard["term"] == "proportion")]
    table = [{"Endpoint": display_label(study.endpoint(row["paramcd"]).param), "Visit": row["visit"],
              "Analysis set": analysis_set_label(row["population"]),
              "Definition": f"change ≥ {row['threshold']:g}",
              "Responders/n": fmt_fraction(row["count"], row["denominator"]),
              f"% ({CI})": fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])}
             for _, row in rows.iterrows()]
    return pd.DataFrame(table, columns=["Endpoint", "Visit", "Analysis set", "Definition", "Responders/n",
                                        f"% ({CI})"])

"""Sensitivity analyses (other analysis sets, informative missingness) and the responder analysis."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import analysis_set_label, set_records
from aidheart.analysis.plan import AnalysisPlan
from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint, Study
from aidheart.tables.ard_rows import display_label, one, select
from aidheart.tables.formatting import (
    fmt_count,
    fmt_estimate_ci,
    fmt_fraction,
    fmt_number,
    fmt_p,
    fmt_percent_ci,
)

CI = ci_label()


def sensitivity_table(ard: pd.DataFrame, endpoint: Endpoint, visit: str, plan: AnalysisPlan) -> pd.DataFrame:
    """One row per analysis set of the endpoint: pairs, mean change (CI), Hodges–Lehmann (CI), and the
    primary model's change (CI) at ``visit``.

    Sets without rows for the endpoint are left out.

    Returns
    -------
    DataFrame
        Columns ``Analysis set``, ``n``, ``Mean change (95% CI)``, ``Hodges–Lehmann (95% CI)``,
        ``<primary model> (95% CI)``.
    """
    digits = endpoint.digits
    model = plan.primary_model
    rows = []
    for population in endpoint.sets:
        keys = {"paramcd": endpoint.paramcd, "population": population, "visit": visit}
        t = one(ard, **keys, method="paired_t", term="mean_change")
        if pd.isna(t["n"]) and pd.isna(t["estimate"]):
            continue
        hl = one(ard, **keys, method="hodges_lehmann", term="pseudomedian")
        fit = one(ard, **keys, method=model.id, term="lsmean_change")
        rows.append({"Analysis set": analysis_set_label(population, endpoint), "n": fmt_count(t["n"]),
                     f"Mean change ({CI})": fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits),
                     f"Hodges–Lehmann ({CI})": fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"], digits),
                     f"{model.label} ({CI})": fmt_estimate_ci(fit["estimate"], fit["ci_low"], fit["ci_high"], digits)})
    columns = ["Analysis set", "n", f"Mean change ({CI})", f"Hodges–Lehmann ({CI})", f"{model.label} ({CI})"]
    return pd.DataFrame(rows, columns=columns)


def worst_rank_table(ard: pd.DataFrame, endpoint: Endpoint) -> pd.DataFrame:
    """The worst-rank composite of ``endpoint``: subjects per category (worst first) and the exact test.

    Returns
    -------
    DataFrame
        Columns ``Category``, ``Subjects``: one row per intercurrent event in the
        endpoint's order, then the observed changes, the subjects ranked, the
        signed-rank statistic V and its exact two-sided p. Empty without the analysis.
    """
    rows = select(ard, paramcd=endpoint.paramcd, method="worst_rank_composite")
    if rows.empty:
        return pd.DataFrame(columns=["Category", "Subjects"])
    test = one(rows, term="V")
    table = [(f"Left the study: {event.dcsreas}" if event.dcsreas else f"Test not done: {event.reasnd}",
              fmt_count(one(rows, term=f"count[{event.event}]")["estimate"])) for event in endpoint.worst_rank]
    table += [("Observed change", fmt_count(one(rows, term="count[observed]")["estimate"])),
              ("Subjects ranked", fmt_count(test["n"])),
              ("Signed-rank statistic V", fmt_number(test["statistic"], 1)),
              ("Exact two-sided p", fmt_p(test["p_value"]))]
    return pd.DataFrame(table, columns=["Category", "Subjects"])


def tipping_point_table(ard: pd.DataFrame, endpoint: Endpoint) -> pd.DataFrame:
    """The tipping-point analysis of ``endpoint``: the mean change (CI) over all subjects at each shift δ.

    Returns
    -------
    DataFrame
        Columns ``Shift δ of the missing changes``, ``Mean change (95% CI)``, in the
        order of the endpoint's ``tipping_point`` shifts. Empty without the analysis.
    """
    rows = select(ard, paramcd=endpoint.paramcd, method="tipping_point")
    table = []
    for delta in endpoint.tipping_point:
        row = one(rows, term=f"mean_change[delta={delta:g}]")
        table.append((fmt_number(delta, endpoint.digits),
                      fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], endpoint.digits)))
    return pd.DataFrame(table, columns=["Shift δ of the missing changes", f"Mean change ({CI})"])


def off_treatment_count(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, population: str,
                        visit: str) -> int:
    """Records of ``endpoint`` at ``visit`` in the analysis set ``population`` that are off treatment
    (ADEFF ``ONTRTFL`` not "Y"): the values the on-treatment sensitivity analysis leaves out."""
    records = set_records(adsl, bds, endpoint.paramcd, population)
    at_visit = records[(records["AVISIT"] == visit) & records["CHG"].notna()]
    return int((at_visit["ONTRTFL"] != "Y").sum())


def tipping_delta(ard: pd.DataFrame, endpoint: Endpoint) -> str:
    """The tipping point δ* of ``endpoint`` as text (endpoint digits), the missing mark when not estimable."""
    row = one(select(ard, paramcd=endpoint.paramcd, method="tipping_point"), term="delta_tipping")
    return fmt_number(row["estimate"], endpoint.digits)


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

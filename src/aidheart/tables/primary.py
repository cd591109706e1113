"""The paired analyses of one endpoint at one visit as a display table (the primary-endpoint table)."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import EFFECT_DIGITS, one, select
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_mean_sd, fmt_number, fmt_p

COLUMNS = ("Analysis", f"Estimate ({ci_label()})", "Test statistic", "p")


def paired_table(ard: pd.DataFrame, endpoint: Endpoint, population: str, visit: str, baseline: str) -> pd.DataFrame:
    """Every paired result of ``endpoint`` at ``visit`` against baseline, one display row per analysis.

    Parameters
    ----------
    ard : DataFrame
        The ARD (:func:`aidheart.io.read_ard`).
    endpoint : Endpoint
        The endpoint (its ``digits`` for values and changes).
    population, visit : str
        Analysis set and post-baseline visit.
    baseline : str
        The baseline visit's label.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: complete pairs; baseline and visit mean (SD); mean change with
        its t CI, t (df), p; Wilcoxon V and p; Hodges–Lehmann estimate with CI; Cohen's dz and
        Hedges' gz with CI; the bootstrap CI; the sign-flip permutation p. Missing values show
        as the missing mark.
    """
    digits = endpoint.digits
    rows = select(ard, paramcd=endpoint.paramcd, population=population, visit=visit)

    def get(method, term):
        return one(rows, method=method, term=term)

    summary = {term: get("summary", term) for term in ("mean_baseline", "sd_baseline", "mean_visit", "sd_visit")}
    t = get("paired_t", "mean_change")
    wilcoxon = get("wilcoxon_signed_rank", "V")
    hl = get("hodges_lehmann", "pseudomedian")
    dz, gz = get("cohen_dz", "dz"), get("hedges_gz", "gz")
    boot = get("bootstrap_mean_change", "mean_change")
    flip = get("sign_flip_permutation", "mean_change")
    table = [
        ("Complete pairs, n", fmt_count(t["n"]), "", ""),
        (f"{baseline}, mean (SD)", fmt_mean_sd(summary["mean_baseline"]["estimate"],
                                              summary["sd_baseline"]["estimate"], digits), "", ""),
        (f"{visit}, mean (SD)", fmt_mean_sd(summary["mean_visit"]["estimate"], summary["sd_visit"]["estimate"],
                                            digits), "", ""),
        ("Mean change, paired t", fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits),
         _t_text(t), fmt_p(t["p_value"])),
        ("Wilcoxon signed-rank" + _note(wilcoxon), "", f"V = {fmt_number(wilcoxon['statistic'], 0)}"
         if pd.notna(wilcoxon["statistic"]) else "", fmt_p(wilcoxon["p_value"])),
        ("Hodges–Lehmann estimate", fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"], digits), "", ""),
        ("Cohen's dz", fmt_estimate_ci(dz["estimate"], dz["ci_low"], dz["ci_high"], EFFECT_DIGITS), "", ""),
        ("Hedges' gz", fmt_estimate_ci(gz["estimate"], gz["ci_low"], gz["ci_high"], EFFECT_DIGITS), "", ""),
        ("Bootstrap mean change" + _note(boot), fmt_estimate_ci(boot["estimate"], boot["ci_low"], boot["ci_high"],
                                                                digits), "", ""),
        ("Sign-flip permutation" + _note(flip), "", "", fmt_p(flip["p_value"])),
    ]
    return pd.DataFrame(table, columns=list(COLUMNS))


def _t_text(row) -> str:
    if pd.isna(row["statistic"]):
        return ""
    return f"t = {fmt_number(row['statistic'], 2)}, df = {fmt_number(row['df'], 0)}"


def _note(row) -> str:
    note = str(row.get("note", "") or "")
    return f" ({note})" if note else ""


def change_interval(ard: pd.DataFrame, endpoint: Endpoint, population: str, visit: str) -> str:
    """The paired-t mean change with its CI as text (for sentences in a report)."""
    row = one(ard, paramcd=endpoint.paramcd, population=population, visit=visit, method="paired_t",
              term="mean_change")
    return fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], endpoint.digits)

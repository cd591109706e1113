"""Appendix: the other paired analyses of the plan (tests, robust and standardised estimates) at one visit.

The report shows one estimate per comparison in its body; these stay in the ARD and
are listed here, with their p-values, for the reader who wants them. Each row's label
says which computation applied, from the method itself, never from the ARD ``note``.
"""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import EFFECT_DIGITS, display_label, one, select
from aidheart.tables.formatting import MISSING, fmt_count, fmt_estimate_ci, fmt_number, fmt_p

COLUMNS = ("Analysis", f"Estimate ({ci_label()})", "Test statistic", "p")
#: Mark of the bootstrap row, explained under the table (its coverage at this sample size).
BOOTSTRAP_MARK = "†"
#: The signed-rank tests and their labels; the pre-specified one (config ``analysis.signed_rank_test``) is marked.
SIGNED_RANK = {"wilcoxon_pratt_exact": "Wilcoxon signed-rank, exact conditional, zeros by Pratt",
               "wilcoxon_signed_rank": "Wilcoxon signed-rank, R wilcox.test (normal approximation with ties or zeros)"}
#: The secondary endpoints' columns: method, term and heading.
SECONDARY_P = (("paired_t", "mean_change", "p (paired t)"),
               ("wilcoxon_pratt_exact", "V", "p (exact signed-rank)"),
               ("wilcoxon_signed_rank", "V", "p (wilcox.test)"),
               ("sign_flip_permutation", "mean_change", "p (sign-flip)"))


def _statistic(row, name: str, digits: int) -> str:
    return "" if pd.isna(row["statistic"]) else f"{name} = {fmt_number(row['statistic'], digits)}"


def other_tests_table(ard: pd.DataFrame, endpoint: Endpoint, population: str, visit: str, *,
                      signed_rank_test: str) -> pd.DataFrame:
    """Every other paired analysis of ``endpoint`` at ``visit``: one display row per method.

    Parameters
    ----------
    ard : DataFrame
        The ARD.
    endpoint : Endpoint
        Its ``digits`` for the estimates on the endpoint's scale.
    population, visit : str
        The analysis set and the post-baseline visit.
    signed_rank_test : str
        The pre-specified signed-rank method, marked "(pre-specified)".

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: complete pairs; paired t (t, df, p); both signed-rank
        tests (V, p); Hodges–Lehmann estimate (CI); Cohen's dz and Hedges' gz (CI); the
        bootstrap mean change (BCa CI, marked :data:`BOOTSTRAP_MARK`); the exact
        sign-flip permutation p. Missing results show the missing mark.
    """
    digits = endpoint.digits
    rows = select(ard, paramcd=endpoint.paramcd, population=population, visit=visit)

    def get(method, term):
        return one(rows, method=method, term=term)

    t = get("paired_t", "mean_change")
    hl, dz, gz = get("hodges_lehmann", "pseudomedian"), get("cohen_dz", "dz"), get("hedges_gz", "gz")
    boot, flip = get("bootstrap_mean_change", "mean_change"), get("sign_flip_permutation", "mean_change")
    t_text = "" if pd.isna(t["statistic"]) else (f"t = {fmt_number(t['statistic'], 2)}, "
                                                 f"df = {fmt_number(t['df'], 0)}")
    table = [("Complete pairs, n", fmt_count(t["n"]), "", ""),
             ("Mean change, paired t", fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits), t_text,
              fmt_p(t["p_value"]))]
    for method, label in SIGNED_RANK.items():
        test = get(method, "V")
        marked = f"{label} (pre-specified)" if method == signed_rank_test else label
        table.append((marked, "", _statistic(test, "V", 1), fmt_p(test["p_value"])))
    table += [
        ("Hodges–Lehmann estimate", fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"], digits), "", ""),
        ("Cohen's dz", fmt_estimate_ci(dz["estimate"], dz["ci_low"], dz["ci_high"], EFFECT_DIGITS), "", ""),
        ("Hedges' gz", fmt_estimate_ci(gz["estimate"], gz["ci_low"], gz["ci_high"], EFFECT_DIGITS), "", ""),
        (f"Bootstrap mean change, BCa interval{BOOTSTRAP_MARK}",
         fmt_estimate_ci(boot["estimate"], boot["ci_low"], boot["ci_high"], digits), "", ""),
        ("Sign-flip permutation, exact", "", "", fmt_p(flip["p_value"])),
    ]
    return pd.DataFrame(table, columns=list(COLUMNS))


def secondary_tests_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str, visit: str) -> pd.DataFrame:
    """The tests of each continuous endpoint at ``visit``: Hodges–Lehmann (CI) and the p of each test.

    Endpoints without a paired analysis at the visit are left out.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``n``, ``Hodges–Lehmann (95% CI)`` and the headings of :data:`SECONDARY_P`.
    """
    table = []
    for endpoint in endpoints:
        at = select(ard, paramcd=endpoint.paramcd, population=population, visit=visit)
        t = one(at, method="paired_t", term="mean_change")
        if pd.isna(t["n"]):
            continue
        hl = one(at, method="hodges_lehmann", term="pseudomedian")
        entry = {"Endpoint": display_label(endpoint.short_param), "n": fmt_count(t["n"]),
                 f"Hodges–Lehmann ({ci_label()})": fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"],
                                                                   endpoint.digits)}
        for method, term, heading in SECONDARY_P:
            entry[heading] = fmt_p(one(at, method=method, term=term)["p_value"])
        table.append(entry)
    columns = ["Endpoint", "n", f"Hodges–Lehmann ({ci_label()})", *(heading for *_, heading in SECONDARY_P)]
    return pd.DataFrame(table, columns=columns).fillna(MISSING)

"""Secondary endpoints at one visit, and geometric mean ratios, as display tables."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import EFFECT_DIGITS, display_label, one, select, visits_of
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_mean_sd, fmt_p

CI = ci_label()


def endpoint_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str, visit: str) -> pd.DataFrame:
    """One row per endpoint: pairs, baseline and visit mean (SD), mean change (CI), p, Hedges' gz.

    Endpoints without a paired analysis at ``visit`` (not collected there) are left out.

    Returns
    -------
    DataFrame
        Columns ``Endpoint`` (its ``PARAM``), ``n``, ``Baseline``, ``<visit>``, ``Mean change (95% CI)``,
        ``p (t)``, ``Hedges' gz (95% CI)``.
    """
    rows = []
    for endpoint in endpoints:
        at = select(ard, paramcd=endpoint.paramcd, population=population, visit=visit)
        if select(at, method="paired_t").empty:
            continue
        digits = endpoint.digits
        get = lambda method, term: one(at, method=method, term=term)  # noqa: E731
        t, gz = get("paired_t", "mean_change"), get("hedges_gz", "gz")
        rows.append({
            "Endpoint": display_label(endpoint.param),
            "n": fmt_count(t["n"]),
            "Baseline": fmt_mean_sd(get("summary", "mean_baseline")["estimate"],
                                    get("summary", "sd_baseline")["estimate"], digits),
            visit: fmt_mean_sd(get("summary", "mean_visit")["estimate"], get("summary", "sd_visit")["estimate"],
                               digits),
            f"Mean change ({CI})": fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits),
            "p (t)": fmt_p(t["p_value"]),
            f"Hedges' gz ({CI})": fmt_estimate_ci(gz["estimate"], gz["ci_low"], gz["ci_high"], EFFECT_DIGITS),
        })
    columns = ["Endpoint", "n", "Baseline", visit, f"Mean change ({CI})", "p (t)", f"Hedges' gz ({CI})"]
    return pd.DataFrame(rows, columns=columns)


def gmr_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str) -> pd.DataFrame:
    """Geometric mean ratio (visit / baseline) with its CI and p, per endpoint and visit.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``Visit``, ``n``, ``GMR (95% CI)``, ``p``.
    """
    rows = []
    for endpoint in endpoints:
        for visit in visits_of(ard, endpoint.paramcd, population, "gmr"):
            row = one(ard, paramcd=endpoint.paramcd, population=population, visit=visit, method="gmr",
                      term="geometric_mean_ratio")
            rows.append({"Endpoint": display_label(endpoint.param), "Visit": visit, "n": fmt_count(row["n"]),
                         f"GMR ({CI})": fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"],
                                                        EFFECT_DIGITS),
                         "p": fmt_p(row["p_value"])})
    return pd.DataFrame(rows, columns=["Endpoint", "Visit", "n", f"GMR ({CI})", "p"])

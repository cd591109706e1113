"""Secondary endpoints at one visit, geometric mean ratios, and the ordinal endpoints' shifts, as display tables."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import EFFECT_DIGITS, display_label, one, select, visits_of
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_fraction, fmt_mean_sd, fmt_percent_ci

CI = ci_label()


def endpoint_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str, visit: str) -> pd.DataFrame:
    """One row per endpoint: pairs, baseline and visit mean (SD), mean change (CI), Hedges' gz (CI).

    Endpoints without a paired analysis at ``visit`` (not collected there, or ordinal) are left out.

    Returns
    -------
    DataFrame
        Columns ``Endpoint`` (its ``PARAM``), ``n``, ``Baseline``, ``<visit>``, ``Mean change (95% CI)``,
        ``Hedges' gz (95% CI)``.
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
            f"Hedges' gz ({CI})": fmt_estimate_ci(gz["estimate"], gz["ci_low"], gz["ci_high"], EFFECT_DIGITS),
        })
    columns = ["Endpoint", "n", "Baseline", visit, f"Mean change ({CI})", f"Hedges' gz ({CI})"]
    return pd.DataFrame(rows, columns=columns)


def gmr_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str) -> pd.DataFrame:
    """Geometric mean ratio (visit / baseline) with its CI, per endpoint and visit.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``Visit``, ``n``, ``GMR (95% CI)``.
    """
    rows = []
    for endpoint in endpoints:
        for visit in visits_of(ard, endpoint.paramcd, population, "gmr"):
            row = one(ard, paramcd=endpoint.paramcd, population=population, visit=visit, method="gmr",
                      term="geometric_mean_ratio")
            rows.append({"Endpoint": display_label(endpoint.param), "Visit": visit, "n": fmt_count(row["n"]),
                         f"GMR ({CI})": fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"],
                                                        EFFECT_DIGITS)})
    return pd.DataFrame(rows, columns=["Endpoint", "Visit", "n", f"GMR ({CI})"])


def _level(value: float) -> str:
    return f"{value:g}"


def shift_display(ard: pd.DataFrame, endpoint: Endpoint, population: str, visit: str) -> pd.DataFrame:
    """The ordinal endpoint's shift table at ``visit``: subjects by baseline class (rows) x visit class (columns).

    Returns
    -------
    DataFrame
        Column ``Baseline`` (the class), one column per class at ``visit``, and ``Total``;
        counts of the complete pairs from the ARD's ``shift_table`` rows.
    """
    rows = select(ard, paramcd=endpoint.paramcd, population=population, visit=visit, method="shift_table")
    table = []
    for base in endpoint.levels:
        counts = [one(rows, term=f"count[baseline={_level(base)},visit={_level(post)}]")["estimate"]
                  for post in endpoint.levels]
        table.append({"Baseline": _level(base),
                      **{f"{visit}: {_level(post)}": fmt_count(count) for post, count in zip(endpoint.levels, counts)},
                      "Total": fmt_count(sum(counts))})
    return pd.DataFrame(table, columns=["Baseline", *(f"{visit}: {_level(post)}" for post in endpoint.levels), "Total"])


def improvement_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str) -> pd.DataFrame:
    """Per ordinal endpoint and visit: subjects improved by at least one class / complete pairs, % (exact CI).

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``Visit``, ``Improved/n``, ``% (95% CI)``.
    """
    table = []
    for endpoint in endpoints:
        for visit in visits_of(ard, endpoint.paramcd, population, "ordinal_improvement"):
            row = one(ard, paramcd=endpoint.paramcd, population=population, visit=visit,
                      method="ordinal_improvement", term="improved_ge1")
            table.append({"Endpoint": display_label(endpoint.short_param), "Visit": visit,
                          "Improved/n": fmt_fraction(row["count"], row["denominator"]),
                          f"% ({CI})": fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])})
    return pd.DataFrame(table, columns=["Endpoint", "Visit", "Improved/n", f"% ({CI})"])

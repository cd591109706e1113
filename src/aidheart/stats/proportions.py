"""Exact confidence intervals for a binomial proportion (Clopper-Pearson) and a Poisson rate (Garwood).

Both are statsmodels' (``proportion_confint(method="beta")``,
``confint_poisson(method="exact-c")``), which equal R's ``binom.test`` and
``poisson.test`` limits to 1e-15 relative on every reference row
(``tests/test_stats_proportions.py``).
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame



def clopper_pearson(x: int, n: int, *, method: str, term: str = "proportion") -> pd.DataFrame:
    """Proportion x/n with its exact (Clopper-Pearson) 95 % CI.

    Parameters
    ----------
    x, n : int
        Events and trials, 0 <= x <= n.
    method : str
        ARD ``method`` value chosen by the caller (``responder``, ``retention``, ...).
    term : str
        ARD ``term`` value.

    Returns
    -------
    pandas.DataFrame
        One row: ``estimate`` x/n, ``ci_low``, ``ci_high``, ``n`` trials; with n = 0
        the numbers are NaN and ``note`` says so.

    Notes
    -----
    Limits are beta quantiles: low = B⁻¹(0.025; x, n - x + 1) (0 when x = 0),
    high = B⁻¹(0.975; x + 1, n - x) (1 when x = n), as ``binom.test(x, n)$conf.int``.
    Missing data: the caller counts; subjects with an unknown outcome belong in
    neither x nor n unless the analysis imputes them.
    """
    if n == 0:
        return results_frame([result_row(method, term, n=0, note="no trials")])
    if not 0 <= x <= n:
        raise ValueError(f"need 0 <= x <= n, got x={x}, n={n}")
    low, high = proportion_confint(x, n, alpha=1 - CONFIDENCE_LEVEL, method="beta")
    return results_frame([result_row(method, term, n=n, estimate=x / n, ci_low=low, ci_high=high)])


def poisson_rate_ci(
    x: int, exposure: float, *, method: str = "poisson_rate", term: str = "rate"
) -> pd.DataFrame:
    """Event rate x/exposure with its exact (Garwood) 95 % CI.

    Parameters
    ----------
    x : int
        Number of events.
    exposure : float
        Total exposure (person-time, screening days, ...), > 0.
    method, term : str
        ARD ``method`` and ``term`` values.

    Returns
    -------
    pandas.DataFrame
        One row: ``estimate`` x/exposure, ``ci_low``, ``ci_high``; ``n`` is left
        missing (exposure is not a count) and ``note`` records x and the exposure.

    Notes
    -----
    Limits are gamma quantiles (equivalently χ²/2): low = G⁻¹(0.025; x) / T
    (0 when x = 0), high = G⁻¹(0.975; x + 1) / T, as ``poisson.test(x, T)$conf.int``.
    Missing data: the caller supplies complete counts and exposure.
    """
    if not exposure > 0:
        return results_frame([result_row(method, term, note=f"no exposure ({exposure})")])
    low, high = confint_poisson(x, exposure, method="exact-c", alpha=1 - CONFIDENCE_LEVEL)
    return results_frame([result_row(method, term, note=f"{x} events over exposure {exposure:g}",
                                     estimate=x / exposure, ci_low=low, ci_high=high)])

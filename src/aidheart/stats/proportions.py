"""Exact confidence intervals for a binomial proportion (Clopper-Pearson) and a Poisson rate (Garwood).

Both are beta and gamma quantiles, the limits statsmodels'
``proportion_confint(method="beta")`` and ``confint_poisson(method="exact-c")`` compute
with ``scipy.stats``; here from ``scipy.special``'s inverse incomplete beta and gamma
functions, which give the same floats (no difference on every x <= n < 400 and
x < 5000) without the import of statsmodels and ``scipy.stats`` (one to two seconds
of each report and analysis job). They equal R's ``binom.test`` and ``poisson.test``
limits to 1e-15 relative on every reference row (``tests/test_stats_proportions.py``).
"""

from __future__ import annotations

import pandas as pd
from scipy import special

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame

#: The probability in each tail of a two-sided interval.
TAIL = (1 - CONFIDENCE_LEVEL) / 2


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
    low = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, TAIL))
    high = 1.0 if x == n else float(special.betainccinv(x + 1, n - x, TAIL))
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
    low = 0.0 if x == 0 else float(special.gammaincinv(x, TAIL)) / exposure
    high = float(special.gammainccinv(x + 1, TAIL)) / exposure
    return results_frame([result_row(method, term, note=f"{x} events over exposure {exposure:g}",
                                     estimate=x / exposure, ci_low=low, ci_high=high)])

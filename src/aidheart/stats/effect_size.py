"""Standardised mean change: Cohen's dz and Hedges' gz with noncentral-t confidence intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame
from aidheart.stats.pairs import paired_differences
from aidheart.stats.roots import bracket, zeroin

NCP_TOL = 1e-12  # absolute tolerance on the noncentrality parameter


def _ncp_for(t_obs: float, df: int, probability: float) -> float:
    """The noncentrality ncp with P(T <= t_obs; df, ncp) = probability (decreasing in ncp)."""

    def excess(ncp: float) -> float:
        return special.nctdtr(df, ncp, t_obs) - probability

    lo, hi = bracket(excess, t_obs)
    return zeroin(excess, lo, hi, tol=NCP_TOL)


def _dz_with_ci(d: np.ndarray) -> tuple[dict | None, str]:
    """dz, its noncentral-t 95 % CI, t and df; None and a reason when undefined."""
    n = d.size
    if n < 2:
        return None, "fewer than 2 complete pairs"
    sd = float(np.std(d, ddof=1))
    if sd < 10 * np.finfo(float).eps * abs(float(np.mean(d))) or sd == 0:
        return None, "differences are constant (SD 0)"
    dz = float(np.mean(d)) / sd
    t_obs = dz * math.sqrt(n)
    df = n - 1
    tail = (1 - CONFIDENCE_LEVEL) / 2
    low = _ncp_for(t_obs, df, 1 - tail) / math.sqrt(n)
    high = _ncp_for(t_obs, df, tail) / math.sqrt(n)
    return {"estimate": dz, "ci_low": low, "ci_high": high, "statistic": t_obs, "df": df}, ""


def cohen_dz(baseline, visit) -> pd.DataFrame:
    """Cohen's dz: mean change over the SD of the changes, with a noncentral-t 95 % CI.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "cohen_dz"``, ``term = "dz"``: ``estimate`` dz,
        ``ci_low``/``ci_high``, ``statistic`` the paired t, ``df`` n - 1, ``n``
        complete pairs. Fewer than 2 pairs or constant differences: NaN and a ``note``.

    Notes
    -----
    dz = d̄ / s_d; t = dz·sqrt(n). The CI inverts the noncentral t distribution
    (Steiger & Fouladi 1997): ncp_L and ncp_U solve P(T ≤ t; n - 1, ncp) = 0.975
    and 0.025, and the limits are ncp / sqrt(n). Roots to 1e-12 absolute.
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    values, note = _dz_with_ci(d)
    return results_frame([result_row("cohen_dz", "dz", n=d.size, note=note, **(values or {}))])


def hedges_correction(df: float) -> float:
    """Hedges' small-sample factor J = Γ(df/2) / (sqrt(df/2) Γ((df - 1)/2))."""
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def hedges_gz(baseline, visit) -> pd.DataFrame:
    """Hedges' gz: Cohen's dz times the exact small-sample correction J, with CI.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "hedges_gz"``, ``term = "gz"``: ``estimate`` gz,
        ``ci_low``/``ci_high`` (the dz limits times J), ``statistic`` the paired t,
        ``df`` n - 1, ``n`` complete pairs. Fewer than 3 pairs (J needs df > 1) or
        constant differences: NaN and a ``note``.

    Notes
    -----
    gz = J·dz with J = Γ(df/2) / (sqrt(df/2) Γ((df - 1)/2)), df = n - 1 (Hedges
    1981); the CI is the noncentral-t interval of :func:`cohen_dz` scaled by J.
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    if d.size < 3:
        return results_frame([result_row("hedges_gz", "gz", n=d.size, note="fewer than 3 complete pairs")])
    values, note = _dz_with_ci(d)
    if values is not None:
        j = hedges_correction(values["df"])
        for key in ("estimate", "ci_low", "ci_high"):
            values[key] *= j
    return results_frame([result_row("hedges_gz", "gz", n=d.size, note=note, **(values or {}))])

"""Satterthwaite degrees of freedom for a linear contrast of REML fixed effects, and t inference.

For a contrast ``l' beta`` with variance ``v(theta) = l' Phi(theta) l``::

    df = 2 v^2 / (g' W g),   g_a = dv/dtheta_a = l' Phi Pt_a Phi l,

where ``W`` is the asymptotic covariance of the covariance parameters, the inverse of
the observed information ``-d2 logL / dtheta dtheta' = H / 2`` (``H`` the Hessian of
the criterion ``D`` of :mod:`aidheart.stats.reml`, REML or ML), so ``W = 2 H^-1``. At an
interior optimum ``df`` does not depend on how the covariance is parametrised
(``g -> J'g``, ``W -> J^-1 W J^-T``), so SAS's parameters used here give the df of
lmerTest (parameters ``theta``, ``sigma``) and of mmrm / SAS ``ddfm=satterthwaite``
(Cholesky factor or entries of ``Sigma``).

Parameters held on a bound (a zero subject variance) are left out of ``g`` and ``W``:
lmerTest's ``theta = sigma_b / sigma`` enters ``V`` squared, so at ``theta = 0`` the
gradient of ``v`` in ``theta`` and the cross terms of the Hessian vanish.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import stdtr, stdtrit

from aidheart.stats.ard import CONFIDENCE_LEVEL


def contrast_gradient(contrast: np.ndarray, phi: np.ndarray, pt: np.ndarray) -> np.ndarray:
    """``g_a = l' Phi Pt_a Phi l`` for every variance parameter ``a``."""
    phi_l = phi @ contrast
    return np.einsum("c,acd,d->a", phi_l, pt, phi_l)


def satterthwaite_df(
    contrast: np.ndarray,
    phi: np.ndarray,
    pt: np.ndarray,
    hessian: np.ndarray,
    free: np.ndarray | None = None,
) -> float:
    """Satterthwaite df of ``l' beta`` (``NaN`` if the information is not positive definite)."""
    if free is None:
        free = np.ones(len(hessian), dtype=bool)
    variance = float(contrast @ phi @ contrast)
    g = contrast_gradient(contrast, phi, pt)[free]
    h = hessian[np.ix_(free, free)]
    try:
        chol = np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return math.nan
    z = np.linalg.solve(chol, g)
    denominator = 2.0 * float(z @ z)
    if denominator <= 0:
        return math.inf
    return 2.0 * variance**2 / denominator


def t_inference(estimate: float, std_error: float, df: float, level: float = CONFIDENCE_LEVEL) -> dict:
    """``statistic = estimate / std_error``, two-sided ``p`` and ``level`` CI from ``t(df)``."""
    if not (np.isfinite(std_error) and std_error > 0 and df > 0):
        return {"estimate": estimate, "std_error": std_error, "df": df}
    statistic = estimate / std_error
    quantile = float(stdtrit(df, 0.5 + level / 2))
    return {
        "estimate": estimate,
        "std_error": std_error,
        "ci_low": estimate - quantile * std_error,
        "ci_high": estimate + quantile * std_error,
        "statistic": statistic,
        "df": df,
        "p_value": float(2.0 * stdtr(df, -abs(statistic))),
    }

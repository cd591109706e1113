"""Kenward-Roger adjusted covariance of the fixed effects (the df of a single contrast is Satterthwaite's).

With the symbols of :mod:`aidheart.stats.reml` (Kenward & Roger 1997; their ``P_a`` is
``-Pt_a`` here) and ``W`` the asymptotic covariance of ``theta``::

    Phi_A = Phi + 2 Phi [sum_ab W_ab (Q_ab - Pt_a Phi Pt_b - R_ab / 4)] Phi

- ``W = 2 H^-1`` with ``H`` the Hessian of ``D = -2 logL_R``: the observed information,
  as SAS PROC MIXED and R's mmrm use; pbkrtest (lmerTest ``ddf = "Kenward-Roger"``) uses
  the expected one, ``E_ab = tr(P G_a P G_b)``;
- ``R_ab = X' V^-1 G_ab V^-1 X`` is the second-derivative term. It depends on how the
  covariance is parametrised: in SAS's parameters (:mod:`aidheart.stats.covariance`)
  it vanishes for ``us`` and ``cs``, so there ``ddfm=kr`` and ``ddfm=kr(linear)`` agree.
  The *linear* variant leaves it out, which makes ``Phi_A`` parametrisation-free.

The denominator df of a single contrast ``l`` (Kenward & Roger's ``4 + (q + 2) / (q rho - 1)``
with ``q = 1``) reduces exactly to ``2 (l' Phi l)^2 / (g' W g)`` with ``g_a = l' Phi Pt_a Phi l``:
Satterthwaite's formula with the unadjusted ``Phi`` (:func:`aidheart.stats.satterthwaite.satterthwaite_df`).
The closed form is used because the general one is 0/0 at ``df = 2`` (where pbkrtest's
``.divZero`` returns 1 and gives 2 too).
"""

from __future__ import annotations

import numpy as np

from aidheart.stats.covariance import CovarianceStructure
from aidheart.stats.reml import Evaluation
from aidheart.stats.reml_data import PatternData, contract


def kr_weights(hessian: np.ndarray) -> np.ndarray:
    """``W = 2 H^-1`` (pseudo-inverse when the smallest |eigenvalue| is below 1e-10)."""
    eigenvalues = np.linalg.eigvalsh(hessian)
    if np.min(np.abs(eigenvalues)) > 1e-10:
        return 2.0 * np.linalg.inv(hessian)
    return 2.0 * np.linalg.pinv(hessian)


def kr_adjusted_covariance(
    data: PatternData, structure: CovarianceStructure, ev: Evaluation, weights: np.ndarray,
    *, linear: bool = False,
) -> np.ndarray:
    """``Phi_A`` at the evaluation ``ev``; without the ``R_ab`` term when ``linear``.

    The ``W``-weighted sums are contracted per pattern first (``sum_ab W_ab V^-1 G_a V^-1 G_b V^-1``),
    so no ``Q_ab`` is formed.
    """
    vinv, theta, phi = ev.vinv, ev.theta, ev.phi
    g = structure.first(theta)
    b = vinv[:, None] @ g[None] @ vinv[:, None]  # V^-1 G_a V^-1 per pattern
    gv = g[None] @ vinv[:, None]  # G_b V^-1 per pattern
    b_weighted = np.tensordot(b, weights, axes=([1], [0])).transpose(0, 3, 1, 2)  # sum_a W_ab B_a
    inner = contract((b_weighted @ gv).sum(axis=1), data.sxx)
    inner -= (np.tensordot(weights, ev.pt, axes=([0], [0])) @ phi @ ev.pt).sum(axis=0)
    second = None if linear else structure.second(theta)
    if second is not None:
        weighted_second = np.tensordot(weights, second, axes=([0, 1], [0, 1]))
        inner -= 0.25 * contract(vinv @ weighted_second[None] @ vinv, data.sxx)
    adjusted = phi + 2.0 * phi @ inner @ phi
    return (adjusted + adjusted.T) / 2


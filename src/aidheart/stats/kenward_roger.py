"""Kenward-Roger adjusted covariance and df, as pbkrtest (``vcovAdj``, ``Lb_ddf``) computes them.

For a covariance linear in its parameters (``dV/dsigma_a = G_a``, second derivatives
zero) and the symbols of :mod:`aidheart.stats.reml`:

- ``W = 2 E^-1``, with ``E_ab = tr(P G_a P G_b)`` (twice the expected REML information;
  pbkrtest's ``IE2``); a generalised inverse if ``E`` is near singular, as pbkrtest;
- ``U = sum_ab W_ab (Q_ab - Pt_a Phi Pt_b)`` and the adjusted covariance
  ``Phi_A = Phi + 2 Phi U Phi`` (the ``R_ab`` term vanishes for a linear structure);
- for ``L`` with ``q`` rows, ``Theta = L' (L Phi L')^-1 L``, ``u_a = Theta Phi Pt_a Phi``,
  ``A1 = sum_ab W_ab tr(u_a) tr(u_b)``, ``A2 = sum_ab W_ab tr(u_a u_b)`` and the scaled-F
  denominator df ``4 + (q + 2) / (q rho - 1)`` of Kenward & Roger (1997); only ``q = 1`` is
  implemented, where this is ``2 (l' Phi l)^2 / (g' W g)``: Satterthwaite's formula with the
  expected information and the unadjusted ``Phi``.

pbkrtest uses the unadjusted ``Phi`` (lme4's ``vcov``) for the df and ``Phi_A`` for the
standard error; lmerTest's ``ddf = "Kenward-Roger"`` reports exactly these.
"""

from __future__ import annotations

import numpy as np


def kr_weights(expected_hessian: np.ndarray) -> np.ndarray:
    """``W = 2 E^-1`` (pseudo-inverse when the smallest |eigenvalue| is below 1e-10)."""
    eigenvalues = np.linalg.eigvalsh(expected_hessian)
    if np.min(np.abs(eigenvalues)) > 1e-10:
        return 2.0 * np.linalg.inv(expected_hessian)
    return 2.0 * np.linalg.pinv(expected_hessian)


def kr_adjusted_covariance(phi: np.ndarray, pt: np.ndarray, q: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``Phi_A = Phi + 2 Phi [sum_ab W_ab (Q_ab - Pt_a Phi Pt_b)] Phi``."""
    pt_phi_pt = np.einsum("acd,de,bef->abcf", pt, phi, pt)
    u = np.einsum("ab,abcd->cd", weights, q - pt_phi_pt)
    adjusted = phi + 2.0 * phi @ u @ phi
    return (adjusted + adjusted.T) / 2


def kr_df(contrast: np.ndarray, phi: np.ndarray, pt: np.ndarray, weights: np.ndarray) -> float:
    """pbkrtest's ``Lb_ddf(L, V0 = Phi, Vadj)`` for a single contrast ``l``.

    With one row, ``A1 = A2 = g' W g / v^2`` (``v = l' Phi l``, ``g_a = l' Phi Pt_a Phi l``) and
    Kenward & Roger's ``4 + (q + 2) / (q rho - 1)`` reduces exactly to ``2 v^2 / (g' W g)``.
    The closed form is used because the general one is 0/0 at ``df = 2`` (where pbkrtest's
    ``.divZero`` returns 1 and so gives 2 as well).
    """
    phi_l = phi @ contrast
    g = np.einsum("c,acd,d->a", phi_l, pt, phi_l)
    return 2.0 * float(contrast @ phi_l) ** 2 / float(g @ weights @ g)

"""Within-subject covariance structures that are linear in their parameters.

A structure over ``K`` visits is a stack of symmetric basis matrices
``G`` (shape ``A x K x K``); the covariance for parameters ``sigma`` (length ``A``) is

    Sigma(sigma) = sum_a sigma_a G_a,

and a subject observed at the visits ``S`` has ``V_i = Sigma[S, S]``. Both models
of the analysis plan are of this form, which makes every derivative the REML code
needs exact and cheap (``dV/dsigma_a = G_a``, second derivatives zero):

- random intercept (``AVAL ~ visit + (1 | subject)``): ``sigma = (sigma_b^2, sigma^2)``,
  ``G = (J, I)``, so ``V_i = sigma^2 I + sigma_b^2 J`` (compound symmetry, ``sigma_b^2 >= 0``);
- unstructured (MMRM): one parameter per entry ``Sigma_jk``, ``j <= k``, with
  ``G = E_jk + E_kj`` (``E_jj`` on the diagonal); ``Sigma`` must be positive definite.
"""

from __future__ import annotations

import numpy as np


def random_intercept_basis(n_visits: int) -> np.ndarray:
    """Basis ``(J, I)`` for ``V = sigma_b^2 J + sigma^2 I``; shape ``2 x K x K``."""
    return np.stack([np.ones((n_visits, n_visits)), np.eye(n_visits)])


def unstructured_pairs(n_visits: int) -> list[tuple[int, int]]:
    """The ``(j, k)``, ``j <= k``, 0-based, in the order of the unstructured parameters (row-major)."""
    return [(j, k) for j in range(n_visits) for k in range(j, n_visits)]


def unstructured_basis(n_visits: int) -> np.ndarray:
    """Basis ``E_jk + E_kj`` (``E_jj`` for ``j == k``) in :func:`unstructured_pairs` order."""
    pairs = unstructured_pairs(n_visits)
    basis = np.zeros((len(pairs), n_visits, n_visits))
    for a, (j, k) in enumerate(pairs):
        basis[a, j, k] = basis[a, k, j] = 1.0
    return basis


def unstructured_parameters(sigma: np.ndarray) -> np.ndarray:
    """The entries ``Sigma_jk``, ``j <= k``, of a covariance matrix in parameter order."""
    return np.array([sigma[j, k] for j, k in unstructured_pairs(sigma.shape[0])])


def covariance_matrix(basis: np.ndarray, parameters: np.ndarray) -> np.ndarray:
    """``Sigma = sum_a parameters_a basis_a``."""
    return np.tensordot(parameters, basis, axes=1)


def pairwise_covariance(residuals: np.ndarray, ddof: int) -> np.ndarray:
    """A positive-definite starting covariance from a subjects x visits residual array.

    Entry ``(j, k)`` is the mean cross-product over subjects observed at both visits
    (``NaN`` = not observed), variances divided by ``n_j - ddof``. If the pairwise matrix
    is not positive definite the correlations are shrunk towards zero until it is.
    """
    observed = ~np.isnan(residuals)
    filled = np.where(observed, residuals, 0.0)
    counts = observed.T.astype(float) @ observed.astype(float)
    cross = filled.T @ filled
    variances = np.diag(cross) / np.maximum(np.diag(counts) - ddof, 1.0)
    variances = np.where(variances > 0, variances, max(float(np.nanmax(variances, initial=0.0)), 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        covariance = np.where(counts > 1, cross / np.maximum(counts, 1.0), 0.0)
    scale = np.sqrt(variances)
    correlation = covariance / np.outer(scale, scale)
    np.fill_diagonal(correlation, 1.0)
    correlation = np.clip(correlation, -0.95, 0.95)
    np.fill_diagonal(correlation, 1.0)
    for shrink in (1.0, 0.8, 0.5, 0.2, 0.0):
        candidate = shrink * correlation + (1 - shrink) * np.eye(len(scale))
        if np.linalg.eigvalsh(candidate).min() > 1e-6:
            break
    return candidate * np.outer(scale, scale)

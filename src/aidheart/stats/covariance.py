"""Within-subject covariance structures over ``K`` ordered visits, with their derivatives.

Each structure maps a parameter vector ``theta`` (length ``A``) to the ``K x K``
covariance ``Sigma(theta)`` and gives ``dSigma/dtheta`` (``A x K x K``) and
``d2Sigma/dtheta dtheta'`` (``A x A x K x K``, ``None`` when ``Sigma`` is linear in
``theta``). A subject seen at the visits ``S`` has ``V_i = Sigma[S, S]``.

The parameters are SAS PROC MIXED's (``REPEATED / TYPE=...``), variances rather than
standard deviations, because the Kenward-Roger adjustment with its second-derivative
term depends on the parametrisation and SAS's is the one its listings are in
(for ``us`` and ``cs`` that term vanishes). Names as R's mmrm spells them:

- ``us`` (SAS ``UN``): one parameter per entry ``Sigma_jk``, ``j <= k``, row-major;
- ``cs`` (``CS``): ``(c, s2)`` with ``Sigma = c J + s2 I`` (``c`` may be negative);
- ``ar1`` (``AR(1)``): ``(rho, s2)`` with ``Sigma_jk = s2 rho^|j-k|``, ``|rho| < 1``;
- ``csh`` (``CSH``): ``(v_1..v_K, rho)`` with ``Sigma_jk = sqrt(v_j v_k) rho`` off the diagonal;
- ``toeph`` (``TOEPH``): ``(v_1..v_K, rho_1..rho_{K-1})`` with
  ``Sigma_jk = sqrt(v_j v_k) rho_|j-k|``.

Every structure also needs ``Sigma`` positive definite; the optimiser enforces that.
"""

from __future__ import annotations

import numpy as np

STRUCTURES = ("us", "cs", "ar1", "csh", "toeph")


class CovarianceStructure:
    """Base: ``n_parameters``, ``matrix``, ``first``, ``second``, ``admissible``, ``start``."""

    name = ""
    min_visits = 1

    def __init__(self, n_visits: int):
        if n_visits < self.min_visits:
            raise ValueError(f"covariance {self.name} needs at least {self.min_visits} visits, got {n_visits}")
        self.n_visits = n_visits

    n_parameters: int

    def matrix(self, theta: np.ndarray) -> np.ndarray:
        """``Sigma(theta)``, ``K x K``."""
        raise NotImplementedError

    def first(self, theta: np.ndarray) -> np.ndarray:
        """``dSigma/dtheta_a``, ``A x K x K``."""
        raise NotImplementedError

    def second(self, theta: np.ndarray) -> np.ndarray | None:
        """``d2Sigma/dtheta_a dtheta_b``, ``A x A x K x K``; ``None`` when ``Sigma`` is linear."""
        return None

    def admissible(self, theta: np.ndarray) -> bool:
        """Parameters inside their box (variances positive, ``|rho| < 1``); PD is checked apart."""
        return True

    def start(self, moment: np.ndarray) -> np.ndarray:
        """Starting parameters from a positive-definite moment estimate of ``Sigma``."""
        raise NotImplementedError


class LinearStructure(CovarianceStructure):
    """``Sigma = sum_a theta_a G_a`` for a fixed stack ``basis`` of symmetric ``G_a``."""

    basis: np.ndarray

    @property
    def n_parameters(self) -> int:
        return len(self.basis)

    def matrix(self, theta):
        return np.tensordot(theta, self.basis, axes=1)

    def first(self, theta):
        return self.basis


class Unstructured(LinearStructure):
    """``us``: ``G_a = E_jk + E_kj`` over ``j <= k`` (``E_jj`` on the diagonal)."""

    name = "us"

    def __init__(self, n_visits: int):
        super().__init__(n_visits)
        self.pairs = [(j, k) for j in range(n_visits) for k in range(j, n_visits)]
        basis = np.zeros((len(self.pairs), n_visits, n_visits))
        for a, (j, k) in enumerate(self.pairs):
            basis[a, j, k] = basis[a, k, j] = 1.0
        self.basis = basis

    def start(self, moment):
        return np.array([moment[j, k] for j, k in self.pairs])


class CompoundSymmetry(LinearStructure):
    """``cs``: ``Sigma = c J + s2 I``, ``theta = (c, s2)``."""

    name = "cs"
    min_visits = 2

    def __init__(self, n_visits: int):
        super().__init__(n_visits)
        self.basis = np.stack([np.ones((n_visits, n_visits)), np.eye(n_visits)])

    def admissible(self, theta):
        return theta[1] > 0

    def start(self, moment):
        k = self.n_visits
        covariance = (moment.sum() - np.trace(moment)) / (k * (k - 1))
        variance = np.trace(moment) / k
        covariance = min(covariance, 0.9 * variance)
        return np.array([covariance, variance - covariance])


class AutoRegressive(CovarianceStructure):
    """``ar1``: ``Sigma_jk = s2 rho^d``, ``d = |j - k|``, ``theta = (rho, s2)``."""

    name = "ar1"
    min_visits = 2
    n_parameters = 2

    def __init__(self, n_visits: int):
        super().__init__(n_visits)
        index = np.arange(n_visits)
        self.lag = np.abs(index[:, None] - index[None, :])

    def _power(self, rho, exponent):
        # rho^e for e >= 0, and 0 where the coefficient in front of it vanishes (e < 0)
        return np.where(exponent >= 0, rho ** np.maximum(exponent, 0), 0.0)

    def matrix(self, theta):
        rho, s2 = theta
        return s2 * self._power(rho, self.lag)

    def first(self, theta):
        rho, s2 = theta
        d = self.lag
        return np.stack([s2 * d * self._power(rho, d - 1), self._power(rho, d)])

    def second(self, theta):
        rho, s2 = theta
        d = self.lag
        cross = d * self._power(rho, d - 1)
        out = np.zeros((2, 2, self.n_visits, self.n_visits))
        out[0, 0] = s2 * d * (d - 1) * self._power(rho, d - 2)
        out[0, 1] = out[1, 0] = cross
        return out

    def admissible(self, theta):
        return abs(theta[0]) < 1 and theta[1] > 0

    def start(self, moment):
        scale = np.sqrt(np.diag(moment))
        correlation = moment / np.outer(scale, scale)
        rho = float(np.mean(np.diag(correlation, 1)))
        return np.array([np.clip(rho, -0.9, 0.9), float(np.mean(np.diag(moment)))])


class HeterogeneousCorrelation(CovarianceStructure):
    """``Sigma = D C(rho) D``, ``D = diag(sqrt(v))``, ``C = I + sum_r rho_r T_r`` (``T_r`` zero diagonal).

    ``theta = (v_1..v_K, rho_1..rho_R)``. With ``s = sqrt(v)`` and ``S = s s'``:
    ``dSigma/dv_m = C o dS/dv_m``, ``dS_jk/dv_m = (delta_jm s_k + delta_km s_j) / (2 s_m)``;
    ``dSigma/drho_r = S o T_r``; second derivatives ``C o d2S/dv_m dv_n``,
    ``T_r o dS/dv_m``, and zero in ``rho`` twice.
    """

    min_visits = 2

    def __init__(self, n_visits: int, correlation_basis: np.ndarray):
        super().__init__(n_visits)
        self.correlation_basis = correlation_basis
        self.n_parameters = n_visits + len(correlation_basis)

    def _split(self, theta):
        k = self.n_visits
        return np.sqrt(theta[:k]), theta[k:]

    def _correlation(self, rho):
        return np.eye(self.n_visits) + np.tensordot(rho, self.correlation_basis, axes=1)

    def _scale_first(self, s):
        """``dS/dv_m`` for every ``m``: ``K x K x K``."""
        k = self.n_visits
        eye = np.eye(k)
        return (eye[:, :, None] * s[None, None, :] + eye[:, None, :] * s[None, :, None]) / (2 * s[:, None, None])

    def matrix(self, theta):
        s, rho = self._split(theta)
        return np.outer(s, s) * self._correlation(rho)

    def first(self, theta):
        s, rho = self._split(theta)
        scale = self._scale_first(s)
        return np.concatenate([scale * self._correlation(rho)[None], np.outer(s, s)[None] * self.correlation_basis])

    def second(self, theta):
        s, rho = self._split(theta)
        k, a = self.n_visits, self.n_parameters
        out = np.zeros((a, a, k, k))
        correlation = self._correlation(rho)
        for m in range(k):
            for n in range(k):
                d2 = np.zeros((k, k))
                if m == n:
                    # d2 sqrt(v_j v_m) / dv_m^2 = -s_j / (4 s_m^3) for j != m; zero on the diagonal
                    d2[m, :] = d2[:, m] = -s / (4 * s[m] ** 3)
                    d2[m, m] = 0.0
                else:
                    d2[m, n] = d2[n, m] = 1.0 / (4 * s[m] * s[n])
                out[m, n] = correlation * d2
        scale = self._scale_first(s)
        for r, band in enumerate(self.correlation_basis):
            out[:k, k + r] = out[k + r, :k] = scale * band[None]
        return out

    def admissible(self, theta):
        rho = theta[self.n_visits:]
        return bool(np.all(theta[: self.n_visits] > 0) and np.all(np.abs(rho) < 1))

    def _start_correlation(self, correlation):
        raise NotImplementedError

    def start(self, moment):
        variances = np.diag(moment).copy()
        scale = np.sqrt(variances)
        rho = self._start_correlation(moment / np.outer(scale, scale))
        for shrink in (1.0, 0.8, 0.5, 0.2, 0.0):
            if np.linalg.eigvalsh(self._correlation(shrink * rho)).min() > 1e-3:
                break
        return np.concatenate([variances, shrink * rho])


class HeterogeneousCompoundSymmetry(HeterogeneousCorrelation):
    """``csh``: one correlation ``rho`` between every two visits, a variance per visit."""

    name = "csh"

    def __init__(self, n_visits: int):
        super().__init__(n_visits, (np.ones((n_visits, n_visits)) - np.eye(n_visits))[None])

    def _start_correlation(self, correlation):
        k = self.n_visits
        return np.array([(correlation.sum() - k) / (k * (k - 1))])


class HeterogeneousToeplitz(HeterogeneousCorrelation):
    """``toeph``: correlation ``rho_d`` between visits ``d`` apart, a variance per visit."""

    name = "toeph"
    min_visits = 1

    def __init__(self, n_visits: int):
        index = np.arange(n_visits)
        lag = np.abs(index[:, None] - index[None, :])
        bands = [(lag == d).astype(float) for d in range(1, n_visits)]
        super().__init__(n_visits, np.stack(bands) if bands else np.zeros((0, n_visits, n_visits)))

    def _start_correlation(self, correlation):
        return np.array([np.mean(np.diag(correlation, d)) for d in range(1, self.n_visits)])


_CLASSES = {
    "us": Unstructured,
    "cs": CompoundSymmetry,
    "ar1": AutoRegressive,
    "csh": HeterogeneousCompoundSymmetry,
    "toeph": HeterogeneousToeplitz,
}


def covariance_structure(name: str, n_visits: int) -> CovarianceStructure:
    """The structure called ``name`` (one of :data:`STRUCTURES`) over ``n_visits`` visits.

    Raises ``ValueError`` for an unknown name or too few visits for the structure.
    """
    if name not in _CLASSES:
        raise ValueError(f"unknown covariance structure {name!r}; use one of {', '.join(STRUCTURES)}")
    return _CLASSES[name](n_visits)


def pairwise_covariance(cross: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """A positive-definite starting covariance from residual cross-product sums.

    ``cross[j, k]`` is the sum of ``r_j r_k`` over subjects seen at both visits and
    ``counts[j, k]`` their number. Variances are ``cross_jj / counts_jj``; a correlation is
    set to zero where fewer than two subjects share the visits, clipped to +-0.95, and all
    are shrunk towards zero until the matrix is positive definite.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        variances = np.diag(cross) / np.maximum(np.diag(counts), 1.0)
    fallback = max(float(np.max(variances, initial=0.0)), 1.0)
    variances = np.where(variances > 0, variances, fallback)
    scale = np.sqrt(variances)
    with np.errstate(invalid="ignore", divide="ignore"):
        covariance = np.where(counts > 1, cross / np.maximum(counts, 1.0), 0.0)
    correlation = np.clip(covariance / np.outer(scale, scale), -0.95, 0.95)
    np.fill_diagonal(correlation, 1.0)
    for shrink in (1.0, 0.8, 0.5, 0.2, 0.0):
        candidate = shrink * correlation + (1 - shrink) * np.eye(len(scale))
        if np.linalg.eigvalsh(candidate).min() > 1e-6:
            break
    return candidate * np.outer(scale, scale)

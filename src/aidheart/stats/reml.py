"""REML for linear models with a covariance linear in its parameters, batched by pattern.

Model: ``y_i = X_i beta + e_i``, ``e_i ~ N(0, V_i)``, independent subjects, with
``V_i = Sigma(sigma)[S_i, S_i]`` and ``Sigma(sigma) = sum_a sigma_a G_a``
(:mod:`aidheart.stats.covariance`). With ``N`` observations and ``q = rank(X)``:

- GLS for given ``sigma``: ``Phi = (sum_i X_i' V_i^-1 X_i)^-1`` and
  ``beta(sigma) = Phi sum_i X_i' V_i^-1 y_i``; residuals ``r_i = y_i - X_i beta``.
- The REML criterion (minus twice the restricted log-likelihood)::

      D(sigma) = sum_i log|V_i| + log|X' V^-1 X| + sum_i r_i' V_i^-1 r_i + (N - q) log(2 pi)

  (the restricted log-likelihood reported is ``-D/2``, the convention of lme4 and mmrm).
- With ``P = V^-1 - V^-1 X Phi X' V^-1`` (so ``P y = V^-1 r``) and ``dV/dsigma_a = G_a``::

      dD/dsigma_a          = tr(P G_a) - r' V^-1 G_a V^-1 r
      d2D/dsigma_a dsigma_b = -tr(P G_a P G_b) + 2 y' P G_a P G_b P y

  and, writing ``Pt_a = X' V^-1 G_a V^-1 X`` and ``Q_ab = X' V^-1 G_a V^-1 G_b V^-1 X``,
  ``tr(P G_a P G_b) = sum_i tr(V_i^-1 G_a V_i^-1 G_b) - 2 tr(Phi Q_ab) + tr(Phi Pt_a Phi Pt_b)``
  (this is also the expected Hessian used by Fisher scoring and Kenward-Roger), and
  ``y' P G_a P G_b P y = sum_i u_i' G_a V_i^-1 G_b u_i - w_a' Phi w_b`` with ``u_i = V_i^-1 r_i``,
  ``w_a = sum_i X_i' V_i^-1 G_a u_i``. Finally ``dPhi/dsigma_a = Phi Pt_a Phi``.

Every sum over subjects is a contraction of the pattern sums of
:mod:`aidheart.stats.reml_data` with a per-pattern ``m x m`` matrix, so no step loops
over subjects. :func:`fit_reml` minimises ``D`` by (projected) Newton-Raphson in
``sigma`` with the analytic Hessian, falling back to Fisher scoring where the Hessian
is not positive definite, with backtracking that keeps every ``V_i`` positive definite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aidheart.stats.covariance import covariance_matrix
from aidheart.stats.reml_data import PatternData

LOG_2PI = math.log(2 * math.pi)


@dataclass(frozen=True)
class RemlEvaluation:
    """``D`` and what derives from it at one ``sigma`` (see the module notes for symbols)."""

    sigma: np.ndarray
    objective: float
    beta: np.ndarray
    phi: np.ndarray
    gradient: np.ndarray | None = None
    hessian: np.ndarray | None = None
    expected_hessian: np.ndarray | None = None
    pt: np.ndarray | None = None
    q: np.ndarray | None = None

    @property
    def loglik(self) -> float:
        """Restricted log-likelihood ``-D/2``."""
        return -0.5 * self.objective


class NotEstimable(ValueError):
    """``X' V^-1 X`` is singular: the fixed effects are not all estimable."""


def _inverse_pd(matrix: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Inverse and log-determinant of a positive-definite matrix, or ``None``."""
    try:
        chol = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(chol)):
        return None
    chol_inv = np.linalg.inv(chol)
    return chol_inv.T @ chol_inv, 2.0 * float(np.log(np.diag(chol)).sum())


def evaluate(data: PatternData, basis: np.ndarray, sigma: np.ndarray, *, order: int = 2):
    """``D`` (``order`` 0), with gradient (1) and Hessians and derivative terms (2).

    Returns ``None`` when ``Sigma`` is not positive definite; raises
    :class:`NotEstimable` when ``X' V^-1 X`` is singular.
    """
    full = covariance_matrix(basis, sigma)
    if _inverse_pd(full) is None:  # Sigma itself, not only its observed blocks, must be PD
        return None
    n_coef = data.n_coef
    xtvx = np.zeros((n_coef, n_coef))
    xtvy = np.zeros(n_coef)
    logdet = 0.0
    inverses = []
    for pattern in data.patterns:
        inverse = _inverse_pd(full[np.ix_(pattern.visits, pattern.visits)])
        if inverse is None:
            return None
        vinv, pattern_logdet = inverse
        inverses.append(vinv)
        logdet += pattern.n * pattern_logdet
        xtvx += np.einsum("st,stab->ab", vinv, pattern.sxx)
        xtvy += np.einsum("st,sta->a", vinv, pattern.sxy)
    scale = np.sqrt(np.diag(xtvx))
    if not np.all(scale > 0):
        raise NotEstimable("a fixed effect has no information")
    inverse = _inverse_pd(xtvx / np.outer(scale, scale))
    if inverse is None or np.linalg.cond(xtvx / np.outer(scale, scale)) > 1e12:
        raise NotEstimable("X' V^-1 X is singular")
    phi = inverse[0] / np.outer(scale, scale)
    logdet_xtvx = inverse[1] + 2.0 * float(np.log(scale).sum())
    beta = phi @ xtvy
    n_par = len(sigma)
    quad = 0.0
    grad = np.zeros(n_par)
    pt = np.zeros((n_par, n_coef, n_coef))
    q = np.zeros((n_par, n_par, n_coef, n_coef))
    ktrace = np.zeros((n_par, n_par))
    quad2 = np.zeros((n_par, n_par))
    w = np.zeros((n_par, n_coef))
    for pattern, vinv in zip(data.patterns, inverses):
        sxr = pattern.sxy - np.einsum("stab,b->sta", pattern.sxx, beta)
        xb_y = np.einsum("sta,a->st", pattern.sxy, beta)
        rr = pattern.syy - xb_y - xb_y.T + np.einsum("a,stab,b->st", beta, pattern.sxx, beta)
        quad += float(np.sum(vinv * rr))
        if order < 1:
            continue
        g = basis[:, pattern.visits][:, :, pattern.visits]
        b = vinv @ g @ vinv
        pt += np.einsum("ast,stcd->acd", b, pattern.sxx)
        grad += pattern.n * np.einsum("st,ats->a", vinv, g) - np.einsum("ast,ts->a", b, rr)
        if order < 2:
            continue
        m = np.matmul(b[:, None], np.matmul(g, vinv)[None, :])
        q += np.einsum("abst,stcd->abcd", m, pattern.sxx, optimize=True)
        ktrace += pattern.n * np.einsum("ast,bts->ab", b, g)
        quad2 += np.einsum("abst,ts->ab", m, rr)
        w += np.einsum("ast,stc->ac", b, sxr)
    objective = logdet + logdet_xtvx + quad + (data.n_obs - n_coef) * LOG_2PI
    beta_full = data.offset + beta
    if order < 1:
        return RemlEvaluation(sigma=sigma, objective=objective, beta=beta_full, phi=phi)
    grad -= np.einsum("cd,adc->a", phi, pt)
    if order < 2:
        return RemlEvaluation(
            sigma=sigma, objective=objective, beta=beta_full, phi=phi, gradient=grad, pt=pt
        )
    phi_pt = np.einsum("cd,ade->ace", phi, pt)
    expected = ktrace - 2 * np.einsum("cd,abdc->ab", phi, q) + np.einsum("ace,bec->ab", phi_pt, phi_pt)
    hessian = -expected + 2 * (quad2 - w @ phi @ w.T)
    return RemlEvaluation(
        sigma=sigma,
        objective=objective,
        beta=beta_full,
        phi=phi,
        gradient=grad,
        hessian=(hessian + hessian.T) / 2,
        expected_hessian=(expected + expected.T) / 2,
        pt=pt,
        q=q,
    )


SINGULAR = "singular covariance: the restricted likelihood increases towards a singular Sigma"


def _smallest_correlation_eigenvalue(basis: np.ndarray, sigma: np.ndarray) -> float:
    full = covariance_matrix(basis, sigma)
    scale = np.sqrt(np.diag(full))
    return float(np.linalg.eigvalsh(full / np.outer(scale, scale)).min())


@dataclass(frozen=True)
class RemlFit:
    """The optimum: its evaluation, which parameters sit on their lower bound, convergence."""

    evaluation: RemlEvaluation
    active: np.ndarray
    converged: bool
    iterations: int
    message: str = ""


def _direction(ev: RemlEvaluation, free: np.ndarray) -> np.ndarray:
    """Newton step on the free parameters; Fisher scoring if the Hessian is not PD."""
    step = np.zeros_like(ev.gradient)
    g = ev.gradient[free]
    for matrix in (ev.hessian, ev.expected_hessian):
        sub = matrix[np.ix_(free, free)]
        try:
            chol = np.linalg.cholesky(sub)
        except np.linalg.LinAlgError:
            continue
        step[free] = -np.linalg.solve(chol.T, np.linalg.solve(chol, g))
        return step
    diag = np.abs(np.diag(ev.expected_hessian)[free])
    step[free] = -g / np.where(diag > 0, diag, 1.0)
    return step


def fit_reml(
    data: PatternData,
    basis: np.ndarray,
    start: np.ndarray,
    *,
    lower: np.ndarray | None = None,
    tol: float = 1e-11,
    max_iter: int = 100,
) -> RemlFit:
    """Minimise ``D`` over ``sigma`` (``sigma >= lower`` where ``lower`` is finite).

    Projected Newton-Raphson: parameters on their bound with a gradient pushing
    outwards are held there; the others take a Newton (or Fisher-scoring) step,
    halved until ``D`` decreases (Armijo) with every ``V_i`` positive definite.
    Stops (not converged, message :data:`SINGULAR`) once the correlation matrix of
    ``Sigma`` has an eigenvalue below 1e-10: the criterion is then heading to minus
    infinity on the boundary; stops likewise after three steps without progress.
    Converged when a full step changes no parameter by more than ``tol`` times the
    largest parameter (or the Newton decrement is below ``1e-14`` relative).
    """
    if lower is None:
        lower = np.full(len(start), -np.inf)
    sigma = np.maximum(np.asarray(start, dtype=float), lower)
    ev = evaluate(data, basis, sigma)
    if ev is None:
        raise ValueError("starting covariance is not positive definite")
    stalled = 0
    for iteration in range(1, max_iter + 1):
        at_bound = sigma <= lower
        active = at_bound & (ev.gradient > 0)
        free = ~active
        step = _direction(ev, free)
        decrement = -float(ev.gradient @ step)
        accepted = None
        t = 1.0
        for _ in range(40):
            candidate = np.maximum(sigma + t * step, lower)
            try:
                trial = evaluate(data, basis, candidate, order=0)
            except NotEstimable:  # V degenerating; the starting design was estimable
                trial = None
            if trial is not None and (
                trial.objective <= ev.objective + 1e-4 * float(ev.gradient @ (candidate - sigma))
                or decrement < 1e-12 * (1 + abs(ev.objective))
            ):
                accepted = candidate
                break
            t /= 2
        if accepted is None:
            small = decrement < 1e-8 * (1 + abs(ev.objective))
            return RemlFit(ev, active, small, iteration, "" if small else "line search failed")
        change = np.max(np.abs(accepted - sigma))
        previous = ev.objective
        sigma, ev = accepted, evaluate(data, basis, accepted)
        stalled = stalled + 1 if previous - ev.objective < 1e-13 * (1 + abs(previous)) else 0
        if _smallest_correlation_eigenvalue(basis, sigma) < 1e-10:
            return RemlFit(ev, active, False, iteration, SINGULAR)
        tiny = change <= tol * np.max(np.abs(sigma)) or decrement < 1e-14 * (1 + abs(ev.objective))
        if t == 1.0 and tiny:
            active = (sigma <= lower) & (ev.gradient > 0)
            return RemlFit(ev, active, True, iteration)
        if stalled >= 3:
            return RemlFit(ev, active, False, iteration, "no progress")
    return RemlFit(ev, (sigma <= lower) & (ev.gradient > 0), False, max_iter, "iteration limit")

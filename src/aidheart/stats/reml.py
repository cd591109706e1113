"""REML and ML for linear models with a structured within-subject covariance, batched by pattern.

Model: ``y_i = X_i beta + e_i``, ``e_i ~ N(0, V_i)``, independent subjects, with
``V_i = Sigma(theta)[S_i, S_i]`` for a structure of :mod:`aidheart.stats.covariance`
(``G_a = dSigma/dtheta_a``, ``G_ab = d2Sigma/dtheta_a dtheta_b``, zero for a linear
structure). With ``N`` observations and ``q = rank(X)``:

- GLS for given ``theta``: ``Phi = (sum_i X_i' V_i^-1 X_i)^-1`` and
  ``beta(theta) = Phi sum_i X_i' V_i^-1 y_i``; residuals ``r_i = y_i - X_i beta``.
- The criteria (minus twice the log-likelihood, ``beta`` profiled out)::

      D_REML(theta) = sum_i log|V_i| + log|X' V^-1 X| + sum_i r_i' V_i^-1 r_i + (N - q) log(2 pi)
      D_ML(theta)   = sum_i log|V_i|                 + sum_i r_i' V_i^-1 r_i + N log(2 pi)

  (the log-likelihood reported is ``-D/2``; for REML the convention of lme4, nlme and
  mmrm, without a ``log|X'X|`` term).
- With ``P = V^-1 - V^-1 X Phi X' V^-1`` (``P y = V^-1 r``), ``u_i = V_i^-1 r_i``,
  ``Pt_a = X' V^-1 G_a V^-1 X``, ``Q_ab = X' V^-1 G_a V^-1 G_b V^-1 X``,
  ``R_ab = X' V^-1 G_ab V^-1 X`` and ``w_a = sum_i X_i' V_i^-1 G_a u_i``::

      dD_REML/dtheta_a = tr(P G_a) - r' V^-1 G_a V^-1 r
      d2D_REML/dtheta_a dtheta_b = -tr(P G_a P G_b) + tr(P G_ab)
                                   + 2 y' P G_a P G_b P y - y' P G_ab P y

  where ``tr(P G_a) = sum_i tr(V_i^-1 G_a) - tr(Phi Pt_a)``,
  ``tr(P G_a P G_b) = sum_i tr(V_i^-1 G_a V_i^-1 G_b) - 2 tr(Phi Q_ab) + tr(Phi Pt_a Phi Pt_b)``
  (the expected Hessian, used by Fisher scoring), ``tr(P G_ab) = sum_i tr(V_i^-1 G_ab) - tr(Phi R_ab)``,
  ``y' P G_a P G_b P y = sum_i u_i' G_a V_i^-1 G_b u_i - w_a' Phi w_b`` and
  ``y' P G_ab P y = sum_i u_i' G_ab u_i``. ML drops every ``Phi`` term except the
  ``- w_a' Phi w_b``, which comes from ``beta`` moving with ``theta``:
  ``dbeta/dtheta_a = -Phi w_a``. Finally ``dPhi/dtheta_a = Phi Pt_a Phi``.

Every sum over subjects is a contraction of the pattern sums of
:mod:`aidheart.stats.reml_data` with per-pattern ``K x K`` matrices, zero outside the
pattern's visits, so no step loops over subjects or patterns. :func:`fit_reml` minimises
``D`` by (projected) Newton-Raphson in ``theta`` with the analytic Hessian, Fisher scoring
where the Hessian is not positive definite and on the first step (as SAS PROC MIXED),
and backtracking that keeps ``Sigma`` positive definite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aidheart.stats.covariance import CovarianceStructure
from aidheart.stats.reml_data import PatternData, contract

LOG_2PI = math.log(2 * math.pi)


@dataclass(frozen=True)
class Evaluation:
    """``D`` and what derives from it at one ``theta`` (see the module notes for symbols)."""

    theta: np.ndarray
    objective: float
    beta: np.ndarray
    phi: np.ndarray
    vinv: np.ndarray
    gradient: np.ndarray | None = None
    hessian: np.ndarray | None = None
    expected_hessian: np.ndarray | None = None
    pt: np.ndarray | None = None

    @property
    def loglik(self) -> float:
        """Log-likelihood ``-D/2`` (restricted for REML)."""
        return -0.5 * self.objective


class NotEstimable(ValueError):
    """``X' V^-1 X`` is singular: the fixed effects are not all estimable."""


def _pattern_inverses(full: np.ndarray, mask: np.ndarray):
    """``V_p^-1`` zero-padded to ``K x K`` and ``log|V_p|`` for every pattern, or ``None`` if not PD."""
    pair = mask[:, :, None] & mask[:, None, :]
    padded = np.where(pair, full[None], 0.0) + np.eye(mask.shape[1])[None] * ~mask[:, :, None]
    try:
        chol = np.linalg.cholesky(padded)
    except np.linalg.LinAlgError:
        return None
    chol_inv = np.linalg.inv(chol)
    vinv = np.where(pair, np.swapaxes(chol_inv, 1, 2) @ chol_inv, 0.0)
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    return vinv, logdet


def evaluate(data: PatternData, structure: CovarianceStructure, theta: np.ndarray, *,
             order: int = 2, reml: bool = True) -> Evaluation | None:
    """``D`` (``order`` 0), with gradient (1), with Hessians and ``Pt`` (2).

    Returns ``None`` when ``theta`` is inadmissible, ``Sigma`` is not positive definite
    or the arithmetic overflows there; raises :class:`NotEstimable` when ``X' V^-1 X``
    is singular.
    """
    return _guarded(data, structure, theta, order, reml)[0]


def _guarded(data, structure, theta, order, reml) -> tuple[Evaluation | None, bool]:
    """:func:`evaluate` and whether it failed by floating-point overflow."""
    if not structure.admissible(theta):
        return None, False
    try:
        with np.errstate(over="raise", invalid="ignore", divide="ignore", under="ignore"):
            result = _evaluate(data, structure, theta, order, reml)
    except FloatingPointError:
        return None, True
    if result is None or not np.isfinite(result.objective):
        return None, False
    if order >= 1 and not np.all(np.isfinite(result.gradient)):
        return None, False
    if order >= 2 and not np.all(np.isfinite(result.hessian)):
        return None, False
    return result, False


def _evaluate(data, structure, theta, order, reml):
    full = structure.matrix(theta)
    if not np.all(np.isfinite(full)):
        return None
    try:
        np.linalg.cholesky(full)  # Sigma itself, not only its observed blocks, must be PD
    except np.linalg.LinAlgError:
        return None
    inverses = _pattern_inverses(full, data.mask)
    if inverses is None:
        return None
    vinv, logdets = inverses
    n = data.n.astype(float)
    xtvx = contract(vinv, data.sxx)
    xtvy = contract(vinv, data.sxy)
    scale = np.sqrt(np.diag(xtvx))
    if not np.all(scale > 0):
        raise NotEstimable("a fixed effect has no information")
    scaled = xtvx / np.outer(scale, scale)
    try:
        chol = np.linalg.cholesky(scaled)
    except np.linalg.LinAlgError:
        raise NotEstimable("X' V^-1 X is singular") from None
    if np.diag(chol).min() ** 2 < 1e-12:  # a column's share not explained by the earlier ones
        raise NotEstimable("X' V^-1 X is singular")
    chol_inv = np.linalg.inv(chol)
    phi = (chol_inv.T @ chol_inv) / np.outer(scale, scale)
    beta = phi @ xtvy
    xb_y = data.sxy @ beta
    rr = data.syy - xb_y - np.swapaxes(xb_y, 1, 2) + (data.sxx @ beta) @ beta
    quad = float(np.sum(vinv * rr))
    objective = float(n @ logdets) + quad
    if reml:
        objective += 2.0 * float(np.log(np.diag(chol)).sum() + np.log(scale).sum())
        objective += (data.n_obs - data.n_coef) * LOG_2PI
    else:
        objective += data.n_obs * LOG_2PI
    beta_full = data.offset + beta
    if order < 1:
        return Evaluation(theta=theta, objective=objective, beta=beta_full, phi=phi, vinv=vinv)
    # Sums over patterns that need no per-pattern product with G: sum n V^-1, sum V^-1 rr V^-1
    g = structure.first(theta)
    vinv_n = np.tensordot(n, vinv, axes=1)
    u_u = (vinv @ rr @ vinv).sum(axis=0)
    b = vinv[:, None] @ g[None] @ vinv[:, None]  # V^-1 G_a V^-1 per pattern
    pt = contract(np.swapaxes(b, 0, 1), data.sxx)
    gradient = _trace(g, vinv_n) - _trace(g, u_u)
    if reml:
        gradient -= np.tensordot(pt, phi, axes=([1, 2], [1, 0]))
    if order < 2:
        return Evaluation(theta=theta, objective=objective, beta=beta_full, phi=phi, vinv=vinv,
                          gradient=gradient, pt=pt)
    gv = g[None] @ vinv[:, None]  # G_b V^-1 per pattern
    expected = np.tensordot(np.tensordot(n, b, axes=1), g, axes=([1, 2], [2, 1]))
    quad2 = _pair_trace(b, gv @ rr[:, None])
    sxr = data.sxy - data.sxx @ beta
    w = contract(np.swapaxes(b, 0, 1), sxr)
    if reml:
        c = data.sxx.reshape(*data.sxx.shape[:3], -1) @ phi.ravel()  # x_is' Phi x_it summed
        phi_pt = phi @ pt
        expected -= 2 * _pair_trace(b, gv @ c[:, None]) - np.tensordot(phi_pt, phi_pt, axes=([1, 2], [2, 1]))
    hessian = -expected + 2 * (quad2 - w @ phi @ w.T)
    g2 = structure.second(theta)
    if g2 is not None:
        hessian += _trace(g2, vinv_n) - _trace(g2, u_u)
        if reml:
            hessian -= _trace(g2, (vinv @ c @ vinv).sum(axis=0))
    return Evaluation(
        theta=theta, objective=objective, beta=beta_full, phi=phi, vinv=vinv, gradient=gradient,
        hessian=(hessian + hessian.T) / 2, expected_hessian=(expected + expected.T) / 2, pt=pt,
    )


def _trace(derivatives: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``tr(G_... M)`` for every leading index of ``derivatives`` (``... x K x K``)."""
    return np.tensordot(derivatives, matrix, axes=([-2, -1], [-1, -2]))


def _pair_trace(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``sum_p tr(left[p, a] right[p, b])`` for per-pattern stacks ``P x A x K x K``."""
    return np.tensordot(left, right, axes=([0, 2, 3], [0, 3, 2]))


SINGULAR = "singular covariance: the likelihood increases towards a singular Sigma"
OVERFLOW = "floating-point overflow at the trial parameters"


@dataclass(frozen=True)
class RemlFit:
    """The optimum: its evaluation, which parameters sit on their lower bound, convergence."""

    evaluation: Evaluation
    active: np.ndarray
    converged: bool
    iterations: int
    message: str = ""


def _direction(ev: Evaluation, free: np.ndarray, scoring: bool) -> np.ndarray:
    """Newton step on the free parameters; Fisher scoring if asked or the Hessian is not PD."""
    step = np.zeros_like(ev.gradient)
    g = ev.gradient[free]
    matrices = (ev.expected_hessian,) if scoring else (ev.hessian, ev.expected_hessian)
    for matrix in matrices:
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


def _singularity(structure: CovarianceStructure, theta: np.ndarray) -> float:
    """How close ``Sigma`` is to singular: the smaller of its correlation matrix's smallest
    eigenvalue and its smallest variance relative to its largest (a visit whose residuals
    vanish, e.g. a response constant at that visit)."""
    full = structure.matrix(theta)
    variances = np.diag(full)
    scale = np.sqrt(variances)
    correlation = float(np.linalg.eigvalsh(full / np.outer(scale, scale)).min())
    return min(correlation, float(variances.min() / variances.max()))


def _positive_definite(matrix: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True


CRITERIA = ("tight", "sas")


def _relative_hessian_criterion(ev: Evaluation, free: np.ndarray, constant: float) -> float:
    """SAS PROC MIXED's ``CONVH``: ``g' H^-1 g / |D - constant|`` (``D`` without its ``log 2 pi`` term)."""
    g = ev.gradient[free]
    try:
        solved = np.linalg.solve(ev.hessian[np.ix_(free, free)], g)
    except np.linalg.LinAlgError:
        return math.inf
    return abs(float(g @ solved)) / abs(ev.objective - constant)


def fit_reml(
    data: PatternData,
    structure: CovarianceStructure,
    start: np.ndarray,
    *,
    reml: bool = True,
    lower: np.ndarray | None = None,
    criterion: str = "tight",
    max_iter: int = 200,
) -> RemlFit:
    """Minimise ``D`` over ``theta`` (``theta >= lower`` where ``lower`` is finite).

    Projected Newton-Raphson: parameters on their bound with a gradient pushing
    outwards are held there; the others take a Newton step, halved until ``D``
    decreases (Armijo) at admissible parameters with ``Sigma`` positive definite;
    Fisher scoring replaces Newton where the Hessian is not positive definite.

    ``criterion="tight"`` (the default): Fisher scoring on the first step; converged
    when a full step has Newton decrement ``g' H^-1 g`` below ``1e-12 (1 + |D|)``, after
    which one more Newton step is taken if it makes the gradient smaller; the Hessian
    on the free parameters must then be positive definite.

    ``criterion="sas"``: SAS PROC MIXED's default stop, so that its listings are
    reproduced digit for digit from its MIVQUE0 start: Newton-Raphson from the first
    step, converged as soon as the relative Hessian criterion ``g' H^-1 g / |D - c|``
    (``c`` the ``log 2 pi`` term of ``D``) at the new point is at most 1e-8. Such an
    optimum is only good to about 1e-5 relative in ``beta`` and 1e-4 in SEs and df.

    Not converged (with a ``message``) when the correlation matrix of ``Sigma`` gets an
    eigenvalue below 1e-10, or a variance falls below 1e-10 of the largest
    (:data:`SINGULAR`: the criterion heads to minus infinity on the boundary), when no
    step decreases ``D`` (``line search failed``), after three steps without progress, or
    at ``max_iter``; any of these ending within 1e-5 of such a singular ``Sigma``, and a
    convergence within 1e-8 of one, are reported as :data:`SINGULAR`. A failure after
    trial steps overflowed says so (:data:`OVERFLOW`).
    """
    if criterion not in CRITERIA:
        raise ValueError(f"unknown convergence criterion {criterion!r}; use one of {', '.join(CRITERIA)}")
    if lower is None:
        lower = np.full(len(start), -np.inf)
    constant = (data.n_obs - data.n_coef if reml else data.n_obs) * LOG_2PI
    theta = np.maximum(np.asarray(start, dtype=float), lower)
    ev = evaluate(data, structure, theta, reml=reml)
    if ev is None:
        raise ValueError("starting covariance is not positive definite")
    stalled, overflow_seen, iteration = 0, False, 0

    def finish(at: Evaluation, active, converged: bool, message: str = "") -> RemlFit:
        return _finish(structure, at, active, converged, iteration, message, overflow_seen)

    for iteration in range(1, max_iter + 1):
        active = (theta <= lower) & (ev.gradient > 0)
        free = ~active
        step = _direction(ev, free, scoring=iteration == 1 and criterion == "tight")
        decrement = -float(ev.gradient @ step)
        accepted, t, overflowed = _line_search(data, structure, ev, step, decrement, lower, reml)
        overflow_seen |= overflowed
        if accepted is None:
            small = decrement < 1e-9 * (1 + abs(ev.objective)) and _positive_definite(ev.hessian[np.ix_(free, free)])
            return finish(ev, active, small, "" if small else "line search failed")
        previous = ev
        ev, overflow = _guarded(data, structure, accepted, 2, reml)
        theta = accepted
        if ev is None:
            overflow_seen |= overflow
            return finish(previous, active, False, "line search failed" if overflow else "derivatives not finite")
        stalled = stalled + 1 if previous.objective - ev.objective < 1e-13 * (1 + abs(previous.objective)) else 0
        if _singularity(structure, theta) < 1e-10:
            return finish(ev, active, False, SINGULAR)
        if criterion == "sas":
            done = _relative_hessian_criterion(ev, free, constant) <= 1e-8
        else:
            done = t == 1.0 and iteration > 1 and decrement < 1e-12 * (1 + abs(ev.objective))
            if done:
                ev = _polish(data, structure, ev, lower, reml)
        if done:
            active = (ev.theta <= lower) & (ev.gradient > 0)
            if not _positive_definite(ev.hessian[np.ix_(~active, ~active)]):
                return finish(ev, active, False, "Hessian not positive definite at the optimum")
            return finish(ev, active, True)
        if stalled >= 3:
            return finish(ev, active, False, "no progress")
    return finish(ev, (theta <= lower) & (ev.gradient > 0), False, "iteration limit")


def _line_search(data, structure, ev: Evaluation, step, decrement: float, lower, reml):
    """``theta + t step`` for the largest ``t`` in 1, 1/2, ... (50 halvings) that is admissible,
    keeps ``Sigma`` positive definite and decreases ``D`` (Armijo, 1e-4), or any evaluable
    ``t`` once the decrement is negligible. Returns ``(candidate or None, t, overflowed)``."""
    overflowed, t = False, 1.0
    for _ in range(50):
        candidate = np.maximum(ev.theta + t * step, lower)
        try:
            trial, overflow = _guarded(data, structure, candidate, 0, reml)
        except NotEstimable:  # V degenerating; the starting design was estimable
            trial, overflow = None, False
        overflowed |= overflow
        if trial is not None and (
            trial.objective <= ev.objective + 1e-4 * float(ev.gradient @ (candidate - ev.theta))
            or decrement < 1e-12 * (1 + abs(ev.objective))
        ):
            return candidate, t, overflowed
        t /= 2
    return None, t, overflowed


def _finish(structure, ev: Evaluation, active, converged: bool, iterations: int, message: str,
            overflow_seen: bool) -> RemlFit:
    """The fit, with a failure near a singular ``Sigma`` named as such (:func:`_singularity`
    below 1e-5; below 1e-8 even a converged fit is not accepted), and a failed fit's message
    saying when trial steps overflowed (the overflow itself is caught, so no numpy warning
    reaches the log)."""
    if _singularity(structure, ev.theta) < (1e-8 if converged else 1e-5):
        converged, message = False, SINGULAR
    if not converged and overflow_seen:
        message = f"{message} ({OVERFLOW})"
    return RemlFit(ev, active, converged, iterations, message)


def _polish(data, structure, ev: Evaluation, lower, reml) -> Evaluation:
    """One more Newton step at a converged point, kept if it shrinks the gradient."""
    free = ~((ev.theta <= lower) & (ev.gradient > 0))
    step = _direction(ev, free, scoring=False)
    candidate = np.maximum(ev.theta + step, lower)
    try:
        polished = evaluate(data, structure, candidate, reml=reml)
    except NotEstimable:
        return ev
    if polished is None:
        return ev
    if np.max(np.abs(polished.gradient[free]), initial=0.0) < np.max(np.abs(ev.gradient[free]), initial=0.0):
        return polished
    return ev

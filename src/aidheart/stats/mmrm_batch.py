"""The unstructured MMRM fitted to many data sets at once, for power simulations.

A simulation fits the same model to thousands of simulated trials. One fit at a time
(:func:`aidheart.stats.mmrm_fit.fit_mmrm_arrays`) spends most of its time in Python
between small array operations; here every step carries a leading replicate axis, so
the REML Newton iterations and the Kenward-Roger contrast of all replicates are the
same few numpy calls.

Model and formulas are those of :mod:`aidheart.stats.reml` (see its notes for the
symbols), for the ``us`` structure only, REML only: ``theta`` are the entries
``Sigma_jk``, ``j <= k``, in :class:`aidheart.stats.covariance.Unstructured`'s order,
so ``G_a`` is constant and ``d2 Sigma = 0`` (the Kenward-Roger second-derivative term
vanishes). Per replicate ``r`` and missingness pattern ``p`` the data enter through
the pattern sums ``n``, ``syy``, ``sxy``, ``sxx`` of :mod:`aidheart.stats.reml_data`,
after the replicate's OLS fit is subtracted from ``y``; the patterns are those of the
whole batch (a replicate without subjects in a pattern has zero sums there).

Designs: the row of subject ``i`` at visit ``s`` is ``x_is = A_s z_i`` with ``z_i`` the
subject's covariates (length ``d``) and ``A_s`` a ``q x d`` map per visit. Every design
built from subject-level variables and their interactions with the visit has this form
(``CHG ~ BASE + ARM * AVISIT``: ``z = (1, BASE, ARM)``), and then the pattern sums need
only ``sum z z'``, ``sum z y'`` and ``sum y y'`` over the subjects of a pattern.

Optimiser: from the moment estimate of ``Sigma`` (its diagonal when that is not
positive definite), Fisher scoring on the first step, then Newton-Raphson (scoring
where the Hessian is not positive definite), each step halved until ``D`` decreases
(Armijo) at a positive-definite ``Sigma``. A replicate has converged when a full step
had Newton decrement ``g' H^-1 g < 1e-12 (1 + |D|)``, with the Hessian positive definite
and ``Sigma`` not within 1e-8 of singular: :func:`aidheart.stats.reml.fit_reml`'s
``"tight"`` rule without its last polishing step (Newton's quadratic convergence has
already put that point at the optimum to rounding: estimates, SEs and df agree with the
engine's to 1e-8 relative or better, ``tests/test_stats_trial_power.py``). Any other ending — a failed line search, no
progress, a singular ``Sigma`` or design, the iteration limit — leaves the replicate
*unsettled*: the caller refits it with the single-fit engine, whose verdict counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from aidheart.stats.covariance import Unstructured

LOG_2PI = math.log(2 * math.pi)
MAX_ITER = 200


@dataclass(frozen=True)
class BatchSums:
    """Pattern sums of ``R`` data sets over shared patterns ``mask`` (``P x K``).

    ``n`` is ``R x P``; ``syy`` ``R x P x K x K``; ``sxy`` and ``sxx`` are flattened for
    matrix products: ``sxy[r, (p, s, t), a]`` and ``sxx[r, (p, s, t), (a, b)]``
    (``R x PKK x q`` and ``R x PKK x qq``); ``offset`` the OLS fit subtracted (``R x q``);
    ``n_obs`` observations per replicate.
    """

    mask: np.ndarray
    n: np.ndarray
    syy: np.ndarray
    sxy: np.ndarray
    sxx: np.ndarray
    offset: np.ndarray
    n_obs: np.ndarray

    @property
    def n_visits(self) -> int:
        return self.mask.shape[1]

    @property
    def n_coef(self) -> int:
        return self.sxy.shape[-1]

    def take(self, index: np.ndarray) -> BatchSums:
        """The replicates ``index``, integers or a boolean mask (the patterns stay)."""
        index = np.flatnonzero(index) if np.asarray(index).dtype == bool else np.asarray(index)
        if len(index) == len(self.n) and np.array_equal(index, np.arange(len(self.n))):
            return self
        return BatchSums(self.mask, self.n[index], self.syy[index], self.sxy[index], self.sxx[index],
                         self.offset[index], self.n_obs[index])


def _subject_sums(weights: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``sum_i weights[r, i, p] left[r, i, a] right[r, i, b]``: ``R x P x A x B``."""
    m, n, n_patterns = weights.shape
    weighted = (weights[:, :, :, None] * left[:, :, None, :]).reshape(m, n, -1)
    return (np.swapaxes(weighted, 1, 2) @ right).reshape(m, n_patterns, left.shape[2], right.shape[2])


def factored_pattern_sums(y: np.ndarray, z: np.ndarray, maps: np.ndarray) -> BatchSums:
    """Pattern sums of the designs ``x_is = maps[s] @ z_i`` (module notes).

    Parameters
    ----------
    y : (R, n, K) responses, ``NaN`` where not observed; subjects with none are left out
    z : (R, n, d) subject covariates
    maps : (K, q, d) one map per visit
    """
    m, _, k = y.shape
    q, d = maps.shape[1:]
    observed = ~np.isnan(y)
    y0 = np.where(observed, y, 0.0)
    # OLS: X'X = sum_s A_s (sum_i obs_is z_i z_i') A_s', X'y = sum_s A_s sum_i z_i y_is
    zz_visit = _subject_sums(observed.astype(float), z, z)  # R x K x d x d
    xtx = np.einsum("sai,rsij,sbj->rab", maps, zz_visit, maps, optimize=True)
    xty = np.einsum("saj,ris,rij->ra", maps, y0, z, optimize=True)
    # Any offset leaves the REML criterion unchanged; OLS keeps the sums free of cancellation
    # (a replicate whose X'X is singular keeps y as it is and is caught by the fit)
    factor, regular = _cholesky(xtx)
    offset = np.linalg.solve(np.swapaxes(factor, 1, 2), np.linalg.solve(factor, xty[:, :, None]))[:, :, 0]
    offset[~regular] = 0.0
    fitted = np.einsum("ria,sqa,rq->ris", z, maps, offset, optimize=True)
    resid = np.where(observed, y0 - fitted, 0.0)
    codes = observed @ (1 << np.arange(k))
    present = np.unique(codes)
    present = present[present > 0]
    mask = ((present[:, None] >> np.arange(k)) & 1).astype(bool)
    member = (codes[:, :, None] == present[None, None, :]).astype(float)  # R x n x P
    n_patterns = len(present)
    zp = _subject_sums(member, z, z)  # R x P x d x d
    zr = _subject_sums(member, z, resid)  # R x P x d x K
    syy = _subject_sums(member, resid, resid)
    # rows of A_s at visits outside the pattern set to zero, so the products vanish there
    masked = (maps[None] * mask[:, :, None, None]).reshape(n_patterns, k * q, d)
    sxx = (masked @ zp @ np.swapaxes(masked, 1, 2)).reshape(m, n_patterns, k, q, k, q)
    sxx = sxx.transpose(0, 1, 2, 4, 3, 5).reshape(m, n_patterns * k * k, q * q)
    sxy = (masked @ zr).reshape(m, n_patterns, k, q, k).transpose(0, 1, 2, 4, 3).reshape(m, n_patterns * k * k, q)
    return BatchSums(mask=mask, n=member.sum(axis=1), syy=syy, sxy=sxy, sxx=sxx, offset=offset,
                     n_obs=observed.sum(axis=(1, 2)))


def _cholesky(stack: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cholesky factors of a stack of matrices and which were positive definite (identity for the others)."""
    ok = np.ones(stack.shape[:-2], dtype=bool)
    try:
        return np.linalg.cholesky(stack), ok
    except np.linalg.LinAlgError:
        pass
    eye = np.eye(stack.shape[-1])
    ok = np.linalg.eigvalsh(stack)[..., 0] > 0
    safe = np.where(ok[..., None, None], stack, eye)
    try:
        return np.linalg.cholesky(safe), ok
    except np.linalg.LinAlgError:  # positive eigenvalues that Cholesky still rounds to a failure
        flat, flags = safe.reshape(-1, *eye.shape), ok.reshape(-1)
        factors = np.empty_like(flat)
        for i, matrix in enumerate(flat):
            try:
                factors[i] = np.linalg.cholesky(matrix)
            except np.linalg.LinAlgError:
                factors[i], flags[i] = eye, False
        return factors.reshape(stack.shape), flags.reshape(ok.shape)


@dataclass(frozen=True)
class BatchEvaluation:
    """``D`` and its derivatives for a stack of replicates (:mod:`aidheart.stats.reml` symbols).

    ``valid`` is False where ``Sigma`` is not positive definite or ``X' V^-1 X`` is
    singular; there ``objective`` is ``inf`` and the other arrays are meaningless.
    ``b`` holds ``V_p^-1 G_a V_p^-1`` as ``R x A x P x K x K``.
    """

    theta: np.ndarray
    valid: np.ndarray
    objective: np.ndarray
    beta: np.ndarray
    phi: np.ndarray
    vinv: np.ndarray
    gradient: np.ndarray | None = None
    hessian: np.ndarray | None = None
    expected: np.ndarray | None = None
    pt: np.ndarray | None = None
    b: np.ndarray | None = None

    def take(self, index) -> BatchEvaluation:
        """The replicates ``index`` (an integer array or a boolean mask)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return BatchEvaluation(**{name: None if value is None else value[index] for name, value in values.items()})


def _triangular_inverse(lower: np.ndarray) -> np.ndarray:
    """``L^-1`` of a stack of lower-triangular ``L`` by forward substitution: a loop over the
    matrix size, each step one array operation over the whole stack (LAPACK's ``inv`` pays
    a call per small matrix)."""
    size = lower.shape[-1]
    inverse = np.zeros_like(lower)
    for i in range(size):
        row = -(lower[..., i, :i, None] * inverse[..., :i, :]).sum(axis=-2)
        row[..., i] += 1.0
        inverse[..., i, :] = row / lower[..., i, i, None]
    return inverse


def _inverse_from_factor(lower: np.ndarray) -> np.ndarray:
    """``(L L')^-1 = L^-T L^-1``."""
    inverse = _triangular_inverse(lower)
    return np.swapaxes(inverse, -1, -2) @ inverse


class _UsIndex:
    """The ``us`` parameters ``a = (j_a, k_a)``, ``j <= k``, as index arrays: ``G_a = E_jk + E_kj``
    (``E_jj`` on the diagonal), so ``tr(X G_a) = (X_jk + X_kj) w_a`` with ``w_a`` 1/2 on the
    diagonal, and ``V G_a V = (v_j v_k' + v_k v_j') w_a`` for the columns ``v`` of a symmetric ``V``."""

    def __init__(self, n_visits: int):
        self.basis = Unstructured(n_visits).basis
        self.j, self.k = np.triu_indices(n_visits)
        self.weight = np.where(self.j == self.k, 0.5, 1.0)

    def trace(self, x: np.ndarray) -> np.ndarray:
        """``tr(X G_a)`` for every ``a`` over the last two axes of ``x``."""
        return (x[..., self.j, self.k] + x[..., self.k, self.j]) * self.weight

    def sandwich(self, v: np.ndarray) -> np.ndarray:
        """``V_p G_a V_p`` for every pattern of ``v`` (``R x P x K x K``): ``R x A x P x K x K``."""
        vj = np.moveaxis(v[..., :, self.j], -1, 1)  # R x A x P x K: columns j_a
        vk = np.moveaxis(v[..., :, self.k], -1, 1)
        outer = vj[..., :, None] * vk[..., None, :]
        return (outer + np.swapaxes(outer, -1, -2)) * self.weight[None, :, None, None, None]

    def pair(self, y: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``sum_p tr(Y_p B_pa G_b)`` (``y`` ``R x P x K x K``, ``b`` ``R x A x P x K x K``): ``R x A x A``."""
        m, n_patterns, k = y.shape[:3]
        rows = np.swapaxes(y, 1, 2).reshape(m, 1, k, n_patterns * k)  # Y[p, s, u] as [s, (p, u)]
        return self.trace(rows @ b.reshape(m, b.shape[1], n_patterns * k, k))


def evaluate_batch(sums: BatchSums, theta: np.ndarray, order: int = 2) -> BatchEvaluation:
    """The REML criterion (``order`` 0), with gradient (1), Hessians and ``Pt`` (2), per replicate."""
    us = _UsIndex(sums.n_visits)
    m, k, q = len(theta), sums.n_visits, sums.n_coef
    sigma = np.tensordot(theta, us.basis, axes=1)
    _, valid = _cholesky(sigma)
    sigma = np.where(valid[:, None, None], sigma, np.eye(k))
    pair = sums.mask[:, :, None] & sums.mask[:, None, :]
    padded = np.where(pair, sigma[:, None], 0.0) + np.eye(k) * ~sums.mask[:, :, None]
    chol = np.linalg.cholesky(padded)  # blocks of a positive-definite Sigma are positive definite
    vinv = np.where(pair, _inverse_from_factor(chol), 0.0)
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
    flat_vinv = vinv.reshape(m, 1, -1)
    xtvx = (flat_vinv @ sums.sxx).reshape(m, q, q)
    xtvy = (flat_vinv @ sums.sxy)[:, 0]
    scale = np.sqrt(np.maximum(np.diagonal(xtvx, axis1=1, axis2=2), 0.0))
    positive = np.all(scale > 0, axis=1)
    scale = np.where(positive[:, None], scale, 1.0)
    outer = scale[:, :, None] * scale[:, None, :]
    scaled_chol, estimable = _cholesky(np.where(positive[:, None, None], xtvx / outer, np.eye(q)))
    estimable &= positive & (np.diagonal(scaled_chol, axis1=1, axis2=2).min(axis=1) ** 2 >= 1e-12)
    valid &= estimable
    phi = _inverse_from_factor(scaled_chol) / outer
    beta = (phi @ xtvy[:, :, None])[:, :, 0]
    # sum_i (X_is beta)(X_it beta) and sum_i x_is' Phi x_it per pattern, in one pass over sxx
    weights = np.stack([(beta[:, :, None] * beta[:, None, :]).reshape(m, -1), phi.reshape(m, -1)], axis=2)
    quadratic = (sums.sxx @ weights).reshape(m, -1, k, k, 2)
    xb_y = (sums.sxy @ beta[:, :, None]).reshape(m, -1, k, k)
    rr = sums.syy - xb_y - np.swapaxes(xb_y, -1, -2) + quadratic[..., 0]
    objective = np.einsum("rp,rp->r", sums.n, logdet) + np.einsum("rpst,rpst->r", vinv, rr)
    objective += 2.0 * (np.log(np.diagonal(scaled_chol, axis1=1, axis2=2)).sum(axis=1) + np.log(scale).sum(axis=1))
    objective += (sums.n_obs - q) * LOG_2PI
    valid &= np.isfinite(objective)
    objective = np.where(valid, objective, np.inf)
    full_beta = sums.offset + beta
    if order < 1:
        return BatchEvaluation(theta, valid, objective, full_beta, phi, vinv)
    n_par = len(us.j)
    n_vinv = np.einsum("rp,rpst->rst", sums.n, vinv)
    rv = rr @ vinv
    u_u = (vinv @ rv).sum(axis=1)
    b = us.sandwich(vinv)  # V^-1 G_a V^-1
    flat_b = b.reshape(m, n_par, -1)
    pt = (flat_b @ sums.sxx).reshape(m, n_par, q, q)
    gradient = us.trace(n_vinv - u_u) - (pt.reshape(m, n_par, -1) @ phi.reshape(m, -1, 1))[..., 0]
    if order < 2:
        return BatchEvaluation(theta, valid, objective, full_beta, phi, vinv, gradient=gradient, pt=pt, b=b)
    nb = (sums.n[:, None, None, :] @ b.reshape(m, n_par, -1, k * k)).reshape(m, n_par, k, k)
    expected = us.trace(nb)
    quad2 = us.pair(np.swapaxes(rv, -1, -2), b)  # tr(B_a G_b V^-1 rr) = tr((V^-1 rr) B_a G_b)
    w = (flat_b @ sums.sxy) - (pt @ beta[:, None, :, None])[..., 0]
    phi_pt = phi[:, None] @ pt
    expected -= 2 * us.pair(vinv @ quadratic[..., 1], b)  # tr(B_a G_b V^-1 c) = tr((V^-1 c) B_a G_b)
    expected += phi_pt.reshape(m, n_par, -1) @ np.swapaxes(phi_pt, -1, -2).reshape(m, n_par, -1).swapaxes(1, 2)
    hessian = -expected + 2 * (quad2 - w @ phi @ np.swapaxes(w, 1, 2))
    hessian = (hessian + np.swapaxes(hessian, 1, 2)) / 2
    expected = (expected + np.swapaxes(expected, 1, 2)) / 2
    finite = np.isfinite(gradient).all(axis=1) & np.isfinite(hessian).all(axis=(1, 2))
    return BatchEvaluation(theta, valid & finite, objective, full_beta, phi, vinv, gradient=gradient,
                           hessian=hessian, expected=expected, pt=pt, b=b)


def _start(sums: BatchSums) -> np.ndarray:
    """Moment estimate of ``Sigma`` from the OLS residuals (its diagonal where not positive definite)."""
    observed = sums.mask.astype(float)
    counts = np.einsum("rp,ps,pt->rst", sums.n, observed, observed)
    moment = sums.syy.sum(axis=1) / np.maximum(counts, 1.0)
    _, ok = _cholesky(moment)
    diagonal = np.eye(sums.n_visits) * np.maximum(np.diagonal(moment, axis1=1, axis2=2), 1e-12)[:, None, :]
    moment = np.where(ok[:, None, None], moment, diagonal)
    rows, cols = np.triu_indices(sums.n_visits)
    return moment[:, rows, cols]


def _direction(ev: BatchEvaluation, scoring: bool) -> np.ndarray:
    """Newton steps (Fisher scoring if asked or where the Hessian is not positive definite)."""
    step = np.empty_like(ev.gradient)
    todo = np.ones(len(step), dtype=bool)
    for matrix in (() if scoring else (ev.hessian,)) + (ev.expected,):
        chol, ok = _cholesky(np.where(todo[:, None, None], matrix, np.eye(matrix.shape[-1])))
        use = todo & ok
        half = np.linalg.solve(chol[use], ev.gradient[use][:, :, None])
        step[use] = -np.linalg.solve(np.swapaxes(chol[use], 1, 2), half)[:, :, 0]
        todo &= ~use
    diagonal = np.abs(np.diagonal(ev.expected, axis1=1, axis2=2))[todo]
    step[todo] = -ev.gradient[todo] / np.where(diagonal > 0, diagonal, 1.0)
    return step


def _line_search(sums: BatchSums, ev: BatchEvaluation, step: np.ndarray, decrement: np.ndarray):
    """Steps ``theta + t step``, ``t`` in 1, 1/2, ... (50 in all), meeting Armijo's rule at a valid
    point (:func:`aidheart.stats.reml._line_search`'s rule).

    Full steps are evaluated to second order at once, since most replicates take them;
    shorter ones are searched at order 0 and evaluated once found. Returns the new
    evaluations, ``t`` and which replicates found a step.
    """
    slope = np.einsum("ra,ra->r", ev.gradient, step)
    negligible = decrement < 1e-12 * (1 + np.abs(ev.objective))

    def acceptable(trial, index, t):
        return trial.valid & ((trial.objective <= ev.objective[index] + 1e-4 * t * slope[index]) | negligible[index])

    every = np.arange(len(step))
    full = evaluate_batch(sums, ev.theta + step)
    searching = ~acceptable(full, every, 1.0)
    t = np.where(searching, 0.5, 1.0)
    for _ in range(49):
        index = np.flatnonzero(searching)
        if not len(index):
            break
        trial = evaluate_batch(sums.take(index), ev.theta[index] + t[index, None] * step[index], order=0)
        accept = acceptable(trial, index, t[index])
        searching[index[accept]] = False
        t[index[~accept]] /= 2
    shorter = np.flatnonzero(~searching & (t < 1))
    if len(shorter):
        full = _scatter(full, evaluate_batch(sums.take(shorter), ev.theta[shorter] + t[shorter, None] * step[shorter]),
                        shorter)
    return full, t, ~searching


def _singularity(theta: np.ndarray, valid: np.ndarray, n_visits: int) -> np.ndarray:
    """:func:`aidheart.stats.reml._singularity` per replicate (``-inf`` where not ``valid``)."""
    sigma = np.tensordot(theta, Unstructured(n_visits).basis, axes=1)
    sigma = np.where(valid[:, None, None], sigma, np.eye(n_visits))
    variances = np.diagonal(sigma, axis1=1, axis2=2)
    scale = np.sqrt(np.abs(variances))
    correlation = sigma / (scale[:, :, None] * scale[:, None, :])
    smallest = np.linalg.eigvalsh(correlation)[:, 0]
    return np.where(valid, np.minimum(smallest, variances.min(axis=1) / variances.max(axis=1)), -np.inf)


@dataclass(frozen=True)
class BatchFit:
    """The REML optima of a batch: ``settled`` replicates converged (module notes); for the
    others the arrays hold the last iterate and the caller refits them one by one."""

    sums: BatchSums
    evaluation: BatchEvaluation
    settled: np.ndarray
    iterations: np.ndarray


def fit_us_batch(sums: BatchSums, *, max_iter: int = MAX_ITER) -> BatchFit:
    """REML fits of the ``us`` MMRM to every replicate of ``sums`` (module notes)."""
    n_rep = len(sums.n)
    current = evaluate_batch(sums, _start(sums))
    final = current
    settled = np.zeros(n_rep, dtype=bool)
    iterations = np.zeros(n_rep, dtype=int)
    active = np.flatnonzero(current.valid)
    stalled = np.zeros(n_rep, dtype=int)
    current = current.take(active)
    for iteration in range(1, max_iter + 1):
        if not len(active):
            break
        part = sums.take(active)
        step = _direction(current, scoring=iteration == 1)
        decrement = -np.einsum("ra,ra->r", current.gradient, step)
        new, t, found = _line_search(part, current, step, decrement)
        iterations[active] = iteration
        progress = current.objective - new.objective >= 1e-13 * (1 + np.abs(current.objective))
        stalled[active] = np.where(progress, 0, stalled[active] + 1)
        alive = found & new.valid & (stalled[active] < 3)
        alive &= _singularity(new.theta, alive, sums.n_visits) >= 1e-10
        done = alive & (t == 1.0) & (iteration > 1) & (decrement < 1e-12 * (1 + np.abs(new.objective)))
        if done.any():
            finished, optimum = active[done], new.take(done)
            _, positive = _cholesky(optimum.hessian)
            settled[finished] = positive & (_singularity(optimum.theta, optimum.valid, sums.n_visits) >= 1e-8)
            final = _scatter(final, optimum, finished)
        keep = alive & ~done
        active, current = active[keep], new.take(keep)
    return BatchFit(sums=sums, evaluation=final, settled=settled, iterations=iterations)


def _scatter(template: BatchEvaluation, part: BatchEvaluation, index: np.ndarray) -> BatchEvaluation:
    """``template`` with the rows ``index`` replaced by ``part``'s."""
    values = {}
    for f in fields(template):
        whole = getattr(template, f.name).copy()
        whole[index] = getattr(part, f.name)
        values[f.name] = whole
    return BatchEvaluation(**values)


def batch_contrast(fit: BatchFit, contrast: np.ndarray) -> dict[str, np.ndarray]:
    """Kenward-Roger estimate, SE and df of ``l' beta`` in every replicate (arrays of length ``R``).

    ``estimate = l' beta``; ``std_error = sqrt(l' Phi_A l)`` with
    ``l' Phi_A l = v + 2 sum_ab W_ab (h' Q_ab h - h' Pt_a Phi Pt_b h)``, ``h = Phi l``,
    ``v = l' Phi l``, ``W = 2 H^-1`` (:mod:`aidheart.stats.kenward_roger`); ``df = v^2 / (g' H^-1 g)``,
    ``g_a = h' Pt_a h``. Values of replicates that are not settled are ``NaN``, and so are
    the SE and df where the adjusted variance is not positive. t tests, p-values and CIs
    follow from these three (:func:`aidheart.stats.satterthwaite.t_inference`).
    """
    ev, sums = fit.evaluation, fit.sums
    contrast = np.asarray(contrast, dtype=float)
    m, k = len(ev.theta), sums.n_visits
    h = ev.phi @ contrast
    variance = h @ contrast
    pt_h = (ev.pt @ h[:, None, :, None])[..., 0]  # Pt_a h: R x A x q
    g = np.einsum("rq,raq->ra", h, pt_h)
    hessian = np.where(fit.settled[:, None, None], ev.hessian, np.eye(ev.hessian.shape[-1]))
    weights = 2.0 * _inverse(hessian)
    hxxh = (sums.sxx @ (h[:, :, None] * h[:, None, :]).reshape(m, -1, 1)).reshape(m, -1, k, k)
    h_q_h = _UsIndex(k).pair(ev.vinv @ hxxh, ev.b)
    h_pp_h = np.einsum("raq,rqs,rbs->rab", pt_h, ev.phi, pt_h)
    adjusted = variance + 2.0 * np.einsum("rab,rab->r", weights, h_q_h - h_pp_h)
    denominator = np.einsum("ra,rab,rb->r", g, weights, g) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(denominator > 0, variance**2 / denominator, np.inf)
        std_error = np.sqrt(np.where(adjusted > 0, adjusted, np.nan))
    usable = fit.settled & np.isfinite(std_error) & (df > 0)
    return {"estimate": np.where(fit.settled, ev.beta @ contrast, np.nan),
            "std_error": np.where(usable, std_error, np.nan), "df": np.where(usable, df, np.nan)}


def _inverse(hessian: np.ndarray) -> np.ndarray:
    """``H^-1`` per replicate; the pseudo-inverse where the smallest |eigenvalue| is at most 1e-10
    (:func:`aidheart.stats.kenward_roger.kr_weights`)."""
    eigenvalues = np.linalg.eigvalsh(hessian)
    regular = np.abs(eigenvalues).min(axis=1) > 1e-10
    inverse = np.empty_like(hessian)
    inverse[regular] = np.linalg.inv(hessian[regular])
    inverse[~regular] = np.linalg.pinv(hessian[~regular])
    return inverse

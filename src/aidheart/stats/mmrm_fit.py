"""The MMRM on arrays: fit by REML or ML, and t inference for any contrast of the fixed effects.

No pandas here: a simulation can call :func:`fit_mmrm_arrays` thousands of times with
``y`` of shape ``(subjects, visits)`` (``NaN`` = not observed) and ``x`` of shape
``(subjects, visits, coefficients)``, then :meth:`MmrmFit.contrast` for the test it needs.
The formula front end is :mod:`aidheart.stats.mmrm_model`.

Inference for ``l' beta``: estimate ``l' beta-hat``; variance ``l' Phi l``
(``satterthwaite``) or ``l' Phi_A l`` (``kenward-roger``, ``kenward-roger-linear``,
:mod:`aidheart.stats.kenward_roger`); df ``2 (l' Phi l)^2 / (g' W g)`` for all three
(:mod:`aidheart.stats.satterthwaite`; for one contrast Kenward-Roger's df is exactly
this), ``W = 2 H^-1`` from the observed Hessian. Kenward-Roger needs REML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from aidheart.stats.ard import CONFIDENCE_LEVEL
from aidheart.stats.covariance import (
    CovarianceStructure,
    LinearStructure,
    covariance_structure,
    pairwise_covariance,
)
from aidheart.stats.kenward_roger import kr_adjusted_covariance, kr_weights
from aidheart.stats.reml import NotEstimable, RemlFit, evaluate, fit_reml
from aidheart.stats.reml_data import PatternData, group_by_pattern
from aidheart.stats.satterthwaite import satterthwaite_df, t_inference

DF_METHODS = ("satterthwaite", "kenward-roger", "kenward-roger-linear")
DF_LABELS = {
    "satterthwaite": "Satterthwaite df",
    "kenward-roger": "Kenward-Roger SE and df",
    "kenward-roger-linear": "Kenward-Roger (linear) SE and df",
}


class MmrmFitError(ValueError):
    """The model could not be fitted (singular design, no convergence, ...); one line says why."""


@dataclass(frozen=True)
class MmrmFit:
    """A fitted MMRM: the pattern data, the covariance structure, the optimum and whether it converged."""

    data: PatternData
    structure: CovarianceStructure
    reml: bool
    result: RemlFit

    @property
    def converged(self) -> bool:
        return self.result.converged

    @property
    def message(self) -> str:
        return self.result.message

    @property
    def theta(self) -> np.ndarray:
        """Covariance parameters (SAS's, :mod:`aidheart.stats.covariance`)."""
        return self.result.evaluation.theta

    @property
    def beta(self) -> np.ndarray:
        return self.result.evaluation.beta

    @property
    def phi(self) -> np.ndarray:
        """Model-based covariance ``(X' V^-1 X)^-1`` of ``beta``."""
        return self.result.evaluation.phi

    @property
    def sigma(self) -> np.ndarray:
        """The fitted ``K x K`` within-subject covariance."""
        return self.structure.matrix(self.theta)

    @property
    def loglik(self) -> float:
        """Log-likelihood at the optimum (restricted for REML)."""
        return self.result.evaluation.loglik

    @cached_property
    def weights(self) -> np.ndarray:
        """``W = 2 H^-1``: the asymptotic covariance of ``theta`` (inverse observed information)."""
        return kr_weights(self.result.evaluation.hessian)

    @cached_property
    def _kr(self) -> np.ndarray:
        return kr_adjusted_covariance(self.data, self.structure, self.result.evaluation, self.weights)

    @cached_property
    def _kr_linear(self) -> np.ndarray:
        return kr_adjusted_covariance(self.data, self.structure, self.result.evaluation, self.weights, linear=True)

    def coefficient_covariance(self, df_method: str) -> np.ndarray:
        """``Phi`` for ``satterthwaite``, ``Phi_A`` for the Kenward-Roger methods."""
        _check_df_method(df_method, self.reml)
        if df_method == "satterthwaite":
            return self.phi
        return self._kr if df_method == "kenward-roger" else self._kr_linear

    def contrast(self, contrast: np.ndarray, df_method: str = "kenward-roger", level: float = CONFIDENCE_LEVEL) -> dict:
        """``l' beta``: estimate, std_error, df, statistic, p_value, ci_low, ci_high (ARD names).

        The values are ``NaN`` when the variance is not positive (a Kenward-Roger
        adjustment can make it so) or the information matrix is not positive definite.
        """
        contrast = np.asarray(contrast, dtype=float)
        estimate = float(contrast @ self.beta)
        variance = float(contrast @ self.coefficient_covariance(df_method) @ contrast)
        ev = self.result.evaluation
        df = satterthwaite_df(contrast, ev.phi, ev.pt, ev.hessian, ~self.result.active)
        if not variance > 0:
            return {"estimate": estimate}
        return t_inference(estimate, math.sqrt(variance), df, level)


def _check_df_method(df_method: str, reml: bool) -> None:
    if df_method not in DF_METHODS:
        raise ValueError(f"unknown df method {df_method!r}; use one of {', '.join(DF_METHODS)}")
    if df_method != "satterthwaite" and not reml:
        raise ValueError(f"{df_method} needs a REML fit")


def starting_parameters(data: PatternData, structure: CovarianceStructure) -> np.ndarray:
    """The structure's parameters nearest a pairwise moment estimate of ``Sigma`` from OLS residuals."""
    return structure.start(pairwise_covariance(*data.residual_moments()))


def mivque0(data: PatternData, structure: CovarianceStructure) -> np.ndarray | None:
    """MIVQUE0 (SAS PROC MIXED's default start) for a structure linear in its parameters.

    The solution of ``sum_b tr(Q G_a Q G_b) theta_b = r' G_a r`` with ``Q`` the OLS residual
    projection and ``r = Q y``: the REML scoring equations at ``Sigma = I`` (also the start
    of an ML fit, as in SAS). ``None`` for a nonlinear structure or when the solution is not
    a positive-definite ``Sigma``.
    """
    if not isinstance(structure, LinearStructure):
        return None
    identity = structure.start(np.eye(data.n_visits))
    ev = evaluate(data, structure, identity)
    g = structure.first(identity)
    trace_pg = data.n @ np.einsum("pst,ats->pa", ev.vinv, g) - np.einsum("cd,adc->a", ev.phi, ev.pt)
    theta = np.linalg.solve(ev.expected_hessian, trace_pg - ev.gradient)  # gradient = tr(P G_a) - r' G_a r
    return theta if evaluate(data, structure, theta, order=0) is not None else None


def fit_patterns(data: PatternData, structure: CovarianceStructure, *, reml: bool = True,
                 criterion: str = "tight") -> MmrmFit:
    """Fit one structure to pattern data (:mod:`aidheart.stats.reml_data`).

    ``criterion`` as :func:`aidheart.stats.reml.fit_reml`; with ``"sas"`` the start is
    :func:`mivque0` where it exists, as in SAS, else the moment start.
    Raises :class:`MmrmFitError` when the fixed effects are not estimable or the start
    is not positive definite; a fit that did not converge is returned with
    ``converged = False`` and a ``message``.
    """
    try:
        start = mivque0(data, structure) if criterion == "sas" else None
        if start is None:
            start = starting_parameters(data, structure)
        result = fit_reml(data, structure, start, reml=reml, criterion=criterion)
    except NotEstimable as error:
        raise MmrmFitError(f"fixed effects not estimable: {error}") from None
    except ValueError as error:
        raise MmrmFitError(str(error)) from None
    return MmrmFit(data=data, structure=structure, reml=reml, result=result)


def fit_mmrm_arrays(y: np.ndarray, x: np.ndarray, structure: str = "us", *, reml: bool = True,
                    criterion: str = "tight") -> MmrmFit:
    """Fit ``y_i ~ N(X_i beta, Sigma[S_i, S_i])`` with the named covariance structure.

    Parameters
    ----------
    y : (n, K) responses, ``NaN`` where not observed (subjects with none are dropped)
    x : (n, K, q) design rows at every visit (rows where ``y`` is ``NaN`` are unused);
        full column rank over the observed rows
    structure : one of :data:`aidheart.stats.covariance.STRUCTURES`
    reml : REML (default) or ML
    criterion : ``"tight"`` or ``"sas"`` (:func:`aidheart.stats.reml.fit_reml`)
    """
    data = group_by_pattern(np.asarray(y, dtype=float), np.asarray(x, dtype=float))
    return fit_patterns(data, covariance_structure(structure, data.n_visits), reml=reml, criterion=criterion)


def fit_first_converging(data: PatternData, structures, *, reml: bool = True,
                         criterion: str = "tight") -> tuple[MmrmFit | None, list[str]]:
    """Fit ``structures`` in order and return the first fit that converged.

    Returns ``(fit, attempts)``: ``fit`` is ``None`` when none converged; ``attempts``
    has one ``"<name>: <why it failed>"`` per structure that failed, in order.
    """
    attempts = []
    for name in structures:
        try:
            fit = fit_patterns(data, covariance_structure(name, data.n_visits), reml=reml, criterion=criterion)
        except (MmrmFitError, ValueError) as error:
            attempts.append(f"{name}: {error}")
            continue
        if fit.converged:
            return fit, attempts
        attempts.append(f"{name}: {fit.message}")
    return None, attempts

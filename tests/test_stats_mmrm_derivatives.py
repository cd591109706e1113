"""Analytic derivatives of the MMRM engine against central finite differences.

For every covariance structure: ``dSigma/dtheta`` and ``d2Sigma/dtheta2`` against
differences of ``Sigma(theta)``; for REML and ML, the gradient of ``D = -2 logL`` against
differences of ``D`` and the observed Hessian against differences of the gradient, on
simulated data with missing visits and a design with a factor and a covariate.
Central differences with step ``h`` have error ``O(h^2)``: tolerances are stated per check.
"""

from __future__ import annotations

import numpy as np
import pytest

from aidheart.stats.covariance import STRUCTURES, covariance_structure
from aidheart.stats.reml import evaluate
from aidheart.stats.reml_data import group_by_pattern

K = 4
THETA = {
    "us": None,  # from the matrix below
    "cs": np.array([3.0, 5.0]),
    "ar1": np.array([0.55, 7.0]),
    "csh": np.array([4.0, 6.0, 9.0, 5.0, 0.4]),
    "toeph": np.array([4.0, 6.0, 9.0, 5.0, 0.5, 0.3, 0.1]),
}
SIGMA = np.array([[6.0, 2.5, 1.5, 1.0], [2.5, 7.0, 3.0, 2.0], [1.5, 3.0, 8.0, 3.5], [1.0, 2.0, 3.5, 9.0]])


def theta_for(name):
    structure = covariance_structure(name, K)
    return structure, (structure.start(SIGMA) if THETA[name] is None else THETA[name])


def simulated_patterns(seed=3, n=60):
    """A mean per visit, a common slope on a baseline covariate, an arm effect per visit."""
    rng = np.random.default_rng(seed)
    arm = rng.integers(0, 2, n).astype(float)
    base = rng.normal(10, 2, n)
    x = np.zeros((n, K, 2 * K + 1))
    for k in range(K):
        x[:, k, k] = 1.0
        x[:, k, K] = base - 10
        x[:, k, K + 1 + k] = arm
    y = np.einsum("nkq,q->nk", x, rng.normal(0, 1, x.shape[2])) + rng.multivariate_normal(np.zeros(K), SIGMA, n)
    y[rng.random((n, K)) < 0.25] = np.nan
    return group_by_pattern(y, x)


@pytest.mark.parametrize("name", STRUCTURES)
def test_covariance_derivatives(name):
    structure, theta = theta_for(name)
    h = 1e-5
    steps = np.eye(len(theta)) * h
    first = np.stack([(structure.matrix(theta + s) - structure.matrix(theta - s)) / (2 * h) for s in steps])
    np.testing.assert_allclose(structure.first(theta), first, rtol=1e-7, atol=1e-8)
    second = structure.second(theta)
    if second is None:  # linear in theta: the first derivative is constant
        np.testing.assert_allclose(structure.first(theta + 0.3), structure.first(theta), atol=0)
        return
    numeric = np.stack([(structure.first(theta + s) - structure.first(theta - s)) / (2 * h) for s in steps])
    np.testing.assert_allclose(second, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("reml", [True, False], ids=["REML", "ML"])
@pytest.mark.parametrize("name", STRUCTURES)
def test_gradient_and_hessian(name, reml):
    data = simulated_patterns()
    structure, theta = theta_for(name)
    ev = evaluate(data, structure, theta, reml=reml)
    h = 1e-5
    steps = np.eye(len(theta)) * h
    objective = [(evaluate(data, structure, theta + s, order=0, reml=reml).objective
                  - evaluate(data, structure, theta - s, order=0, reml=reml).objective) / (2 * h) for s in steps]
    gradient = [(evaluate(data, structure, theta + s, order=1, reml=reml).gradient
                 - evaluate(data, structure, theta - s, order=1, reml=reml).gradient) / (2 * h) for s in steps]
    np.testing.assert_allclose(ev.gradient, objective, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(ev.hessian, gradient, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", STRUCTURES)
def test_expected_hessian_is_the_mean_of_the_observed_one(name):
    """E[d2D] = tr(P G_a P G_b): averaged over data simulated from the model, the observed
    Hessian (REML) approaches the expected one (Monte Carlo, 200 replicates, 4 % of its size)."""
    structure, theta = theta_for(name)
    rng = np.random.default_rng(11)
    n = 40
    x = np.broadcast_to(np.eye(K), (n, K, K))
    sigma = structure.matrix(theta)
    observed = []
    for _ in range(200):
        y = rng.multivariate_normal(np.zeros(K), sigma, n)
        y[:10, 3] = np.nan
        ev = evaluate(group_by_pattern(y, x), structure, theta)
        observed.append(ev.hessian)
        expected = ev.expected_hessian
    scale = np.abs(expected).max()
    np.testing.assert_allclose(np.mean(observed, axis=0), expected, atol=0.04 * scale)

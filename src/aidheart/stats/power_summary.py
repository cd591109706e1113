"""Power, type I error, coverage and bias of a simulated scenario from its replicates.

Each replicate gives the Kenward-Roger estimate, SE and df of the primary-visit contrast
(:mod:`aidheart.stats.trial_power`); its two-sided t test and CI are
:func:`aidheart.stats.satterthwaite.t_inference`'s. Kept apart from the simulation so
that a scenario job needs numpy alone (scipy's import is a fifth of its run).
"""

from __future__ import annotations

import math

import numpy as np

from aidheart.stats.satterthwaite import t_inference


def summarise_replicates(results: dict[str, np.ndarray], delta: float, alpha: float,
                         level: float = 0.95) -> dict[str, float]:
    """Summary of one scenario over its converged replicates.

    Returns ``replicates``, ``not_converged`` (left out of every rate); ``rejection_rate``
    = share with two-sided ``p < alpha`` (power, or the type I error when ``delta = 0``)
    and its Monte Carlo SE ``sqrt(p (1 - p) / R_c)``; ``mean_estimate``, ``bias`` = mean -
    delta and its MC SE ``sd / sqrt(R_c)``; ``coverage`` = share of ``level`` CIs that
    contain ``delta`` and its MC SE (``R_c`` converged replicates; ``NaN`` when none).
    """
    converged = np.asarray(results["converged"], dtype=bool)
    count = int(converged.sum())
    summary = {"replicates": len(converged), "not_converged": len(converged) - count}
    if count == 0:
        return summary | dict.fromkeys(("rejection_rate", "rejection_mcse", "mean_estimate", "bias", "bias_mcse",
                                        "coverage", "coverage_mcse"), math.nan)
    estimate = np.asarray(results["estimate"], dtype=float)[converged]
    tests = [t_inference(float(e), float(s), float(d), level) for e, s, d in
             zip(estimate, np.asarray(results["std_error"])[converged], np.asarray(results["df"])[converged])]
    rejected = float(np.mean([test["p_value"] < alpha for test in tests]))
    covered = float(np.mean([test["ci_low"] <= delta <= test["ci_high"] for test in tests]))
    sd = float(np.std(estimate, ddof=1)) if count > 1 else math.nan
    return summary | {
        "rejection_rate": rejected,
        "rejection_mcse": math.sqrt(rejected * (1 - rejected) / count),
        "mean_estimate": float(np.mean(estimate)),
        "bias": float(np.mean(estimate)) - delta,
        "bias_mcse": sd / math.sqrt(count),
        "coverage": covered,
        "coverage_mcse": math.sqrt(covered * (1 - covered) / count),
    }

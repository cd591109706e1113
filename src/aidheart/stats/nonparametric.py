"""Wilcoxon signed-rank test and Hodges-Lehmann estimates, computed as R's ``wilcox.test``.

R's ``wilcox.test(visit, baseline, paired = TRUE, conf.int = TRUE)`` (R 4.2,
``stats:::wilcox.test.default``) works on the differences with the zeros dropped,
and branches:

* exact — fewer than 50 non-zero differences, no tied absolute values, no zeros:
  p from the exact null distribution of V, the (pseudo)median as the median of
  the Walsh averages and the CI from signed-rank quantiles (``qsignrank``);
* normal approximation — otherwise: p from the continuity- and tie-corrected
  normal statistic, and estimate and CI by root-finding (``uniroot``, tolerance
  1e-4) on that statistic as a function of the shift.

The test's p-value is scipy's ``wilcoxon`` with R's branch chosen here
(``method="exact"`` or ``"approx"``, ``zero_method="wilcox"``, ``correction=True``):
it equals R's to 2e-15 on every reference row, whereas scipy's own
``method="auto"`` differs from R when zeros are present (sleep: 0.0039 against
R's 0.0091; ``tests/test_stats_nonparametric.py``). The estimate and CI follow R's
root finder step by step (:func:`aidheart.stats.roots.zeroin`), which scipy does
not offer; the exact signed-rank distribution they need is computed by dynamic
programming.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special, stats

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame
from aidheart.stats.pairs import paired_differences
from aidheart.stats.roots import zeroin

EXACT_BELOW = 50  # R: exact when n < 50 (and no ties, no zeros)
ROOT_TOL = 1e-4  # R's wilcox.test tol.root


def average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks with ties averaged (R's ``rank``) and the size of each tie group."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], values.size]
    ranks = np.empty(values.size)
    ranks[order] = np.repeat((starts + 1 + ends) / 2, ends - starts)
    return ranks, ends - starts


def subset_sum_counts(scores) -> np.ndarray:
    """Number of subsets of the positive integer ``scores`` with each sum 0, 1, ..., Σ scores.

    The product of the generating functions (1 + x^s); exact while the counts stay
    below 2^53 (fewer than 53 scores).
    """
    scores = np.asarray(scores, dtype=int)
    counts = np.zeros(int(scores.sum()) + 1)
    counts[0] = 1.0
    for k in scores:
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts


def signrank_counts(n: int) -> np.ndarray:
    """Number of sign patterns giving V = 0, 1, ..., n(n+1)/2 under H0 (scores 1..n)."""
    return subset_sum_counts(np.arange(1, n + 1))


def _qsignrank_lower(p: float, counts: np.ndarray, n: int) -> int:
    """R's ``qsignrank(p, n)`` for p <= 0.5: smallest q with P(V <= q) >= p - 10 eps."""
    cumulative = np.cumsum(counts) * 2.0**-n
    return int(np.argmax(cumulative >= p - 10 * np.finfo(float).eps))


def _signed_rank_z(x: np.ndarray, correct: bool) -> float:
    """Normal statistic of the signed-rank sum of ``x`` (zeros dropped), tie-corrected.

    ``(V - m(m+1)/4 - c) / sigma`` with ``c = sign(.) / 2`` when ``correct``; NaN
    when no non-zero value is left (R divides 0 by 0 there).
    """
    x = x[x != 0]
    m = x.size
    ranks, ties = average_ranks(np.abs(x))
    z = ranks[x > 0].sum() - m * (m + 1) / 4
    sigma = math.sqrt(m * (m + 1) * (2 * m + 1) / 24 - np.sum(ties**3 - ties) / 48)
    if sigma == 0:
        return math.nan
    return (z - (np.sign(z) * 0.5 if correct else 0.0)) / sigma


def _is_exact(x: np.ndarray, n_zero: int) -> bool:
    """R's branch rule on the non-zero differences ``x``."""
    return x.size < EXACT_BELOW and n_zero == 0 and np.unique(np.abs(x)).size == x.size


def _walsh_averages(x: np.ndarray) -> np.ndarray:
    """Sorted (x_i + x_j) / 2 over i <= j."""
    i, j = np.triu_indices(x.size)
    return np.sort(x[i] + x[j]) / 2


def wilcoxon_signed_rank(baseline, visit) -> pd.DataFrame:
    """Wilcoxon signed-rank test of the change ``visit - baseline``, as R computes it.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "wilcoxon_signed_rank"``, ``term = "V"``: ``statistic``
        V (sum of the ranks of the positive differences), ``p_value`` two-sided,
        ``n`` complete pairs; ``note`` names the branch (exact / normal) and the
        number of zero differences dropped.

    Notes
    -----
    d_i = visit_i - baseline_i; zeros are dropped, leaving m differences ranked by
    |d_i| (ties averaged); V = Σ_{d_i > 0} rank_i.
    Exact (m < 50, no ties, no zeros): p = min(1, 2 P(V' ≤ V)) if V ≤ m(m+1)/4,
    else min(1, 2 P(V' ≥ V)), V' the signed-rank sum of m untied ranks
    (``scipy.stats.wilcoxon(method="exact")``).
    Otherwise: z = (V - m(m+1)/4 - sign(.)·0.5) / σ,
    σ² = m(m+1)(2m+1)/24 - Σ(t³ - t)/48 over tie groups of size t, p = 2Φ(-|z|)
    (``scipy.stats.wilcoxon(method="approx", correction=True)``).
    For ties and zeros judged by their exact distribution instead see
    :func:`aidheart.stats.signed_rank_pratt.wilcoxon_pratt_exact`.
    Missing data: pairs with a missing member are dropped. No non-zero
    difference leaves p NaN (R: NaN as well).
    """
    d = paired_differences(baseline, visit)
    if d.size == 0:
        return results_frame([result_row("wilcoxon_signed_rank", "V", n=0, note="no complete pairs")])
    x = d[d != 0]
    n_zero = d.size - x.size
    ranks, _ = average_ranks(np.abs(x))
    v = float(ranks[x > 0].sum())
    if x.size == 0:
        p, note = math.nan, "all differences are zero"
    elif _is_exact(x, n_zero):
        p, note = float(stats.wilcoxon(x, zero_method="wilcox", method="exact").pvalue), "exact"
    else:
        p = float(stats.wilcoxon(x, zero_method="wilcox", correction=True, method="approx").pvalue)
        note = "normal approximation with continuity and tie correction"
        note += f"; {n_zero} zero difference(s) dropped" if n_zero else ""
    return results_frame([result_row("wilcoxon_signed_rank", "V", n=d.size, note=note,
                                     statistic=v, p_value=p)])


def _exact_interval(x: np.ndarray) -> tuple[float, float, float, str]:
    """R's exact branch: Walsh-average median and signed-rank CI."""
    m = x.size
    walsh = _walsh_averages(x)
    counts = signrank_counts(m)
    alpha = 1 - CONFIDENCE_LEVEL
    qu = max(_qsignrank_lower(alpha / 2, counts, m), 1)
    ql = m * (m + 1) // 2 - qu
    achieved = 2 * counts[:qu].sum() * 2.0**-m
    note = "exact: median of Walsh averages, CI from signed-rank quantiles"
    if achieved - alpha > alpha / 2:
        note += f"; requested 95% not achievable, confidence level {1 - float(f'{achieved:.2g}'):g}"
    return float(np.median(walsh)), walsh[qu - 1], walsh[ql], note


def _normal_interval(x: np.ndarray) -> tuple[float, float, float, str]:
    """R's normal branch: roots of the signed-rank statistic as a function of the shift."""
    note = "normal approximation (ties or zeros): roots of the corrected statistic, R's uniroot tol 1e-4"
    lo, hi = float(np.min(x)), float(np.max(x))
    w_lo = _signed_rank_z(x - lo, correct=True)
    w_hi = _signed_rank_z(x - hi, correct=True)
    if not (math.isfinite(w_lo) and math.isfinite(w_hi)):
        return (lo + hi) / 2, math.nan, math.nan, "all differences tied: estimate is the midrange, no CI"
    alpha = 1 - CONFIDENCE_LEVEL
    while w_lo + special.ndtri(alpha / 2) < 0 or w_hi - special.ndtri(alpha / 2) > 0:
        alpha *= 2
    if alpha >= 1 or 1 - CONFIDENCE_LEVEL < alpha * 0.75:
        note += f"; requested 95% not achievable, confidence level {1 - min(1.0, alpha):g}"
    if alpha < 1:
        ends = []
        for zq in (-special.ndtri(alpha / 2), special.ndtri(alpha / 2)):
            ends.append(zeroin(lambda s, zq=zq: _signed_rank_z(x - s, correct=True) - zq, lo, hi,
                               f_lower=w_lo - zq, f_upper=w_hi - zq, tol=ROOT_TOL))
    else:
        ends = [float(np.median(x))] * 2
    estimate = zeroin(lambda s: _signed_rank_z(x - s, correct=False), lo, hi, tol=ROOT_TOL)
    return estimate, ends[0], ends[1], note


def hodges_lehmann(baseline, visit) -> pd.DataFrame:
    """Hodges-Lehmann (pseudo)median of the change with its 95 % CI, as R's ``wilcox.test``.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "hodges_lehmann"``, ``term = "pseudomedian"``:
        ``estimate``, ``ci_low``, ``ci_high``, ``n`` complete pairs; ``note`` says
        which of R's two computations applied and any change of confidence level.

    Notes
    -----
    On the non-zero differences x_1..x_m (zeros dropped, as R does):
    exact case (m < 50, no ties, no zeros): estimate = median of the Walsh averages
    (x_i + x_j)/2, i ≤ j; with q = max(1, qsignrank(0.025, m)) the CI is
    [W_(q), W_(m(m+1)/2 - q + 1)] of the sorted averages W; R's achieved level
    rule applies. Otherwise: with Z(s) the signed-rank normal statistic of x - s
    (zeros of x - s dropped, tie-corrected), the CI ends solve Z(s) = ±z_{0.975}
    with continuity correction and the estimate solves Z(s) = 0 without it, by
    R's ``uniroot`` (Brent, tol 1e-4) over [min x, max x]; so the estimate is not
    the Walsh median there (see :func:`hodges_lehmann_exact`).
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    x = d[d != 0]
    if x.size == 0:
        note = "no complete pairs" if d.size == 0 else "all differences are zero"
        return results_frame([result_row("hodges_lehmann", "pseudomedian", n=d.size, note=note)])
    interval = _exact_interval if _is_exact(x, d.size - x.size) else _normal_interval
    estimate, low, high, note = interval(x)
    return results_frame([result_row("hodges_lehmann", "pseudomedian", n=d.size, note=note,
                                     estimate=estimate, ci_low=low, ci_high=high)])


def hodges_lehmann_exact(baseline, visit) -> pd.DataFrame:
    """Median of the Walsh averages of the non-zero changes (the textbook Hodges-Lehmann estimate).

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "hodges_lehmann_exact"``, ``term = "median_walsh"``:
        ``estimate`` and ``n`` complete pairs.

    Notes
    -----
    median{(x_i + x_j)/2 : i ≤ j} over the non-zero differences x (zeros dropped,
    as in the signed-rank test). Equals :func:`hodges_lehmann` in R's exact case;
    with ties or zeros R's estimate is a root of the normal statistic instead.
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    x = d[d != 0]
    if x.size == 0:
        note = "no complete pairs" if d.size == 0 else "all differences are zero"
        return results_frame([result_row("hodges_lehmann_exact", "median_walsh", n=d.size, note=note)])
    return results_frame([result_row("hodges_lehmann_exact", "median_walsh", n=d.size,
                                     estimate=float(np.median(_walsh_averages(x))))])

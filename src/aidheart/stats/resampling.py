"""Resampling inference on the mean change: seeded BCa bootstrap and the sign-flip permutation test.

Libraries (``tests/test_stats_resampling.py``): ``scipy.stats.bootstrap(method="BCa")``
counts only exactly equal resample means as ties, so its limits follow numpy's
summation noise; fed R's own resamples its upper limit misses R's by 3.6 %
(``test_scipy_bca_differs_from_r_with_near_ties``), hence the own BCa with a tie
tolerance. ``scipy.stats.permutation_test`` reproduces R's exact sign-flip p
(``test_scipy_permutation_test_agrees_with_r``) but evaluates the statistic on each
of the 2^n patterns, 13 s at n = 20 against 0.07 s for the meet-in-the-middle
enumeration here, for each of the ARD's many endpoint x visit x set rows; the
own enumeration is kept for that.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame
from aidheart.stats.pairs import paired_differences

EXACT_UP_TO = 24  # sign-flip: enumerate all 2^n patterns up to this n
CHUNK_CELLS = 1 << 20  # cells per vectorised block, keeps memory near 8 MB
RELATIVE_FUZZ = 1e-12  # |sum s d| >= |sum d| (1 - fuzz) counts as at least as extreme
TIE_TOLERANCE = 1e-9  # BCa: |mean* - mean| <= tolerance * max|d| is a tie with the estimate


def _bootstrap_means(d: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``resamples`` with-replacement resamples of ``d``, drawn in memory-bounded blocks."""
    rows = max(1, CHUNK_CELLS // d.size)
    means = np.empty(resamples)
    for start in range(0, resamples, rows):
        stop = min(start + rows, resamples)
        means[start:stop] = d[rng.integers(0, d.size, size=(stop - start, d.size))].mean(axis=1)
    return means


class BcaInterval(NamedTuple):
    """BCa limits with the parts they are built from (see :func:`bca_interval`)."""

    low: float
    high: float
    z0: float
    acceleration: float
    tied: int
    below: int


def bca_interval(d: np.ndarray, means: np.ndarray) -> BcaInterval | None:
    """BCa 95 % limits (Efron 1987) of the mean of ``d`` from its bootstrap means.

    Parameters
    ----------
    d : numpy.ndarray
        The n observed differences.
    means : numpy.ndarray
        The B bootstrap resample means θ*_b.

    Returns
    -------
    BcaInterval or None
        The limits, z0, the acceleration a, the number of resample means tied with
        the estimate and the number below it (ties excluded); None when z0 or a is
        infinite (every resample mean on one side of the estimate, or constant d).

    Notes
    -----
    Ties: θ*_b counts as tied with θ̂ = mean(d) when |θ*_b - θ̂| ≤ 1e-9·max|d_i|,
    and a tie counts half below: z0 = Φ⁻¹((#below + #tied / 2) / B). With rounded
    data many resample means equal θ̂ in exact arithmetic, and whether the computed
    one lands a rounding error below or above it depends on the order of summation:
    numpy's pairwise sums and R's long-double ``mean`` put different resamples on
    different sides, and the BCa limits of the same resamples disagreed by up to
    1.4 %. The rounding error of a mean of n terms is about n·ε·max|d| (4e-15·max|d|
    at n = 16); two distinct means of data with k decimals differ by at least
    10^-k / n; 1e-9·max|d| lies far between the two. Half below is the mid-rank
    convention for ties at the estimate (scipy's ``bootstrap`` counts exact ties the
    same way).
    Acceleration a = Σ(θ̄_(.) - θ_(i))³ / (6 [Σ(θ̄_(.) - θ_(i))²]^{3/2}) from the
    jackknife means θ_(i) (for the mean, boot's ``empinf(type = "jack")`` values);
    the limits are the quantiles (numpy's default linear interpolation, R's type 7)
    of θ* at Φ(z0 + (z0 + z_α)/(1 - a(z0 + z_α))), z_α = Φ⁻¹(0.025), Φ⁻¹(0.975).
    """
    estimate = d.mean()
    tied = np.abs(means - estimate) <= TIE_TOLERANCE * np.max(np.abs(d))
    below = int(np.count_nonzero((means < estimate) & ~tied))
    z0 = special.ndtri((below + np.count_nonzero(tied) / 2) / means.size)
    jackknife = (d.sum() - d) / (d.size - 1)
    spread = jackknife.mean() - jackknife
    acceleration = np.sum(spread**3) / (6 * np.sum(spread**2) ** 1.5)
    if not (math.isfinite(z0) and math.isfinite(acceleration)):
        return None
    z = special.ndtri(np.array([(1 - CONFIDENCE_LEVEL) / 2, (1 + CONFIDENCE_LEVEL) / 2]))
    levels = special.ndtr(z0 + (z0 + z) / (1 - acceleration * (z0 + z)))
    low, high = np.quantile(means, levels)
    return BcaInterval(float(low), float(high), float(z0), float(acceleration),
                       int(np.count_nonzero(tied)), below)


def bootstrap_mean_change(baseline, visit, *, seed: int, resamples: int = 9999) -> pd.DataFrame:
    """Nonparametric bootstrap of the mean change with a BCa 95 % interval.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.
    seed : int
        Seed of the ``numpy.random.default_rng`` generator: the same seed, data and
        ``resamples`` give the same row.
    resamples : int
        Number of bootstrap resamples B.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "bootstrap_mean_change"``, ``term = "mean_change"``:
        ``estimate`` the sample mean change, ``std_error`` the SD of the B bootstrap
        means, ``ci_low``/``ci_high`` the BCa interval, ``n`` complete pairs; ``note``
        gives the interval type, B and the seed. Fewer than 2 pairs or constant
        differences: NaN and a ``note``.

    Notes
    -----
    Resample the n differences with replacement B times; θ*_b = mean; the BCa
    limits, with resample means within 1e-9·max|d| of θ̂ counted as ties half
    below in z0, are those of :func:`bca_interval`.
    At n ≈ 15 the BCa interval of a mean under-covers: the resample means spread
    with the divisor n instead of n - 1 and their quantiles are normal rather than
    t. Simulated coverage of the nominal 95 % at n = 15 (1000 samples, B = 1999,
    Monte Carlo SE 0.8 %): 92.8 % for normal and 92.5 % for exponential
    differences (the normal case is a test).
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    if d.size < 2 or np.ptp(d) == 0:
        note = "fewer than 2 complete pairs" if d.size < 2 else "differences are constant"
        return results_frame([result_row("bootstrap_mean_change", "mean_change", n=d.size, note=note)])
    means = _bootstrap_means(d, resamples, np.random.default_rng(seed))
    interval = bca_interval(d, means)
    note = f"BCa interval, B={resamples}, seed={seed}"
    limits = (None, None) if interval is None else (interval.low, interval.high)
    if interval is None:
        note = f"BCa bias correction infinite (all resampled means on one side), B={resamples}, seed={seed}"
    return results_frame([result_row("bootstrap_mean_change", "mean_change", n=d.size, note=note,
                                     estimate=float(d.mean()), std_error=float(np.std(means, ddof=1)),
                                     ci_low=limits[0], ci_high=limits[1])])


def _all_sign_sums(d: np.ndarray) -> np.ndarray:
    """Σ s_i d_i for all 2^len(d) sign vectors s."""
    sums = np.zeros(1)
    for value in d:
        sums = np.concatenate((sums + value, sums - value))
    return sums


def _exact_sign_flip_p(d: np.ndarray, threshold: float) -> float:
    """Share of all 2^n sign patterns with |Σ s d| ≥ threshold, meet-in-the-middle and blocked."""
    half = d.size // 2
    first, second = _all_sign_sums(d[:half]), _all_sign_sums(d[half:])
    rows = max(1, CHUNK_CELLS // second.size)
    extreme = 0
    for start in range(0, first.size, rows):
        block = first[start : start + rows, None] + second[None, :]
        extreme += int(np.count_nonzero(np.abs(block) >= threshold))
    return extreme / (first.size * second.size)


def _monte_carlo_sign_flip_p(d: np.ndarray, threshold: float, resamples: int, seed: int) -> float:
    """(1 + #{|Σ s d| ≥ threshold}) / (1 + B) over B random sign vectors."""
    rng = np.random.default_rng(seed)
    rows = max(1, CHUNK_CELLS // d.size)
    extreme = 0
    for start in range(0, resamples, rows):
        signs = rng.choice(np.array([-1.0, 1.0]), size=(min(rows, resamples - start), d.size))
        extreme += int(np.count_nonzero(np.abs(signs @ d) >= threshold))
    return (1 + extreme) / (1 + resamples)


def sign_flip_permutation(baseline, visit, *, seed: int, resamples: int = 9999) -> pd.DataFrame:
    """Sign-flip (paired permutation) test of the mean change.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.
    seed : int
        Seed for the Monte Carlo patterns (used only when n > 24).
    resamples : int
        Number of random sign patterns when n > 24.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "sign_flip_permutation"``, ``term = "mean_change"``:
        ``estimate`` the mean change, ``statistic`` Σd, ``p_value`` two-sided,
        ``n`` complete pairs; ``note`` says exact (2^n patterns) or Monte Carlo
        (B, seed). No pairs: NaN and a ``note``.

    Notes
    -----
    Under H0 each difference is symmetric about 0, so every sign pattern s is
    equally likely. n ≤ 24: p = #{s : |Σ s_i d_i| ≥ |Σ d_i|(1 - 1e-12)} / 2^n over
    all patterns (identity included), enumerated as all sums of one half of the
    differences plus all sums of the other half in blocks of about 10^6. n > 24:
    p = (1 + #extreme) / (1 + B) over B seeded random patterns (Phipson & Smyth
    2010: never 0). The 1e-12 relative fuzz keeps patterns equal to the observed
    sum from being lost to rounding. Missing data: pairs with a missing member
    are dropped.
    """
    d = paired_differences(baseline, visit)
    if d.size == 0:
        row = result_row("sign_flip_permutation", "mean_change", n=0, note="no complete pairs")
        return results_frame([row])
    total = float(d.sum())
    threshold = abs(total) * (1 - RELATIVE_FUZZ)
    if d.size <= EXACT_UP_TO:
        p, note = _exact_sign_flip_p(d, threshold), f"exact over all 2^{d.size} sign patterns"
    else:
        p = _monte_carlo_sign_flip_p(d, threshold, resamples, seed)
        note = f"Monte Carlo over {resamples} random sign patterns, seed={seed}"
    return results_frame([result_row("sign_flip_permutation", "mean_change", n=d.size, note=note,
                                     estimate=float(d.mean()), statistic=total, p_value=p)])

"""Next-trial sizing from a pilot: SDs with upper confidence limits, per-arm sample sizes.

Two designs: :func:`next_trial_size` sizes on the SD of the within-subject change,
:func:`ancova_size` on the residual SD of the two-arm ANCOVA the next trial will
use (visit value adjusted for baseline), inflated for the pilot's dropout.

Library: statsmodels' ``TTestIndPower`` counts both rejection tails in the
two-sided power (R's ``strict = TRUE``), R's ``power.t.test`` by default only the
near one; its n differs from R's by 2.4e-6 relative, beyond the 1e-6 tolerance
(``tests/test_stats_sizing.py``), so the power function here is R's.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special, stats

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame
from aidheart.stats.pairs import complete_pairs, paired_differences
from aidheart.stats.roots import zeroin

UCL_LEVELS = (0.8, 0.95)
N_TOL = 1e-12  # absolute tolerance on n (R reference: power.t.test(..., tol = 1e-12))


def browne_sd_ucl(sd: float, df: int, level: float) -> float:
    """Browne's (1995) one-sided upper confidence limit for a SD on ``df`` df: s·sqrt(df / χ²_{1-level, df}).

    χ²_{p, k} is the lower p-quantile of chi-square on k df (df = n - 1 for a sample SD).
    """
    return sd * math.sqrt(df / (2 * special.gammaincinv(df / 2, 1 - level)))


def two_sample_power(n: float, delta: float, sd: float, alpha: float = 0.05) -> float:
    """Power of the two-sided two-sample t-test with n per arm, as R's ``power.t.test`` (strict = FALSE)."""
    df = max(1e-7, n - 1) * 2
    critical = special.stdtrit(df, 1 - alpha / 2)
    return 1 - special.nctdtr(df, math.sqrt(n / 2) * delta / sd, critical)


def two_sample_n(delta: float, sd: float, power: float, alpha: float = 0.05) -> float:
    """Unrounded n per arm giving ``power`` (see :func:`two_sample_power`); NaN if unattainable.

    Solves power(n) = target for n in [2, 1e7] (the interval of R's ``power.t.test``), to 1e-12 absolute.
    """
    def shortfall(n: float) -> float:
        return two_sample_power(n, delta, sd, alpha) - power

    lower, upper = 2.0, 1e7
    if not (delta != 0 and shortfall(lower) < 0 < shortfall(upper)):
        return math.nan
    return zeroin(shortfall, lower, upper, tol=N_TOL)


def next_trial_size(baseline, visit, *, effect_sizes, powers=(0.8, 0.9), alpha: float = 0.05) -> pd.DataFrame:
    """SD of change with Browne's upper limits and the per-arm n of a two-arm trial over a grid.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit (the pilot).
    effect_sizes : sequence of float
        Between-arm differences in mean change to detect (endpoint units, e.g. 30 m).
    powers : sequence of float
        Target powers.
    alpha : float
        Two-sided significance level.

    Returns
    -------
    pandas.DataFrame
        ``method = "next_trial_size"`` rows:

        * ``sd_change``: ``estimate`` s, ``df`` n - 1, ``n`` complete pairs;
        * ``sd_ucl80``, ``sd_ucl95``: Browne's upper limits (``estimate``, ``df``, ``n``);
        * ``n_per_arm_<S>`` for S in (``sd_change``, ``sd_ucl80``), one row per
          difference D and power P: ``threshold`` D, ``power`` P, ``estimate`` the
          unrounded n per arm, ``statistic`` its ceiling (the n to recruit per arm),
          ``n`` pilot pairs.

        Fewer than 2 pairs or a zero SD: NaN and a ``note``.

    Notes
    -----
    s = SD(visit - baseline) with divisor n - 1; UCL_γ = s·sqrt((n - 1)/χ²_{1-γ, n-1})
    (Browne 1995, who recommends sizing with the 80 % UCL). Per-arm n solves
    P(T' > t_{1-α/2, 2(n-1)}; 2(n-1), ncp = sqrt(n/2)·D/S) = P for T' noncentral t —
    R's ``power.t.test(delta = D, sd = S, power = P, type = "two.sample")`` with its
    default ``strict = FALSE`` (the far rejection tail is ignored), solved to 1e-12.
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    n = d.size
    sd = float(np.std(d, ddof=1)) if n >= 2 else math.nan
    if not sd > 0:
        note = "fewer than 2 complete pairs" if n < 2 else "differences are constant (SD 0)"
        return results_frame([result_row("next_trial_size", "sd_change", n=n, note=note)])
    sds = {"sd_change": sd}
    sds.update({f"sd_ucl{round(100 * level)}": browne_sd_ucl(sd, n - 1, level) for level in UCL_LEVELS})
    rows = [result_row("next_trial_size", term, n=n, estimate=value, df=n - 1) for term, value in sds.items()]
    for basis in ("sd_change", "sd_ucl80"):
        for delta in effect_sizes:
            for power in powers:
                size = two_sample_n(delta, sds[basis], power, alpha)
                rows.append(_size_row("next_trial_size", "n_per_arm", delta, power, basis, size, n))
    return results_frame(rows)


def _size_row(method: str, name: str, delta: float, power: float, basis: str, size: float, n: int,
              note: str = "") -> dict:
    """A ``<name>_<basis>`` row of difference ``delta`` (``threshold``) and ``power``: the unrounded n in
    ``estimate``, its ceiling in ``statistic``."""
    term = f"{name}_{basis}"
    if not math.isfinite(size):
        return result_row(method, term, n=n, threshold=delta, power=power, note="power not attainable")
    return result_row(method, term, n=n, threshold=delta, power=power, estimate=size, statistic=math.ceil(size),
                      note=note)


def ancova_size(baseline, visit, *, effect_sizes, powers=(0.8, 0.9), alpha: float = 0.05,
                dropout: float | None = None) -> pd.DataFrame:
    """Per-arm n of a two-arm ANCOVA (visit value adjusted for baseline), inflated for dropout.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the pilot's subjects at baseline and at the primary visit (NaN when
        missing).
    effect_sizes : sequence of float
        Between-arm differences in mean to detect (endpoint units).
    powers : sequence of float
        Target powers.
    alpha : float
        Two-sided significance level.
    dropout : float, optional
        Share of enrolled subjects expected without the primary value; default the
        pilot's: subjects with a baseline and no value at the visit, over subjects
        with a baseline.

    Returns
    -------
    pandas.DataFrame
        ``method = "next_trial_size_ancova"`` rows, ``n`` complete pairs unless said:

        * ``correlation``: r of baseline and visit, ``ci_low``/``ci_high`` its 95 % CI;
        * ``sd_visit`` (``df`` n - 1), ``sd_ancova`` = sd_visit·sqrt(1 - r²),
          ``sd_residual`` the regression residual SD (``df`` n - 2);
        * ``sd_ancova_ucl80``, ``sd_ancova_ucl95``: Browne's upper limits of the
          residual SD on n - 2 df;
        * ``dropout``: the share used, ``n`` subjects with a baseline when computed;
        * ``n_per_arm_<S>`` and ``n_enrol_per_arm_<S>`` for S in (``sd_ancova``,
          ``sd_ancova_ucl80``), one row per difference D (``threshold``) and power P
          (``power``): ``estimate`` unrounded, ``statistic`` the ceiling; enrolment is
          n / (1 - dropout).

        Fewer than 3 pairs or a zero SD: a ``correlation`` row with NaN and a ``note``.

    Notes
    -----
    r is Pearson's on the complete pairs; its CI is Fisher's z,
    tanh(atanh r ± z_{0.975}/sqrt(n - 3)) (``scipy.stats.pearsonr``, as R's
    ``cor.test``). The ANCOVA residual SD is σ·sqrt(1 - ρ²) (Borm et al. 2007),
    estimated by sd_visit·sqrt(1 - r²); the regression residual SD s_res =
    that·sqrt((n - 1)/(n - 2)) is the same quantity with its own df, and Browne's UCL
    of s_res on n - 2 df covers the uncertainty of r and of the SD together (the CI of
    r alone would leave that of the SD out). Per-arm n: R's ``power.t.test`` with the
    reduced SD (:func:`two_sample_n`), i.e. a two-sample t test on the adjusted
    values; it ignores the df the baseline slope takes and the chance imbalance of
    baseline between arms, so it understates the ANCOVA n by about half a subject per
    arm (0.52-0.54 at n 18-57 against the power integrated over the t-distributed
    baseline imbalance). Enrolment: n / (1 - dropout), ceiling in ``statistic``.
    Missing data: r and the SDs use the complete pairs.
    """
    base, post = complete_pairs(baseline, visit)
    n = base.size
    method = "next_trial_size_ancova"
    if n < 3 or np.ptp(base) == 0 or np.ptp(post) == 0:
        note = "fewer than 3 complete pairs" if n < 3 else "baseline or visit values are constant"
        return results_frame([result_row(method, "correlation", n=n, note=note)])
    fit = stats.pearsonr(base, post)
    r = float(fit.statistic)
    interval = fit.confidence_interval(CONFIDENCE_LEVEL)
    sd_visit = float(np.std(post, ddof=1))
    sd_ancova = sd_visit * math.sqrt(1 - r**2)
    sd_residual = sd_ancova * math.sqrt((n - 1) / (n - 2))
    sds = {"sd_ancova": sd_ancova}
    sds.update({f"sd_ancova_ucl{round(100 * level)}": browne_sd_ucl(sd_residual, n - 2, level)
                for level in UCL_LEVELS})
    rows = [result_row(method, "correlation", n=n, estimate=r, ci_low=interval.low, ci_high=interval.high),
            result_row(method, "sd_visit", n=n, estimate=sd_visit, df=n - 1),
            result_row(method, "sd_ancova", n=n, estimate=sd_ancova),
            result_row(method, "sd_residual", n=n, estimate=sd_residual, df=n - 2)]
    rows += [result_row(method, term, n=n, estimate=sds[term], df=n - 2) for term in sds if term != "sd_ancova"]
    if dropout is None:
        enrolled = int(np.count_nonzero(np.isfinite(np.asarray(baseline, dtype=float))))
        dropout = (enrolled - n) / enrolled
        note = f"{enrolled - n} of {enrolled} subjects with a baseline have no value at the visit"
        rows.append(result_row(method, "dropout", n=enrolled, estimate=dropout, note=note))
    else:
        rows.append(result_row(method, "dropout", estimate=dropout, note="given"))
    for basis in ("sd_ancova", "sd_ancova_ucl80"):
        for delta in effect_sizes:
            for power in powers:
                size = two_sample_n(delta, sds[basis], power, alpha)
                rows.append(_size_row(method, "n_per_arm", delta, power, basis, size, n))
                rows.append(_size_row(method, "n_enrol_per_arm", delta, power, basis, size / (1 - dropout), n,
                                      note=f"n_per_arm / (1 - {dropout:.4g})"))
    return results_frame(rows)

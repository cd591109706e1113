"""Next-trial sizing from a pilot: SD of change with upper confidence limits, per-arm sample sizes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.pairs import paired_differences
from aidheart.stats.roots import zeroin

UCL_LEVELS = (0.8, 0.95)
N_TOL = 1e-12  # absolute tolerance on n (R reference: power.t.test(..., tol = 1e-12))


def browne_sd_ucl(sd: float, n: int, level: float) -> float:
    """Browne's (1995) one-sided upper confidence limit for a SD: s·sqrt((n - 1) / χ²_{1-level, n-1}).

    χ²_{p, k} is the lower p-quantile of chi-square on k df.
    """
    df = n - 1
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
        * ``n_per_arm[delta=D,power=P,sd=S]`` for each D, P and S in
          (``sd_change``, ``sd_ucl80``): ``estimate`` the unrounded n per arm,
          ``statistic`` its ceiling (the n to recruit per arm), ``n`` pilot pairs.

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
    sds.update({f"sd_ucl{round(100 * level)}": browne_sd_ucl(sd, n, level) for level in UCL_LEVELS})
    rows = [result_row("next_trial_size", term, n=n, estimate=value, df=n - 1) for term, value in sds.items()]
    for basis in ("sd_change", "sd_ucl80"):
        for delta in effect_sizes:
            for power in powers:
                size = two_sample_n(delta, sds[basis], power, alpha)
                term = f"n_per_arm[delta={delta:g},power={power:g},sd={basis}]"
                rows.append(result_row("next_trial_size", term, n=n, estimate=size,
                                       statistic=math.ceil(size) if math.isfinite(size) else None,
                                       note="" if math.isfinite(size) else "power not attainable"))
    return results_frame(rows)

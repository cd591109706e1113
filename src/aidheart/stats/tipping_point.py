"""Tipping-point analysis of a mean change: how much worse must the missing changes be to lose the result?

The complete-case mean assumes the subjects who missed the visit would have
changed like those who came (missing at random, MAR). The delta-adjusted
analysis (a pattern-mixture model) shifts the missing changes by δ and asks at
which δ the 95 % CI of the mean change over all subjects first includes 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.paired import t_inference


def tipping_point(baseline, visit, *, deltas=()) -> pd.DataFrame:
    """The shift δ of the imputed changes of subjects missing the visit at which the CI includes 0.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit; a NaN visit value
        is a subject missing the visit (imputed), a NaN baseline leaves the subject out.
    deltas : sequence of float
        Shifts at which to report the mean change and its CI as well (a tipping plot).

    Returns
    -------
    pandas.DataFrame
        ``method = "tipping_point"`` rows: ``term = "delta_tipping"``, ``estimate`` δ*
        (0 when the CI includes 0 already), ``n`` subjects with a baseline, ``note``
        with the number imputed; then ``mean_change[delta=D]`` for each D in ``deltas``:
        ``estimate``, ``std_error``, ``ci_low``/``ci_high``, ``df``, ``n``. With no
        subject missing the visit δ* is NaN (nothing to shift), and with fewer than
        2 observed changes every number is NaN; ``note`` says which.

    Notes
    -----
    Imputation before the shift: each missing change is imputed by the mean change m
    of the n_obs observed changes (MAR, no covariates), then shifted by δ. The mean
    over all N subjects is m + π δ, π = (N - n_obs)/N. Its SE is the observed one,
    s/sqrt(n_obs): this is the limit of Rubin's total variance of a normal-model
    multiple imputation as the number of imputations grows (single imputation at m
    and a t interval over N would understate it). CI(δ) = m + π δ ± t_{0.975,
    n_obs - 1} s/sqrt(n_obs), on the observed df (the complete-case t interval of
    :func:`aidheart.stats.paired.t_inference`, shifted by π δ). The CI includes 0 from
    δ* = -L/π if the complete-case CI is (L, U) with L > 0, from δ* = -U/π if U < 0;
    δ* = 0 if it includes 0 already. A negative δ* reads: the result holds unless
    the missing subjects changed |δ*| units worse than those observed. The
    imputation ignores the baseline value; the MMRM is the MAR analysis that uses it.
    """
    base = np.asarray(baseline, dtype=float).ravel()
    post = np.asarray(visit, dtype=float).ravel()
    if base.shape != post.shape:
        raise ValueError(f"baseline and visit differ in length: {base.size} vs {post.size}")
    change = (post - base)[np.isfinite(base)]
    observed = change[np.isfinite(change)]
    total, n_obs = change.size, observed.size
    share = (total - n_obs) / total if total else math.nan
    complete_case = t_inference(observed)
    if complete_case is None:
        note = "fewer than 2 observed changes" if n_obs < 2 else "observed changes are constant"
        return results_frame([result_row("tipping_point", "delta_tipping", n=total, note=note)]
                             + [result_row("tipping_point", f"mean_change[delta={d:g}]", n=total, note=note)
                                for d in deltas])
    mean, se = complete_case["estimate"], complete_case["std_error"]
    low, high = complete_case["ci_low"], complete_case["ci_high"]
    imputed = f"{total - n_obs} of {total} changes imputed at the observed mean + delta"
    if share == 0:
        rows = [result_row("tipping_point", "delta_tipping", n=total, note="no subject misses the visit")]
    elif low <= 0 <= high:
        rows = [result_row("tipping_point", "delta_tipping", n=total, estimate=0.0,
                           note=f"{imputed}; the CI includes 0 without a shift")]
    else:
        edge = low if low > 0 else high
        rows = [result_row("tipping_point", "delta_tipping", n=total, estimate=-edge / share, note=imputed)]
    for d in deltas:
        rows.append(result_row("tipping_point", f"mean_change[delta={d:g}]", n=total, note=imputed,
                               estimate=mean + share * d, std_error=se, ci_low=low + share * d,
                               ci_high=high + share * d, df=n_obs - 1))
    return results_frame(rows)

"""Paired t analysis of change from baseline, descriptive summaries, geometric mean ratio.

The t statistic, df, p and interval are ``scipy.stats.ttest_1samp`` on the
differences, which equals R's ``t.test`` to 3e-15 on every reference row
(``tests/test_stats_paired.py``); R's "data are essentially constant" stop is
kept as a NaN row.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame
from aidheart.stats.pairs import complete_pairs, paired_differences



def t_inference(d: np.ndarray) -> dict | None:
    """Mean of ``d`` with SE, 95 % t CI, t, df and two-sided p (as R's ``t.test``); None if undefined.

    Undefined: fewer than 2 values, or an SD below 10 ε |mean| (R stops with "data are
    essentially constant"). The keys are the ARD columns ``estimate``, ``std_error``,
    ``ci_low``, ``ci_high``, ``statistic``, ``df``, ``p_value``.
    """
    n = d.size
    if n < 2:
        return None
    mean = float(np.mean(d))
    se = float(np.std(d, ddof=1)) / math.sqrt(n)
    if se < 10 * np.finfo(float).eps * abs(mean) or se == 0:  # R: "data are essentially constant"
        return None
    result = stats.ttest_1samp(d, 0.0)
    interval = result.confidence_interval(CONFIDENCE_LEVEL)
    return {
        "estimate": mean,
        "std_error": se,
        "ci_low": float(interval.low),
        "ci_high": float(interval.high),
        "statistic": float(result.statistic),
        "df": int(result.df),
        "p_value": float(result.pvalue),
    }


def _undefined_note(d: np.ndarray) -> str:
    return "fewer than 2 complete pairs" if d.size < 2 else "differences are constant (SD 0)"


def paired_t(baseline, visit) -> pd.DataFrame:
    """Paired t analysis of the change ``visit - baseline``.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "paired_t"``, ``term = "mean_change"``: ``estimate`` mean
        change, ``std_error``, ``ci_low``/``ci_high`` 95 % t interval, ``statistic`` t,
        ``df``, ``p_value`` (two-sided, H0: mean change 0), ``n`` complete pairs.
        With fewer than 2 pairs or constant differences the numbers are NaN and
        ``note`` says why (R's ``t.test`` stops with an error there).

    Notes
    -----
    With d_i = visit_i - baseline_i, i = 1..n: mean d̄, s = SD(d) (divisor n - 1),
    SE = s / sqrt(n), t = d̄ / SE on n - 1 df, CI d̄ ± t_{0.975, n-1} SE — as
    ``t.test(visit, baseline, paired = TRUE)``. Missing data: pairs with a missing
    member are dropped (complete cases).
    """
    d = paired_differences(baseline, visit)
    values = t_inference(d)
    if values is None:
        return results_frame([result_row("paired_t", "mean_change", n=d.size, note=_undefined_note(d))])
    return results_frame([result_row("paired_t", "mean_change", n=d.size, **values)])


def summary(baseline, visit) -> pd.DataFrame:
    """Means and SDs at baseline, at the visit, and of the change, over complete pairs.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        Six rows, ``method = "summary"``, terms ``mean_baseline``, ``sd_baseline``,
        ``mean_visit``, ``sd_visit``, ``mean_change``, ``sd_change``; the value in
        ``estimate`` and the number of complete pairs in ``n``. A SD from fewer than
        2 pairs (and any mean from 0 pairs) is NaN with a ``note``.

    Notes
    -----
    SDs use the divisor n - 1. Missing data: the summaries describe the complete
    pairs only, so they match the paired analyses; pairs with a missing member
    are dropped.
    """
    base, post = complete_pairs(baseline, visit)
    n = base.size
    rows = []
    for name, x in (("baseline", base), ("visit", post), ("change", post - base)):
        mean_note = "" if n else "no complete pairs"
        rows.append(result_row("summary", f"mean_{name}", n=n, note=mean_note,
                               estimate=float(np.mean(x)) if n else None))
        sd_note = "" if n >= 2 else "fewer than 2 complete pairs"
        rows.append(result_row("summary", f"sd_{name}", n=n, note=sd_note,
                               estimate=float(np.std(x, ddof=1)) if n >= 2 else None))
    return results_frame(rows)


def geometric_mean_ratio(baseline, visit) -> pd.DataFrame:
    """Geometric mean ratio visit / baseline for an endpoint analysed on the log scale.

    Parameters
    ----------
    baseline, visit : array_like
        Positive values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "gmr"``, ``term = "geometric_mean_ratio"``: ``estimate``
        exp(mean log ratio), ``ci_low``/``ci_high`` the back-transformed 95 % t
        interval, ``std_error`` the SE of the mean log ratio (log scale),
        ``statistic`` t, ``df``, ``p_value`` (H0: ratio 1), ``n`` complete pairs.
        Non-positive values, fewer than 2 pairs or constant log ratios give NaN and
        a ``note``.

    Notes
    -----
    The paired t analysis of log(visit) - log(baseline) (see :func:`paired_t`),
    with estimate and CI limits exponentiated: as
    ``exp(t.test(log(visit), log(baseline), paired = TRUE)$estimate)``.
    Missing data: pairs with a missing member are dropped.
    """
    base, post = complete_pairs(baseline, visit)
    if np.any(base <= 0) or np.any(post <= 0):
        return results_frame([result_row("gmr", "geometric_mean_ratio", n=base.size,
                                         note="non-positive values: no log scale")])
    d = np.log(post) - np.log(base)
    values = t_inference(d)
    if values is None:
        return results_frame([result_row("gmr", "geometric_mean_ratio", n=d.size,
                                         note=_undefined_note(d))])
    for key in ("estimate", "ci_low", "ci_high"):
        values[key] = math.exp(values[key])
    return results_frame([result_row("gmr", "geometric_mean_ratio", n=d.size,
                                     note="std_error on the log scale", **values)])


def visit_mean(values) -> pd.DataFrame:
    """Mean of the values observed at one visit, with its 95 % t interval; no test.

    Parameters
    ----------
    values : array_like
        The values of every subject observed at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "visit_mean"``, ``term = "mean"``: ``estimate``, ``std_error``,
        ``ci_low``/``ci_high``, ``n``; ``statistic``, ``df`` and ``p_value`` stay empty: a
        test of mean 0 means nothing for a slope, a dose or a distance at one visit.
        Fewer than 2 values or constant values: the mean (if any) without interval and a ``note``.

    Notes
    -----
    As ``t.test(values)$conf.int``: x̄ ± t_{0.975, n-1} s/sqrt(n), SE s/sqrt(n). Missing
    data: missing values are dropped (all available data at that visit, not complete pairs).
    """
    x = np.asarray(values, dtype=float).ravel()
    x = x[np.isfinite(x)]
    inference = t_inference(x)
    if inference is None:
        mean = float(np.mean(x)) if x.size else None
        note = "fewer than 2 values" if x.size < 2 else "values are constant (SD 0)"
        return results_frame([result_row("visit_mean", "mean", n=x.size, estimate=mean, note=note)])
    interval = {key: inference[key] for key in ("estimate", "std_error", "ci_low", "ci_high")}
    return results_frame([result_row("visit_mean", "mean", n=x.size, **interval)])

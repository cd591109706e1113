"""Exact conditional Wilcoxon signed-rank test with Pratt's zeros, as R coin's ``wilcoxsign_test``.

R's ``wilcox.test`` falls back to a normal approximation as soon as a change is
zero or two changes tie in absolute value, which is the rule at n ≈ 16 with
rounded measurements. The test here keeps the exact distribution: the mid-ranks
of |d| (zeros included, Pratt 1959) are fixed, and under H0 each non-zero
difference is positive or negative with probability 1/2, so the null
distribution of V is that of the 2^m sign patterns of those ranks — what
``coin::wilcoxsign_test(y ~ x, distribution = "exact", zero.method = "Pratt")``
computes with the shift algorithm, here by dynamic programming over the doubled
ranks (mid-ranks are multiples of 1/2). The exact distribution costs O(m · Σ s)
= O(m³) operations and its counts reach 2^m, so above :data:`EXACT_MAX` non-zero
differences the p-value is coin's asymptotic one, ``distribution = "asymptotic"``:
z = (V − Σ r/2) / √(Σ r²/4) over the non-zero differences' mid-ranks r, two-sided
normal p (checked against coin at n = 250, 400 and 1,600,
``tests/reference/make_reference_pratt_large.R``).

Libraries: ``scipy.stats.wilcoxon(method="exact", zero_method="pratt")`` uses the
distribution of untied integer ranks and differs from coin with ties (synth_ties
week 12: 0.97995 against coin's 0.92993); with
``method=PermutationMethod(n_resamples=inf)`` it agrees with coin but enumerates
the 2^n patterns (about 9 s at n = 16 against milliseconds here;
``tests/test_stats_signed_rank_pratt.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.nonparametric import average_ranks, subset_sum_counts
from aidheart.stats.pairs import paired_differences

RANK_DIGITS = 10  # ties and zeros judged on x / max|x| rounded to this many decimals
#: Exact p up to this many non-zero differences (milliseconds); the normal approximation above it.
EXACT_MAX = 200


def pratt_signed_rank(x) -> tuple[float, float, int]:
    """Pratt signed-rank sum V of ``x`` and its exact two-sided conditional p.

    Parameters
    ----------
    x : array_like
        Finite values tested for symmetry about 0 (changes, composite scores).

    Returns
    -------
    v : float
        Sum of the mid-ranks of |x| (zeros ranked) over the positive values.
    p : float
        P(|V' - E V'| ≥ |V - E V'|) over the 2^m equally likely sign patterns of the
        m non-zero values (m ≤ :data:`EXACT_MAX`; above, its normal approximation,
        module notes); NaN when every value is zero.
    m : int
        Number of non-zero values.

    Notes
    -----
    Ties and zeros are judged on x̃ = round(x / max|x|, 10): changes equal as
    decimals but not as doubles (0.0392 - 0.0292 and 0.0345 - 0.0245 differ by
    3e-18) tie, while any two values apart by more than 1e-10·max|x| stay apart.
    Ranking the raw doubles lets rounding noise order such ties arbitrarily (the
    reference data's synth_boot_ties: p 0.0615 on the doubles, 0.0315 on the decimal
    ties); coin ranks the doubles, so the R reference passes it x̃.
    r_i = mid-rank of |x̃_i| among all n values; V = Σ_{x̃_i > 0} r_i; under H0,
    V' = Σ_{x̃_i ≠ 0} B_i r_i with B_i independent Bernoulli(1/2), E V' = Σ r_i / 2.
    With the scores s_i = 2 r_i (integers) the comparison |2 S - Σ s| ≥
    |2·2V - Σ s| is made in integers, so no tolerance is needed there.
    """
    x = np.asarray(x, dtype=float).ravel()
    scale = np.max(np.abs(x)) if x.size else 0.0
    x = np.round(x / scale, RANK_DIGITS) if scale > 0 else x
    ranks, _ = average_ranks(np.abs(x))
    v = float(ranks[x > 0].sum())
    scores = np.rint(2 * ranks[x != 0]).astype(int)
    if scores.size == 0:
        return v, math.nan, 0
    if scores.size > EXACT_MAX:
        z = abs(v - ranks[x != 0].sum() / 2) / math.sqrt(float(np.sum(ranks[x != 0] ** 2)) / 4)
        return v, float(2 * stats.norm.sf(z)), int(scores.size)
    counts = subset_sum_counts(scores)
    total = int(scores.sum())
    sums = np.arange(total + 1)
    observed = abs(round(4 * v) - total)
    p = counts[np.abs(2 * sums - total) >= observed].sum() * 2.0**-scores.size
    return v, float(min(1.0, p)), int(scores.size)


def wilcoxon_pratt_exact(baseline, visit) -> pd.DataFrame:
    """Exact conditional signed-rank test of the change ``visit - baseline``, zeros by Pratt.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "wilcoxon_pratt_exact"``, ``term = "V"``: ``statistic``
        V (sum of the Pratt mid-ranks of the positive changes, coin's linear
        statistic), ``p_value`` exact two-sided, ``n`` complete pairs; ``note`` gives
        the number of sign patterns and of zero changes. No pairs or only zero
        changes: p NaN and a ``note``.

    Notes
    -----
    See :func:`pratt_signed_rank`: zeros are ranked with the other |d| but carry no
    sign; tied |d| share their mid-rank; ties and zeros are judged on d rounded to
    10 digits of max|d| (R's ``wilcox.test`` and coin judge them on the doubles).
    Missing data: pairs with a missing member are dropped.
    """
    d = paired_differences(baseline, visit)
    if d.size == 0:
        return results_frame([result_row("wilcoxon_pratt_exact", "V", n=0, note="no complete pairs")])
    v, p, m = pratt_signed_rank(d)
    if m == 0:
        note = "all differences are zero"
    else:
        method = (f"exact over 2^{m} sign patterns of the mid-ranks" if m <= EXACT_MAX
                  else f"normal approximation ({m} non-zero differences, above the exact limit {EXACT_MAX})")
        note = f"{method}; {d.size - m} zero difference(s) ranked (Pratt)"
    return results_frame([result_row("wilcoxon_pratt_exact", "V", n=d.size, note=note, statistic=v, p_value=p)])

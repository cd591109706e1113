"""Exact conditional Wilcoxon-Pratt signed-rank test against R coin (tests/reference) and hand values.

Tolerance 1e-6 relative as for the other tests; the exact p-values are ratios of
integer counts to 2^m in both implementations and agree to ~1e-16; above the exact
limit both compute the same normal approximation.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from reference_values import REFERENCE, assert_row_matches, pairs, reference_rows
from scipy import stats

from aidheart.stats.signed_rank_pratt import EXACT_MAX, pratt_signed_rank, wilcoxon_pratt_exact


@pytest.mark.parametrize("ref", reference_rows("wilcoxon_pratt_exact"))
def test_matches_coin(ref):
    # R: coin::wilcoxsign_test(x_visit ~ x_base, distribution = "exact", zero.method = "Pratt")
    row = wilcoxon_pratt_exact(*pairs(ref["dataset"], ref["visit"])).iloc[0]
    assert_row_matches(row, ref)


def test_hand_value_with_a_zero_and_a_tie():
    # d = 0, 1, -1, 2: |d| mid-ranks 1 (the zero), 2.5, 2.5, 4; V = 2.5 + 4 = 6.5.
    # Non-zero scores 2.5, 2.5, 4 (E V = 4.5): the 8 sign patterns give V = 0, 2.5, 2.5, 4,
    # 5, 6.5, 6.5, 9, so |V - 4.5| >= 2 for 0, 2.5, 2.5, 6.5, 6.5, 9: p = 6/8.
    v, p, m = pratt_signed_rank([0.0, 1.0, -1.0, 2.0])
    assert (v, p, m) == (6.5, 0.75, 3)


def test_decimal_ties_tie_although_the_doubles_differ():
    # 0.0392 - 0.0292 = 0.009999999999999998 but 0.0345 - 0.0245 = 0.010000000000000002:
    # as decimals all three |d| are 0.01, so they share mid-rank 2 and V = 2 + 2 = 4 = E V + 1;
    # the 8 patterns give V = 0, 2, 2, 2, 4, 4, 4, 6, all at least 1 from E V = 3: p = 1
    # (ranking the doubles would give ranks 1.5, 3, 1.5 and V = 4.5, p = 6/8)
    d = np.array([0.0392, 0.0345, 0.0200]) - np.array([0.0292, 0.0245, 0.0300])
    assert len(set(np.abs(d))) == 2
    assert pratt_signed_rank(d) == (4.0, 1.0, 3)


def test_without_ties_or_zeros_it_is_the_exact_wilcoxon():
    # untied, no zeros: the conditional distribution is that of ranks 1..n, so p equals
    # R's exact wilcox.test: d = 1, 2, 3 gives p = 2/8 (V = 6 is the largest of 8 values)
    row = wilcoxon_pratt_exact([0, 0, 0], [1, 2, 3]).iloc[0]
    assert (row["statistic"], row["p_value"]) == (6, 0.25)
    assert row["note"] == "exact over 2^3 sign patterns of the mid-ranks; 0 zero difference(s) ranked (Pratt)"


def test_edge_cases():
    empty = wilcoxon_pratt_exact([np.nan], [1.0]).iloc[0]
    assert empty["n"] == 0 and math.isnan(empty["p_value"]) and empty["note"] == "no complete pairs"
    zeros = wilcoxon_pratt_exact([1.0, 2.0], [1.0, 2.0]).iloc[0]
    assert zeros["statistic"] == 0 and math.isnan(zeros["p_value"]) and zeros["note"] == "all differences are zero"
    # a single non-zero change: both signs equally extreme, p = 1
    assert wilcoxon_pratt_exact([0.0, 0.0], [0.0, 3.0]).iloc[0]["p_value"] == 1


def test_scipy_exact_differs_from_coin_with_ties():
    # Why the own code: scipy's exact distribution is that of untied integer ranks.
    # R coin gives 0.929931640625 here (reference.csv, synth_ties week12).
    ref = next(p.values[0] for p in reference_rows("wilcoxon_pratt_exact")
               if (p.values[0]["dataset"], p.values[0]["visit"]) == ("synth_ties", "week12"))
    base, post = pairs("synth_ties", "week12")
    d = (post - base).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scipy_p = stats.wilcoxon(d, zero_method="pratt", method="exact").pvalue
    assert abs(scipy_p - ref["p_value"]) > 0.01
    assert pratt_signed_rank(d)[1] == pytest.approx(ref["p_value"], rel=1e-12)


def test_scipy_permutation_agrees():
    # scipy's permutation method gives the same exact p (checked at n = 12, quick); it
    # evaluates the statistic on all 2^n patterns, about 9 s at n = 16 (smoke run on the
    # shared machine), which is why the dynamic programme is kept.
    base, post = pairs("synth_missing", "week12")
    d = np.round((post - base).to_numpy() / 10)  # tens of metres: ties in |d|
    d[0] = 0.0
    scipy_p = stats.wilcoxon(d, zero_method="pratt", method=stats.PermutationMethod(n_resamples=np.inf)).pvalue
    assert len(np.unique(np.abs(d))) < d.size
    assert pratt_signed_rank(d)[1] == pytest.approx(scipy_p, rel=1e-12)


#: Above EXACT_MAX non-zero differences: coin's asymptotic test (tests/reference/make_reference_pratt_large.R).
ASYMPTOTIC = pd.read_csv(REFERENCE / "values" / "pratt_asymptotic.csv")
LARGE = pd.read_csv(REFERENCE / "data" / "pratt_large.csv")


@pytest.mark.parametrize("dataset", ASYMPTOTIC["dataset"])
def test_above_the_exact_limit_the_p_is_coins_asymptotic_one(dataset):
    ref = ASYMPTOTIC.set_index("dataset").loc[dataset]
    d = LARGE.loc[LARGE["dataset"] == dataset, "d"].to_numpy(dtype=float)
    assert np.count_nonzero(d) > EXACT_MAX  # the data are above the limit
    v, p, m = pratt_signed_rank(d)
    assert (v, m) == (ref["statistic"], ref["n"] - ref["zeros"])
    assert p == pytest.approx(ref["p_value"], rel=1e-6)
    row = wilcoxon_pratt_exact(np.zeros(d.size), d).iloc[0]
    assert row["p_value"] == p and "normal approximation" in row["note"]


def test_at_the_exact_limit_the_p_is_still_exact():
    d = np.arange(1, EXACT_MAX + 1, dtype=float)  # 200 non-zero differences, all positive
    v, p, m = pratt_signed_rank(d)
    assert m == EXACT_MAX and v == EXACT_MAX * (EXACT_MAX + 1) / 2
    assert p == 2.0**-(EXACT_MAX - 1)  # only the all-positive and all-negative patterns are as extreme

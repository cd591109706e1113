"""Wilcoxon signed-rank and Hodges-Lehmann against R's wilcox.test (tests/reference) and hand values.

Tolerance: 1e-6 relative throughout, including R's root-finding branch (ties or
zeros). R's estimate and CI there are roots found by uniroot to tol 1e-4, i.e. only
within ~1e-4 of the exact crossing; the package follows R's root finder step by
step, so it lands on the same point and the tight tolerance is meaningful. A
failure at 1e-6 but not at 1e-4 would mean the root finder's path diverged from R's;
it does on one row, for a known reason, compared at 1e-4 (reference_values.ROOT_PATH_ROWS).
"""

import itertools
import math
import warnings

import numpy as np
import pytest
from reference_values import root_path_tolerance, assert_row_matches, pairs, reference_rows
from scipy import stats

from aidheart.stats.nonparametric import (
    average_ranks,
    hodges_lehmann,
    hodges_lehmann_exact,
    signrank_counts,
    subset_sum_counts,
    wilcoxon_signed_rank,
)

FUNCTIONS = {
    "wilcoxon_signed_rank": wilcoxon_signed_rank,
    "hodges_lehmann": hodges_lehmann,
    "hodges_lehmann_exact": hodges_lehmann_exact,
}


@pytest.mark.parametrize("ref", reference_rows(*FUNCTIONS))
def test_matches_r(ref):
    # R: wilcox.test(x_visit, x_base, paired = TRUE[, conf.int = TRUE]); exact HL: median of Walsh averages
    row = FUNCTIONS[ref["method"]](*pairs(ref["dataset"], ref["visit"])).iloc[0]
    assert_row_matches(row, ref, **root_path_tolerance(ref))


@pytest.mark.parametrize("ref", reference_rows("hodges_lehmann"))
def test_note_names_the_branch_r_took(ref):
    row = hodges_lehmann(*pairs(ref["dataset"], ref["visit"])).iloc[0]
    exact = ref["call"].split("[")[1].startswith("exact")
    assert row["note"].startswith("exact" if exact else "normal approximation")


def test_signrank_counts_by_enumeration():
    # number of subsets of {1..n} with each sum, counted directly
    for n in (1, 4, 10):
        sums = [sum(c) for k in range(n + 1) for c in itertools.combinations(range(1, n + 1), k)]
        assert signrank_counts(n).tolist() == np.bincount(sums).tolist()


def test_subset_sum_counts_with_repeated_scores_by_enumeration():
    scores = [5, 5, 2, 8, 1]  # doubled mid-ranks repeat when |d| ties
    sums = [sum(c) for k in range(len(scores) + 1) for c in itertools.combinations(scores, k)]
    assert subset_sum_counts(scores).tolist() == np.bincount(sums).tolist()


def test_scipy_auto_branch_differs_from_r_with_zeros():
    # Why the branch is R's rule and not scipy's method="auto": sleep has a zero and ties;
    # R: wilcox.test(x_visit, x_base, paired = TRUE)$p.value = 0.009090698015925056
    base, post = pairs("sleep", "group2")
    ref = next(p.values[0] for p in reference_rows("wilcoxon_signed_rank") if p.values[0]["dataset"] == "sleep")
    d = (post - base).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        auto = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="auto").pvalue
    assert abs(auto - ref["p_value"]) > 1e-3
    assert wilcoxon_signed_rank(base, post).iloc[0]["p_value"] == pytest.approx(ref["p_value"], rel=1e-12)


def test_average_ranks_like_r():
    # R: rank(c(3, 1, 3, 2, 3)) = 4 1 4 2 4
    ranks, ties = average_ranks(np.array([3.0, 1.0, 3.0, 2.0, 3.0]))
    assert ranks.tolist() == [4, 1, 4, 2, 4]
    assert sorted(ties.tolist()) == [1, 1, 3]


def test_exact_hand_value():
    # d = 1, 2, 3: V = 6, the largest of 2^3 equally likely values; p = 2/8
    row = wilcoxon_signed_rank([0, 0, 0], [1, 2, 3]).iloc[0]
    assert (row["statistic"], row["p_value"], row["note"]) == (6, 0.25, "exact")


def test_tied_hand_value():
    # d = 1, 2, 2, 3: ranks 1, 2.5, 2.5, 4, V = 10, E V = 5,
    # var = 4*5*9/24 - (2^3 - 2)/48 = 7.375; z = (5 - 0.5)/sqrt(7.375)
    row = wilcoxon_signed_rank([0] * 4, [1, 2, 2, 3]).iloc[0]
    z = 4.5 / math.sqrt(7.375)
    assert row["statistic"] == 10
    assert row["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)


def test_symmetric_ties_give_p_one():
    # d = 1, 1, -2: V = 1.5 + 1.5 = 3 = E V, so z = 0 and p = 1
    assert wilcoxon_signed_rank([0, 0, 0], [1, 1, -2]).iloc[0]["p_value"] == 1


def test_zeros_and_missing_pairs_are_dropped():
    row = wilcoxon_signed_rank([0, 0, 0, 5, np.nan], [1, 2, 3, 5, 4]).iloc[0]
    assert row["n"] == 4 and row["statistic"] == 6
    assert "1 zero difference(s) dropped" in row["note"]  # zeros force R's normal branch


def test_all_zero_differences():
    row = wilcoxon_signed_rank([1, 2], [1, 2]).iloc[0]
    assert row["statistic"] == 0 and math.isnan(row["p_value"])  # as R: V = 0, p = NaN
    hl = hodges_lehmann([1, 2], [1, 2]).iloc[0]
    assert math.isnan(hl["estimate"]) and "zero" in hl["note"]


def test_single_pair():
    # R: wilcox.test(2.5, conf.int = TRUE): V = 1, p = 1, CI [2.5, 2.5] at achieved level 0
    row = hodges_lehmann([0], [2.5]).iloc[0]
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == (2.5, 2.5, 2.5)
    assert "confidence level 0" in row["note"]
    assert wilcoxon_signed_rank([0], [2.5]).iloc[0]["p_value"] == 1


def test_walsh_median_hand_value():
    # d = 1, 2, 4: Walsh averages 1, 1.5, 2.5, 2, 3, 4 -> median (2 + 2.5)/2
    assert hodges_lehmann_exact([0, 0, 0], [1, 2, 4]).iloc[0]["estimate"] == 2.25
    # zeros are dropped before averaging
    assert hodges_lehmann_exact([0, 0, 0, 0], [1, 2, 4, 0]).iloc[0]["estimate"] == 2.25


def test_constant_differences_give_midrange_without_ci():
    # R: wilcox.test(c(2, 2, 2), conf.int = TRUE) -> estimate (midrange) 2, CI NaN
    row = hodges_lehmann([0, 0, 0], [2, 2, 2]).iloc[0]
    assert row["estimate"] == 2 and math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])

"""Sign-flip permutation against R (tests/reference) and exact binomial truth; bootstrap against known truth."""

import math

import numpy as np
import pytest
from reference_values import assert_row_matches, pairs, reference_rows

from aidheart.stats.resampling import bootstrap_mean_change, sign_flip_permutation


@pytest.mark.parametrize("ref", reference_rows("sign_flip_permutation"))
def test_sign_flip_matches_r(ref):
    # R: mean over all 2^n sign vectors of |sum(s*d)| >= |sum(d)| * (1 - 1e-12)
    row = sign_flip_permutation(*pairs(ref["dataset"], ref["visit"]), seed=1).iloc[0]
    assert_row_matches(row, ref)


def binomial_sign_flip_p(n: int, total: int) -> float:
    """Exact p when every |d_i| = 1: Σ s_i d_i = 2 B - n with B ~ Binomial(n, 1/2)."""
    return sum(math.comb(n, b) for b in range(n + 1) if abs(2 * b - n) >= abs(total)) / 2**n


def test_exact_enumeration_at_n_24_matches_binomial_truth():
    d = np.array([1.0] * 16 + [-1.0] * 8)  # Σd = 8
    row = sign_flip_permutation(np.zeros(24), d, seed=1).iloc[0]
    assert row["p_value"] == binomial_sign_flip_p(24, 8)
    assert row["note"] == "exact over all 2^24 sign patterns"


def test_monte_carlo_above_24_is_seeded_and_near_truth():
    d = np.array([1.0] * 19 + [-1.0] * 11)  # n = 30, Σd = 8
    truth = binomial_sign_flip_p(30, 8)
    row = sign_flip_permutation(np.zeros(30), d, seed=7, resamples=20000).iloc[0]
    assert "Monte Carlo" in row["note"] and "seed=7" in row["note"]
    assert abs(row["p_value"] - truth) < 4 * math.sqrt(truth * (1 - truth) / 20000)
    again = sign_flip_permutation(np.zeros(30), d, seed=7, resamples=20000).iloc[0]
    assert again["p_value"] == row["p_value"]


def test_sign_flip_edge_cases():
    assert sign_flip_permutation([1, 2], [1, 2], seed=1).iloc[0]["p_value"] == 1  # Σd = 0: every pattern
    one = sign_flip_permutation([0], [3], seed=1).iloc[0]
    assert one["p_value"] == 1  # both patterns have |Σ| = 3
    empty = sign_flip_permutation([np.nan], [3], seed=1).iloc[0]
    assert math.isnan(empty["p_value"]) and empty["note"] == "no complete pairs"


def test_bootstrap_close_to_t_interval_for_large_normal_sample():
    # Known truth: for a large normal sample the BCa interval ≈ mean ± t·s/sqrt(n) and the
    # bootstrap SE ≈ s/sqrt(n) · sqrt((n-1)/n). Tolerance: 5 % of the half-width, well above
    # the Monte Carlo error of B = 9999 quantiles (about 1-2 %).
    d = np.random.default_rng(11).normal(5.0, 2.0, 400)
    row = bootstrap_mean_change(np.zeros(400), d, seed=3).iloc[0]
    se = d.std(ddof=1) / math.sqrt(400)
    half = 1.9659 * se  # t_{0.975, 399}
    assert row["estimate"] == pytest.approx(d.mean())
    assert row["std_error"] == pytest.approx(se, rel=0.05)
    assert row["ci_low"] == pytest.approx(d.mean() - half, abs=0.05 * half)
    assert row["ci_high"] == pytest.approx(d.mean() + half, abs=0.05 * half)
    assert row["note"] == "BCa interval, B=9999, seed=3"


def test_bootstrap_coverage_of_a_known_mean():
    # 300 samples of n = 30 from an exponential with mean 1: the BCa interval should cover 1
    # in about 95 % (small-sample bootstrap under-covers a little; 300 runs give SE ≈ 1.3 %).
    rng = np.random.default_rng(2024)
    covered = 0
    for i in range(300):
        d = rng.exponential(1.0, 30)
        row = bootstrap_mean_change(np.zeros(30), d, seed=i, resamples=999).iloc[0]
        covered += row["ci_low"] <= 1.0 <= row["ci_high"]
    assert 0.88 <= covered / 300 <= 0.99


def test_bootstrap_is_deterministic_for_a_seed_and_handles_edges():
    d = [0.3, 1.2, -0.4, 2.2, 0.9]
    first = bootstrap_mean_change([0] * 5, d, seed=5, resamples=500)
    assert first.equals(bootstrap_mean_change([0] * 5, d, seed=5, resamples=500))
    assert not first.equals(bootstrap_mean_change([0] * 5, d, seed=6, resamples=500))
    constant = bootstrap_mean_change([0, 0, 0], [2, 2, 2], seed=1).iloc[0]
    assert math.isnan(constant["ci_low"]) and "constant" in constant["note"]
    single = bootstrap_mean_change([0], [2], seed=1).iloc[0]
    assert math.isnan(single["estimate"]) and "fewer than 2" in single["note"]

"""Sign-flip permutation against R (tests/reference) and exact binomial truth; bootstrap BCa against R
on R's own resamples, and against known truth.

BCa tolerance: 1e-12 relative on z0 and the limits. Given the same resamples, both
sides count the same ties, so what is left is the rounding of the resample means
(~1e-16 relative); the acceleration, a ratio of sums of cubed jackknife deviations,
agrees to ~1e-14 (tolerance 1e-12).
"""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from reference_values import REFERENCE, assert_row_matches, pairs, reference_rows
from scipy import stats

from aidheart.stats.resampling import bca_interval, bootstrap_mean_change, sign_flip_permutation


def r_bootstrap():
    """Differences, R's resample means recomputed by numpy, and R's BCa rows (synth_boot_ties week12)."""
    base, post = pairs("synth_boot_ties", "week12")
    d = (post - base).to_numpy()
    # row b: 1-based positions drawn by boot::boot (boot.array(b, indices = TRUE))
    positions = pd.read_csv(REFERENCE / "data" / "synth_boot_ties_indices.csv").to_numpy() - 1
    ref = {p.values[0]["term"]: p.values[0] for p in reference_rows("bootstrap_bca")
           if p.values[0]["dataset"] == "synth_boot_ties"}
    return d, d[positions].mean(axis=1), ref


def test_bca_matches_r_on_the_same_resamples_with_ties():
    # R: boot::boot(d, function(x, i) mean(x[i]), R = 1999); BCa as boot:::bca.ci with the
    # tie rule |t - t0| <= 1e-9 max|d| counted half below, type-7 quantiles (reference.csv)
    d, means, ref = r_bootstrap()
    interval = bca_interval(d, means)
    assert interval.tied == ref["tied_resamples"]["estimate"] == 127
    assert interval.below == ref["below_resamples"]["estimate"]
    assert interval.z0 == pytest.approx(ref["z0"]["estimate"], rel=1e-12)
    assert interval.acceleration == pytest.approx(ref["acceleration"]["estimate"], rel=1e-12)
    assert interval.low == pytest.approx(ref["mean_change"]["ci_low"], rel=1e-12)
    assert interval.high == pytest.approx(ref["mean_change"]["ci_high"], rel=1e-12)


def test_the_ties_are_rounding_noise_in_numpy():
    # the data are built so that: 71 of the 127 resample means R ties with the estimate
    # differ from numpy's estimate by a few ulp (3.5e-18 at most), so an exact comparison
    # would count them below or above depending on the summation order
    d, means, _ = r_bootstrap()
    tied = np.abs(means - d.mean()) <= 1e-9 * np.max(np.abs(d))
    assert np.count_nonzero(means[tied] != d.mean()) == 71
    assert np.max(np.abs(means[tied] - d.mean())) < 1e-17


def test_scipy_bca_differs_from_r_with_near_ties():
    # Why the own BCa: scipy.stats.bootstrap counts only exact ties half, so on R's resamples
    # (fed in through bootstrap_result with no new resamples) its limits depend on numpy's
    # summation noise: its upper limit is 0.018125 against R's 0.0175 (3.6 %).
    d, means, ref = r_bootstrap()
    prior = SimpleNamespace(bootstrap_distribution=means)
    ci = stats.bootstrap((d,), np.mean, n_resamples=0, bootstrap_result=prior, method="BCa").confidence_interval
    assert abs(ci.high / ref["mean_change"]["ci_high"] - 1) > 0.03


def test_bca_under_covers_at_n_15():
    # Known truth: normal differences with mean 0, n = 15. 1000 samples, B = 1999: coverage
    # 92.8 % (Monte Carlo SE 0.8 %), below the nominal 95 % as the docstring states.
    rng = np.random.default_rng(15)
    covered = 0
    for i in range(1000):
        row = bootstrap_mean_change(np.zeros(15), rng.normal(0, 1, 15), seed=i, resamples=1999).iloc[0]
        covered += row["ci_low"] <= 0 <= row["ci_high"]
    assert 0.90 <= covered / 1000 < 0.945


def test_scipy_permutation_test_agrees_with_r():
    # scipy.stats.permutation_test gives R's exact p; it is not used because it evaluates the
    # statistic on every pattern: 13 s at n = 20 against 0.07 s here (smoke run, shared machine)
    ref = next(p.values[0] for p in reference_rows("sign_flip_permutation") if p.values[0]["dataset"] == "sleep")
    base, post = pairs("sleep", "group2")
    d = (post - base).to_numpy()
    scipy_p = stats.permutation_test((d,), lambda x, axis=-1: np.sum(x, axis=axis), permutation_type="samples",
                                     n_resamples=np.inf, vectorized=True).pvalue
    assert scipy_p == pytest.approx(ref["p_value"], rel=1e-12)
    assert sign_flip_permutation(base, post, seed=1).iloc[0]["p_value"] == pytest.approx(scipy_p, rel=1e-12)


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

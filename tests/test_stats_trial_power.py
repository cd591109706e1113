"""Simulated power of the two-arm MMRM trial: the batched fits against the single-fit engine,
and the simulation against what the statistics must give.

References:

- the batched REML fits and Kenward-Roger contrast against the single-fit engine, through its
  formula front end (``fit_formula`` + ``mmrm_ard``, itself checked against SAS PROC MIXED and
  an independent R REML in ``test_stats_mmrm_engine.py``): estimate, SE and df to 1e-8 relative;
- with two visits and no dropout the MMRM is the ANCOVA of the visit on baseline, whose exact
  power is the noncentral-t power integrated over the F-distributed baseline imbalance
  (:func:`exact_ancova_power`, scipy's ``nct`` and ``f``): simulated power within 3 Monte Carlo SE;
- at zero effect the rejection rate is alpha, and the 95 % CI covers the true difference in
  95 % of trials, each within 3 MC SE (``sqrt(p (1 - p) / R)``).

Monte Carlo: 4,000 replicates per check (MC SE 0.0034 at 5 % and 95 %, about 0.007 at power
0.5-0.8), seeded by the scenario names below.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from aidheart.stats import mmrm_batch, trial_power
from aidheart.stats.mmrm_ard import mmrm_ard
from aidheart.stats.mmrm_model import fit_formula
from aidheart.stats.sizing import two_sample_power
from aidheart.stats.power_summary import summarise_replicates
from aidheart.stats.trial_power import GeneratingModel, analyse_trials, scenario_rng, simulate_scenario, simulate_trials

SEED = 20261202
REPLICATES = 4000
ALPHA = 0.05
# The 6MWD's covariance in the shipped pilot (baseline, weeks 4, 12, 16), rounded; metres^2
SIGMA = np.array([[2140.8, 1441.0, 1505.3, 2109.4],
                  [1441.0, 1974.3, 1807.5, 1860.8],
                  [1505.3, 1807.5, 1819.3, 1903.6],
                  [2109.4, 1860.8, 1903.6, 2459.6]])
VISITS = ("Week 4", "Week 12", "Week 16")
DROPOUT = GeneratingModel(visits=VISITS, mean_baseline=263.5, sigma=SIGMA, shape=np.array([0.75, 1.0, 0.4]),
                          retention=np.array([0.95, 0.85, 0.65]), primary=1)
TWO_VISITS = GeneratingModel(visits=("Week 12",), mean_baseline=263.5, sigma=SIGMA[np.ix_([0, 2], [0, 2])],
                             shape=np.array([1.0]), retention=np.array([1.0]), primary=0)


def mc_se(p: float, replicates: int) -> float:
    return math.sqrt(p * (1 - p) / replicates)


def exact_ancova_power(n: int, delta: float, sd: float, alpha: float) -> float:
    """Power of the two-sided ANCOVA t test of arm (n per arm, normal baseline, residual SD ``sd``).

    Given the baselines, t is noncentral t on 2n - 3 df with ncp ``delta / (sd sqrt(c))``,
    ``c = 2/n + (xbar_1 - xbar_2)^2 / SSW``; over the baselines ``(xbar_1 - xbar_2)^2 / SSW =
    (2/n) F / (2n - 2)`` with ``F ~ F(1, 2n - 2)``.
    """
    df = 2 * n - 3
    critical = stats.t.ppf(1 - alpha / 2, df)

    def integrand(f):
        ncp = delta / sd * math.sqrt(n / 2) / math.sqrt(1 + f / (2 * n - 2))
        return (stats.nct.sf(critical, df, ncp) + stats.nct.cdf(-critical, df, ncp)) * stats.f.pdf(f, 1, 2 * n - 2)

    return integrate.quad(integrand, 0, np.inf, epsabs=1e-12)[0]


def long_table(change: np.ndarray, z: np.ndarray, visits) -> pd.DataFrame:
    """One simulated trial as the long table the formula engine reads (rows after dropout left out)."""
    subjects, visit_index = np.nonzero(~np.isnan(change))
    return pd.DataFrame({
        "USUBJID": [f"S{i:03d}" for i in subjects],
        "AVISIT": [visits[k] for k in visit_index],
        "ARM": np.where(z[subjects, 2] == 1, "TRT", "PBO"),
        "BASE": z[subjects, 1],
        "CHG": change[subjects, visit_index],
    })


def test_batched_fits_equal_the_single_fit_engine():
    change, z = simulate_trials(DROPOUT, 20, 25.0, 200, scenario_rng("engine_check", SEED))
    batched = analyse_trials(change, z, DROPOUT.primary)
    assert batched["converged"].all()
    term = f"ARM=TRT-PBO,AVISIT={VISITS[DROPOUT.primary]}"
    for r in range(0, 200, 10):
        model = fit_formula(long_table(change[r], z[r], VISITS), "CHG ~ BASE + ARM * AVISIT + us(AVISIT | USUBJID)",
                            reference={"ARM": "PBO"}, visit_order=list(VISITS))
        ard = mmrm_ard(model, df_method="kenward-roger", lsmeans="ARM*AVISIT")
        single = ard.loc[(ard["method"] == "mmrm_lsmean_diff") & (ard["term"] == term)].iloc[0]
        for key in ("estimate", "std_error", "df"):
            assert batched[key][r] == pytest.approx(single[key], rel=1e-8), (r, key)


def test_unsettled_replicates_are_refitted_one_by_one_with_the_same_answer(monkeypatch):
    change, z = simulate_trials(DROPOUT, 20, 25.0, 30, scenario_rng("refit_check", SEED))
    batched = analyse_trials(change, z, DROPOUT.primary)
    monkeypatch.setattr(trial_power, "fit_us_batch", partial(mmrm_batch.fit_us_batch, max_iter=2))
    refitted = analyse_trials(change, z, DROPOUT.primary)
    assert refitted["refitted"].all() and refitted["converged"].all()
    for key in ("estimate", "std_error", "df"):
        np.testing.assert_allclose(refitted[key], batched[key], rtol=1e-8)


def test_results_do_not_depend_on_how_replicates_are_chunked(monkeypatch):
    change, z = simulate_trials(DROPOUT, 20, 0.0, 60, scenario_rng("chunk_check", SEED))
    whole = analyse_trials(change, z, DROPOUT.primary)
    monkeypatch.setattr(trial_power, "CHUNK_FLOATS", 7 * 27 * 49)  # 7 replicates at a time
    chunked = analyse_trials(change, z, DROPOUT.primary)
    for key in ("estimate", "std_error", "df"):
        np.testing.assert_allclose(chunked[key], whole[key], rtol=1e-10)


def test_replicates_come_from_the_scenario_name_and_seed_alone():
    first = simulate_trials(DROPOUT, 10, 5.0, 3, scenario_rng("SIXMWD_n10_d5", SEED))
    again = simulate_trials(DROPOUT, 10, 5.0, 3, scenario_rng("SIXMWD_n10_d5", SEED))
    other = simulate_trials(DROPOUT, 10, 5.0, 3, scenario_rng("SIXMWD_n10_d6", SEED))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.allclose(np.nan_to_num(first[0]), np.nan_to_num(other[0]))


def test_dropout_is_monotone_at_the_stated_retention():
    change, _ = simulate_trials(DROPOUT, 500, 0.0, 4, scenario_rng("dropout_check", SEED))
    seen = ~np.isnan(change)
    assert not (seen[:, :, 1:] & ~seen[:, :, :-1]).any()  # never seen again after a missed visit
    share = seen.reshape(-1, 3).mean(axis=0)
    # 4,000 subjects: the share's SE is at most 0.008
    np.testing.assert_allclose(share, DROPOUT.retention, atol=3 * 0.008)


def test_type_one_error_is_alpha_with_dropout():
    results = simulate_scenario(DROPOUT, name="typeI_dropout", seed=SEED, n_per_arm=20, delta=0.0,
                                replicates=REPLICATES)
    summary = summarise_replicates(results, 0.0, ALPHA)
    assert summary["not_converged"] == 0
    assert abs(summary["rejection_rate"] - ALPHA) <= 3 * mc_se(ALPHA, REPLICATES)
    assert abs(summary["coverage"] - 0.95) <= 3 * mc_se(0.95, REPLICATES)


def test_coverage_is_95_percent_under_an_effect():
    results = simulate_scenario(DROPOUT, name="coverage_dropout", seed=SEED, n_per_arm=20, delta=25.0,
                                replicates=REPLICATES)
    summary = summarise_replicates(results, 25.0, ALPHA)
    assert abs(summary["coverage"] - 0.95) <= 3 * mc_se(0.95, REPLICATES)
    assert abs(summary["bias"]) <= 3 * summary["bias_mcse"]


@pytest.mark.parametrize("n_per_arm", [15, 40])
def test_power_with_two_visits_and_no_dropout_is_the_ancova_power(n_per_arm):
    sd = TWO_VISITS.residual_sd
    delta = 2.5 * sd / math.sqrt(n_per_arm / 2)  # power near 0.7
    reference = exact_ancova_power(n_per_arm, delta, sd, ALPHA)
    results = simulate_scenario(TWO_VISITS, name=f"ancova_n{n_per_arm}", seed=SEED, n_per_arm=n_per_arm,
                                delta=delta, replicates=REPLICATES)
    summary = summarise_replicates(results, delta, ALPHA)
    tolerance = 3 * mc_se(reference, REPLICATES)
    assert abs(summary["rejection_rate"] - reference) <= tolerance
    # with one visit Kenward-Roger is the ANCOVA t test: df = 2n - 3 in every replicate
    np.testing.assert_allclose(results["df"], 2 * n_per_arm - 3, rtol=1e-8)
    # the closed form of power.csv (power.t.test on the residual SD) overstates it by less than a subject per arm
    assert two_sample_power(n_per_arm - 1, delta, sd, ALPHA) < reference < two_sample_power(n_per_arm, delta, sd, ALPHA)


def test_residual_sd_is_the_sd_given_baseline():
    rho = SIGMA[0, 2] / math.sqrt(SIGMA[0, 0] * SIGMA[2, 2])
    assert TWO_VISITS.residual_sd == pytest.approx(math.sqrt(SIGMA[2, 2] * (1 - rho**2)), rel=1e-12)


def test_fits_that_cannot_be_made_are_counted_not_dropped():
    # 8 per arm and a quarter retained at week 16: some trials have no treated subject there
    # (ARM:AVISIT=Week 16 has no information) or too few to estimate its variance (Sigma singular)
    sparse = GeneratingModel(visits=VISITS, mean_baseline=263.5, sigma=SIGMA, shape=np.array([0.75, 1.0, 0.4]),
                             retention=np.array([1.0, 0.6, 0.25]), primary=1)
    results = simulate_scenario(sparse, name="sparse", seed=SEED, n_per_arm=8, delta=25.0, replicates=40)
    failed = ~results["converged"]
    assert 0 < failed.sum() < 40
    reasons = set(results["message"][failed])
    assert any("not estimable" in reason for reason in reasons) and any("singular" in reason for reason in reasons)
    assert all(message for message in results["message"][failed])
    assert not any(results["message"][~failed])
    assert np.isnan(results["std_error"][failed]).all()
    summary = summarise_replicates(results, 25.0, ALPHA)
    assert summary["not_converged"] == failed.sum()
    ok = ~failed
    p_values = 2 * stats.t.sf(np.abs(results["estimate"][ok] / results["std_error"][ok]), results["df"][ok])
    assert summary["rejection_rate"] == pytest.approx(np.mean(p_values < ALPHA))


def test_generating_model_checks_its_retention():
    with pytest.raises(ValueError, match="non-increasing"):
        GeneratingModel(visits=VISITS, mean_baseline=0.0, sigma=SIGMA, shape=np.ones(3),
                        retention=np.array([0.8, 0.9, 0.7]), primary=1)

"""Browne's SD upper limits, two-sample and ANCOVA n against R (qchisq; power.t.test tol = 1e-12; cor.test;
lm), tests/reference."""

import math
import re

import numpy as np
import pytest
from reference_values import assert_row_matches, reference_rows, with_baseline
from statsmodels.stats.power import TTestIndPower

from aidheart.stats.sizing import ancova_size, browne_sd_ucl, next_trial_size, two_sample_n, two_sample_power


@pytest.mark.parametrize("ref", reference_rows("browne_ucl"))
def test_browne_matches_r(ref):
    # R: 45 * sqrt(19 / qchisq(1 - level, 19))
    level = int(ref["term"].removeprefix("sd_ucl")) / 100
    assert browne_sd_ucl(45.0, 19, level) == pytest.approx(ref["estimate"], rel=1e-6)


@pytest.mark.parametrize("ref", reference_rows("two_sample_n"))
def test_two_sample_n_matches_r(ref):
    # R: power.t.test(delta = D, sd = 45, power = P, sig.level = 0.05, type = "two.sample", tol = 1e-12)$n
    delta, sd, power = (float(v) for v in re.fullmatch(r"delta=(.*),sd=(.*),power=(.*)", ref["visit"]).groups())
    n = two_sample_n(delta, sd, power)
    assert n == pytest.approx(ref["estimate"], rel=1e-6)
    assert math.ceil(n) == ref["statistic"]


def test_power_at_the_solution_and_unattainable_power():
    n = two_sample_n(30, 45, 0.8)
    assert two_sample_power(n, 30, 45) == pytest.approx(0.8, abs=1e-10)
    assert math.isnan(two_sample_n(0, 45, 0.8))


def test_next_trial_size_rows_from_a_pilot_with_sd_45():
    # a pilot of 20 pairs whose changes have SD exactly 45: rows must equal the R values above
    z = np.random.default_rng(1).normal(size=20)
    change = 10 + 45 * (z - z.mean()) / z.std(ddof=1)
    frame = next_trial_size(np.zeros(20), change, effect_sizes=[30], powers=[0.8]).set_index("term")
    reference = {(row["visit"], row["term"]): row
                 for row in (param.values[0] for param in reference_rows("browne_ucl", "two_sample_n"))}
    assert frame.loc["sd_change", "estimate"] == pytest.approx(45, rel=1e-12)
    assert_row_matches(frame.loc["sd_ucl80"], reference[("sd=45,n=20", "sd_ucl80")])
    assert_row_matches(frame.loc["sd_ucl95"], reference[("sd=45,n=20", "sd_ucl95")])
    row = frame.loc["n_per_arm_sd_change"]
    expected = reference[("delta=30,sd=45,power=0.8", "n_per_arm")]
    assert (row["threshold"], row["power"]) == (30, 0.8)
    assert row["estimate"] == pytest.approx(expected["estimate"], rel=1e-6)
    assert row["statistic"] == expected["statistic"]
    assert frame.loc["n_per_arm_sd_ucl80", "threshold"] == 30


def test_next_trial_size_without_enough_pairs():
    frame = next_trial_size([1.0], [2.0], effect_sizes=[30])
    assert len(frame) == 1 and "fewer than 2" in frame.iloc[0]["note"]


def test_large_effect_is_solved_over_r_search_interval():
    # R 4.2.2: power.t.test(delta = 45, sd = 33.537975987428538, power = 0.8, tol = 1e-12)$n
    # -> 9.77966039169026. Near n = 1 the t distribution has almost no df and the power
    # function misbehaves; R searches n in [2, 1e7], and so must we.
    from aidheart.stats.sizing import two_sample_n

    assert two_sample_n(45, 33.537975987428538, 0.8) == pytest.approx(9.77966039169026, rel=1e-9)


def test_statsmodels_power_differs_from_r():
    # Why the own power function: TTestIndPower adds the far rejection tail (R's strict = TRUE).
    # R: power.t.test(delta = 30, sd = 45, power = 0.8, sig.level = 0.05, type = "two.sample", tol = 1e-12)$n
    ref = next(p.values[0] for p in reference_rows("two_sample_n")
               if p.values[0]["visit"] == "delta=30,sd=45,power=0.8")
    library_n = TTestIndPower().solve_power(effect_size=30 / 45, power=0.8, alpha=0.05, ratio=1.0)
    assert abs(library_n / ref["estimate"] - 1) > 1e-6
    assert two_sample_n(30, 45, 0.8) == pytest.approx(ref["estimate"], rel=1e-9)


#: R's grid term (the difference, power and SD in brackets) -> the package's term and its columns.
R_GRID_TERM = re.compile(r"^(?P<name>n_(enrol_)?per_arm)\[delta=(?P<delta>[^,]+),power=(?P<power>[^,]+),sd=(?P<sd>[^\]]+)\]$")


def ancova_row(frame, reference_term: str):
    """The package's row for a reference term: the same term, or a grid row by term, threshold and power."""
    grid = R_GRID_TERM.match(reference_term)
    if grid is None:
        return frame.set_index("term").loc[reference_term]
    rows = frame[(frame["term"] == f"{grid['name']}_{grid['sd']}") & (frame["threshold"] == float(grid["delta"]))
                 & (frame["power"] == float(grid["power"]))]
    assert len(rows) == 1, reference_term
    return rows.iloc[0]


@pytest.mark.parametrize("ref", reference_rows("next_trial_size_ancova"))
def test_ancova_size_matches_r(ref):
    # R: cor.test(x_base, x_visit); sd(x_visit) * sqrt(1 - r^2); summary(lm(x_visit ~ x_base))$sigma;
    # sigma * sqrt((n - 2) / qchisq(1 - level, n - 2)); power.t.test(delta = 30, sd = S, power = P,
    # tol = 1e-12)$n, and that over (1 - dropout), dropout = share of subjects with a baseline
    # and no value at the visit
    pilot = with_baseline(ref["dataset"], ref["visit"])
    frame = ancova_size(pilot["baseline"], pilot["visit"], effect_sizes=[30])
    assert_row_matches(ancova_row(frame, ref["term"]), ref)


def test_ancova_given_dropout_and_hand_identity():
    # baseline 1, 2, 3, 4 and visit 10, -10, -10, 10: the centred products sum to
    # -15 + 5 - 5 + 15 = 0, so r = 0, sd_ancova = sd_visit and n_per_arm is
    # power.t.test's n on sd_visit
    base = np.array([1.0, 2.0, 3.0, 4.0])
    post = np.array([10.0, -10.0, -10.0, 10.0])
    frame = ancova_size(base, post, effect_sizes=[30], powers=[0.8], dropout=0.25).set_index("term")
    assert frame.loc["correlation", "estimate"] == pytest.approx(0, abs=1e-15)
    assert frame.loc["sd_ancova", "estimate"] == pytest.approx(frame.loc["sd_visit", "estimate"], rel=1e-15)
    size = frame.loc["n_per_arm_sd_ancova", "estimate"]
    assert size == pytest.approx(two_sample_n(30, float(np.std(post, ddof=1)), 0.8), rel=1e-15)
    enrol = frame.loc["n_enrol_per_arm_sd_ancova"]
    assert enrol["estimate"] == pytest.approx(size / 0.75, rel=1e-15)
    assert enrol["statistic"] == math.ceil(size / 0.75)
    assert frame.loc["dropout", "note"] == "given"


def test_ancova_too_few_pairs():
    frame = ancova_size([1.0, 2.0, np.nan], [2.0, 3.0, 4.0], effect_sizes=[30])
    assert len(frame) == 1 and frame.iloc[0]["note"] == "fewer than 3 complete pairs"

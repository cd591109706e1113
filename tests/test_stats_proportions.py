"""Clopper-Pearson and Garwood intervals against R's binom.test / poisson.test (tests/reference)."""

import math

import pytest
from reference_values import assert_row_matches, reference_rows

from aidheart.stats.ard import CONFIDENCE_LEVEL
from aidheart.stats.proportions import clopper_pearson, poisson_rate_ci


@pytest.mark.parametrize("ref", reference_rows("clopper_pearson"))
def test_clopper_pearson_matches_r(ref):
    # visit is "x/n"; R: binom.test(x, n)$conf.int
    x, n = (int(part) for part in ref["visit"].split("/"))
    row = clopper_pearson(x, n, method="clopper_pearson").iloc[0]
    assert_row_matches(row, ref)


@pytest.mark.parametrize("ref", reference_rows("poisson_rate"))
def test_poisson_rate_matches_r(ref):
    # visit is "x/T"; R: poisson.test(x, T)$conf.int
    x, exposure = ref["visit"].split("/")
    row = poisson_rate_ci(int(x), float(exposure)).iloc[0]
    assert_row_matches(row, ref)


def test_closed_forms_at_the_boundary():
    # x = 0: upper limit solves (1 - p)^n = 0.025; x = n: lower limit solves p^n = 0.025
    assert clopper_pearson(0, 10, method="responder").iloc[0]["ci_high"] == pytest.approx(1 - 0.025 ** 0.1, rel=1e-12)
    assert clopper_pearson(10, 10, method="responder").iloc[0]["ci_low"] == pytest.approx(0.025 ** 0.1, rel=1e-12)
    # Poisson x = 0: upper limit -log(0.025) / T
    assert poisson_rate_ci(0, 2.0).iloc[0]["ci_high"] == pytest.approx(-math.log(0.025) / 2, rel=1e-12)


def test_empty_denominators():
    assert "no trials" in clopper_pearson(0, 0, method="responder").iloc[0]["note"]
    assert "no exposure" in poisson_rate_ci(0, 0.0).iloc[0]["note"]
    with pytest.raises(ValueError, match="0 <= x <= n"):
        clopper_pearson(5, 3, method="responder")


def test_same_floats_as_the_statsmodels_intervals():
    # The module computes from scipy.special what statsmodels computes from scipy.stats; the
    # ARD must not change by a bit, so the two are compared exactly over counts and rates
    # a pilot and the large simulated studies reach.
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import confint_poisson

    alpha = 1 - CONFIDENCE_LEVEL
    for n in (1, 2, 7, 16, 20, 97, 400):
        for x in range(n + 1):
            row = clopper_pearson(x, n, method="responder").iloc[0]
            expected = tuple(float(v) for v in proportion_confint(x, n, alpha=alpha, method="beta"))
            assert (row["ci_low"], row["ci_high"]) == expected, (x, n)
    for x in (0, 1, 3, 40, 999):
        row = poisson_rate_ci(x, 123.5).iloc[0]
        expected = tuple(float(v) for v in confint_poisson(x, 123.5, method="exact-c", alpha=alpha))
        assert (row["ci_low"], row["ci_high"]) == expected, x

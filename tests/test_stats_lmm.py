"""``fit_lmm``: value ~ visit + (1 | subject) by REML, Satterthwaite and Kenward-Roger df.

Reference values: ``tests/reference/values/reference.csv`` written by
``tests/reference/make_reference.R`` from ``tests/reference/data/*.csv`` with
``lmerTest::lmer(value ~ visit + (1 | subject), REML = TRUE)`` (bobyqa, rhoend = 1e-12),
``summary(fit, ddf = "Satterthwaite" / "Kenward-Roger")``, ``VarCorr``, ``logLik``.
Tolerances (the project's for the models): estimates, SEs, CIs, t and p to 1e-6 relative; df to 1e-4 relative.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aidheart.stats.covariance import covariance_structure
from aidheart.stats.lmm import fit_lmm
from aidheart.stats.reml import evaluate
from aidheart.stats.reml_data import group_by_pattern
from reference_values import MODEL_VISITS, REFERENCE, assert_row_matches, model_reference_table

VISITS = MODEL_VISITS


def lmm_for(dataset: str) -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "data" / f"{dataset}.csv")
    visits = VISITS[dataset]
    return fit_lmm(data, subject="subject", visit="visit", value="value", baseline=visits[0], visit_order=visits)


def _cases():
    ref = model_reference_table(("lmm", "lmm_kr"))
    return [
        pytest.param(row, id=f"{row.dataset}-{row.visit or 'model'}-{row.method}-{row.term}")
        for row in ref.itertuples(index=False)
    ]


@pytest.mark.parametrize("expected", _cases())
def test_lmm_matches_lmertest(expected):
    ours = lmm_for(expected.dataset)
    row = ours.loc[(ours["visit"] == expected.visit) & (ours["method"] == expected.method)
                   & (ours["term"] == expected.term)]
    assert len(row) == 1
    row = row.iloc[0]
    assert_row_matches(row, expected._asdict(), check_n=bool(expected.visit))


def test_reference_covers_every_dataset():
    ref = model_reference_table(("lmm", "lmm_kr"))
    assert set(ref["dataset"]) == set(VISITS)
    assert {"contrast", "var_subject", "var_residual", "reml_loglik", "n_obs"} <= set(ref["term"])


def test_variance_components_match_statsmodels():
    """statsmodels MixedLM (independent REML code): sigma_b^2 = cov_re, sigma^2 = scale."""
    sm = pytest.importorskip("statsmodels.formula.api")
    data = pd.read_csv(REFERENCE / "data" / "sleepstudy_d0_3.csv")
    result = sm.mixedlm("value ~ C(visit)", data, groups=data["subject"]).fit(reml=True, method="lbfgs")
    ours = lmm_for("sleepstudy_d0_3").set_index(["method", "term", "visit"])["estimate"]
    assert ours["lmm", "var_subject", ""] == pytest.approx(float(result.cov_re.iloc[0, 0]), rel=1e-5)
    assert ours["lmm", "var_residual", ""] == pytest.approx(result.scale, rel=1e-5)
    assert ours["lmm", "contrast", "day3"] == pytest.approx(result.fe_params["C(visit)[T.day3]"], rel=1e-6)


def test_analytic_derivatives_match_finite_differences():
    rng = np.random.default_rng(5)
    y = rng.normal(size=(30, 4)) + rng.normal(size=(30, 1))
    y[rng.random(y.shape) < 0.25] = np.nan
    grouped = group_by_pattern(y, np.broadcast_to(np.eye(4), (30, 4, 4)))
    structure, theta, h = covariance_structure("cs", 4), np.array([0.8, 1.1]), 1e-5
    ev = evaluate(grouped, structure, theta)
    steps = np.eye(2) * h
    grad = [(evaluate(grouped, structure, theta + s, order=0).objective
             - evaluate(grouped, structure, theta - s, order=0).objective) / (2 * h) for s in steps]
    hess = [(evaluate(grouped, structure, theta + s, order=1).gradient
             - evaluate(grouped, structure, theta - s, order=1).gradient) / (2 * h) for s in steps]
    np.testing.assert_allclose(ev.gradient, grad, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(ev.hessian, hess, rtol=1e-6, atol=1e-8)


def _long(values: dict) -> pd.DataFrame:
    """``{subject: {visit: value}}`` -> long table."""
    return pd.DataFrame(
        [(s, v, x) for s, visits in values.items() for v, x in visits.items()],
        columns=["subject", "visit", "value"],
    )


def _fit(data, visits=("b", "v1", "v2")):
    return fit_lmm(data, subject="subject", visit="visit", value="value", baseline=visits[0],
                   visit_order=list(visits))


def test_zero_subject_variance_is_a_boundary_fit():
    """sigma_b^2 = 0: as lmerTest, Satterthwaite df = N - K and SE from the pooled residual variance."""
    rng = np.random.default_rng(11)
    n = 12
    values = {f"s{i}": {"b": 10 + z[0], "v1": 10.5 + z[1], "v2": 11 + z[2]}
              for i, z in enumerate(rng.normal(size=(n, 3)))}
    # Subjects' means forced apart less than the noise: a negative ANOVA subject variance.
    data = _long(values)
    data["value"] -= data.groupby("subject")["value"].transform("mean") - data["value"].mean()
    out = _fit(data).set_index(["method", "term", "visit"])
    assert out.loc[("lmm", "var_subject", ""), "estimate"] == 0.0
    assert "bound" in out.loc[("lmm", "var_subject", ""), "note"]
    cell = data.pivot(index="subject", columns="visit", values="value")
    pooled = ((cell - cell.mean()) ** 2).to_numpy().sum() / (3 * n - 3)
    assert out.loc[("lmm", "var_residual", ""), "estimate"] == pytest.approx(pooled, rel=1e-9)
    row = out.loc[("lmm", "contrast", "v2")]
    assert row["estimate"] == pytest.approx(cell["v2"].mean() - cell["b"].mean(), rel=1e-10)
    assert row["std_error"] == pytest.approx(np.sqrt(2 * pooled / n), rel=1e-9)
    assert row["df"] == pytest.approx(3 * n - 3, rel=1e-9)


def test_visit_with_one_subject_is_estimated():
    data = _long({"a": {"b": 1.0, "v1": 2.0, "v2": 3.5}, "b": {"b": 2.0, "v1": 2.5}, "c": {"b": 0.5, "v1": 1.7},
                  "d": {"b": 1.5, "v1": 3.1}})
    out = _fit(data)
    row = out.loc[(out["method"] == "lmm") & (out["visit"] == "v2")].iloc[0]
    assert row["n"] == 1
    assert np.isfinite(row["estimate"]) and np.isfinite(row["std_error"])


def test_visit_missing_for_everyone_gives_an_empty_row():
    data = _long({s: {"b": x, "v1": x + d} for s, x, d in [("a", 1, 0.3), ("b", 2, 0.9), ("c", 1.4, 0.1)]})
    out = _fit(data)
    empty = out.loc[out["visit"] == "v2"]
    assert len(empty) == 2 and empty["estimate"].isna().all()
    assert (empty["note"] == "no observations at this visit").all()
    assert np.isfinite(out.loc[(out["visit"] == "v1") & (out["method"] == "lmm"), "df"]).all()


def test_two_subjects():
    """R 4.2.2, lmerTest 3.1.3, pbkrtest 0.5.2 (bobyqa, rhoend = 1e-12):
    d <- data.frame(subject = rep(c("a", "b"), each = 3), visit = factor(rep(c("b", "v1", "v2"), 2)),
                    value = c(1, 2, 2.2, 3, 3.5, 4.9))
    m <- lmer(value ~ visit + (1 | subject), d); summary(m, ddf = "Satterthwaite" / "Kenward-Roger")
    SE 0.426223723403 for both contrasts, df 2.00000002 (Satterthwaite, numDeriv) and 2 (KR);
    VarCorr 2.075000101929, 0.181666662392 (lme4's optimiser tolerance, ~5e-8)."""
    data = _long({"a": {"b": 1.0, "v1": 2.0, "v2": 2.2}, "b": {"b": 3.0, "v1": 3.5, "v2": 4.9}})
    out = _fit(data).set_index(["method", "term", "visit"])
    for method in ("lmm", "lmm_kr"):
        for visit, estimate in (("v1", 0.75), ("v2", 1.55)):
            row = out.loc[(method, "contrast", visit)]
            assert row["estimate"] == pytest.approx(estimate, rel=1e-12)
            assert row["std_error"] == pytest.approx(0.426223723403, rel=1e-6)
            assert row["df"] == pytest.approx(2.0, rel=1e-4)
    assert out.loc[("lmm", "var_subject", ""), "estimate"] == pytest.approx(2.075, rel=1e-7)
    assert out.loc[("lmm", "var_residual", ""), "estimate"] == pytest.approx(0.181666662392, rel=1e-7)


@pytest.mark.parametrize(
    "data, note",
    [
        (_long({"a": {"v1": 1.0}, "b": {"v1": 2.0}}), "no baseline"),
        (_long({"a": {"b": 1.0}, "b": {"b": 2.0}}), "no post-baseline"),
        (_long({"a": {"b": 1.0, "v1": 2.0, "v2": 3.0}}), "fewer than two subjects"),
        (pd.concat([_long({"a": {"b": 1.0, "v1": 2.0}, "b": {"b": 2.0, "v1": 2.0}})] * 2), "more than one row"),
    ],
)
def test_unfittable_models_give_empty_rows_with_a_note(data, note):
    out = _fit(data)
    assert len(out) == 2 * 2 + 4
    assert out["estimate"].isna().all()
    assert out["note"].str.contains(note).all()

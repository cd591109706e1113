"""``fit_mmrm``: CHG ~ visit + BASE + BASE:visit, unstructured covariance, REML, Satterthwaite,
computed by the general engine (its own tests: ``test_stats_mmrm_engine.py``, derivatives in
``test_stats_mmrm_derivatives.py``).

Reference values: ``tests/reference/values/reference.csv`` from
``tests/reference/make_reference.R`` — method ``mmrm``: the script's own R REML
(Cholesky-parametrised unstructured Sigma, cross-checked against ``nlme::gls``
log-likelihood) with Satterthwaite df from analytic derivatives (numDeriv agrees to
~1e-8); LS means at the mean of BASE over the fitted rows. CHG = value - baseline
value, BASE = baseline value, subjects without a baseline left out.
Tolerances (the project's for the models): estimates, SEs, CIs, t and p to 1e-6 relative; df to 1e-4 relative.
``mmrm_emmeans`` (gls + emmeans) is only good to ~1 % on df and is checked loosely.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aidheart.stats.covariance import covariance_structure
from aidheart.stats.mmrm import fit_mmrm
from aidheart.stats.reml import evaluate
from aidheart.stats.reml_data import group_by_pattern
from reference_values import MODEL_VISITS, REFERENCE, assert_row_matches, model_reference_table

VISITS = MODEL_VISITS


def change_from_baseline(data: pd.DataFrame, baseline: str) -> pd.DataFrame:
    base = data.loc[data["visit"] == baseline].set_index("subject")["value"]
    post = data.loc[data["visit"] != baseline].copy()
    post["BASE"] = post["subject"].map(base)
    post = post.dropna(subset=["BASE"])
    post["CHG"] = post["value"] - post["BASE"]
    return post


def mmrm_for(dataset: str) -> pd.DataFrame:
    visits = VISITS[dataset]
    post = change_from_baseline(pd.read_csv(REFERENCE / "data" / f"{dataset}.csv"), visits[0])
    return fit_mmrm(post, subject="subject", visit="visit", change="CHG", base="BASE", visit_order=visits[1:])


def _cases(method):
    return [
        pytest.param(row, id=f"{row.dataset}-{row.visit or 'model'}-{row.term}")
        for row in model_reference_table((method,)).itertuples(index=False)
    ]


def _ours(expected) -> pd.Series:
    ours = mmrm_for(expected.dataset)
    row = ours.loc[(ours["visit"] == expected.visit) & (ours["method"] == "mmrm") & (ours["term"] == expected.term)]
    assert len(row) == 1
    return row.iloc[0]


@pytest.mark.parametrize("expected", _cases("mmrm"))
def test_mmrm_matches_r_reml(expected):
    row = _ours(expected)
    assert_row_matches(row, expected._asdict(), check_n=bool(expected.visit))


@pytest.mark.parametrize("expected", _cases("mmrm_emmeans"))
def test_mmrm_agrees_with_gls_emmeans(expected):
    """nlme::gls + emmeans: same LS mean and SE; its df only to ~1 % (emmeans takes another df method)."""
    row = _ours(expected)
    assert row["estimate"] == pytest.approx(expected.estimate, rel=1e-6)
    assert row["std_error"] == pytest.approx(expected.std_error, rel=1e-5)
    assert row["df"] == pytest.approx(expected.df, rel=0.03)


def test_reference_covers_every_dataset():
    ref = model_reference_table(("mmrm",))
    assert set(ref["dataset"]) == set(VISITS)
    assert {"lsmean_change", "reml_loglik", "n_obs", "sigma_1_1", "sigma_1_3", "sigma_3_3"} <= set(ref["term"])


def _simulate(n: int, seed: int, missing: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.normal(50, 8, n)
    noise = rng.multivariate_normal([0, 0, 0], [[16, 8, 6], [8, 25, 12], [6, 12, 36]], n)
    chg = np.array([1.0, 3.0, 4.0]) + np.outer(base - 50, [-0.2, -0.3, -0.1]) + noise
    rows = pd.DataFrame({
        "subject": np.repeat(np.arange(n), 3), "visit": np.tile(["w4", "w8", "w12"], n),
        "BASE": np.repeat(base, 3), "CHG": chg.ravel(),
    })
    drop = (rng.random(len(rows)) < missing) & (rows["visit"] != "w4")
    return rows.loc[~drop].reset_index(drop=True)


def _fit(data, visits=("w4", "w8", "w12")):
    return fit_mmrm(data, subject="subject", visit="visit", change="CHG", base="BASE", visit_order=list(visits))


def test_complete_data_reduce_to_per_visit_regressions():
    """Complete data, same regressors at every visit: GLS = per-visit OLS, the REML Sigma is
    E'E / (n - 2) (E the OLS residuals), and the Satterthwaite df is exactly n - 2."""
    n = 25
    data = _simulate(n, seed=3)
    out = _fit(data).set_index(["term", "visit"])
    centre = data["BASE"].mean()
    residuals = []
    for visit in ("w4", "w8", "w12"):
        rows = data.loc[data["visit"] == visit]
        x = np.column_stack([np.ones(n), rows["BASE"] - centre])
        coef, *_ = np.linalg.lstsq(x, rows["CHG"].to_numpy(), rcond=None)
        resid = rows["CHG"].to_numpy() - x @ coef
        residuals.append(resid)
        s2 = resid @ resid / (n - 2)
        row = out.loc[("lsmean_change", visit)]
        assert row["estimate"] == pytest.approx(coef[0], rel=1e-10)
        assert row["std_error"] == pytest.approx(np.sqrt(s2 / n), rel=1e-9)
        assert row["df"] == pytest.approx(n - 2, rel=1e-9)
        assert row["n"] == n
    sigma = np.array(residuals) @ np.array(residuals).T / (n - 2)
    for j in range(3):
        for k in range(j, 3):
            assert out.loc[(f"sigma_{j + 1}_{k + 1}", ""), "estimate"] == pytest.approx(sigma[j, k], rel=1e-9)


def test_visit_with_one_subject_is_left_out_with_a_note():
    data = _simulate(20, seed=4)
    data = data.loc[(data["visit"] != "w12") | (data["subject"] == 0)]
    out = _fit(data).set_index(["term", "visit"])
    row = out.loc[("lsmean_change", "w12")]
    assert np.isnan(row["estimate"]) and row["n"] == 1 and "left out" in row["note"]
    assert np.isfinite(out.loc[("lsmean_change", "w8"), "df"])
    assert "sigma_2_2" in out.index.get_level_values("term") and "sigma_3_3" not in out.index.get_level_values("term")


def test_visit_missing_for_everyone_gives_an_empty_row():
    data = _simulate(20, seed=5)
    out = _fit(data, visits=("w4", "w6", "w8", "w12")).set_index(["term", "visit"])
    assert out.loc[("lsmean_change", "w6"), "note"] == "no observations at this visit"
    assert out.loc[("lsmean_change", "w6"), "n"] == 0
    assert np.isfinite(out.loc[("lsmean_change", "w12"), "p_value"])


@pytest.mark.parametrize(
    "subjects, note",
    [(2, "no post-baseline visit with enough data"), (3, "singular covariance")],
)
def test_too_few_subjects_give_empty_rows_with_a_note(subjects, note):
    out = _fit(_simulate(subjects, seed=6))
    assert out["estimate"].isna().all()
    assert out["note"].str.contains(note).all()


def test_no_data_gives_empty_rows():
    empty = pd.DataFrame({"subject": [], "visit": [], "CHG": [], "BASE": []})
    out = _fit(empty)
    assert len(out) == 3 + 2 and out["estimate"].isna().all()


def test_failed_fit_emits_no_numpy_warning_and_says_why(recwarn):
    """NYHA-like data (class 2-4, change 0 or -1, one visit where nobody changed): the
    unstructured Sigma heads to a zero variance. The fit must fail with that reason in the
    note, and no RuntimeWarning (overflow in matmul) may reach the run log."""
    rng = np.random.default_rng(8)
    n, visits = 20, ["w0", "w1", "w2", "w3", "w4"]
    base = rng.integers(2, 5, n).astype(float)
    change = np.where(rng.random((n, len(visits))) < 0.85, 0.0, -1.0)
    change[:, 1] = 0.0
    data = pd.DataFrame({"subject": np.repeat(np.arange(n), len(visits)), "visit": np.tile(visits, n),
                         "BASE": np.repeat(base, len(visits)), "CHG": change.ravel()})
    out = _fit(data.loc[rng.random(len(data)) > 0.1], visits=visits)
    assert out["estimate"].isna().all()
    assert out["note"].str.contains("did not converge: singular covariance").all()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_overflowing_parameters_are_rejected_without_a_warning(recwarn):
    """Where V^-1 is too large for double precision the likelihood is 'not evaluable', caught
    inside the evaluation (the optimiser then says 'floating-point overflow' if it fails)."""
    data = group_by_pattern(np.array([[1.0, 2.0], [3.0, 1.0], [0.0, 5.0]]), np.ones((3, 2, 1)))
    assert evaluate(data, covariance_structure("us", 2), np.array([1e-200, 0.0, 1e-200])) is None
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]

"""The general MMRM engine (``aidheart mmrm``) against SAS PROC MIXED and an independent R REML.

SAS: ``tests/reference/sas/`` holds SAS PROC MIXED's own output for R mmrm's ``fev_data``
(``FEV1 = ARMCD``, ``type=un``, ``ddfm=kr`` and ``ddfm=kr(linear)``; origin in the README
there). SAS stops its Newton-Raphson at a relative Hessian criterion of 1e-8, about 1e-5
short of the optimum in beta; with ``criterion="sas"`` the engine takes SAS's path (MIVQUE0
start, Newton-Raphson, same stop) and must reproduce the listing: estimate and SE to 1e-6
relative, df to 1e-4 (t, p and CI to 1e-6).

R: ``tests/reference/values/mmrm_reference.csv`` from ``tests/reference/make_reference_mmrm.R``
(own REML/ML in R, numDeriv derivatives, Kenward & Roger's formulas; every row carries the
call). Every other model form — interactions, covariates, missing visits, Satterthwaite,
Kenward-Roger with and without its second-derivative term, each covariance structure, ML,
a cLDA with the baseline in the response — at 1e-6 relative (df 1e-4), fitted with the
default tight criterion (p-values also to 1e-12 absolute: a p of 1e-140 moves by 1e-6 of
itself when t moves in its tenth digit).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import pytest

from aidheart.stats.mmrm_ard import mmrm_ard
from aidheart.stats.mmrm_fit import MmrmFitError, fit_mmrm_arrays
from aidheart.stats.mmrm_model import MmrmInputError, fit_formula, mmrm_design
from reference_values import REFERENCE, assert_row_matches

FEV = REFERENCE / "data" / "fev_data.csv"
SAS_FORMULA = "FEV1 ~ ARMCD + us(AVISIT | USUBJID)"
REL, DF_REL = 1e-6, 1e-4


@cache
def fev() -> pd.DataFrame:
    return pd.read_csv(FEV)


def sas_listing(name: str) -> pd.Series:
    return pd.read_csv(REFERENCE / "sas" / name).iloc[0]


@cache
def sas_fit():
    return fit_formula(fev(), SAS_FORMULA, reference={"ARMCD": "PBO"}, criterion="sas")


@pytest.mark.parametrize(("listing", "df_method"), [("sas_kr_us.csv", "kenward-roger"),
                                                    ("sas_kr1_us.csv", "kenward-roger-linear")])
def test_sas_difference_of_lsmeans_is_reproduced(listing, df_method):
    sas = sas_listing(listing)
    ard = mmrm_ard(sas_fit(), df_method=df_method, lsmeans="ARMCD").set_index(["method", "term"])
    row = ard.loc[("mmrm_lsmean_diff", "ARMCD=TRT-PBO")]
    for ours, theirs in [("estimate", "Estimate"), ("std_error", "StdErr"), ("statistic", "tValue"),
                         ("p_value", "Probt"), ("ci_low", "Lower"), ("ci_high", "Upper")]:
        assert row[ours] == pytest.approx(sas[theirs], rel=REL), ours
    assert row["df"] == pytest.approx(sas["DF"], rel=DF_REL)
    assert ard.loc[("mmrm_coef", "ARMCD=TRT"), "estimate"] == pytest.approx(sas["Estimate"], rel=REL)


def test_sas_iteration_history_is_reproduced():
    """SAS listing (mmrm's design/KR/kr_us.txt, see tests/reference/sas/README.md): 3 iterations,
    final -2 Res Log Like 3667.96276376; LS means TRT 44.8255 (SE 0.4801, df 159), PBO 41.0058
    (0.4547, 162), printed to 4 decimals / whole df."""
    model = sas_fit()
    assert model.fit.result.iterations == 3
    assert -2 * model.fit.loglik == pytest.approx(3667.96276376, abs=5e-9)
    ard = mmrm_ard(model, lsmeans="ARMCD").set_index(["method", "term"])
    for term, estimate, se, df in [("ARMCD=TRT", 44.8255, 0.4801, 159), ("ARMCD=PBO", 41.0058, 0.4547, 162)]:
        row = ard.loc[("mmrm_lsmean", term)]
        assert round(row["estimate"], 4) == estimate and round(row["std_error"], 4) == se
        assert round(row["df"]) == df


def test_tight_optimum_is_beyond_where_sas_stops():
    """The default criterion goes on to the REML maximum: a -2 logL below SAS's final value
    (R's own REML agrees with it: fev_armcd_us in the R reference)."""
    tight = fit_formula(fev(), SAS_FORMULA, reference={"ARMCD": "PBO"})
    assert -2 * tight.fit.loglik < 3667.96276376 - 5e-6
    assert abs(tight.fit.beta[1] / sas_fit().fit.beta[1] - 1) < 1e-5


# ---------------------------------------------------------------------------
# The independent R reference
# ---------------------------------------------------------------------------

def r_reference() -> pd.DataFrame:
    ref = pd.read_csv(REFERENCE / "values" / "mmrm_reference.csv", keep_default_na=False, na_values=[""])
    for column in ("visit", "df_method", "reference", "lsmeans"):
        ref[column] = ref[column].fillna("").astype(str)
    return ref


@cache
def our_model(model_id: str):
    spec = r_reference().query("model == @model_id").iloc[0]
    data = pd.read_csv(REFERENCE / "data" / spec["data"])
    reference = dict(pair.split("=") for pair in spec["reference"].split(";") if pair)
    return fit_formula(data, spec["formula"], reference=reference, visit_order=spec["visit_order"].split(","),
                       reml=bool(spec["reml"]))


@cache
def our_ard(model_id: str, df_method: str) -> pd.DataFrame:
    spec = r_reference().query("model == @model_id").iloc[0]
    ard = mmrm_ard(our_model(model_id), df_method=df_method or "satterthwaite", lsmeans=spec["lsmeans"] or None)
    return ard.set_index(["method", "term"])


def _cases(methods):
    ref = r_reference()
    ref = ref.loc[ref["method"].isin(methods)]
    return [pytest.param(row, id=f"{row.model}-{row.df_method or 'fit'}-{row.method}-{row.term}")
            for row in ref.itertuples(index=False)]


@pytest.mark.parametrize("expected", _cases(("mmrm_coef", "mmrm_lsmean", "mmrm_lsmean_diff")))
def test_inference_matches_r(expected):
    row = our_ard(expected.model, expected.df_method).loc[(expected.method, expected.term)]
    assert_row_matches(row, expected._asdict())
    assert row["visit"] == expected.visit


@pytest.mark.parametrize("expected", _cases(("mmrm_cov", "mmrm_fit")))
def test_covariance_and_likelihood_match_r(expected):
    row = our_ard(expected.model, "satterthwaite").loc[(expected.method, expected.term)]
    if expected.method == "mmrm_cov":
        largest = our_model(expected.model).fit.sigma.max()
        assert row["estimate"] == pytest.approx(expected.estimate, abs=REL * largest)
    else:
        assert row["estimate"] == pytest.approx(expected.estimate, rel=1e-10)
    assert row["n"] == expected.n


def test_r_reference_covers_every_model_form_and_row():
    ref = r_reference()
    formulas = set(ref["formula"])
    for structure in ("us(", "cs(", "ar1(", "csh(", "toeph("):
        assert any(structure in f for f in formulas)
    assert {"satterthwaite", "kenward-roger", "kenward-roger-linear"} <= set(ref["df_method"])
    assert set(ref["reml"]) == {True, False}
    for (model, df_method), rows in ref.loc[ref["df_method"] != ""].groupby(["model", "df_method"]):
        ours = our_ard(model, df_method).reset_index()
        ours = ours.loc[ours["method"].isin(["mmrm_coef", "mmrm_lsmean", "mmrm_lsmean_diff"])]
        assert list(ours["term"]) == list(rows["term"]), (model, df_method)


def test_kenward_roger_second_derivative_term_matters_only_for_nonlinear_structures():
    """In SAS's parameters us and cs are linear (KR = KR-linear, as the two SAS listings show);
    ar1, csh and toeph are not, and R's KR with the R term differs from KR-linear."""
    ref = r_reference().query("method == 'mmrm_coef'")
    for model, rows in ref.groupby("model"):
        full = rows.query("df_method == 'kenward-roger'").set_index("term")["std_error"]
        linear = rows.query("df_method == 'kenward-roger-linear'").set_index("term")["std_error"]
        if full.empty or linear.empty:
            continue
        gap = float((full / linear - 1).abs().max())
        assert (gap < 1e-12) == model.endswith(("_us", "_cs")), (model, gap)


# ---------------------------------------------------------------------------
# Fallback order, bad input, arrays
# ---------------------------------------------------------------------------

def small_trial(n=4, visits=5, seed=2):
    rng = np.random.default_rng(seed)
    sigma = 4 * (0.6 ** np.abs(np.subtract.outer(range(visits), range(visits))))
    y = rng.multivariate_normal(np.arange(visits, dtype=float), sigma, n)
    return pd.DataFrame({"USUBJID": np.repeat([f"S{i}" for i in range(n)], visits),
                         "AVISIT": np.tile([f"W{k}" for k in range(visits)], n), "AVAL": y.ravel()})


def test_fallback_uses_the_first_structure_that_converges_and_says_why():
    data = small_trial()
    model = fit_formula(data, "AVAL ~ AVISIT + us(AVISIT | USUBJID)", structures=("us", "toeph", "csh", "cs"))
    assert model.structure != "us"
    assert model.attempts[0].startswith("us: singular covariance")
    direct = fit_formula(data, f"AVAL ~ AVISIT + {model.structure}(AVISIT | USUBJID)")
    np.testing.assert_array_equal(model.fit.beta, direct.fit.beta)
    note = mmrm_ard(model, lsmeans="AVISIT")["note"].iloc[0]
    assert note.startswith(f"{model.structure} covariance, REML (not converged first: us: singular covariance")


def test_no_structure_converging_is_one_error_naming_each():
    data = small_trial(n=3)
    with pytest.raises(MmrmFitError, match=r"no covariance structure converged \(us: .*; toeph: "):
        fit_formula(data, "AVAL ~ AVISIT + us(AVISIT | USUBJID)", structures=("us", "toeph"))


def _bad(change):
    data = fev().copy()
    change(data)
    return data


@pytest.mark.parametrize(("data", "formula", "options", "message"), [
    (None, "FEV1 ~ ARMCD + WEIGHTS + us(AVISIT | USUBJID)", {}, "column 'WEIGHTS' not found"),
    (_bad(lambda d: d.__setitem__("SEX", "Female")), "FEV1 ~ SEX + ARMCD + us(AVISIT | USUBJID)", {},
     "factor 'SEX' has one level"),
    (None, "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {"visit_order": ["VIS1", "VIS2", "VIS3", "VIS4", "VIS5"]},
     "visit 'VIS5' is in no row"),
    (_bad(lambda d: d.__setitem__("FEV1", d["FEV1"].where(d["AVISIT"] != "VIS3"))),
     "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {}, "visit 'VIS3' is in no row"),
    (None, "FEV1 ~ ARMCD + ARMCD:RACE + RACE:SEX + us(AVISIT | USUBJID)", {}, "singular design: column"),
    (None, "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {"visit_order": ["VIS1", "VIS2", "VIS3"]},
     "visit level 'VIS4' is not in the visit order"),
    (None, "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {"reference": {"ARMCD": "PLACEBO"}}, "level 'PLACEBO' not in"),
    (None, "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {"reference": {"WEIGHT": "1"}}, "not a factor"),
    (_bad(lambda d: d.__setitem__("FEV1", d["FEV1"].astype(str).where(d.index != 5, "n/a"))),
     "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {}, "column 'FEV1' is not numeric"),
    (_bad(lambda d: d.__setitem__("WEIGHT", d["WEIGHT"].astype(str))),
     "FEV1 ~ WEIGHT + us(AVISIT | USUBJID)", {}, "too large; factor 'WEIGHT' has 537 levels"),
    (_bad(lambda d: d.__setitem__("AVISIT", d["AVISIT"].replace("VIS2", "VIS1"))),
     "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", {}, "more than one row at visit 'VIS1'"),
    (None, "FEV1 ~ ARMCD + unstructured(AVISIT | USUBJID)", {}, "unknown function or covariance structure"),
])
def test_bad_input_is_one_line_naming_the_problem(data, formula, options, message):
    with pytest.raises(ValueError, match=message) as caught:
        fit_formula(fev() if data is None else data, formula, **options)
    assert "\n" not in str(caught.value)


def test_structure_needing_more_visits_is_an_input_error():
    data = fev().loc[fev()["AVISIT"] == "VIS1"]
    with pytest.raises(MmrmInputError, match="covariance ar1 needs at least 2 visits"):
        fit_formula(data, "FEV1 ~ ARMCD + ar1(AVISIT | USUBJID)")


def test_lsmeans_of_a_covariate_or_kr_with_ml_are_input_errors():
    model = fit_formula(fev(), "FEV1 ~ ARMCD + WEIGHT + us(AVISIT | USUBJID)", reml=False)
    with pytest.raises(MmrmInputError, match="'WEIGHT' is not a factor"):
        mmrm_ard(model, df_method="satterthwaite", lsmeans="WEIGHT")
    with pytest.raises(MmrmInputError, match="kenward-roger needs REML"):
        mmrm_ard(model, df_method="kenward-roger")


def test_arrays_give_the_fit_of_the_formula():
    """The array entry (for simulations) on the design's own arrays: the same fit."""
    model = our_model("fev_full_us")
    design = model.design
    fit = fit_mmrm_arrays(design.y, design.x, "us")
    np.testing.assert_allclose(fit.beta, model.fit.beta, rtol=1e-12)
    contrast = np.zeros(len(design.columns))
    contrast[design.columns.index("ARMCD=TRT")] = 1
    expected = our_ard("fev_full_us", "kenward-roger").loc[("mmrm_coef", "ARMCD=TRT")]
    assert fit.contrast(contrast, "kenward-roger")["std_error"] == pytest.approx(expected["std_error"], rel=1e-12)


def test_design_counts_rows_used_and_drops_subjects_without_any():
    design = mmrm_design(fev(), SAS_FORMULA)
    assert design.n_obs == 537 and len(design.subjects) == 197
    assert math.isclose(np.nansum(design.y), fev()["FEV1"].sum(), rel_tol=1e-12)

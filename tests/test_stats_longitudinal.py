"""Longitudinal models of one endpoint (``fit_longitudinal``) against an independent R REML.

References (each row carries its R call):

- ``values/mmrm_reference.csv`` (``make_reference_mmrm.R``): the analysis plan's three models on
  ``data/synth_missing_adam.csv`` (every row, for the cLDA) and ``synth_missing_adam_post.csv``
  (post-baseline rows, for the MMRMs of CHG) — ``CHG ~ 0 + AVISIT + BASE``,
  ``CHG ~ 0 + AVISIT + AVISIT:BASE`` and ``AVAL ~ AVISIT`` — under each structure of the
  fallback order (us, toeph, csh, cs), Satterthwaite and Kenward–Roger df. The R script
  fits its own REML (nlminb from nlme::gls, numDeriv Newton), takes the LS means on R's
  model.matrix grid (BASE at its mean over the rows used) and the differences of each
  visit from baseline for the cLDA.
- ``values/reference.csv`` (``make_reference.R``), method ``mmrm``: ``CHG ~ visit + BASE +
  BASE:visit`` with unstructured Sigma and Satterthwaite df, from a second own REML
  (Cholesky parameters, analytic derivatives) on three datasets.

Tolerances: the project's for models, 1e-6 relative (df 1e-4; p also 1e-12 absolute).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aidheart.stats.longitudinal import LongitudinalModel, fit_longitudinal
from reference_values import MODEL_VISITS, REFERENCE, assert_row_matches, model_reference_table

PRIMARY = LongitudinalModel("mmrm", "CHG ~ 0 + AVISIT + BASE")
PER_VISIT_SLOPE = LongitudinalModel("mmrm_base_visit", "CHG ~ 0 + AVISIT + AVISIT:BASE")
CLDA = LongitudinalModel("clda", "AVAL ~ AVISIT")
#: R reference model id prefix -> the model it checks.
R_MODELS = {"adam_chg_base_": PRIMARY, "adam_chg_base_visit_": PER_VISIT_SLOPE, "adam_clda_": CLDA}
STRUCTURES = ("us", "toeph", "csh", "cs")
POST = ["week4", "week12", "week16"]


def adam_records() -> pd.DataFrame:
    """synth_missing in ADaM names, as the R script wrote it (every row)."""
    return pd.read_csv(REFERENCE / "data" / "synth_missing_adam.csv", dtype={"USUBJID": str, "AVISIT": str})


def mmrm_reference() -> pd.DataFrame:
    ref = pd.read_csv(REFERENCE / "values" / "mmrm_reference.csv", keep_default_na=False, na_values=[""])
    ref["visit"] = ref["visit"].fillna("").astype(str)
    return ref


def _r_cases():
    ref = mmrm_reference()
    cases = []
    for prefix, model in R_MODELS.items():
        for structure in STRUCTURES:
            rows = ref[(ref["model"] == prefix + structure) & (ref["df_method"] != "")]
            change = rows["method"] == ("mmrm_lsmean_diff" if model is CLDA else "mmrm_lsmean")
            for row in rows[change].to_dict("records"):
                cases.append(pytest.param(model, structure, row,
                                          id=f"{model.id}-{structure}-{row['df_method']}-{row['visit']}"))
    return cases


@pytest.mark.parametrize(("model", "structure", "ref"), _r_cases())
def test_change_at_each_visit_matches_r(model, structure, ref):
    # R: own REML of the model under that structure; LS mean (CHG models) or LS-mean difference
    # visit - baseline (cLDA) with Satterthwaite or Kenward-Roger df; CI est +/- qt(0.975, df) SE
    out = fit_longitudinal(adam_records(), model, baseline="baseline", visits=POST, structures=(structure,),
                           df_method=ref["df_method"])
    row = out[(out["term"] == "lsmean_change") & (out["visit"] == ref["visit"])].iloc[0]
    assert row["covariance"] == structure and row["method"] == model.id
    assert_row_matches(row, ref, check_n=False)


@pytest.mark.parametrize("structure", STRUCTURES)
def test_common_baseline_slope_and_covariance_match_r(structure):
    ref = mmrm_reference()
    ref = ref[ref["model"] == f"adam_chg_base_{structure}"]
    out = fit_longitudinal(adam_records(), PRIMARY, baseline="baseline", visits=POST, structures=(structure,),
                           df_method="kenward-roger").set_index("term")
    slope = ref[(ref["method"] == "mmrm_coef") & (ref["term"] == "BASE") & (ref["df_method"] == "kenward-roger")]
    assert_row_matches(out.loc["coef[BASE]"], slope.iloc[0], check_n=False)
    for _, cov in ref[ref["method"] == "mmrm_cov"].iterrows():
        assert out.loc[cov["term"], "estimate"] == pytest.approx(cov["estimate"], rel=1e-6, abs=1e-9)
    loglik = ref[ref["term"] == "reml_loglik"].iloc[0]["estimate"]
    assert out.loc["reml_loglik", "estimate"] == pytest.approx(loglik, rel=1e-9)


def test_subjects_counted_at_each_visit():
    # synth_missing: 15 subjects with a baseline; S04 and S11 drop out after week4, S07 misses week12;
    # S14 has no baseline (no CHG: outside the MMRM of the change, inside the cLDA)
    records = adam_records()
    mmrm = fit_longitudinal(records, PRIMARY, baseline="baseline", visits=POST, structures=("us",),
                            df_method="kenward-roger").set_index(["term", "visit"])
    clda = fit_longitudinal(records, CLDA, baseline="baseline", visits=POST, structures=("us",),
                            df_method="kenward-roger").set_index(["term", "visit"])
    assert [mmrm.loc[("lsmean_change", v), "n"] for v in POST] == [15, 12, 13]
    assert [clda.loc[("lsmean_change", v), "n"] for v in POST] == [16, 13, 14]
    assert mmrm.loc[("n_obs", ""), "estimate"] == 40 and mmrm.loc[("n_obs", ""), "n"] == 15
    assert clda.loc[("n_obs", ""), "estimate"] == 58 and clda.loc[("n_obs", ""), "n"] == 16


def _reference_mmrm_cases():
    return [pytest.param(row, id=f"{row.dataset}-{row.visit}")
            for row in model_reference_table(("mmrm",)).itertuples(index=False) if row.term == "lsmean_change"]


def _records_of(dataset: str) -> pd.DataFrame:
    visits = MODEL_VISITS[dataset]
    data = pd.read_csv(REFERENCE / "data" / f"{dataset}.csv", dtype={"subject": str, "visit": str})
    base = data.loc[data["visit"] == visits[0]].set_index("subject")["value"]
    records = data.rename(columns={"subject": "USUBJID", "visit": "AVISIT", "value": "AVAL"})
    records["BASE"] = records["USUBJID"].map(base)
    records["CHG"] = (records["AVAL"] - records["BASE"]).where(records["AVISIT"] != visits[0])
    return records


@pytest.mark.parametrize("expected", _reference_mmrm_cases())
def test_per_visit_slopes_match_the_second_r_reml(expected):
    # R: own REML of CHG ~ visit + BASE + BASE:visit, unstructured Sigma, Satterthwaite df (analytic derivatives)
    visits = MODEL_VISITS[expected.dataset]
    out = fit_longitudinal(_records_of(expected.dataset), PER_VISIT_SLOPE, baseline=visits[0], visits=visits[1:],
                           structures=("us",), df_method="satterthwaite")
    row = out[(out["term"] == "lsmean_change") & (out["visit"] == expected.visit)].iloc[0]
    assert_row_matches(row, expected._asdict())


def _simulate(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.normal(50, 8, n)
    noise = rng.multivariate_normal([0, 0, 0], [[16, 8, 6], [8, 25, 12], [6, 12, 36]], n)
    change = np.array([1.0, 3.0, 4.0]) + np.outer(base - 50, [-0.2, -0.3, -0.1]) + noise
    post = pd.DataFrame({"USUBJID": np.repeat([f"S{i:02d}" for i in range(n)], 3),
                         "AVISIT": np.tile(["w4", "w8", "w12"], n), "BASE": np.repeat(base, 3),
                         "CHG": change.ravel()})
    post["AVAL"] = post["BASE"] + post["CHG"]
    baseline = pd.DataFrame({"USUBJID": [f"S{i:02d}" for i in range(n)], "AVISIT": "bl", "AVAL": base, "BASE": base})
    return pd.concat([baseline, post], ignore_index=True)


def test_complete_data_reduce_to_per_visit_regressions():
    """Complete data, same regressors at every visit: GLS is per-visit OLS, so the LS mean at visit j
    is the OLS intercept at the mean BASE, its SE that of the regression, df exactly n - 2."""
    n = 25
    data = _simulate(n, seed=3)
    out = fit_longitudinal(data, PER_VISIT_SLOPE, baseline="bl", visits=["w4", "w8", "w12"], structures=("us",),
                           df_method="kenward-roger").set_index(["term", "visit"])
    centre = data.loc[data["AVISIT"] == "bl", "BASE"].mean()
    for visit in ("w4", "w8", "w12"):
        rows = data.loc[data["AVISIT"] == visit]
        x = np.column_stack([np.ones(n), rows["BASE"] - centre])
        coef, *_ = np.linalg.lstsq(x, rows["CHG"].to_numpy(), rcond=None)
        resid = rows["CHG"].to_numpy() - x @ coef
        row = out.loc[("lsmean_change", visit)]
        assert row["estimate"] == pytest.approx(coef[0], rel=1e-10)
        assert row["std_error"] == pytest.approx(np.sqrt(resid @ resid / (n - 2) / n), rel=1e-9)
        assert row["df"] == pytest.approx(n - 2, rel=1e-9)


def test_visit_with_too_few_subjects_is_left_out_with_a_note():
    data = _simulate(20, seed=4)
    data = data.loc[(data["AVISIT"] != "w12") | data["USUBJID"].isin(["S00", "S01"])]
    out = fit_longitudinal(data, PRIMARY, baseline="bl", visits=["w4", "w8", "w12"], structures=("us",),
                           df_method="kenward-roger").set_index(["term", "visit"])
    row = out.loc[("lsmean_change", "w12")]
    assert np.isnan(row["estimate"]) and row["n"] == 2 and "left out of the model" in row["note"]
    assert np.isfinite(out.loc[("lsmean_change", "w8"), "df"])
    assert "sigma[w8,w8]" in out.index.get_level_values("term")
    assert "sigma[w12,w12]" not in out.index.get_level_values("term")


def test_fallback_uses_the_first_structure_that_converges_and_says_why():
    # every subject's change at w4 is 0: no structure with a variance of its own for w4 can be
    # fitted (the likelihood grows without bound as that variance goes to 0); cs, one common
    # variance, can. The rows say cs was used and why us, toeph and csh were not.
    data = _simulate(20, seed=6)
    at_w4 = data["AVISIT"] == "w4"
    data.loc[at_w4, "CHG"] = 0.0
    out = fit_longitudinal(data, PRIMARY, baseline="bl", visits=["w4", "w8", "w12"], structures=STRUCTURES,
                           df_method="kenward-roger")
    row = out[(out["term"] == "lsmean_change") & (out["visit"] == "w8")].iloc[0]
    assert set(out["covariance"]) == {"cs"}
    assert "cs covariance" in row["note"] and "not converged first: us:" in row["note"]
    assert "toeph:" in row["note"] and "csh:" in row["note"] and np.isfinite(row["estimate"])
    only_cs = fit_longitudinal(data, PRIMARY, baseline="bl", visits=["w4", "w8", "w12"], structures=("cs",),
                               df_method="kenward-roger")
    pd.testing.assert_series_equal(row[["estimate", "std_error", "df"]],
                                   only_cs[(only_cs["term"] == "lsmean_change") & (only_cs["visit"] == "w8")]
                                   .iloc[0][["estimate", "std_error", "df"]])


def test_no_structure_fits_gives_empty_rows_with_the_reasons():
    data = _simulate(20, seed=7)
    data.loc[data["AVISIT"] == "w4", "CHG"] = 0.0
    out = fit_longitudinal(data, PRIMARY, baseline="bl", visits=["w4", "w8", "w12"], structures=("us", "csh"),
                           df_method="kenward-roger")
    assert list(out["term"]) == ["lsmean_change"] * 3 and out["estimate"].isna().all()
    assert out["note"].str.startswith("not fitted: no covariance structure converged (us:").all()

"""The next trial's power simulation set up from config and ADaM: scenarios, generating models, the table.

Generating model reference: with every subject seen at every visit, the REML MMRM
``AVAL ~ AVISIT + us(AVISIT | USUBJID)`` is the multivariate normal model with free means,
whose REML estimates are the visit means and the sample covariance with divisor n - 1
(numpy's ``mean`` and ``cov``).
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from aidheart.analysis.power import (
    NotEstimableYet, PowerSetupError, effect_sizes, generating_model, generating_models, pilot_retention, power_table,
)
from aidheart.stats.trial_power import NOT_ESTIMABLE
from aidheart.analysis.power_plan import Scenario, effect_label, power_scenarios, scenario_named
from aidheart.config import ConfigError, validate_config
from aidheart.study import load_study

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
STUDY = load_study(ROOT / "config/config.yaml")  # its schedule (Baseline, Week 2 ... Week 16) and endpoints
SIXMWD = STUDY.endpoint("SIXMWD")
VISITS = ["Week 4", "Week 12", "Week 16"]
NEXT_TRIAL = {"primary_visit": "Week 12", "effect_shape": {"Week 4": 0.5, "Week 12": 1.0, "Week 16": 0.25},
              "retention": "pilot"}


def adam(values: np.ndarray, paramcd: str = "SIXMWD") -> tuple[pd.DataFrame, pd.DataFrame]:
    """ADSL and ADEFF of subjects with ``values[i]`` at baseline and ``VISITS`` (NaN = no record), all in
    the efficacy set (ADSL ``EFFFL``, ADEFF ``ANL03FL``)."""
    subjects = [f"S{i:02d}" for i in range(len(values))]
    adsl = pd.DataFrame({"USUBJID": subjects, "EFFFL": "Y"})
    rows = []
    for subject, row in zip(subjects, values):
        for visit, value in zip(["Baseline", *VISITS], row):
            if not math.isnan(value):
                rows.append({"USUBJID": subject, "PARAMCD": paramcd, "AVISIT": visit, "AVAL": value,
                             "ABLFL": "Y" if visit == "Baseline" else "", "ANL03FL": "Y"})
    return adsl, pd.DataFrame(rows)


def complete_values(n: int = 30) -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.multivariate_normal([260, 280, 290, 270], 900 * (0.5 + 0.5 * np.eye(4)), n)


def test_pilot_retention_counts_subjects_followed_to_a_visit_or_later():
    nan = math.nan
    records = adam(np.array([[1, 2, 3, 4], [1, 2, nan, nan], [1, nan, 3, nan], [1, nan, nan, nan]]))[1]
    # last value at week 16, week 4, week 12 (week 4 missed, not dropout), baseline only
    np.testing.assert_allclose(pilot_retention(records, VISITS, baseline="Baseline"), [3 / 4, 2 / 4, 1 / 4])


def test_generating_model_of_complete_data_is_the_sample_means_and_covariance():
    values = complete_values()
    adsl, adeff = adam(values)
    model, info = generating_model(adsl, adeff, SIXMWD, schedule=STUDY.schedule, next_trial=NEXT_TRIAL)
    assert model.visits == tuple(VISITS)  # no record at weeks 2 and 8: not visits of the model
    np.testing.assert_allclose(info["visit_means"], values.mean(axis=0), rtol=1e-10)
    np.testing.assert_allclose(model.sigma, np.cov(values, rowvar=False), rtol=1e-7)
    assert info["pilot_change"] == pytest.approx(values[:, 2].mean() - values[:, 0].mean(), rel=1e-10)
    assert model.mean_baseline == pytest.approx(values[:, 0].mean(), rel=1e-12)
    np.testing.assert_array_equal(model.shape, [0.5, 1.0, 0.25])
    np.testing.assert_array_equal(model.retention, [1.0, 1.0, 1.0])
    assert model.primary == 1 and info["n_subjects"] == 30


def test_configured_retention_replaces_the_pilot_s():
    adsl, adeff = adam(complete_values())
    settings = dict(NEXT_TRIAL, retention={"Week 4": 0.9, "Week 12": 0.8, "Week 16": 0.7})
    model, info = generating_model(adsl, adeff, SIXMWD, schedule=STUDY.schedule, next_trial=settings)
    np.testing.assert_array_equal(model.retention, [0.9, 0.8, 0.7])
    assert info["retention_source"] == "config"


@pytest.mark.parametrize(("settings", "named"), [
    (dict(NEXT_TRIAL, effect_shape={"Week 12": 1.0, "Week 16": 0.5}), "next_trial.effect_shape"),
    (dict(NEXT_TRIAL, retention={"Week 4": 0.9, "Week 12": 0.8}), "next_trial.retention"),
])
def test_settings_the_pilot_cannot_fill_name_their_key(settings, named):
    adsl, adeff = adam(complete_values())
    with pytest.raises(PowerSetupError) as error:
        generating_model(adsl, adeff, SIXMWD, schedule=STUDY.schedule, next_trial=settings)
    assert named in str(error.value) and "\n" not in str(error.value)


def test_a_primary_visit_without_pilot_data_is_not_estimable_yet_and_said_so():
    adsl, adeff = adam(complete_values())  # no Week 8 values in these data
    settings = dict(NEXT_TRIAL, primary_visit="Week 8")
    with pytest.raises(NotEstimableYet, match="the pilot has no SIXMWD at Week 8 yet"):
        generating_model(adsl, adeff, SIXMWD, schedule=STUDY.schedule, next_trial=settings)
    models = generating_models(adsl, adeff, study=STUDY, next_trial=dict(settings, endpoints=[
        {"paramcd": "SIXMWD", "effects": ["pilot"]}]))
    assert models == {"SIXMWD": {NOT_ESTIMABLE: "the pilot has no SIXMWD at Week 8 yet"}}


def test_effects_resolve_to_differences_at_the_primary_visit():
    assert SIXMWD.mcid == 30  # config endpoints
    assert effect_sizes(SIXMWD, ["zero", "pilot", "half_pilot", "mcid", 15], pilot_change=25.0) == {
        "zero": 0.0, "pilot": 25.0, "half_pilot": 12.5, "mcid": 30.0, "d15": 15.0}


def test_an_endpoint_without_an_mcid_has_no_mcid_effect():
    with pytest.raises(PowerSetupError, match="next_trial.endpoints"):
        effect_sizes(STUDY.endpoint("INOSENS"), ["mcid"], pilot_change=0.01)


def test_scenarios_are_named_by_endpoint_n_and_effect_in_config_order():
    plan = {"endpoints": [{"paramcd": "INOSENS", "effects": ["zero", 0.005]},
                          {"paramcd": "SIXMWD", "effects": ["mcid"]}], "n_per_arm": [20, 40]}
    names = [scenario.name for scenario in power_scenarios(plan)]
    assert names == ["INOSENS_n20_zero", "INOSENS_n20_d0.005", "INOSENS_n40_zero", "INOSENS_n40_d0.005",
                     "SIXMWD_n20_mcid", "SIXMWD_n40_mcid"]
    assert scenario_named(plan, "SIXMWD_n40_mcid") == Scenario("SIXMWD", 40, "mcid")
    with pytest.raises(KeyError, match="SIXMWD_n60_mcid"):
        scenario_named(plan, "SIXMWD_n60_mcid")
    with pytest.raises(ValueError, match="unknown effect"):
        effect_label("double_pilot")


def test_power_table_reports_type_one_error_at_zero_and_power_elsewhere():
    model = {"visits": ["Week 12"], "mean_baseline": 0.0, "sigma": [[1.0, 0.0], [0.0, 4.0]], "shape": [1.0],
             "retention": [0.5], "primary": 0}
    # SE 1 on 1e9 df: rejected when |estimate| > 1.96, the CI is estimate +- 1.96
    rows = []
    for effect, delta, estimates in (("zero", 0.0, [2.5, 0.5, -3.0, math.nan]), ("d1", 1.0, [3.5, 2.2, 0.0, 1.5])):
        for r, estimate in enumerate(estimates):
            rows.append({"scenario": f"X_n10_{effect}", "paramcd": "X", "n_per_arm": 10, "effect": effect,
                         "delta": delta, "replicate": r + 1, "estimate": estimate, "std_error": 1.0, "df": 1e9,
                         "converged": not math.isnan(estimate)})
    table = power_table(pd.DataFrame(rows), {"X": model}, alpha=0.05).set_index("effect")
    zero, one = table.loc["zero"], table.loc["d1"]
    assert zero["type_i_error"] == pytest.approx(2 / 3) and math.isnan(zero["power"])
    assert zero["not_converged"] == 1 and zero["replicates"] == 4
    assert zero["coverage"] == pytest.approx(1 / 3)
    assert one["power"] == pytest.approx(0.5) and math.isnan(one["type_i_error"])
    assert one["power_mcse"] == pytest.approx(math.sqrt(0.25 / 4))
    assert one["coverage"] == pytest.approx(0.75)  # 3.5 - 1.96 > 1
    assert one["bias"] == pytest.approx(0.8)
    # n 10 x retention 0.5, residual SD 2 (baseline uncorrelated with the visit)
    # R: print(power.t.test(n = 5, delta = 1, sd = 2)$power, digits = 10) -> 0.103839949
    assert one["power_closed_form"] == pytest.approx(0.103839949, rel=1e-8)
    assert math.isnan(zero["power_closed_form"])


@pytest.fixture()
def config():
    return yaml.safe_load((ROOT / "config/config.yaml").read_text())


@pytest.mark.parametrize(("change", "named_key"), [
    (lambda c: c["next_trial"].update(primary_visit="Baseline"), "next_trial.primary_visit"),
    (lambda c: c["next_trial"]["effect_shape"].update({"Week 12": 0.5}), "next_trial.effect_shape"),
    (lambda c: c["next_trial"]["effect_shape"].update({"Week 99": 0.5}), "next_trial.effect_shape"),
    (lambda c: c["next_trial"].update(retention={"Week 4": 0.8, "Week 12": 0.9}), "next_trial.retention"),
    (lambda c: c["next_trial"].update(retention={"Week 4": 1.2}), "next_trial.retention"),
    (lambda c: c["next_trial"]["endpoints"][0].update(paramcd="INOSNS"), "next_trial.endpoints"),
    (lambda c: c["next_trial"]["endpoints"][0].update(effects=["mcid"]), "next_trial.endpoints"),
    (lambda c: c["next_trial"]["endpoints"][0].update(effects=["double"]), "next_trial.endpoints.0.effects.0"),
    (lambda c: c["next_trial"]["endpoints"].append({"paramcd": "INOSENS", "effects": ["zero"]}), "next_trial"),
    (lambda c: c["next_trial"].update(n_per_arm=[20, 20]), "next_trial.n_per_arm"),
    (lambda c: c["next_trial"].update(replicates=10), "next_trial.replicates"),
    (lambda c: c["next_trial"].pop("seed"), "next_trial.seed"),
])
def test_bad_next_trial_value_names_its_key(config, change, named_key):
    bad = copy.deepcopy(config)
    change(bad)
    with pytest.raises(ConfigError) as error:
        validate_config(bad, SCHEMA)
    assert named_key in str(error.value) and "\n" not in str(error.value)

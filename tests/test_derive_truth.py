"""End to end: the ADaM datasets of the shipped synthetic study recover its known truth.

The pipeline is run (clean and derive stages) into a temporary directory on
``data/raw``; the derived datasets are then compared with ``data/raw/truth.json``,
which the pipeline itself never reads.

Tolerance of the challenge parameters (why it is what it is). The generator draws
each monitor reading as the true (lagged) value plus Gaussian noise of SD
``ci_noise_sd`` (per session, 0.05-0.08 L/min/m^2; heart rate SD 2 bpm) and rounds
it (CI to 0.01, HR to 1, i.e. a further variance of ``w^2 / 12``). A step's
steady state is the median of its ``n`` valid readings in the last 5 minutes, with
variance at most ``pi / (2 n) * sigma^2`` (the large-sample variance of a normal
median; for n = 3 to 5 the exact variance is 10-15 % smaller, so this is
conservative). The OLS slope over steps with VIS ``x_i`` then has

    SE^2 = sum_i (x_i - mean x)^2 * var_i / (sum_i (x_i - mean x)^2)^2.

The first-order lag (time constant 2-3 min) has decayed to below 4 % of a step's
change when its last 5 minutes begin (steps last 15-20 min), a bias below 1.5 %
of the slope, far below SE; it is ignored. With about 70 analysable sessions,
each error must lie within 4 SE (a false alarm for any of them has probability
below 0.5 %), their mean within 4 SE of the mean, and the mean of squared
z-scores (1 if the SEs are right) below ``1 + 4 * sqrt(2 / N)``.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from study_model import STUDY

from aidheart import formats as F
from aidheart.io import read_table

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "data/raw/truth.json").read_text())
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
DATASETS = ("adsl", "adstep", "adeff", "adlb", "adae", "adex")
HR_NOISE_SD = TRUTH["parameters"]["story"]["hr_measurement_noise_sd"]
REASON_WORDS = {  # truth's not_analysable_reason -> words the derived REASND must contain
    "missing_monitor_file": "monitor file",
    "single_dose_step": "dose step(s) at distinct doses performed",
    "too_few_valid_readings": "valid reading(s)",
    "monitor_patient_id_mismatch": "monitor file not used: its header names another patient",
}
WALK_REASONS = {"hf_symptoms": "Heart-failure symptoms", "non_cardiac": "Non-cardiac limitation"}


@pytest.fixture(scope="module")
def adam(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("pipeline")
    targets = [f"results/adam/{name}.csv" for name in DATASETS] + ["results/interim/queries/derive.csv"]
    command = [SNAKEMAKE, *targets, "--snakefile", str(ROOT / "Snakefile"), "--directory", str(workdir),
               "--cores", "2", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    datasets = {name: with_truth_keys(read_table(workdir / f"results/adam/{name}.csv")) for name in DATASETS}
    return datasets | {"queries": read_table(workdir / "results/interim/queries/derive.csv")}


def with_truth_keys(dataset):
    """The truth's keys beside the ADaM ones: ``record_id`` (``SUBJID``) and the REDCap ``event`` of ``AVISIT``."""
    events = {visit.avisit: visit.event for visit in STUDY.schedule.visits}
    keyed = dataset.assign(record_id=dataset["SUBJID"])
    return keyed.assign(event=keyed["AVISIT"].map(events)) if "AVISIT" in keyed else keyed


def enrolled():
    return {rid: record for rid, record in TRUTH["records"].items() if record["enrolled"]}


def sessions():
    """(record_id, event, truth) of every challenge session performed."""
    return [(rid, event, _with_planted_exclusion(rid, event, session)) for rid, record in enrolled().items()
            for event, session in record["challenges"].items() if session["performed"]]


def excluded_files():
    """Sessions whose monitor file names another patient in its header: planted, and not used by design."""
    return {(fault["record_id"], fault["event"]) for fault in TRUTH["faults"]
            if fault["kind"] == "monitor_patient_id_mismatch"}


def _with_planted_exclusion(rid, event, session):
    if (rid, event) not in excluded_files():
        return session
    # the file is not read at all: no step of it is usable either (CIMAINT is missing too)
    return {**session, "analysable": False, "not_analysable_reason": "monitor_patient_id_mismatch",
            "steps": [{**step, "usable": False} for step in session["steps"]]}


def queried_dose_steps():
    """Steps whose dose the study planted as a unit error (the cleaning step sets it missing)."""
    return {(fault["record_id"], fault["event"], int(fault["field"].rsplit("_", 1)[1]))
            for fault in TRUTH["faults"] if fault["kind"] == "milrinone_dose_units"}


def slope_se(steps, noise_sd, rounding):
    x = np.array([step["vis"] for step in steps])
    var = np.array([math.pi / (2 * step["n_valid_last_5_min"]) * noise_sd**2 + rounding**2 / 12 for step in steps])
    dx = x - x.mean()
    return math.sqrt(np.sum(dx**2 * var)) / np.sum(dx**2)


def record(adeff, rid, event, paramcd, observed=True):
    rows = adeff[(adeff["record_id"] == rid) & (adeff["event"] == event) & (adeff["PARAMCD"] == paramcd)]
    return rows[rows["DTYPE"].isna()] if observed else rows[rows["DTYPE"].notna()]


def test_steps_have_the_valid_readings_the_truth_counts(adam):
    adstep = adam["adstep"]
    queried = queried_dose_steps()
    for rid, event, session in sessions():
        if not session["file_present"]:
            continue
        derived = adstep[(adstep["record_id"] == rid) & (adstep["event"] == event)].set_index("STEP")
        if (rid, event) in excluded_files():  # the shipped study plants one (test_clean_study checks it is queried)
            assert (derived["WVALIDN"] == 0).all() and (derived["USABLFL"] == "N").all(), (rid, event)
            continue
        for step in session["steps"]:
            row = derived.loc[step["step"]]
            assert row["WVALIDN"] == step["n_valid_last_5_min"], (rid, event, step["step"])
            usable = step["usable"] and (rid, event, step["step"]) not in queried
            assert (row["USABLFL"] == "Y") == usable, (rid, event, step["step"], row["REASND"])


@pytest.mark.parametrize(("paramcd", "truth_key", "value", "noise", "rounding"), [
    ("INOSENS", "slope", "ci_plateau", "ci", 0.01),
    ("HRSLOPE", "hr_slope", "hr_plateau", "hr", 1.0),
])
def test_session_slopes_agree_with_the_truth_within_the_noise(adam, paramcd, truth_key, value, noise, rounding):
    adstep, adeff = adam["adstep"], adam["adeff"]
    errors, ses = [], []
    for rid, event, session in sessions():
        derived = record(adeff, rid, event, paramcd)
        assert len(derived) == 1, (rid, event)
        if not session["analysable"]:
            assert math.isnan(derived["AVAL"].iloc[0]), (rid, event)
            assert REASON_WORDS[session["not_analysable_reason"]] in derived["REASND"].iloc[0], (rid, event)
            continue
        used = set(adstep.loc[(adstep["record_id"] == rid) & (adstep["event"] == event)
                              & (adstep["USABLFL"] == "Y"), "STEP"])
        steps = [step for step in session["steps"] if step["step"] in used]
        sd = session["ci_noise_sd"] if noise == "ci" else HR_NOISE_SD
        se = slope_se(steps, sd, rounding)
        error = derived["AVAL"].iloc[0] - session[truth_key]
        assert abs(error) < 4 * se, (rid, event, error, se)
        errors.append(error)
        ses.append(se)
    errors, ses = np.array(errors), np.array(ses)
    n = len(errors)
    assert n == sum(session["analysable"] for _, _, session in sessions())
    assert abs(errors.mean()) < 4 * math.sqrt(np.sum(ses**2)) / n
    assert np.mean((errors / ses) ** 2) < 1 + 4 * math.sqrt(2 / n)


def test_sessions_the_truth_marks_unusable_are_queried_with_the_reason(adam):
    queries = adam["queries"]
    queried = queries[queries["rule"] == "inosens_not_derived"].set_index(["record_id", "event"])["message"]
    unusable = {(rid, event): session["not_analysable_reason"] for rid, event, session in sessions()
                if not session["analysable"]}
    assert set(queried.index) == set(unusable)
    for key, reason in unusable.items():
        assert REASON_WORDS[reason] in queried[key], key


def test_inosens_mean_absolute_error_is_the_expected_size(adam):
    # the generator's author measured MAE ~ 0.011 L/min/m^2 per VIS unit for a plain per-session fit
    adeff = adam["adeff"]
    errors = [record(adeff, rid, event, "INOSENS")["AVAL"].iloc[0] - session["slope"]
              for rid, event, session in sessions() if session["analysable"]]
    assert np.mean(np.abs(errors)) < 0.015


def test_ci_at_maintenance_dose_agrees_with_step_1_plateau(adam):
    adeff = adam["adeff"]
    for rid, event, session in sessions():
        first = session["steps"][0]
        derived = record(adeff, rid, event, "CIMAINT")["AVAL"].iloc[0]
        if not first["usable"]:
            assert math.isnan(derived)
            continue
        se = math.sqrt(math.pi / (2 * first["n_valid_last_5_min"]) * session["ci_noise_sd"]**2 + 0.01**2 / 12)
        assert abs(derived - first["ci_plateau"]) < 4 * se, (rid, event)


def test_sessions_not_performed_have_no_record(adam):
    adeff = adam["adeff"]
    for rid, record_truth in enrolled().items():
        for event, session in record_truth["challenges"].items():
            if not session["performed"]:
                assert record(adeff, rid, event, "INOSENS").empty, (rid, event)


def test_six_minute_walk_distances_are_exact(adam):
    adeff = adam["adeff"]
    for rid, record_truth in enrolled().items():
        for event, walk in record_truth["walks"].items():
            observed = record(adeff, rid, event, "SIXMWD")
            imputed = record(adeff, rid, event, "SIXMWD", observed=False)
            if walk["done"]:
                assert observed["AVAL"].tolist() == [walk["distance_m"]], (rid, event)
                assert observed["ANL01FL"].tolist() == ["Y"] and imputed.empty
            elif walk["reason"] in WALK_REASONS:
                assert math.isnan(observed["AVAL"].iloc[0]) and observed["ANL01FL"].isna().all()
                assert observed["REASND"].tolist() == [WALK_REASONS[walk["reason"]]]
                if walk["reason"] == "hf_symptoms":
                    assert imputed["AVAL"].tolist() == [0.0] and imputed["DTYPE"].tolist() == ["ZERO-IMPUTED"]
                    assert imputed["ANL01FL"].isna().all() and imputed["ANL02FL"].tolist() == ["Y"]
                else:
                    assert imputed.empty
            else:  # missed visit or after the end of study: no walk, nothing imputed
                assert observed["AVAL"].notna().sum() == 0 and imputed.empty, (rid, event)


def test_sixmwd_change_from_baseline(adam):
    adeff = adam["adeff"]
    baseline = STUDY.schedule.baseline.event
    for rid, record_truth in enrolled().items():
        base = record_truth["walks"][baseline]["distance_m"]
        for event, walk in record_truth["walks"].items():
            if walk["done"] and event != baseline:
                row = record(adeff, rid, event, "SIXMWD").iloc[0]
                assert (row["BASE"], row["CHG"]) == (base, walk["distance_m"] - base)


def test_population_counts_match_the_truth(adam):
    adsl = adam["adsl"].set_index("SUBJID")
    records = TRUTH["records"]
    assert len(adsl) == TRUTH["study"]["n_screened"]
    assert (adsl["ENRLFL"] == "Y").sum() == TRUTH["study"]["n_enrolled"]
    eot = STUDY.schedule.end_of_treatment
    expected = {
        "ENRLFL": {rid for rid, r in records.items() if r["enrolled"]},
        "SAFFL": {rid for rid, r in records.items() if r["enrolled"] and r["first_dose_date"]},
        "COMPLFL": {rid for rid, r in enrolled().items() if eot.event in r["visits"]
                    and r["last_dose_study_day"] >= eot.window_start - 1},
        "PPROTFL": {rid for rid, r in enrolled().items() if r["adherence"]["fraction"] >= 0.8
                    and not r["major_deviation"]},
        "MAJDVFL": {rid for rid, r in enrolled().items() if r["major_deviation"]},
        "DTHFL": {rid for rid, r in enrolled().items() if r["disposition"]["status"] == "death"},
    }
    for flag, subjects in expected.items():
        assert set(adsl.index[adsl[flag] == "Y"]) == subjects, flag
    for rid, r in enrolled().items():
        row = adsl.loc[rid]
        status = F.EOS_STATUS[r["disposition"]["eos_status"]]
        assert row["EOSSTT"] == ("COMPLETED" if status == "Completed" else "DISCONTINUED")
        assert row["EOSDY"] == r["disposition"]["study_day"]
        assert (row["TRTSDY"], row["TRTEDY"]) == (1, r["last_dose_study_day"])
        assert (row["DOSEXP"], row["DOSTKN"]) == (r["adherence"]["doses_expected"], r["adherence"]["doses_taken"])
        assert row["ADHPCT"] == pytest.approx(100 * r["adherence"]["fraction"], abs=1e-4)
        assert row["INOBLDRG"] == r["inotrope"]["drug"]
        assert row["INOBLVIS"] == pytest.approx(r["inotrope"]["home_dose"] * r["inotrope"]["vis_weight"])


def test_neutrophils_and_their_grades(adam):
    adlb = adam["adlb"]
    anc = adlb[adlb["PARAMCD"] == "ANC"].set_index(["record_id", "event"])["AVAL"]
    for rid, r in enrolled().items():
        for event, value in r["anc"].items():
            assert anc.loc[(rid, event)] == value
    grades = adlb[adlb["PARAMCD"] == "ANCGR"].groupby("record_id")["AVAL"].max()
    # the study plants one grade-3 (0.6-0.95) and one grade-2 (1.05-1.45) neutropenia; the
    # others stay at or above 1.8 x 10^9/L (grade 0 or 1 against the LLN of 2.0)
    for rid, r in enrolled().items():
        if "neutropenia_g3" in r["roles"]:
            assert grades[rid] == 3, rid
        elif "neutropenia_g2" in r["roles"]:
            assert grades[rid] == 2, rid
        else:
            assert grades[rid] <= 1, rid


def test_adverse_events_and_the_treatment_emergent_window(adam):
    adae = adam["adae"]
    window = yaml.safe_load((ROOT / "config/config.yaml").read_text())["safety"]["teae_window_days"]
    for rid, r in enrolled().items():
        events = adae[adae["SUBJID"] == rid]
        assert len(events) == r["n_adverse_events"], rid
        emergent = (events["ASTDY"] >= 1) & (events["ASTDY"] <= r["last_dose_study_day"] + window)
        assert (events["TRTEMFL"] == "Y").tolist() == emergent.tolist(), rid
        if "pre_dose_ae" in r["roles"]:
            assert (events["ASTDY"] < 1).any() and events.loc[events["ASTDY"] < 1, "TRTEMFL"].isna().all()
    late = adae[adae["ASTDY"] > adae["TRTEDY"] + window]
    assert len(late) >= 1 and late["TRTEMFL"].isna().all()

"""End to end against the synthetic study's known truth: the ARD of a full run on the
shipped study recovers what the generator put in (data/raw/truth.json).

6MWD distances are recorded exactly (whole metres), so the paired mean change at the
primary visit must equal the truth's mean change over the same subjects to rounding.
"""

import json

import pytest
from study_model import PLAN, STUDY

from aidheart.analysis.analysis_sets import set_records
from aidheart.io import read_ard, read_table
from conftest import SHIPPED_DATA

TRUTH = json.loads((SHIPPED_DATA / "truth.json").read_text())
SCHEDULE = STUDY.schedule
BASELINE_EVENT, PRIMARY_EVENT, PRIMARY_VISIT = SCHEDULE.baseline.event, SCHEDULE.primary.event, SCHEDULE.primary.avisit
MCID = STUDY.endpoint("SIXMWD").mcid


def _true_walk_changes() -> dict[str, float]:
    """record_id -> true 6MWD change to the primary visit, for subjects who walked at both visits."""
    changes = {}
    for record_id, record in TRUTH["records"].items():
        walks = record.get("walks", {})
        base, week12 = walks.get(BASELINE_EVENT, {}), walks.get(PRIMARY_EVENT, {})
        if base.get("distance_m") is not None and week12.get("distance_m") is not None:
            changes[record_id] = week12["distance_m"] - base["distance_m"]
    return changes


@pytest.fixture(scope="module")
def ard(shipped_run):
    return read_ard(shipped_run / "results/stats/ard.csv")


@pytest.fixture(scope="module")
def adam(shipped_run):
    return {name: read_table(shipped_run / f"results/adam/{name}.csv") for name in ("adsl", "adeff")}


def efficacy_set(adam, paramcd):
    """SUBJID of the subjects in the efficacy set of ``paramcd``."""
    return set(set_records(adam["adsl"], adam["adeff"], paramcd, "EFF")["SUBJID"])


def test_primary_6mwd_change_equals_the_true_change(ard, adam):
    row = ard[(ard["paramcd"] == "SIXMWD") & (ard["visit"] == PRIMARY_VISIT) & (ard["population"] == "EFF")
              & (ard["method"] == "paired_t")].iloc[0]
    efficacy = efficacy_set(adam, "SIXMWD")
    truth = {record_id: change for record_id, change in _true_walk_changes().items() if record_id in efficacy}
    assert row["n"] == len(truth)
    assert row["estimate"] == pytest.approx(sum(truth.values()) / len(truth), abs=1e-9)


def test_responders_are_the_true_responders(ard, adam):
    row = ard[(ard["method"] == "responder") & (ard["paramcd"] == "SIXMWD")].iloc[0]
    efficacy = efficacy_set(adam, "SIXMWD")
    truth = [change for record_id, change in _true_walk_changes().items() if record_id in efficacy]
    assert (row["n"], row["denominator"]) == (len(truth), len(truth))
    assert row["count"] == sum(change >= MCID for change in truth)
    assert row["estimate"] == pytest.approx(sum(change >= MCID for change in truth) / len(truth), abs=1e-12)


def test_primary_inotrope_sensitivity_interval_covers_the_true_mean_change(ard, adam):
    """The paired-t CI of INOSENS change (measurement noise included) covers the true mean
    change of the same subjects; the estimate is within 4 noise-only SEs of it.

    Noise-only SE: the generator's measurement noise gives a per-session slope error with
    SD of about 0.014 (derive tests, truth `ci_measurement_noise_sd`), so a change has
    SD about 0.02 and the mean of n changes SD 0.02/sqrt(n).
    """
    row = ard[(ard["paramcd"] == "INOSENS") & (ard["visit"] == PRIMARY_VISIT) & (ard["population"] == "EFF")
              & (ard["method"] == "paired_t")].iloc[0]
    efficacy = efficacy_set(adam, "INOSENS")
    changes = []
    for record_id in efficacy:
        sessions = TRUTH["records"][record_id]["challenges"]
        base, week12 = sessions.get(BASELINE_EVENT, {}), sessions.get(PRIMARY_EVENT, {})
        if base.get("analysable") and week12.get("analysable"):
            changes.append(week12["slope"] - base["slope"])
    true_mean = sum(changes) / len(changes)
    assert row["n"] == len(changes)
    assert row["ci_low"] <= true_mean <= row["ci_high"]
    assert abs(row["estimate"] - true_mean) < 4 * 0.02 / len(changes) ** 0.5


ON_TREATMENT_DAYS = PLAN.on_treatment_days
PRIMARY_WINDOW_END = SCHEDULE.primary.window_end
EVENT = {visit.event: visit.avisit for visit in SCHEDULE.visits}


def test_on_treatment_flag_follows_the_true_last_dose(adam):
    """Every post-baseline KCCQ record (collected at every visit) is on treatment exactly when the truth's
    visit day is at most the truth's last-dose day + the configured window."""
    adeff = adam["adeff"]
    kccq = adeff[(adeff["PARAMCD"] == "KCCQ") & (adeff["ADY"] > 1)].set_index(["SUBJID", "AVISIT"])["ONTRTFL"]
    checked = 0
    for record_id, record in TRUTH["records"].items():
        if not record.get("enrolled") or record.get("last_dose_study_day") is None:
            continue
        for event, visit in record["visits"].items():
            key = (str(record_id), EVENT[event])
            if visit.get("study_day") is None or visit["study_day"] <= 1 or key not in kccq.index:
                continue
            expected = visit["study_day"] <= record["last_dose_study_day"] + ON_TREATMENT_DAYS
            assert (kccq.loc[key] == "Y") is expected, key
            checked += 1
    assert checked > 50


def test_on_treatment_set_drops_the_true_off_treatment_walks(ard):
    changes = _true_walk_changes()
    on_drug = [record_id for record_id in changes
               if TRUTH["records"][record_id]["walks"][PRIMARY_EVENT]["study_day"]
               <= TRUTH["records"][record_id]["last_dose_study_day"] + ON_TREATMENT_DAYS]
    row = ard[(ard["paramcd"] == "SIXMWD") & (ard["visit"] == PRIMARY_VISIT) & (ard["population"] == "ONTRT")
              & (ard["method"] == "paired_t")].iloc[0]
    assert 0 < len(on_drug) < len(changes)  # the shipped study has an off-treatment Week 12 walk
    assert row["n"] == len(on_drug)
    assert row["estimate"] == pytest.approx(sum(changes[r] for r in on_drug) / len(on_drug), abs=1e-9)


def test_worst_rank_categories_are_the_true_dispositions(ard):
    """Treated subjects with a baseline walk: a primary-visit walk done is observed; else a death or LVAD
    ending the study by the end of the visit window, or a walk not done for heart-failure symptoms."""
    expected = {"death": 0, "lvad": 0, "hf_not_done": 0, "observed": 0}
    for record in TRUTH["records"].values():
        walks = record.get("walks", {})
        if not record.get("first_dose_date") or walks.get(BASELINE_EVENT, {}).get("distance_m") is None:
            continue
        walk = walks.get(PRIMARY_EVENT, {})
        ended = record["disposition"]["study_day"] <= PRIMARY_WINDOW_END
        if walk.get("distance_m") is not None:
            expected["observed"] += 1
        elif record["disposition"]["status"] in ("death", "lvad") and ended:
            expected[record["disposition"]["status"]] += 1
        elif walk.get("reason") == "hf_symptoms":
            expected["hf_not_done"] += 1
    rows = ard[(ard["method"] == "worst_rank_composite") & (ard["paramcd"] == "SIXMWD")].set_index("term")
    assert {key: rows.loc[f"count[{key}]", "estimate"] for key in expected} == expected
    assert rows.loc["V", "n"] == sum(expected.values())

"""End to end against the synthetic study's known truth: the ARD of a full run on the
shipped study recovers what the generator put in (data/raw/truth.json).

6MWD distances are recorded exactly (whole metres), so the paired mean change at the
primary visit must equal the truth's mean change over the same subjects to rounding.
"""

import json

import pytest
from study_model import STUDY

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

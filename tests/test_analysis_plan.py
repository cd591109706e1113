"""The analysis plan on ADaM data: which records each analysis set uses, responders, feasibility.

The statistics are checked against R in tests/test_stats_*; here the references are
hand counts on tiny inline tables and scipy (an independent implementation) for the
exact binomial limits and the paired t test of the shipped study's primary endpoint.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from aidheart.analysis.analysis_sets import select_records
from aidheart.analysis.efficacy import analyse_endpoint
from aidheart.analysis.feasibility import accrual_months, analyse_feasibility
from aidheart.analysis.responders import analyse_responders

ADSL = pd.DataFrame({
    "USUBJID": ["S1", "S2", "S3", "S4"],
    "SAFFL": ["Y", "Y", "Y", "Y"],
    "EFF_SIXMWD": ["Y", "Y", "Y", "N"],
    "COMPLFL": ["Y", "N", "Y", "N"],
    "PPROTFL": ["Y", "Y", "N", "N"],
})


def _record(subject, visit, value, ablfl=None, anl01="Y", anl02="Y", dtype=None):
    return {"USUBJID": subject, "PARAMCD": "SIXMWD", "AVISIT": visit, "AVAL": value, "ABLFL": ablfl,
            "ANL01FL": anl01, "ANL02FL": anl02, "DTYPE": dtype}


BDS = pd.DataFrame([
    _record("S1", "Screening", 200.0, anl01=None, anl02=None),  # before baseline, not ABLFL: never analysed
    _record("S1", "Baseline", 210.0, ablfl="Y"),
    _record("S1", "Week 12", 250.0),
    _record("S2", "Baseline", 300.0, ablfl="Y"),
    _record("S2", "Week 12", 329.0),
    _record("S3", "Screening", 180.0, ablfl="Y"),  # last value before dose 1 came from screening
    _record("S3", "Week 12", 215.0),
    _record("S4", "Baseline", 150.0, ablfl="Y"),
    _record("S4", "Week 12", None, anl01=None, anl02=None),
    _record("S4", "Week 12", 0.0, anl01=None, anl02="Y", dtype="ZERO-IMPUTED"),
])


def test_efficacy_set_takes_flagged_subjects_and_observed_records():
    records = select_records(ADSL, BDS, "SIXMWD", "EFF", ["Week 12"])
    assert sorted(records["USUBJID"].unique()) == ["S1", "S2", "S3"]
    assert records["DTYPE"].isna().all()
    baseline = records[records["AVISIT"] == "Baseline"].set_index("USUBJID")["AVAL"]
    assert baseline.to_dict() == {"S1": 210.0, "S2": 300.0, "S3": 180.0}  # S3's screening value is its baseline


@pytest.mark.parametrize(("set_id", "subjects"), [("COMPL", ["S1", "S3"]), ("PPROT", ["S1", "S2"])])
def test_sensitivity_sets_narrow_the_efficacy_set(set_id, subjects):
    assert sorted(select_records(ADSL, BDS, "SIXMWD", set_id, ["Week 12"])["USUBJID"].unique()) == subjects


def test_zero_imputation_set_adds_the_imputed_walk():
    records = select_records(ADSL, BDS, "SIXMWD", "EFF_ZERO", ["Week 12"])
    s4 = records[records["USUBJID"] == "S4"].set_index("AVISIT")["AVAL"]
    assert s4.to_dict() == {"Baseline": 150.0, "Week 12": 0.0}


def test_paired_t_of_an_analysis_set_matches_scipy():
    ard = analyse_endpoint(ADSL, BDS, "SIXMWD", "EFF", post_baseline_visits=["Week 4", "Week 12"], seed=1,
                           resamples=199, methods=("paired_t",))
    row = ard[(ard["method"] == "paired_t") & (ard["visit"] == "Week 12")].iloc[0]
    reference = scipy_stats.ttest_rel([250.0, 329.0, 215.0], [210.0, 300.0, 180.0])
    assert row["statistic"] == pytest.approx(reference.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(reference.pvalue, rel=1e-12)
    assert set(ard["visit"]) == {"Week 12"}  # Week 4 has no SIXMWD record at all: not analysed
    assert set(ard["population"]) == {"EFF"} and set(ard["paramcd"]) == {"SIXMWD"}


def test_responders_count_changes_at_or_above_the_threshold():
    row = analyse_responders(ADSL, BDS, "SIXMWD", "EFF", visit="Week 12", threshold=30).iloc[0]
    # changes: +40, +29, +35 -> 2 of 3 reach 30 m
    assert (row["estimate"], row["n"]) == (pytest.approx(2 / 3), 3)
    assert row["ci_low"] == pytest.approx(scipy_stats.beta.ppf(0.025, 2, 2), rel=1e-9)
    assert row["ci_high"] == pytest.approx(scipy_stats.beta.ppf(0.975, 3, 1), rel=1e-9)


def test_accrual_months_count_inclusively_from_the_planned_start():
    assert accrual_months("2025-01", pd.Series(["2025-03", "2026-01", None])) == 13
    assert accrual_months("2025-01", pd.Series([None], dtype="string")) == 0


def test_feasibility_counts():
    adsl = ADSL.assign(ENRLFL=["Y", "Y", "Y", "Y"], ADHPCT=[95.0, 79.9, np.nan, 80.0],
                       RFICMON=["2025-01", "2025-02", "2025-02", "2025-04"])
    adsl = pd.concat([adsl, pd.DataFrame({"USUBJID": ["F1"], "ENRLFL": ["N"], "SAFFL": ["N"], "COMPLFL": ["N"],
                                          "RFICMON": ["2025-03"]})], ignore_index=True)
    ard = analyse_feasibility(adsl, BDS, accrual_start="2025-01", adherence_min_pct=80, assessment_visit="Week 12",
                              assessed_params=["SIXMWD"]).set_index("term")
    assert ard.loc["enrolled_of_screened", "estimate"] == pytest.approx(4 / 5)
    assert ard.loc["enrolment_rate", "estimate"] == pytest.approx(4 / 4)  # 4 enrolled over Jan-Apr 2025
    assert ard.loc["retention", "estimate"] == pytest.approx(2 / 4)
    assert ard.loc["adherent", "estimate"] == pytest.approx(2 / 4)  # 95 and 80 reach 80 %; missing does not
    assert ard.loc["assessed_SIXMWD", "estimate"] == pytest.approx(2 / 2)

"""The analysis plan on ADaM data: which records each analysis set uses, responders, feasibility.

The statistics are checked against R in tests/test_stats_*; here the references are
hand counts on tiny inline tables and scipy (an independent implementation) for the
exact binomial limits and the paired t test.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from study_model import STUDY, schedule_of

from aidheart.analysis.analysis_sets import select_records
from aidheart.analysis.efficacy import analyse_endpoint
from aidheart.analysis.feasibility import accrual_months, analyse_feasibility
from aidheart.analysis.responders import analyse_responders

SIXMWD = STUDY.endpoint("SIXMWD")
SCHEDULE = schedule_of(("baseline_arm_1", "Baseline", 0, 1, 0), ("week_4_arm_1", "Week 4", 4, 29, 3),
                       ("week_12_arm_1", "Week 12", 12, 85, 7))
ADSL = pd.DataFrame({
    "USUBJID": ["S1", "S2", "S3", "S4"],
    "SAFFL": ["Y", "Y", "Y", "Y"],
    "EFFFL": ["Y", "Y", "Y", "Y"],
    "COMPLFL": ["Y", "N", "Y", "N"],
    "PPROTFL": ["Y", "Y", "N", "N"],
})


def _record(subject, visit, value, ablfl=None, base=None, anl01="Y", anl02="Y", anl03="Y", dtype=None):
    change = value - base if base is not None and value is not None and ablfl is None else None
    return {"USUBJID": subject, "PARAMCD": "SIXMWD", "AVISIT": visit, "AVAL": value, "ABLFL": ablfl,
            "BASE": base, "CHG": change, "ANL01FL": anl01, "ANL02FL": anl02, "ANL03FL": anl03, "DTYPE": dtype}


BDS = pd.DataFrame([
    _record("S1", "Screening", 200.0, base=210.0, anl01=None, anl02=None, anl03=None),  # never analysed
    _record("S1", "Baseline", 210.0, ablfl="Y", base=210.0),
    _record("S1", "Week 12", 250.0, base=210.0),
    _record("S2", "Baseline", 300.0, ablfl="Y", base=300.0),
    _record("S2", "Week 12", 329.0, base=300.0),
    _record("S3", "Screening", 180.0, ablfl="Y", base=180.0),  # last value before dose 1 came from screening
    _record("S3", "Week 12", 215.0, base=180.0),
    _record("S4", "Baseline", 150.0, ablfl="Y", base=150.0, anl03=None),  # no later value: outside EFF
    _record("S4", "Week 12", None, base=150.0, anl01=None, anl02=None, anl03=None),
    _record("S4", "Week 12", 0.0, base=150.0, anl01=None, anl02="Y", anl03=None, dtype="ZERO-IMPUTED"),
]).astype({"AVAL": float, "BASE": float, "CHG": float})


def test_efficacy_set_takes_the_efficacy_records_and_relabels_the_baseline():
    records = select_records(ADSL, BDS, "SIXMWD", "EFF", baseline="Baseline", visits=["Week 12"])
    expected = pd.DataFrame({"USUBJID": ["S1", "S1", "S2", "S2", "S3", "S3"],
                             "AVISIT": ["Baseline", "Week 12"] * 3,
                             "AVAL": [210.0, 250.0, 300.0, 329.0, 180.0, 215.0]})  # S3's screening value: baseline
    pd.testing.assert_frame_equal(records[list(expected.columns)].reset_index(drop=True).astype(object),
                                  expected.astype(object))


@pytest.mark.parametrize(("set_id", "subjects"), [("COMPL", ["S1", "S3"]), ("PPROT", ["S1", "S2"])])
def test_sensitivity_sets_narrow_the_efficacy_set(set_id, subjects):
    records = select_records(ADSL, BDS, "SIXMWD", set_id, baseline="Baseline", visits=["Week 12"])
    assert sorted(records["USUBJID"].unique()) == subjects


def test_zero_imputation_set_adds_the_imputed_walk():
    records = select_records(ADSL, BDS, "SIXMWD", "SAFZERO", baseline="Baseline", visits=["Week 12"])
    s4 = records[records["USUBJID"] == "S4"].set_index("AVISIT")["AVAL"]
    assert s4.to_dict() == {"Baseline": 150.0, "Week 12": 0.0}


def test_paired_t_of_an_analysis_set_matches_scipy():
    endpoint = replace(SIXMWD, methods=("paired_t",))
    ard = analyse_endpoint(ADSL, BDS, endpoint, "EFF", schedule=SCHEDULE, seed=1, resamples=199)
    row = ard[(ard["method"] == "paired_t") & (ard["visit"] == "Week 12")].iloc[0]
    reference = scipy_stats.ttest_rel([250.0, 329.0, 215.0], [210.0, 300.0, 180.0])
    assert row["statistic"] == pytest.approx(reference.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(reference.pvalue, rel=1e-12)
    assert set(ard["visit"]) == {"Week 12"}  # Week 4 has no SIXMWD record at all: not analysed
    assert set(ard["population"]) == {"EFF"} and set(ard["paramcd"]) == {"SIXMWD"}


def test_pairs_are_the_adam_base_and_change():
    # a post-baseline record without CHG (no baseline derived for it) is not a pair, whatever AVAL is
    bds = BDS.copy()
    bds.loc[(bds["USUBJID"] == "S2") & (bds["AVISIT"] == "Week 12"), "CHG"] = np.nan
    endpoint = replace(SIXMWD, methods=("paired_t",))
    row = analyse_endpoint(ADSL, bds, endpoint, "EFF", schedule=SCHEDULE, seed=1, resamples=199).iloc[0]
    reference = scipy_stats.ttest_rel([250.0, 215.0], [210.0, 180.0])
    assert (row["n"], row["statistic"]) == (2, pytest.approx(reference.statistic, rel=1e-12))


def test_responders_count_changes_at_or_above_the_mcid():
    row = analyse_responders(ADSL, BDS, SIXMWD, "EFF", schedule=SCHEDULE).iloc[0]
    # changes: +40, +29, +35 against the MCID of 30 m -> 2 of 3
    assert SIXMWD.mcid == 30
    assert (row["count"], row["denominator"], row["n"], row["threshold"]) == (2, 3, 3, 30)
    assert row["estimate"] == pytest.approx(2 / 3)
    assert row["ci_low"] == pytest.approx(scipy_stats.beta.ppf(0.025, 2, 2), rel=1e-9)
    assert row["ci_high"] == pytest.approx(scipy_stats.beta.ppf(0.975, 3, 1), rel=1e-9)


def test_accrual_months_count_inclusively_from_the_planned_start():
    assert accrual_months("2025-01", pd.Series(["2025-03", "2026-01", None])) == 13
    assert accrual_months("2025-01", pd.Series([None], dtype="string")) == 0


def test_feasibility_counts_and_denominators():
    adsl = ADSL.assign(ENRLFL=["Y", "Y", "Y", "Y"], ADHPCT=[95.0, 79.9, np.nan, 80.0],
                       RFICMON=["2025-01", "2025-02", "2025-02", "2025-04"])
    adsl = pd.concat([adsl, pd.DataFrame({"USUBJID": ["F1"], "ENRLFL": ["N"], "SAFFL": ["N"], "COMPLFL": ["N"],
                                          "RFICMON": ["2025-03"]})], ignore_index=True)
    ard = analyse_feasibility(adsl, BDS, accrual_start="2025-01", adherence_min_pct=80, assessment_visit="Week 12",
                              assessed_params=["SIXMWD"]).set_index("term")
    expected = pd.DataFrame({"count": [4, 4, 2, 2, 2], "denominator": [5.0, 4.0, 4.0, 4.0, 2.0]},
                            index=["enrolled_of_screened", "enrolment_rate", "retention", "adherent",
                                   "assessed_SIXMWD"])  # 4 enrolled over Jan-Apr 2025; 95 and 80 reach 80 %
    pd.testing.assert_frame_equal(ard.loc[expected.index, ["count", "denominator"]].astype(float),
                                  expected.astype(float), check_names=False)
    assert ard["estimate"].tolist() == pytest.approx([4 / 5, 4 / 4, 2 / 4, 2 / 4, 2 / 2])

"""Treatment-emergent AEs, exposure, disposition, analysis day and population flags, on tiny inline tables."""

import pandas as pd

from aidheart.derive.adae import compute_grade, derive_var_trtemfl
from aidheart.derive.adsl import derive_vars_disposition
from aidheart.derive.exposure import derive_vars_adherence, derive_vars_trtdt
from aidheart.derive.populations import derive_var_complfl, derive_var_efffl, derive_var_pprotfl
from aidheart.derive.visits import derive_var_ady


def test_trtemfl_window_from_first_dose_to_last_dose_plus_30_days():
    # last dose day 84: onset day -1 (the day before the first dose; there is no day 0) is not
    # treatment-emergent, day 1 and day 84 + 30 are, day 84 + 31 is not
    aes = pd.DataFrame({"ASTDY": [-1, 1, 114, 115], "AENDY": [3, 5, 120, 120], "TRTSDT": 1, "TRTEDT": 84})
    assert list(derive_var_trtemfl(aes, 30)["TRTEMFL"].fillna("")) == ["", "Y", "Y", ""]


def test_trtemfl_with_unknown_onset_or_untreated_subject():
    aes = pd.DataFrame({"ASTDY": [None, None, 5], "AENDY": [-3, 10, 8], "TRTSDT": [1, 1, None],
                        "TRTEDT": [84, 84, None]}).astype("Float64")
    assert list(derive_var_trtemfl(aes, 30)["TRTEMFL"].fillna("")) == ["", "Y", ""]


def test_trtemfl_while_treatment_is_ongoing_has_no_upper_bound():
    aes = pd.DataFrame({"ASTDY": [200], "AENDY": [None], "TRTSDT": [1], "TRTEDT": [None]}).astype("Float64")
    assert derive_var_trtemfl(aes, 30)["TRTEMFL"].tolist() == ["Y"]


def test_grade_from_label_or_number():
    assert compute_grade(pd.Series(["Grade 3", "2", None])).tolist()[:2] == [3, 2]


def adsl(rows):
    return pd.DataFrame(rows, columns=["SUBJID", "USUBJID", "TRTSMON"])


def test_adherence_and_treatment_days():
    subjects = adsl([("1", "S-1", "2025-02"), ("2", "S-2", "2025-03"), ("3", "S-3", None)])
    diary = pd.DataFrame({"record_id": ["1", "1", "2", "2"], "instance": [1, 2, 1, 2], "week": [1, 2, 1, 2],
                          "start_day": [1, 8, 1, 8], "expected": [7, 7, 7, 7], "taken": [7, 5, 6, 0]})
    completion = pd.DataFrame({"record_id": ["1"], "status": ["Completed"], "eos_day": [100],
                               "last_dose_day": [84], "death_day": [None]})
    out = derive_vars_trtdt(derive_vars_adherence(subjects, diary), completion, diary)
    assert out["DOSEXP"].tolist()[:2] == [14.0, 14.0] and out["DOSTKN"].tolist()[:2] == [12.0, 6.0]
    assert out["ADHPCT"].tolist()[:2] == [100 * 12 / 14, 100 * 6 / 14] and pd.isna(out.loc[2, "ADHPCT"])
    # subject 2 is ongoing: last dose = end of the last diary week with a dose taken (week 1: day 7)
    assert out["TRTSDT"].tolist()[:2] == [1, 1] and pd.isna(out.loc[2, "TRTSDT"])
    assert out["TRTEDT"].tolist()[:2] == [84, 7] and out["TRTDURD"].tolist()[:2] == [84, 7]


def test_population_flags():
    base = pd.DataFrame({"SUBJID": ["1", "2", "3", "4"], "USUBJID": ["S-1", "S-2", "S-3", "S-4"],
                         "SAFFL": ["Y", "Y", "Y", "N"], "TRTEDT": [84, 27, 84, None],
                         "ADHPCT": [95.0, 80.0, 79.9, None], "MAJDVFL": ["N", "N", "N", "N"]})
    visits = pd.DataFrame({"record_id": ["1", "2", "3"], "event": "week_12_arm_1", "visit_day": [86, 85, None]})
    out = derive_var_complfl(base, visits, "week_12_arm_1", eot_window_start=78)
    assert out["COMPLFL"].tolist() == ["Y", "N", "N", "N"]  # 2 stopped the drug on day 27; 3 missed week 12
    out = derive_var_pprotfl(base.assign(MAJDVFL=["Y", "N", "N", "N"]), 80)
    assert out["PPROTFL"].tolist() == ["N", "Y", "N", "N"]  # major deviation; exactly 80 % is enough


def test_efficacy_flag_needs_baseline_and_a_post_baseline_value():
    base = pd.DataFrame({"USUBJID": ["S-1", "S-2", "S-3"], "SAFFL": ["Y", "Y", "Y"]})
    bds = pd.DataFrame({"USUBJID": ["S-1", "S-1", "S-2", "S-3"], "PARAMCD": "SIXMWD", "ADY": [1, 29, 1, 29],
                        "ABLFL": ["Y", None, "Y", None], "ANL01FL": ["Y", "Y", "Y", "Y"]})
    assert derive_var_efffl(base, bds, "SIXMWD")["EFF_SIXMWD"].tolist() == ["Y", "N", "N"]


def test_disposition_of_completed_discontinued_ongoing_and_screen_failed_subjects():
    subjects = pd.DataFrame({"SUBJID": ["1", "2", "3", "4", "5"], "ENRLFL": ["Y", "Y", "Y", "Y", "N"]})
    completion = pd.DataFrame({"record_id": ["1", "2", "3"], "status": ["Completed", "Death", "Ongoing"],
                               "eos_day": [110, 59, None], "last_dose_day": [84, 58, None],
                               "death_day": [None, 59, None]})
    out = derive_vars_disposition(subjects, completion)
    assert out["EOSSTT"].tolist() == ["COMPLETED", "DISCONTINUED", "ONGOING", "ONGOING", "DISCONTINUED"]
    assert list(out["DCSREAS"].fillna("")) == ["", "Death", "", "", "Screen failure"]
    assert list(out["DTHFL"].fillna("")) == ["", "Y", "", "", ""] and out.loc[1, "DTHDY"] == 59


def test_analysis_day_falls_back_to_the_visit_day():
    records = pd.DataFrame({"record_id": ["1", "1"], "event": ["baseline_arm_1", "week_4_arm_1"], "day": [None, 30]})
    visits = pd.DataFrame({"record_id": ["1", "1"], "event": ["baseline_arm_1", "week_4_arm_1"], "visit_day": [1, 29]})
    out = derive_var_ady(records, visits, day="day")
    assert out["ADY"].tolist() == [1, 30]
    assert list(out["ADYF"].fillna("")) == ["VISIT DAY", ""]

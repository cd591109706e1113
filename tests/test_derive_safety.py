"""Treatment-emergent AEs, exposure, disposition, analysis day and population flags, on tiny inline tables."""

import pandas as pd
from study_model import TREATMENT, schedule_of

from aidheart.derive.adae import compute_grade, derive_var_arel, derive_var_trtemfl
from aidheart.derive.adsl import derive_vars_arm, derive_vars_disposition
from aidheart.derive.exposure import derive_vars_adherence, derive_vars_trtdy
from aidheart.derive.populations import derive_var_complfl, derive_var_efffl, derive_var_enrlfl, derive_var_pprotfl
from aidheart.derive.visits import derive_var_ady

SCHEDULE = schedule_of(("baseline_arm_1", "Baseline", 0, 1, 0), ("week_4_arm_1", "Week 4", 4, 29, 3),
                       ("week_12_arm_1", "Week 12", 12, 85, 7))


def test_trtemfl_window_from_first_dose_to_last_dose_plus_30_days():
    # last dose day 84: onset day -1 (the day before the first dose; there is no day 0) is not
    # treatment-emergent, day 1 and day 84 + 30 are, day 84 + 31 is not
    aes = pd.DataFrame({"ASTDY": [-1, 1, 114, 115], "AENDY": [3, 5, 120, 120], "TRTSDY": 1, "TRTEDY": 84})
    assert list(derive_var_trtemfl(aes, 30)["TRTEMFL"].fillna("")) == ["", "Y", "Y", ""]


def test_trtemfl_with_unknown_onset_or_untreated_subject():
    aes = pd.DataFrame({"ASTDY": [None, None, 5], "AENDY": [-3, 10, 8], "TRTSDY": [1, 1, None],
                        "TRTEDY": [84, 84, None]}).astype("Float64")
    assert list(derive_var_trtemfl(aes, 30)["TRTEMFL"].fillna("")) == ["", "Y", ""]


def test_trtemfl_while_treatment_is_ongoing_has_no_upper_bound():
    aes = pd.DataFrame({"ASTDY": [200], "AENDY": [None], "TRTSDY": [1], "TRTEDY": [None]}).astype("Float64")
    assert derive_var_trtemfl(aes, 30)["TRTEMFL"].tolist() == ["Y"]


def test_grade_from_label_or_number():
    assert compute_grade(pd.Series(["Grade 3", "2", None])).tolist()[:2] == [3, 2]


def test_arel_related_for_possibly_probably_definitely():
    aes = pd.DataFrame({"AEREL": ["Possibly related", "Probably related", "Definitely related", "Unlikely related",
                                  "Not related", None]})
    expected = ["RELATED"] * 3 + ["NOT RELATED"] * 3
    assert derive_var_arel(aes)["AREL"].tolist() == expected


def adsl(rows):
    return pd.DataFrame(rows, columns=["SUBJID", "USUBJID", "TRTSMON"])


def test_adherence_and_treatment_days():
    subjects = adsl([("1", "S-1", "2025-02"), ("2", "S-2", "2025-03"), ("3", "S-3", None)])
    diary = pd.DataFrame({"record_id": ["1", "1", "2", "2"], "instance": [1, 2, 1, 2], "week": [1, 2, 1, 2],
                          "start_day": [1, 8, 1, 8], "expected": [7, 7, 7, 7], "taken": [7, 5, 6, 0]})
    completion = pd.DataFrame({"record_id": ["1"], "status": ["Completed"], "eos_day": [100],
                               "last_dose_day": [84], "death_day": [None]})
    out = derive_vars_trtdy(derive_vars_adherence(subjects, diary), completion, diary)
    assert out["DOSEXP"].tolist()[:2] == [14.0, 14.0] and out["DOSTKN"].tolist()[:2] == [12.0, 6.0]
    assert out["ADHPCT"].tolist()[:2] == [100 * 12 / 14, 100 * 6 / 14] and pd.isna(out.loc[2, "ADHPCT"])
    # subject 2 is ongoing: last dose = end of the last diary week with a dose taken (week 1: day 7)
    assert out["TRTSDY"].tolist()[:2] == [1, 1] and pd.isna(out.loc[2, "TRTSDY"])
    assert out["TRTEDY"].tolist()[:2] == [84, 7] and out["TRTDURD"].tolist()[:2] == [84, 7]


def test_population_flags():
    base = pd.DataFrame({"SUBJID": ["1", "2", "3", "4"], "USUBJID": ["S-1", "S-2", "S-3", "S-4"],
                         "SAFFL": ["Y", "Y", "Y", "N"], "TRTEDY": [84, 27, 84, None],
                         "ADHPCT": [95.0, 80.0, 79.9, None], "MAJDVFL": ["N", "N", "N", "N"]})
    visits = pd.DataFrame({"record_id": ["1", "2", "3"], "event": "week_12_arm_1", "visit_day": [86, 85, None]})
    out = derive_var_complfl(base, visits, SCHEDULE.end_of_treatment)  # window opens on day 85 - 7 = 78
    assert out["COMPLFL"].tolist() == ["Y", "N", "N", "N"]  # 2 stopped the drug on day 27; 3 missed week 12
    out = derive_var_pprotfl(base.assign(MAJDVFL=["Y", "N", "N", "N"]), 80)
    assert out["PPROTFL"].tolist() == ["N", "Y", "N", "N"]  # major deviation; exactly 80 % is enough


def test_efficacy_flag_needs_treatment_and_a_post_baseline_visit():
    base = pd.DataFrame({"SUBJID": ["1", "2", "3", "4"], "SAFFL": ["Y", "Y", "Y", "N"]})
    visits = pd.DataFrame({"record_id": ["1", "1", "2", "3", "4"],
                           "event": ["baseline_arm_1", "week_4_arm_1", "baseline_arm_1", "week_4_arm_1", "week_4_arm_1"],
                           "visit_day": [1, 29, 1, None, 30]})
    # 1: a week-4 visit on day 29; 2: baseline only; 3: week 4 without a day (not held); 4: not treated
    assert derive_var_efffl(base, visits, SCHEDULE)["EFFFL"].tolist() == ["Y", "N", "N", "N"]


def test_arms_and_treatments_of_enrolled_treated_failed_and_pending_subjects():
    subjects = pd.DataFrame({"SUBJID": ["1", "2", "3", "4", "5"], "enrolled": ["Y", "Y", "N", None, None],
                             "TRTSDY": [1, None, None, None, 1]})
    out = derive_vars_arm(derive_var_enrlfl(subjects), TREATMENT)
    expected = pd.DataFrame({
        "ENRLFL": ["Y", "Y", "N", "N", "Y"],  # 5: no eligibility answer but dosed, so enrolled
        "ARM": [TREATMENT, TREATMENT, "Screen Failure", "Not Assigned", TREATMENT],
        "ACTARM": [TREATMENT, "Not Treated", "Screen Failure", "Not Assigned", TREATMENT],
        "TRT01P": [TREATMENT, TREATMENT, "", "", TREATMENT],
        "TRT01A": [TREATMENT, "", "", "", TREATMENT],
    })
    got = out[list(expected.columns)].astype("string").fillna("").astype(object)
    pd.testing.assert_frame_equal(got, expected.astype(object))


def test_disposition_of_completed_discontinued_ongoing_screen_failed_and_pending_subjects():
    subjects = pd.DataFrame({"SUBJID": ["1", "2", "3", "4", "5", "6"], "ENRLFL": ["Y", "Y", "Y", "Y", "N", "N"],
                             "ARM": [TREATMENT] * 4 + ["Screen Failure", "Not Assigned"]})
    completion = pd.DataFrame({"record_id": ["1", "2", "3"], "status": ["Completed", "Death", "Ongoing"],
                               "eos_day": [110, 59, None], "last_dose_day": [84, 58, None],
                               "death_day": [None, 59, None]})
    out = derive_vars_disposition(subjects, completion)
    assert out["EOSSTT"].tolist() == ["COMPLETED", "DISCONTINUED", "ONGOING", "ONGOING", "DISCONTINUED", "ONGOING"]
    assert list(out["DCSREAS"].fillna("")) == ["", "Death", "", "", "Screen failure", ""]
    assert list(out["DTHFL"].fillna("")) == ["", "Y", "", "", "", ""] and out.loc[1, "DTHDY"] == 59


def test_analysis_day_falls_back_to_the_visit_day():
    records = pd.DataFrame({"record_id": ["1", "1"], "event": ["baseline_arm_1", "week_4_arm_1"], "day": [None, 30]})
    visits = pd.DataFrame({"record_id": ["1", "1"], "event": ["baseline_arm_1", "week_4_arm_1"], "visit_day": [1, 29]})
    out = derive_var_ady(records, visits, day="day")
    assert out["ADY"].tolist() == [1, 30]
    assert list(out["ADYF"].fillna("")) == ["VISIT DAY", ""]

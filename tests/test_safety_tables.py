"""The DSMB tables on tiny inline data: one behaviour per test, empty inputs included."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from aidheart.safety import baseline, completeness, display, events, neutrophils, status

SUBJECT_COLUMNS = ["record_id", "enrolled", "screen_fail_reason", "consent_month", "first_dose_month", "consent_day",
                   "age", "sex", "race", "ethnicity", "screen_crp", "screen_lvef", "screen_inotrope",
                   "screen_inotrope_dose", "cutoff_day", "day_origin"]
PLAN = [{"event": "baseline_arm_1", "avisit": "Baseline", "avisitn": 0, "day": 1, "window": 0},
        {"event": "week_2_arm_1", "avisit": "Week 2", "avisitn": 2, "day": 15, "window": 3},
        {"event": "week_4_arm_1", "avisit": "Week 4", "avisitn": 4, "day": 29, "window": 3}]


def subjects(*rows: dict) -> pd.DataFrame:
    base = dict(enrolled="Y", screen_fail_reason="", consent_month="2025-02", first_dose_month="2025-02",
                consent_day=-5, age=60, sex="Male", race="White", ethnicity="Not Hispanic or Latino",
                screen_crp=5.0, screen_lvef=25, screen_inotrope="Milrinone", screen_inotrope_dose=0.3,
                cutoff_day=40, day_origin="first_dose")
    return pd.DataFrame([{**base, **row} for row in rows], columns=SUBJECT_COLUMNS)


def completion(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["record_id", "status", "eos_day", "last_dose_day", "death_day"])


STUDY = subjects(
    {"record_id": "1", "enrolled": "N", "screen_fail_reason": "Active infection", "first_dose_month": "",
     "day_origin": "consent"},
    {"record_id": "2", "first_dose_month": "", "day_origin": "consent"},  # eligible, not dosed yet
    {"record_id": "3", "enrolled": "", "first_dose_month": "", "day_origin": "consent"},  # eligibility pending
    {"record_id": "4", "cutoff_day": 40},  # ongoing, treatment period
    {"record_id": "5", "cutoff_day": 100},  # ongoing, follow-up
    {"record_id": "6", "cutoff_day": 200},  # completed
    {"record_id": "7", "cutoff_day": 200},  # died
)
ENDED = completion(("5", "Ongoing", None, None, None), ("6", "Completed", 113, 84, None),
                   ("7", "Death", 50, 49, 50))


def test_subject_status_categories():
    result = status.subject_status(STUDY, ENDED, eot_day=85)
    assert result["category"].tolist() == [status.SCREEN_FAILURE, status.AWAITING_DOSE, status.IN_SCREENING,
                                           status.ON_TREATMENT, status.FOLLOW_UP, status.COMPLETED,
                                           status.DISCONTINUED]
    assert result["reason"].tolist()[-1] == "Death"
    assert result["enrolled"].sum() == 4


def test_status_flow_parts_add_up_with_denominators():
    flow = status.status_flow(status.subject_status(STUDY, ENDED, eot_day=85)).set_index("label")
    assert flow.loc["Screened (consented)", "n"] == 7
    screened_parts = flow[flow["of"] == "screened"]  # failures, pending, awaiting dose, enrolled
    assert screened_parts["n"].sum() == 7
    enrolled_parts = flow[(flow["level"] == 1) & (flow["of"] == "enrolled")]
    assert enrolled_parts["n"].sum() == flow.loc["Enrolled (received at least one dose)", "n"] == 4
    assert set(enrolled_parts["denominator"]) == {4}
    assert flow.loc["Reason: Death", "n"] == 1


def test_status_of_no_subjects_is_a_table_of_zeros():
    empty = STUDY.iloc[0:0]
    flow = status.status_flow(status.subject_status(empty, ENDED.iloc[0:0], eot_day=85))
    assert flow["n"].eq(0).all()
    shown = display.status_flow(flow)
    assert shown.loc[0, "n (%)"] == "0"


@pytest.mark.parametrize(("date", "expected"), [
    (dt.date(2024, 12, 31), 0.0),          # before accrual starts
    (dt.date(2025, 1, 31), 20 / 15),       # one full month
    (dt.date(2025, 3, 31), 4.0),           # three months of 15 for 20 subjects
    (dt.date(2026, 3, 31), 20.0),          # end of accrual
    (dt.date(2027, 1, 1), 20.0),           # capped at the target
])
def test_expected_enrolment_is_linear_and_capped(date, expected):
    assert status.expected_enrolment(date, "2025-01", 15, 20) == pytest.approx(expected)


def test_enrolment_by_month_counts_and_cumulates():
    data = subjects({"record_id": "1", "consent_month": "2025-01", "first_dose_month": "2025-02"},
                    {"record_id": "2", "consent_month": "2025-02", "first_dose_month": "2025-02"},
                    {"record_id": "3", "consent_month": "2025-03", "first_dose_month": ""})
    table = status.enrolment_by_month(data, dt.date(2025, 3, 15), "2025-01", 15, 20)
    assert table["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert table["enrolled"].tolist() == [0, 2, 0]
    assert table["cumulative_enrolled"].tolist() == [0, 2, 2]
    assert table["cumulative_screened"].tolist() == [1, 2, 3]
    assert table["expected"].iloc[-1] == pytest.approx(20 * (2 + 15 / 31) / 15)


def test_enrolment_by_month_without_subjects_still_has_the_months():
    table = status.enrolment_by_month(subjects().iloc[0:0], dt.date(2025, 2, 1), "2025-01", 15, 20)
    assert table["month"].tolist() == ["2025-01", "2025-02"]
    assert table["cumulative_enrolled"].tolist() == [0, 0]


def test_ae_by_term_counts_subjects_once_at_worst_grade():
    adae = pd.DataFrame({"SUBJID": ["1", "1", "2"], "AESEQ": [1, 2, 1], "AETERM": ["Rash", "Rash", "Rash"],
                         "AEBODSYS": ["Skin"] * 3, "ASTDY": [3, 9, 4], "ATOXGR": [1, 3, 2], "ARELFL": ["Y", "N", "Y"],
                         "SAFFL": ["Y"] * 3, "TRTEMFL": ["Y"] * 3})
    table = events.by_term_grade(events.treatment_emergent(adae), n_enrolled=4).set_index("level")
    term = table.loc[2]
    assert (term["subjects"], term["events"], term["grade_1"], term["grade_2"], term["grade_3"]) == (2, 3, 0, 1, 1)
    related = events.by_term_relatedness(adae, 4).set_index("level").loc[2]
    assert (related["related_subjects"], related["related_events"], related["unrelated_subjects"]) == (2, 2, 1)


def test_ae_tables_on_no_events():
    empty = pd.DataFrame(columns=["SUBJID", "AESEQ", "AETERM", "AEBODSYS", "ATOXGR", "ARELFL", "SAFFL", "TRTEMFL",
                                  "AESER", "AEACN", "AEOUT", "AEINJFL", "AEINFFL", "ASTDY", "AENDY", "AEONGO",
                                  "AEREL"])
    assert events.overview(empty, 0)["subjects"].eq(0).all()
    assert len(events.by_term_grade(events.treatment_emergent(empty), 0)) == 1
    assert events.listing(events.serious(empty)).empty


def test_shift_table_baseline_by_worst_post_baseline():
    rows = []
    for subject, grades in {"A": [0, 2, 1], "B": [1, 0, 0], "C": [0]}.items():
        for i, grade in enumerate(grades):
            common = dict(USUBJID=f"S-{subject}", AVISIT=f"V{i}", AVISITN=i, ADY=1 + 14 * i,
                          ABLFL="Y" if i == 0 else "")
            rows += [{**common, "PARAMCD": "ANC", "AVAL": 3.0 - grade}, {**common, "PARAMCD": "ANCGR", "AVAL": grade}]
    table = neutrophils.shift_table(pd.DataFrame(rows)).set_index("Baseline grade")
    assert table.loc["Grade 0", "Grade 2"] == 1
    assert table.loc["Grade 0", "No post-baseline value"] == 1
    assert table.loc["Grade 1", "Grade 0"] == 1
    assert table.loc["Total", "Total"] == 3
    listing = neutrophils.grade_listing(pd.DataFrame(rows))
    assert listing[["Subject", "Grade"]].values.tolist() == [["A", 2]]


def test_overdue_and_missed_visits():
    data = subjects({"record_id": "1", "cutoff_day": 40}, {"record_id": "2", "cutoff_day": 40})
    held = pd.DataFrame({"record_id": ["1", "1", "2"], "event": ["baseline_arm_1", "week_4_arm_1", "baseline_arm_1"]})
    ended = completion(("2", "Withdrew consent", 20, 20, None))
    schedule = completeness.scheduled_visits(data, ended, held, PLAN)
    late = completeness.overdue_visits(schedule)
    # subject 1 missed week 2 (window closed day 18) while on study; subject 2 left on day 20 (after week 2
    # opened on day 12, before week 4 opened on day 26)
    assert late[["Subject", "Visit", "Subject status"]].values.tolist() == [
        ["1", "Week 2", "Overdue (on study)"], ["2", "Week 2", "Missed (left study)"]]
    assert late["Days past window"].iloc[0] == 40 - 18
    forms = completeness.forms_received(schedule, {"Visit information": held}, PLAN).set_index(["visit", "form"])
    assert tuple(forms.loc[("Week 4", "Visit information"), ["expected", "received"]]) == (1, 1)
    assert tuple(forms.loc[("Week 2", "Visit information"), ["expected", "received"]]) == (2, 0)


def test_completeness_without_enrolled_subjects():
    data = subjects({"record_id": "1", "day_origin": "consent", "first_dose_month": ""})
    schedule = completeness.scheduled_visits(data, completion(), pd.DataFrame(columns=["record_id", "event"]), PLAN)
    assert completeness.overdue_visits(schedule).empty
    assert completeness.forms_received(schedule, {}, PLAN)["expected"].eq(0).all()


def test_demographics_denominator_is_the_enrolled():
    adsl = pd.DataFrame({"SAFFL": ["Y", "Y", "N"], "AGE": [50, 70, 90], "SEX": ["Male", "Female", "Female"]})
    table = baseline.demographics(adsl).set_index(["variable", "level"])
    assert table.loc[("Age (years)", ""), "mean"] == 60
    assert table.loc[("Sex", "Female"), "n"] == 1
    assert table.loc[("Sex", "Female"), "denominator"] == 2

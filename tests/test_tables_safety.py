"""Adverse events, neutrophil counts and data completeness, from tiny inline ADaM data."""

from __future__ import annotations

import pandas as pd
from study_model import schedule_of

from aidheart.tables.adverse_events import (
    by_term_grade_table, by_term_relatedness_table, deaths_table, listing, serious, teae_summary_table,
    treatment_emergent,
)
from aidheart.tables.completeness import completeness_table, overdue_table, scheduled_visits
from aidheart.tables.neutrophils import grade_listing, shift_table, worst_grade_table

ADSL = pd.DataFrame({"USUBJID": ["S-1", "S-2", "S-3", "S-4"], "SUBJID": ["1", "2", "3", "4"],
                     "SAFFL": ["Y", "Y", "Y", "N"], "DTHFL": [None, "Y", None, None], "DTHDY": [None, 59, None, None],
                     "TRTEDY": [84, 58, 84, None], "EOSSTT": ["COMPLETED", "DISCONTINUED", "ONGOING", "DISCONTINUED"],
                     "EOSDY": [113, 59, None, None], "DCUTDY": [40, 40, 40, None]})


def adae(*rows: dict) -> pd.DataFrame:
    base = dict(SUBJID="1", AESEQ=1, AETERM="Rash", AEDECOD="Rash", AEBODSYS="Skin", ASTDY=3, AENDY=5, AEONGO="N",
                AESER="N", AEREL="Not related", AREL="NOT RELATED", AEINJFL="N", AEINFFL="N", AEACN="None",
                AEOUT="Recovered", SAFFL="Y", AETOXGR=1, TRTEMFL="Y")
    return pd.DataFrame([{**base, **row} for row in rows])


EVENTS = adae(
    {"AETOXGR": 1, "AREL": "RELATED", "AEREL": "Possibly related", "AEINJFL": "Y"},
    {"AESEQ": 2, "ASTDY": 9, "AETOXGR": 3},
    {"SUBJID": "2", "ASTDY": 4, "AETOXGR": 2, "AREL": "RELATED", "AEREL": "Probably related"},
    {"SUBJID": "2", "AESEQ": 2, "AETERM": "Sepsis", "AEDECOD": "Sepsis", "AEBODSYS": "Infections", "AETOXGR": 5,
     "AESER": "Y", "AEOUT": "Fatal", "AEINFFL": "Y", "AEACN": "Drug withdrawn"},
    {"SUBJID": "3", "ASTDY": -2, "TRTEMFL": None},  # before the first dose
)


def test_teae_summary_counts_subjects_once_and_every_event():
    expected = pd.DataFrame([
        ("Any AE reported (including before the first dose)", "3 (100%)", "5"),
        ("Any treatment-emergent AE (TEAE)", "2 (67%)", "4"),
        ("Related TEAE (possibly, probably, definitely)", "2 (67%)", "2"),
        ("TEAE of CTCAE grade 3 or higher", "2 (67%)", "2"),
        ("Serious TEAE", "1 (33%)", "1"),
        ("TEAE leading to withdrawal of study drug", "1 (33%)", "1"),
        ("TEAE with fatal outcome", "1 (33%)", "1"),
        ("Injection-site reaction (TEAE)", "1 (33%)", "1"),
        ("Infection (TEAE)", "1 (33%)", "1"),
        ("Deaths (any cause)", "1 (33%)", ""),
    ], columns=["Category", "Subjects, n (%) of N = 3", "Events"])
    pd.testing.assert_frame_equal(teae_summary_table(ADSL, EVENTS, reported_row=True, deaths_row=True), expected)


def test_by_term_counts_subjects_at_their_worst_grade():
    table = by_term_grade_table(treatment_emergent(EVENTS), 3)
    expected = pd.DataFrame([
        ("Any TEAE", "2 (67%)", "4", "0", "0", "1", "0", "1"),
        ("**Skin**", "2 (67%)", "3", "0", "1", "1", "0", "0"),
        ("– Rash", "2 (67%)", "3", "0", "1", "1", "0", "0"),
        ("**Infections**", "1 (33%)", "1", "0", "0", "0", "0", "1"),
        ("– Sepsis", "1 (33%)", "1", "0", "0", "0", "0", "1"),
    ], columns=["Body system / term", "Subjects (N = 3)", "Events", "G1", "G2", "G3", "G4", "G5"])
    pd.testing.assert_frame_equal(table, expected)
    related = by_term_relatedness_table(treatment_emergent(EVENTS), 3).iloc[2]
    assert related.tolist() == ["– Rash", "2 (67%)", "2", "1 (33%)", "1"]


def test_listings_of_serious_events_and_deaths():
    assert listing(serious(EVENTS)).iloc[0].tolist() == ["2", "Infections", "Sepsis", "3", "5", "5", "Y",
                                                         "Not related", "Drug withdrawn", "Fatal", "Y"]
    assert deaths_table(ADSL, EVENTS).iloc[0].tolist() == ["2", "59", "58", "1", "Sepsis", "Not related", "Y"]


def test_ae_tables_of_no_events():
    empty = EVENTS.iloc[0:0]
    assert set(teae_summary_table(ADSL, empty)["Events"]) == {"0"}
    assert by_term_grade_table(treatment_emergent(empty), 3)["Body system / term"].tolist() == ["Any TEAE"]
    assert listing(serious(empty)).empty


def anc_records() -> pd.DataFrame:
    rows = []
    for subject, grades in {"1": [0, 2, 1], "2": [1, 0, 0], "3": [0]}.items():
        for i, grade in enumerate(grades):
            common = dict(USUBJID=f"S-{subject}", SUBJID=subject, AVISIT=f"V{i}", AVISITN=i, ADY=1 + 14 * i,
                          ABLFL="Y" if i == 0 else "")
            rows += [{**common, "PARAMCD": "ANC", "AVAL": 3.0 - grade}, {**common, "PARAMCD": "ANCGR", "AVAL": grade}]
    return pd.DataFrame(rows)


def test_shift_from_baseline_to_worst_post_baseline_grade():
    table = shift_table(anc_records()).set_index("Baseline grade")
    assert table.loc["Grade 0", "Grade 2"] == "1" and table.loc["Grade 0", "No post-baseline value"] == "1"
    assert table.loc["Grade 1", "Grade 0"] == "1" and table.loc["Total", "Total"] == "3"
    assert grade_listing(anc_records())[["Subject", "Grade", "ANC (10⁹/L)"]].values.tolist() == [["1", "2", "1.00"]]


def test_worst_grade_after_the_first_dose_per_treated_subject():
    shown = worst_grade_table(ADSL, anc_records()).set_index("Worst grade")["Subjects n (%)"]
    assert (shown["Grade 0"], shown["Grade 2"], shown["No post-baseline value"]) == ("1 (33%)", "1 (33%)", "1 (33%)")


SCHEDULE = schedule_of(("baseline_arm_1", "Baseline", 0, 1, 0), ("week_2_arm_1", "Week 2", 2, 15, 3),
                       ("week_4_arm_1", "Week 4", 4, 29, 3))


def test_overdue_and_missed_visits():
    adsl = ADSL.iloc[:2].assign(EOSSTT=["ONGOING", "DISCONTINUED"], EOSDY=[None, 20], DCUTDY=[40, 40])
    held = pd.DataFrame({"record_id": ["1", "1", "2"], "event": ["baseline_arm_1", "week_4_arm_1", "baseline_arm_1"]})
    plan = scheduled_visits(adsl, held, SCHEDULE)
    # subject 1 missed week 2 (window closed day 18) while on study; subject 2 left on day 20 (after week 2
    # opened on day 12, before week 4 opened on day 26)
    expected = pd.DataFrame([("1", "Week 2", "15", "18", "22", "Overdue (on study)"),
                             ("2", "Week 2", "15", "18", "–", "Missed (left study)")],
                            columns=["Subject", "Visit", "Nominal day", "Window closed (day)", "Days past window",
                                     "Subject status"])
    pd.testing.assert_frame_equal(overdue_table(plan), expected, check_dtype=False)
    forms = completeness_table(plan, {"visits": held}, SCHEDULE).set_index(["Visit", "Form"])
    assert forms.loc[("Week 4", "Visit information"), ["Expected", "Received"]].tolist() == ["1", "1"]
    assert forms.loc[("Week 2", "Visit information"), ["Expected", "Received"]].tolist() == ["2", "0"]


def test_completeness_without_treated_subjects():
    plan = scheduled_visits(ADSL.assign(SAFFL="N"), pd.DataFrame(columns=["record_id", "event"]), SCHEDULE)
    assert overdue_table(plan).empty and completeness_table(plan, {}, SCHEDULE).empty

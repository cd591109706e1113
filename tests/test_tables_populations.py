"""Populations, status at the cut-off and accrual, counted from a tiny inline ADSL (one definition each)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from study_model import STUDY, TREATMENT

from aidheart.tables.enrolment import enrolment_by_month, enrolment_status_table, expected_enrolment
from aidheart.tables.populations import (
    disposition_table, population_table, screen_failure_table, status_flow_table, subject_status,
)

PLAN = {"enrolment_target": 20, "accrual_start": "2025-01", "accrual_months": 15}
FAIL, PENDING = "Screen Failure", "Not Assigned"


def adsl(*rows: tuple) -> pd.DataFrame:
    """(SUBJID, ARM, ENRLFL, SAFFL, EOSSTT, DCSREAS, DCUTDY, RFICMON, TRTSMON) rows."""
    frame = pd.DataFrame(list(rows), columns=["SUBJID", "ARM", "ENRLFL", "SAFFL", "EOSSTT", "DCSREAS", "DCUTDY",
                                              "RFICMON", "TRTSMON"])
    return frame.assign(USUBJID="AIDHEART-" + frame["SUBJID"], SCRFREAS=None, COMPLFL="N", PPROTFL="N")


STUDY_ADSL = adsl(
    ("1", FAIL, "N", "N", "DISCONTINUED", "Screen failure", 40, "2025-01", None),
    ("2", TREATMENT, "Y", "N", "ONGOING", None, 40, "2025-02", None),  # enrolled, first dose pending
    ("3", PENDING, "N", "N", "ONGOING", None, 40, "2025-02", None),  # eligibility pending
    ("4", TREATMENT, "Y", "Y", "ONGOING", None, 40, "2025-02", "2025-02"),  # treatment period (day 40 <= 85)
    ("5", TREATMENT, "Y", "Y", "ONGOING", None, 100, "2025-02", "2025-03"),  # off-drug follow-up
    ("6", TREATMENT, "Y", "Y", "COMPLETED", None, 200, "2025-03", "2025-03"),
    ("7", TREATMENT, "Y", "Y", "DISCONTINUED", "Death", 200, "2025-03", "2025-04"),
).assign(SCRFREAS=["Active infection", None, None, None, None, None, None])


def test_each_subject_has_one_status_category():
    assert subject_status(STUDY_ADSL, STUDY)["category"].tolist() == [
        "Screen failure", "Enrolled, first dose pending", "In screening (eligibility pending)",
        "Ongoing: treatment period", "Ongoing: off-drug follow-up", "Completed", "Discontinued"]


def test_status_flow_parts_add_up_to_their_headings():
    expected = pd.DataFrame([
        ("**Screened (consented)**", "7", ""),
        ("Screen failure", "1 (14%)", "screened (N = 7)"),
        ("In screening (eligibility pending)", "1 (14%)", "screened (N = 7)"),
        ("Enrolled, first dose pending", "1 (14%)", "screened (N = 7)"),
        ("**Treated (received at least one dose)**", "4 (57%)", "screened (N = 7)"),
        ("Ongoing: treatment period", "1 (25%)", "treated (N = 4)"),
        ("Ongoing: off-drug follow-up", "1 (25%)", "treated (N = 4)"),
        ("Completed study", "1 (25%)", "treated (N = 4)"),
        ("Discontinued study", "1 (25%)", "treated (N = 4)"),
        ("– Reason: Death", "1 (25%)", "treated (N = 4)"),
    ], columns=["Status", "n (%)", "% of"])
    pd.testing.assert_frame_equal(status_flow_table(STUDY_ADSL, STUDY), expected)


def test_status_of_no_subjects_is_a_table_of_zeros():
    flow = status_flow_table(STUDY_ADSL.iloc[0:0], STUDY)
    assert set(flow["n (%)"]) == {"0"}


def test_populations_count_the_adsl_flags():
    table = population_table(STUDY_ADSL, pd.DataFrame(columns=["USUBJID", "PARAMCD", "AVAL", "ANL03FL"]), STUDY)
    shown = table.set_index("Population")["n (% of safety)"]
    assert (shown["Screened"], shown["Enrolled"], shown["Safety"]) == ("7", "5", "4 (100%)")
    assert shown["Efficacy (INOSENS)"] == "0"  # no efficacy records


def test_disposition_and_screen_failures():
    assert disposition_table(STUDY_ADSL).values.tolist() == [["Completed", "", "1 (25%)"],
                                                             ["Discontinued", "Death", "1 (25%)"],
                                                             ["Ongoing", "", "2 (50%)"]]
    expected = pd.DataFrame({"Reason": ["Active infection"], "n (% of screen failures, N = 1)": ["1 (100%)"]})
    pd.testing.assert_frame_equal(screen_failure_table(STUDY_ADSL), expected)


@pytest.mark.parametrize(("date", "expected"), [
    (dt.date(2024, 12, 31), 0.0),          # before accrual starts
    (dt.date(2025, 1, 31), 20 / 15),       # one full month
    (dt.date(2025, 3, 31), 4.0),           # three months of 15 for 20 subjects
    (dt.date(2026, 3, 31), 20.0),          # end of accrual
    (dt.date(2027, 1, 1), 20.0),           # capped at the target
])
def test_expected_accrual_is_linear_and_capped(date, expected):
    assert expected_enrolment(date, "2025-01", 15, 20) == pytest.approx(expected)


def test_treated_by_month_counts_and_cumulates():
    table = enrolment_by_month(STUDY_ADSL, dt.date(2025, 3, 15), PLAN)
    expected = pd.DataFrame({"month": ["2025-01", "2025-02", "2025-03"], "screened": [1, 4, 2], "treated": [0, 1, 2],
                             "cumulative_screened": [1, 5, 7], "cumulative_treated": [0, 1, 3]})
    pd.testing.assert_frame_equal(table[list(expected.columns)], expected)
    assert table["expected"].iloc[-1] == pytest.approx(20 * (2 + 15 / 31) / 15)


def test_accrual_without_subjects_still_has_the_months():
    table = enrolment_by_month(STUDY_ADSL.iloc[0:0], dt.date(2025, 2, 1), PLAN)
    assert table["month"].tolist() == ["2025-01", "2025-02"] and table["cumulative_treated"].tolist() == [0, 0]


def test_accrual_status_against_plan():
    table = enrolment_status_table(STUDY_ADSL, STUDY, dt.date(2025, 3, 31), PLAN).set_index("Quantity")["Value"]
    assert table["Treated by the cut-off"] == "4"
    assert table["Expected treated by the cut-off (linear accrual)"] == "4.0"
    assert table["Treated, % of expected"] == "100.0%"
    assert table["Screen failures, % of screened"] == "14.3%"

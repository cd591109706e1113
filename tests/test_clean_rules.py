"""Unit tests on tiny inline tables: one test per rule and edge case."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml
from study_model import CONFIG

from aidheart.clean import structure
from aidheart.clean.branching import shown
from aidheart.clean.cutoff import after_cutoff, records_after_cutoff
from aidheart.clean.deid import age_in_years, ages, free_text_fields
from aidheart.clean.reconcile import Ledger
from aidheart.clean.reference import reference_dates
from aidheart.clean.settings import CleanSettings
from aidheart.clean.studyday import clock_seconds, study_day, to_dates
from aidheart.clean.validate import check_choice, check_dose_range, check_format, check_range, check_required
from aidheart.ingest.dictionary import parse_choices
from aidheart.ingest.monitor_checks import ValidityRule, reading_reasons

#: The cleaning settings of the shipped configuration (its visits' forms designate the events).
SETTINGS = CleanSettings.from_config(yaml.safe_load(CONFIG.read_text()))


def s(*values):
    return pd.Series(list(values), dtype=str)


def rows(**columns):
    return pd.DataFrame({k: pd.Series(v, dtype=str) for k, v in columns.items()})


# ------------------------------------------------------------------ formats
@pytest.mark.parametrize("validation, good, bad, rule", [
    ("integer", ["12", "-3", ""], ["1.5", "12a", " 4"], "invalid_integer"),
    ("number", ["1.5", "-0.3", "7", ".5", ""], ["1,5", "abc", "1e3"], "invalid_number"),
    ("date_ymd", ["2025-02-28", "2024-02-29", ""], ["2025-13-26", "13/31/2025", "2025-02-30", "2025-2-3"],
     "invalid_date"),
    ("datetime_ymd", ["2025-02-28 08:59", "2025-02-28 08:59:10", ""], ["2025-02-28", "2025-02-28 25:00"],
     "invalid_datetime"),
])
def test_check_format(validation, good, bad, rule):
    mask, found_rule = check_format(s(*good, *bad), validation)
    assert found_rule == rule
    assert mask.tolist() == [False] * len(good) + [True] * len(bad)


def test_format_without_validation_accepts_anything():
    mask, rule = check_format(s("anything", ""), "")
    assert not mask.any() and rule == ""


def test_range_separates_impossible_from_out_of_range():
    impossible, outside = check_range(s("-7.1", "0", "140", "42.3", "", "250"), "0", "250")
    assert impossible.tolist() == [True, False, False, False, False, False]
    assert outside.tolist() == [False, False, False, False, False, False]
    impossible, outside = check_range(s("0", "20", "58.7", "300"), "30", "250")
    assert impossible.tolist() == [True, False, False, False]  # weight 0: cannot be zero
    assert outside.tolist() == [False, True, False, True]


def test_range_with_only_a_maximum():
    impossible, outside = check_range(s("-1", "101"), "", "100")
    assert not impossible.any() and outside.tolist() == [False, True]


def test_check_choice_yesno_and_codes():
    assert check_choice(s("1", "0", "2", ""), {"1": "Yes", "0": "No"}).tolist() == [False, False, True, False]


def test_parse_choices_keeps_commas_in_labels():
    assert parse_choices("1, Respiratory, thoracic | 99, Other") == {"1": "Respiratory, thoracic", "99": "Other"}


def test_required_respects_branching():
    data = rows(smw_done=["1", "0", "1"], smw_distance=["", "", "300"], redcap_event_name=["a", "a", "a"])
    assert check_required(data["smw_distance"], "[smw_done] = '1'", data).tolist() == [True, False, False]


def test_branching_event_name_or():
    data = rows(redcap_event_name=["baseline_arm_1", "week_2_arm_1", "week_12_arm_1"])
    logic = "[event-name] = 'baseline_arm_1' or [event-name] = 'week_12_arm_1'"
    assert shown(logic, data).tolist() == [True, False, True]


def test_branching_outside_the_subset_counts_as_shown():
    data = rows(x=["1", "2"])
    assert shown("([x] > 1)", data).tolist() == [True, True]


def test_dose_range_hint_names_the_other_drug():
    ranges = {"Dobutamine": (1.0, 20.0), "Milrinone": (0.1, 1.0)}
    messages = check_dose_range(s("5", "0.5", "5", "30"), s("2", "2", "1", "1"), ranges,
                                {"1": "Dobutamine", "2": "Milrinone"})
    assert "looks like a Dobutamine dose" in messages[0]
    assert messages[1] == "" and messages[2] == ""
    assert "outside" in messages[3] and "looks like" not in messages[3]


# ------------------------------------------------------------------ rows
def export(**columns):
    data = rows(**columns)
    for key in structure.KEYS:
        if key not in data:
            data[key] = ""
    data["line"] = range(2, len(data) + 2)
    return data


def test_duplicate_row_keeps_first_copy():
    data = export(record_id=["1", "1", "1"], redcap_event_name=["week_2_arm_1"] * 3, crp=["1", "1", "2"])
    queries, excluded = structure.check_duplicates(data.iloc[:2], "x.csv")
    assert excluded == {1: "duplicate_row"} and queries[0]["severity"] == "warning"
    assert queries[0]["source"] == "x.csv:3"


def test_conflicting_rows_with_same_key_are_both_excluded():
    data = export(record_id=["1", "1"], redcap_event_name=["week_2_arm_1"] * 2, crp=["1", "2"])
    queries, excluded = structure.check_duplicates(data, "x.csv")
    assert excluded == {0: "duplicate_key", 1: "duplicate_key"}


def test_repeat_gap_queried_at_first_instance_after_the_gap():
    data = export(record_id=["1"] * 4, redcap_event_name=["study_log_arm_1"] * 4,
                  redcap_repeat_instrument=["drug_diary"] * 4, redcap_repeat_instance=["1", "2", "4", "5"])
    queries = structure.check_repeat_gaps(data, "x.csv")
    assert [(q["instance"], q["value"], q["rule"]) for q in queries] == [("4", "4", "repeat_instance_gap")]


def test_unknown_event_and_bad_instances():
    data = export(record_id=["1", "1", "1", ""], redcap_event_name=["week_3_arm_1", "study_log_arm_1",
                                                                   "week_2_arm_1", "week_2_arm_1"],
                  redcap_repeat_instrument=["", "labs", "", ""], redcap_repeat_instance=["", "1", "2", ""])
    queries, excluded = structure.check_keys(data, "x.csv", tuple(SETTINGS.event_forms))
    assert excluded == {0: "unknown_event", 1: "invalid_repeat_instance", 2: "invalid_repeat_instance",
                        3: "missing_record_id"}


def test_record_without_enrollment_row():
    data = export(record_id=["1", "2"], redcap_event_name=["screening_arm_1", "baseline_arm_1"])
    _, excluded = structure.check_enrollment(data, "x.csv")
    assert excluded == {1: "no_enrollment_record"}


def test_form_not_designated_to_event():
    data = export(record_id=["1", "1"], redcap_event_name=["screening_arm_1", "week_2_arm_1"])
    present = pd.DataFrame({"labs": [True, True], "enrollment": [True, False]})
    _, wrong = structure.check_designation(data, present, "x.csv", SETTINGS.event_forms)
    assert wrong == {(0, "labs")}


def test_unknown_column_and_complete_codes():
    dictionary = pd.DataFrame({"field": ["record_id", "crp"], "form": ["enrollment", "labs"]})
    queries, unknown = structure.check_columns(["record_id", "crp", "labs_complete", "colour"], dictionary,
                                               "x.csv", {"labs": ["crp", "labs_complete"]})
    assert unknown == ["colour"] and queries[0]["source"] == "x.csv:1"
    data = export(record_id=["1", "1"], labs_complete=["2", "7"])
    assert [q["value"] for q in structure.check_complete_codes(data, {"labs": []}, "x.csv")] == ["7"]


# ------------------------------------------------------------------ study days, age, cut-off
def test_study_day_has_no_day_zero():
    origin = pd.to_datetime(pd.Series(["2025-03-10"] * 4))
    dates = to_dates(s("2025-03-10", "2025-03-09", "2025-03-11", "2025-02-08"))
    assert study_day(dates, origin).tolist() == [1, -1, 2, -30]


def test_study_day_of_missing_date_is_missing():
    assert study_day(to_dates(s("", "2025-13-01")), pd.to_datetime(pd.Series(["2025-03-10"] * 2))).isna().all()


def test_clock_seconds_of_datetime():
    assert clock_seconds(s("2025-03-10 08:59", "", "2025-03-10 23:59:30")).tolist()[::2] == [32340, 86370]


def test_age_in_whole_years():
    assert age_in_years(dt.date(1950, 6, 15), dt.date(2025, 6, 14)) == 74
    assert age_in_years(dt.date(1950, 6, 15), dt.date(2025, 6, 15)) == 75
    assert age_in_years(dt.date(1952, 2, 29), dt.date(2025, 2, 28)) == 72


def test_age_missing_for_bad_or_later_birth_date():
    assert ages(s("1950-02-30", "2030-01-01", "1950-01-01"), s("2025-01-01", "2025-01-01", "")).isna().all()


def test_reference_is_first_dose_else_consent():
    data = export(record_id=["1", "1", "2"], redcap_event_name=["screening_arm_1", "baseline_arm_1",
                                                                "screening_arm_1"],
                  consent_date=["2025-03-01", "", "2025-04-01"], first_dose_date=["", "2025-03-10", ""])
    ref = reference_dates(data, None)
    assert ref["day_origin"].tolist() == ["first_dose", "consent"]
    assert ref["cutoff_day"].isna().all()
    ref = reference_dates(data, dt.date(2025, 3, 9))  # dosed only after the cut-off
    assert ref["day_origin"].tolist() == ["consent", "consent"]
    assert ref.loc["1", "cutoff_day"] == 9


def test_cutoff_day_is_a_study_day():
    data = export(record_id=["1", "1"], redcap_event_name=["screening_arm_1", "baseline_arm_1"],
                  consent_date=["2025-03-01", ""], first_dose_date=["", "2025-03-10"])
    assert reference_dates(data, dt.date(2025, 3, 10)).loc["1", "cutoff_day"] == 1
    assert reference_dates(data, dt.date(2025, 3, 11)).loc["1", "cutoff_day"] == 2


def test_cutoff_excludes_records_dated_after_it():
    data = export(record_id=["1", "1", "1"], redcap_event_name=["week_2_arm_1"] * 3,
                  lab_date=["2025-05-01", "2025-05-02", ""])
    assert after_cutoff(data, "labs", dt.date(2025, 5, 1)).tolist() == [False, True, False]
    assert not after_cutoff(data, "labs", None).any()


def test_subject_consented_after_cutoff_is_excluded():
    data = export(record_id=["1", "2"], redcap_event_name=["screening_arm_1"] * 2,
                  consent_date=["2025-01-01", "2025-06-01"])
    assert records_after_cutoff(data, dt.date(2025, 3, 1)) == {"2"}


def test_free_text_dropped_unless_safe():
    dictionary = pd.DataFrame({"type": ["text", "notes", "text", "text"], "validation": ["", "", "", "number"]},
                              index=["record_id", "eos_notes", "ae_term", "crp"])
    assert free_text_fields(dictionary, {"ae_term"}) == ["eos_notes"]


# ------------------------------------------------------------------ ledger and monitor validity
def test_ledger_reconciles_each_form():
    present = pd.DataFrame({"labs": [True, True, False], "clinical": [True, False, False]})
    ledger = Ledger(present, "x.csv")
    ledger.exclude_rows({1: "duplicate_row"})
    table = ledger.table().set_index("form")
    assert table.loc["labs", ["rows_read", "rows_kept", "rows_excluded", "reason"]].tolist() == [
        2, 1, 1, "duplicate_row: 1"]
    assert table.loc["(no form data)", "rows_read"] == 1
    assert table.loc["(all rows)", ["rows_read", "rows_kept", "reason"]].tolist() == [3, 2, "duplicate_row: 1"]


def test_reading_validity_rules():
    rule = ValidityRule(60, (0.8, 6.0), (30, 200))
    assert reading_reasons({"signal_quality": 60, "ci": 2.0, "hr": 80}, rule) == []
    assert reading_reasons({"signal_quality": 59, "ci": 2.0, "hr": 80}, rule) == ["low_signal_quality"]
    assert reading_reasons({"signal_quality": 90, "ci": 9.9, "hr": 80}, rule) == ["artefact_reading"]
    assert reading_reasons({"signal_quality": 90, "ci": 2.0, "hr": 220}, rule) == ["artefact_reading"]
    assert reading_reasons({"signal_quality": 20, "ci": 0.0, "hr": 80}, rule) == ["low_signal_quality",
                                                                                  "artefact_reading"]

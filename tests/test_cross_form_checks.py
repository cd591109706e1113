"""Checks across forms and against the visit schedule, on the shipped study and with faults planted in it.

The shipped export already holds some of these contradictions; each other rule gets one fault planted by
editing a copy of the export (:func:`plant`). The expected findings are worked out here from the raw
export (csv module, calendar dates) and the study's truth, not from the pipeline's tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from conftest import SHIPPED_DATA, clean_folder, copy_study
from test_ingest_malformed import edit_export

CROSS_FORM_RULES = ("ae_action_after_last_dose", "ae_withdrawn_dosing_continued", "ae_interrupted_no_missed_dose",
                    "ae_before_consent", "ae_before_first_dose", "fatal_ae_without_death", "death_without_fatal_ae",
                    "visit_after_end_of_study", "missed_visit", "missing_form")
TRUTH = json.loads((SHIPPED_DATA / "truth.json").read_text())
EXPORT = SHIPPED_DATA / TRUTH["study"]["export_file"]
#: Config queries.ae_action_grace_days of the shipped configuration.
GRACE_DAYS = 1


def raw_rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(EXPORT.read_text(encoding="utf-8-sig"))))


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def found(result, rules=CROSS_FORM_RULES) -> set[tuple]:
    queries = result.queries[result.queries["rule"].isin(rules)]
    return set(zip(queries["rule"], queries["record_id"], queries["event"], queries["form"], queries["instance"]))


@pytest.fixture(scope="module")
def shipped():
    return clean_folder(SHIPPED_DATA)


def test_an_ae_that_withdrew_the_drug_after_the_last_dose_is_queried(shipped):
    """1025's fatal heart failure, coded 'drug withdrawn', starts 19 days after that subject's last dose."""
    last_dose = {row["record_id"]: date(row["last_dose_date"]) for row in raw_rows() if row["last_dose_date"]}
    expected = {("ae_action_after_last_dose", row["record_id"], row["redcap_event_name"], "adverse_events",
                 row["redcap_repeat_instance"])
                for row in raw_rows() if row["ae_action"] in ("2", "3") and row["record_id"] in last_dose
                and (date(row["ae_onset"]) - last_dose[row["record_id"]]).days > GRACE_DAYS}
    assert ("ae_action_after_last_dose", "1025", "study_log_arm_1", "adverse_events", "3") in expected
    assert found(shipped, ["ae_action_after_last_dose"]) == expected
    message = shipped.queries.loc[shipped.queries["rule"].eq("ae_action_after_last_dose"), "message"].iloc[0]
    assert "19 days after the last dose" in message


def test_aes_before_the_first_dose_are_queried_to_confirm_their_dates(shipped):
    first_dose = {rid: date(record["first_dose_date"]) for rid, record in TRUTH["records"].items()
                  if record.get("first_dose_date")}
    consent = {rid: date(record["consent_date"]) for rid, record in TRUTH["records"].items()}
    expected = {("ae_before_first_dose", row["record_id"], row["redcap_event_name"], "adverse_events",
                 row["redcap_repeat_instance"]) for row in raw_rows()
                if row["ae_onset"] and row["record_id"] in first_dose
                and consent[row["record_id"]] <= date(row["ae_onset"]) < first_dose[row["record_id"]]}
    planted = {rid for rid, record in TRUTH["records"].items() if "pre_dose_ae" in record.get("roles", ())}
    assert len(planted) == 2 and planted <= {key[1] for key in expected}
    assert found(shipped, ["ae_before_first_dose"]) == expected


def test_every_visit_the_truth_says_was_missed_is_queried_and_no_other(shipped):
    expected = {("missed_visit", rid, event, "visit_info", "") for rid, record in TRUTH["records"].items()
                for event in record.get("missed_visits", [])}
    assert len(expected) == 6
    assert found(shipped, ["missed_visit"]) == expected
    assert found(shipped, ["missing_form"]) == set()  # every visit held has all its forms


def plant(rows: list[dict]) -> list[dict]:
    """One fault per rule that the shipped study does not hold already (each commented with the dates)."""
    def row(record_id, instrument="", instance="", event=None):
        return next(r for r in rows if r["record_id"] == record_id and r["redcap_repeat_instrument"] == instrument
                    and r["redcap_repeat_instance"] == instance and (event is None or r["redcap_event_name"] == event))

    # 1002 AE 3 (drug withdrawn, onset 2025-03-27) now ends 2025-03-29, but the last dose is 2025-04-03
    row("1002", "adverse_events", "3")["ae_end"] = "2025-03-29"
    # 1010 AE 2 (headache 2025-07-27 to 2025-08-06) interrupted the drug, yet diary weeks 3-5 say 7 of 7 taken
    row("1010", "adverse_events", "2")["ae_action"] = "2"
    row("1010", "drug_diary", "3")["diary_taken"] = "7"
    # 1013 consented 2025-08-31; its AE 1 now starts 2025-08-25
    row("1013", "adverse_events", "1")["ae_onset"] = "2025-08-25"
    # 1017 AE 4 (headache, ongoing) now fatal, but 1017 completed the study alive
    row("1017", "adverse_events", "4")["ae_outcome"] = "5"
    # 1026 died; its sudden cardiac death is now grade 4 and recovered: no fatal AE remains
    death = row("1026", "adverse_events", "3")
    death.update(ae_outcome="1", ae_grade="4")
    # 1006 ended the study 2025-07-05; now 2025-06-10, before its week-4 visit on 2025-06-15
    row("1006", event="end_of_study_arm_1")["eos_date"] = "2025-06-10"
    # 1021's week-2 labs are gone (the visit is held); 1013's whole week-8 visit is gone
    labs = row("1021", event="week_2_arm_1")
    labs.update({field: "" for field in ("lab_date", "crp", "anc", "wbc", "hgb", "plt", "creat", "ntprobnp",
                                         "labs_complete")})
    return [r for r in rows if not (r["record_id"] == "1013" and r["redcap_event_name"] == "week_8_arm_1")]


PLANTED = {
    ("ae_withdrawn_dosing_continued", "1002", "study_log_arm_1", "adverse_events", "3"),
    ("ae_interrupted_no_missed_dose", "1010", "study_log_arm_1", "adverse_events", "2"),
    ("ae_before_consent", "1013", "study_log_arm_1", "adverse_events", "1"),
    ("fatal_ae_without_death", "1017", "study_log_arm_1", "adverse_events", "4"),
    ("death_without_fatal_ae", "1026", "end_of_study_arm_1", "study_completion", ""),
    ("visit_after_end_of_study", "1006", "week_4_arm_1", "visit_info", ""),
    ("missing_form", "1021", "week_2_arm_1", "labs", ""),
    ("missed_visit", "1013", "week_8_arm_1", "visit_info", ""),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    study = copy_study(SHIPPED_DATA, tmp_path_factory.mktemp("planted") / "data")
    edit_export(study, plant)
    return clean_folder(study)


def test_each_planted_contradiction_is_found_once_beside_the_shipped_ones(shipped, planted):
    assert {rule for rule, *_ in PLANTED} | {rule for rule, *_ in found(shipped)} == set(CROSS_FORM_RULES)
    assert found(planted) == found(shipped) | PLANTED
    keys = planted.queries[planted.queries["rule"].isin(CROSS_FORM_RULES)]
    assert not keys.duplicated(["rule", "record_id", "event", "form", "field", "instance"]).any()


def test_planted_queries_say_what_disagrees_and_where(planted):
    queries = planted.queries.set_index(["rule", "record_id"])
    assert "the last dose on day 35 (completion form)" in queries.loc[("ae_withdrawn_dosing_continued", "1002"),
                                                                      "message"]
    assert "week 3 (7/7), week 4 (7/7), week 5 (7/7)" in queries.loc[("ae_interrupted_no_missed_dose", "1010"),
                                                                        "message"]
    assert queries.loc[("ae_before_consent", "1013"), "value"] == "2025-08-25"
    sources = planted.queries.set_index("rule")["source"]
    assert sources["missed_visit"].str.fullmatch(r"redcap/AIDHEART_DATA_[\d-]+_\d{4}\.csv").all()  # no row to name
    assert sources[["ae_before_consent", "visit_after_end_of_study", "missing_form"]].str.contains(r"\.csv:\d+$").all()
    assert (planted.queries["severity"][planted.queries["rule"].isin(CROSS_FORM_RULES)] == "warning").all()


def test_values_that_disagree_stay_in_the_clean_tables(planted):
    """A contradiction is for the site to settle: nothing is excluded from the analysis."""
    aes = planted.tables["adverse_events"]
    ae = aes[(aes["record_id"] == "1017") & (aes["instance"] == 4)]
    assert ae["outcome"].tolist() == ["Fatal"]
    visits = planted.tables["visits"]
    assert not visits[(visits["record_id"] == "1006") & (visits["event"] == "week_4_arm_1")].empty


def test_a_cutoff_before_a_window_closes_leaves_the_visit_unqueried():
    """At a cut-off of 2025-11-10, 1018's study day 19 (first dose 2025-10-23), its week-2 window (days 12 to 18)
    has closed: missed; its week-4 window (days 26 to 32) has not: not queried."""
    import yaml

    from conftest import REPO

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["cutoff_date"] = "2025-11-10"
    result = clean_folder(SHIPPED_DATA, config)
    missed = found(result, ["missed_visit"])
    assert ("missed_visit", "1018", "week_2_arm_1", "visit_info", "") in missed
    assert ("missed_visit", "1018", "week_4_arm_1", "visit_info", "") not in missed
    first_dose = {rid: date(record["first_dose_date"]) for rid, record in TRUTH["records"].items()
                  if record.get("first_dose_date")}
    assert all(first_dose[rid] <= dt.date(2025, 11, 10) for _, rid, *_ in missed)

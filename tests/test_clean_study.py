"""End-to-end cleaning of the shipped study against its known truth, and of a clean study.

The pipeline never reads truth.json; these tests do.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from aidheart.simulate import write_study
from conftest import SHIPPED_DATA, clean_folder
from study_model import STUDY

#: Planted fault kind -> the rule that must query it.
RULE_OF_KIND = {
    "out_of_range": "out_of_range",
    "impossible_value": "impossible_value",
    "invalid_date": "invalid_date",
    "milrinone_dose_units": "inotrope_dose_range",
    "duplicate_row": "duplicate_row",
    "repeat_instance_gap": "repeat_instance_gap",
    "date_out_of_window": "date_out_of_window",
    "monitor_patient_id_mismatch": "monitor_patient_id_mismatch",
    "low_signal_quality": "low_signal_quality",
    "artefact_reading": "artefact_reading",
    "missing_monitor_file": "missing_monitor_file",
    "missing_required": "missing_required",
}


@pytest.fixture(scope="module")
def truth():
    return json.loads((SHIPPED_DATA / "truth.json").read_text())


def _read(workdir, name):
    return pd.read_csv(workdir / "results" / name, dtype=str, keep_default_na=False)


def test_every_planted_fault_is_queried(shipped_run, truth):
    queries = _read(shipped_run, "qc/queries.csv")
    missed = []
    for fault in truth["faults"]:
        hit = queries[queries["record_id"].eq(fault["record_id"]) & queries["event"].eq(fault["event"])
                      & queries["field"].eq(fault["field"] or "") & queries["rule"].eq(RULE_OF_KIND[fault["kind"]])]
        if len(hit) != 1:
            missed.append(fault)
        elif "times" in fault:  # one query per session and kind, naming each reading's time
            assert all(time in hit["message"].iloc[0] for time in fault["times"])
            assert hit["value"].iloc[0] == str(len(fault["times"]))
    assert missed == []


def test_fault_kinds_all_known(truth):
    assert {fault["kind"] for fault in truth["faults"]} <= set(RULE_OF_KIND)


def test_milrinone_dose_query_hints_at_dobutamine_units(shipped_run):
    queries = _read(shipped_run, "qc/queries.csv")
    message = queries.loc[queries["rule"].eq("inotrope_dose_range"), "message"].iloc[0]
    assert "looks like a Dobutamine dose in mcg/kg/min" in message


def test_error_values_are_missing_in_clean_tables(shipped_run):
    """KCCQ 140, CRP -7.1, weight 0, the dose 5 and the month-13 date are not analysed."""
    clinical = _read(shipped_run, "clean/clinical.csv")
    labs = _read(shipped_run, "clean/labs.csv")
    steps = _read(shipped_run, "clean/challenge_steps.csv")
    assert "140" not in set(clinical.loc[clinical["param"].eq("kccq_os"), "value"])
    assert "-7.1" not in set(labs["value"])
    assert "0" not in set(clinical.loc[clinical["param"].eq("weight"), "value"])
    step = steps[steps["record_id"].eq("1009") & steps["event"].eq("week_4_arm_1") & steps["step"].eq("2")]
    assert step["dose"].tolist() == [""]
    crp = labs[labs["record_id"].eq("1015") & labs["event"].eq("week_12_arm_1") & labs["param"].eq("crp")]
    assert crp["value"].tolist() == [""]  # kept as a row, value excluded
    bad_date = labs[labs["record_id"].eq("1003") & labs["event"].eq("baseline_arm_1")]
    assert set(bad_date["lab_day"]) == {""}


def test_planted_faults_are_the_only_errors(shipped_run, truth):
    queries = _read(shipped_run, "qc/queries.csv")
    errors = queries[queries["severity"].eq("error")]
    planted = {(f["record_id"], f["event"], f["field"] or "") for f in truth["faults"]}
    assert {(r, e, f) for r, e, f in zip(errors["record_id"], errors["event"], errors["field"])} <= planted


def test_study_days_and_ages_recover_truth(shipped_run, truth):
    visits = _read(shipped_run, "clean/visits.csv")
    subjects = _read(shipped_run, "clean/subjects.csv").set_index("record_id")
    for record_id, record in truth["records"].items():
        assert int(subjects.loc[record_id, "age"]) == record["age"]
        for event, visit in record.get("visits", {}).items():
            row = visits[visits["record_id"].eq(record_id) & visits["event"].eq(event)]
            assert row["visit_day"].tolist() == [str(visit["study_day"])]
            assert row["in_window"].tolist() == ["N" if visit["out_of_window"] else "Y"]


def test_walk_distances_recover_truth(shipped_run, truth):
    walks = _read(shipped_run, "clean/walks.csv")
    spo2_fault = {(f["record_id"], f["event"]) for f in truth["faults"] if f["field"] == "smw_spo2"}
    for record_id, record in truth["records"].items():
        for event, walk in record.get("walks", {}).items():
            row = walks[walks["record_id"].eq(record_id) & walks["event"].eq(event)]
            if walk["reason"] == "after_end_of_study" or (walk["reason"] == "missed_visit"):
                assert row.empty
                continue
            assert row["done"].tolist() == ["Y" if walk["done"] else "N"]
            assert row["distance_m"].tolist() == ["" if walk["distance_m"] is None else str(walk["distance_m"])]
    assert spo2_fault


def test_no_calendar_dates_in_clean_tables(shipped_run):
    """Dates leave the cleaning step as study days (months of enrolment excepted)."""
    for path in (shipped_run / "results" / "clean").glob("*.csv"):
        assert not pd.Series(path.read_text().split(",")).str.contains(r"\d{4}-\d{2}-\d{2}").any(), path.name


def raw_row_counts(data_dir) -> dict[str, int]:
    """Data rows of every raw file, counted with the csv module alone: the export's rows after its header; a
    monitor file's lines after the blank line that ends its header block and the column-name line."""
    counts = {}
    for path in sorted((data_dir / "redcap").glob("AIDHEART_DATA_*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            counts[f"redcap/{path.name}"] = sum(1 for _ in csv.reader(handle)) - 1
    for path in sorted((data_dir / "monitor").iterdir()):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        counts[f"monitor/{path.name}"] = len(rows) - rows.index([]) - 2
    return counts


def test_reconciliation_counts_each_raw_row_once(shipped_run):
    """The file-level lines hold every raw row exactly once; kept + excluded = read on every line."""
    recon = _read(shipped_run, "qc/reconciliation.csv")
    numbers = recon[["rows_read", "rows_kept", "rows_excluded"]].astype(int)
    assert (numbers["rows_read"] == numbers["rows_kept"] + numbers["rows_excluded"]).all()
    files = recon["level"].eq("file")
    assert dict(zip(recon.loc[files, "source_file"], numbers.loc[files, "rows_read"])) == raw_row_counts(SHIPPED_DATA)
    assert recon.loc[files, "source_file"].is_unique


def test_every_excluded_row_is_in_the_query_listing_at_its_line(shipped_run):
    """Rows excluded by a query rule name a query at their source line; after_cutoff excludes no row here."""
    recon = _read(shipped_run, "qc/reconciliation.csv")
    queries = _read(shipped_run, "qc/queries.csv")
    export = recon[recon["level"].eq("file") & recon["form"].eq("(all forms)")].iloc[0]
    assert export["reason"] == "duplicate_row: 1"
    duplicate = queries[queries["rule"].eq("duplicate_row")]
    assert len(duplicate) == 1 and duplicate["source"].iloc[0].startswith(export["source_file"] + ":")
    for _, line in recon[recon["level"].eq("file") & recon["form"].eq("monitor")].iterrows():
        for reason in filter(None, line["reason"].split("; ")):
            rule = reason.split(":")[0]
            assert ((queries["rule"] == rule) & queries["source"].str.startswith(line["source_file"] + ":")).any()


def test_reconciliation_adds_up(shipped_run, truth):
    recon = _read(shipped_run, "qc/reconciliation.csv")
    numbers = recon[["rows_read", "rows_kept", "rows_excluded"]].astype(int)
    kept = dict(zip(recon["form"], numbers["rows_kept"]))
    whole = numbers[recon["form"].eq("(all forms)")].iloc[0]
    assert whole["rows_read"] == truth["study"]["n_export_rows"] and whole["rows_excluded"] == 1
    table_of_form = {"enrollment": "subjects", "visit_info": "visits", "inotrope_challenge": "challenge_sessions",
                     "six_minute_walk": "walks", "adverse_events": "adverse_events", "drug_diary": "diary",
                     "inotrope_log": "inotrope_log", "protocol_deviations": "deviations"}
    for form, table in table_of_form.items():
        assert kept[form] == len(_read(shipped_run, f"clean/{table}.csv")), form
    monitor = numbers[recon["form"].eq("monitor")]
    assert monitor["rows_kept"].sum() == len(_read(shipped_run, "clean/monitor_readings.csv"))
    assert len(monitor) == truth["study"]["n_monitor_files"]
    assert recon["reason"].str.contains("duplicate_row").sum() == 1  # the duplicate is counted once


def test_clean_study_gives_no_error_query(tmp_path):
    """A study made with the mess switched off (``aidheart simulate --clean``)."""
    write_study(tmp_path / "study", n_subjects=20, seed=11, mess=False)
    result = clean_folder(tmp_path / "study")
    assert result.queries[result.queries["severity"].eq("error")].empty
    assert len(result.tables["subjects"]) > 20


def test_cutoff_excludes_later_records_everywhere(truth):
    import yaml

    from conftest import REPO

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["cutoff_date"] = "2025-09-30"
    result = clean_folder(SHIPPED_DATA, config)
    t = result.tables
    consented = {r for r, rec in truth["records"].items() if rec["consent_date"] <= "2025-09-30"}
    assert set(t["subjects"]["record_id"]) == consented
    cutoff_day = t["subjects"].set_index("record_id")["cutoff_day"]
    for table, day in (("visits", "visit_day"), ("labs", "lab_day"), ("adverse_events", "onset_day"),
                       ("challenge_sessions", "ch_day"), ("diary", "start_day"), ("walks", "walk_day")):
        frame = t[table].dropna(subset=[day])
        assert (frame[day].astype(int) <= frame["record_id"].map(cutoff_day).astype(int)).all(), table
    late_eos = {r for r, rec in truth["records"].items() if rec["enrolled"] and rec["consent_date"] <= "2025-09-30"
                and rec["disposition"]["date"] > "2025-09-30"}
    status = t["completion"].set_index("record_id")["status"]
    assert late_eos and all(status[r] == "Ongoing" for r in late_eos)
    recon = result.reconciliation
    assert recon["reason"].str.contains("after_cutoff").any()
    numbers = recon[["rows_read", "rows_kept", "rows_excluded"]].astype(int)
    assert (numbers["rows_read"] == numbers["rows_kept"] + numbers["rows_excluded"]).all()
    kept_files = set(t["challenge_sessions"]["monitor_file"])
    assert set(t["monitor_readings"]["monitor_file"]) <= kept_files
    assert not result.queries["rule"].isin(["after_cutoff", "monitor_unknown_subject",
                                            "monitor_file_not_in_crf"]).any()  # counted, not queried


def test_a_monitor_file_naming_another_patient_feeds_no_endpoint(shipped_run, truth):
    """The planted file whose header names another patient: an error query, no reading kept, the session's
    primary endpoint missing with the reason."""
    (fault,) = [f for f in truth["faults"] if f["kind"] == "monitor_patient_id_mismatch"]
    queries = _read(shipped_run, "qc/queries.csv")
    hit = queries[queries["rule"].eq("monitor_patient_id_mismatch") & queries["field"].eq(fault["field"])]
    assert hit[["severity", "category"]].values.tolist() == [["error", "actionable"]]
    assert fault["field"] not in set(_read(shipped_run, "clean/monitor_readings.csv")["monitor_file"])
    adeff = _read(shipped_run, "adam/adeff.csv")
    visit = STUDY.schedule.by_event()[fault["event"]]
    row = adeff[adeff["SUBJID"].eq(fault["record_id"]) & adeff["AVISIT"].eq(visit.avisit)
                & adeff["PARAMCD"].eq(STUDY.primary_endpoint.paramcd) & adeff["DTYPE"].eq("")]
    assert row["AVAL"].tolist() == [""] and "its header names another patient" in row["REASND"].iloc[0]

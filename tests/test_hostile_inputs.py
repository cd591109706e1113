"""Hostile inputs built from the shipped study or a generated one: each gives a query or one clear line.

Every case checks what the study team sees (the query, or the one-line
``AID-HEART: <file>: <fault>`` a rule script prints) and that nothing is lost:
the reconciliation accounts for every export row and every monitor file on
disk, and the readings kept are the readings in the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from aidheart import formats as F
from aidheart.clean.identifier_scan import REDACTED
from aidheart.ingest.dictionary import read_dictionary
from conftest import REPO, SHIPPED_DATA, clean_folder, copy_study, run_workflow
# small_study (a 2-subject study made by the generator) and study (a copy per test) are fixtures.
from test_ingest_malformed import edit_export, export_path, first, small_study, structural_message, study  # noqa: F401


@pytest.fixture
def shipped(tmp_path) -> Path:
    return copy_study(SHIPPED_DATA, tmp_path / "data")


def export_rows(study: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export_path(study).read_text(encoding="utf-8-sig"))))


def assert_accounted(result, study: Path) -> None:
    """Rows read = kept + excluded everywhere; every export row and every monitor file on disk is listed."""
    recon = result.reconciliation
    numbers = recon[["rows_read", "rows_kept", "rows_excluded"]].astype(int)
    assert (numbers["rows_read"] == numbers["rows_kept"] + numbers["rows_excluded"]).all()
    whole = numbers[recon["form"].eq("(all forms)")].iloc[0]
    assert whole["rows_read"] == len(export_rows(study))
    monitor = recon["form"].eq("monitor")
    assert set(recon.loc[monitor, "source_file"]) == {f"monitor/{p.name}" for p in (study / "monitor").iterdir()}
    assert numbers.loc[monitor, "rows_kept"].sum() == len(result.tables["monitor_readings"])


def queries_of(result, rule: str) -> pd.DataFrame:
    return result.queries[result.queries["rule"].eq(rule)]


def rewrite_monitor(path: Path, edit) -> None:
    """``edit(header_lines, reading_lines)`` on a monitor file, written back with LF line ends."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, readings = lines[:6], lines[6:]
    edit(header, readings)
    path.write_text("\n".join(header + readings) + "\n", encoding="utf-8")


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def seconds_of(text: str) -> int:
    hours, minutes, secs = (int(part) for part in text.split(":"))
    return 3600 * hours + 60 * minutes + secs


# ----------------------------------------------------------------------------- identifiers in free text
def test_own_name_and_mrn_in_an_ae_term_are_redacted_and_queried(shipped):
    """The shipped study with one AE term holding the subject's name and MRN, and another record's phone."""
    rows = export_rows(shipped)
    ae = next(r for r in rows if r["redcap_repeat_instrument"] == F.FORM_AE)
    own = next(r for r in rows if r["record_id"] == ae["record_id"] and r["redcap_event_name"] == F.EVENT_SCREENING)
    other = next(r for r in rows if r["redcap_event_name"] == F.EVENT_SCREENING and r["record_id"] != ae["record_id"])
    term = f"Headache; {own['first_name']} {own['last_name']} MRN {own['mrn']}, call {other['phone']}"
    edit_export(shipped, lambda rows: next(r for r in rows if r["record_id"] == ae["record_id"]
                                           and r["redcap_repeat_instance"] == ae["redcap_repeat_instance"]
                                           and r["redcap_repeat_instrument"] == F.FORM_AE).update(ae_term=term))
    result = clean_folder(shipped)
    events = result.tables["adverse_events"]
    row = events[events["record_id"].eq(ae["record_id"]) & events["instance"].astype(str).eq(ae["redcap_repeat_instance"])]
    assert row["ae_term"].tolist() == [f"Headache; {REDACTED} MRN {REDACTED}, call {REDACTED}"]
    query = queries_of(result, "identifier_in_free_text")
    assert query[["record_id", "field", "value", "severity"]].values.tolist() == [
        [ae["record_id"], "ae_term", "", "error"]]
    assert "first_name, last_name, mrn, phone (this record and another record)" in query["message"].iloc[0]
    listing = result.queries.to_csv(index=False)
    assert not {own["first_name"], own["last_name"], own["mrn"]} & set(re.findall(r"\w+", listing))
    assert_accounted(result, shipped)


def test_a_name_typed_into_a_number_field_is_withheld_from_the_query(shipped):
    rows = export_rows(shipped)
    own = next(r for r in rows if r["redcap_event_name"] == F.EVENT_SCREENING and r["eligible"] == "1")
    edit_export(shipped, lambda rows: next(r for r in rows if r["record_id"] == own["record_id"]
                                           and r["redcap_event_name"] == F.EVENT_BASELINE).update(crp=own["last_name"]))
    result = clean_folder(shipped)
    query = queries_of(result, "invalid_number")
    assert query[["record_id", "field", "value"]].values.tolist() == [[own["record_id"], "crp", ""]]
    assert own["last_name"] not in query["message"].iloc[0] and REDACTED in query["message"].iloc[0]


def test_record_id_holding_the_mrn_stops_with_one_line(study, capsys):
    def mrn_as_record_id(rows):
        mrn = {r["record_id"]: r["mrn"] for r in rows if r["mrn"]}
        for row in rows:
            row["record_id"] = mrn[row["record_id"]]
    edit_export(study, mrn_as_record_id)
    message = structural_message(study, capsys)
    assert message.endswith("record_id equals identifier field mrn in 3 row(s); export with the study's own record ids")
    assert not re.search(r"\d{8}", message)


# ----------------------------------------------------------------------------- a labels export
def labels_export(study: Path) -> None:
    """The export as REDCap's "labels" option writes it: every coded value replaced by its dictionary label."""
    dictionary = read_dictionary(next((study / "redcap").glob("*DataDictionary*")))
    coded = {}
    for field, spec in dictionary.iterrows():
        if spec["type"] == "checkbox":
            coded.update({f"{field}___{code}": {"1": "Checked", "0": "Unchecked"} for code in spec["choices"]})
        elif spec["type"] in ("radio", "dropdown", "yesno"):
            coded[field] = spec["choices"]
    coded.update({f"{form}_complete": F.FORM_COMPLETE for form in F.FORM_FIELDS})

    def to_labels(rows):
        for row in rows:
            for column, choices in coded.items():
                if row.get(column):
                    row[column] = choices.get(row[column], row[column])
    edit_export(study, to_labels)


def test_labels_export_stops_with_one_line_saying_export_raw(study, capsys):
    labels_export(study)
    message = structural_message(study, capsys)
    assert re.fullmatch(rf"AID-HEART: redcap/{re.escape(export_path(study).name)}: a labels export \((\d+) of \1 "
                        r"coded values are choice labels, e\.g\. \w+ = '[^']+'\); export the raw data \(codes\) "
                        r"from REDCap", message)


def test_labels_export_with_label_headers_stops_with_one_line(study, capsys):
    path = export_path(study)
    header, _, rest = path.read_text(encoding="utf-8").partition("\n")
    header = header.replace("record_id", "Record ID").replace("redcap_event_name", "Event Name")
    path.write_text(f"{header}\n{rest}", encoding="utf-8")
    assert structural_message(study, capsys).endswith(
        "a labels export (column headers are field labels such as 'Event Name'); export the raw data (codes, "
        "variable names) from REDCap")


def test_a_few_labels_in_a_raw_export_are_invalid_choices(study):
    edit_export(study, lambda rows: first(rows, F.EVENT_SCREENING, "sex").update(sex="Female"))
    result = clean_folder(study)
    assert queries_of(result, "invalid_choice")[["field", "value"]].values.tolist() == [["sex", "Female"]]


# ----------------------------------------------------------------------------- monitor file names in other cases
def test_upper_case_extension_is_read_and_reconciled(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    renamed = target.with_suffix(".CSV")
    target.rename(renamed)
    result = clean_folder(study)
    assert not {"missing_monitor_file", "monitor_file_not_in_crf"} & set(result.queries["rule"])
    sessions = result.tables["challenge_sessions"]
    assert sessions.loc[sessions["monitor_file"].eq(target.name), "monitor_file_present"].tolist() == ["Y"]
    readings = result.tables["monitor_readings"]
    assert readings["monitor_file"].eq(renamed.name).sum() == len(renamed.read_text().splitlines()) - 6
    assert_accounted(result, study)


def test_whole_name_upper_case_is_read(study):
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    renamed = target.with_name(target.name.upper())
    target.rename(renamed)
    result = clean_folder(study)
    assert "missing_monitor_file" not in set(result.queries["rule"])
    readings = result.tables["monitor_readings"]
    assert set(readings.loc[readings["monitor_file"].eq(renamed.name), "event"]) == {F.EVENT_BASELINE}
    assert_accounted(result, study)


def test_the_same_session_in_two_cases_is_used_once(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    twin = target.with_suffix(".CSV")
    twin.write_bytes(target.read_bytes())
    result = clean_folder(study)
    query = queries_of(result, "monitor_duplicate_file")
    assert query[["field", "severity"]].values.tolist() == [[twin.name, "error"]]
    readings = result.tables["monitor_readings"]
    assert readings["monitor_file"].eq(twin.name).sum() == 0
    assert readings["monitor_file"].eq(target.name).sum() == len(target.read_text().splitlines()) - 6
    recon = result.reconciliation.set_index("source_file")
    assert recon.loc[f"monitor/{twin.name}", "reason"].startswith("monitor_duplicate_file: ")
    assert_accounted(result, study)


# ----------------------------------------------------------------------------- monitor timing
def test_times_going_backwards_are_flagged(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    moved = {}

    def clock_reset(header, readings):
        for i in (20, 21):  # two readings stamped ten minutes early (a clock reset)
            time, rest = readings[i].split(",", 1)
            readings[i] = f"{clock(seconds_of(time) - 600)},{rest}"
            moved[i] = readings[i].split(",")[0]
    rewrite_monitor(target, clock_reset)
    result = clean_folder(study)
    query = queries_of(result, "time_backwards")
    assert query[["field", "value", "source"]].values.tolist() == [[target.name, "2", f"monitor/{target.name}:27"]]
    assert all(time in query["message"].iloc[0] for time in moved.values())
    readings = result.tables["monitor_readings"]
    flagged = readings[readings["invalid_reason"].str.contains("time_backwards")]
    assert flagged["line"].tolist() == ["27", "28"] and set(flagged["valid"]) == {"N"}
    assert_accounted(result, study)


def test_readings_before_the_header_session_start_are_flagged(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))

    def later_start(header, readings):
        date, time = header[2].split(",")[1].split(" ")
        header[2] = f"Session start,{date} {clock(seconds_of(time) + 120)}"  # two readings precede it
    rewrite_monitor(target, later_start)
    result = clean_folder(study)
    query = queries_of(result, "before_session_start")
    assert query[["field", "value"]].values.tolist() == [[target.name, "2"]]
    readings = result.tables["monitor_readings"]
    assert readings["invalid_reason"].str.contains("before_session_start").sum() == 2


def test_readings_long_after_the_crf_end_are_queried(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))

    def keep_recording(header, readings):
        time, rest = readings[-1].split(",", 1)
        readings += [f"{clock(seconds_of(time) + 60 * k)},{rest}" for k in range(1, 61)]  # one more hour
    rewrite_monitor(target, keep_recording)
    result = clean_folder(study)
    query = queries_of(result, "reading_after_challenge_end")
    assert query[["field", "severity"]].values.tolist() == [[target.name, "warning"]]
    tolerance = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["challenge"][
        "monitor_start_tolerance_minutes"]
    assert int(query["value"].iloc[0]) in range(60 - tolerance - 2, 60 - tolerance + 1)
    assert "and " in query["message"].iloc[0] and " more;" in query["message"].iloc[0]  # the listing is capped


def test_a_sampling_interval_contradicting_the_header_is_queried(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    rewrite_monitor(target, lambda header, readings: header.__setitem__(3, "Sampling interval (s),5"))
    result = clean_folder(study)
    query = queries_of(result, "sampling_interval_mismatch")
    assert query[["field", "value"]].values.tolist() == [[target.name, "60"]]
    assert "header's sampling interval is 5 s" in query["message"].iloc[0]


def test_a_sampling_interval_that_is_not_a_number_is_queried(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    rewrite_monitor(target, lambda header, readings: header.__setitem__(3, "Sampling interval (s),0"))
    assert queries_of(clean_folder(study), "monitor_invalid_interval")["value"].tolist() == ["0"]


def test_monitor_timing_of_a_generated_study_raises_no_timing_query(small_study):
    timing = {"time_backwards", "before_session_start", "reading_after_challenge_end", "sampling_interval_mismatch",
              "monitor_invalid_interval"}
    assert not timing & set(clean_folder(small_study).queries["rule"])


def test_reordered_monitor_columns_are_named(study, capsys):
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    order = [0, 2, 1, 3, 4, 5]  # cardiac index before cardiac output

    def swap(header, readings):
        header[5] = ",".join(F.MONITOR_COLUMNS[i] for i in order)
        readings[:] = [",".join(line.split(",")[i] for i in order) for line in readings]
    rewrite_monitor(target, swap)
    assert structural_message(study, capsys) == (
        f"AID-HEART: monitor/{target.name}: not a monitor export (monitor columns in another order: found "
        "'time,ci_l_min_m2,co_l_min,sv_ml,hr_bpm,signal_quality_pct', expected "
        "'time,co_l_min,ci_l_min_m2,sv_ml,hr_bpm,signal_quality_pct')")


# ----------------------------------------------------------------------------- REDCap values and the cut-off
def test_datetime_with_seconds_is_queried_and_kept(study):
    edit_export(study, lambda rows: first(rows, F.EVENT_WEEK4, "ch_start_2").update(
        ch_start_2=first(rows, F.EVENT_WEEK4, "ch_start_2")["ch_start_2"] + ":30"))
    result = clean_folder(study)
    query = queries_of(result, "datetime_with_seconds")
    assert query[["field", "severity"]].values.tolist() == [["ch_start_2", "warning"]]
    assert query["value"].iloc[0].endswith(":30")
    steps = result.tables["challenge_steps"]
    step = steps[steps["event"].eq(F.EVENT_WEEK4) & steps["step"].eq(2)]
    assert {int(s) % 60 for s in step["start_clock_s"]} == {30}


def test_cutoff_after_the_export_date_warns_once(study, caplog):
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    export_day = dt.date.fromisoformat(F.EXPORT_FILE_PATTERN.match(export_path(study).name).group(1))
    config["cutoff_date"] = str(export_day + dt.timedelta(days=30))
    with caplog.at_level(logging.WARNING, logger="aidheart"):
        result = clean_folder(study, config)
    query = queries_of(result, "cutoff_after_export")
    assert query[["field", "value", "severity"]].values.tolist() == [["cutoff_date", config["cutoff_date"],
                                                                       "warning"]]
    warnings = [r.getMessage() for r in caplog.records if "is after the export date" in r.getMessage()]
    assert len(warnings) == 1 and str(export_day) in warnings[0]


def test_cutoff_on_the_export_date_does_not_warn(study):
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config["cutoff_date"] = F.EXPORT_FILE_PATTERN.match(export_path(study).name).group(1)
    assert queries_of(clean_folder(study, config), "cutoff_after_export").empty


# ----------------------------------------------------------------------------- the generator's command line
@pytest.mark.parametrize("subjects", ["0", "-3"])
def test_simulate_without_subjects_says_so_in_one_line(tmp_path, subjects):
    done = subprocess.run([sys.executable, "-m", "aidheart.cli", "simulate", "--subjects", subjects, "--out",
                           str(tmp_path / "out")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"aidheart simulate: --subjects {subjects}: at least 1 enrolled subject is needed; for a "
                           "study with no one enrolled yet, set cutoff_date before the first consent\n")
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- a long monitor file, streamed
def long_monitor_file(source: Path, target: Path, n_readings: int) -> None:
    """``source``'s header with ``n_readings`` one-second readings cycling through its values."""
    lines = source.read_text(encoding="utf-8").splitlines()
    values = [line.split(",", 1)[1] for line in lines[6:]]
    start = seconds_of(lines[2].split(" ")[-1])
    with open(target, "w", encoding="utf-8") as handle:
        handle.write("\n".join([*lines[:3], "Sampling interval (s),1", "", lines[5]]) + "\n")
        for i in range(n_readings):
            handle.write(f"{clock((start + i) % 86400)},{values[i % len(values)]}\n")


def run_monitor_job(study: Path, out: Path, files) -> tuple[subprocess.CompletedProcess, int]:
    """The monitor job's command line, in a fresh parent process that reports the job's peak RSS (kB)."""
    job = [sys.executable, "-m", "aidheart.ingest.monitor_job", "--data-dir", str(study), "--readings",
           str(out / "r.csv"), "--queries", str(out / "q.csv"), "--sessions", str(out / "s.csv"), "--log",
           str(out / "job.log"), "--signal-quality-min", "60", "--ci-range", "0.8", "6", "--hr-range", "30", "200",
           *map(str, files)]
    wrapper = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)")
    done = subprocess.run([sys.executable, "-c", wrapper, *job], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    return done, int(done.stdout.split()[-1])


def test_a_long_monitor_file_is_streamed(study, tmp_path):
    """300,000 readings: all written, in bounded memory (holding them all took about 400 MB)."""
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    long_monitor_file(target, target, 300_000)
    out = tmp_path / "out"
    done, peak_kb = run_monitor_job(study, out, [target])
    assert done.returncode == 0, done.stderr
    with open(out / "r.csv", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 300_001
    with open(out / "s.csv", encoding="utf-8") as handle:
        sessions = list(csv.DictReader(handle))
    assert [(s["lines_read"], s["readings_kept"]) for s in sessions] == [("300000", "300000")]
    assert peak_kb < 150_000


# ----------------------------------------------------------------------------- further hostile monitor files
def test_a_patient_name_line_in_the_monitor_header_is_not_copied(study, tmp_path):
    """Some devices write the patient's name in the header: it reaches no output of the job or the cleaning."""
    rows = export_rows(study)
    person = next(r for r in rows if r["redcap_event_name"] == F.EVENT_SCREENING and r["eligible"] == "1")
    target = next((study / "monitor").glob(f"{person['record_id']}_baseline_arm_1.csv"))
    name_line = f"Patient name,{person['last_name']}^{person['first_name']}"
    rewrite_monitor(target, lambda header, readings: (header.insert(2, name_line),
                                                      readings.insert(3, f"{name_line},MRN {person['mrn']}")))
    out = tmp_path / "out"
    done, _ = run_monitor_job(study, out, sorted((study / "monitor").glob("*.csv")))
    assert done.returncode == 0, done.stderr
    written = " ".join((out / name).read_text() for name in ("r.csv", "q.csv", "s.csv", "job.log"))
    result = clean_folder(study)
    written += result.queries.to_csv() + "".join(table.to_csv() for table in result.tables.values())
    assert not {person["last_name"], person["first_name"], person["mrn"]} & set(re.findall(r"[^\W_]+", written))
    query = queries_of(result, "malformed_reading")
    assert query["value"].tolist() == ["1"] and "first:" not in query["message"].iloc[0]
    assert_accounted(result, study)


def test_a_monitor_file_with_no_readings_is_reconciled(study):
    target = next((study / "monitor").glob("*_week_12_arm_1.csv"))
    rewrite_monitor(target, lambda header, readings: readings.clear())
    result = clean_folder(study)
    recon = result.reconciliation.set_index("source_file").loc[f"monitor/{target.name}"]
    assert recon[["rows_read", "rows_kept"]].tolist() == [0, 0]
    assert_accounted(result, study)


@pytest.mark.parametrize("content, fault", [
    (b"  \n\n \r\n", "the file is empty"),
    (b"\xef\xbb\xbf", "the file is empty"),
    (b"Device serial,S1\nPatient ID,1002\nSession start,2025-01-01 10:00:00\nSampling interval (s),60\n",
     "not a monitor export (no column header after the header block; expected "
     "'time,co_l_min,ci_l_min_m2,sv_ml,hr_bpm,signal_quality_pct')"),
])
def test_monitor_files_without_readings_part_stop_with_one_line(study, capsys, content, fault):
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    target.write_bytes(content)
    assert structural_message(study, capsys) == f"AID-HEART: monitor/{target.name}: {fault}"


def test_a_non_utf8_byte_deep_in_a_monitor_file_names_its_offset_and_writes_nothing(study, tmp_path):
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    data = target.read_bytes()
    offset = data.rindex(b"\n", 0, len(data) - 1) + 3
    target.write_bytes(data[:offset] + b"\xb5" + data[offset + 1:])
    out = tmp_path / "out"
    done, _ = run_monitor_job(study, out, [target])
    assert done.returncode == 1
    assert done.stderr == (f"AID-HEART: monitor/{target.name}: not UTF-8 text (byte {offset}; wrong encoding? "
                           "export as UTF-8)\n")
    assert sorted(p.name for p in out.iterdir()) == ["job.log"]


def test_old_mac_line_ends_in_a_monitor_file_are_read(study):
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    lines = target.read_text(encoding="utf-8").splitlines()
    target.write_bytes("\r".join(lines).encode() + b"\r")
    result = clean_folder(study)
    readings = result.tables["monitor_readings"]
    assert readings["monitor_file"].eq(target.name).sum() == len(lines) - 6
    assert not {"malformed_reading", "truncated_last_line"} & set(result.queries["rule"])


# ----------------------------------------------------------------------------- the same cases through the workflow
def assert_no_traceback(workdir: Path, done: subprocess.CompletedProcess) -> None:
    logs = [p for p in workdir.rglob("*") if p.is_file() and (p.suffix == ".log" or ".snakemake/log" in str(p))]
    assert logs
    for text in [done.stdout, done.stderr, *(p.read_text(errors="replace") for p in logs)]:
        assert "Traceback" not in text


def test_workflow_reads_and_reconciles_an_upper_case_monitor_file(tmp_path):
    """The workflow's file lists take the extension in any case; the file is in the reconciliation."""
    data = copy_study(SHIPPED_DATA, tmp_path / "raw")
    target = next((data / "monitor").glob("*_week_4_arm_1.csv"))
    target.rename(target.with_suffix(".CSV"))
    workdir = tmp_path / "work"
    workdir.mkdir()
    done = run_workflow(workdir, data, "--cores", "2", "results/qc/reconciliation.csv")
    recon = pd.read_csv(workdir / "results" / "qc" / "reconciliation.csv", dtype=str, keep_default_na=False)
    row = recon[recon["source_file"].eq(f"monitor/{target.stem}.CSV")]
    assert row[["rows_read", "rows_kept"]].values.tolist() == [[str(len(target.with_suffix(".CSV").read_text()
                                                                         .splitlines()) - 6)] * 2]
    queries = pd.read_csv(workdir / "results" / "interim" / "queries" / "clean.csv", dtype=str, keep_default_na=False)
    about = queries[queries["value"].str.lower().eq(target.name)]
    assert not about["rule"].isin(["missing_monitor_file", "monitor_file_not_in_crf"]).any()  # the planted one stays
    assert_no_traceback(workdir, done)


def test_workflow_stops_at_a_labels_export_with_one_line(tmp_path):
    data = copy_study(SHIPPED_DATA, tmp_path / "raw")
    labels_export(data)
    workdir = tmp_path / "work"
    workdir.mkdir()
    done = run_workflow(workdir, data, "--cores", "2", "results/qc/reconciliation.csv", check=False)
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("AID-HEART: ")]
    assert len(lines) == 1 and lines[0].endswith("export the raw data (codes) from REDCap")
    assert not (workdir / "results" / "interim" / "queries" / "clean.csv").exists()
    assert_no_traceback(workdir, done)

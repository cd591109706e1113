"""Malformed inputs: each gives the intended query or a one-line structural error, never a traceback.

A small clean study (2 subjects) is generated once; each test spoils a copy.
Structural faults are checked at the exception, at the message a rule script
prints (``AID-HEART: <file>: <fault>`` and exit status 1, through
:func:`aidheart.ingest.errors.exit_on_structure_error`), and for the monitor
job at its command line.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aidheart.ingest.errors import InputStructureError, exit_on_structure_error
from aidheart.simulate import write_study
from conftest import REPO, clean_folder, copy_study


@pytest.fixture(scope="module")
def small_study(tmp_path_factory) -> Path:
    return write_study(tmp_path_factory.mktemp("small") / "study", n_subjects=2, seed=5, mess=False)


@pytest.fixture
def study(small_study, tmp_path) -> Path:
    return copy_study(small_study, tmp_path / "data")


def export_path(study: Path) -> Path:
    return next((study / "redcap").glob("AIDHEART_DATA_*.csv"))


def edit_export(study: Path, edit) -> None:
    """Apply ``edit(rows)`` to the export's rows (list of dicts; header order kept; written without a BOM)."""
    path = export_path(study)
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    rows = list(reader)
    rows = edit(rows) or rows
    out = io.StringIO()
    columns = list(rows[0]) if rows else reader.fieldnames
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def first(rows, event, form_field):
    return next(row for row in rows if row["redcap_event_name"] == event and row[form_field])


def structural_message(study: Path, capsys) -> str:
    """What a rule script prints: one line on stderr, exit status 1."""
    with pytest.raises(SystemExit) as exit_info, exit_on_structure_error():
        clean_folder(study)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("AID-HEART: ") and "Traceback" not in err
    return err.strip()


def rules(result) -> set[tuple[str, str, str]]:
    q = result.queries
    return set(zip(q["rule"], q["field"], q["severity"]))


# ----------------------------------------------------------------------------- structural faults
def test_wrong_encoding(study, capsys):
    """An export saved as Latin-1 (an accented note)."""
    edit_export(study, lambda rows: rows[0].update(enrollment_notes="Refusé"))
    path = export_path(study)
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert re.fullmatch(rf"AID-HEART: redcap/{re.escape(path.name)}: not UTF-8 text \(byte \d+; wrong encoding\? "
                        r"export as UTF-8\)", structural_message(study, capsys))


def test_semicolon_delimiter(study, capsys):
    path = export_path(study)
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    message = structural_message(study, capsys)
    assert message == f"AID-HEART: redcap/{path.name}: semicolon-delimited; REDCap exports comma-separated CSV"


def test_missing_field_column(study, capsys):
    edit_export(study, lambda rows: [{k: v for k, v in row.items() if k != "visit_date"} for row in rows])
    assert structural_message(study, capsys).endswith(
        "required column 'visit_date' (dictionary field) is missing")


def test_missing_key_column(study, capsys):
    edit_export(study, lambda rows: [{k: v for k, v in row.items() if k != "redcap_event_name"} for row in rows])
    assert structural_message(study, capsys).endswith("required column 'redcap_event_name' is missing")


def test_empty_file(study, capsys):
    export_path(study).write_bytes(b"")
    assert structural_message(study, capsys).endswith(": the file is empty")


def test_empty_export_header_only(study, capsys):
    path = export_path(study)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert structural_message(study, capsys).endswith("the export has no records (header only)")


def test_not_a_csv(study, capsys):
    export_path(study).write_bytes(b"%PDF-1.7\n\x00\x01\x02binary\x00")
    assert structural_message(study, capsys).endswith("not a CSV text file (binary content)")


def test_ragged_row(study, capsys):
    path = export_path(study)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "line 3 has" in structural_message(study, capsys)


def test_no_dictionary(study, capsys):
    next((study / "redcap").glob("*DataDictionary*")).unlink()
    assert structural_message(study, capsys) == (
        r"AID-HEART: redcap: no data dictionary (AIDHEART_DataDictionary_(\d{4}-\d{2}-\d{2})\.csv) found")


def test_dictionary_missing_column(study, capsys):
    path = next((study / "redcap").glob("*DataDictionary*"))
    path.write_text(path.read_text(encoding="utf-8").replace("Field Type", "Type of field"), encoding="utf-8")
    assert structural_message(study, capsys).endswith("data dictionary column 'Field Type' is missing")


def test_monitor_file_not_a_monitor_export(study, capsys):
    target = next((study / "monitor").glob("*.csv"))
    target.write_text("name,value\na,1\n", encoding="utf-8")
    assert structural_message(study, capsys) == (
        f"AID-HEART: monitor/{target.name}: not a monitor export (the first line should start with 'Device serial')")


def test_monitor_empty_file(study, capsys):
    target = next((study / "monitor").glob("*.csv"))
    target.write_bytes(b"")
    assert structural_message(study, capsys) == f"AID-HEART: monitor/{target.name}: the file is empty"


def test_monitor_job_command_line_message(study, tmp_path):
    """The monitor job's own exit: one stderr line, status 1, no output files."""
    target = next((study / "monitor").glob("*.csv"))
    target.write_text("time,ci\n10:00:00,2.1\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-m", "aidheart.ingest.monitor_job", "--data-dir", str(study),
                           "--readings", str(out / "r.csv"), "--queries", str(out / "q.csv"),
                           "--sessions", str(out / "s.csv"), "--log", str(out / "job.log"),
                           "--signal-quality-min", "60", "--ci-range", "0.8", "6", "--hr-range", "30", "200",
                           str(target)], capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stderr == f"AID-HEART: monitor/{target.name}: not a monitor export (the first line should start " \
                          "with 'Device serial')\n"
    assert sorted(p.name for p in out.iterdir()) == ["job.log"]
    assert "AID-HEART" in (out / "job.log").read_text()


def test_structure_error_names_file_and_fault():
    error = InputStructureError("redcap/x.csv", "the file is empty")
    assert str(error) == "redcap/x.csv: the file is empty"


# ----------------------------------------------------------------------------- value faults -> queries
def test_non_numeric_in_numeric_field(study):
    edit_export(study, lambda rows: first(rows, "baseline_arm_1", "crp").update(crp="abc"))
    result = clean_folder(study)
    assert ("invalid_number", "crp", "error") in rules(result)
    assert "abc" not in set(result.tables["labs"]["value"])


def test_us_style_date(study):
    edit_export(study, lambda rows: first(rows, "baseline_arm_1", "lab_date").update(lab_date="13/31/2025"))
    result = clean_folder(study)
    query = result.queries[result.queries["rule"].eq("invalid_date")]
    assert query[["field", "value", "severity"]].values.tolist() == [["lab_date", "13/31/2025", "error"]]


def test_duplicate_rows(study):
    def duplicate(rows):
        index = rows.index(first(rows, "week_2_arm_1", "visit_date"))
        rows.insert(index + 1, dict(rows[index]))
    edit_export(study, duplicate)
    result = clean_folder(study)
    assert ("duplicate_row", "", "warning") in rules(result)
    recon = result.reconciliation
    file_line = recon[recon["level"].eq("file") & recon["form"].eq("(all forms)")]
    assert file_line[["rows_excluded", "reason"]].values.tolist() == [[1, "duplicate_row: 1"]]
    assert not recon["reason"].str.contains("duplicate_row").iloc[1:].any()  # counted once, at the file level


def test_conflicting_duplicate_key(study):
    def clash(rows):
        index = rows.index(first(rows, "week_2_arm_1", "visit_date"))
        rows.insert(index + 1, dict(rows[index], crp="99.9"))
    edit_export(study, clash)
    result = clean_folder(study)
    assert ("duplicate_key", "redcap_event_name", "error") in rules(result)


def test_event_redcap_would_not_export(study):
    edit_export(study, lambda rows: first(rows, "week_2_arm_1", "visit_date").update(redcap_event_name="week_3_arm_1"))
    result = clean_folder(study)
    assert ("unknown_event", "redcap_event_name", "error") in rules(result)
    assert "week_3_arm_1" not in set(result.tables["visits"]["event"])


def test_monitor_file_for_subject_not_in_export(study):
    source = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    (study / "monitor" / "9999_baseline_arm_1.csv").write_text(
        source.read_text().replace(f"Patient ID,{source.name.split('_')[0]}", "Patient ID,9999"))
    result = clean_folder(study)
    assert ("monitor_unknown_subject", "9999_baseline_arm_1.csv", "error") in rules(result)
    assert "9999" not in set(result.tables["monitor_readings"]["record_id"])
    recon = result.reconciliation.set_index("source_file")
    assert recon.loc["monitor/9999_baseline_arm_1.csv", "rows_kept"] == 0


def test_missing_monitor_file(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    target.unlink()
    result = clean_folder(study)
    assert ("missing_monitor_file", "ch_monitor_file", "error") in rules(result)
    sessions = result.tables["challenge_sessions"]
    assert sessions.loc[sessions["monitor_file"].eq(target.name), "monitor_file_present"].tolist() == ["N"]


def test_unknown_field_column(study):
    edit_export(study, lambda rows: [dict(row, favourite_colour="blue") for row in rows])
    result = clean_folder(study)
    assert ("unknown_field", "favourite_colour", "warning") in rules(result)


def test_invalid_choice_checkbox_and_complete_code(study):
    def spoil(rows):
        screening = first(rows, "screening_arm_1", "consent_date")
        screening.update(sex="3", race___2="2", enrollment_complete="5")
    edit_export(study, spoil)
    found = rules(clean_folder(study))
    assert {("invalid_choice", "sex", "error"), ("invalid_checkbox", "race___2", "error"),
            ("invalid_complete_code", "enrollment_complete", "warning")} <= found


def test_invalid_birth_date_is_queried_without_its_value(study):
    edit_export(study, lambda rows: first(rows, "screening_arm_1", "dob").update(dob="1950-02-30"))
    result = clean_folder(study)
    query = result.queries[result.queries["field"].eq("dob")]
    assert query[["rule", "value"]].values.tolist() == [["invalid_date", ""]]
    assert "1950-02-30" not in query["message"].iloc[0]
    assert result.tables["subjects"]["age"].isna().sum() == 1


def test_bad_repeat_instance(study):
    edit_export(study, lambda rows: next(r for r in rows if r["redcap_repeat_instrument"]).update(
        redcap_repeat_instance="x"))
    assert ("invalid_repeat_instance", "redcap_repeat_instance", "error") in rules(clean_folder(study))


def test_monitor_quirks_are_read(study):
    """BOM, CRLF, semicolons with decimal commas, a duplicated time and a cut last line."""
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    lines = target.read_text().splitlines()
    lines.insert(7, lines[6])  # the reading at line 7 appears twice
    text = "\r\n".join(line.replace(",", ";") if i < 6 else ";".join(v.replace(".", ",") for v in line.split(","))
                       for i, line in enumerate(lines))
    target.write_bytes(b"\xef\xbb\xbf" + text.encode()[:-3])
    result = clean_folder(study)
    found = rules(result)
    assert ("duplicate_time", target.name, "warning") in found
    assert ("truncated_last_line", target.name, "warning") in found
    readings = result.tables["monitor_readings"]
    session = readings[readings["monitor_file"].eq(target.name)]
    assert len(session) == len(lines) - 7
    assert session["ci"].str.contains(",").sum() == 0
    recon = result.reconciliation.set_index("source_file").loc[f"monitor/{target.name}"]
    assert recon[["rows_read", "rows_kept", "reason"]].tolist() == [len(lines) - 6, len(lines) - 7,
                                                                   "truncated_last_line: 1"]


def test_monitor_start_not_matching_the_crf(study):
    target = next((study / "monitor").glob("*_week_4_arm_1.csv"))
    lines = target.read_text().splitlines()
    date, clock = lines[2].split(",")[1].split(" ")
    lines[2] = f"Session start,{date} 05:00:00"
    target.write_text("\n".join(lines) + "\n")
    result = clean_folder(study)
    assert ("monitor_start_mismatch", target.name, "warning") in rules(result)


def test_monitor_patient_id_mismatch(study):
    """An error at the header line; the readings are not used, and the challenge table says why; the header's
    value is never copied (a device may hold an MRN there)."""
    target = next((study / "monitor").glob("*_baseline_arm_1.csv"))
    record_id = target.name.split("_")[0]
    target.write_text(target.read_text().replace(f"Patient ID,{record_id}", "Patient ID,4242"))
    result = clean_folder(study)
    query = result.queries[result.queries["rule"].eq("monitor_patient_id_mismatch")]
    assert query[["record_id", "field", "value", "severity", "source"]].values.tolist() == [
        [record_id, target.name, "", "error", f"monitor/{target.name}:2"]]
    assert "4242" not in query["message"].iloc[0]
    assert target.name not in set(result.tables["monitor_readings"]["monitor_file"])
    sessions = result.tables["challenge_sessions"].set_index("monitor_file")
    assert sessions.loc[target.name, ["monitor_file_present", "monitor_file_excluded"]].tolist() == [
        "Y", "its header names another patient"]
    recon = result.reconciliation.set_index("source_file").loc[f"monitor/{target.name}"]
    assert recon["rows_kept"] == 0 and recon["reason"] == f"monitor_patient_id_mismatch: {recon['rows_read']}"

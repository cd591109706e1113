"""The study team's one query listing: stable IDs, categories, owner forms and status against a previous listing."""

from __future__ import annotations

import csv
import hashlib
import io
import re

import pandas as pd
import pytest

from aidheart.clean.listing import (
    LISTING_COLUMNS, build_listing, category, query_ids, read_previous_listing,
)
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.queries import QUERY_COLUMNS
from conftest import SHIPPED_DATA, clean_folder, copy_study
from test_ingest_malformed import edit_export, export_path

EXPORT = "redcap/AIDHEART_DATA_2026-05-24_1048.csv"


def queries(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{column: row.get(column, "") for column in QUERY_COLUMNS} for row in rows])


CRP = dict(record_id="1002", event="week_4_arm_1", form="labs", field="crp", value="-1", rule="impossible_value",
           severity="error", source=f"{EXPORT}:18", message="crp = '-1' is impossible")


def test_the_id_is_a_hash_of_the_place_and_rule_not_of_the_value_or_line():
    first = build_listing([queries(CRP)])
    moved = build_listing([queries(dict(CRP, value="-2", source=f"{EXPORT}:90", message="crp = '-2'"))])
    assert first["query_id"].tolist() == moved["query_id"].tolist()
    # the digest of "1002|week_4_arm_1|labs|crp||impossible_value" joined by the unit separator, by hashlib itself
    expected = hashlib.sha256("\x1f".join(["1002", "week_4_arm_1", "labs", "crp", "", "impossible_value"])
                              .encode()).hexdigest()[:10]
    assert first.loc[0, "query_id"] == f"Q{expected}"
    other = build_listing([queries(dict(CRP, field="anc")), queries(dict(CRP, rule="out_of_range"))])
    assert other["query_id"].nunique() == 2 and first.loc[0, "query_id"] not in set(other["query_id"])


def test_ids_that_clash_in_their_first_digits_get_longer_until_they_differ():
    keys = [(str(n),) for n in range(40)]
    short = query_ids(keys, digits=1)  # 40 keys in 16 hex digits: clashes are certain
    assert len(set(short)) == 40
    assert any(len(identifier) > 2 for identifier in short)
    lone = query_ids([("7",)], digits=1)
    assert lone == [f"Q{hashlib.sha256(b'7').hexdigest()[:1]}"]


def test_rows_of_one_key_are_one_query_with_every_source():
    clash = dict(record_id="1002", event="week_2_arm_1", field="redcap_event_name", value="week_2_arm_1",
                 rule="duplicate_key", severity="error", message="two rows with the same record differ")
    listing = build_listing([queries(dict(clash, source=f"{EXPORT}:12"), dict(clash, source=f"{EXPORT}:13"))])
    assert len(listing) == 1
    assert listing.loc[0, "source"] == f"{EXPORT}:12; {EXPORT}:13"
    assert listing.loc[0, "message"].endswith("(2 rows)") and listing.loc[0, "value"] == "week_2_arm_1"


def test_device_and_derivation_findings_are_notes_and_monitor_queries_belong_to_the_challenge_form():
    assert [category(rule) for rule in ("low_signal_quality", "artefact_reading", "challenge_step_not_usable",
                                        "inosens_not_derived", "monitor_patient_id_mismatch", "missing_monitor_file",
                                        "ae_action_after_last_dose", "missed_visit")] == [
        "note", "note", "note", "note", "actionable", "actionable", "actionable", "actionable"]
    monitor = dict(record_id="1022", event="week_16_arm_1", form="monitor", field="1022_week_16_arm_1.csv",
                   rule="monitor_patient_id_mismatch", severity="error", source="monitor/1022_week_16_arm_1.csv:2")
    listing = build_listing([queries(monitor, dict(rule="unknown_field", field="x", severity="warning"))])
    assert listing[["form", "owner_form"]].values.tolist() == [["monitor", "inotrope_challenge"], ["", ""]]
    assert list(listing.columns) == list(LISTING_COLUMNS) and listing["status"].eq("").all()


def test_a_previous_listing_that_is_none_is_named_in_one_line(tmp_path):
    with pytest.raises(InputStructureError, match="^old.csv: the previous query listing .* does not exist$"):
        read_previous_listing(tmp_path / "absent.csv", "old.csv")
    (tmp_path / "other.csv").write_text("record_id,rule\n1002,x\n")
    with pytest.raises(InputStructureError, match="is not a query listing of this pipeline .no column query_id"):
        read_previous_listing(tmp_path / "other.csv", "other.csv")


# -------------------------------------------------------------- status across two exports of the shipped study
def _fix_one_fault_add_one_and_move_every_row(rows):
    """The site corrects KCCQ 140 of 1008 at week 8, types a negative CRP for 1010 at week 2, and the export
    comes in another row order (REDCap's order is not a key): every line number moves."""
    kccq = next(r for r in rows if r["record_id"] == "1008" and r["redcap_event_name"] == "week_8_arm_1"
                and r["kccq_os"] == "140")
    kccq["kccq_os"] = "42.3"
    crp = next(r for r in rows if r["record_id"] == "1010" and r["redcap_event_name"] == "week_2_arm_1" and r["crp"])
    crp["crp"] = "-3.2"
    return rows[1:] + rows[:1]


@pytest.fixture(scope="module")
def two_exports(tmp_path_factory):
    first = copy_study(SHIPPED_DATA, tmp_path_factory.mktemp("first") / "data")
    second = copy_study(SHIPPED_DATA, tmp_path_factory.mktemp("second") / "data")
    edit_export(second, _fix_one_fault_add_one_and_move_every_row)
    before = build_listing([clean_folder(first).queries])
    after = build_listing([clean_folder(second).queries], previous=before)
    return before, after, second


def test_a_fixed_fault_is_resolved_a_new_one_is_new_and_the_rest_stay_open_under_their_ids(two_exports):
    before, after, _ = two_exports
    status = after.set_index("query_id")["status"]
    kccq = before[(before["record_id"] == "1008") & (before["field"] == "kccq_os")]["query_id"].tolist()
    assert len(kccq) == 1 and status[kccq[0]] == "resolved"
    new = after[after["status"] == "new"]
    assert new[["record_id", "event", "field", "rule"]].values.tolist() == [
        ["1010", "week_2_arm_1", "crp", "impossible_value"]]
    still = after[after["status"] == "still open"]
    assert set(still["query_id"]) == set(before["query_id"]) - set(kccq)
    moved = still.merge(before, on="query_id", suffixes=("", "_before"))
    assert (moved["source"] != moved["source_before"]).sum() > 10  # lines moved, the IDs stayed
    resolved = after[after["status"] == "resolved"]
    assert resolved.drop(columns="status").reset_index(drop=True).equals(
        before[before["query_id"].isin(kccq)].drop(columns="status").reset_index(drop=True))


def test_a_resolved_line_is_not_carried_into_the_next_comparison(two_exports):
    _, after, _ = two_exports
    again = build_listing([after[after["status"] != "resolved"].drop(
        columns=["query_id", "status", "category", "owner_form"])], previous=after)
    assert "resolved" not in set(again["status"]) and (again["status"] == "still open").all()


def test_the_moved_export_really_has_other_line_numbers(two_exports):
    """The second export is the first in another row order: the first data row is now the last."""
    _, _, second = two_exports
    rows = list(csv.DictReader(io.StringIO(export_path(second).read_text(encoding="utf-8-sig"))))
    assert rows[-1]["record_id"] == "1001" and rows[0]["record_id"] != "1001"


# -------------------------------------------------------------- the workflow with a previous listing configured
def queries_config(folder, previous) -> str:
    """A config file that overrides the ``queries`` keys (Snakemake merges it over config/config.yaml)."""
    path = folder / "queries.yaml"
    path.write_text(f'queries:\n  previous_listing: "{previous}"\n  ae_action_grace_days: 1\n')
    return path

def test_the_workflow_marks_status_against_the_configured_previous_listing(shipped_run, tmp_path):
    """Only the listing and the data-quality report re-run (the run record and the analysis report do not hold
    the previous listing); the data-quality report shows the status the CSV holds."""
    import shutil

    from conftest import run_workflow

    workdir = tmp_path / "rerun"
    shutil.copytree(shipped_run, workdir, symlinks=True)
    current = pd.read_csv(workdir / "results/qc/queries.csv", dtype=str, keep_default_na=False)
    previous = pd.concat([current.iloc[1:], current.iloc[:1].assign(query_id="Qgone", rule="out_of_range")])
    previous.to_csv(tmp_path / "previous.csv", index=False)
    done = run_workflow(workdir, SHIPPED_DATA, "--cores", "2", "--configfile",
                        str(queries_config(tmp_path, tmp_path / "previous.csv")))
    ran = set(re.findall(r"localrule (\w+):|rule (\w+):", done.stdout + done.stderr))
    rules = {name for pair in ran for name in pair if name} - {"all"}
    assert rules == {"query_listing", "render_data_quality"}
    listing = pd.read_csv(workdir / "results/qc/queries.csv", dtype=str, keep_default_na=False)
    assert listing.loc[listing["query_id"] == current.loc[0, "query_id"], "status"].tolist() == ["new"]
    assert listing.loc[listing["query_id"] == "Qgone", "status"].tolist() == ["resolved"]
    assert (listing["status"] == "still open").sum() == len(current) - 1
    html = (workdir / "results/reports/data_quality.html").read_text(encoding="utf-8")
    assert "Listing lines by status against the previous listing" in html and "Resolved since the previous" in html


def test_a_previous_listing_that_does_not_exist_stops_the_workflow_in_one_line(tmp_path):
    from conftest import run_workflow

    done = run_workflow(tmp_path, SHIPPED_DATA, "-n", "--configfile", str(queries_config(tmp_path, "no/such/listing.csv")),
                        check=False)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("AID-HEART: ")]
    assert done.returncode != 0
    assert lines == ["AID-HEART: config key 'queries.previous_listing': no/such/listing.csv is not a file"]

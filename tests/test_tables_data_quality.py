"""Data-quality tables, the reproducibility appendix, and verbatim Markdown display."""

import hashlib
import re

import pandas as pd

from aidheart.tables.markdown import column_alignment, show_table
from aidheart.tables.provenance import config_table, input_files_table, run_table
from aidheart.tables.data_quality import (
    by_form_rule, by_severity, by_status, by_subject, has_status, notes, notes_by_rule, open_queries, query_listing,
    reconciliation_table, reconciliation_totals, resolved, shown_source,
)

EXPORT = "redcap/AIDHEART_DATA_2026-05-24_1048.csv"
#: A listing as rule query_listing writes it: two actionable queries, one device note, one resolved query.
LISTING = pd.DataFrame({
    "query_id": ["Q1", "Q2", "Q3", "Q4"], "status": ["new", "still open", "new", "resolved"],
    "category": ["actionable", "actionable", "note", "actionable"],
    "record_id": ["1002", "1003", "1003", "1004"], "event": ["baseline_arm_1", "week_4_arm_1", "week_4_arm_1", ""],
    "form": ["labs", "", "monitor", "labs"], "owner_form": ["labs", "", "inotrope_challenge", "labs"],
    "field": ["crp", "", "1003_week_4_arm_1.csv", "anc"], "instance": ["", "", "", "2"],
    "value": ["-1", "", "2", "99"], "rule": ["impossible_value", "duplicate_row", "low_signal_quality", "out_of_range"],
    "severity": ["error", "warning", "warning", "error"],
    "source": [f"{EXPORT}:18", f"{EXPORT}:20; {EXPORT}:21", "monitor/1003_week_4_arm_1.csv:35", f"{EXPORT}:9"],
    "message": ["crp = '-1' | impossible", "the whole row appears twice", "2 reading(s) invalid", "anc high"],
})


def test_the_listing_splits_into_open_queries_notes_and_resolved():
    assert open_queries(LISTING)["query_id"].tolist() == ["Q1", "Q2"]
    assert notes(LISTING)["query_id"].tolist() == ["Q3"]
    assert resolved(LISTING)["query_id"].tolist() == ["Q4"]
    assert has_status(LISTING) and not has_status(LISTING.assign(status=""))


def test_summaries_by_severity_owner_form_and_subject():
    actionable = open_queries(LISTING)
    assert by_severity(actionable).values.tolist() == [["error", 1, 1], ["warning", 1, 1]]
    assert by_form_rule(actionable)[["Form", "Rule"]].values.tolist() == [["(whole record)", "duplicate_row"],
                                                                         ["labs", "impossible_value"]]
    assert by_subject(actionable).values.tolist() == [["1002", 1, 1, 0, "labs"], ["1003", 1, 0, 1, "(whole record)"]]


def test_notes_and_status_counts():
    assert notes_by_rule(notes(LISTING)).values.tolist() == [["low_signal_quality", 1, 1, 1]]
    assert by_status(LISTING).values.tolist() == [["new", 1, 1, 2], ["still open", 1, 0, 1], ["resolved", 1, 0, 1]]


def test_listing_shows_cells_as_recorded_with_the_source_line():
    listing = query_listing(open_queries(LISTING), with_status=True)
    assert list(listing.columns) == ["Query (source)", "Status", "Subject", "Event · form · field", "Severity",
                                     "Rule: message"]
    assert listing.loc[0].tolist() == ["Q1 (export:18)", "new", "1002", "baseline_arm_1 · labs · crp = -1", "error",
                                       "impossible_value: crp = '-1' / impossible"]
    assert listing.loc[1, "Query (source)"] == "Q2 (export:20; export:21)"
    shown = query_listing(notes(LISTING), with_severity=False)
    assert list(shown.columns) == ["Query (source)", "Subject", "Event · form · field", "Rule: message"]
    assert shown.loc[0, "Event · form · field"] == "week_4_arm_1 · monitor · 1003_week_4_arm_1.csv"  # a count: no value
    assert query_listing(resolved(LISTING)).loc[0, "Event · form · field"] == "labs · anc #2 = 99"
    assert shown_source("adam/adeff.csv") == "adam/adeff.csv" and shown_source(EXPORT) == "export"


def test_reconciliation_checks_read_equals_kept_plus_excluded_and_totals_count_each_row_once():
    rows = pd.DataFrame({"source_file": [EXPORT, EXPORT, "monitor/y.csv"], "level": ["file", "form", "file"],
                         "form": ["(all forms)", "labs", "monitor"], "rows_read": [10, 8, 5],
                         "rows_kept": [9, 8, 5], "rows_excluded": [1, 0, 1], "reason": ["dup", None, None]})
    assert reconciliation_table(rows, "file")["Balanced"].tolist() == ["yes", "NO"]
    assert reconciliation_table(rows, "form")["Form"].tolist() == ["labs"]
    # files that kept every row, one row per folder after those that lost one
    complete = pd.DataFrame({"source_file": ["monitor/a.csv", "monitor/b.csv", "monitor/c.csv"], "level": "file",
                             "form": "monitor", "rows_read": [3, 4, 5], "rows_kept": [3, 4, 4],
                             "rows_excluded": [0, 0, 1], "reason": [None, None, "bad: 1"]})
    collapsed = reconciliation_table(complete, "file", collapse_complete=True)
    assert collapsed["File"].tolist() == ["monitor/c.csv", "monitor/: 2 files, every row kept"]
    assert collapsed[["Read", "Kept", "Excluded"]].sum().tolist() == [12, 11, 1]
    totals = reconciliation_totals(rows).set_index("Source")
    assert totals.loc["REDCap export", ["Files", "Read", "Kept", "Excluded"]].tolist() == [1, 10, 9, 1]


def test_provenance_tables():
    info = {"code_revision": "abc", "code_dirty": False, "cutoff_date": "2026-05-24", "cutoff_source": "export",
            "config": {"a": {"b": [1, 2]}, "c": "x|y", "d": ""}}
    assert run_table(info)["Value"].tolist() == ["abc", "no", "2026-05-24, the export date (no cut-off configured)"]
    assert config_table(info).values.tolist() == [["a.b", "[1, 2]"], ["c", "x\\|y"], ["d", "(empty)"]]
    manifest = pd.DataFrame({"file": ["z.csv", "a.csv"], "bytes": [2, 1], "sha256": ["f" * 64, "0" * 64]})
    assert input_files_table(manifest)["File"].tolist() == ["a.csv", "z.csv"]


def test_input_files_of_a_folder_as_one_digest_of_their_manifest_lines():
    manifest = pd.DataFrame({"file": ["monitor/b.csv", "redcap/x.csv", "monitor/a.csv"], "bytes": [20, 5, 10],
                             "sha256": ["b" * 64, "e" * 64, "a" * 64]})
    table = input_files_table(manifest, by_folder=("monitor",))
    assert table.values.tolist()[0][:2] == ["monitor/ (2 files)", "30"]
    assert table["File"].tolist()[1] == "redcap/x.csv"
    # the digest of the manifest's CSV lines of the folder, sorted: what `LC_ALL=C sort | sha256sum` gives
    lines = f"monitor/a.csv,10,{'a' * 64}\nmonitor/b.csv,20,{'b' * 64}\n"
    assert table["SHA-256"].iloc[0] == hashlib.sha256(lines.encode()).hexdigest()


def test_show_table_keeps_text_verbatim_and_right_aligns_numbers():
    frame = pd.DataFrame({"df": ["49.0", "48.1"], "p": ["<0.001", "0.020"], "label": ["a", "b"]})
    assert column_alignment(frame) == ["right", "right", "left"]
    text = show_table(frame).data
    assert "49.0" in text and "0.020" in text
    assert re.fullmatch(r"\|-+:\|-+:\|:-+\|", text.splitlines()[1])  # right, right, left

"""Data-quality tables, the reproducibility appendix, and verbatim Markdown display."""

import re

import pandas as pd

from aidheart.tables.markdown import column_alignment, show_table
from aidheart.tables.provenance import NO_CUTOFF, config_table, cutoff_text, input_files_table, run_table
from aidheart.tables.data_quality import (
    by_form_rule, by_severity, by_subject, combine_queries, query_listing, reconciliation_table,
)

QUERIES = pd.DataFrame({
    "record_id": ["1002", "1003", "1003"], "event": ["baseline_arm_1", "week_4_arm_1", ""],
    "form": ["labs", "labs", "monitor"], "field": ["crp", "anc", "x.csv"], "instance": ["", "", ""],
    "value": ["-1", "99", "2"], "rule": ["impossible_value", "out_of_range", "low_signal_quality"],
    "severity": ["error", "warning", "warning"], "source": ["a", "b", "c"], "message": ["m|1", "m2", "m3"],
})


def test_summaries_by_severity_form_and_subject():
    listing = combine_queries({"cleaning": QUERIES})
    assert by_severity(listing).values.tolist() == [["error", 1, 1], ["warning", 2, 1]]
    assert by_form_rule(listing)["Rule"].tolist() == ["impossible_value", "out_of_range", "low_signal_quality"]
    subjects = by_subject(listing)
    assert subjects.loc[0].tolist() == ["1003", 2, 0, 2, "labs, monitor"]
    whole = combine_queries({"cleaning": QUERIES.assign(form=["", "labs", "monitor"])})
    assert by_form_rule(whole)["Form"].tolist()[0] == "(whole record)"


def test_listing_is_sorted_and_pipe_safe():
    listing = query_listing(combine_queries({"cleaning": QUERIES}))
    assert listing["Subject"].tolist() == ["1002", "1003", "1003"]
    assert listing.loc[0, "Message"] == "m/\u200b1"
    assert listing.loc[0, "Event · form · field"].replace("\u200b", "") == "baseline_arm_1 · labs · crp"
    assert listing.loc[1, "Event · form · field"].replace("\u200b", "") == "monitor · x.csv"
    assert listing.loc[0, "Value"] == "-1"


def test_reconciliation_checks_read_equals_kept_plus_excluded():
    rows = pd.DataFrame({"source_file": ["redcap/x.csv", "monitor/y.csv"], "form": ["labs", "monitor"],
                         "rows_read": [10, 5], "rows_kept": [9, 5], "rows_excluded": [1, 1], "reason": ["dup", None]})
    assert reconciliation_table(rows)["Balanced"].tolist() == ["yes", "NO"]


def test_provenance_tables():
    assert cutoff_text("") == NO_CUTOFF and cutoff_text("2025-03-01") == "2025-03-01"
    info = {"code_revision": "abc", "code_dirty": False, "cutoff_date": "",
            "config": {"a": {"b": [1, 2]}, "c": "x|y", "d": ""}}
    assert run_table(info)["Value"].tolist() == ["abc", "no", NO_CUTOFF]
    assert config_table(info).values.tolist() == [["a.b", "[1, 2]"], ["c", "x\\|y"], ["d", "(empty)"]]
    manifest = pd.DataFrame({"file": ["z.csv", "a.csv"], "bytes": [2, 1], "sha256": ["f" * 64, "0" * 64]})
    assert input_files_table(manifest)["File"].tolist() == ["a.csv", "z.csv"]


def test_show_table_keeps_text_verbatim_and_right_aligns_numbers():
    frame = pd.DataFrame({"df": ["49.0", "48.1"], "p": ["<0.001", "0.020"], "label": ["a", "b"]})
    assert column_alignment(frame) == ["right", "right", "left"]
    text = show_table(frame).data
    assert "49.0" in text and "0.020" in text
    assert re.fullmatch(r"\|-+:\|-+:\|:-+\|", text.splitlines()[1])  # right, right, left

"""The data-quality report as the pipeline renders it: its counts are the listing's, its text is the data's.

The listing CSV is read with the csv module; the report's numbers are read from the rendered HTML tables
and sentences.
"""

from __future__ import annotations

import csv
import re
import subprocess
from collections import Counter

import pytest

from test_report_workflow import _text, table_rows

#: Characters that would make a copied field name differ from REDCap's: zero-width space, word joiner,
#: soft hyphen, zero-width non-joiner and joiner, byte-order mark inside a text.
INVISIBLE = re.compile("[\u200b\u2060\u00ad\u200c\u200d\ufeff]")
#: Typst's table of contents joins its dotted leader to the page number with a word joiner: no name is there.
CONTENTS_LEADER = re.compile("(?: ?\\.)+ ?\u2060(?=\\d)")


@pytest.fixture(scope="module")
def listing(shipped_run):
    with open(shipped_run / "results" / "qc" / "queries.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def html(shipped_run):
    return (shipped_run / "results" / "reports" / "data_quality.html").read_text(encoding="utf-8")


def test_the_summary_sentence_gives_the_listing_s_counts(listing, html):
    actionable = [row for row in listing if row["category"] == "actionable"]
    notes = [row for row in listing if row["category"] == "note"]
    assert len(actionable) + len(notes) == len(listing)
    errors = sum(row["severity"] == "error" for row in actionable)
    text = _text(html)
    assert (f"holds {len(actionable)} actionable queries ({errors} errors, {len(actionable) - errors} warnings) on "
            f"{len({row['record_id'] for row in actionable})} subjects") in text
    assert f"{len(notes)} device and derivation notes on {len({row['record_id'] for row in notes})} subjects" in text


def test_tables_count_what_the_listing_holds(listing, html):
    actionable = [row for row in listing if row["category"] == "actionable"]
    severity = {row[0]: int(row[1]) for row in table_rows(html, "Actionable queries by severity")[1:]}
    assert severity == dict(Counter(row["severity"] for row in actionable))
    by_rule = table_rows(html, "Actionable queries by the form that owns them")[1:]
    assert sum(int(row[3]) for row in by_rule) == len(actionable)
    assert {row[1] for row in by_rule} == {row["rule"] for row in actionable}
    subjects = table_rows(html, "Actionable queries by subject")[1:]
    assert {row[0]: int(row[1]) for row in subjects} == dict(Counter(row["record_id"] for row in actionable))
    notes = table_rows(html, "Device and derivation notes by rule")[1:]
    assert {row[0]: int(row[1]) for row in notes} == dict(Counter(r["rule"] for r in listing if r["category"] == "note"))


def test_each_listing_table_lists_its_category_once_with_the_listing_s_ids(listing, html):
    shown = table_rows(html, "Query listing: actionable queries")[1:]
    ids = [row[0].split(" ")[0] for row in shown]
    assert ids == [row["query_id"] for row in listing if row["category"] == "actionable"]
    notes = table_rows(html, "Notes listing: device and derivation notes")[1:]
    assert [row[0].split(" ")[0] for row in notes] == [r["query_id"] for r in listing if r["category"] == "note"]


def test_device_notes_are_apart_from_actionable_queries(listing):
    by_rule = {row["rule"]: row["category"] for row in listing}
    assert by_rule["low_signal_quality"] == by_rule["artefact_reading"] == "note"
    assert by_rule["monitor_patient_id_mismatch"] == by_rule["missed_visit"] == "actionable"


def test_no_status_column_without_a_previous_listing(listing, html):
    assert all(row["status"] == "" for row in listing)
    header = table_rows(html, "Query listing: actionable queries")[0]
    assert "Status" not in header and "no query has a status yet" in _text(html)


def test_no_output_holds_characters_that_change_a_copied_name(shipped_run):
    """Field names, events and files wrap by layout, never by an inserted character (CSV, HTML, PDF text)."""
    results = shipped_run / "results"
    found = []
    for path in sorted(results.rglob("*")):
        if path.suffix in (".csv", ".html", ".json", ".svg", ".txt"):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".csv":
                text = text.removeprefix("\ufeff")
        elif path.suffix == ".pdf":
            text = CONTENTS_LEADER.sub("", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                                          capture_output=True, text=True, check=True).stdout)
        else:
            continue
        if INVISIBLE.search(text):
            found.append(path.relative_to(results))
    assert found == []


def test_a_field_name_in_the_pdf_listing_is_the_field_name(shipped_run, listing):
    """The PDF wraps ``week_16_arm_1`` and file names at ``_``; the text still holds them unbroken, less line ends."""
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", str(shipped_run / "results/reports/data_quality.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    joined = re.sub(r"_\n", "_", pdf)
    for row in listing:
        assert row["query_id"] in pdf, row["query_id"]
    assert all(row["field"] in joined for row in listing if row["field"]), [
        row["field"] for row in listing if row["field"] and row["field"] not in joined]

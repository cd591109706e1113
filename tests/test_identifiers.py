"""No identifier value of the raw export reaches any file the pipeline writes.

Identifier values are read from the raw export itself (fields with
``Identifier? = y`` in its dictionary). Dates of birth are searched in the
common written forms, phone numbers with and without punctuation. Single name
words that are also words of the format contract's choice labels (the last
name "White" is also a race category) are searched only as part of the full
name; every other name is searched as a whole word. PDFs are searched in
their text (``pdftotext``), every other file in its bytes.

Two runs are scanned: the shipped study as it is, and a copy in which a
subject's own name, MRN, birth date and another record's phone are typed into
an AE verbatim term, a name into a lab value and a "Patient name" line into a
monitor file's header (what a site or a device can do).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess

import pytest

from aidheart import formats as F
from aidheart.clean.identifier_scan import REDACTED
from conftest import SHIPPED_DATA, copy_study, run_workflow


def _export_rows(folder=SHIPPED_DATA):
    path = next((folder / "redcap").glob("AIDHEART_DATA_*.csv"))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _label_words() -> set[str]:
    words = set()
    for value in vars(F).values():
        if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            for label in value.values():
                words |= set(re.findall(r"[A-Za-z]+", label))
    return words


def _date_forms(text: str) -> list[str]:
    day = dt.date.fromisoformat(text)
    return [text, day.strftime("%m/%d/%Y"), day.strftime("%d/%m/%Y"), day.strftime("%Y%m%d"),
            day.strftime("%d.%m.%Y"), f"{day.month}/{day.day}/{day.year}", day.strftime("%d-%b-%Y"),
            day.strftime("%b %d, %Y")]


def _phone_forms(text: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return [text, digits, f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}", f"({area}){exchange}-{line}",
            f"{area} {exchange} {line}", f"+1{digits}", f"{exchange}-{line}"]


def identifier_needles() -> set[str]:
    """Every identifier value of the raw export, in the written forms searched for."""
    rows = [row for row in _export_rows() if row["redcap_event_name"] == F.EVENT_SCREENING]
    assert rows, "the shipped export has no screening rows"
    common = _label_words()
    needles = set()
    for row in rows:
        needles |= {f"{row['first_name']} {row['last_name']}", f"{row['last_name']}, {row['first_name']}",
                    row["mrn"], *_date_forms(row["dob"]), *_phone_forms(row["phone"])}
        needles |= {name for name in (row["first_name"], row["last_name"]) if name not in common}
    return {needle for needle in needles if needle}


def leaks(text: str, needles: set[str]) -> set[str]:
    """Needles in ``text``: a single word or number as a whole token, anything else as a substring."""
    tokens = set(re.findall(r"[A-Za-z]+|\d+", text))
    return {needle for needle in needles
            if (needle in tokens if re.fullmatch(r"[A-Za-z]+|\d+", needle) else needle in text)}


def written_files(workdir):
    return [path for path in workdir.rglob("*") if path.is_file()]


def file_text(path) -> str:
    """The text of a written file: a PDF's extracted text, else its bytes as UTF-8."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return path.read_bytes().decode("utf-8", errors="replace")


def leaks_in(workdir, needles) -> list[tuple[str, str]]:
    """(file, needle) for every identifier needle found in a file written under ``workdir``."""
    return [(path.relative_to(workdir).as_posix(), needle) for path in written_files(workdir)
            for needle in sorted(leaks(file_text(path), needles))]


def test_identifier_patterns_are_complete():
    """The search covers every screened subject's five identifiers (guards against an empty scan)."""
    needles = identifier_needles()
    assert len(needles) >= 29 * (2 + 1 + 8 + 7)


def test_no_identifier_in_any_written_file(shipped_run):
    files = written_files(shipped_run)
    assert any(path.match("results/clean/subjects.csv") for path in files)
    assert any(".snakemake/log" in path.as_posix() for path in files)
    assert any(path.match("results/reports/dsmb.pdf") for path in files)
    assert leaks_in(shipped_run, identifier_needles()) == []


def _plant(rows: list[dict], person: dict, other: dict) -> str:
    """Type the identifiers into an AE term of ``person`` (a treatment-emergent one) and into a lab value."""
    ae = next(r for r in rows if r["record_id"] == person["record_id"]
              and r["redcap_repeat_instrument"] == F.FORM_AE and r["ae_grade"])
    ae["ae_term"] = (f"{ae['ae_term']}; told {person['first_name']} {person['last_name']} (MRN {person['mrn']}, "
                     f"born {dt.date.fromisoformat(person['dob']):%m/%d/%Y}) to call {other['phone']}")
    labs = next(r for r in rows if r["record_id"] == person["record_id"] and r["crp"])
    labs["crp"] = person["last_name"]
    return ae["ae_term"]


@pytest.fixture(scope="module")
def leak_run(tmp_path_factory):
    """A full run on a copy of the shipped study with identifiers typed where they do not belong."""
    root = tmp_path_factory.mktemp("leak")
    data = copy_study(SHIPPED_DATA, root / "raw")
    path = next((data / "redcap").glob("AIDHEART_DATA_*.csv"))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    screening = {r["record_id"]: r for r in rows if r["redcap_event_name"] == F.EVENT_SCREENING}
    person = next(r for r in screening.values() if r["eligible"] == "1" and any(
        a["record_id"] == r["record_id"] and a["redcap_repeat_instrument"] == F.FORM_AE for a in rows))
    other = next(r for r in screening.values() if r["record_id"] != person["record_id"])
    term = _plant(rows, person, other)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    monitor = next((data / "monitor").glob(f"{person['record_id']}_*.csv"))
    lines = monitor.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, f"Patient name,{person['last_name']}^{person['first_name']}\n")
    monitor.write_text("".join(lines), encoding="utf-8")
    workdir = root / "work"
    workdir.mkdir()
    run_workflow(workdir, data, "--cores", "2")
    return workdir, person, term


def test_planted_identifiers_are_in_the_raw_export_the_scan_reads(leak_run):
    """The scan would see the plant: the identifiers it searches for are in the planted term."""
    _, person, term = leak_run
    assert {person["first_name"], person["last_name"], person["mrn"]} <= leaks(term, identifier_needles())


def test_identifiers_typed_into_free_text_reach_no_written_file(leak_run):
    workdir, _, _ = leak_run
    assert leaks_in(workdir, identifier_needles()) == []


def test_identifiers_typed_into_free_text_are_redacted_and_queried(leak_run):
    workdir, person, _ = leak_run
    adae = (workdir / "results" / "adam" / "adae.csv").read_text(encoding="utf-8")
    assert REDACTED in adae
    assert REDACTED in file_text(workdir / "results" / "reports" / "dsmb.pdf").replace("\n", " ")
    with open(workdir / "results" / "qc" / "queries.csv", encoding="utf-8") as handle:
        queries = list(csv.DictReader(handle))
    found = [(q["record_id"], q["field"], q["value"], q["severity"]) for q in queries
             if q["rule"] == "identifier_in_free_text"]
    assert found == [(person["record_id"], "ae_term", "", "error")]
    crp = [q for q in queries if q["rule"] == "invalid_number" and q["field"] == "crp"]
    assert [q["value"] for q in crp] == [""] and REDACTED in crp[0]["message"]
    logs = [path for path in written_files(workdir) if path.suffix == ".log" or ".snakemake/log" in str(path)]
    assert logs and not any("Traceback" in path.read_text(errors="replace") for path in logs)


def test_scanner_finds_a_planted_identifier(tmp_path):
    """The scan would see a leak: a file holding one phone number written without punctuation."""
    needles = identifier_needles()
    row = next(r for r in _export_rows() if r["redcap_event_name"] == F.EVENT_SCREENING)
    leak = tmp_path / "leak.txt"
    digits = re.sub(r"\D", "", row["phone"])
    leak.write_text(f"x,{digits},y\n")
    assert leaks(leak.read_text(), needles) == {digits}
    assert leaks(f"{row['last_name']}, {row['first_name']}", needles)

"""No identifier value of the raw export reaches any file the pipeline writes.

Identifier values are read from the raw export itself (fields with
``Identifier? = y`` in its dictionary). Dates of birth are searched in the
common written forms, phone numbers with and without punctuation. Single name
words that are also words of the format contract's choice labels (the last
name "White" is also a race category) are searched only as part of the full
name; every other name is searched as a whole word.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

from aidheart import formats as F
from conftest import SHIPPED_DATA


def _export_rows():
    path = next((SHIPPED_DATA / "redcap").glob("AIDHEART_DATA_*.csv"))
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


def test_identifier_patterns_are_complete():
    """The search covers every screened subject's five identifiers (guards against an empty scan)."""
    needles = identifier_needles()
    assert len(needles) >= 29 * (2 + 1 + 8 + 7)


def test_no_identifier_in_any_written_file(shipped_run):
    needles = identifier_needles()
    files = written_files(shipped_run)
    assert any(path.match("results/clean/subjects.csv") for path in files)
    assert any(".snakemake/log" in path.as_posix() for path in files)
    found = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        found += [(path.relative_to(shipped_run).as_posix(), needle) for needle in sorted(leaks(text, needles))]
    assert found == []


def test_scanner_finds_a_planted_identifier(tmp_path):
    """The scan would see a leak: a file holding one phone number written without punctuation."""
    needles = identifier_needles()
    row = next(r for r in _export_rows() if r["redcap_event_name"] == F.EVENT_SCREENING)
    leak = tmp_path / "leak.txt"
    digits = re.sub(r"\D", "", row["phone"])
    leak.write_text(f"x,{digits},y\n")
    assert leaks(leak.read_text(), needles) == {digits}
    assert leaks(f"{row['last_name']}, {row['first_name']}", needles)

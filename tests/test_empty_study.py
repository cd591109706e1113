"""A study with no data yet: the default ``snakemake`` run finishes and every report says "no data yet".

Two honest empty studies: the shipped export at a cut-off before the first consent (nobody
screened), and the shipped export edited so that every subject screen-failed (screening
forms only, eligibility answered "No", no monitor file). Each is one default run (every
target, as a user starts it); no log of it holds a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SHIPPED_DATA, run_workflow
from document_checks import html_table, html_text

TRUTH = json.loads((SHIPPED_DATA / "truth.json").read_text())
SCREENING_EVENT = "screening_arm_1"
DECLINED = "5"  # the dictionary's code of "Declined participation"


def all_screen_failed(source: Path, target: Path) -> Path:
    """``source``'s export with the screening rows only, every subject not eligible (declined), no monitor file."""
    (target / "redcap").mkdir(parents=True)
    (target / "monitor").mkdir()
    for path in (source / "redcap").glob("*.csv"):
        if "_DATA_" not in path.name:
            shutil.copy2(path, target / "redcap" / path.name)
            continue
        raw = path.read_bytes()
        bom, newline = raw.startswith(b"\xef\xbb\xbf"), "\r\n" if b"\r\n" in raw else "\n"
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        kept = [row | {"eligible": "0", "screen_fail_reason": row["screen_fail_reason"] or DECLINED}
                for row in rows if row["redcap_event_name"] == SCREENING_EVENT and not row["redcap_repeat_instrument"]]
        with open(target / "redcap" / path.name, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator=newline)
            writer.writeheader()
            writer.writerows(kept)
    return target


def assert_no_traceback(workdir: Path, done: subprocess.CompletedProcess) -> None:
    logs = [p for p in workdir.rglob("*") if p.is_file() and (p.suffix == ".log" or ".snakemake/log" in str(p))]
    assert logs
    for text in [done.stdout, done.stderr, *(p.read_text(errors="replace") for p in logs)]:
        assert "Traceback" not in text


def first_consent() -> dt.date:
    return min(dt.date.fromisoformat(r["consent_date"][:10]) for r in TRUTH["records"].values())


@pytest.fixture(scope="module", params=["before_first_consent", "all_screen_failed"])
def empty_run(request, tmp_path_factory):
    """(case, working directory, completed process) of one default run on a study with no treated subject."""
    workdir = tmp_path_factory.mktemp(request.param)
    if request.param == "before_first_consent":
        cutoff = first_consent() - dt.timedelta(days=1)
        done = run_workflow(workdir, SHIPPED_DATA, f"cutoff_date={cutoff.isoformat()}", "--cores", "2")
    else:
        study = all_screen_failed(SHIPPED_DATA, tmp_path_factory.mktemp("screen_failed_study"))
        done = run_workflow(workdir, study, "--cores", "2")
    return request.param, workdir, done


def test_the_default_run_finishes_without_a_traceback(empty_run):
    _, workdir, done = empty_run
    assert done.returncode == 0
    for name in ("analysis", "dsmb", "data_quality"):
        for fmt in ("html", "pdf"):
            assert (workdir / "results" / "reports" / f"{name}.{fmt}").stat().st_size > 0
    assert_no_traceback(workdir, done)


def test_every_report_says_no_data_yet(empty_run):
    case, workdir, _ = empty_run
    reports = workdir / "results" / "reports"
    analysis = html_text((reports / "analysis.html").read_text(encoding="utf-8"))
    dsmb = html_text((reports / "dsmb.html").read_text(encoding="utf-8"))
    assert "No data yet: no subject had been treated" in analysis
    assert "No data yet: no subjects were treated" in dsmb
    assert "the primary endpoint cannot be estimated yet" in analysis
    status = {row[0]: row[1] for row in html_table((reports / "dsmb.html").read_text(encoding="utf-8"), "tbl-status")}
    assert status["Treated (received at least one dose)"] == "0"
    screened = int(status["Screened (consented)"])
    assert screened == (0 if case == "before_first_consent" else len(TRUTH["records"]))
    if case == "all_screen_failed":
        assert status["Screen failure"].startswith(f"{screened} ")
    assert "No deaths and no serious adverse events by the cut-off" in dsmb

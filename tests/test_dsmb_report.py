"""End to end: the DSMB report rendered by the workflow at four data cut-offs of the shipped study.

The cut-offs come from the synthetic study's truth (``data/raw/truth.json``):
the day before the first dose (screened subjects, none enrolled), a few days
after the first dose (exactly one subject), the first dose of the middle subject
(mid-enrolment) and the export date (after the last visit).  Each is one
workflow run into its own temporary working directory (module-scoped); the
monitor files, which do not depend on the cut-off, are read once and their
parts copied into each run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from aidheart.io import read_table
from conftest import SHIPPED_DATA, run_workflow
from document_checks import table_after

TRUTH = json.loads((SHIPPED_DATA / "truth.json").read_text())
HEADER = "OPEN SESSION REPORT"


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _cutoffs() -> dict[str, dt.date]:
    doses = sorted(_date(r["first_dose_date"]) for r in TRUTH["records"].values() if r.get("first_dose_date"))
    return {
        "before_first_enrolment": doses[0] - dt.timedelta(days=1),
        "one_subject": min(doses[0] + dt.timedelta(days=7), doses[1] - dt.timedelta(days=1)),
        "mid_enrolment": doses[len(doses) // 2 - 1],
        "final": _date(TRUTH["study"]["export_datetime"]),
    }


CUTOFFS = _cutoffs()


def truth_counts(cutoff: dt.date) -> dict[str, int]:
    """Subjects screened, treated (first dose), completed and discontinued by ``cutoff`` per the truth."""
    counts = dict.fromkeys(("screened", "treated", "completed", "discontinued"), 0)
    for record in TRUTH["records"].values():
        if _date(record["consent_date"]) > cutoff:
            continue
        counts["screened"] += 1
        if not record.get("first_dose_date") or _date(record["first_dose_date"]) > cutoff:
            continue
        counts["treated"] += 1
        end = record.get("disposition") or {}
        if end.get("date") and _date(end["date"]) <= cutoff:
            counts["completed" if end["status"] == "completed" else "discontinued"] += 1
    return counts


@pytest.fixture(scope="module")
def monitor_parts(tmp_path_factory):
    """The per-file monitor parts of the shipped study (independent of the cut-off), made once."""
    workdir = tmp_path_factory.mktemp("dsmb_monitor")
    run_workflow(workdir, SHIPPED_DATA, "--cores", "2", "--until", "monitor_session")
    return workdir / "results" / "interim"


@pytest.fixture(scope="module", params=list(CUTOFFS))
def dsmb_run(request, tmp_path_factory, monitor_parts):
    """(name, cut-off, working directory) of one workflow run that built the DSMB report at that cut-off."""
    name, cutoff = request.param, CUTOFFS[request.param]
    workdir = tmp_path_factory.mktemp(f"dsmb_{name}")
    shutil.copytree(monitor_parts, workdir / "results" / "interim", copy_function=shutil.copy2)
    # the first extra argument continues run_workflow's --config list
    run_workflow(workdir, SHIPPED_DATA, f"cutoff_date={cutoff.isoformat()}", "--cores", "2",
                 "results/reports/dsmb.pdf", "results/reports/dsmb.html")
    return name, cutoff, workdir


def page_texts(pdf) -> list[str]:
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True, check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, pages + 1)]


def status_count(text: str, label: str) -> int:
    """The count of a row of the status table (``label  n (pct%)  denominator``)."""
    match = re.search(rf"^\s*(?:– )?{re.escape(label)}\s+(\d+)\b", text, flags=re.MULTILINE)
    assert match, f"status row {label!r} not found"
    return int(match.group(1))


def test_pdf_and_html_exist(dsmb_run):
    _, _, workdir = dsmb_run
    for name in ("dsmb.pdf", "dsmb.html"):
        assert (workdir / "results" / "reports" / name).stat().st_size > 0


def test_every_page_carries_header_and_cutoff(dsmb_run):
    _, cutoff, workdir = dsmb_run
    pages = page_texts(workdir / "results" / "reports" / "dsmb.pdf")
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert HEADER in text, f"page {number} lacks {HEADER!r}"
        assert cutoff.isoformat() in text, f"page {number} lacks the cut-off {cutoff}"


def test_status_table_matches_truth(dsmb_run):
    _, cutoff, workdir = dsmb_run
    text = "\n".join(page_texts(workdir / "results" / "reports" / "dsmb.pdf"))
    expected = truth_counts(cutoff)
    assert status_count(text, "Screened (consented)") == expected["screened"]
    assert status_count(text, "Treated (received at least one dose)") == expected["treated"]
    assert status_count(text, "Completed study") == expected["completed"]
    assert status_count(text, "Discontinued study") == expected["discontinued"]


def test_shape_of_each_cutoff(dsmb_run):
    name, _, workdir = dsmb_run
    text = "\n".join(page_texts(workdir / "results" / "reports" / "dsmb.pdf"))
    treated = status_count(text, "Treated (received at least one dose)")
    if name == "before_first_enrolment":
        assert treated == 0
        assert "No subjects were treated" in text
    elif name == "one_subject":
        assert treated == 1
    elif name == "final":
        assert treated == TRUTH["study"]["n_enrolled"]


def html_table(html: str, table_id: str) -> list[list[str]]:
    """Body rows (cell texts) of the HTML table labelled ``table_id`` (the id on the float around it)."""
    body = table_after(html, table_id)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.DOTALL)
    cells = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
             for row in rows]
    return [row for row in cells if row]


def raw_adverse_events() -> pd.DataFrame:
    """AE rows of the shipped REDCap export with their onset date (the test reads the raw export directly)."""
    export = next((SHIPPED_DATA / "redcap").glob("*_DATA_*.csv"))
    data = pd.read_csv(export, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    rows = data[data["redcap_repeat_instrument"].eq("adverse_events")].drop_duplicates(
        ["record_id", "redcap_repeat_instance"])
    return rows.assign(onset=pd.to_datetime(rows["ae_onset"], errors="coerce").dt.date)


def test_no_event_after_the_cutoff(dsmb_run):
    """Nothing dated after the cut-off reaches the tables the report reads, nor the report's listings."""
    _, cutoff, workdir = dsmb_run
    clean, adam = workdir / "results" / "clean", workdir / "results" / "adam"
    subjects = read_table(clean / "subjects.csv")
    consented = {k for k, r in TRUTH["records"].items() if _date(r["consent_date"]) <= cutoff}
    assert set(subjects["record_id"]) == consented
    cutoff_day = subjects.set_index("record_id")["cutoff_day"]
    for table, day in (("adverse_events", "onset_day"), ("visits", "visit_day"), ("labs", "lab_day"),
                       ("deviations", "dev_day")):
        rows = read_table(clean / f"{table}.csv")
        late = rows[pd.to_numeric(rows[day]) > rows["record_id"].map(cutoff_day)]
        assert late.empty, f"{table}: rows after the cut-off\n{late}"

    raw = raw_adverse_events()
    late = raw[raw["onset"].map(lambda d: pd.notna(d) and d > cutoff)]
    late_keys = set(zip(late["record_id"], late["redcap_repeat_instance"].astype(int)))
    adae = read_table(adam / "adae.csv")
    assert not late_keys & set(zip(adae["SUBJID"], adae["AESEQ"].astype(int)))
    assert (pd.to_numeric(adae["ASTDY"]) <= adae["SUBJID"].map(cutoff_day)).all()

    html = (workdir / "results" / "reports" / "dsmb.html").read_text()
    early = raw[raw["onset"].map(lambda d: pd.notna(d) and d <= cutoff)]
    listed = {(row[0], row[2]) for row in html_table(html, "tbl-sae") if row[0] != "None"}
    serious_late = {(r, t) for r, t, s in zip(late["record_id"], late["ae_term"], late["ae_serious"]) if s == "1"}
    serious_early = {(r, t) for r, t, s in zip(early["record_id"], early["ae_term"], early["ae_serious"]) if s == "1"}
    assert not listed & (serious_late - serious_early), "an SAE with onset after the cut-off is listed"
    assert listed <= serious_early
    deaths = {row[0] for row in html_table(html, "tbl-deaths") if row[0] != "None"}
    died = {k for k, r in TRUTH["records"].items()
            if (r.get("disposition") or {}).get("status") == "death" and _date(r["disposition"]["date"]) <= cutoff}
    assert deaths == died


def test_cutoff_before_the_first_consent(tmp_path, monitor_parts):
    """Nobody screened yet: the report renders and says that no subjects are treated."""
    first_consent = min(_date(r["consent_date"]) for r in TRUTH["records"].values())
    cutoff = first_consent - dt.timedelta(days=1)
    shutil.copytree(monitor_parts, tmp_path / "results" / "interim", copy_function=shutil.copy2)
    run_workflow(tmp_path, SHIPPED_DATA, f"cutoff_date={cutoff.isoformat()}", "--cores", "2",
                 "results/reports/dsmb.pdf")
    pages = page_texts(tmp_path / "results" / "reports" / "dsmb.pdf")
    assert all(HEADER in text and cutoff.isoformat() in text for text in pages)
    text = "\n".join(pages)
    assert "No subjects were treated" in text
    assert status_count(text, "Screened (consented)") == 0

"""Quarto and the built-in renderer give the same document (runs where ``quarto`` is on PATH).

Same headings, the same figure and table floats (ids, element, numbered caption
text) and the same cross-references in the HTML, parameters honoured in both, and a
comparable number of PDF pages; Quarto's own renders are byte-identical from one
run to the next.  Where ``quarto`` is absent the fake-quarto tests
(test_render_quarto.py) check the command line instead.
"""

import shutil
from pathlib import Path

import pytest

from aidheart.render import render_document
from aidheart.dsmb import report_cutoff
from document_checks import html_structure, pdf_pages
from report_renders import CONFIG, REDCAP_FILES, REPORTS, render_report

pytestmark = pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto is not on PATH")

FIXTURES = Path(__file__).parent / "render_fixtures"
FIXTURE_PARAMETERS = {"basic": {"cutoff_date": "2025-03-01", "n_subjects": 4}, "long_table": {}}


def _comparable_pages(quarto_pdf: Path, builtin_pdf: Path) -> None:
    quarto_pages, builtin_pages = len(pdf_pages(quarto_pdf)), len(pdf_pages(builtin_pdf))
    assert abs(quarto_pages - builtin_pages) <= max(1, round(0.15 * builtin_pages)), (quarto_pages, builtin_pages)


@pytest.mark.parametrize("name", sorted(FIXTURE_PARAMETERS))
def test_fixture_renders_have_the_same_structure(name, tmp_path):
    outputs = {}
    for renderer in ("builtin", "quarto"):
        outputs[renderer] = {"html": tmp_path / renderer / f"{name}.html", "pdf": tmp_path / renderer / f"{name}.pdf"}
        render_document(FIXTURES / f"{name}.qmd", parameters=FIXTURE_PARAMETERS[name], outputs=outputs[renderer],
                        renderer=renderer)
    quarto, builtin = (html_structure(outputs[r]["html"].read_text(encoding="utf-8")) for r in ("quarto", "builtin"))
    assert quarto == builtin
    if name == "basic":
        assert "site=default site; n=4; cutoff=2025-03-01" in outputs["quarto"]["html"].read_text(encoding="utf-8")
    _comparable_pages(outputs["quarto"]["pdf"], outputs["builtin"]["pdf"])


@pytest.mark.parametrize("name", REPORTS)
def test_reports_have_the_same_structure_under_both_renderers(shipped_run, name, tmp_path):
    quarto = render_report(name, shipped_run, tmp_path / "quarto", "quarto")
    builtin = render_report(name, shipped_run, tmp_path / "builtin", "builtin")
    quarto_structure = html_structure(quarto["html"].read_text(encoding="utf-8"))
    assert quarto_structure == html_structure(builtin["html"].read_text(encoding="utf-8"))
    assert quarto_structure["floats"] and all(caption for _, _, caption in quarto_structure["floats"])
    _comparable_pages(quarto["pdf"], builtin["pdf"])
    again = render_report(name, shipped_run, tmp_path / "again", "quarto")
    for fmt in ("html", "pdf"):
        assert again[fmt].read_bytes() == quarto[fmt].read_bytes(), f"{name}.{fmt} differs between Quarto renders"


def test_dsmb_cutoff_is_honoured_and_its_date_labelled(shipped_run, tmp_path):
    html = render_report("dsmb", shipped_run, tmp_path, "quarto")["html"].read_text(encoding="utf-8")
    cutoff, _ = report_cutoff(CONFIG, REDCAP_FILES)
    assert f"Data cut-off {cutoff}" in html
    assert "Report date (data cut-off)" in html and cutoff in html

"""What a reader sees on every PDF page, whichever renderer made it: no text over text, none past the margins.

The reports come from the session's pipeline run (renderer ``auto``: Quarto where it
is installed, else the built-in renderer); the long-table fixture is rendered by the
built-in renderer and, where installed, by Quarto.  Each check is first shown to
fail on a page made to fail it.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import typst

from aidheart.render import render_document
from document_checks import PAGE_MARGIN_PT, overprinted_words, pdf_pages, words_outside
from report_renders import REPORTS

FIXTURES = Path(__file__).parent / "render_fixtures"
RENDERERS = [pytest.param("builtin"),
             pytest.param("quarto", marks=pytest.mark.skipif(shutil.which("quarto") is None,
                                                             reason="quarto is not on PATH"))]


def _describe(words) -> str:
    return ", ".join(f"{word.text!r} at x {word.x_min:.0f}–{word.x_max:.0f}, y {word.y_min:.0f}" for word in words[:6])


def _assert_clean_pages(pdf: Path) -> int:
    pages = pdf_pages(pdf)
    assert pages, f"{pdf.name} has no pages"
    for page in pages:
        overprinted = overprinted_words(page)
        assert not overprinted, f"{pdf.name} page {page.number}: text printed over text: " + _describe(
            [word for pair in overprinted for word in pair])
        outside = words_outside(page)
        assert not outside, f"{pdf.name} page {page.number}: text past the margins: {_describe(outside)}"
    return len(pages)


def _typst_pdf(tmp_path: Path, body: str) -> Path:
    source = tmp_path / "page.typ"
    source.write_text(f'#set page(paper: "a4", margin: 2cm, footer: [Page footer text])\n{body}\n')
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(typst.compile(str(source)))
    return pdf


def test_overprint_check_finds_a_block_run_into_the_footer(tmp_path):
    """An unbreakable block longer than the page (Quarto's table figure before the fix) prints over the footer."""
    lines = "\n".join(f"Row {i} of a table that does not break" for i in range(80))
    pdf = _typst_pdf(tmp_path, f"#block(breakable: false)[{lines.replace(chr(10), ' #linebreak() ')}]")
    assert overprinted_words(pdf_pages(pdf)[0])
    breakable = _typst_pdf(tmp_path, f"#block(breakable: true)[{lines.replace(chr(10), ' #linebreak() ')}]")
    assert not any(overprinted_words(page) for page in pdf_pages(breakable))


def test_margin_check_finds_a_word_too_long_for_the_text_width(tmp_path):
    digest = "0123456789abcdef" * 6  # wider than the text, narrower than the page
    pdf = _typst_pdf(tmp_path, f"#table(columns: 1, [{digest}])")
    outside = words_outside(pdf_pages(pdf)[0])
    assert [word.text for word in outside] == [digest]
    assert outside[0].x_max > pdf_pages(pdf)[0].width - PAGE_MARGIN_PT
    assert not words_outside(pdf_pages(_typst_pdf(tmp_path, f"#table(columns: 1, [{digest[:64]}])"))[0])


@pytest.mark.parametrize("name", REPORTS)
def test_no_report_page_has_text_over_text_or_past_the_margins(shipped_run, name):
    assert _assert_clean_pages(shipped_run / "results" / "reports" / f"{name}.pdf") > 1


@pytest.mark.parametrize("name", REPORTS)
def test_reports_load_nothing_and_embed_no_icon_font(shipped_run, name):
    """No web fonts, scripts or styles from elsewhere in the HTML; in the PDF only embedded text fonts."""
    reports = shipped_run / "results" / "reports"
    html = (reports / f"{name}.html").read_text(encoding="utf-8")
    assert not re.search(r"""<(?:script|img|link|source|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
                         html, re.I)
    assert not re.search(r"""@import|url\(\s*["']?\s*(?:https?:)?//|fonts\.googleapis""", html, re.I)
    fonts = subprocess.run(["pdffonts", str(reports / f"{name}.pdf")], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and not [line for line in fonts if "awesome" in line.lower()]
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column: every font embedded


@pytest.mark.parametrize("name", REPORTS)
def test_every_html_report_has_its_contents_list(shipped_run, name):
    """``toc: true`` of _quarto.yml holds for every report, also one that names its own formats (the DSMB report)."""
    html = (shipped_run / "results" / "reports" / f"{name}.html").read_text(encoding="utf-8")
    assert re.search(r'<nav id="TOC"[^>]*role="doc-toc"', html)


@pytest.fixture(scope="module", params=RENDERERS)
def long_tables(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"long-{request.param}")
    outputs = {"html": out / "long_table.html", "pdf": out / "long_table.pdf"}
    render_document(FIXTURES / "long_table.qmd", outputs=outputs, renderer=request.param)
    return outputs


def test_long_tables_break_across_pages_and_keep_every_row(long_tables):
    pages = _assert_clean_pages(long_tables["pdf"])
    assert pages >= 3
    text = subprocess.run(["pdftotext", "-layout", str(long_tables["pdf"]), "-"], check=True, capture_output=True,
                          text=True).stdout
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        assert "LONG TABLE FIXTURE" in page and f"Page {number} of {pages}" in page, f"page {number}"
    import hashlib

    joined = re.sub(r"\s+", "", text)
    missing = [i for i in range(90) if hashlib.sha256(str(i).encode()).hexdigest() not in joined]
    assert not missing, f"digests of rows {missing} are not in the PDF"
    assert text.count("SHA-256") >= 3  # the caption and the header row repeated on the next page
    assert all(f"S-{i:02d}" in text for i in range(30))

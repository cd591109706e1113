"""Render the fixture documents and check the HTML and PDF.

The fixture ``basic.qmd`` is rendered by the built-in renderer and, where ``quarto``
is on PATH, by Quarto too: the checks on it are what both renderers must give
(document_checks reads the structure both write).  The other fixtures exercise the
built-in renderer's own handling of cell options and files.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aidheart.render import RenderError, render_document
from document_checks import html_structure, table_after

FIXTURES = Path(__file__).parent / "render_fixtures"
PARAMETERS = {"cutoff_date": "2025-03-01", "n_subjects": 4}
HEADER = "OPEN SESSION REPORT | Data cut-off 2025-03-01"
RENDERERS = [pytest.param("builtin"),
             pytest.param("quarto", marks=pytest.mark.skipif(shutil.which("quarto") is None,
                                                             reason="quarto is not on PATH"))]


def _render(directory: Path, renderer: str) -> dict:
    outputs = {"html": directory / "basic.html", "pdf": directory / "basic.pdf"}
    used = render_document(FIXTURES / "basic.qmd", parameters=PARAMETERS, outputs=outputs, renderer=renderer)
    assert used == renderer
    return {"renderer": renderer, **outputs}


@pytest.fixture(scope="module", params=RENDERERS)
def rendered(request, tmp_path_factory):
    return _render(tmp_path_factory.mktemp(f"first-{request.param}"), request.param)


@pytest.fixture(scope="module")
def html(rendered):
    return rendered["html"].read_text(encoding="utf-8")


def _pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_parameters_override_defaults_and_others_keep_theirs(html):
    assert "site=default site; n=4; cutoff=2025-03-01" in html


def test_cell_options_echo_and_include(html):
    assert "print</span>(<span" in html or 'print(f"site=' in html  # echo: true shows the code
    assert "markdown_table(frame" not in html  # echo: false (document default) hides it
    assert "HIDDEN-MARKER" not in html  # include: false hides code and output
    assert "Injected parameters" not in html


def test_cross_references_and_numbered_captions(html):
    text = " ".join(re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ").split())
    assert "Subjects enrolled are listed in Table 1; their values are drawn in Figure 1." in text
    structure = html_structure(html)
    assert ("#tbl-subjects", "Table 1") in structure["xrefs"] and ("#fig-values", "Figure 1") in structure["xrefs"]
    assert ("#tbl-static", "Table 2") in structure["xrefs"]
    assert "its own caption, Table 2, follows" in text


def test_floats_carry_their_ids_and_numbered_captions_as_quarto_writes_them(html):
    """The id on a wrapping div, the caption in a figcaption: Quarto's structure, which the built-in renderer follows."""
    assert html_structure(html)["floats"] == [
        ("tbl-subjects", "div", "Table 1: Subjects enrolled by the cut-off"),
        ("fig-values", "div", "Figure 1: Value by subject"),
        ("tbl-static", "div", "Table 2: Visit windows"),
    ]
    assert html_structure(html)["headings"] == [(2, "Summary"), (2, "Second page")]


def test_html_holds_the_table_and_the_embedded_figure(html):
    assert re.search(r"<td[^>]*>S-04</td>", table_after(html, "tbl-subjects"))
    figure = re.search(r'id="fig-values".*?</figure>', html, re.S).group(0)
    assert re.search(r'<img[^>]*src="data:image/png;base64,', figure)
    assert 'alt="Bar chart of one value per subject"' in figure


def test_html_loads_nothing_from_elsewhere(html):
    assert not re.search(r"<(?:script|img|link|source|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html,
                         re.I)
    assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", html)
    assert "format-links" not in html and "quarto-alternate-formats" not in html  # no "Other formats" links


def test_builtin_html_has_no_scripts(rendered, html):
    if rendered["renderer"] != "builtin":
        pytest.skip("Quarto's HTML embeds its own scripts")
    assert "<script" not in html


def test_html_shows_the_page_header_before_the_first_section(html):
    body = html[html.index("<body"):]
    assert body.index(HEADER) < body.index("Summary</h2>")


def test_pdf_has_the_table_and_figure_caption(rendered):
    text = _pdf_text(rendered["pdf"])
    prose = " ".join(text.split())
    assert re.search(r"S-04\s+6\.0", text)
    assert "Table 1: Subjects enrolled by the cut-off" in text
    assert "Figure 1: Value by subject" in text
    assert "Subjects enrolled are listed in Table 1; their values are drawn in Figure 1." in prose


def test_pdf_header_and_page_number_on_every_page(rendered):
    pages = _pdf_pages(rendered["pdf"])
    assert pages >= 2  # the fixture has a page break
    for page in range(1, pages + 1):
        text = _pdf_text(rendered["pdf"], page)
        assert HEADER in text, f"page {page} lacks the header"
        assert f"Page {page} of {pages}" in text


def test_pdf_pages_rasterise(rendered, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(rendered["pdf"]), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == _pdf_pages(rendered["pdf"])
    assert all(image.stat().st_size > 1000 for image in images)


def test_two_renders_are_byte_identical(rendered, tmp_path):
    again = _render(tmp_path, rendered["renderer"])
    for fmt in ("html", "pdf"):
        assert again[fmt].read_bytes() == rendered[fmt].read_bytes(), f"{fmt} differs between renders"


def test_failing_cell_names_document_cell_and_exception(tmp_path):
    outputs = {"html": tmp_path / "failing.html", "pdf": tmp_path / "failing.pdf"}
    with pytest.raises(RenderError) as caught:
        render_document(FIXTURES / "failing.qmd", parameters={}, outputs=outputs, renderer="builtin")
    message = str(caught.value)
    assert message == "failing.qmd: cell 'compute-ratio' (cell 2, line 9) failed: ZeroDivisionError: division by zero"
    assert not any(path.exists() for path in outputs.values())
    assert list(tmp_path.iterdir()) == []  # no temporary files left behind


def test_outputs_are_replaced_whole(tmp_path):
    """A file from an earlier render stays untouched when the new render fails."""
    target = tmp_path / "failing.html"
    target.write_text("earlier render")
    with pytest.raises(RenderError):
        render_document(FIXTURES / "failing.qmd", parameters={}, outputs={"html": target}, renderer="builtin")
    assert target.read_text() == "earlier render"


def test_quarto_renderer_requested_but_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="not on PATH"):
        render_document(FIXTURES / "basic.qmd", parameters={}, outputs={"html": tmp_path / "x.html"},
                        renderer="quarto")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_poppler_is_available():
    assert shutil.which("pdftoppm")


@pytest.fixture(scope="module")
def options_render(tmp_path_factory):
    directory = tmp_path_factory.mktemp("options")
    outputs = {"md": directory / "options.md", "html": directory / "options.html", "pdf": directory / "options.pdf"}
    render_document(FIXTURES / "options.qmd", parameters={}, outputs=outputs, renderer="builtin")
    return {fmt: path.read_text(encoding="utf-8") if fmt != "pdf" else _pdf_text(path)
            for fmt, path in outputs.items()}


def test_warning_false_drops_warnings_and_true_shows_them_without_temp_paths(options_render):
    markdown = options_render["md"]
    assert "SILENCED-WARNING" not in markdown and "after silenced warning" in markdown
    assert "UserWarning: SHOWN-WARNING" in markdown
    assert "ipykernel_" not in markdown  # the kernel's temporary file names change every run


def test_output_false_asis_eval_false_and_error_true(options_render):
    markdown = options_render["md"]
    assert "OUTPUT-FALSE-TEXT" not in markdown
    assert "\n**ASIS-BOLD**\n" in markdown and "<strong>ASIS-BOLD</strong>" in options_render["html"]
    assert "never_defined_name + 1" in markdown  # shown (echo) but not run
    assert "ValueError: SHOWN-ERROR" in markdown


def test_echo_fenced_shows_the_cell_with_its_options(options_render):
    assert "```{python}\n#| echo: fenced\n#| label: show-fence\n1 + 1\n```" in options_render["md"]


def test_html_only_output_falls_back_to_text_in_the_pdf(options_render):
    assert "HTML-FRAME-CELL" in options_render["html"]
    assert "HTML-FRAME-CELL" in options_render["pdf"]
    assert "<table" not in options_render["pdf"]


def test_first_image_of_a_figure_cell_carries_label_and_caption(options_render):
    assert options_render["md"].count("{#fig-pair") == 1
    assert "Figure 1: Two panels" in options_render["pdf"]


def test_parameters_without_a_parameters_cell_are_injected_first(tmp_path, caplog):
    qmd = tmp_path / "plain.qmd"
    qmd.write_text("```{python}\nprint(f'x={x}')\n```\n")
    render_document(qmd, parameters={"x": 5}, outputs={"md": tmp_path / "plain.md"}, renderer="builtin")
    assert "x=5" in (tmp_path / "plain.md").read_text()
    assert "parameters not declared in its parameters cell: x" in caplog.text


def test_images_from_files_are_embedded_and_numbered(tmp_path):
    """A figure file a rule made, shown by Markdown, ends up inside both outputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aidheart.render.display import save_figure

    (tmp_path / "figures").mkdir()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1])
    save_figure(fig, tmp_path / "figures" / "flow.png")
    plt.close(fig)
    qmd = tmp_path / "doc.qmd"
    qmd.write_text("---\ntitle: Files\n---\n\nThe flow is in @fig-flow.\n\n![Participant flow](figures/flow.png){#fig-flow}\n")
    out = tmp_path / "out"
    render_document(qmd, outputs={"html": out / "doc.html", "pdf": out / "doc.pdf"}, renderer="builtin")
    html = (out / "doc.html").read_text()
    assert html_structure(html)["floats"] == [("fig-flow", "div", "Figure 1: Participant flow")]
    assert 'src="data:image/png;base64,' in html
    assert "Figure 1: Participant flow" in _pdf_text(out / "doc.pdf")


def test_missing_image_file_is_a_clear_error(tmp_path):
    qmd = tmp_path / "doc.qmd"
    qmd.write_text("![Flow](figures/none.png)\n")
    with pytest.raises(RenderError, match=r"doc.qmd: image not found: figures/none.png"):
        render_document(qmd, outputs={"html": tmp_path / "doc.html"}, renderer="builtin")
    assert not (tmp_path / "doc.html").exists()

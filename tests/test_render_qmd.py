"""Reading .qmd documents, cell options, parameter injection and cross-references (no kernel)."""

import json
import re

import pytest

from aidheart.render.convert import markdown_to_ast, pandoc
from aidheart.render.crossref import resolve_crossrefs
from aidheart.render.execute import RenderError, declared_parameters, parameter_assignments
from aidheart.render.options import cell_options, execute_defaults, pandoc_metadata
from aidheart.render.outputs import png_width_inches
from aidheart.render.qmd import QmdError, parse_cell_options, read_qmd, split_chunks


def test_front_matter_cells_and_options(tmp_path):
    qmd = tmp_path / "doc.qmd"
    qmd.write_text(
        "---\ntitle: T\nexecute:\n  echo: false\n---\n\nText.\n\n"
        "```{python}\n#| label: fig-a\n#| fig-cap: \"A: caption\"\nx = 1\n```\n\nMore.\n"
    )
    doc = read_qmd(qmd)
    assert doc.front_matter == {"title": "T", "execute": {"echo": False}}
    kinds = [chunk.kind for chunk in doc.chunks]
    assert kinds == ["markdown", "code", "markdown"]
    cell = doc.cells[0]
    assert cell.text == "x = 1"
    assert cell.options == {"label": "fig-a", "fig-cap": "A: caption"}
    assert cell.line == 9  # the line of the opening fence in the file


def test_include_shortcode_inlines_the_file_without_its_front_matter(tmp_path):
    (tmp_path / "_setup.qmd").write_text("---\ntitle: ignored\n---\n```{python}\nimport math\n```\n")
    qmd = tmp_path / "doc.qmd"
    qmd.write_text("{{< include _setup.qmd >}}\n\n```{python}\nmath.pi\n```\n")
    doc = read_qmd(qmd)
    assert [cell.text for cell in doc.cells] == ["import math", "math.pi"]


def test_missing_include_is_an_error(tmp_path):
    qmd = tmp_path / "doc.qmd"
    qmd.write_text("{{< include nowhere.qmd >}}\n")
    with pytest.raises(QmdError, match="nowhere.qmd"):
        read_qmd(qmd)


def test_literal_and_plain_fences_are_markdown():
    chunks = split_chunks("```{{python}}\nshown()\n```\n\n````markdown\n```{python}\nnot_run()\n```\n````\n")
    assert all(chunk.kind == "markdown" for chunk in chunks)
    assert "```{python}\nshown()" in chunks[0].text


def test_other_languages_cannot_run():
    with pytest.raises(QmdError, match=r"\{r\}"):
        split_chunks("```{r}\n1\n```\n")


def test_multiline_yaml_options():
    code, options = parse_cell_options(["#| fig-cap: >", "#|   long caption", "#| tags: [parameters]", "a = 1"])
    assert code == "a = 1"
    assert options == {"fig-cap": "long caption\n", "tags": ["parameters"]}


def test_cell_options_defaults_and_overrides():
    defaults = execute_defaults({"execute": {"echo": False, "warning": False}})
    resolved = cell_options({"echo": True, "tags": "parameters"}, defaults)
    assert resolved.echo is True and resolved.warning is False and resolved.include is True
    assert resolved.is_parameters


def test_wall_clock_dates_are_dropped_from_metadata():
    settings = {"title": "T", "date": "today", "format": {"typst": {"page-header": "H"}}}
    labels = {"labels": {"published": "Published"}}
    assert pandoc_metadata(settings, "typst") == {"title": "T", "page-header": "H", **labels}
    assert pandoc_metadata(settings, "html") == {"title": "T", **labels}


def test_a_format_named_without_options_keeps_the_projects_options(tmp_path):
    from aidheart.render.options import document_settings

    (tmp_path / "_quarto.yml").write_text("format:\n  html:\n    toc: true\n  typst:\n    papersize: a4\n")
    settings = document_settings({"format": {"html": "default", "typst": {"toc": True}}}, tmp_path)
    assert settings["format"] == {"html": {"toc": True}, "typst": {"papersize": "a4", "toc": True}}
    assert document_settings({"format": "html"}, tmp_path)["format"]["html"] == {"toc": True}


def test_title_block_fields_as_quarto_derives_them():
    settings = {"author": "Study statistics unit", "date": "2026-05-24", "published-title": "Report date (data cut-off)"}
    metadata = pandoc_metadata(settings, "typst")
    assert metadata["by-author"] == [{"name": {"literal": "Study statistics unit"}}]
    assert metadata["labels"] == {"published": "Report date (data cut-off)"}
    language = {"language": {"title-block-published": "Updated"}, "author": ["A", {"name": "B"}]}
    assert pandoc_metadata(language, "html")["labels"] == {"published": "Updated"}
    assert [a["name"]["literal"] for a in pandoc_metadata(language, "html")["by-author"]] == ["A", "B"]


def test_parameter_assignments_are_python_literals():
    source = parameter_assignments({"cutoff_date": "2025-03-01", "n": 3, "paths": ["a.csv"], "flag": None})
    namespace = {}
    exec(source, namespace)
    assert namespace["cutoff_date"] == "2025-03-01" and namespace["n"] == 3
    assert namespace["paths"] == ["a.csv"] and namespace["flag"] is None
    with pytest.raises(RenderError, match="identifier"):
        parameter_assignments({"not valid": 1})
    with pytest.raises(RenderError, match="not str, number"):
        parameter_assignments({"x": object()})


def test_declared_parameters():
    assert declared_parameters("a = 1\nb: int = 2\nc, d = 3, 4\nprint(a)") == {"a", "b"}


def _crossref(markdown, tmp_path):
    ast = markdown_to_ast(markdown, tmp_path)
    labels = resolve_crossrefs(ast, "doc.qmd")
    html = pandoc(["--from", "json", "--to", "html", "--wrap=none"], stdin=json.dumps(ast))
    return labels, re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ")


def test_crossrefs_number_figures_and_tables_separately_in_document_order(tmp_path):
    markdown = (
        "See @tbl-b, @fig-a and -@tbl-c.\n\n"
        "![First figure](f.png){#fig-a}\n\n"
        "| x |\n|---|\n| 1 |\n\n: Table caption {#tbl-b}\n\n"
        "::: {#tbl-c}\n\n| y |\n|---|\n| 2 |\n\nFrom a cell\n\n:::\n"
    )
    labels, text = _crossref(markdown, tmp_path)
    assert labels == {"fig-a": "Figure 1", "tbl-b": "Table 1", "tbl-c": "Table 2"}
    assert "See Table 1, Figure 1 and 2." in text
    assert "Figure 1: First figure" in text
    assert "Table 1: Table caption" in text
    assert "Table 2: From a cell" in text


def test_crossref_links_point_at_the_labels(tmp_path):
    ast = markdown_to_ast("@fig-a\n\n![Cap](f.png){#fig-a}\n", tmp_path)
    resolve_crossrefs(ast)
    html = pandoc(["--from", "json", "--to", "html", "--wrap=none"], stdin=json.dumps(ast))
    assert '<a href="#fig-a" class="quarto-xref">Figure\u00a01</a>' in html
    assert '<div id="fig-a" class="quarto-float quarto-figure quarto-figure-center anchored">' in html
    assert re.search(r'<figure class="quarto-float quarto-float-fig figure">\s*<div aria-describedby="fig-a-caption">',
                     html)


def test_typst_floats_are_numbered_by_typst_as_quarto_writes_them(tmp_path):
    """Quarto's typst float: kind quarto-float-tbl, the caption on top, the label after; references by #ref."""
    ast = markdown_to_ast("See @tbl-b.\n\n| x |\n|---|\n| 1 |\n\n: Table caption {#tbl-b}\n", tmp_path)
    resolve_crossrefs(ast, target="typst")
    typst = pandoc(["--from", "json", "--to", "typst", "--wrap=none"], stdin=json.dumps(ast))
    assert "See #ref(<tbl-b>, supplement: [Table])." in typst
    assert typst.count("#figure([") == 1
    assert ('], caption: figure.caption(position: top, [Table caption]), kind: "quarto-float-tbl", '
            'supplement: "Table")<tbl-b>') in typst


def test_unresolved_reference_is_marked_and_logged(tmp_path, caplog):
    _, text = _crossref("See @fig-missing.\n", tmp_path)
    assert "?@fig-missing" in text
    assert "unresolved cross-reference @fig-missing" in caplog.text


def test_bibliography_citations_are_left_alone(tmp_path):
    _, text = _crossref("As @smith2020 showed.\n", tmp_path)
    assert "@smith2020" in text


def test_png_width_from_phys_chunk():
    import io

    import matplotlib

    matplotlib.use("Agg")  # test process only, not a notebook
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 2))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    assert png_width_inches(buffer.getvalue()) == pytest.approx(4.0, abs=0.02)
    assert png_width_inches(b"not a png") is None


def test_section_references_read_the_section_title(tmp_path):
    labels, text = _crossref("# Adverse events {#sec-ae}\n\nSee @sec-ae.\n", tmp_path)
    assert labels["sec-ae"] == "Adverse events"
    assert "See Adverse events." in " ".join(text.split())

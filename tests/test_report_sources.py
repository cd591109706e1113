"""The report sources as Quarto reads them: labelled cells, nothing to download, settings for both formats."""

import re
from pathlib import Path

import pytest
import yaml

from aidheart.render.qmd import read_qmd, split_chunks, split_front_matter

REPORTS_DIR = Path(__file__).resolve().parents[1] / "reports"
DOCUMENTS = sorted(REPORTS_DIR.glob("*.qmd"))
QUARTO_CONFIG = yaml.safe_load((REPORTS_DIR / "_quarto.yml").read_text())


def _cells(path: Path):
    front_matter, body, offset = split_front_matter(path.read_text(encoding="utf-8"), path)
    return [chunk for chunk in split_chunks(body, path, first_line=offset + 1) if chunk.kind == "code"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_every_code_cell_has_a_label(path):
    """Quarto gives an unlabelled cell a random id in the HTML: a label keeps two renders byte-identical."""
    unlabelled = [cell.line for cell in _cells(path) if not cell.options.get("label")]
    assert not unlabelled, f"{path.name}: code cells without a label at lines {unlabelled}"


@pytest.mark.parametrize("path", [path for path in DOCUMENTS if not path.name.startswith("_")], ids=lambda p: p.name)
def test_labels_are_unique_in_each_report_with_its_includes(path):
    labels = [cell.options["label"] for cell in read_qmd(path).cells if cell.options.get("label")]
    assert len(labels) == len(set(labels)), sorted({label for label in labels if labels.count(label) > 1})
    # A cell's label becomes a typst label of its block under Quarto: it must not be the running header's.
    assert "page-header" not in labels


def test_no_source_needs_a_download_at_render_time():
    """No typst package from @preview, no remote font, script, style or image anywhere in reports/."""
    sources = [*DOCUMENTS, REPORTS_DIR / "_quarto.yml", *sorted((REPORTS_DIR / "_typst").iterdir())]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']@preview/|#import\s+["']@""", text), f"{path.name} imports a typst package"
        assert not re.search(r"https?://", text), f"{path.name} names a remote resource"


def test_quarto_settings_for_both_formats():
    html, typst = QUARTO_CONFIG["format"]["html"], QUARTO_CONFIG["format"]["typst"]
    assert html["embed-resources"] is True
    assert html["format-links"] is False  # no "Other formats" link to a file that may not be beside the HTML
    partials = [REPORTS_DIR / partial for partial in typst["template-partials"]]
    assert [path.name for path in partials] == ["typst-template.typ", "typst-show.typ"]
    assert all(path.is_file() for path in partials)
    assert {"path": "_typst/callout.lua", "at": "pre-ast"} in QUARTO_CONFIG["filters"]


def test_typst_show_partial_passes_the_title_page_fields_quarto_passes():
    show = (REPORTS_DIR / "_typst" / "typst-show.typ").read_text(encoding="utf-8")
    for field in ("title: [$title$]", "subtitle: [$subtitle$]", "$for(by-author)$", "date: [$date$]",
                  'region: "$region$"', 'lang: "$lang$"', "toc_title: [$toc-title$]", "toc_depth: $toc-depth$",
                  'paper: "$papersize$"'):
        assert field in show, field


def test_dsmb_report_date_is_an_iso_date_labelled_by_the_front_matter():
    """Quarto parses ``date``; a labelled string would come out as 'Published <a date>'."""
    front_matter, _, _ = split_front_matter((REPORTS_DIR / "dsmb.qmd").read_text(encoding="utf-8"))
    assert front_matter["published-title"] == "Report date (data cut-off)"
    assert front_matter["date-format"] == "iso"
    assert "date" not in front_matter  # the rule passes the cut-off
    assert set(front_matter["format"]) == {"html", "typst"}  # its own format list keeps both formats


def test_callout_filter_draws_pdf_callouts_without_an_icon_font(tmp_path):
    from aidheart.render.convert import pandoc

    markdown = ('::: {.callout-warning title="Given *title*"}\nBody text.\n:::\n\n'
                "::: {.callout-note}\n## From the heading\nNote body.\n:::\n\n::: {.callout-tip}\nNo title.\n:::\n")
    source = tmp_path / "callouts.md"
    source.write_text(markdown)
    filter_path = str(REPORTS_DIR / "_typst" / "callout.lua")
    typst = pandoc(["--from", "markdown", "--to", "typst", "--lua-filter", filter_path, str(source)])
    assert '#report-callout(kind: "warning", title: [Given #emph[title]])[' in typst
    assert '#report-callout(kind: "note", title: [From the heading])[' in typst and "== From the heading" not in typst
    assert '#report-callout(kind: "tip", title: [Tip])[' in typst
    assert "fa-" not in typst and "#import" not in typst
    html = pandoc(["--from", "markdown", "--to", "html", "--lua-filter", filter_path, str(source)])
    assert '<div class="callout-warning" title="Given *title*">' in html  # Quarto draws its own HTML callouts

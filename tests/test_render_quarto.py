"""The quarto path: the command line it builds, and how it collects quarto's outputs.

A fake ``quarto`` on PATH records its argv and environment and writes the files
real Quarto would write for ``--to html,typst``: ``<stem>.html`` and ``<stem>.pdf``
in ``--output-dir`` (or, as ``--next-to-source`` variant, beside the document).
"""

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from aidheart.render import choose_renderer, render_document
from aidheart.render.quarto import QuartoError, quarto_argv, yaml_value

FIXTURES = Path(__file__).parent / "render_fixtures"

FAKE_QUARTO = """#!{python}
import json, os, sys
from pathlib import Path
argv = sys.argv[1:]
with open(os.environ["FAKE_QUARTO_LOG"], "a") as log:
    log.write(json.dumps({{"argv": argv, "cwd": os.getcwd(),
                          "QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON")}}) + "\\n")
formats = argv[argv.index("--to") + 1].split(",")
if os.environ.get("FAKE_QUARTO_FAIL") in formats:
    sys.stderr.write("Traceback ...\\nZeroDivisionError: division by zero\\n")
    sys.exit(1)
folder = Path(argv[argv.index("--output-dir") + 1])
if os.environ.get("FAKE_QUARTO_BESIDE_SOURCE"):
    folder = Path.cwd()
stem = Path(argv[1]).stem
for fmt in formats:
    if fmt == os.environ.get("FAKE_QUARTO_SKIP"):
        continue
    name = stem + {{"html": ".html", "typst": ".pdf"}}[fmt]
    (folder / name).write_text("rendered by fake quarto: " + fmt + " " + " ".join(argv))
"""


@pytest.fixture
def fake_quarto(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text(FAKE_QUARTO.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "quarto-calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(log))
    monkeypatch.delenv("QUARTO_PYTHON", raising=False)

    def calls():
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return calls


def test_auto_prefers_quarto_when_on_path(fake_quarto):
    assert choose_renderer("auto") == "quarto"
    assert choose_renderer("builtin") == "builtin"


def test_auto_falls_back_to_builtin(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_renderer("auto") == "builtin"


def test_quarto_command_lines(fake_quarto, tmp_path):
    out = tmp_path / "results"
    used = render_document(
        FIXTURES / "basic.qmd",
        parameters={"cutoff_date": "2025-03-01", "n_subjects": 4, "adsl": "../results/adsl.parquet"},
        outputs={"html": out / "basic.html", "pdf": out / "basic.pdf"},
        metadata={"page-footer": "Prepared by the study statistics unit"},
    )
    assert used == "quarto"
    (call,) = fake_quarto()  # both formats in one quarto call
    argv = call["argv"]
    assert argv[:5] == ["render", "basic.qmd", "--to", "html,typst", "--output-dir"]
    assert "--output" not in argv  # each output named after the document: format links stay right
    assert Path(argv[5]).parent == out  # a fresh folder beside the destination, removed afterwards
    assert not Path(argv[5]).exists()
    pairs = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-P"]
    assert pairs == ["cutoff_date:'2025-03-01'", "n_subjects:4", "adsl:../results/adsl.parquet"]
    metadata = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-M"]
    assert "page-footer:Prepared by the study statistics unit" in metadata
    assert "embed-resources:true" in metadata
    assert call["cwd"] == str(FIXTURES)
    assert call["QUARTO_PYTHON"] == sys.executable
    assert (out / "basic.html").read_text().startswith("rendered by fake quarto: html render basic.qmd")
    assert (out / "basic.pdf").read_text().startswith("rendered by fake quarto: typst render basic.qmd")
    assert sorted(path.name for path in out.iterdir()) == ["basic.html", "basic.pdf"]


def test_pdf_alone_is_one_typst_call(fake_quarto, tmp_path):
    render_document(FIXTURES / "basic.qmd", parameters={}, outputs={"pdf": tmp_path / "report.pdf"})
    (call,) = fake_quarto()
    assert call["argv"][call["argv"].index("--to") + 1] == "typst"
    assert "embed-resources:true" not in call["argv"]
    assert (tmp_path / "report.pdf").read_text().startswith("rendered by fake quarto: typst")


def test_output_written_beside_the_source_is_collected(fake_quarto, tmp_path, monkeypatch):
    source_dir = tmp_path / "reports"
    source_dir.mkdir()
    (source_dir / "doc.qmd").write_text("---\ntitle: x\n---\n")
    monkeypatch.setenv("FAKE_QUARTO_BESIDE_SOURCE", "1")
    render_document(source_dir / "doc.qmd", parameters={}, outputs={"html": tmp_path / "out" / "doc.html"})
    assert (tmp_path / "out" / "doc.html").exists()
    assert not (source_dir / "doc.html").exists()


@pytest.mark.parametrize(("variable", "message"), [
    ("FAKE_QUARTO_FAIL", "ZeroDivisionError: division by zero"),  # quarto exits with an error
    ("FAKE_QUARTO_SKIP", "quarto did not write basic.pdf"),  # quarto succeeds without the PDF
])
def test_a_failed_render_leaves_no_outputs(fake_quarto, tmp_path, monkeypatch, variable, message):
    monkeypatch.setenv(variable, "typst")
    out = tmp_path / "out"
    outputs = {"html": out / "doc.html", "pdf": out / "doc.pdf"}
    with pytest.raises(QuartoError, match=message):
        render_document(FIXTURES / "basic.qmd", parameters={}, outputs=outputs, renderer="quarto")
    assert list(out.iterdir()) == []  # nor quarto's temporary output folder


def test_workdir_becomes_execute_dir(tmp_path):
    argv = quarto_argv("quarto", "a.qmd", ["pdf"], tmp_path, {}, execute_dir=tmp_path)
    assert argv[argv.index("--execute-dir") + 1] == str(tmp_path)
    assert argv[argv.index("--to") + 1] == "typst"


@pytest.mark.parametrize(
    ("value", "text"),
    [("2025-03-01", "'2025-03-01'"), ("results/ard.csv", "results/ard.csv"), ("007", "'007'"), (3, "3"),
     (0.5, "0.5"), (True, "true"), (None, "null"), ("yes", "'yes'"), (["a.csv", "b.csv"], "[a.csv, b.csv]"),
     ("a: b", "'a: b'")],
)
def test_parameter_values_are_yaml_that_reads_back_as_given(value, text):
    # quarto parses each -P value with a YAML reader; quoting keeps strings strings
    import yaml

    assert yaml_value(value) == text
    assert yaml.safe_load(text) == value

"""scripts/render_report.py as a rule runs it: named inputs become path parameters."""

import os

import runpy
from pathlib import Path
from types import SimpleNamespace

from snakemake.iocontainers import Namedlist

from test_render_quarto import fake_quarto  # noqa: F401  (fixture)

SCRIPT = Path(__file__).parents[1] / "scripts" / "render_report.py"
FIXTURES = Path(__file__).parent / "render_fixtures"


def test_rule_script_passes_named_inputs_as_parameters(fake_quarto, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(FIXTURES.parent.parent)  # the workflow's working directory: the repository
    results = tmp_path / "results"
    snakemake = SimpleNamespace(
        input=Namedlist(fromdict={"qmd": "tests/render_fixtures/basic.qmd", "ard": "results/ard/ard.csv",
                                  "figures": Namedlist(toclone=["results/figures/a.png", "results/figures/b.png"])}),
        output=Namedlist(fromdict={"html": str(results / "basic.html"), "pdf": str(results / "basic.pdf")}),
        params=Namedlist(fromdict={"parameters": {"cutoff_date": "2025-03-01"}, "renderer": "quarto",
                                   "metadata": {"page-footer": "Study statistics unit"}}),
        log=[str(tmp_path / "render.log")],
    )
    runpy.run_path(str(SCRIPT), init_globals={"snakemake": snakemake})
    argv = fake_quarto()[0]["argv"]
    parameters = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-P"]
    assert parameters == [
        "ard:results/ard/ard.csv",
        "figures:[results/figures/a.png, results/figures/b.png]",
        "cutoff_date:'2025-03-01'",
    ]
    assert argv[argv.index("--execute-dir") + 1] == os.getcwd()  # cells run where the paths are valid
    assert "page-footer:Study statistics unit" in argv
    assert (results / "basic.html").exists() and (results / "basic.pdf").exists()
    log = (tmp_path / "render.log").read_text()
    assert "with the quarto renderer (requested: quarto)" in log

"""Rendering the reports again from the same results gives the same bytes (no clocks, fixed figures)."""

import os

import pytest
import yaml
from study_model import CONFIG

from aidheart.render import render_document
from aidheart.study import study_config

from test_report_workflow import REPORTS

REPO_REPORTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "reports")
INPUTS = {
    "analysis": {"ard": "results/stats/ard.csv", "adsl": "results/adam/adsl.csv", "adeff": "results/adam/adeff.csv",
                 "adae": "results/adam/adae.csv", "adlb": "results/adam/adlb.csv",
                 "input_files": "results/provenance/input_files.csv",
                 "run_info": "results/provenance/run_info.json"},
    "data_quality": {"queries": "results/qc/queries.csv", "derive_queries": "results/qc/derive_queries.csv",
                     "reconciliation": "results/qc/reconciliation.csv"},
}
#: What the rules pass besides the input files (the analysis report: the figure folder and the study model).
PARAMETERS = {"analysis": {"cutoff_date": "", "figures": "results/figures",
                           "config": study_config(yaml.safe_load(CONFIG.read_text()))},
              "data_quality": {"cutoff_date": ""}}


@pytest.mark.parametrize("name", REPORTS)
def test_rendering_twice_gives_the_pipeline_bytes(shipped_run, tmp_path, name):
    produced = shipped_run / "results" / "reports"
    for attempt in ("first", "second"):
        outputs = {"html": tmp_path / attempt / f"{name}.html", "pdf": tmp_path / attempt / f"{name}.pdf"}
        render_document(os.path.join(REPO_REPORTS, f"{name}.qmd"), parameters={**INPUTS[name], **PARAMETERS[name]},
                        outputs=outputs, renderer="builtin", workdir=shipped_run)
        for fmt, path in outputs.items():
            assert path.read_bytes() == (produced / f"{name}.{fmt}").read_bytes(), f"{attempt} {name}.{fmt}"


def test_a_second_clean_run_gives_identical_reports(shipped_run, tmp_path):
    from conftest import SHIPPED_DATA, run_workflow

    targets = [f"results/reports/{name}.{fmt}" for name in REPORTS for fmt in ("html", "pdf")]
    run_workflow(tmp_path, SHIPPED_DATA, "--cores", "2", *targets)
    for name in REPORTS:
        for fmt in ("html", "pdf"):
            first = (shipped_run / "results" / "reports" / f"{name}.{fmt}").read_bytes()
            assert (tmp_path / "results" / "reports" / f"{name}.{fmt}").read_bytes() == first, f"{name}.{fmt}"

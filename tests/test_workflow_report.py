"""``snakemake --report`` builds the workflow's report with every output marked for it, in its category."""

from __future__ import annotations

import json
import re

import pytest
from study_model import STUDY

from aidheart.figures.names import ENDPOINT_FIGURES, RESULT_FIGURES, SUBJECT_FIGURES, figure_stem
from conftest import REPO, SHIPPED_DATA, run_workflow

CAPTIONS = REPO / "workflow" / "report"

FIGURES = [figure_stem(kind) for kind in (*SUBJECT_FIGURES, *RESULT_FIGURES)] + [
    figure_stem(kind, endpoint.paramcd) for endpoint in STUDY.with_role("trajectory") for kind in ENDPOINT_FIGURES] + [
    "power"]  # the next trial's power curves, drawn by power_gather
EXPECTED = {
    "Figures": {f"results/figures/{stem}.png" for stem in FIGURES},
    "Reports": {f"results/reports/{name}" for name in ("analysis.html", "analysis.pdf", "data_quality.html",
                                                       "data_quality.pdf", "dsmb.html", "dsmb.pdf")},
    "Data quality": {"results/qc/queries.csv"},
}


@pytest.fixture(scope="module")
def report_categories(shipped_run, tmp_path_factory):
    """The categories of the report of the session's run: category -> the files listed under it."""
    report = tmp_path_factory.mktemp("report") / "report.html"
    run_workflow(shipped_run, SHIPPED_DATA, "--cores", "1", "--report", str(report))
    html = report.read_text(encoding="utf-8")
    categories = json.loads(re.search(r"var categories = (\{.*?\});", html, flags=re.DOTALL).group(1))
    return {name: {path for paths in subcategories.values() for path in paths}
            for name, subcategories in categories.items()}, html


def test_every_category_holds_its_outputs(report_categories):
    categories, _ = report_categories
    assert categories == EXPECTED


def test_every_caption_is_in_the_report(report_categories):
    _, html = report_categories
    for caption in sorted(CAPTIONS.glob("*.rst")):
        opening = " ".join(caption.read_text(encoding="utf-8").split()[:3])
        assert opening in html or json.dumps(opening)[1:-1] in html, caption.name  # as text, or JSON-escaped

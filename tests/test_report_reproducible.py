"""Rendering the reports again from the same results gives the same bytes (no clocks, fixed figures).

Byte comparisons pin the renderer: two built-in renders are compared with each other,
and with the pipeline's outputs when the pipeline rendered with the built-in renderer
too (``renderer: auto`` picks Quarto where it is installed).  A second pipeline run
uses the same renderer as the first, so its reports must equal the first's either way.
"""

import pytest

from report_renders import REPORTS, render_report


def _pipeline_renderer(shipped_run, name: str) -> str:
    log = (shipped_run / "logs" / "reports" / f"{name}.log").read_text(encoding="utf-8")
    return "quarto" if "rendered by quarto" in log else "builtin"


@pytest.mark.parametrize("name", REPORTS)
def test_rendering_twice_gives_the_same_bytes(shipped_run, tmp_path, name):
    again = render_report(name, shipped_run, tmp_path / "again", "builtin")
    if _pipeline_renderer(shipped_run, name) == "builtin":
        first = {fmt: shipped_run / "results" / "reports" / f"{name}.{fmt}" for fmt in again}
    else:
        first = render_report(name, shipped_run, tmp_path / "first", "builtin")
    for fmt, path in again.items():
        assert path.read_bytes() == first[fmt].read_bytes(), f"{name}.{fmt} differs between two renders"


def test_a_second_clean_run_gives_identical_reports(shipped_run, tmp_path):
    from conftest import SHIPPED_DATA, run_workflow

    targets = [f"results/reports/{name}.{fmt}" for name in REPORTS for fmt in ("html", "pdf")]
    run_workflow(tmp_path, SHIPPED_DATA, "--cores", "2", *targets)
    for name in REPORTS:
        for fmt in ("html", "pdf"):
            first = (shipped_run / "results" / "reports" / f"{name}.{fmt}").read_bytes()
            assert (tmp_path / "results" / "reports" / f"{name}.{fmt}").read_bytes() == first, f"{name}.{fmt}"

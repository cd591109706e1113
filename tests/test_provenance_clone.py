"""A fresh clone's run says "no uncommitted changes", leaves the work tree clean, and a second run has nothing to do.

The run works in the clone itself, as ``make run`` does (results/, logs/ and
.snakemake/ beside the sources); Quarto's render artefacts are then added the way a
Quarto render leaves them in reports/.
"""

import json
import subprocess

import pytest

from conftest import REPO, SNAKEMAKE


def _git(repo, *args) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if subprocess.run(["git", "-C", str(REPO), "rev-parse"], capture_output=True).returncode != 0:
        pytest.skip("the repository is not a git work tree")
    target = tmp_path_factory.mktemp("fresh") / "aidheart"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    done = subprocess.run([str(SNAKEMAKE), "-s", str(target / "Snakefile"), "--directory", str(target), "--cores", "2"],
                          capture_output=True, text=True, cwd=target)
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def test_fresh_clone_run_reports_no_uncommitted_changes(clone):
    info = json.loads((clone / "results" / "provenance" / "run_info.json").read_text())
    assert info["code_revision"] == _git(clone, "rev-parse", "HEAD").strip()
    assert info["code_dirty"] is False
    appendix = subprocess.run(["pdftotext", "-layout", str(clone / "results" / "reports" / "analysis.pdf"), "-"],
                              check=True, capture_output=True, text=True).stdout
    assert "Uncommitted changes       no" in appendix or "Uncommitted changes no" in " ".join(appendix.split())


def test_the_run_and_quartos_artefacts_leave_the_work_tree_clean_and_up_to_date(clone):
    reports = clone / "reports"
    (reports / ".quarto" / "xref").mkdir(parents=True)
    (reports / ".quarto" / "xref" / "index.json").write_text("{}")
    (reports / "analysis.quarto_ipynb").write_text("{}")
    (reports / "analysis_files" / "figure-typst").mkdir(parents=True)
    (reports / "analysis.typ").write_text("// left by a failed PDF render\n")
    assert _git(clone, "status", "--porcelain") == ""  # nothing untracked that is not ignored
    from aidheart.provenance import git_state

    assert git_state(clone)["dirty"] is False
    dry = subprocess.run([str(SNAKEMAKE), "-s", str(clone / "Snakefile"), "--directory", str(clone), "-n"],
                         capture_output=True, text=True, cwd=clone)
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert "Nothing to be done" in dry.stdout + dry.stderr


def test_an_edited_tracked_file_is_an_uncommitted_change(clone):
    from aidheart.provenance import git_state

    readme = clone / "README.md"
    original = readme.read_text()
    try:
        readme.write_text(original + "\nedited\n")
        assert git_state(clone)["dirty"] is True
    finally:
        readme.write_text(original)
    assert git_state(clone)["dirty"] is False

"""environment.yml (conda route) and pyproject.toml (pip route) list the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Only in environment.yml: the interpreter, conda's pip, and Quarto (no pip package works).
CONDA_ONLY = {"python", "pip", "quarto"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_packages() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_name(requirement) for requirement in requirements}


def _environment_packages() -> set[str]:
    dependencies = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    names = set()
    for entry in dependencies:
        if isinstance(entry, dict):
            names |= {_name(item) for item in entry["pip"] if not item.startswith("-e")}
        else:
            names.add(_name(entry))
    return names - CONDA_ONLY


def test_same_packages_in_both_environment_files():
    pyproject, environment = _pyproject_packages(), _environment_packages()
    assert pyproject - environment == set(), "in pyproject.toml only"
    assert environment - pyproject == set(), "in environment.yml only"


def test_environment_yml_installs_the_project_and_quarto():
    dependencies = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    pip_section = next(entry["pip"] for entry in dependencies if isinstance(entry, dict))
    assert "-e ." in pip_section
    assert any(_name(entry) == "quarto" for entry in dependencies if isinstance(entry, str))


def test_quarto_pinned_to_the_versions_the_reports_are_written_for():
    """The reports use Quarto 1.6/1.7 behaviour (typst partials, filter entry points): both conda files pin it."""
    for path in (ROOT / "environment.yml", ROOT / "workflow" / "envs" / "report.yaml"):
        dependencies = yaml.safe_load(path.read_text())["dependencies"]
        assert "quarto>=1.6,<1.8" in [entry for entry in dependencies if isinstance(entry, str)], path.name
    assert "Quarto 1.6 and 1.7" in (ROOT / "README.md").read_text()


def test_lock_file_pins_every_declared_package():
    locked = {_name(line) for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    assert _pyproject_packages() - locked == set()

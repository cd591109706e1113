"""What the DSMB report takes from the configuration and the export (for the workflow rule; no Snakemake here)."""

from __future__ import annotations

from pathlib import Path

from aidheart.cutoff import effective_cutoff
from aidheart.study import study_config


#: Configuration keys the DSMB report reads besides the study model.
REPORT_KEYS = ("safety", "populations", "stopping_rules", "dsmb")


def report_parameters(config: dict, export_files) -> dict:
    """The DSMB report's parameters besides its input files: the cut-off and its source, and ``config``,
    the configuration keys it reads (the study model, safety, populations, stopping rules and the DSMB texts)."""
    cutoff, source = effective_cutoff(config, export_files)
    return {"cutoff_date": cutoff, "cutoff_source": source,
            "config": {**study_config(config), **{key: config[key] for key in REPORT_KEYS}}}


def report_metadata(config: dict, export_files) -> dict:
    """Front-matter overrides of the title page: "OPEN SESSION REPORT", who prepared it, the report date
    (= the data cut-off, an ISO date: the report's front matter labels it), and the page footer."""
    cutoff, _ = effective_cutoff(config, export_files)
    return {"subtitle": "OPEN SESSION REPORT", "author": "Prepared by the study statistics unit",
            "date": str(cutoff),
            "page-footer": "AID-HEART DSMB open-session report · prepared by the study statistics unit"}


def source_files(root: str | Path) -> list[str]:
    """The report's shared includes and the library modules that build its tables and figure (a change
    re-renders it)."""
    root = Path(root)
    package = root / "src" / "aidheart"
    modules = [*(package / "tables").glob("*.py"), *(package / "figures").glob("*.py"),
               *(package / "analysis").glob("*.py"), package / "stats" / "incidence.py",
               package / "stats" / "proportions.py", package / "cutoff.py"]
    return [str(root / "reports" / "_setup.qmd"), str(root / "reports" / "_quarto.yml"),
            *sorted(str(path) for path in modules)]

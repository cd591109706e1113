"""What the DSMB report takes from the configuration and the export (for the workflow rule; no Snakemake here)."""

from __future__ import annotations

import re
from pathlib import Path

from aidheart.study import study_config

EXPORT_NAME = re.compile(r"_DATA_(\d{4}-\d{2}-\d{2})_\d{4}\.csv$")


def report_cutoff(config: dict, export_files) -> tuple[str, str]:
    """``(cut-off date, source)``: the configured ``cutoff_date`` (source ``config``), else the date in
    the REDCap export's file name ``<project>_DATA_YYYY-MM-DD_HHMM.csv`` (``export``), else ``("", "none")``."""
    if config.get("cutoff_date"):
        return str(config["cutoff_date"]), "config"
    dates = [match.group(1) for path in export_files if (match := EXPORT_NAME.search(Path(path).name))]
    return (max(dates), "export") if dates else ("", "none")


#: Configuration keys the DSMB report reads besides the study model.
REPORT_KEYS = ("safety", "populations", "stopping_rules")


def report_parameters(config: dict, export_files) -> dict:
    """The DSMB report's parameters besides its input files: the cut-off and its source, and ``config``,
    the configuration keys it reads (the study model, safety, populations and stopping rules)."""
    cutoff, source = report_cutoff(config, export_files)
    return {"cutoff_date": cutoff, "cutoff_source": source,
            "config": {**study_config(config), **{key: config[key] for key in REPORT_KEYS}}}


def report_metadata(config: dict, export_files) -> dict:
    """Front-matter overrides of the title page: "OPEN SESSION REPORT", who prepared it, the report date
    (= the data cut-off, an ISO date: the report's front matter labels it), and the page footer."""
    cutoff, _ = report_cutoff(config, export_files)
    return {"subtitle": "OPEN SESSION REPORT", "author": "Prepared by the study statistics unit",
            "date": str(cutoff),
            "page-footer": "AID-HEART DSMB open-session report · prepared by the study statistics unit"}


def source_files(root: str | Path) -> list[str]:
    """The report's shared includes and the library modules that build its tables and figure (a change
    re-renders it)."""
    root = Path(root)
    package = root / "src" / "aidheart"
    modules = [*(package / "tables").glob("*.py"), package / "figures" / "enrolment.py", package / "figures" / "palette.py"]
    return [str(root / "reports" / "_setup.qmd"), str(root / "reports" / "_quarto.yml"),
            *sorted(str(path) for path in modules)]

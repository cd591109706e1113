"""The run's one data cut-off: the configured ``cutoff_date``, else the date of the REDCap export.

Every stage and every report takes the same effective cut-off (the workflow works it
out once): cleaning excludes what is dated after it and gives each subject the study
day of it (ADSL ``DCUTDY``), the analysis counts the months of accrual to it, and the
three reports state it with :func:`cutoff_statement`, in the same words.
"""

from __future__ import annotations

from pathlib import Path

from aidheart import formats as F

#: Where the cut-off came from: configured, the export's date, or nothing dated (no export found).
CONFIGURED, EXPORT_DATE, NO_DATE = "config", "export", "none"


def effective_cutoff(config: dict, export_files) -> tuple[str, str]:
    """``(cut-off date, source)``: the configured ``cutoff_date`` (source ``"config"``), else the date in the
    REDCap export's file name ``AIDHEART_DATA_YYYY-MM-DD_HHMM.csv`` (``"export"``), else ``("", "none")``."""
    if config.get("cutoff_date"):
        return str(config["cutoff_date"]), CONFIGURED
    dates = [match.group(1) for path in export_files if (match := F.EXPORT_FILE_PATTERN.match(Path(path).name))]
    return (max(dates), EXPORT_DATE) if dates else ("", NO_DATE)


def cutoff_statement(cutoff_date: str, source: str) -> str:
    """The cut-off as every report states it once: the date, and where it came from when not configured."""
    if not cutoff_date:
        return "none (no dated export)"
    if source == EXPORT_DATE:
        return f"{cutoff_date}, the export date (no cut-off configured)"
    return str(cutoff_date)

"""The reproducibility appendix: input file hashes, configuration, packages and code revision as tables."""

from __future__ import annotations

import json

import pandas as pd

from aidheart.cutoff import NO_DATE, cutoff_statement
from aidheart.tables.formatting import fmt_count


def input_files_table(manifest: pd.DataFrame) -> pd.DataFrame:
    """One row per input file: ``File``, ``Bytes``, ``SHA-256`` (full hex digest), sorted by file."""
    table = manifest.sort_values("file", ignore_index=True)
    return pd.DataFrame({"File": table["file"], "Bytes": [fmt_count(b) for b in table["bytes"]],
                         "SHA-256": table["sha256"]})


def run_table(info: dict) -> pd.DataFrame:
    """Code revision, dirty flag and data cut-off of the run: ``Item``, ``Value``."""
    dirty = info.get("code_dirty")
    dirty_text = {True: "yes — uncommitted changes", False: "no", None: "unknown"}[dirty]
    return pd.DataFrame([("Code revision (git)", info.get("code_revision", "unknown")),
                         ("Uncommitted changes", dirty_text),
                         ("Data cut-off", cutoff_statement(info.get("cutoff_date", ""),
                                                           info.get("cutoff_source", NO_DATE)))],
                        columns=["Item", "Value"])


def package_table(info: dict) -> pd.DataFrame:
    """Package versions of the run: ``Package``, ``Version`` (Python first, then alphabetical)."""
    packages = dict(info.get("packages", {}))
    python = packages.pop("python", None)
    rows = ([("python", python)] if python else []) + sorted(packages.items())
    return pd.DataFrame(rows, columns=["Package", "Version"])


def flatten_config(config: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Configuration as ``(dotted key, value)`` pairs; lists of scalars and of mappings are shown as JSON."""
    pairs = []
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs += flatten_config(value, f"{name}.")
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            pairs += [(f"{name}[{i}]", json.dumps(item, ensure_ascii=False)) for i, item in enumerate(value)]
        else:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            pairs.append((name, text if text != "" else "(empty)"))
    return pairs


def config_table(info: dict) -> pd.DataFrame:
    """The run's configuration: ``Key``, ``Value`` (``|`` escaped for Markdown tables)."""
    rows = [(key, value.replace("|", "\\|")) for key, value in flatten_config(info.get("config", {}))]
    return pd.DataFrame(rows, columns=["Key", "Value"])

"""The reproducibility appendix: input file hashes, configuration, packages and code revision as tables."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from aidheart.cutoff import NO_DATE, cutoff_statement
from aidheart.tables.formatting import fmt_count


def folder_digest(files: pd.DataFrame) -> str:
    """SHA-256 of a folder's files as the manifest lists them: of the lines ``<file>,<bytes>,<sha256>\n``
    (the manifest's own CSV lines), sorted by file, UTF-8.

    Anyone holding ``input_files.csv`` recomputes it with
    ``grep '^monitor/' input_files.csv | LC_ALL=C sort | sha256sum``.
    """
    lines = sorted(f"{row.file},{int(row.bytes)},{row.sha256}\n" for row in files.itertuples(index=False))
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def input_files_table(manifest: pd.DataFrame, by_folder: tuple[str, ...] = ()) -> pd.DataFrame:
    """The input files: ``File``, ``Bytes``, ``SHA-256`` (full hex digest), sorted by file.

    A file is a row of its own, except those in a folder of ``by_folder`` (one file per
    device session: thousands at a large study): one row per such folder, ``<folder>/ (<n>
    files)``, their summed bytes and :func:`folder_digest` of their manifest lines, which
    the manifest (one row per file) lets a reader check.
    """
    table = manifest.sort_values("file", ignore_index=True)
    folder = table["file"].str.split("/", n=1).str[0]
    grouped = folder.isin(by_folder) & table["file"].str.contains("/", regex=False)
    rows = [(file, fmt_count(size), digest) for file, size, digest in
            table.loc[~grouped, ["file", "bytes", "sha256"]].itertuples(index=False)]
    for name, files in table[grouped].groupby(folder[grouped], sort=True):
        rows.append((f"{name}/ ({len(files)} files)", fmt_count(files["bytes"].sum()), folder_digest(files)))
    return pd.DataFrame(sorted(rows), columns=["File", "Bytes", "SHA-256"])


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

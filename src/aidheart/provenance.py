"""Provenance of a run: hashes of the input files (for the reproducibility appendix)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd


def sha256_of_file(path: str | Path, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_manifest(paths) -> pd.DataFrame:
    """One row per input file: ``file`` (``<folder>/<name>``, e.g. ``monitor/1002_week_4_arm_1.csv``), ``bytes``, ``sha256``.

    Files are named by their folder under the data directory and their own name, so the
    manifest does not depend on where the data directory lives; rows are sorted by file.
    """
    rows = [
        {
            "file": f"{Path(path).parent.name}/{Path(path).name}",
            "bytes": Path(path).stat().st_size,
            "sha256": sha256_of_file(path),
        }
        for path in paths
    ]
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"]).sort_values("file", ignore_index=True)

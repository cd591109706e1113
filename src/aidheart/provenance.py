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


def input_manifest(paths, root: str | Path) -> pd.DataFrame:
    """One row per input file: ``file`` (relative to ``root``, POSIX), ``bytes``, ``sha256``; sorted by file."""
    root = Path(root)
    rows = [
        {
            "file": Path(path).relative_to(root).as_posix(),
            "bytes": Path(path).stat().st_size,
            "sha256": sha256_of_file(path),
        }
        for path in paths
    ]
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"]).sort_values("file", ignore_index=True)

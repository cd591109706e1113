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


#: Distributions whose versions the reproducibility appendix lists.
REPORTED_PACKAGES = ("aidheart", "snakemake", "numpy", "pandas", "scipy", "matplotlib", "pyyaml", "tabulate",
                     "nbformat", "nbclient", "ipykernel", "pypandoc_binary", "typst")


def git_state(repo: str | Path) -> dict:
    """``{"revision": <commit hash or "unknown">, "dirty": bool | None}`` of the git work tree at ``repo``.

    Dirty means a tracked file differs from the commit (modified, staged, deleted or renamed:
    ``git status --porcelain --untracked-files=no``). Untracked files do not count: a run and
    its tools leave some (results, Quarto's scratch files); a new source file counts once it is
    added to git. Without git or outside a repository both are unknown.
    """
    import subprocess

    def git(*args):
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout

    try:
        revision = git("rev-parse", "HEAD").strip()
        dirty = bool(git("status", "--porcelain", "--untracked-files=no").strip())
    except (OSError, subprocess.CalledProcessError):
        return {"revision": "unknown", "dirty": None}
    return {"revision": revision, "dirty": dirty}


def package_versions(names=REPORTED_PACKAGES) -> dict[str, str]:
    """Installed version of each distribution (``"not installed"`` when absent), plus ``python``."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def run_info(config: dict, git: dict, packages: dict[str, str], cutoff: dict) -> dict:
    """What a run was made from, without wall-clock time: the effective data cut-off (``cutoff``: its
    ``cutoff_date`` and ``cutoff_source``, :func:`aidheart.cutoff.effective_cutoff`), code revision,
    packages, configuration."""
    return {"cutoff_date": str(cutoff["cutoff_date"]), "cutoff_source": str(cutoff["cutoff_source"]),
            "code_revision": git.get("revision", "unknown"),
            "code_dirty": git.get("dirty"), "packages": dict(packages), "config": config}

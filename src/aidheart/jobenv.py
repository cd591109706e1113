"""Environment of the pipeline's jobs."""

from __future__ import annotations

import os


def export_package_path(src_dir: str) -> None:
    """Prepend ``src_dir`` to ``PYTHONPATH`` so every rule script imports this checkout's package.

    Jobs inherit the variable whether they run in the project's virtual environment,
    a per-rule conda environment or on a cluster node, so no install step can leave
    a script importing a stale copy of :mod:`aidheart`.
    """
    parts = [src_dir] + [part for part in os.environ.get("PYTHONPATH", "").split(os.pathsep) if part and part != src_dir]
    os.environ["PYTHONPATH"] = os.pathsep.join(parts)

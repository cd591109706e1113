"""All-or-nothing writing of several CSV files: temporary files first, renamed only when all are written."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd


def write_csvs(frames: dict[str, pd.DataFrame]) -> None:
    """Write each DataFrame to its path (no index, ``\\n`` line ends, empty for missing).

    Every file is written to ``<path>.tmp<pid>`` first; the renames happen only
    after all writes succeeded, so a failure never leaves a half-written output.
    """
    temporaries = []
    try:
        for path, frame in frames.items():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            temporary = f"{path}.tmp{os.getpid()}"
            temporaries.append(temporary)
            frame.to_csv(temporary, index=False, lineterminator="\n", na_rep="")
    except BaseException:
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
        raise
    for temporary, path in zip(temporaries, frames):
        os.replace(temporary, path)

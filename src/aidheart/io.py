"""The pipeline's files: one reader per kind and atomic writes for every output.

Reading
    Every CSV the pipeline writes (clean tables, ADaM datasets, query listings, the ARD)
    is read back with one rule for missing values: an empty cell is missing, any other
    text (``"NA"``, ``"None"``) is a value. Identifier-like key columns stay text, so
    ``"1002"`` or a site ``"01"`` is never turned into a number.

Writing
    An output is written to a temporary file in its own folder and renamed over the
    target only when complete (:func:`os.replace` is atomic within a file system).
    Files that belong together (a figure's PNG and SVG, the clean tables of one run)
    are renamed only after all of them were written. A failed write -- a full disk, a
    quota, a killed job -- therefore leaves the previous file or none, never a partial
    one, and no temporary file is left behind. The failure is raised as
    :class:`WriteError`, whose message is one line naming the file.

The monitor jobs import this module without pandas (they must start fast), so pandas
is imported inside the functions that read or write tables.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from aidheart.rulelog import exit_on_error

#: Columns read as text whatever they look like (subject, site and event keys, file names).
TEXT_COLUMNS = ("record_id", "SUBJID", "SITEID", "event", "monitor_file", "MONFILE")
#: Columns of the ARD read as text, with an empty cell read as "" (not missing).
ARD_TEXT_COLUMNS = ("visit", "note")
#: Float format of the ARD: every value at full (round-trip) precision.
ARD_FLOAT_FORMAT = "%.17g"


class WriteError(OSError):
    """An output could not be written; the message is one line: the file and the system's reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path}: {reason}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary_for(target: Path) -> Path:
    """A new empty file beside ``target`` (same file system), readable as a normal output would be."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    os.chmod(name, 0o666 & ~_umask())  # mkstemp makes 0600; outputs keep the usual permissions
    return Path(name)


@contextmanager
def atomic_paths(targets: Sequence[str | Path]) -> Iterator[list[Path]]:
    """Temporary paths for ``targets``; each is renamed over its target when the block ends without error.

    Parameters
    ----------
    targets : sequence of path
        The outputs written together. The block writes each temporary path (in the
        order given); all are renamed only after the whole block succeeded.

    Raises
    ------
    WriteError
        An :class:`OSError` inside the block or while renaming; every temporary file
        is removed first, and no target is replaced.
    """
    paths = [Path(target) for target in targets]
    temporaries: list[Path] = []
    current = paths[0] if paths else Path()
    try:
        for path in paths:
            current = path
            temporaries.append(_temporary_for(path))
        yield list(temporaries)
        for temporary, path in zip(temporaries, paths):
            current = path
            os.replace(temporary, path)
    except OSError as error:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        if isinstance(error, WriteError):
            raise
        raise WriteError(_failed_target(error, temporaries, paths, current), error.strerror or str(error)) from error
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def _failed_target(error: OSError, temporaries: list[Path], paths: list[Path], current: Path) -> Path:
    """The output a failure concerns: the one whose temporary file the error names, else the last one touched."""
    for temporary, path in zip(temporaries, paths):
        if error.filename in (str(temporary), temporary):
            return path
    return current


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends as given) to ``path`` atomically."""
    with atomic_paths([path]) as (temporary,):
        temporary.write_text(text, encoding="utf-8", newline="")


def write_table(frame, path: str | Path, *, float_format: str | None = None) -> None:
    """Write a DataFrame as CSV atomically: no index, ``\\n`` line ends, missing values as empty cells."""
    write_tables({path: frame}, float_format=float_format)


def write_tables(frames: Mapping[str | Path, object], *, float_format: str | None = None) -> None:
    """Write several DataFrames as CSV (see :func:`write_table`); all are replaced or none."""
    with atomic_paths(list(frames)) as temporaries:
        for temporary, frame in zip(temporaries, frames.values()):
            frame.to_csv(temporary, index=False, lineterminator="\n", na_rep="", float_format=float_format)


def read_table(path: str | Path, text_columns: Sequence[str] = TEXT_COLUMNS):
    """Read a CSV the pipeline wrote: empty cells are missing, ``text_columns`` stay text.

    Numbers are parsed by pandas; text such as ``"NA"`` or ``"None"`` is kept as it is
    (it is a recorded value). A file with no header at all gives an empty DataFrame.
    """
    import pandas as pd

    if Path(path).stat().st_size == 0:
        return pd.DataFrame()
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {column: "string" for column in text_columns if column in header}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


def read_text_table(path: str | Path):
    """Read a CSV of text cells as they are (an empty cell is ``""``): the monitor jobs' parts, still raw text."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_ard(ard, path: str | Path) -> None:
    """Write an analysis results dataset atomically, every float at full (round-trip) precision."""
    write_table(ard, path, float_format=ARD_FLOAT_FORMAT)


def read_ard(path: str | Path):
    """Read an ARD: numbers as numbers, ``visit`` and ``note`` as text with empty cells as ``""``."""
    ard = read_table(path, text_columns=ARD_TEXT_COLUMNS)
    for column in ARD_TEXT_COLUMNS:
        ard[column] = ard[column].astype("string").fillna("").astype(object)
    return ard


def exit_on_write_error(log: logging.Logger | None = None):
    """Turn a :class:`WriteError` into one line ``AID-HEART: cannot write <file>: <reason>`` on stderr, exit 1.

    The line also goes to ``log``. No traceback is printed; the outputs already written
    are whole files, and Snakemake removes the outputs of the failed job.
    """
    return exit_on_error(WriteError, log)

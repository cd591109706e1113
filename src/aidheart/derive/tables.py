"""Reading the clean tables and writing the analysis datasets as CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Columns read as text whatever they look like (keys and coded labels).
TEXT_COLUMNS = ("record_id", "SUBJID", "event", "monitor_file")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a clean or ADaM CSV: empty cells are missing, key columns are text.

    Numbers are parsed by pandas; ``record_id`` and ``event`` stay text so that
    ``"1002"`` is never turned into the integer 1002 (and back into ``"1002.0"``).
    """
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {column: "string" for column in TEXT_COLUMNS if column in header}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


def write_table(dataset: pd.DataFrame, path: str | Path) -> None:
    """Write ``dataset`` as CSV (no index, ``\\n`` line ends; missing values are empty cells)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    dataset.to_csv(path, index=False, lineterminator="\n")

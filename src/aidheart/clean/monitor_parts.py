"""Read the per-shard outputs of the monitor jobs back as one set of tables (strings, empty = missing)."""

from __future__ import annotations

import pandas as pd

from aidheart.clean.study import MonitorParts
from aidheart.io import read_text_table
from aidheart.ingest.monitor_checks import READING_COLUMNS, SESSION_COLUMNS
from aidheart.ingest.queries import QUERY_COLUMNS


def _concat(paths, columns) -> pd.DataFrame:
    frames = [read_text_table(path) for path in sorted(paths)]
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype=str) for column in columns})
    return pd.concat(frames, ignore_index=True)[list(columns)]


def read_monitor_parts(readings, queries, sessions) -> MonitorParts:
    """Concatenate the shards' readings, queries and sessions, sorted by file name and line."""
    frame = _concat(readings, READING_COLUMNS)
    order = frame["line"].astype(int) if len(frame) else frame["line"]
    frame = frame.assign(_line=order).sort_values(["monitor_file", "_line"], kind="stable").drop(columns="_line")
    return MonitorParts(readings=frame.reset_index(drop=True), queries=_concat(queries, QUERY_COLUMNS),
                        sessions=_concat(sessions, SESSION_COLUMNS).sort_values("monitor_file").reset_index(drop=True))

"""Per-shard monitor job: ``python -m aidheart.ingest.monitor_job`` (standard library only).

Reads the monitor files of one shard, flags each reading valid or invalid
(:mod:`aidheart.ingest.monitor_checks`) and writes three CSVs: the readings,
the queries and one row per session (header facts and row counts). Checks that
need the CRF (start time, file named but absent, unknown subject) are made by
the cleaning job. A structural fault prints ``AID-HEART: <file>: <fault>`` and
exits 1 with no output written.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

from aidheart import formats as F
from aidheart.io import atomic_paths, exit_on_write_error
from aidheart.ingest.errors import InputStructureError, exit_on_structure_error
from aidheart.ingest.monitor import read_monitor
from aidheart.ingest.monitor_checks import READING_COLUMNS, SESSION_COLUMNS, ValidityRule, check_session
from aidheart.ingest.queries import QUERY_COLUMNS, sort_key
from aidheart.ingest.text import shown_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aidheart.ingest.monitor_job", description=__doc__)
    parser.add_argument("files", nargs="*", help="monitor exports of this shard")
    parser.add_argument("--data-dir", required=True, help="data folder (file names in queries are relative to it)")
    parser.add_argument("--readings", required=True, help="output: readings CSV")
    parser.add_argument("--queries", required=True, help="output: queries CSV")
    parser.add_argument("--sessions", required=True, help="output: sessions CSV")
    parser.add_argument("--log", required=True, help="log file")
    parser.add_argument("--signal-quality-min", type=float, required=True)
    parser.add_argument("--ci-range", type=float, nargs=2, required=True)
    parser.add_argument("--hr-range", type=float, nargs=2, required=True)
    return parser


def process_files(files: list[str], data_dir: str, rule: ValidityRule) -> tuple[list, list, list]:
    """Readings, queries and session rows of ``files`` (sorted by file name)."""
    readings, queries, sessions = [], [], []
    for path in sorted(files, key=lambda p: Path(p).name):
        shown = shown_path(path, data_dir)
        name = Path(path).name
        if not F.MONITOR_FILE_PATTERN.match(name):
            raise InputStructureError(shown, "monitor file name is not <record_id>_<event>.csv")
        rows, found, session = check_session(read_monitor(path, shown), name, rule)
        readings += rows
        queries += found
        sessions.append(session)
    return readings, sorted(queries, key=sort_key), sessions


def write_csv_rows(path: Path, columns, rows) -> None:
    """Write ``rows`` (dicts) as CSV with the header ``columns``."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    Path(args.log).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=args.log, filemode="w", level=logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    log = logging.getLogger("monitor_job")
    rule = ValidityRule(args.signal_quality_min, tuple(args.ci_range), tuple(args.hr_range))
    with exit_on_structure_error(log):
        readings, queries, sessions = process_files(args.files, args.data_dir, rule)
    outputs = ((args.readings, READING_COLUMNS, readings), (args.queries, QUERY_COLUMNS, queries),
               (args.sessions, SESSION_COLUMNS, sessions))
    with exit_on_write_error(log), atomic_paths([path for path, _, _ in outputs]) as temporaries:
        for temporary, (_, columns, rows) in zip(temporaries, outputs):
            write_csv_rows(temporary, columns, rows)
    log.info("%d file(s), %d readings (%d invalid), %d queries", len(sessions), len(readings),
             sum(row["valid"] == "N" for row in readings), len(queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())

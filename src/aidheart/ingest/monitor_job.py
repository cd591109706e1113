"""Per-shard monitor job: ``python -m aidheart.ingest.monitor_job`` (standard library only).

Reads the monitor files of one shard line by line, flags each reading valid
or invalid (:mod:`aidheart.ingest.monitor_checks`) and writes three CSVs: the
readings (streamed as they are read, so memory does not grow with the file),
the queries and one row per session (header facts and row counts). Checks that
need the CRF (start and end times, file named but absent, unknown subject) are
made by the cleaning job. A structural fault prints ``AID-HEART: <file>:
<fault>`` and exits 1 with no output written.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from aidheart.io import atomic_paths, exit_on_write_error
from aidheart.ingest.errors import InputStructureError, exit_on_structure_error
from aidheart.ingest.monitor import open_monitor, session_of
from aidheart.ingest.monitor_checks import READING_COLUMNS, SESSION_COLUMNS, ValidityRule, check_session
from aidheart.ingest.queries import QUERY_COLUMNS, sort_key
from aidheart.ingest.text import shown_path

VALID = READING_COLUMNS.index("valid")


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


def process_files(files: list[str], data_dir: str, rule: ValidityRule,
                  write_reading: Callable[[list[str]], object]) -> tuple[list, list]:
    """Queries and session rows of ``files`` (sorted by file name); each reading's row goes to ``write_reading``."""
    queries, sessions = [], []
    for path in sorted(files, key=lambda p: Path(p).name):
        shown = shown_path(path, data_dir)
        name = Path(path).name
        if session_of(name) is None:
            raise InputStructureError(shown, "monitor file name is not <record_id>_<event>.csv")
        found, session = check_session(open_monitor(path, shown), name, rule, write_reading)
        queries += found
        sessions.append(session)
    return sorted(queries, key=sort_key), sessions


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
    counts = {"Y": 0, "N": 0}
    outputs = (args.readings, args.queries, args.sessions)
    # The readings stream into their temporary file as the monitor files are read; the
    # three renames happen only when every output is complete.
    with exit_on_write_error(log), atomic_paths(outputs) as (readings_tmp, queries_tmp, sessions_tmp):
        with exit_on_structure_error(log), open(readings_tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(READING_COLUMNS)

            def write_reading(row: list[str]) -> None:
                writer.writerow(row)
                counts[row[VALID]] += 1

            queries, sessions = process_files(args.files, args.data_dir, rule, write_reading)
        write_csv_rows(queries_tmp, QUERY_COLUMNS, queries)
        write_csv_rows(sessions_tmp, SESSION_COLUMNS, sessions)
    log.info("%d file(s), %d readings (%d invalid), %d queries", len(sessions), counts["Y"] + counts["N"],
             counts["N"], len(queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())

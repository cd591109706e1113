"""Logging for rule scripts: one log file per job, named by the rule's ``log:``."""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from pathlib import Path


def configure_rule_logging(log_path: str | Path, name: str) -> logging.Logger:
    """Send log records of the ``aidheart`` package and ``name`` to ``log_path`` (overwritten)."""
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for logger_name in ("aidheart", name):
        logger = logging.getLogger(logger_name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
    return logging.getLogger(name)


@contextmanager
def exit_on_error(errors: type[BaseException] | tuple[type[BaseException], ...], log: logging.Logger | None = None):
    """Turn one of ``errors`` into the line ``AID-HEART: <error>`` on stderr (and in ``log``) and exit 1.

    For faults of the data or the machine whose message is complete in one line: no
    traceback is printed. Snakemake then removes the outputs of the failed job.
    """
    try:
        yield
    except errors as error:
        message = f"AID-HEART: {error}"
        if log is not None:
            log.error(message)
        print(message, file=sys.stderr)
        raise SystemExit(1) from None

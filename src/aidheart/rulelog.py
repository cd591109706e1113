"""Logging for rule scripts: one log file per job, named by the rule's ``log:``."""

from __future__ import annotations

import logging
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

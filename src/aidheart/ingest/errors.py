"""Structural input faults: one line naming the file and the fault, exit status 1."""

from __future__ import annotations

import logging

from aidheart.rulelog import exit_on_error


class InputStructureError(ValueError):
    """A raw file that makes the analysis meaningless (not CSV, a required column gone...).

    Parameters
    ----------
    file : the file, as the user knows it (relative to the data folder).
    fault : what is wrong, one line, never a data value of an identifier field.
    """

    def __init__(self, file: str, fault: str):
        self.file = str(file)
        self.fault = fault
        super().__init__(f"{self.file}: {fault}")


def exit_on_structure_error(log: logging.Logger | None = None):
    """Turn an :class:`InputStructureError` into ``AID-HEART: <file>: <fault>`` on stderr and exit 1.

    The message also goes to ``log``. No traceback is printed; Snakemake then
    removes the job's outputs, so nothing half-written is taken as complete.
    """
    return exit_on_error(InputStructureError, log)

"""SAS transport files (XPORT version 5) of the analysis datasets, with dataset and variable labels.

Written with pyreadstat (ReadStat's writer). Version 5 allows names of at most 8
characters, labels of at most 40 and character values of at most 200 bytes; a dataset
that breaks one of these stops the export with one line naming the dataset and variable
(never a silently truncated value). Numbers are stored as 8-byte IBM hexadecimal floats:
56 fraction bits, of which hex normalisation leaves at least 53 significant, so every
double in IBM's range (about 5.4e-79 to 7.2e75 in magnitude) is stored exactly; a value
outside it would be changed by the format and stops the export instead. Text is written
as UTF-8 (the format records no encoding; the shipped study is ASCII).

The format stamps each file with a creation and a modification time. ReadStat writes
the wall clock there; the pipeline writes the data cut-off date instead (midnight), so
the same data give the same bytes.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from aidheart.derive.variables import TEXT, Dataset

MAX_NAME, MAX_LABEL, MAX_TEXT_BYTES = 8, 40, 200
#: Smallest and largest magnitude an IBM double holds (16**-65 and just under 16**63).
IBM_RANGE = (16.0 ** -65, 16.0 ** 63)
#: A transport file's time stamp, ddMMMyy:hh:mm:ss (SAS's DATETIME16.).
STAMP = re.compile(rb"\d{2}[A-Z]{3}\d{2}:\d{2}:\d{2}:\d{2}")
#: Header bytes holding the stamps: the library and member headers before the first NAMESTR record
#: (created and modified, of the library and of the one member).
STAMPS_PER_FILE = 4
NAMESTR = b"HEADER RECORD*******NAMESTR"


class XptError(ValueError):
    """A dataset the version 5 transport format cannot hold as it is (the message names the variable)."""


def check_xpt_limits(data: pd.DataFrame, spec: Dataset) -> None:
    """Raise :class:`XptError` for a name, label or value the format cannot hold (module notes)."""
    for name, label in ((spec.name, spec.label), *((v.name, v.label) for v in spec.variables)):
        if len(name) > MAX_NAME or len(label) > MAX_LABEL:
            raise XptError(f"{spec.name}.{name}: name over {MAX_NAME} or label over {MAX_LABEL} characters")
    for variable in spec.variables:
        values = data[variable.name].dropna()
        if variable.type == TEXT:
            long = values[values.astype(str).map(lambda text: len(text.encode("utf-8"))) > MAX_TEXT_BYTES]
            if len(long):
                raise XptError(f"{spec.name}.{variable.name}: a value of {len(str(long.iloc[0]).encode())} bytes, "
                               f"over the {MAX_TEXT_BYTES} of a transport file")
        else:
            magnitude = np.abs(values.astype(float).to_numpy())
            outside = magnitude[(magnitude != 0) & ((magnitude < IBM_RANGE[0]) | (magnitude >= IBM_RANGE[1]))]
            if len(outside):
                raise XptError(f"{spec.name}.{variable.name}: {outside[0]:g} is outside the range of an IBM float")


def xpt_frame(data: pd.DataFrame, spec: Dataset) -> pd.DataFrame:
    """The dataset as the writer takes it: text as Python strings (missing as ``""``), numbers as float64."""
    columns = {}
    for variable in spec.variables:
        values = data[variable.name]
        if variable.type == TEXT:
            columns[variable.name] = values.astype("string").fillna("").astype(object)
        else:
            columns[variable.name] = pd.to_numeric(values).astype("float64")
    return pd.DataFrame(columns, index=data.index)


def sas_stamp(day: date) -> bytes:
    """``day`` at midnight as a transport file writes it (``30SEP25:00:00:00``)."""
    return day.strftime("%d%b%y").upper().encode("ascii") + b":00:00:00"


def set_stamps(path: str | Path, day: date) -> None:
    """Replace the creation and modification stamps in a transport file's headers by ``day`` at midnight.

    Raises
    ------
    XptError
        The headers do not hold exactly :data:`STAMPS_PER_FILE` stamps (not a one-member version 5 file).
    """
    content = Path(path).read_bytes()
    header_end = content.find(NAMESTR)
    header, found = STAMP.subn(sas_stamp(day), content[:max(header_end, 0)])
    if found != STAMPS_PER_FILE:
        raise XptError(f"{path}: {found} time stamps in the headers, expected {STAMPS_PER_FILE}")
    Path(path).write_bytes(header + content[header_end:])


def write_xpt(data: pd.DataFrame, spec: Dataset, path: str | Path, day: date) -> None:
    """Write ``data`` (the columns of ``spec``) as a version 5 transport file dated ``day``.

    The member is named after the dataset and labelled with its label; each variable
    carries its label from ``spec``.
    """
    import pyreadstat

    check_xpt_limits(data, spec)
    pyreadstat.write_xport(xpt_frame(data, spec), str(path), file_label=spec.label,
                           column_labels={variable.name: variable.label for variable in spec.variables},
                           table_name=spec.name, file_format_version=5)
    set_stamps(path, day)

"""Raw bytes to text lines: UTF-8 with or without a byte-order mark, LF or CRLF line ends.

Standard library only (the monitor job imports it).
"""

from __future__ import annotations

import os
from pathlib import Path

from aidheart.ingest.errors import InputStructureError

BOM = b"\xef\xbb\xbf"


def read_text(path: str | Path, shown_as: str | None = None) -> str:
    """The file's text with the BOM removed and line ends normalised to ``\\n``.

    Raises
    ------
    InputStructureError
        When the file is empty, contains NUL bytes (binary, not CSV) or is not UTF-8.
    """
    name = shown_as or str(path)
    data = Path(path).read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM):]
    if not data.strip():
        raise InputStructureError(name, "the file is empty")
    if b"\x00" in data:
        raise InputStructureError(name, "not a CSV text file (binary content)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputStructureError(
            name, f"not UTF-8 text (byte {error.start}; wrong encoding? export as UTF-8)"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def shown_path(path: str | Path, root: str | Path | None) -> str:
    """``path`` relative to ``root`` in POSIX form (how files are named in messages and queries)."""
    if root is None:
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return Path(path).as_posix()

"""Raw bytes to text lines: UTF-8 with or without a byte-order mark, LF or CRLF line ends.

Standard library only (the monitor job imports it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from aidheart.ingest.errors import InputStructureError

BOM = b"\xef\xbb\xbf"


def read_text(path: str | Path, shown_as: str | None = None) -> str:
    """The file's text with the BOM removed and line ends normalised to ``\\n`` (see :func:`iter_lines`).

    Raises
    ------
    InputStructureError
        When the file is empty, contains NUL bytes (binary, not CSV) or is not UTF-8.
    """
    name = shown_as or str(path)
    text = "".join(line + "\n" if ended else line for line, ended in iter_lines(path, name))
    if not text.strip():
        raise InputStructureError(name, "the file is empty")
    return text


def iter_lines(path: str | Path, shown_as: str | None = None) -> Iterator[tuple[str, bool]]:
    """The file's lines one at a time, without their line ends: ``(text, ended)``.

    ``ended`` is False only for a last line without a line end. The BOM is
    removed and CR, LF and CRLF all end a line; a NUL byte or bytes that are
    not UTF-8 raise :class:`InputStructureError` when the line is reached
    (the byte offset is counted from the start of the file). An empty file
    yields nothing; the caller names it.
    """
    name = shown_as or str(path)
    offset = 0
    with open(path, "rb") as handle:
        for raw in handle:
            start = offset
            offset += len(raw)
            if start == 0 and raw.startswith(BOM):
                raw, start = raw[len(BOM):], len(BOM)
            if b"\x00" in raw:
                raise InputStructureError(name, "not a CSV text file (binary content)")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InputStructureError(
                    name, f"not UTF-8 text (byte {start + error.start}; wrong encoding? export as UTF-8)"
                ) from None
            ended = text.endswith("\n")
            parts = text.rstrip("\n").removesuffix("\r").split("\r") if ended else text.split("\r")
            if not ended and text.endswith("\r"):
                parts, ended = parts[:-1], True
            for part in parts[:-1]:
                yield part, True
            yield parts[-1], ended


def shown_path(path: str | Path, root: str | Path | None) -> str:
    """``path`` relative to ``root`` in POSIX form (how files are named in messages and queries)."""
    if root is None:
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return Path(path).as_posix()

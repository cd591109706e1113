"""A small reader of SAS transport files (XPORT version 5), written from the format's description (SAS TS-140).

Independent of ReadStat (which writes the files) and of pandas' reader, for the tests:
80-byte header records, one member, 140-byte NAMESTR records (type, length, name, label,
position), then the observations back to back, padded with blanks to 80 bytes.
Numbers are 8-byte IBM hexadecimal floats: sign bit, 7-bit excess-64 exponent of 16,
56-bit fraction; a SAS missing value is ``.`` (or ``A``-``Z``, ``_``) followed by seven
zero bytes. Text is blank-padded; trailing blanks are not part of the value.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path

RECORD = 80
NAMESTR_LENGTH = 140
MISSING_FIRST_BYTES = {ord("."), ord("_"), *range(ord("A"), ord("Z") + 1)}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    numeric: bool
    length: int
    position: int


@dataclass(frozen=True)
class Member:
    name: str
    label: str
    created: str
    modified: str
    fields: tuple[Field, ...]
    rows: list[tuple]


def ibm_to_float(raw: bytes) -> float:
    """The value of an 8-byte IBM float (NaN for a SAS missing value)."""
    if raw[0] in MISSING_FIRST_BYTES and raw[1:] == bytes(7):
        return math.nan
    fraction = int.from_bytes(raw[1:], "big")
    if fraction == 0:
        return 0.0
    sign = -1.0 if raw[0] & 0x80 else 1.0
    exponent = (raw[0] & 0x7F) - 64
    return sign * math.ldexp(float(fraction), 4 * exponent - 56)


def _namestr(raw: bytes) -> Field:
    ntype, _hfun, length, _varnum = struct.unpack(">hhhh", raw[:8])
    (position,) = struct.unpack(">i", raw[84:88])
    return Field(raw[8:16].decode("ascii").rstrip(), raw[16:56].decode("ascii").rstrip(), ntype == 1, length, position)


def read_member(path: str | Path) -> Member:
    """The one member of a version 5 transport file."""
    content = Path(path).read_bytes()
    records = [content[start:start + RECORD] for start in range(0, 8 * RECORD, RECORD)]
    assert records[0].startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!"), "not a version 5 file"
    assert records[3].startswith(b"HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!")
    assert int(records[3][74:78]) == NAMESTR_LENGTH
    member, modified = records[5], records[6]
    assert records[7].startswith(b"HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!")
    count = int(records[7][54:58])
    start = 8 * RECORD
    fields = tuple(_namestr(content[start + n * NAMESTR_LENGTH:start + (n + 1) * NAMESTR_LENGTH]) for n in range(count))
    start += -(-count * NAMESTR_LENGTH // RECORD) * RECORD
    assert content[start:start + RECORD].startswith(b"HEADER RECORD*******OBS     HEADER RECORD!!!!!!!")
    data = content[start + RECORD:]
    width = sum(field.length for field in fields)
    rows = []
    for offset in range(0, len(data) - width + 1, width):
        raw = data[offset:offset + width]
        rows.append(tuple(ibm_to_float(raw[f.position:f.position + 8]) if f.numeric
                          else raw[f.position:f.position + f.length].decode("utf-8").rstrip(" ") for f in fields))
    while rows and data[len(rows) * width - width:len(rows) * width] == b" " * width:
        rows.pop()  # blank padding of the last record, not an observation
    return Member(name=member[8:16].decode("ascii").rstrip(), label=modified[32:72].decode("ascii").rstrip(),
                  created=member[64:80].decode("ascii"), modified=modified[:16].decode("ascii"), fields=fields,
                  rows=rows)

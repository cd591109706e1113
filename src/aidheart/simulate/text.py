"""Fixed text formatting of values (so that output bytes never depend on floats' repr)."""

from __future__ import annotations

import datetime as dt


def num(value: float, decimals: int) -> str:
    """Fixed decimals: ``num(2.5, 2) == '2.50'``; ``-0.00`` becomes ``0.00``."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def dose(value: float) -> str:
    """A dose as typed: at most 3 decimals, no trailing zeros (``0.375``, ``2.5``, ``5``)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def date(value: dt.date) -> str:
    return value.isoformat()


def datetime(value: dt.datetime) -> str:
    """REDCap's datetime_ymd: ``YYYY-MM-DD HH:MM``."""
    return value.strftime("%Y-%m-%d %H:%M")


def clock(seconds: int) -> str:
    """Seconds after midnight -> ``HH:MM:SS``."""
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

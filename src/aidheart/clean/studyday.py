"""Calendar dates to study days: day 1 = the reference date, the day before is -1, no day 0.

The reference is the first-dose date; a subject never dosed (screen failure)
is referenced to the consent date instead (``day_origin`` says which). Missing
dates give missing days.
"""

from __future__ import annotations

import pandas as pd


def to_dates(values: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` (or the date part of a date-time) -> datetime64; anything else -> NaT."""
    return pd.to_datetime(values.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")


def study_day(dates: pd.Series, origin: pd.Series) -> pd.Series:
    """Study day of ``dates`` relative to ``origin`` (both datetime64), as nullable integers."""
    delta = (dates - origin).dt.days.astype("Int64")
    return delta.where(delta < 0, delta + 1)


def clock_seconds(values: pd.Series) -> pd.Series:
    """Seconds after midnight of ``YYYY-MM-DD HH:MM[:SS]`` date-times (nullable integer)."""
    times = pd.to_datetime(values, format="mixed", errors="coerce")
    seconds = times.dt.hour * 3600 + times.dt.minute * 60 + times.dt.second
    return seconds.astype("Int64")

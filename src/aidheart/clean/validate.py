"""Validation of each value against its data-dictionary row.

Each check takes the column's values (strings; ``""`` = empty) for the rows
where the field's form is present and returns the failing rows. All findings
are errors (the value is set missing in the clean tables), except where noted.

Rules
-----
- ``invalid_integer`` / ``invalid_number``: text validation ``integer`` /
  ``number`` and the value is not one.
- ``invalid_date``: ``date_ymd`` and not a calendar date ``YYYY-MM-DD``
  (``2025-13-26`` and ``13/31/2025`` both fail); ``invalid_datetime``:
  ``datetime_ymd`` and not ``YYYY-MM-DD HH:MM[:SS]``.
- ``datetime_with_seconds`` (warning): a ``datetime_ymd`` value with seconds.
  REDCap stores that type to the minute, so the value did not come through
  REDCap's own validation; it is readable and kept as given.
- ``impossible_value``: a number below 0 where the minimum is 0 or more, or
  0 where the minimum is above 0 (a quantity that cannot be negative or zero);
  ``out_of_range``: otherwise outside the dictionary min/max.
- ``invalid_choice``: a radio, dropdown or yesno (``1``/``0``) code not among
  the choices; ``invalid_checkbox``: a checkbox column not ``0``/``1``.
- ``missing_required``: a required field empty where its form is present and
  its branching logic shows it.
- ``inotrope_dose_range``: a dose outside ``inotrope_dose_range`` of the drug
  recorded next to it; the message says when it fits the other drug's range
  (e.g. a milrinone dose typed in dobutamine units).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from aidheart.clean.branching import shown

PATTERNS = {
    "integer": re.compile(r"^-?\d+$"),
    "number": re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$"),
    "datetime_ymd": re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$"),
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Dose field -> the drug field beside it (same form, same row).
DOSE_DRUG_FIELDS = {
    "screen_inotrope_dose": "screen_inotrope",
    "ch_dose_1": "ch_drug",
    "ch_dose_2": "ch_drug",
    "ch_dose_3": "ch_drug",
    "ch_dose_4": "ch_drug",
    "ino_dose": "ino_drug",
}


def is_date(value: str) -> bool:
    """``YYYY-MM-DD`` naming a real calendar day."""
    if not DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_datetime(value: str) -> bool:
    """``YYYY-MM-DD HH:MM[:SS]`` naming a real day and time."""
    if not PATTERNS["datetime_ymd"].match(value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_seconds(values: pd.Series) -> pd.Series:
    """Date-times written with seconds (``YYYY-MM-DD HH:MM:SS``)."""
    return values.str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}").fillna(False).astype(bool)


def check_format(values: pd.Series, validation: str) -> tuple[pd.Series, str]:
    """Non-empty values that break the text validation; returns (mask, rule)."""
    filled = values.ne("")
    if validation == "date_ymd":
        return filled & ~values.map(is_date).astype(bool), "invalid_date"
    if validation == "datetime_ymd":
        return filled & ~values.map(is_datetime).astype(bool), "invalid_datetime"
    if validation in ("integer", "number"):
        return filled & ~values.str.match(PATTERNS[validation]).astype(bool), f"invalid_{validation}"
    return pd.Series(False, index=values.index), ""


def check_range(values: pd.Series, low: str, high: str) -> tuple[pd.Series, pd.Series]:
    """Numeric values outside [low, high]; returns (impossible mask, out-of-range mask)."""
    numbers = pd.to_numeric(values.where(values.ne("")), errors="coerce")
    lower = float(low) if low else None
    upper = float(high) if high else None
    impossible = pd.Series(False, index=values.index)
    if lower is not None and lower >= 0:
        impossible = (numbers < 0) | ((numbers == 0) & (lower > 0))
    outside = pd.Series(False, index=values.index)
    if lower is not None:
        outside |= numbers < lower
    if upper is not None:
        outside |= numbers > upper
    return impossible.fillna(False).astype(bool), (outside & ~impossible).fillna(False).astype(bool)


def check_choice(values: pd.Series, choices: dict[str, str]) -> pd.Series:
    """Non-empty codes not among ``choices``."""
    return values.ne("") & ~values.isin(list(choices))


def check_required(values: pd.Series, logic: str, rows: pd.DataFrame) -> pd.Series:
    """Empty values where the field is shown by its branching logic."""
    return values.eq("") & shown(logic, rows)


def check_dose_range(doses: pd.Series, drugs: pd.Series, ranges: dict[str, tuple[float, float]],
                     drug_labels: dict[str, str]) -> pd.Series:
    """Doses outside the range of their drug; returns the message per failing row (empty when fine)."""
    numbers = pd.to_numeric(doses.where(doses.ne("")), errors="coerce")
    messages = pd.Series("", index=doses.index, dtype=str)
    for code, label in drug_labels.items():
        if label not in ranges:
            continue
        low, high = ranges[label]
        bad = drugs.eq(code) & ((numbers < low) | (numbers > high)).fillna(False).astype(bool)
        hint = ""
        others = [other for other in ranges if other != label]
        for index in bad[bad].index:
            value = numbers[index]
            fits = [other for other in others if ranges[other][0] <= value <= ranges[other][1]]
            hint = (f"; it looks like a {fits[0]} dose in mcg/kg/min (units or drug mix-up?)" if fits else "")
            messages[index] = (f"{label} dose {doses[index]} mcg/kg/min is outside the plausible "
                               f"{low:g}-{high:g} mcg/kg/min{hint}")
    return messages

"""Number formatting for display: the one place where results are rounded.

Every function takes a full-precision value and returns text; a missing value
(None or NaN) gives :data:`MISSING`.
"""

from __future__ import annotations

import math

MISSING = "–"
#: The minus sign of every negative number shown (U+2212), never a hyphen.
MINUS = "\u2212"


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def fmt_number(value, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals (Python's ``format`` rounding of the binary value), a negative
    value with the minus sign :data:`MINUS` (typeset PDFs turn a leading hyphen into a minus, so one rule
    for every cell keeps an estimate and its CI alike)."""
    return MISSING if _missing(value) else f"{float(value):.{digits}f}".replace("-", MINUS)


def fmt_ci(low, high, digits: int = 2) -> str:
    """``"(low, high)"``; missing when either limit is."""
    if _missing(low) or _missing(high):
        return MISSING
    return f"({fmt_number(low, digits)}, {fmt_number(high, digits)})"


def fmt_estimate_ci(estimate, low, high, digits: int = 2) -> str:
    """``"estimate (low, high)"``."""
    if _missing(estimate):
        return MISSING
    interval = fmt_ci(low, high, digits)
    return fmt_number(estimate, digits) if interval == MISSING else f"{fmt_number(estimate, digits)} {interval}"


def fmt_p(value) -> str:
    """p-value: three decimals, ``"<0.001"`` below 0.001."""
    if _missing(value):
        return MISSING
    return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def fmt_count(value) -> str:
    """A whole number."""
    return MISSING if _missing(value) else str(int(value))


def fmt_n_pct(count, total, digits: int = 0) -> str:
    """``"n (pct%)"`` of ``total``; ``"0"`` when the count is 0; the count alone when the total is 0 or missing."""
    if _missing(count):
        return MISSING
    if int(count) == 0:
        return "0"
    if _missing(total) or int(total) == 0:
        return fmt_count(count)
    return f"{int(count)} ({100 * int(count) / int(total):.{digits}f}%)"


def significant_digits(value, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits (for small quantities such as slopes)."""
    return MISSING if _missing(value) else f"{float(value):.{digits}g}"


def fmt_mean_sd(mean, sd, digits: int = 2) -> str:
    """``"mean (SD)"``; the SD is left out when missing (one subject)."""
    if _missing(mean):
        return MISSING
    return fmt_number(mean, digits) if _missing(sd) else f"{fmt_number(mean, digits)} ({fmt_number(sd, digits)})"


def fmt_median_iqr(median, q1, q3, digits: int = 2) -> str:
    """``"median [Q1, Q3]"``."""
    if _missing(median):
        return MISSING
    if _missing(q1) or _missing(q3):
        return fmt_number(median, digits)
    return f"{fmt_number(median, digits)} [{fmt_number(q1, digits)}, {fmt_number(q3, digits)}]"


def fmt_percent_ci(proportion, low, high, digits: int = 1) -> str:
    """A proportion and its CI as percentages: ``"43.8% (19.8, 70.1)"``."""
    if _missing(proportion):
        return MISSING
    text = f"{100 * float(proportion):.{digits}f}%"
    if _missing(low) or _missing(high):
        return text
    return f"{text} ({100 * float(low):.{digits}f}, {100 * float(high):.{digits}f})"


def fmt_fraction(count, total) -> str:
    """``"count/total"``; missing when the total is."""
    if _missing(count) or _missing(total):
        return MISSING
    return f"{int(count)}/{int(total)}"


def fmt_cell(value, digits: int | None = None) -> str:
    """A listing cell: text as it is, a number with ``digits`` decimals (whole numbers as integers when
    ``digits`` is None), missing as :data:`MISSING`."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return MISSING
    if digits is not None:
        return fmt_number(value, digits)
    return str(int(value)) if float(value).is_integer() else str(value)


def fmt_listing(frame, digits: dict[str, int] | None = None):
    """A listing as text: every cell through :func:`fmt_cell` (``digits``: decimals of named columns)."""
    digits = digits or {}
    if frame.empty:
        return frame.astype(object)
    return frame.astype(object).apply(lambda column: column.map(lambda value: fmt_cell(value, digits.get(column.name))))

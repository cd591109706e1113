"""REDCap branching logic, the subset the dictionary uses: ``[field] = 'v'``, ``<>``, ``or``/``and``.

``[event-name]`` is the row's ``redcap_event_name``. Terms are joined by
``or`` or by ``and`` (not mixed, no parentheses). Logic outside this subset
counts as *shown* (so a required field is still checked, never skipped).
"""

from __future__ import annotations

import re

import pandas as pd

TERM = re.compile(r"^\[(?P<field>[a-z0-9_-]+)\]\s*(?P<op>=|<>|!=)\s*'(?P<value>[^']*)'$")


def _term_mask(term: str, data: pd.DataFrame) -> pd.Series | None:
    match = TERM.match(term.strip())
    if match is None:
        return None
    column = "redcap_event_name" if match["field"] == "event-name" else match["field"]
    if column not in data.columns:
        return None
    equal = data[column].eq(match["value"])
    return equal if match["op"] == "=" else ~equal


def shown(logic: str, data: pd.DataFrame) -> pd.Series:
    """Rows where a field with this branching logic is shown (all rows when ``logic`` is empty)."""
    everywhere = pd.Series(True, index=data.index)
    if not logic.strip():
        return everywhere
    joiner = " or " if " or " in logic else " and "
    masks = [_term_mask(term, data) for term in logic.split(joiner)]
    if any(mask is None for mask in masks) or (" or " in logic and " and " in logic):
        return everywhere
    result = masks[0]
    for mask in masks[1:]:
        result = (result | mask) if joiner == " or " else (result & mask)
    return result

"""The query record: one finding for the study team (shared by the monitor job and cleaning).

Standard library only. A query names where the value is (``record_id``,
``event``, ``form``, ``field``, ``instance``), the value itself (empty for
identifier fields, which are never echoed), the ``rule`` that fired, its
``severity`` (``error``: the value is excluded from analysis; ``warning``: it is
kept), the ``source`` (``file:line``) and a sentence for the study team.
"""

from __future__ import annotations

QUERY_COLUMNS = ("record_id", "event", "form", "field", "instance", "value", "rule", "severity", "source",
                 "message")
ERROR = "error"
WARNING = "warning"


def query(rule: str, severity: str, message: str, *, record_id="", event="", form="", field="", instance="",
          value="", source="") -> dict[str, str]:
    """One query as a dict of strings with the :data:`QUERY_COLUMNS` keys."""
    if severity not in (ERROR, WARNING):
        raise ValueError(f"severity must be {ERROR!r} or {WARNING!r}, not {severity!r}")
    row = dict(record_id=record_id, event=event, form=form, field=field, instance=instance, value=value,
               rule=rule, severity=severity, source=source, message=message)
    return {key: "" if row[key] is None else str(row[key]) for key in QUERY_COLUMNS}


def sort_key(row: dict[str, str]) -> tuple:
    """Deterministic order of the listing: subject, event, form, field, instance, rule, source."""
    def number_first(text: str):
        return (0, int(text), "") if text.isdigit() else (1, 0, text)

    source_file, _, line = row["source"].rpartition(":")
    return (number_first(row["record_id"]), row["event"], row["form"], row["field"],
            number_first(row["instance"]), row["rule"], source_file, number_first(line), row["message"])

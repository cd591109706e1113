"""Row accounting: where every raw row went, each row counted once.

The reconciliation has two levels (column ``level``):

- ``file``: one line per source file, counting its raw rows once each: the export's
  data rows (form ``(all forms)``), a monitor file's reading lines (form
  ``monitor``). A row is *kept* when at least one of its forms is kept; it is
  *excluded* otherwise, with the reason that excluded it (a query rule, or
  ``after_cutoff``); a row whose forms were excluded for different reasons is
  counted under the first of them in export-column order. A row holding no form
  data is excluded as ``no_form_data`` (it has nothing to carry).
- ``form``: the form records of the export rows the file level *keeps*, one line
  per form: a kept row may still lose one of its forms (``form_not_designated``,
  ``after_cutoff`` of that form's date). Rows excluded whole are counted at the
  file level alone, so no exclusion is counted twice.

``rows_read = rows_kept + rows_excluded`` on every line; the file-level lines of
the export add up to its data rows. Reasons of a line are listed ``rule: count``,
``;``-separated, in alphabetical order.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("source_file", "level", "form", "rows_read", "rows_kept", "rows_excluded", "reason")
FILE, FORM = "file", "form"
#: The form of the export's file-level line.
ALL_FORMS = "(all forms)"
NO_FORM_DATA = "no_form_data"


def _reasons(counts: dict[str, int]) -> str:
    return "; ".join(f"{reason}: {n}" for reason, n in sorted(counts.items()) if reason and n)


class Ledger:
    """Where every raw row went: one entry per (export row, form present in it), and per monitor file."""

    def __init__(self, present: pd.DataFrame, source: str):
        stacked = present.stack()
        self.source = source
        self.rows = list(present.index)
        self.reason: dict[tuple[int, str], str] = {pair: "" for pair in stacked[stacked].index.tolist()}
        self.row_reason: dict[int, str] = {}
        self.files: list[dict] = []

    def exclude_rows(self, rows: dict[int, str]) -> None:
        """Exclude the given rows whole, every form of them (first reason wins)."""
        for index, reason in rows.items():
            self.row_reason.setdefault(index, reason)
        for (index, form), reason in self.reason.items():
            if index in rows and not reason:
                self.reason[(index, form)] = rows[index]

    def exclude(self, pairs, reason: str) -> None:
        for pair in pairs:
            if pair in self.reason and not self.reason[pair]:
                self.reason[pair] = reason

    def kept(self, form: str) -> list[int]:
        """Rows whose ``form`` is kept, in file order."""
        return sorted(index for (index, name), reason in self.reason.items() if name == form and not reason)

    def add_file(self, source_file: str, form: str, read: int, kept: int, reasons: dict[str, int]) -> None:
        self.files.append({"source_file": source_file, "form": form, "read": read, "kept": kept, "reasons": reasons})

    def row_outcomes(self) -> dict[int, str]:
        """Each export row -> ``""`` (kept: one of its forms is) or the reason it was excluded (module notes)."""
        by_row: dict[int, list[str]] = {index: [] for index in self.rows}
        for (index, _), reason in self.reason.items():
            by_row[index].append(reason)
        outcomes = {}
        for index, reasons in by_row.items():
            if index in self.row_reason:
                outcomes[index] = self.row_reason[index]
            elif not reasons:
                outcomes[index] = NO_FORM_DATA
            else:
                outcomes[index] = "" if "" in reasons else reasons[0]
        return outcomes

    def table(self) -> pd.DataFrame:
        """The reconciliation (:data:`COLUMNS`): the export's file line, its form lines, then each monitor file."""
        outcomes = self.row_outcomes()
        excluded: dict[str, int] = {}
        for outcome in outcomes.values():
            if outcome:
                excluded[outcome] = excluded.get(outcome, 0) + 1
        n_excluded = sum(excluded.values())
        rows = [(self.source, FILE, ALL_FORMS, len(outcomes), len(outcomes) - n_excluded, n_excluded,
                 _reasons(excluded))]
        groups: dict[str, dict[str, int]] = {}
        for (index, form), reason in self.reason.items():
            if outcomes[index]:
                continue  # the row is excluded whole: counted once, at the file level
            counts = groups.setdefault(form, {})
            counts[reason] = counts.get(reason, 0) + 1
        for form in sorted(groups):
            counts = groups[form]
            read, kept = sum(counts.values()), counts.get("", 0)
            rows.append((self.source, FORM, form, read, kept, read - kept, _reasons(counts)))
        for entry in sorted(self.files, key=lambda e: (e["source_file"], e["form"])):
            rows.append((entry["source_file"], FILE, entry["form"], entry["read"], entry["kept"],
                         entry["read"] - entry["kept"], _reasons(entry["reasons"])))
        return pd.DataFrame(rows, columns=list(COLUMNS))

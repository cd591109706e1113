"""Row accounting: for each source file and form, rows read = rows kept + rows excluded.

The ledger has one entry per (export row, form present in it) and per monitor
file; an entry is kept (``reason`` empty) or excluded with the rule or reason
that excluded it (a query rule, or ``after_cutoff``). Reasons of a group are
listed ``rule: count``, ``;``-separated. The first line, form ``(all rows)``,
counts the export's rows: a row is kept when any of its forms is kept.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("source_file", "form", "rows_read", "rows_kept", "rows_excluded", "reason")


class Ledger:
    """Where every raw row went."""

    def __init__(self, present: pd.DataFrame, source: str):
        stacked = present.stack()
        pairs = stacked[stacked].index.tolist()
        empty = present.index[~present.any(axis=1)] if len(present.columns) else present.index
        pairs += [(index, "(no form data)") for index in empty]
        self.source = source
        self.reason: dict[tuple[int, str], str] = {pair: "" for pair in pairs}
        self.files: list[dict] = []

    def exclude_rows(self, rows: dict[int, str]) -> None:
        """Exclude every form of the given rows (first reason wins)."""
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

    def _whole_rows(self) -> tuple:
        """The export as a whole (form ``(all rows)``): a row is kept when any of its forms is kept."""
        by_row: dict[int, list[str]] = {}
        for (index, _), reason in self.reason.items():
            by_row.setdefault(index, []).append(reason)
        kept = sum("" in reasons for reasons in by_row.values())
        counts: dict[str, int] = {}
        for reasons in by_row.values():
            if "" not in reasons:
                counts[reasons[0]] = counts.get(reasons[0], 0) + 1
        text = "; ".join(f"{r}: {n}" for r, n in sorted(counts.items()))
        return (self.source, "(all rows)", len(by_row), kept, len(by_row) - kept, text)

    def table(self) -> pd.DataFrame:
        """The reconciliation, one row per (source file, form)."""
        rows = [self._whole_rows()]
        groups: dict[str, dict[str, int]] = {}
        for (_, form), reason in self.reason.items():
            groups.setdefault(form, {}).setdefault(reason, 0)
            groups[form][reason] += 1
        for form in sorted(groups):
            counts = groups[form]
            read = sum(counts.values())
            kept = counts.get("", 0)
            reasons = "; ".join(f"{r}: {n}" for r, n in sorted(counts.items()) if r)
            rows.append((self.source, form, read, kept, read - kept, reasons))
        for entry in sorted(self.files, key=lambda e: (e["source_file"], e["form"])):
            reasons = "; ".join(f"{r}: {n}" for r, n in sorted(entry["reasons"].items()) if n)
            rows.append((entry["source_file"], entry["form"], entry["read"], entry["kept"],
                         entry["read"] - entry["kept"], reasons))
        return pd.DataFrame(rows, columns=list(COLUMNS))

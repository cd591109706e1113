"""Writers of the raw files: the REDCap export and the monitor CSVs.

Plain ``csv``/string building on purpose: nothing here is shared with the
readers in :mod:`aidheart.ingest` beyond the names in :mod:`aidheart.formats`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aidheart import formats as F
from aidheart.simulate import text
from aidheart.simulate.dictionary import export_columns
from aidheart.simulate.hemodynamics import Session
from aidheart.simulate.story import Story


def export_rows(stories: list[Story]) -> list[dict[str, str]]:
    """One row per record x event (non-repeating forms) and per repeating instance, REDCap's order."""
    rows = []
    for story in stories:
        keys = {"record_id": story.subject.record_id, "redcap_repeat_instrument": "",
                "redcap_repeat_instance": ""}
        for event in F.EVENTS:
            if event == F.EVENT_STUDY_LOG:
                for form in F.REPEATING_FORMS:
                    for instance, values in enumerate(story.repeats.get(form, ()), start=1):
                        rows.append(keys | {"redcap_event_name": event, "redcap_repeat_instrument": form,
                                            "redcap_repeat_instance": str(instance)}
                                    | values | {f"{form}_complete": "2"})
            elif event in story.event_values:
                rows.append(keys | {"redcap_event_name": event} | story.event_values[event])
    return rows


def write_export(path: Path, rows: list[dict[str, str]], *, bom: bool, crlf: bool) -> None:
    columns = export_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(columns)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise AssertionError(f"row has columns outside the export: {sorted(unknown)}")
        writer.writerow([row.get(column, "") for column in columns])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


def monitor_text(session: Session) -> str:
    """The monitor export of one session, with the session's format quirk if any."""
    sep = ";" if session.quirk == "decimal_comma" else ","
    start = f"{session.starts[0]:%Y-%m-%d} {text.clock(int(session.t[0]))}"
    header = (
        (F.MONITOR_HEADER_DEVICE, session.device),
        (F.MONITOR_HEADER_PATIENT, session.patient_id),
        (F.MONITOR_HEADER_START, start),
        (F.MONITOR_HEADER_INTERVAL, "60"),
    )
    lines = [f"{key}{sep}{value}" for key, value in header]
    lines += ["", sep.join(F.MONITOR_COLUMNS)]
    for t, co, ci, sv, hr, sq in zip(session.t.tolist(), session.co.tolist(), session.ci.tolist(),
                                     session.sv.tolist(), session.hr.tolist(), session.sq.tolist()):
        lines.append(f"{text.clock(t)}{sep}{co:.2f}{sep}{ci:.2f}{sep}{sv:.1f}{sep}{hr}{sep}{sq}")
    if session.quirk == "decimal_comma":
        lines[4:] = [line.replace(".", ",") for line in lines[4:]]
    if session.truncated_last:
        last = lines[-1]
        cut = last.index(sep, last.index(sep) + 1) + 2  # after the CO value and one CI digit
        return "\n".join(lines[:-1]) + "\n" + last[:cut]
    newline = "\r\n" if session.quirk == "crlf_line_endings" else "\n"
    return newline.join(lines) + newline


def write_monitor(folder: Path, session: Session) -> None:
    (folder / session.file_name).write_bytes(monitor_text(session).encode("utf-8"))

"""A local stand-in for a REDCap server's API, serving a study folder's export and dictionary.

Built from REDCap's API documentation, not from the client under test:

- every call is a POST of form fields to ``.../api/``; ``token`` and
  ``content`` always, arrays as ``fields[0]``, ``fields[1]``, ...;
- a token that is not the project's gets HTTP 403 and the error "You do not
  have permissions to use the API";
- errors come in the ``returnFormat`` asked for, else in ``format``, else in
  XML: JSON ``{"error":"..."}``, CSV ``ERROR: ...``, XML
  ``<hash><error>...</error></hash>``;
- ``content=version`` answers the version number as plain text;
  ``content=project`` the project's settings; ``content=metadata`` one object
  per field under REDCap's metadata keys; ``content=record`` with
  ``type=flat`` one row per record x event and per repeating instance, in the
  export's column order: ``record_id``, ``redcap_event_name``,
  ``redcap_repeat_instrument``, ``redcap_repeat_instance``, then the fields in
  dictionary order -- a checkbox as one ``field___code`` column per choice,
  ``<form>_complete`` after each form's last field -- whatever order ``fields``
  lists them in (``record_id`` brings the three event/instance columns along);
- CSV answers use LF line ends and quote a value that holds a comma, a quote, a
  line break or a space, as REDCap's answers show (``1,"Event 1",,1,Yes``).

The stored records are the export's rows as they are (the shipped study's planted
duplicate row included, which a real REDCap would not hold). Parameters a pull
does not use (``records``, ``forms``, ``events``, ``filterLogic``, labels...)
are answered with HTTP 400 rather than ignored, so a client that relied on them
would fail here. Each request's fields are kept in ``requests`` (the token
replaced by ``"<sent>"``) with the request path.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

# REDCap's metadata keys: the API's names of the 18 data-dictionary columns, in order.
METADATA_KEYS = ("field_name", "form_name", "section_header", "field_type", "field_label",
                 "select_choices_or_calculations", "field_note", "text_validation_type_or_show_slider_number",
                 "text_validation_min", "text_validation_max", "identifier", "branching_logic", "required_field",
                 "custom_alignment", "question_number", "matrix_group_name", "matrix_ranking", "field_annotation")
EVENT_COLUMNS = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")
NO_PERMISSION = "You do not have permissions to use the API"
UNSERVED = ("records", "forms", "events", "filterLogic", "dateRangeBegin", "dateRangeEnd", "csvDelimiter",
            "decimalCharacter", "exportSurveyFields", "exportDataAccessGroups")


@dataclass
class StoredProject:
    """One project: its token, settings, metadata (dicts by REDCap key) and records (dicts by export column)."""

    token: str
    title: str
    version: str
    metadata: list[dict[str, str]]
    records: list[dict[str, str]]
    requests: list[dict] = field(default_factory=list)

    @classmethod
    def from_study(cls, folder: Path, token: str, title: str = "AID-HEART", version: str = "14.5.10"):
        """The export and the dictionary in ``folder/redcap/`` (the dictionary's columns read by position)."""
        dictionary = next((folder / "redcap").glob("*_DataDictionary_*.csv"))
        export = next((folder / "redcap").glob("*_DATA_*.csv"))
        rows = list(csv.reader(io.StringIO(dictionary.read_text(encoding="utf-8-sig"), newline="")))
        assert len(rows[0]) == len(METADATA_KEYS), "a REDCap dictionary has 18 columns"
        metadata = [dict(zip(METADATA_KEYS, row, strict=True)) for row in rows[1:]]
        records = list(csv.DictReader(io.StringIO(export.read_text(encoding="utf-8-sig"), newline="")))
        return cls(token, title, version, metadata, records)

    def export_columns(self, requested: list[str]) -> list[str]:
        """The flat export's columns for the fields asked for (all when none), in REDCap's order."""
        columns, wanted = [], set(requested)
        record_id = self.metadata[0]["field_name"]
        for index, item in enumerate(self.metadata):
            name, form = item["field_name"], item["form_name"]
            if not requested or name in wanted:
                if item["field_type"] == "checkbox":
                    codes = [part.split(",")[0].strip() for part in item["select_choices_or_calculations"].split("|")]
                    columns += [f"{name}___{code}" for code in codes]
                elif item["field_type"] != "descriptive":
                    columns.append(name)
                if name == record_id:
                    columns += EVENT_COLUMNS
            last_of_form = index + 1 == len(self.metadata) or self.metadata[index + 1]["form_name"] != form
            if last_of_form and (not requested or f"{form}_complete" in wanted):
                columns.append(f"{form}_complete")
        return columns

    def known_fields(self) -> set[str]:
        return {item["field_name"] for item in self.metadata} | {f"{item['form_name']}_complete"
                                                                  for item in self.metadata}

    def project_info(self) -> dict:
        return {"project_id": 1, "project_title": self.title, "creation_time": "2024-09-01 09:00:00",
                "production_time": "2024-10-01 09:00:00", "in_production": 1, "project_language": "English",
                "purpose": 2, "is_longitudinal": 1, "has_repeating_instruments_or_events": 1,
                "surveys_enabled": 0, "record_autonumbering_enabled": 0}


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _csv_answer(header: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        if re.search(r'[,"\r\n ]', value):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(",".join(cell(str(value)) for value in row) + "\n" for row in [header, *rows])


def _error_body(message: str, fmt: str) -> tuple[str, str]:
    if fmt == "json":
        return json.dumps({"error": message}, separators=(",", ":")), "application/json"
    if fmt == "csv":
        return f"ERROR: {message}", "text/csv"
    return f'<?xml version="1.0" encoding="UTF-8" ?>\n<hash>\n  <error>{message}</error>\n</hash>', "text/xml"


def _arrays(params: list[tuple[str, str]], name: str) -> list[str]:
    indexed = [(int(match.group(1)), value) for key, value in params
               if (match := re.fullmatch(re.escape(name) + r"\[(\d+)\]", key))]
    return [value for _, value in sorted(indexed)]


def answer(project: StoredProject, params: list[tuple[str, str]]) -> tuple[int, str, str]:
    """Status, body and content type of REDCap's answer to one request's form fields."""
    single = dict(params)
    fmt = single.get("format", "xml")
    error_format = single.get("returnFormat", single.get("format", "xml"))
    try:
        if single.get("token") != project.token:
            raise ApiError(403, NO_PERMISSION)
        content = single.get("content", "")
        if content == "version":
            return 200, project.version, "text/html"
        if fmt not in ("json", "csv"):
            raise ApiError(400, f"format={fmt} is not served by this test server")
        if content == "project":
            info = project.project_info()
            body = json.dumps(info) if fmt == "json" else _csv_answer(list(info), [list(info.values())])
        elif content == "metadata":
            body = (json.dumps(project.metadata) if fmt == "json"
                    else _csv_answer(list(METADATA_KEYS), [list(item.values()) for item in project.metadata]))
        elif content == "record":
            body = _records(project, params, single, fmt)
        else:
            raise ApiError(400, f'The value of the parameter "content" ("{content}") is not valid')
    except ApiError as error:
        text, kind = _error_body(error.message, error_format)
        return error.status, text, kind
    return 200, body, "application/json" if fmt == "json" else "text/csv"


def _records(project: StoredProject, params, single: dict, fmt: str) -> str:
    unserved = [key for key in UNSERVED if key in single or _arrays(params, key)]
    if unserved:
        raise ApiError(400, f"parameter {unserved[0]} is not served by this test server")
    for key, served in (("type", "flat"), ("rawOrLabel", "raw"), ("rawOrLabelHeaders", "raw"),
                        ("eventName", "unique")):
        if single.get(key, served) != served:
            raise ApiError(400, f"{key}={single[key]} is not served by this test server")
    requested = _arrays(params, "fields")
    unknown = [name for name in requested if name not in project.known_fields()]
    if unknown:
        raise ApiError(400, f'The following values in the parameter "fields" are not valid: "{unknown[0]}"')
    columns = project.export_columns(requested)
    rows = [[record.get(column, "") for column in columns] for record in project.records]
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows])
    return _csv_answer(columns, rows)


def _handler(project: StoredProject, behaviour: str, delay_s: float):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            params = parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
            project.requests.append({"path": self.path,
                                     **{k: "<sent>" if k == "token" else v for k, v in params}})
            if behaviour == "slow":
                time.sleep(delay_s)
            if behaviour == "web_page":
                status, body, kind = 200, "<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>", "text/html"
            else:
                status, body, kind = answer(project, params)
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting ("slow")
                pass

        def log_message(self, *args):  # the test reads project.requests, not stderr
            pass

    return Handler


@contextmanager
def serving(project: StoredProject, behaviour: str = "redcap", delay_s: float = 0.0):
    """Serve ``project`` on 127.0.0.1 at a free port; yields the API address ``http://127.0.0.1:PORT/api/``.

    ``behaviour``: ``"redcap"`` answers as REDCap; ``"slow"`` the same after
    ``delay_s`` seconds; ``"web_page"`` answers every request with a web page
    (an address that is not REDCap's API).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(project, behaviour, delay_s))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/"
    finally:
        server.shutdown()
        server.server_close()

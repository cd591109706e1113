"""``aidheart pull`` against a local stand-in for REDCap's API that serves the shipped study.

The stand-in (``tests/redcap_server.py``) answers as REDCap's API documentation
says, on 127.0.0.1 at a free port. The pull runs as the command a user types (a
subprocess), so its exit status, stdout and stderr are what a user sees.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from argparse import Namespace
from contextlib import ExitStack
from pathlib import Path

import pytest

from aidheart.pull import command
from aidheart.pull.errors import PullError
from aidheart.pull.files import dictionary_bytes, export_bytes, export_rows
from conftest import SHIPPED_DATA
from redcap_server import NO_PERMISSION, StoredProject, serving

TOKEN = "0F1E2D3C4B5A69788796A5B4C3D2E1F0"  # made up; 32 characters, as a REDCap project token
OTHER_TOKEN = "F" * 32
TOKEN_VARIABLE = "AIDHEART_TEST_REDCAP_TOKEN"
SHIPPED_EXPORT_TIME = "2026-05-24 10:48"  # the time in the shipped export's file name


def _pull(url: str, out: Path, *extra: str, token: str | None = TOKEN) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != TOKEN_VARIABLE}
    if token is not None:
        env[TOKEN_VARIABLE] = token
    return subprocess.run([sys.executable, "-m", "aidheart.cli", "pull", "--url", url, "--token-env",
                           TOKEN_VARIABLE, "--out", str(out), *extra],
                          env=env, capture_output=True, text=True, timeout=120)


def _files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def shipped_project() -> StoredProject:
    return StoredProject.from_study(SHIPPED_DATA, TOKEN)


@pytest.fixture(scope="module")
def redcap_url(shipped_project):
    with serving(shipped_project) as url:
        yield url


@pytest.fixture(scope="module")
def pulled(tmp_path_factory, redcap_url) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("pulled") / "study"
    done = _pull(redcap_url, out, "--export-time", SHIPPED_EXPORT_TIME)
    assert done.returncode == 0, done.stderr
    return out, done


# --------------------------------------------------------------------------- #
# What a pull writes
# --------------------------------------------------------------------------- #
def test_pull_writes_the_shipped_files_byte_for_byte(pulled):
    """The names and bytes of the shipped export: the pipeline reads the same input, and a run is a
    function of its input (tests/test_report_reproducible.py, tests/test_robustness.py)."""
    out, _ = pulled
    assert _files_under(out / "redcap") == _files_under(SHIPPED_DATA / "redcap")


def test_pull_reports_what_it_wrote_in_one_line(pulled):
    out, done = pulled
    shipped_rows = list(csv.reader(io.StringIO(
        next((SHIPPED_DATA / "redcap").glob("*_DATA_*.csv")).read_text(encoding="utf-8-sig"), newline="")))
    shipped_fields = len((next((SHIPPED_DATA / "redcap").glob("*_DataDictionary_*.csv"))
                          .read_text(encoding="utf-8")).splitlines()) - 1
    assert done.stderr == ""
    assert done.stdout.count("\n") == 1
    assert f"{len(shipped_rows) - 1} rows, {shipped_fields} fields" in done.stdout
    assert str(out / "redcap" / "AIDHEART_DATA_2026-05-24_1048.csv") in done.stdout


def test_the_token_travels_in_the_post_body_only(shipped_project, pulled):
    out, done = pulled
    assert [request["content"] for request in shipped_project.requests[:4]] == [
        "version", "project", "metadata", "record"]
    assert all(request["path"] == "/api/" and request["token"] == "<sent>" for request in shipped_project.requests)
    assert TOKEN not in done.stdout + done.stderr
    assert not any(TOKEN.encode() in data for data in _files_under(out).values())


# --------------------------------------------------------------------------- #
# Failures: one line, exit 2, nothing written, never the token
# --------------------------------------------------------------------------- #
def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/"


FAILURES = {
    # case: (server behaviour or a fixed URL, token, extra arguments, expected words in the message)
    "address_without_api": ("redcap", TOKEN, (), "ends in /api/"),
    "not_http": ("ftp://127.0.0.1/api/", TOKEN, (), "is not an http(s) address"),
    "nothing_listening": ("closed_port", TOKEN, (), "Connection refused"),
    "unknown_token": ("redcap", OTHER_TOKEN, (), f"refused content=version (HTTP 403, text/xml): {NO_PERMISSION}"),
    "no_answer_in_time": ("slow", TOKEN, ("--timeout", "0.5"), "did not answer content=version within 0.5 s"),
    "web_page_not_api": ("web_page", TOKEN, (), "is not a REDCap API: its answer to content=version "
                                                "(HTTP 200, text/html) is not a version number"),
    "variable_unset": ("redcap", None, (), f"environment variable {TOKEN_VARIABLE} is not set"),
    "not_a_token": ("redcap", "abc", (), "32 characters expected, it has 3"),
    "bad_export_time": ("redcap", TOKEN, ("--export-time", "24/05/2026"), "is not YYYY-MM-DD HH:MM"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failed_pull_says_what_failed_in_one_line(case, tmp_path, shipped_project):
    where, token, extra, expected = FAILURES[case]
    with ExitStack() as stack:
        if where == "closed_port":
            url = _closed_port_url()
        elif where in ("redcap", "slow", "web_page"):
            url = stack.enter_context(serving(shipped_project, where, delay_s=3.0))
            if case == "address_without_api":
                url = url.removesuffix("api/")
        else:
            url = where
        done = _pull(url, tmp_path / "study", *extra, token=token)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("aidheart pull: "), done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert token is None or len(token) < 8 or token not in done.stderr
    assert not (tmp_path / "study").exists() or _files_under(tmp_path / "study") == {}


def test_an_earlier_export_stops_the_pull_unless_replaced(tmp_path, redcap_url):
    first = _pull(redcap_url, tmp_path, "--export-time", "2026-05-24 10:48")
    assert first.returncode == 0, first.stderr
    second = _pull(redcap_url, tmp_path, "--export-time", "2026-06-01 09:05")
    assert second.returncode == 2
    assert "already holds AIDHEART_DATA_2026-05-24_1048.csv" in second.stderr and "--replace" in second.stderr
    assert sorted(_files_under(tmp_path / "redcap")) == ["AIDHEART_DATA_2026-05-24_1048.csv",
                                                        "AIDHEART_DataDictionary_2026-05-24.csv"]
    third = _pull(redcap_url, tmp_path, "--export-time", "2026-06-01 09:05", "--replace")
    assert third.returncode == 0, third.stderr
    assert sorted(_files_under(tmp_path / "redcap")) == ["AIDHEART_DATA_2026-06-01_0905.csv",
                                                        "AIDHEART_DataDictionary_2026-06-01.csv"]


def test_a_token_pasted_as_the_variable_name_is_not_echoed(tmp_path, redcap_url):
    done = subprocess.run([sys.executable, "-m", "aidheart.cli", "pull", "--url", redcap_url, "--token-env",
                           TOKEN, "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "takes the NAME of the environment variable" in done.stderr
    assert TOKEN not in done.stdout + done.stderr


def test_a_message_quoting_the_token_shows_it_as_a_placeholder(monkeypatch, capsys, tmp_path):
    def echoing_server(url, token, timeout, clock):
        raise PullError(f"REDCap at {url} refused content=version (HTTP 403): token {token} unknown")

    monkeypatch.setattr(command, "pull_project", echoing_server)
    monkeypatch.setenv(TOKEN_VARIABLE, TOKEN)
    args = Namespace(url="https://redcap.example.org/api/", token_env=TOKEN_VARIABLE, out=str(tmp_path),
                     export_time=None, timeout=5.0, replace=False)
    assert command.run_pull_command(args) == 2
    error = capsys.readouterr().err
    assert "token [token] unknown" in error and TOKEN not in error


# --------------------------------------------------------------------------- #
# The files' forms, on tiny inline answers
# --------------------------------------------------------------------------- #
def test_the_dictionary_takes_redcaps_18_headings_and_empties_nulls():
    metadata = [
        {"field_name": "record_id", "form_name": "enrollment", "field_type": "text", "field_label": "Record ID",
         "required_field": "y"},
        {"field_name": "race", "form_name": "enrollment", "field_type": "checkbox", "field_label": "Race",
         "select_choices_or_calculations": "1, Asian | 2, White", "identifier": None},
    ]
    assert dictionary_bytes(metadata).decode("utf-8") == (
        'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,'
        '"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,'
        'Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),'
        'Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,'
        'Field Annotation\n'
        'record_id,enrollment,,text,Record ID,,,,,,,,y,,,,,\n'
        'race,enrollment,,checkbox,Race,"1, Asian | 2, White",,,,,,,,,,,,\n')


def test_the_export_keeps_values_and_takes_the_export_byte_form():
    answer = ('record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,note\n'
              '1001,baseline_arm_1,,,"two\nlines, one ""quote"""\n')
    assert export_bytes(export_rows(answer)) == (
        b'\xef\xbb\xbfrecord_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,note\r\n'
        b'1001,baseline_arm_1,,,"two\nlines, one ""quote"""\r\n')


@pytest.mark.parametrize("answer, expected", [
    ("", "is empty"),
    ("<html><body>Sign in</body></html>\n", "starts with '<html><body>Sign in</body></html>'"),
    ("record_id,field_1\n1,a\n", "not with record_id, redcap_event_name"),
    ("record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance\n1,e,,,extra\n",
     "has 5 fields in row 2, its header 4"),
])
def test_an_answer_that_is_not_a_redcap_export_is_refused(answer, expected):
    with pytest.raises(PullError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        export_rows(answer)


# --------------------------------------------------------------------------- #
# The stand-in answers as REDCap documents (checked without the client)
# --------------------------------------------------------------------------- #
def _post(url: str, fields: list[tuple[str, str]]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.mark.parametrize("fmt, body", [
    ("json", '{"error":"You do not have permissions to use the API"}'),
    ("csv", "ERROR: You do not have permissions to use the API"),
    (None, '<?xml version="1.0" encoding="UTF-8" ?>\n<hash>\n  <error>You do not have permissions to use the API'
           '</error>\n</hash>'),
])
def test_the_stand_in_refuses_an_unknown_token_as_redcap_does(redcap_url, fmt, body):
    fields = [("token", OTHER_TOKEN), ("content", "record")] + ([("format", fmt)] if fmt else [])
    assert _post(redcap_url, fields) == (403, body)


def test_the_stand_in_exports_columns_in_redcaps_order_whatever_the_request_order(redcap_url, shipped_project):
    names = [item["field_name"] for item in shipped_project.metadata]
    forms = dict.fromkeys(item["form_name"] for item in shipped_project.metadata)
    requested = list(reversed(names + [f"{form}_complete" for form in forms]))
    fields = [("token", TOKEN), ("content", "record"), ("format", "csv"), ("type", "flat")]
    status, body = _post(redcap_url, fields + [(f"fields[{i}]", name) for i, name in enumerate(requested)])
    shipped = next((SHIPPED_DATA / "redcap").glob("*_DATA_*.csv")).read_text(encoding="utf-8-sig")
    assert status == 200
    assert body.splitlines()[0] == shipped.splitlines()[0]

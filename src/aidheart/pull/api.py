"""The REDCap API calls of a pull, made through PyCap, each failure turned into one line.

Calls, in this order (all POST to the API address, the token in the form body):

1. ``content=version``: REDCap answers with its version number; anything else
   is not a REDCap API;
2. ``content=project`` (JSON): the project's title and settings;
3. ``content=metadata`` (JSON): the data dictionary, one object per field under
   REDCap's metadata keys;
4. ``content=record`` (CSV, ``type=flat``, ``rawOrLabel=raw``,
   ``rawOrLabelHeaders=raw``, ``eventName=unique``, checkboxes as 0/1): the
   records as REDCap's CSV export has them -- one row per record x event and per
   repeating instance, the four key columns first, checkboxes as
   ``field___code``, coded values.

PyCap reads REDCap's error answers from the body (``{"error": ...}``,
``ERROR: ...`` or ``<error>...</error>``) and does not look at the HTTP status,
so a response hook keeps the status of the last answer for the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import requests
from redcap import Project, RedcapError

from aidheart.pull.errors import PullError
from aidheart.pull.files import METADATA_KEYS

# Longest server text quoted in a message: enough for REDCap's error sentences,
# short enough that a web page sent instead stays one readable line.
QUOTED_ANSWER_CHARS = 160


@dataclass(frozen=True)
class PulledProject:
    """What one pull fetched: the server's version, the project title, the dictionary and the records.

    ``records_csv`` is REDCap's answer as text; ``exported_at`` is the time taken
    just before the record export was asked for (the time REDCap puts in its file names).
    """

    redcap_version: str
    title: str
    metadata: list[dict]
    records_csv: str
    exported_at: datetime


class _LastAnswer:
    """Response hook: the HTTP status and content type of the latest answer."""

    def __init__(self):
        self.status: int | None = None
        self.content_type = ""

    def __call__(self, response, *args, **kwargs):
        self.status = response.status_code
        self.content_type = response.headers.get("Content-Type", "").split(";")[0]

    def describe(self) -> str:
        if self.status is None:
            return "no answer"
        return f"HTTP {self.status}" + (f", {self.content_type}" if self.content_type else "")


def _reason(answer) -> str:
    """REDCap's error text from the body PyCap raised with (JSON dict, ``ERROR: ...`` or XML)."""
    if isinstance(answer, dict):
        text = str(answer.get("error", answer))
    else:
        text = str(answer)
        found = re.search(r"<error>(.*?)</error>", text, flags=re.S | re.I)
        text = found.group(1) if found else re.sub(r"^\s*error:\s*", "", text, flags=re.I)
    text = " ".join(text.split())
    return text if len(text) <= QUOTED_ANSWER_CHARS else text[:QUOTED_ANSWER_CHARS] + "..."


def _os_reason(error: Exception) -> str:
    """The operating system's reason inside a requests connection error ("Connection refused"), if any."""
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(error))
    return f": {found.group(1).strip()}" if found else ""


@contextmanager
def _calling(content: str, url: str, timeout: float, answer: _LastAnswer):
    """Run one API call; a timeout, a connection failure, a non-JSON answer or a REDCap error -> PullError."""
    try:
        yield
    except requests.Timeout:
        raise PullError(f"{url} did not answer content={content} within {timeout:g} s") from None
    except requests.exceptions.SSLError:
        raise PullError(f"cannot connect to {url}: its TLS certificate was not accepted") from None
    except requests.ConnectionError as error:
        raise PullError(f"cannot connect to {url}{_os_reason(error)}") from None
    except requests.JSONDecodeError:
        raise PullError(f"{url} is not a REDCap API: its answer to content={content} "
                        f"({answer.describe()}) is not JSON") from None
    except RedcapError as error:
        if type(error) is not RedcapError:  # requests' own failure (a broken answer, a redirect loop...)
            raise PullError(f"content={content} from {url} failed ({type(error).__name__})") from None
        # PyCap raises the plain RedcapError with REDCap's error answer as its argument.
        raise PullError(f"REDCap at {url} refused content={content} ({answer.describe()}): "
                        f"{_reason(error.args[0] if error.args else '')}") from None


def _not_redcap(url: str, content: str, answer: _LastAnswer, what: str) -> PullError:
    return PullError(f"{url} is not a REDCap API: its answer to content={content} ({answer.describe()}) {what}")


def _check_metadata(metadata, url: str, answer: _LastAnswer) -> list[dict]:
    if not isinstance(metadata, list) or not metadata or not all(isinstance(row, dict) for row in metadata):
        raise _not_redcap(url, "metadata", answer, "is not a list of fields")
    missing = [key for key in METADATA_KEYS if key not in metadata[0]]
    if missing:
        raise _not_redcap(url, "metadata", answer, f"lacks the metadata key '{missing[0]}'")
    return metadata


def pull_project(url: str, token: str, timeout: float, clock: Callable[[], datetime]) -> PulledProject:
    """Make the four calls of a pull (module notes) and return what REDCap sent.

    Parameters
    ----------
    url : REDCap's API address (``https://.../api/``).
    token : the project's API token (kept in memory only).
    timeout : seconds to wait for a connection and for each answer.
    clock : gives the export time, called just before the record export.

    Raises
    ------
    PullError
        One line naming what failed: no connection, no answer in time, REDCap's
        refusal (with its status and error text), or an answer that is not REDCap's.
    """
    answer = _LastAnswer()
    project = Project(url, token, timeout=timeout, hooks={"response": [answer]})
    with _calling("version", url, timeout, answer):
        version = project.export_version()
    if version is None:
        raise _not_redcap(url, "version", answer, "is not a version number")
    with _calling("project", url, timeout, answer):
        info = project.export_project_info(format_type="json")
    if not isinstance(info, dict) or "project_id" not in info:
        raise _not_redcap(url, "project", answer, "is not a project description")
    with _calling("metadata", url, timeout, answer):
        metadata = _check_metadata(project.metadata, url, answer)
    exported_at = clock()
    with _calling("record", url, timeout, answer):
        records = project.export_records(format_type="csv", record_type="flat", raw_or_label="raw",
                                         raw_or_label_headers="raw", event_name="unique",
                                         export_checkbox_labels=False)
    return PulledProject(str(version), str(info.get("project_title", "")), metadata, records, exported_at)

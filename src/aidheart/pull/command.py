"""``aidheart pull``: check the address and the token's variable, pull, write, say so in one line.

Every failure is one line on stderr, ``aidheart pull: <what failed>``, and exit
status 2. The token is read from the environment variable named by
``--token-env`` and is never printed: a message that would quote it (a server
echoing it back) shows ``[token]`` instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from aidheart.pull.api import pull_project
from aidheart.pull.errors import PullError
from aidheart.pull.files import (dictionary_bytes, dictionary_file_name, earlier_pulls, export_bytes,
                                 export_file_name, export_rows, write_pulled_files)

#: Length of a REDCap project API token (PyCap accepts no other).
TOKEN_LENGTH = 32
EXPORT_TIME_FORMAT = "%Y-%m-%d %H:%M"


def api_url(url: str) -> str:
    """``url`` if it is an http(s) address ending in ``/api/`` (REDCap's API address), else PullError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PullError(f"--url {url!r} is not an http(s) address")
    if not parts.path.endswith("/api/") or parts.query or parts.fragment:
        raise PullError(f"--url {url!r} is not a REDCap API address: it ends in /api/ "
                        "(e.g. https://redcap.example.org/api/)")
    return url


def token_from(variable: str) -> str:
    """The token in the environment variable ``variable`` (surrounding white space removed)."""
    if len(variable) == TOKEN_LENGTH:  # perhaps the token itself, pasted in: never echo it
        raise PullError("--token-env takes the NAME of the environment variable that holds the token, "
                        "not the token")
    token = os.environ.get(variable, "").strip()
    if not token:
        raise PullError(f"environment variable {variable} is not set; put the project's API token there")
    if len(token) != TOKEN_LENGTH:
        raise PullError(f"environment variable {variable} does not hold a REDCap API token "
                        f"({TOKEN_LENGTH} characters expected, it has {len(token)})")
    return token


def export_clock(export_time: str | None) -> Callable[[], datetime]:
    """The clock giving the export time: local time now, or the fixed ``YYYY-MM-DD HH:MM`` given."""
    if export_time is None:
        return datetime.now
    try:
        fixed = datetime.strptime(export_time, EXPORT_TIME_FORMAT)
    except ValueError:
        raise PullError(f"--export-time {export_time!r} is not YYYY-MM-DD HH:MM") from None
    return lambda: fixed


def run_pull_command(args) -> int:
    """Pull the export and dictionary from ``args.url`` into ``args.out``/redcap/; 0, or 2 after one line."""
    token = ""
    try:
        url = api_url(args.url)
        token = token_from(args.token_env)
        clock = export_clock(args.export_time)
        if not args.timeout > 0:
            raise PullError(f"--timeout {args.timeout:g} is not a positive number of seconds")
        redcap_dir = Path(args.out) / "redcap"
        earlier_pulls(redcap_dir, args.replace)  # before asking the server anything
        pulled = pull_project(url, token, args.timeout, clock)
        rows = export_rows(pulled.records_csv)
        files = {export_file_name(pulled.exported_at): export_bytes(rows),
                 dictionary_file_name(pulled.exported_at): dictionary_bytes(pulled.metadata)}
        written = write_pulled_files(redcap_dir, files, args.replace)
    except PullError as error:
        message = str(error).replace(token, "[token]") if token else str(error)
        print(f"aidheart pull: {message}", file=sys.stderr)
        return 2
    print(f"aidheart pull: {len(rows) - 1} rows, {len(pulled.metadata)} fields of {pulled.title!r} "
          f"(REDCap {pulled.redcap_version}) -> {', '.join(map(str, written))}")
    return 0

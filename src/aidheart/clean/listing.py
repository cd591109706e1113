"""The study team's one query listing: every stage's queries, with a stable ID, a category and a status.

The cleaning step and the derivations each raise queries in the query-record layout
(:data:`aidheart.ingest.queries.QUERY_COLUMNS`); this module joins them into the
listing the team works from (:data:`LISTING_COLUMNS`, ``results/qc/queries.csv``).

Columns added
-------------
- ``query_id``: ``Q`` and the first :data:`ID_DIGITS` hex digits of the SHA-256 of the
  query's *place and rule* (:data:`ID_KEYS`: subject, event, form, field, repeat
  instance, rule), never of its value, message or line, so the same query keeps its
  ID on the next export although rows moved or the value was changed. Queries that
  share all six (rows of one key, e.g. the two rows of a ``duplicate_key``, or rows
  without a record id) are one query for the team: one line, their sources joined by
  ``; `` and the count in the message. Two *different* places whose IDs share the
  first digits (odds about 1 in 10^12 for a pair) both get twice as many digits.
- ``category``: ``actionable`` (something to correct or confirm in REDCap, or a file
  to check or export again) or ``note`` (:data:`NOTE_RULES`: what the monitor
  recorded, such as low signal quality or artefact readings, and what a derivation
  could not compute; nothing in REDCap can change it, and where its cause can be
  fixed an actionable query names that cause).
- ``owner_form``: the REDCap form the site opens to resolve it: the query's form, the
  challenge form for a monitor file (it names the file), empty for a whole row or the
  project's set-up.
- ``status``: against the previous run's listing, when one is given: ``new`` (its ID
  was not there), ``still open`` (it was, and is raised again) or ``resolved`` (it was
  there and is raised no more; the previous line is listed again with that status).
  A previous line already ``resolved`` is not carried further. Empty without a
  previous listing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.queries import QUERY_COLUMNS, sort_key

LISTING_COLUMNS = ("query_id", "status", "category", "record_id", "event", "form", "owner_form", "field",
                   "instance", "value", "rule", "severity", "source", "message")
ID_KEYS = ("record_id", "event", "form", "field", "instance", "rule")
ID_DIGITS = 10
ACTIONABLE, NOTE = "actionable", "note"
NEW, OPEN, RESOLVED = "new", "still open", "resolved"
#: Rules whose queries are notes: readings the monitor flagged, and values the derivation could not compute.
NOTE_RULES = frozenset({"low_signal_quality", "artefact_reading", "duplicate_time", "time_backwards",
                        "before_session_start", "sampling_interval_mismatch", "challenge_step_not_usable"})
#: Suffix of the derivation's rule for a session parameter it could not derive (``inosens_not_derived``).
NOT_DERIVED = "_not_derived"
#: The form that owns a query raised on something outside REDCap.
OWNER_OF = {"monitor": "inotrope_challenge"}


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def query_ids(keys: Sequence[tuple[str, ...]], digits: int = ID_DIGITS) -> list[str]:
    """``Q`` + hex digits of each key's digest; keys whose digits clash with another key's get twice as many."""
    digests = {key: _digest(key) for key in keys}
    length = {key: digits for key in digests}
    while True:
        by_prefix: dict[str, set] = {}
        for key, digest in digests.items():
            by_prefix.setdefault(digest[:length[key]], set()).add(key)
        clashing = [group for group in by_prefix.values() if len(group) > 1]
        if not clashing:
            return [f"Q{digests[key][:length[key]]}" for key in keys]
        for group in clashing:
            for key in group:
                length[key] *= 2


def category(rule: str) -> str:
    """:data:`NOTE` for a rule of :data:`NOTE_RULES` or a parameter not derived, else :data:`ACTIONABLE`."""
    return NOTE if rule in NOTE_RULES or rule.endswith(NOT_DERIVED) else ACTIONABLE


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reindex(columns=list(QUERY_COLUMNS)).astype(object).fillna("").astype(str)


def _one_per_key(queries: pd.DataFrame) -> pd.DataFrame:
    """Queries sharing :data:`ID_KEYS` as one line: sources joined, values listed once, the count said."""
    rows = []
    for _, group in queries.groupby(list(ID_KEYS), sort=False):
        row = group.iloc[0].copy()
        if len(group) > 1:
            row["source"] = "; ".join(group["source"])
            row["value"] = "; ".join(dict.fromkeys(value for value in group["value"] if value))
            row["message"] = f"{row['message']} ({len(group)} rows)"
        rows.append(row)
    return pd.DataFrame(rows, columns=queries.columns)


def _sorted(listing: pd.DataFrame) -> pd.DataFrame:
    order = sorted(range(len(listing)), key=lambda i: sort_key(listing.iloc[i].to_dict()))
    return listing.iloc[order].reset_index(drop=True)


def build_listing(parts: Sequence[pd.DataFrame], previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The one listing (:data:`LISTING_COLUMNS`, module notes) from each stage's queries, sorted.

    Parameters
    ----------
    parts : query tables in the :data:`~aidheart.ingest.queries.QUERY_COLUMNS` layout (cleaning, derivation).
    previous : the previous run's listing (:func:`read_previous_listing`), or None for no status.
    """
    frames = [_as_text(part) for part in parts]
    queries = pd.concat(frames, ignore_index=True) if frames else _as_text(pd.DataFrame())
    queries = _one_per_key(_sorted(queries)) if len(queries) else queries
    keys = [tuple(row) for row in queries[list(ID_KEYS)].itertuples(index=False)]
    listing = queries.assign(query_id=query_ids(keys), status="", category=queries["rule"].map(category),
                             owner_form=queries["form"].map(lambda form: OWNER_OF.get(form, form)))
    if previous is not None:
        carried = previous[previous["status"].ne(RESOLVED)]
        listing["status"] = listing["query_id"].isin(set(carried["query_id"])).map({True: OPEN, False: NEW})
        gone = carried[~carried["query_id"].isin(set(listing["query_id"]))].assign(status=RESOLVED)
        listing = pd.concat([listing, gone], ignore_index=True)
    return _sorted(listing.reindex(columns=list(LISTING_COLUMNS)).fillna("").astype(str))


def read_previous_listing(path: str | Path, shown: str) -> pd.DataFrame:
    """A previous run's listing as text; :class:`InputStructureError` (naming ``shown``) when it is none."""
    path = Path(path)
    if not path.is_file():
        raise InputStructureError(shown, "the previous query listing (config queries.previous_listing) "
                                  "does not exist")
    try:
        previous = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputStructureError(shown, f"the previous query listing cannot be read as CSV ({error})") from None
    missing = [column for column in LISTING_COLUMNS if column not in previous.columns]
    if missing:
        raise InputStructureError(shown, "is not a query listing of this pipeline (no column "
                                  f"{', '.join(missing)}); give a results/qc/queries.csv of an earlier run")
    return previous[list(LISTING_COLUMNS)]

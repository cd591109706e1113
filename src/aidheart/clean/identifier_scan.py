"""Identifier values of the raw export found inside other text, and their redaction.

A subject's name or MRN typed into a free-text field (an AE verbatim term) would
otherwise leave the cleaning step with the text. Every identifier value of every
record (fields with ``Identifier? = y``) becomes a *needle*; free text and the
query listing are searched for all needles before anything is written.

Normalisation
-------------
- Text is cut into tokens: runs of letters, runs of digits (``"MRN22173334"`` is
  ``mrn``, ``22173334``). Tokens are compared case-folded and without accents
  (``José`` = ``jose``); punctuation and spaces only separate tokens.
- Words: a needle is a sequence of tokens matched as whole tokens, in order
  (``Scott`` is found in ``"per Scott."`` but not in ``"Scottish"``). Each word
  of a name value of two letters or more is a needle, and so is each pair of a
  record's name values in both orders (``Gloria Scott``, ``Scott, Gloria``).
  A single word that is also a word of the dictionary's choice labels (the
  last name ``White`` is also a race) is an ordinary word of the study: it is
  searched only as part of the full name, so "White blood cell count
  decreased" stays as written.
- Numbers (MRN, phone): digit runs separated by at most two of
  ``space - . / ( ) +`` are joined, and every joined span of whole runs is
  compared with the identifier's digits: ``(804) 555-4536``, ``804.555.4536``
  and ``+1 8045554536`` all hold ``8045554536``. A number of ten digits or
  more is also searched by its last seven (the local number, ``555-4536``).
  Colons and commas do not join runs, so clock times and lists of numbers are
  never read as one number.
- Dates (a value that is a calendar date, the date of birth): the written forms
  ``YYYY-MM-DD``, ``MM/DD/YYYY``, ``DD/MM/YYYY``, with and without leading
  zeros, two-digit years, ``YYYYMMDD``, and the month by name (``8 Jul 1952``,
  ``July 8, 1952``) -- as token sequences, so any separator matches.

A match is replaced by :data:`REDACTED`; what was matched is never reported,
only which identifier field it belongs to and whether it is the same record's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from aidheart.clean.validate import is_date

REDACTED = "[identifier removed]"
TOKEN = re.compile(r"[^\W\d_]+|\d+")
#: What may stand between two digit runs of one written number (phone, MRN).
NUMBER_GAP = re.compile(r"[\s\-./()+]{1,2}")
#: Numbers of at least this many digits are also searched by their last seven (the local number).
LOCAL_NUMBER_FROM = 10
LOCAL_NUMBER_DIGITS = 7
MONTHS = [dt.date(2000, month, 1) for month in range(1, 13)]


def normalise(token: str) -> str:
    """Case-folded, accents removed (NFKD, combining marks dropped)."""
    folded = unicodedata.normalize("NFKD", token.casefold())
    return "".join(char for char in folded if not unicodedata.combining(char))


def tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, normalised token)`` of every letter run and digit run of ``text``."""
    return [(m.start(), m.end(), normalise(m.group())) for m in TOKEN.finditer(text)]


def date_forms(day: dt.date) -> set[tuple[str, ...]]:
    """The token sequences of the usual written forms of ``day`` (see module notes)."""
    year, short_year = str(day.year), f"{day.year % 100:02d}"
    months = {f"{day.month:02d}", str(day.month)}
    days = {f"{day.day:02d}", str(day.day)}
    names = {normalise(MONTHS[day.month - 1].strftime(pattern)) for pattern in ("%b", "%B")}
    forms = {(year, m, d) for m in months for d in days}
    for y in (year, short_year):
        forms |= {(m, d, y) for m in months for d in days} | {(d, m, y) for m in months for d in days}
        forms |= {(d, n, y) for d in days for n in names} | {(n, d, y) for d in days for n in names}
    forms.add((day.strftime("%Y%m%d"),))
    return forms


@dataclass(frozen=True)
class Match:
    """Where a needle was found: character span, identifier fields and their records."""

    start: int
    end: int
    owners: frozenset[tuple[str, str]]  # (identifier field, record_id)


@dataclass
class IdentifierScan:
    """Needles of an export; :meth:`find` and :meth:`redact` search a text for them.

    ``words`` maps a token sequence, ``numbers`` a digit string, to the
    ``(identifier field, record_id)`` pairs whose value it is.
    """

    words: dict[tuple[str, ...], set[tuple[str, str]]] = field(default_factory=dict)
    numbers: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: Tokens in the longest word needle (kept as needles are added: ``find`` runs once per text cell).
    longest: int = 0

    @classmethod
    def from_export(cls, raw: pd.DataFrame, dictionary: pd.DataFrame) -> IdentifierScan:
        """Needles of every identifier value of every row of the raw export (module notes)."""
        scan = cls()
        ordinary = ordinary_words(dictionary)
        fields = [f for f in dictionary.index[dictionary["identifier"]] if f in raw.columns]
        holding = raw[fields].ne("").any(axis=1) if fields else pd.Series(False, index=raw.index)
        for _, row in raw.loc[holding, ["record_id", *fields]].iterrows():
            names = []
            for name in fields:
                value = row[name].strip()
                if value:
                    names += scan._add_value(value, (name, row["record_id"]), ordinary)
            for first, second in ((a, b) for a in names for b in names if a is not b):
                scan._add_word(first[0] + second[0], first[1] | second[1])
        return scan

    def _add_word(self, key: tuple[str, ...], owners) -> None:
        self.words.setdefault(key, set()).update(owners)
        self.longest = max(self.longest, len(key))

    def _add_number(self, digits: str, owner: tuple[str, str]) -> None:
        self.numbers.setdefault(digits, set()).add(owner)
        if len(digits) >= LOCAL_NUMBER_FROM:
            self.numbers.setdefault(digits[-LOCAL_NUMBER_DIGITS:], set()).add(owner)

    def _add_value(self, value: str, owner: tuple[str, str], ordinary: set[str]) -> list:
        """Add the needles of one value; returns it as a name part ``[(tokens, owners)]`` when it has letters."""
        if is_date(value):
            for form in date_forms(dt.date.fromisoformat(value)):
                self._add_word(form, {owner})
            self._add_number(dt.date.fromisoformat(value).strftime("%Y%m%d"), owner)
            return []
        parts = tuple(token for _, _, token in tokens(value))
        letters = [token for token in parts if not token.isdigit()]
        digits = "".join(token for token in parts if token.isdigit())
        if digits:
            self._add_number(digits, owner)
        if not letters:
            return []
        if len(parts) > 1:
            self._add_word(parts, {owner})
        for word in letters:
            if len(word) >= 2 and word not in ordinary:
                self._add_word((word,), {owner})
        return [(parts, {owner})]

    def find(self, text: str) -> list[Match]:
        """Every needle in ``text``, in order of position (overlapping matches all listed)."""
        found = tokens(text)
        matches = []
        for i in range(len(found)):
            for n in range(1, min(self.longest, len(found) - i) + 1):
                owners = self.words.get(tuple(token for _, _, token in found[i:i + n]))
                if owners:
                    matches.append(Match(found[i][0], found[i + n - 1][1], frozenset(owners)))
        matches += self._find_numbers(text, found)
        return sorted(matches, key=lambda m: (m.start, m.end))

    def _find_numbers(self, text: str, found: list[tuple[int, int, str]]) -> list[Match]:
        chains, chain = [], []
        for token in found:
            joined = chain and NUMBER_GAP.fullmatch(text[chain[-1][1]:token[0]])
            if token[2].isdigit() and (not chain or joined):
                chain.append(token)
                continue
            chains.append(chain)
            chain = [token] if token[2].isdigit() else []
        chains.append(chain)
        matches = []
        for chain in chains:
            for a in range(len(chain)):
                digits = ""
                for b in range(a, len(chain)):
                    digits += chain[b][2]
                    if digits in self.numbers:
                        start = chain[a][0]
                        if start and text[start - 1] == "(" and ")" in text[start:chain[b][1]]:
                            start -= 1  # the bracket of an area code, "(804) 555-4536"
                        matches.append(Match(start, chain[b][1], frozenset(self.numbers[digits])))
        return matches

    def redact(self, text: str) -> tuple[str, list[Match]]:
        """``text`` with every match replaced by :data:`REDACTED` (overlapping matches merged), and the matches."""
        matches = self.find(text)
        if not matches:
            return text, []
        pieces, position = [], 0
        for match in matches:
            if match.start >= position:
                pieces.append(text[position:match.start])
                pieces.append(REDACTED)
            position = max(position, match.end)
        pieces.append(text[position:])
        return "".join(pieces), matches


def ordinary_words(dictionary: pd.DataFrame) -> set[str]:
    """Normalised words of every choice label of the dictionary (the study's own vocabulary)."""
    words = set()
    for choices in dictionary["choices"]:
        for label in choices.values():
            words |= {token for _, _, token in tokens(label) if not token.isdigit()}
    return words


def describe(matches: list[Match], record_id: str) -> str:
    """Which identifier fields were found and whose they are, without the values: ``last_name, mrn (this record)``."""
    owners = {owner for match in matches for owner in match.owners}
    names = ", ".join(sorted({name for name, _ in owners}))
    whose = {"this record" if record == record_id else "another record" for _, record in owners}
    return f"{names} ({' and '.join(sorted(whose, reverse=True))})"

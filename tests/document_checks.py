"""Checks on rendered documents that hold whichever renderer made them (Quarto or the built-in one).

- :func:`html_structure`: the headings, the figure and table floats (id, element,
  caption text) and the cross-reference links of an HTML report, as both renderers
  write them (the id on a ``<div>`` around a ``<figure>`` whose ``<figcaption>``
  reads "Table 1: ...", Quarto's structure).
- :func:`pdf_pages`: every word of a PDF with its box (``pdftotext -bbox``), per page;
  :func:`overprinted_words` finds words printed over each other (a table running
  into the footer, rows stacked on rows); :func:`words_outside` finds words past the
  text area's left or right edge.
"""

from __future__ import annotations

import html as html_module
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

FLOAT_ID = re.compile(r"^(fig|tbl)-")
#: Horizontal margins of the reports' pages (reports/_typst/typst-template.typ: 2 cm).
PAGE_MARGIN_PT = 2 / 2.54 * 72


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u2019", "'").split())


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings, self.floats, self.xrefs = [], [], []
        self.stack = []  # open elements: (tag, attrs)
        self.heading = None  # [level, text]
        self.caption = None  # [float index, text]
        self.xref = None  # [href, text]
        self.skip_depth = None  # inside the contents list or the title block

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "img", "meta", "link", "hr", "col", "input"):
            return
        self.stack.append((tag, attrs))
        if self.skip_depth is None and (attrs.get("id") in ("TOC", "title-block-header", "quarto-margin-sidebar")
                                        or attrs.get("role") == "doc-toc"):
            self.skip_depth = len(self.stack)
        identifier = attrs.get("id", "")
        if FLOAT_ID.match(identifier) and not identifier.endswith("caption") and "-caption-" not in identifier:
            self.floats.append({"id": identifier, "tag": tag, "caption": None, "open": len(self.stack)})
        if self.skip_depth is not None:
            return
        if re.fullmatch(r"h[1-6]", tag) and "title" not in attrs.get("class", "").split():
            self.heading = [int(tag[1]), ""]
        elif tag == "figcaption":
            owner = next((f for f in reversed(self.floats) if f["open"] and f["caption"] is None), None)
            self.caption = [owner, ""] if owner else None
        elif tag == "a" and "quarto-xref" in attrs.get("class", "").split():
            self.xref = [attrs.get("href", ""), ""]

    def handle_endtag(self, tag):
        if not self.stack or tag not in [open_tag for open_tag, _ in self.stack]:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            depth = len(self.stack) + 1
            for item in self.floats:
                if item["open"] == depth:
                    item["open"] = 0
            if self.skip_depth == depth:
                self.skip_depth = None
            if open_tag == tag:
                break
        if self.heading and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((self.heading[0], _clean(self.heading[1])))
            self.heading = None
        elif tag == "figcaption" and self.caption:
            self.caption[0]["caption"] = _clean(self.caption[1])
            self.caption = None
        elif tag == "a" and self.xref:
            self.xrefs.append((self.xref[0], _clean(self.xref[1])))
            self.xref = None

    def handle_data(self, data):
        for part in (self.heading, self.caption, self.xref):
            if part is not None:
                part[1] += data


def html_structure(html: str) -> dict:
    """``{"headings": [(level, text)], "floats": [(id, tag, caption)], "xrefs": [(href, text)]}``.

    Headings of the body only (not the title, the contents list or the title block);
    captions and link texts with no-break spaces made plain spaces.
    """
    parser = _Structure()
    parser.feed(html)
    floats = [(item["id"], item["tag"], item["caption"]) for item in parser.floats]
    return {"headings": parser.headings, "floats": floats, "xrefs": parser.xrefs}


def table_after(html: str, identifier: str) -> str:
    """The first ``<table>...</table>`` inside or after the element with id ``identifier``."""
    match = re.search(rf'id="{re.escape(identifier)}".*?(<table\b.*?</table>)', html, flags=re.DOTALL)
    if match is None:
        raise AssertionError(f"no table with or after id {identifier!r}")
    return match.group(1)


def html_text(html: str) -> str:
    """The text of an HTML document as a reader sees it: no markup, entities resolved, white space single."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def html_table(html: str, table_id: str) -> list[list[str]]:
    """Body rows of the HTML table labelled ``table_id``: cell texts with markup and entities resolved and
    white space (the source's line breaks) as single spaces."""
    body = table_after(html, table_id)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.DOTALL)
    cells = [[" ".join(html_module.unescape(re.sub(r"<[^>]+>", "", cell)).split())
              for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)] for row in rows]
    return [row for row in cells if row]


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @property
    def area(self) -> float:
        return max(self.x_max - self.x_min, 0) * max(self.y_max - self.y_min, 0)


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its words and their boxes (points, origin top left)."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = []
    for number, (width, height, body) in enumerate(_PAGE.findall(bbox), start=1):
        words = tuple(Word(html_module.unescape(text), float(x0), float(y0), float(x1), float(y1))
                      for x0, y0, x1, y1, text in _WORD.findall(body))
        pages.append(Page(number, float(width), float(height), words))
    return pages


def overprinted_words(page: Page, share: float = 0.35) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes overlap by more than ``share`` of the smaller box.

    Words of neighbouring lines touch (a box spans the font's ascender and descender),
    never by a third of a word; text printed over other text does.
    """
    words = sorted(page.words, key=lambda word: word.x_min)
    pairs = []
    for i, first in enumerate(words):
        for second in words[i + 1:]:
            if second.x_min >= first.x_max:
                break
            width = min(first.x_max, second.x_max) - max(first.x_min, second.x_min)
            height = min(first.y_max, second.y_max) - max(first.y_min, second.y_min)
            smaller = min(first.area, second.area)
            if width > 0 and height > 0 and smaller > 0 and width * height > share * smaller:
                pairs.append((first, second))
    return pairs


def words_outside(page: Page, margin: float = PAGE_MARGIN_PT, tolerance: float = 1.0) -> list[Word]:
    """Words that start left of the left margin or end right of the right margin."""
    return [word for word in page.words
            if word.x_min < margin - tolerance or word.x_max > page.width - margin + tolerance]

"""Helpers the report documents call inside their cells (built-in renderer and Quarto alike).

``markdown_table`` shows a DataFrame as a Markdown pipe table, which both the HTML
and the PDF keep; ``save_figure`` writes figure files with reproducible bytes;
``page_header`` sets the text printed on every PDF page (and atop the HTML).
"""

from __future__ import annotations

import html
from pathlib import Path

# Wide tables (see column_width_hints), in characters of table text (8.5 pt): the text width
# of an A4 page with 2 cm margins, the room a cell's inset takes, and the width beyond which a
# column of running text wraps rather than widen the table.
TEXT_WIDTH_CHARS = 104
CELL_INSET_CHARS = 3
WRAPPING_COLUMN_CHARS = 28
FIGURE_METADATA = {".png": {"Software": None}, ".svg": {"Date": None, "Creator": None},
                   ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}


def markdown_table(frame, *, index: bool = False, floatfmt: str = "g", missing: str = "", empty: str = "None",
                   **options):
    """A DataFrame as an IPython Markdown object holding a pipe table.

    A frame without rows keeps its header and shows one row reading ``empty`` (a
    table with no body looks like a rendering fault in a DSMB report).  Other keyword
    ``options`` go to ``tabulate`` (e.g. ``disable_numparse=True`` keeps text such as
    ``"49.0"`` exactly as formatted; ``colalign``).

    Pandoc (under Quarto and the built-in renderer alike) lays a pipe table with a line
    longer than 72 characters over the whole text width, each column's share set by
    the dashes under its header; :func:`column_width_hints` writes those dashes.
    """
    from IPython.display import Markdown

    if len(frame.columns) == 0:
        return Markdown(empty)
    if len(frame) == 0:
        frame = frame.reset_index() if index else frame
        frame = frame.astype(object)
        frame.loc[0] = [empty] + [""] * (len(frame.columns) - 1)
        index = False
    text = frame.to_markdown(index=index, tablefmt="pipe", floatfmt=floatfmt, missingval=missing, **options)
    return Markdown(column_width_hints(text))


def column_width_hints(table: str, text_width: int = TEXT_WIDTH_CHARS, wrap: int = WRAPPING_COLUMN_CHARS) -> str:
    """A pipe table whose separator row gives each column its share of a wide table's width.

    Each column has a least width, its longest word (header words included: a header
    wraps first), and a preferred width, its longest body cell up to ``wrap``
    characters; both plus ``CELL_INSET_CHARS``.  When the preferred widths fit in
    ``text_width`` they are used; otherwise every column gets its least width and the
    room left is shared in proportion to what each column lacks of its preferred
    width (the way a browser lays out an automatic table).  Alignment colons are kept.
    A table whose rows do not split into the same number of cells (a ``|`` inside a
    cell) is returned unchanged.
    """
    lines = table.split("\n")
    if len(lines) < 3:
        return table
    rows = [_cells(line) for line in lines]
    count = len(rows[1])
    if count == 0 or any(len(row) != count for row in rows):
        return table
    header, body = rows[0], rows[2:]
    least, preferred = [], []
    for column in range(count):
        cells = [header[column].strip()] + [row[column].strip() for row in body]
        word = max((len(part) for cell in cells for part in cell.split()), default=0)
        longest = max(len(row[column].strip()) for row in body)
        least.append(word + CELL_INSET_CHARS)
        preferred.append(max(word, min(longest, wrap)) + CELL_INSET_CHARS)
    widths = _share(least, preferred, text_width)
    separator = []
    for width, rule in zip(widths, rows[1]):
        rule = rule.strip()
        left, right = rule.startswith(":"), rule.endswith(":")
        separator.append((":" if left else "") + "-" * max(width - left - right, 1) + (":" if right else ""))
    lines[1] = "|" + "|".join(separator) + "|"
    return "\n".join(lines)


def _share(least: list[int], preferred: list[int], total: int) -> list[int]:
    if sum(preferred) <= total or sum(least) >= total:
        return preferred if sum(preferred) <= total else least
    room = (total - sum(least)) / (sum(preferred) - sum(least))
    return [round(low + (high - low) * room) for low, high in zip(least, preferred)]


def _cells(line: str) -> list[str]:
    inner = line.strip()
    return inner[1:-1].split("|") if inner.startswith("|") and inner.endswith("|") else []


def page_header(text: str):
    """Show ``text`` in every PDF page's header (typst metadata) and as a banner in the HTML."""
    from IPython.display import Markdown

    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    banner = ('<div class="page-header" style="font-size:0.8rem;font-weight:600;letter-spacing:0.04em;'
              f'border-bottom:1px solid #c9ced8;padding:0.3rem 0;margin-bottom:1rem">{html.escape(text)}</div>')
    return Markdown(f"```{{=html}}\n{banner}\n```\n\n```{{=typst}}\n#metadata(\"{quoted}\") <page-header>\n```\n")


def save_figure(fig, path: str | Path, *, dpi: int = 150) -> Path:
    """Save ``fig`` with metadata that does not change between runs (no software version, no dates)."""
    import matplotlib as mpl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"svg.hashsalt": "aidheart", "svg.fonttype": "path"}):
        fig.savefig(path, dpi=dpi, bbox_inches="tight", metadata=FIGURE_METADATA.get(path.suffix.lower()))
    return path

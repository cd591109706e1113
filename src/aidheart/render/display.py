"""Helpers the report documents call inside their cells (built-in renderer and Quarto alike).

``markdown_table`` shows a DataFrame as a Markdown pipe table, which both the HTML
and the PDF keep; ``save_figure`` writes figure files with reproducible bytes;
``page_header`` sets the text printed on every PDF page (and atop the HTML).
"""

from __future__ import annotations

import html
from pathlib import Path

FIGURE_METADATA = {".png": {"Software": None}, ".svg": {"Date": None, "Creator": None},
                   ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}


def markdown_table(frame, *, index: bool = False, floatfmt: str = "g", missing: str = "", empty: str = "None",
                   **options):
    """A DataFrame as an IPython Markdown object holding a pipe table.

    A frame without rows keeps its header and shows one row reading ``empty`` (a
    table with no body looks like a rendering fault in a DSMB report).  Other keyword
    ``options`` go to ``tabulate`` (e.g. ``disable_numparse=True`` keeps text such as
    ``"49.0"`` exactly as formatted; ``colalign``).
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
    return Markdown(text)


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

"""Render the project's Quarto reports: with ``quarto`` when installed, else built in.

The renderer runs documents; it knows nothing of the statistics they show.  The
names below load lazily, so a report cell importing ``aidheart.render.display``
does not pay for nbclient, pandoc or typst.
"""

from importlib import import_module

_EXPORTS = {
    "render_document": "aidheart.render.document",
    "choose_renderer": "aidheart.render.document",
    "RenderError": "aidheart.render.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'aidheart.render' has no attribute {name!r}")

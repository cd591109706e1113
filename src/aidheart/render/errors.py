"""The renderer's error: its message names the document and, for a cell, the cell."""


class RenderError(RuntimeError):
    """A document could not be rendered (a failing cell, a missing image, pandoc/typst/quarto failing)."""

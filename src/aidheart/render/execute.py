"""Run a document's Python cells in order on one Jupyter kernel (nbclient).

Parameters are applied the way papermill and Quarto do it: a cell injected right
after the cell tagged ``parameters`` (or first, if there is none) assigns the new
values, so the defaults stay readable in the source.
"""

from __future__ import annotations

import ast
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath



def _import_nbformat_quickly():
    """Import nbformat without jsonschema's optional ``rfc3987_syntax`` (≈2 s compiling a grammar).

    That package only checks the JSON-schema ``iri`` format, which the notebook
    schema does not use.  The block is lifted afterwards, so later imports of
    ``rfc3987_syntax`` work; only jsonschema's ``iri`` checker stays unregistered
    in this process.
    """
    import sys

    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import nbformat
        return nbformat
    sys.modules["rfc3987_syntax"] = None
    try:
        import nbformat
    finally:
        if sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return nbformat


nbformat = _import_nbformat_quickly()
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

from aidheart.render.errors import RenderError
from aidheart.render.options import CellOptions
from aidheart.render.qmd import Chunk

log = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# Run before the first cell, never shown.  Deterministic figures: fixed size and
# dpi, no "Software" PNG chunk, fixed SVG hash salt; warnings without the
# kernel's temporary file names (they change with every run).
_SETUP = """\
import matplotlib as _aidheart_mpl
_aidheart_mpl.rcParams.update({{
    "figure.figsize": ({width}, {height}), "figure.dpi": {dpi}, "savefig.dpi": "figure",
    "svg.hashsalt": "aidheart", "svg.fonttype": "path", "pdf.compression": 6,
}})
get_ipython().run_line_magic("config", "InlineBackend.figure_formats = ['png']")
get_ipython().run_line_magic(
    "config", "InlineBackend.print_figure_kwargs = {{'bbox_inches': 'tight', 'metadata': {{'Software': None}}}}"
)
import warnings as _aidheart_warnings
_aidheart_warnings.formatwarning = lambda message, category, *args, **kwargs: f"{{category.__name__}}: {{message}}\\n"
del _aidheart_mpl, _aidheart_warnings
"""
_FIGSIZE = 'import matplotlib as _m; _m.rcParams["figure.figsize"] = ({width}, {height}); del _m'


@dataclass
class ExecutedCell:
    chunk: Chunk
    options: CellOptions
    number: int  # 1-based among the document's code cells
    outputs: list = field(default_factory=list)


def parameter_assignments(parameters: dict) -> str:
    """Python source assigning ``parameters`` (papermill's injected-parameters cell)."""
    lines = ["# Injected parameters"]
    for name, value in parameters.items():
        if not str(name).isidentifier():
            raise RenderError(f"parameter name {name!r} is not a Python identifier")
        lines.append(f"{name} = {_literal(value)!r}")
    return "\n".join(lines)


def _literal(value):
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_literal(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _literal(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise RenderError(f"parameter value {value!r} ({type(value).__name__}) is not str, number, bool, list or dict")


def declared_parameters(code: str) -> set[str]:
    """Names assigned at the top level of a parameters cell."""
    names = set()
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return names  # the kernel reports it, naming the cell
    for node in body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def execute_cells(
    cells: list[ExecutedCell],
    *,
    document: str,
    parameters: dict,
    workdir: Path,
    figure: dict,
    kernel_name: str = "python3",
    timeout: int = 1800,
) -> list[ExecutedCell]:
    """Execute ``cells`` (in place: their ``outputs`` are filled) and return them."""
    _check_parameters(cells, parameters, document)
    if not any(cell.options.eval for cell in cells):
        return cells  # nothing to run: no kernel
    # Inline figures whatever the caller's MPLBACKEND; string hashing (set order) fixed between runs.
    env = dict(os.environ, MPLBACKEND=INLINE_BACKEND, PYTHONHASHSEED="0", PYDEVD_DISABLE_FILE_VALIDATION="1")
    client = NotebookClient(
        nbformat.v4.new_notebook(), kernel_name=kernel_name, timeout=timeout,
        resources={"metadata": {"path": str(workdir)}}, shutdown_kernel="immediate",
    )
    setup = _SETUP.format(width=figure["fig-width"], height=figure["fig-height"], dpi=figure["fig-dpi"])
    with client.setup_kernel(env=env):
        _run_hidden(client, setup, document, "setup")
        target = _injection_point(cells) if parameters else None
        for cell in cells:
            if cell is target and not cell.options.is_parameters:
                _run_hidden(client, parameter_assignments(parameters), document, "injected parameters")
            _run_cell(client, cell, document, figure)
            if cell is target and cell.options.is_parameters:
                _run_hidden(client, parameter_assignments(parameters), document, "injected parameters")
    return cells


def _injection_point(cells: list[ExecutedCell]) -> ExecutedCell | None:
    """The cell tagged ``parameters`` (inject after it), else the first evaluated cell (inject before it)."""
    tagged = next((cell for cell in cells if cell.options.is_parameters), None)
    return tagged or next((cell for cell in cells if cell.options.eval), None)


def _check_parameters(cells: list[ExecutedCell], parameters: dict, document: str) -> None:
    declared = set()
    for cell in cells:
        if cell.options.is_parameters:
            declared |= declared_parameters(cell.chunk.text)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        log.warning("%s: parameters not declared in its parameters cell: %s", document, ", ".join(unknown))


def _run_hidden(client: NotebookClient, code: str, document: str, what: str) -> None:
    cell = nbformat.v4.new_code_cell(code)
    try:
        _execute(client, cell)
    except CellExecutionError as exc:
        raise RenderError(f"{document}: {what} failed: {_last_line(exc)}") from None


def _run_cell(client: NotebookClient, cell: ExecutedCell, document: str, figure: dict | None = None) -> None:
    if not cell.options.eval:
        return
    nb_cell = nbformat.v4.new_code_cell(cell.chunk.text)
    if cell.options.error:
        nb_cell.metadata["tags"] = ["raises-exception"]
    sized = figure is not None and (cell.options.fig_width or cell.options.fig_height)
    if sized:
        width = cell.options.fig_width or figure["fig-width"]
        height = cell.options.fig_height or figure["fig-height"]
        _run_hidden(client, _FIGSIZE.format(width=width, height=height), document, "figure size")
    try:
        _execute(client, nb_cell)
    except CellExecutionError as exc:
        name = f"'{cell.options.label}' " if cell.options.label else ""
        raise RenderError(
            f"{document}: cell {name}(cell {cell.number}, line {cell.chunk.line}) failed: {_last_line(exc)}"
        ) from None
    finally:
        if sized:
            _run_hidden(client, _FIGSIZE.format(width=figure["fig-width"], height=figure["fig-height"]), document,
                        "figure size")
    cell.outputs = list(nb_cell.outputs)


def _execute(client: NotebookClient, cell) -> None:
    """Append ``cell`` to the client's notebook (nbclient stores it back by index) and run it."""
    client.nb.cells.append(cell)
    client.execute_cell(cell, len(client.nb.cells) - 1)


def _last_line(exc: CellExecutionError) -> str:
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return _ANSI.sub("", f"{ename}: {evalue}" if evalue else ename)
    lines = [line for line in _ANSI.sub("", str(exc)).splitlines() if line.strip()]
    return lines[-1] if lines else "unknown error"

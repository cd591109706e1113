"""Render one ``.qmd`` to HTML and/or PDF with Quarto, or with the built-in renderer."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aidheart.render.assets import AssetError, localise_images
from aidheart.render.convert import ConversionError, ast_to_html, ast_to_typst, markdown_to_ast, typst_to_pdf
from aidheart.render.crossref import number_crossrefs, render_crossrefs
from aidheart.render.errors import RenderError
from aidheart.render.execute import ExecutedCell, execute_cells
from aidheart.render.options import (
    cell_options, document_settings, execute_defaults, figure_defaults, format_settings, pandoc_metadata,
    resolve_files,
)
from aidheart.render.outputs import document_markdown
from aidheart.render.qmd import QmdError, read_qmd
from aidheart.render.quarto import find_quarto, render_with_quarto

log = logging.getLogger(__name__)

RENDERERS = ("auto", "quarto", "builtin")
FORMATS = {"html": "html", "pdf": "pdf", "typst": "pdf", "md": "md"}


def choose_renderer(renderer: str = "auto", quarto: str = "quarto") -> str:
    """``quarto`` if asked for, or if ``auto`` and the command is on PATH; else ``builtin``."""
    if renderer not in RENDERERS:
        raise ValueError(f"renderer must be one of {RENDERERS}, not {renderer!r}")
    if renderer == "auto":
        return "quarto" if find_quarto(quarto) else "builtin"
    if renderer == "quarto" and not find_quarto(quarto):
        raise RenderError(f"renderer 'quarto' requested but {quarto!r} is not on PATH")
    return renderer


def render_document(
    qmd_path: str | Path,
    *,
    parameters: dict | None = None,
    outputs: dict[str, str | Path],
    renderer: str = "auto",
    workdir: str | Path | None = None,
    metadata: dict | None = None,
    quarto: str = "quarto",
) -> str:
    """Render ``qmd_path`` to ``outputs`` (format -> path; formats ``html``, ``pdf``, ``md``).

    Parameters override the defaults of the cell tagged ``parameters``; ``metadata``
    overrides front-matter keys (e.g. ``page-header``).  Cells run in ``workdir``
    (default: the document's folder, as Quarto does).  Every output is written to a
    temporary file first and renamed only when all succeeded.  Returns the renderer
    that ran (``"quarto"`` or ``"builtin"``).
    """
    qmd = Path(qmd_path)
    targets = {_format(name): Path(path) for name, path in outputs.items()}
    chosen = choose_renderer(renderer, quarto)
    log.info("rendering %s with the %s renderer (requested: %s) to %s", qmd, chosen, renderer,
             ", ".join(f"{k}={v}" for k, v in targets.items()))
    started = time.perf_counter()
    if chosen == "quarto":
        staged = render_with_quarto(qmd, parameters=parameters or {}, outputs=targets,
                                    workdir=Path(workdir) if workdir else None, metadata=metadata, quarto=quarto)
        for fmt, path in staged.items():
            os.replace(path, targets[fmt])
    else:
        contents = render_builtin(qmd, parameters=parameters or {}, formats=tuple(targets), workdir=workdir,
                                  metadata=metadata)
        write_all({targets[fmt]: data for fmt, data in contents.items()})
    log.info("rendered %s in %.1f s", qmd.name, time.perf_counter() - started)
    return chosen


def _format(name: str) -> str:
    if name not in FORMATS:
        raise ValueError(f"unknown output format {name!r}; use html, pdf or md")
    return FORMATS[name]


def render_builtin(
    qmd: Path,
    *,
    parameters: dict,
    formats: tuple[str, ...] = ("html", "pdf"),
    workdir: str | Path | None = None,
    metadata: dict | None = None,
) -> dict[str, bytes]:
    """Execute the document once and convert it to each format; return format -> bytes."""
    name = qmd.name
    try:
        document = read_qmd(qmd)
    except (QmdError, OSError) as exc:
        raise RenderError(f"{name}: {exc}") from None
    settings = document_settings(document.front_matter, qmd.parent, metadata)
    defaults = execute_defaults(settings)
    items, number = [], 0
    for chunk in document.chunks:
        if chunk.kind == "code":
            number += 1
            chunk = ExecutedCell(chunk, _options(chunk, defaults, name, number), number)
        items.append(chunk)
    cells = [item for item in items if isinstance(item, ExecutedCell)]
    run_dir = Path(workdir or qmd.parent).resolve()
    with tempfile.TemporaryDirectory(prefix="aidheart-render-") as tmp:
        build = Path(tmp)
        clock = time.perf_counter()
        kernel = settings.get("jupyter") if isinstance(settings.get("jupyter"), str) else "python3"
        execute_cells(cells, document=name, parameters=parameters, workdir=run_dir, figure=figure_defaults(settings),
                      kernel_name=kernel)
        log.info("%s: executed %d cells in %.1f s", name, len(cells), time.perf_counter() - clock)
        clock = time.perf_counter()
        markdown = document_markdown(items, build / "_cell-figures", name)
        try:
            ast = markdown_to_ast(markdown, build)
            labels = number_crossrefs(ast, name)
            localise_images(ast, build, [build, qmd.parent.resolve(), run_dir], name)
            source = json.dumps(ast)
            del ast  # each format's copy is made from ``source``: one copy of a long report's AST at a time
            conversions = {}
            if "html" in formats:
                html_meta = pandoc_metadata(settings, "html")
                html_meta.setdefault("pagetitle", html_meta.get("title", qmd.stem))
                filters = _listed_files(settings, "html", "filters", qmd)
                html_json = _for_target(source, labels, "html")
                conversions["html"] = lambda: ast_to_html(html_json, html_meta, build, filters)
            if "pdf" in formats:
                typst_json, typst_meta = _for_target(source, labels, "typst"), pandoc_metadata(settings, "typst")
                partials = _listed_files(settings, "typst", "template-partials", qmd)
                typst_filters = _listed_files(settings, "typst", "filters", qmd)
                conversions["pdf"] = lambda: typst_to_pdf(
                    ast_to_typst(typst_json, typst_meta, build, partials=partials, filters=typst_filters), build)
            results = {"md": markdown.encode("utf-8")} if "md" in formats else {}
            results.update(_run_side_by_side(conversions))
        except (ConversionError, AssetError) as exc:
            raise RenderError(f"{name}: {exc}") from None
        log.info("%s: converted to %s in %.2f s", name, ", ".join(results), time.perf_counter() - clock)
    return results


def _run_side_by_side(conversions: dict) -> dict:
    """Each format's conversion at once, a thread each (pandoc and typst run outside Python, so a
    large report's HTML and PDF take the longer of the two, not the sum); a failure is raised."""
    if len(conversions) < 2:
        return {fmt: convert() for fmt, convert in conversions.items()}
    with ThreadPoolExecutor(max_workers=len(conversions)) as pool:
        futures = {fmt: pool.submit(convert) for fmt, convert in conversions.items()}
        return {fmt: future.result() for fmt, future in futures.items()}


def _for_target(source: str, labels: dict, target: str) -> str:
    """The document's AST (pandoc's JSON, ``source``) with its cross-references written for ``target``.

    The copy lives only while its cross-references are written: what is kept for the
    conversion is its JSON text, several times smaller than the Python objects of a long
    listing's AST (and a JSON round trip is several times faster than ``copy.deepcopy``)."""
    written = json.loads(source)
    render_crossrefs(written, labels, target)
    return json.dumps(written)


def _listed_files(settings: dict, target: str, key: str, qmd: Path) -> list[Path]:
    """The files a setting lists for one format (``filters``, ``template-partials``), relative to the document."""
    paths = resolve_files(format_settings(settings, target).get(key), qmd.parent)
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise RenderError(f"{qmd.name}: {key} not found: {', '.join(missing)}")
    return paths


def _options(chunk, defaults: dict, name: str, number: int):
    try:
        return cell_options(chunk.options, defaults)
    except (TypeError, ValueError) as exc:
        raise RenderError(f"{name}: cell {number} (line {chunk.line}) has invalid options: {exc}") from None


def write_all(contents: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling, then rename them all (no half-written outputs)."""
    staged = []
    try:
        for path, data in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            temporary.write_bytes(data)
            staged.append((temporary, path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)

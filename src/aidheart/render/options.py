"""Document metadata and cell options, with Quarto's defaults and precedence.

Precedence, lowest first: built-in defaults, ``_quarto.yml`` beside the document,
the document's front matter (``execute:`` for cell defaults), then each cell's
``#|`` options.  Format-specific settings (``format: html:`` / ``format: typst:``)
apply to that output only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

EXECUTE_DEFAULTS = {"echo": True, "eval": True, "include": True, "output": True, "warning": True, "error": False}
FIGURE_DEFAULTS = {"fig-width": 7.0, "fig-height": 5.0, "fig-dpi": 150}
# Front-matter keys passed on to pandoc (everything else is Quarto/engine configuration).
PANDOC_METADATA_KEYS = (
    "title", "subtitle", "author", "date", "abstract", "lang", "region", "toc", "toc-depth", "toc-title",
    "page-header", "page-footer", "papersize", "fontsize", "number-sections", "section-numbering", "description",
)
UNREPRODUCIBLE_DATES = ("today", "now", "last-modified")
# Quarto's English label of the date in the title block (``title-block-published``).
DEFAULT_PUBLISHED_LABEL = "Published"


@dataclass(frozen=True)
class CellOptions:
    echo: bool | str
    eval: bool
    include: bool
    output: bool | str
    warning: bool
    error: bool
    label: str | None
    tags: tuple[str, ...]
    fig_cap: str | None
    fig_alt: str | None
    tbl_cap: str | None
    fig_width: float | None
    fig_height: float | None

    @property
    def is_parameters(self) -> bool:
        return "parameters" in self.tags


def project_config(qmd_dir: Path) -> dict:
    """The ``_quarto.yml`` next to the document, or an empty dict."""
    config = qmd_dir / "_quarto.yml"
    if not config.is_file():
        return {}
    return yaml.safe_load(config.read_text(encoding="utf-8")) or {}


def merge(base: dict, override: dict) -> dict:
    """Recursive dict merge; ``override`` wins."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def document_settings(front_matter: dict, qmd_dir: Path, extra_metadata: dict | None = None) -> dict:
    """Project config, front matter and caller metadata merged."""
    levels = [project_config(qmd_dir), front_matter, extra_metadata or {}]
    settings = {}
    for level in levels:
        settings = merge(settings, _formats_as_mappings(level))
    return settings


def _formats_as_mappings(config: dict) -> dict:
    """``format: html`` or ``format: {html: default}`` as ``{html: {}}``, as Quarto reads them.

    A format named without options adds no options, so the project's options for it
    still apply.
    """
    formats = config.get("format")
    if formats is None:
        return config
    if isinstance(formats, str):
        formats = {formats: {}}
    elif isinstance(formats, list):
        formats = {str(name): {} for name in formats}
    return {**config, "format": {name: options if isinstance(options, dict) else {}
                                 for name, options in formats.items()}}


def execute_defaults(settings: dict) -> dict:
    """Cell-option defaults: Quarto's, then ``execute:`` of project and document."""
    defaults = dict(EXECUTE_DEFAULTS)
    defaults.update({k: v for k, v in (settings.get("execute") or {}).items() if k in EXECUTE_DEFAULTS})
    return defaults


def figure_defaults(settings: dict) -> dict:
    figure = dict(FIGURE_DEFAULTS)
    figure.update({k: settings[k] for k in FIGURE_DEFAULTS if k in settings})
    return figure


def cell_options(options: dict, defaults: dict) -> CellOptions:
    """Resolve one cell's ``#|`` options against the document's defaults."""
    merged = {**defaults, **options}
    tags = merged.get("tags") or ()
    return CellOptions(
        echo=merged["echo"],
        eval=bool(merged["eval"]),
        include=bool(merged["include"]),
        output=merged["output"],
        warning=bool(merged["warning"]),
        error=bool(merged["error"]),
        label=str(merged["label"]) if merged.get("label") else None,
        tags=tuple(str(tag) for tag in ([tags] if isinstance(tags, str) else tags)),
        fig_cap=_text(merged.get("fig-cap")),
        fig_alt=_text(merged.get("fig-alt")),
        tbl_cap=_text(merged.get("tbl-cap")),
        fig_width=_number(merged.get("fig-width")),
        fig_height=_number(merged.get("fig-height")),
    )


def format_settings(settings: dict, target: str) -> dict:
    """The settings for one output format: ``format: <target>:`` merged over the document-wide ones."""
    formats = settings.get("format") or {}
    specific = formats.get(target) if isinstance(formats, dict) else None
    return merge(settings, specific if isinstance(specific, dict) else {})


def pandoc_metadata(settings: dict, target: str) -> dict:
    """Metadata for pandoc's template for one target format (``html`` or ``typst``)."""
    merged = format_settings(settings, target)
    metadata = {key: merged[key] for key in PANDOC_METADATA_KEYS if key in merged}
    if str(metadata.get("date", "")).strip().lower() in UNREPRODUCIBLE_DATES:
        del metadata["date"]  # the wall clock has no place in a reproducible report
    metadata.update(title_block_fields(merged))
    return metadata


def title_block_fields(settings: dict) -> dict:
    """The fields Quarto derives for its title block: ``by-author`` and ``labels``.

    ``by-author`` lists each author as ``{"name": {"literal": ...}}`` (Quarto's
    normalised form, which the typst partials read); ``labels.published`` labels the
    date: ``published-title``, else ``language: title-block-published``, else
    "Published".
    """
    fields = {}
    authors = settings.get("author")
    if authors:
        names = authors if isinstance(authors, list) else [authors]
        fields["by-author"] = [{"name": {"literal": _author_name(name)}} for name in names]
    language = settings.get("language") if isinstance(settings.get("language"), dict) else {}
    published = settings.get("published-title") or language.get("title-block-published") or DEFAULT_PUBLISHED_LABEL
    fields["labels"] = {"published": str(published)}
    return fields


def _author_name(author) -> str:
    return str(author.get("name", "")) if isinstance(author, dict) else str(author)


def resolve_files(value, base: Path) -> list[Path]:
    """Paths listed under a setting (one path, a list of paths, or Quarto's ``{path: ...}`` filter entries)."""
    entries = value if isinstance(value, list) else ([value] if value else [])
    paths = []
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else entry
        if path:
            paths.append((base / str(path)).resolve())
    return paths


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # several captions (sub-figures): use the first
        return str(value[0]) if value else None
    return str(value)


def _number(value) -> float | None:
    return None if value is None else float(value)

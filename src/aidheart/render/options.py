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
    "title", "subtitle", "author", "date", "abstract", "lang", "toc", "toc-depth", "toc-title",
    "page-header", "page-footer", "papersize", "fontsize", "number-sections", "description",
)
UNREPRODUCIBLE_DATES = ("today", "now", "last-modified")


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
    return merge(merge(project_config(qmd_dir), front_matter), extra_metadata or {})


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


def pandoc_metadata(settings: dict, target: str) -> dict:
    """Metadata for pandoc's template for one target format (``html`` or ``typst``)."""
    formats = settings.get("format") or {}
    specific = formats.get(target) if isinstance(formats, dict) else None
    merged = merge(settings, specific if isinstance(specific, dict) else {})
    metadata = {key: merged[key] for key in PANDOC_METADATA_KEYS if key in merged}
    if str(metadata.get("date", "")).strip().lower() in UNREPRODUCIBLE_DATES:
        del metadata["date"]  # the wall clock has no place in a reproducible report
    return metadata


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # several captions (sub-figures): use the first
        return str(value[0]) if value else None
    return str(value)


def _number(value) -> float | None:
    return None if value is None else float(value)

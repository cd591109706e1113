"""Pandoc and Typst: Markdown -> AST -> self-contained HTML, and -> Typst -> PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pypandoc
import typst
import yaml

TEMPLATES = resources.files("aidheart.render") / "templates"
READER = "markdown"
TYPST_TEMPLATE = "report.typ"


class ConversionError(RuntimeError):
    """pandoc or typst failed."""


def template_path(name: str) -> str:
    return str(TEMPLATES / name)


def pandoc(args: list[str], stdin: str | None = None, cwd: Path | None = None) -> str:
    """Run pypandoc's bundled pandoc; return its stdout."""
    command = [pypandoc.get_pandoc_path(), *args]
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=cwd)
    if result.returncode != 0:
        raise ConversionError(f"pandoc {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def markdown_to_ast(markdown: str, cwd: Path) -> dict:
    """Pandoc's JSON AST of a Markdown text.

    Read with pandoc's default 72 columns, as Quarto reads it: a pipe table with a
    longer line spans the text width, its columns sized by the dashes under the
    header (see :func:`aidheart.render.display.markdown_table`).
    """
    return json.loads(pandoc(["--from", READER, "--to", "json"], stdin=markdown, cwd=cwd))


def _write_metadata(metadata: dict, build_dir: Path, target: str) -> Path:
    path = build_dir / f"metadata-{target}.yaml"
    path.write_text(yaml.safe_dump(metadata, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return path


def _common_args(metadata: dict, build_dir: Path, target: str, filters) -> list[str]:
    """The document's own Lua filters run first (as Quarto runs ``at: pre-ast`` filters), then formats.lua."""
    args = ["--from", "json", "--standalone"]
    for path in filters:
        args += ["--lua-filter", str(path)]
    return args + ["--lua-filter", template_path("formats.lua"),
                   "--metadata-file", str(_write_metadata(metadata, build_dir, target)),
                   "--resource-path", str(build_dir)]


def ast_to_html(ast_json: str, metadata: dict, build_dir: Path, filters=()) -> bytes:
    """Self-contained HTML5 (images as data URIs, inline CSS, no scripts) from pandoc's JSON AST."""
    args = ["--to", "html5", "--embed-resources", "--template", template_path("report.html"),
            *_common_args(metadata, build_dir, "html", filters)]
    if metadata.get("toc"):
        args += ["--toc", f"--toc-depth={int(metadata.get('toc-depth', 3))}"]
    if metadata.get("number-sections"):
        args.append("--number-sections")
    return pandoc(args, stdin=ast_json, cwd=build_dir).encode("utf-8")


def typst_template(build_dir: Path, partials=()) -> Path:
    """The typst template with the document's ``template-partials`` in place of the default partials.

    Pandoc finds a partial (``$typst-show.typ()$``) beside the main template, so the
    built-in template and its default partials are copied to a folder of the build
    directory and each of the document's partials over the default of the same name.
    """
    folder = build_dir / "typst-template"
    folder.mkdir(parents=True, exist_ok=True)
    for item in (TEMPLATES / "typst").iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    for partial in partials:
        shutil.copyfile(partial, folder / Path(partial).name)
    return folder / TYPST_TEMPLATE


def ast_to_typst(ast_json: str, metadata: dict, build_dir: Path, partials=(), filters=()) -> str:
    """Typst source from pandoc's JSON AST."""
    args = ["--to", "typst", "--template", str(typst_template(build_dir, partials)),
            *_common_args(metadata, build_dir, "typst", filters)]
    return pandoc(args, stdin=ast_json, cwd=build_dir)


def typst_to_pdf(source: str, build_dir: Path, name: str = "document.typ") -> bytes:
    """Compile with the embedded fonts only, so the bytes do not depend on the machine's fonts."""
    path = build_dir / name
    path.write_text(source, encoding="utf-8")
    try:
        return typst.compile(str(path), root=str(build_dir), ignore_system_fonts=True)
    except Exception as exc:  # typst.TypstError carries the diagnostic
        raise ConversionError(f"typst could not compile {path}: {exc}") from exc

"""Read a Quarto ``.qmd`` document: front matter, includes, Markdown and Python cells.

Only the subset of Quarto the project's reports use: YAML front matter, the
``{{< include file >}}`` shortcode, ```` ```{python} ```` cells whose leading
``#|`` lines are YAML cell options, and ```` ```{{python}} ```` shown verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_INCLUDE = re.compile(r"^[ \t]*\{\{<\s*include\s+(\S+?)\s*>\}\}[ \t]*$", re.M)
_PAGEBREAK = re.compile(r"^[ \t]*\{\{<\s*pagebreak\s*>\}\}[ \t]*$", re.M)
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
_EXEC_INFO = re.compile(r"^\{(?P<lang>[A-Za-z0-9_]+)(?P<rest>[^{}]*)\}$")
_LITERAL_INFO = re.compile(r"^\{\{(?P<inner>[^{}]+)\}\}$")


class QmdError(ValueError):
    """A document that cannot be parsed (bad YAML, unknown cell language, missing include)."""


@dataclass
class Chunk:
    """One piece of a document: Markdown text or an executable code cell."""

    kind: str  # "markdown" or "code"
    text: str  # Markdown text, or the cell's code without its ``#|`` option lines
    options: dict = field(default_factory=dict)
    line: int = 0  # 1-based line of the chunk in the (include-expanded) document


@dataclass
class Document:
    path: Path
    front_matter: dict
    chunks: list[Chunk]

    @property
    def cells(self) -> list[Chunk]:
        return [chunk for chunk in self.chunks if chunk.kind == "code"]


def read_qmd(path: str | Path) -> Document:
    """Parse ``path`` into its front matter and chunks, with includes expanded."""
    path = Path(path)
    text = expand_includes(path.read_text(encoding="utf-8"), path.parent, seen=(path.resolve(),))
    text = _PAGEBREAK.sub("::: {.pagebreak}\n:::", text)
    front_matter, body, offset = split_front_matter(text, path)
    return Document(path=path, front_matter=front_matter, chunks=split_chunks(body, path, first_line=offset + 1))


def split_front_matter(text: str, path: Path | str = "<string>") -> tuple[dict, str, int]:
    """Return (front matter dict, body, number of lines the front matter took)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise QmdError(f"{path}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise QmdError(f"{path}: front matter must be a YAML mapping")
    return meta, text[match.end():], match.group(0).count("\n")


def expand_includes(text: str, base: Path, seen: tuple[Path, ...]) -> str:
    """Replace ``{{< include file >}}`` lines by the file's text (its front matter dropped)."""

    def include(match: re.Match) -> str:
        target = (base / match.group(1)).resolve()
        if target in seen:
            raise QmdError(f"include cycle: {' -> '.join(map(str, seen + (target,)))}")
        if not target.is_file():
            raise QmdError(f"{seen[-1]}: included file not found: {match.group(1)}")
        _, body, _ = split_front_matter(target.read_text(encoding="utf-8"), target)
        return expand_includes(body, target.parent, seen + (target,)).rstrip("\n")

    return _INCLUDE.sub(include, text)


def split_chunks(body: str, path: Path | str = "<string>", first_line: int = 1) -> list[Chunk]:
    """Split a document body into Markdown chunks and executable ``{python}`` cells."""
    chunks: list[Chunk] = []
    markdown: list[str] = []
    markdown_start = first_line
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i])
        if not opening:
            markdown.append(lines[i])
            i += 1
            continue
        fence, info = opening.group("fence"), opening.group("info")
        end = _closing_fence(lines, i + 1, fence)
        block = lines[i + 1:end]
        executable = _EXEC_INFO.match(info)
        if executable and not info.startswith("{="):
            lang = executable.group("lang").lower()
            if lang not in ("python", "python3"):
                raise QmdError(f"{path}:{first_line + i}: only python cells can run, not {{{lang}}}")
            if markdown:
                chunks.append(Chunk("markdown", "\n".join(markdown), line=markdown_start))
            code, options = parse_cell_options(block, f"{path}:{first_line + i}")
            label = executable.group("rest").strip().split(",")[0].strip()
            if label and "=" not in label:
                options.setdefault("label", label)
            chunks.append(Chunk("code", code, options, line=first_line + i))
            markdown, markdown_start = [], first_line + end + 1
        else:
            literal = _LITERAL_INFO.match(info)
            opening_line = lines[i].replace(info, "{" + literal.group("inner") + "}") if literal else lines[i]
            markdown.extend([opening_line, *block] + ([lines[end]] if end < len(lines) else []))
        i = end + 1
    if markdown:
        chunks.append(Chunk("markdown", "\n".join(markdown), line=markdown_start))
    return chunks


def _closing_fence(lines: list[str], start: int, fence: str) -> int:
    for j in range(start, len(lines)):
        stripped = lines[j].strip()
        if stripped and stripped[0] == fence[0] and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            return j
    return len(lines)


def parse_cell_options(block: list[str], where: str = "") -> tuple[str, dict]:
    """Split the leading ``#|`` lines (YAML) from a cell's code."""
    option_lines = []
    for line in block:
        if not line.startswith("#|"):
            break
        option_lines.append(line[2:][1:] if line[2:3] == " " else line[2:])
    code = "\n".join(block[len(option_lines):]).strip("\n")
    if not option_lines:
        return code, {}
    try:
        options = yaml.safe_load("\n".join(option_lines)) or {}
    except yaml.YAMLError as exc:
        raise QmdError(f"{where}: cell options are not valid YAML: {exc}") from exc
    if not isinstance(options, dict):
        raise QmdError(f"{where}: cell options must be 'key: value' lines")
    return code, options

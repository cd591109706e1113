"""Turn executed cells into Pandoc Markdown: echoed code, text, tables and figures.

One Markdown text serves every output format; what differs per format (an HTML
table that PDF cannot keep) is wrapped in Quarto's ``content-visible`` divs and
resolved by the conversion filter.
"""

from __future__ import annotations

import base64
import logging
import re
import struct
from pathlib import Path

import yaml

from aidheart.render.execute import ExecutedCell

log = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}>")
IMAGE_TYPES = {"image/png": ".png", "image/svg+xml": ".svg", "image/jpeg": ".jpg"}


def document_markdown(chunks_and_cells: list, figures_dir: Path, document: str) -> str:
    """Markdown of the whole document from its Markdown chunks and executed cells."""
    parts = []
    for item in chunks_and_cells:
        if isinstance(item, ExecutedCell):
            text = cell_markdown(item, figures_dir, document)
        else:
            text = item.text.strip("\n")
        if text.strip():
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def cell_markdown(cell: ExecutedCell, figures_dir: Path, document: str = "") -> str:
    """Markdown for one cell, honouring echo/output/include/warning/labels/captions."""
    options = cell.options
    if not options.include:
        return ""
    blocks = []
    if options.echo == "fenced":
        source = "\n".join(["```{python}", *(f"#| {line}" for line in _option_lines(cell)), cell.chunk.text, "```"])
        blocks.append(_fence(source, "{.markdown .cell-code}"))
    elif options.echo:
        blocks.append(_fence(cell.chunk.text, "{.python .cell-code}"))
    if options.output is not False and options.output != "false":
        blocks.extend(_output_blocks(cell, figures_dir, document))
    body = "\n\n".join(block for block in blocks if block)
    label = options.label or ""
    if label.startswith("tbl-"):
        caption = options.tbl_cap or ""
        return f"::: {{#{label}}}\n\n{body}\n\n{caption}\n\n:::" if caption else f"::: {{#{label}}}\n\n{body}\n\n:::"
    return body


def _option_lines(cell: ExecutedCell) -> list[str]:
    if not cell.chunk.options:
        return []
    lines = []
    for key, value in cell.chunk.options.items():
        text = yaml.safe_dump(value, default_flow_style=True, width=float("inf")).strip()
        lines.append(f"{key}: {text.removesuffix(chr(10) + '...').strip()}")
    return lines


def _output_blocks(cell: ExecutedCell, figures_dir: Path, document: str) -> list[str]:
    options = cell.options
    asis = options.output == "asis"
    blocks, images = [], 0
    for output in cell.outputs:
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") == "stderr" and not options.warning:
                continue
            text = _ANSI.sub("", output.get("text", ""))
            blocks.append(text.strip("\n") if asis else _output(text.rstrip("\n")))
        elif kind == "error":
            traceback = _ANSI.sub("", "\n".join(output.get("traceback", [])))
            blocks.append(_output(traceback, ".cell-output-error"))
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            mime = next((m for m in IMAGE_TYPES if m in data), None)
            if "text/markdown" in data:
                blocks.append(data["text/markdown"].strip("\n"))
            elif mime:
                images += 1
                blocks.append(_image_block(cell, data[mime], mime, images, figures_dir))
            elif "text/html" in data:
                blocks.append(_html_block(data["text/html"], data.get("text/plain", "")))
            elif "text/plain" in data:
                text = data["text/plain"]
                if _ADDRESS.search(text):
                    log.warning("%s: cell %d shows a memory address (%s); its output changes with every run",
                                document, cell.number, text.strip()[:60])
                blocks.append(text if asis else _output(text))
    return blocks


def _image_block(cell: ExecutedCell, payload, mime: str, index: int, figures_dir: Path) -> str:
    options = cell.options
    raw = payload.encode("utf-8") if mime == "image/svg+xml" else base64.b64decode(payload)
    stem = f"{options.label or f'cell-{cell.number}'}-{index}"
    figures_dir.mkdir(parents=True, exist_ok=True)
    path = figures_dir / (stem + IMAGE_TYPES[mime])
    path.write_bytes(raw)
    attributes = []
    first = index == 1
    if first and options.label and options.label.startswith("fig-"):
        attributes.append(f"#{options.label}")
    if options.fig_alt:
        attributes.append(f'fig-alt="{_attr(options.fig_alt)}"')
    width = png_width_inches(raw) if mime == "image/png" else None
    if width:
        attributes.append(f'width="{width:.2f}in"')
    caption = options.fig_cap if first and options.fig_cap else ""
    reference = f"{figures_dir.name}/{path.name}"
    return f"![{caption}]({reference}){{{' '.join(attributes)}}}" if attributes else f"![{caption}]({reference})"


def _html_block(html: str, plain: str) -> str:
    parts = ['::: {.content-visible when-format="html"}', _fence(html, "{=html}"), ":::"]
    if plain:
        parts += ["", '::: {.content-hidden when-format="html"}', _output(plain), ":::"]
    return "\n".join(parts)


def _output(text: str, extra_class: str = "") -> str:
    """Cell output as a plain code block in a classed div.

    (A class on the code block itself would make pandoc search every syntax
    definition for it: about a second per document.)
    """
    return f"::: {{.cell-output{' ' + extra_class if extra_class else ''}}}\n{_fence(text, '')}\n:::"


def _fence(text: str, info: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def _attr(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def png_width_inches(data: bytes) -> float | None:
    """Width of a PNG in inches from its IHDR and pHYs chunks (None without pHYs)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    width = struct.unpack(">I", data[16:20])[0]
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"pHYs":
            per_metre, _, unit = struct.unpack(">IIB", data[position + 8:position + 17])
            return width / (per_metre * 0.0254) if unit == 1 and per_metre else None
        if kind == b"IDAT":
            return None
        position += 12 + length
    return None

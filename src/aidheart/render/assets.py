"""Collect every image a document shows into the build directory.

Typst only reads files under its root, and the HTML must embed every image, so
each local image (a cell's figure or a file a rule made, e.g.
``![Flow](../results/figures/flow.png)``) is copied to ``assets/<content hash>``
and the reference rewritten.  Remote images are refused: reports are
self-contained.  ``fig-alt`` becomes the image's alternative text.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


class AssetError(FileNotFoundError):
    """An image the document shows is missing or remote."""


def localise_images(ast: dict, build_dir: Path, search: list[Path], document: str = "") -> list[Path]:
    """Copy images into ``build_dir/assets`` and point the AST at the copies (in place)."""
    copied: list[Path] = []

    def visit(node) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                _localise(node, build_dir, search, document, copied)
            for value in node.values():
                if isinstance(value, (list, dict)):
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(ast["blocks"])
    return copied


def _localise(image: dict, build_dir: Path, search: list[Path], document: str, copied: list[Path]) -> None:
    attr, _, (source, title) = image["c"]
    attributes = dict(attr[2])
    if "fig-alt" in attributes:
        image["c"][1] = [{"t": "Str", "c": attributes.pop("fig-alt")}]
        attr[2] = [[key, value] for key, value in attr[2] if key != "fig-alt"]
    if source.startswith("data:"):
        return
    if "://" in source:
        raise AssetError(f"{document}: remote image {source} (reports must be self-contained)")
    candidates = [Path(source)] if Path(source).is_absolute() else [base / source for base in search]
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        raise AssetError(f"{document}: image not found: {source} (looked in {', '.join(map(str, search))})")
    digest = hashlib.sha256(found.read_bytes()).hexdigest()[:16]
    target = build_dir / "assets" / f"{digest}{found.suffix.lower()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(found, target)
    copied.append(target)
    image["c"][2] = [f"assets/{target.name}", title]

"""Quarto-style cross-references on Pandoc's JSON AST.

Figures (``fig-``) and tables (``tbl-``) are numbered separately in document order;
their captions get "Figure N: " / "Table N: "; ``@fig-x`` becomes a link "Figure N"
(``-@fig-x`` just "N").  Labels come from figure/table attributes
(``![cap](f.png){#fig-x}``, ``: cap {#tbl-x}``) or from a div ``::: {#fig-x}`` /
``::: {#tbl-x}`` whose last paragraph is the caption (cells with ``label``).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KINDS = {"fig": "Figure", "tbl": "Table"}


def resolve_crossrefs(ast: dict, document: str = "") -> dict[str, str]:
    """Number labelled figures and tables, prefix captions, replace references (in place).

    Returns the label -> "Figure N"/"Table N" map.
    """
    counters = {kind: 0 for kind in KINDS}
    labels: dict[str, str] = {}

    def number(identifier: str) -> str:
        kind = identifier.split("-", 1)[0]
        if identifier in labels:
            log.warning("%s: label %s defined twice", document, identifier)
            return labels[identifier]
        counters[kind] += 1
        labels[identifier] = f"{KINDS[kind]} {counters[kind]}"
        return labels[identifier]

    ast["blocks"] = _number_blocks(ast["blocks"], number)
    _walk(ast["blocks"], lambda node: _collect_section(node, labels))
    _walk(ast["blocks"], lambda node: _replace_citations(node, labels, document))
    return labels


def _collect_section(node: dict, labels: dict) -> None:
    """``# Title {#sec-x}``: ``@sec-x`` becomes a link reading the section's title."""
    if node.get("t") == "Header" and node["c"][1][0].startswith("sec-"):
        labels[node["c"][1][0]] = _stringify(node["c"][2])


def _stringify(inlines: list) -> str:
    parts = []
    for inline in inlines:
        if inline["t"] in ("Str", "Code"):
            parts.append(inline["c"] if inline["t"] == "Str" else inline["c"][1])
        elif inline["t"] in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif isinstance(inline.get("c"), list) and inline["c"] and isinstance(inline["c"][-1], list):
            parts.append(_stringify([item for item in inline["c"][-1] if isinstance(item, dict)]))
    return "".join(parts)


def _kind(identifier: str) -> str | None:
    prefix = identifier.split("-", 1)[0]
    return prefix if prefix in KINDS and "-" in identifier else None


def _number_blocks(blocks: list, number) -> list:
    result = []
    for block in blocks:
        tag = block.get("t")
        if tag == "Div" and _kind(block["c"][0][0]):
            replacement = _labelled_div(block, number)
            result.extend(replacement)
            continue
        if tag == "Figure" and _kind(block["c"][0][0]) == "fig":
            _prefix_caption(block["c"][1], number(block["c"][0][0]))
        elif tag == "Table" and _kind(block["c"][0][0]) == "tbl":
            _prefix_caption(block["c"][1], number(block["c"][0][0]))
        _recurse(block, number)
        result.append(block)
    return result


def _recurse(node: dict, number) -> None:
    """Number labelled blocks nested anywhere in ``node``'s content."""
    _recurse_any(node.get("c"), number)


def _recurse_any(item, number) -> None:
    if isinstance(item, dict):
        if "t" in item:
            _recurse(item, number)
        else:
            for value in item.values():
                _recurse_any(value, number)
    elif isinstance(item, list):
        if item and all(isinstance(sub, dict) and "t" in sub for sub in item):
            item[:] = _number_blocks(item, number)
        else:
            for sub in item:
                _recurse_any(sub, number)


def _labelled_div(div: dict, number) -> list:
    (identifier, classes, attributes), blocks = div["c"]
    kind = _kind(identifier)
    caption = []
    if blocks and blocks[-1]["t"] == "Para":
        caption = blocks[-1]["c"]
    if kind == "fig":
        body = blocks[:-1] if caption else blocks
        label = number(identifier)
        figure = {"t": "Figure", "c": [[identifier, classes, attributes], [None, [{"t": "Plain", "c": caption}]], body]}
        _prefix_caption(figure["c"][1], label)
        _strip_nested_figure_ids(body)
        _recurse(figure, number)
        return [figure]
    tables = [i for i, block in enumerate(blocks) if block["t"] == "Table"]
    if len(tables) == 1:
        table = blocks[tables[0]]
        body = blocks[:-1] if caption and not _caption_blocks(table["c"][1]) else blocks
        if body is not blocks:
            table["c"][1] = [None, [{"t": "Plain", "c": caption}]]
        table["c"][0][0] = identifier
        _prefix_caption(table["c"][1], number(identifier))
        for block in body:
            _recurse(block, number)
        return body
    label = number(identifier)
    if caption:
        blocks[-1]["c"] = _prefixed(caption, label)
    else:
        blocks.append({"t": "Para", "c": _prefixed([], label)})
    _recurse(div, number)
    return [div]


def _strip_nested_figure_ids(blocks: list) -> None:
    for block in blocks:
        if block.get("t") == "Figure" and _kind(block["c"][0][0]):
            block["c"][0][0] = ""


def _caption_blocks(caption: list) -> list:
    return caption[1] if caption else []


def _prefix_caption(caption: list, label: str) -> None:
    blocks = caption[1]
    if blocks and blocks[0]["t"] in ("Plain", "Para"):
        blocks[0]["c"] = _prefixed(blocks[0]["c"], label)
    else:
        blocks.insert(0, {"t": "Plain", "c": _prefixed([], label)})


def _prefixed(inlines: list, label: str) -> list:
    word, count = label.split(" ")
    head = [{"t": "Str", "c": word}, {"t": "Space"}]
    if not inlines:
        return head + [{"t": "Str", "c": count}]
    return head + [{"t": "Str", "c": f"{count}:"}, {"t": "Space"}] + inlines


def _walk(node, visit) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            if isinstance(value, (list, dict)):
                _walk(value, visit)
    elif isinstance(node, list):
        for item in node:
            _walk(item, visit)


def _replace_citations(node: dict, labels: dict, document: str) -> None:
    """Turn a Cite of cross-reference labels into links (mutates the Cite node into a Span)."""
    if node.get("t") != "Cite":
        return
    citations = node["c"][0]
    ids = [citation["citationId"] for citation in citations]
    if not all(_kind(identifier) or identifier.startswith("sec-") for identifier in ids):
        return
    inlines = []
    for i, citation in enumerate(citations):
        identifier = citation["citationId"]
        if i:
            inlines += [{"t": "Str", "c": ","}, {"t": "Space"}]
        inlines += citation.get("citationPrefix", [])
        if identifier not in labels:
            log.warning("%s: unresolved cross-reference @%s", document, identifier)
            inlines.append({"t": "Strong", "c": [{"t": "Str", "c": f"?@{identifier}"}]})
            continue
        label = labels[identifier]
        if citation["citationMode"]["t"] == "SuppressAuthor" and _kind(identifier):
            label = label.split(" ", 1)[1]  # -@fig-x: the number alone
        words = label.split(" ")
        link_text = [item for word in words for item in ({"t": "Space"}, {"t": "Str", "c": word})][1:]
        inlines.append({"t": "Link", "c": [["", ["quarto-xref"], []], link_text, [f"#{identifier}", ""]]})
        inlines += citation.get("citationSuffix", [])
    node["t"], node["c"] = "Span", [["", [], []], inlines]

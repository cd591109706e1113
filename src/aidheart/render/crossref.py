"""Quarto-style cross-references on Pandoc's JSON AST, written out the way Quarto writes them.

Figures (``fig-``) and tables (``tbl-``) are numbered separately in document order.
Labels come from figure/table attributes (``![cap](f.png){#fig-x}``,
``: cap {#tbl-x}``) or from a div ``::: {#fig-x}`` / ``::: {#tbl-x}`` whose last
paragraph is the caption (cells with ``label``).

Two steps: :func:`number_crossrefs` turns every labelled figure or table into one
neutral float (a div holding its caption and content) and returns the numbers;
:func:`render_crossrefs` then writes the floats and the ``@fig-x`` references for one
output format, in the structure Quarto gives:

- HTML: ``<div id="tbl-x" class="quarto-float quarto-figure ...">`` around a
  ``<figure class="quarto-float quarto-float-tbl">`` holding a ``<figcaption>``
  "Table 1: caption" (above a table, below a figure) and the content; a reference
  is ``<a href="#tbl-x" class="quarto-xref">Table 1</a>`` (a no-break space inside).
- Typst: ``#figure([...], caption: figure.caption(position: top, [caption]),
  kind: "quarto-float-tbl", supplement: "Table")<tbl-x>``, numbered by typst; a
  reference is ``#ref(<tbl-x>, supplement: [Table])``.

``-@fig-x`` gives the number alone; ``@sec-x`` becomes a link reading the section's title.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KINDS = {"fig": "Figure", "tbl": "Table"}
FLOAT_CLASS = "aidheart-float"  # the neutral float between the two steps
CAPTION_CLASS = "aidheart-float-caption"
NO_BREAK_SPACE = "\u00a0"


def resolve_crossrefs(ast: dict, document: str = "", target: str = "html") -> dict[str, str]:
    """Number and write the cross-references of ``ast`` for ``target`` (in place); return the numbers."""
    labels = number_crossrefs(ast, document)
    render_crossrefs(ast, labels, target)
    return labels


def number_crossrefs(ast: dict, document: str = "") -> dict[str, str]:
    """Number labelled figures and tables, each made one neutral float (in place).

    Returns label -> "Figure N"/"Table N" (and ``sec-`` label -> section title);
    duplicate labels and references to unknown labels are logged.
    """
    counters = {kind: 0 for kind in KINDS}
    labels: dict[str, str] = {}

    def number(identifier: str) -> str:
        if identifier in labels:
            log.warning("%s: label %s defined twice", document, identifier)
            return labels[identifier]
        kind = _kind(identifier)
        counters[kind] += 1
        labels[identifier] = f"{KINDS[kind]} {counters[kind]}"
        return labels[identifier]

    ast["blocks"] = _collect_floats(ast["blocks"], number)
    _walk(ast["blocks"], lambda node: _collect_section(node, labels))
    _walk(ast["blocks"], lambda node: _check_citations(node, labels, document))
    return labels


def render_crossrefs(ast: dict, labels: dict[str, str], target: str) -> None:
    """Write the neutral floats and the references for ``target`` (``html`` or ``typst``), in place."""
    if target not in ("html", "typst"):
        raise ValueError(f"cross-references are written for html or typst, not {target!r}")
    ast["blocks"] = _render_floats(ast["blocks"], labels, target)
    _walk(ast["blocks"], lambda node: _replace_citations(node, labels, target))


# --- step 1: neutral floats -------------------------------------------------------------------


def _kind(identifier: str) -> str | None:
    prefix = identifier.split("-", 1)[0]
    return prefix if prefix in KINDS and "-" in identifier else None


def _collect_floats(blocks: list, number) -> list:
    result = []
    for block in blocks:
        float_block = _as_float(block)
        if float_block is not None:
            identifier, caption, content = float_block
            number(identifier)
            content = _collect_floats(content, number)
            result.append(_float_div(identifier, caption, content))
            continue
        _recurse(block, lambda inner: _collect_floats(inner, number))
        result.append(block)
    return result


def _as_float(block: dict):
    """(identifier, caption inlines, content blocks) of a labelled figure or table, else None."""
    tag = block.get("t")
    if tag == "Div" and _kind(block["c"][0][0]):
        return _div_float(block)
    if tag == "Figure" and _kind(block["c"][0][0]) == "fig":
        (identifier, _, _), caption, body = block["c"]
        _strip_nested_figure_ids(body)
        return identifier, _caption_inlines(caption), body
    if tag == "Table" and _kind(block["c"][0][0]) == "tbl":
        identifier = block["c"][0][0]
        caption = _caption_inlines(block["c"][1])
        block["c"][0][0] = ""
        block["c"][1] = [None, []]
        return identifier, caption, [block]
    return None


def _div_float(div: dict):
    (identifier, _, _), blocks = div["c"]
    if blocks and blocks[-1]["t"] == "Para":
        return identifier, blocks[-1]["c"], blocks[:-1]
    tables = [block for block in blocks if block["t"] == "Table"]
    if len(tables) == 1 and _caption_inlines(tables[0]["c"][1]):
        caption = _caption_inlines(tables[0]["c"][1])
        tables[0]["c"][1] = [None, []]
        return identifier, caption, blocks
    _strip_nested_figure_ids(blocks)
    return identifier, [], blocks


def _strip_nested_figure_ids(blocks: list) -> None:
    for block in blocks:
        if block.get("t") == "Figure" and _kind(block["c"][0][0]):
            block["c"][0][0] = ""


def _caption_inlines(caption: list) -> list:
    blocks = caption[1] if caption else []
    if blocks and blocks[0]["t"] in ("Plain", "Para"):
        return blocks[0]["c"]
    return []


def _float_div(identifier: str, caption: list, content: list) -> dict:
    caption_div = {"t": "Div", "c": [["", [CAPTION_CLASS], []], [{"t": "Plain", "c": caption}]]}
    return {"t": "Div", "c": [[identifier, [FLOAT_CLASS], []], [caption_div, *content]]}


def _recurse(node: dict, rewrite) -> None:
    """Apply ``rewrite`` to every list of blocks nested in ``node``'s content."""
    _recurse_any(node.get("c"), rewrite)


def _recurse_any(item, rewrite) -> None:
    if isinstance(item, dict):
        if "t" in item:
            _recurse(item, rewrite)
        else:
            for value in item.values():
                _recurse_any(value, rewrite)
    elif isinstance(item, list):
        if item and all(isinstance(sub, dict) and "t" in sub for sub in item):
            item[:] = rewrite(item)
        else:
            for sub in item:
                _recurse_any(sub, rewrite)


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


def _crossref_ids(node: dict) -> list[str] | None:
    """The ids a Cite refers to, when all are cross-reference labels (else None: a bibliography citation)."""
    if node.get("t") != "Cite":
        return None
    ids = [citation["citationId"] for citation in node["c"][0]]
    return ids if all(_kind(identifier) or identifier.startswith("sec-") for identifier in ids) else None


def _check_citations(node: dict, labels: dict, document: str) -> None:
    for identifier in _crossref_ids(node) or ():
        if identifier not in labels:
            log.warning("%s: unresolved cross-reference @%s", document, identifier)


# --- step 2: one output format ----------------------------------------------------------------


def _render_floats(blocks: list, labels: dict, target: str) -> list:
    result = []
    for block in blocks:
        if block.get("t") == "Div" and FLOAT_CLASS in block["c"][0][1]:
            (identifier, _, _), (caption_div, *content) = block["c"]
            caption = caption_div["c"][1][0]["c"]
            content = _render_floats(content, labels, target)
            write = _html_float if target == "html" else _typst_float
            result.extend(write(identifier, labels[identifier], caption, content))
            continue
        _recurse(block, lambda inner: _render_floats(inner, labels, target))
        result.append(block)
    return result


def _numbered_caption(label: str, caption: list) -> list:
    word, count = label.split(" ")
    head = [{"t": "Str", "c": f"{word}{NO_BREAK_SPACE}{count}" + (":" if caption else "")}]
    return head + ([{"t": "Space"}] + caption if caption else [])


def _raw(text: str, fmt: str) -> dict:
    return {"t": "RawBlock", "c": [fmt, text]}


def _html_float(identifier: str, label: str, caption: list, content: list) -> list:
    kind = _kind(identifier)
    position = "top" if kind == "tbl" else "bottom"
    caption_id = f"{identifier}-caption"
    figcaption = [
        _raw(f'<figcaption class="quarto-float-caption-{position} quarto-float-caption quarto-float-{kind}" '
             f'id="{caption_id}">', "html"),
        {"t": "Plain", "c": _numbered_caption(label, caption)},
        _raw("</figcaption>", "html"),
    ]
    body = {"t": "Div", "c": [["", [], [["aria-describedby", caption_id]]], content]}
    inner = [_raw(f'<figure class="quarto-float quarto-float-{kind} figure">', "html"),
             *(figcaption + [body] if position == "top" else [body] + figcaption),
             _raw("</figure>", "html")]
    classes = ["quarto-float", "quarto-figure", "quarto-figure-center", "anchored"]
    return [{"t": "Div", "c": [[identifier, classes, []], inner]}]


def _typst_float(identifier: str, label: str, caption: list, content: list) -> list:
    kind = _kind(identifier)
    position = "top" if kind == "tbl" else "bottom"
    closing = [{"t": "RawInline", "c": ["typst", f"], caption: figure.caption(position: {position}, ["]},
               *caption,
               {"t": "RawInline", "c": ["typst", f']), kind: "quarto-float-{kind}", '
                                                 f'supplement: "{KINDS[kind]}")<{identifier}>']}]
    return [_raw("#figure([", "typst"), *content, {"t": "Plain", "c": closing}]


def _walk(node, visit) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            if isinstance(value, (list, dict)):
                _walk(value, visit)
    elif isinstance(node, list):
        for item in node:
            _walk(item, visit)


def _replace_citations(node: dict, labels: dict, target: str) -> None:
    """Turn a Cite of cross-reference labels into references (mutates the Cite node into a Span)."""
    if _crossref_ids(node) is None:
        return
    inlines = []
    for i, citation in enumerate(node["c"][0]):
        identifier = citation["citationId"]
        if i:
            inlines += [{"t": "Str", "c": ","}, {"t": "Space"}]
        inlines += citation.get("citationPrefix", [])
        if identifier not in labels:
            inlines.append({"t": "Strong", "c": [{"t": "Str", "c": f"?@{identifier}"}]})
            continue
        number_only = citation["citationMode"]["t"] == "SuppressAuthor" and _kind(identifier)
        inlines.append(_reference(identifier, labels[identifier], bool(number_only), target))
        inlines += citation.get("citationSuffix", [])
    node["t"], node["c"] = "Span", [["", [], []], inlines]


def _reference(identifier: str, label: str, number_only: bool, target: str) -> dict:
    kind = _kind(identifier)
    if target == "typst" and kind:
        supplement = "none" if number_only else f"[{KINDS[kind]}]"
        return {"t": "RawInline", "c": ["typst", f"#ref(<{identifier}>, supplement: {supplement})"]}
    if kind:
        text = label.split(" ", 1)[1] if number_only else label.replace(" ", NO_BREAK_SPACE, 1)
        link_text = [{"t": "Str", "c": text}]
    else:
        words = label.split(" ")
        link_text = [item for word in words for item in ({"t": "Space"}, {"t": "Str", "c": word})][1:]
    return {"t": "Link", "c": [["", ["quarto-xref"], []], link_text, [f"#{identifier}", ""]]}

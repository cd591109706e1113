"""The dataset specification for reviewers: one self-contained HTML page from the metadata tables.

It shows what the Define-XML document holds, as a reader wants it: the datasets (with a
link to each transport file), each dataset's variables in order (label, type, length,
origin, source or derivation, codelist), the value-level metadata of ``AVAL`` by
``PARAMCD`` and the codelists. No script, no external file: styles are inline.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from aidheart.adam_export.define_xml import STUDY_DAY_COMMENT
from aidheart.adam_export.metadata import Metadata
from aidheart.derive.variables import PREDECESSOR

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 13px; margin: 24px; color: #1a1a1a; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #e8edf3; } tr:nth-child(even) td { background: #f7f7f7; }
td.num { text-align: right; white-space: nowrap; } code { font-size: 12px; }
p.note { max-width: 60em; }
"""


def _cell(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else escape(str(value))


def _table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = "\n".join("<tr>" + "".join(f'<td class="num">{cell}</td>' if column in numeric else f"<td>{cell}</td>"
                                      for column, cell in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<tr>{head}</tr>\n{body}\n</table>"


def _link(anchor: str, text: str) -> str:
    return f'<a href="#{escape(anchor)}">{escape(text)}</a>'


def _datasets(metadata: Metadata) -> str:
    rows = [[_link(row.DATASET, row.DATASET), _cell(row.LABEL), _cell(row.CLASS), _cell(row.STRUCTURE),
             _cell(row.KEYS), _cell(row.RECORDS), f'<a href="{escape(row.FILE)}">{escape(row.FILE)}</a>']
            for row in metadata.datasets.itertuples(index=False)]
    return _table(["Dataset", "Label", "Class", "Structure", "Keys", "Records", "Transport file"], rows,
                  frozenset({5}))


def _origin_text(row) -> str:
    if row.ORIGIN == PREDECESSOR:
        return f"{escape(row.ORIGIN)}: <code>{escape(row.SOURCE)}</code>"
    return escape(row.ORIGIN)


def _variables(metadata: Metadata, dataset: str) -> str:
    parts = metadata.variables[metadata.variables["DATASET"] == dataset]
    rows = [[_cell(row.ORDER), f"<code>{escape(row.VARIABLE)}</code>", _cell(row.LABEL), _cell(row.TYPE),
             _cell(row.LENGTH), _cell(row.KEYSEQ), _origin_text(row),
             "" if row.ORIGIN == PREDECESSOR else _cell(row.DERIVATION),
             _link(row.CODELIST, row.CODELIST) if row.CODELIST else ""]
            for row in parts.itertuples(index=False)]
    return _table(["#", "Variable", "Label", "Type", "Length", "Key", "Origin", "Derivation / value", "Codelist"],
                  rows, frozenset({0, 4, 5}))


def _values(metadata: Metadata) -> str:
    rows = [[_cell(row.DATASET), f"<code>{escape(row.VARIABLE)}</code>", f"<code>{escape(row.PARAMCD)}</code>",
             _cell(row.PARAM), _cell(row.TYPE), _cell(row.ORIGIN), _cell(row.DERIVATION), _cell(row.RECORDS)]
            for row in metadata.values.itertuples(index=False)]
    return _table(["Dataset", "Variable", "Where PARAMCD =", "PARAM", "Type", "Origin", "Derivation", "Records"],
                  rows, frozenset({7}))


def _codelists(metadata: Metadata) -> str:
    sections = []
    for oid, items in metadata.codelists.groupby("CODELIST", sort=False):
        first = items.iloc[0]
        decoded = (items["DECODE"] != "").any()
        rows = [[f"<code>{_cell(item.VALUE)}</code>", *([_cell(item.DECODE)] if decoded else [])]
                for item in items.itertuples(index=False)]
        sections.append(f'<h3 id="{escape(oid)}">{escape(oid)}: {escape(first["NAME"])} ({escape(first["TYPE"])})'
                        f"</h3>\n" + _table(["Value", "Decode"] if decoded else ["Value"], rows))
    return "\n".join(sections)


def define_html(metadata: Metadata) -> str:
    """The HTML dataset specification of ``metadata`` (``\\n`` line ends)."""
    title = f"{metadata.study_id} analysis datasets: specification"
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(metadata.description)}. Data as of {escape(metadata.date)} (the data cut-off, else the export date). ADaMIG 1.3 (ADAE: ADaM OCCDS "
        "1.1); the machine-readable form is <a href=\"define.xml\">define.xml</a> (Define-XML 2.1), the metadata "
        "tables are in <code>metadata/</code>.</p>",
        f'<p class="note">{escape(STUDY_DAY_COMMENT)}</p>',
        "<h2>Datasets</h2>", _datasets(metadata),
    ]
    for row in metadata.datasets.itertuples(index=False):
        body += [f'<h2 id="{escape(row.DATASET)}">{escape(row.DATASET)}: {escape(row.LABEL)}</h2>',
                 f"<p>{escape(row.STRUCTURE)}; keys {escape(row.KEYS)}; {row.RECORDS} records.</p>",
                 _variables(metadata, row.DATASET)]
    body += ["<h2>Value-level metadata</h2>", _values(metadata), "<h2>Codelists</h2>", _codelists(metadata)]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")

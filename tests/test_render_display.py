"""Helpers the report cells call: tables, page header, reproducible figure files."""

import hashlib

import matplotlib
import pandas as pd

from aidheart.render.display import markdown_table, page_header, save_figure

matplotlib.use("Agg")  # this test process only; inside report kernels the inline backend is used
import matplotlib.pyplot as plt  # noqa: E402


def test_markdown_table_is_a_pipe_table():
    text = markdown_table(pd.DataFrame({"Subject": ["S-01"], "Value": [1.25]}), floatfmt=".1f").data
    assert text.splitlines()[0].startswith("| Subject")
    assert "1.2" in text


def test_empty_table_keeps_its_header_and_says_so():
    text = markdown_table(pd.DataFrame({"Subject": [], "Grade": []}), empty="No adverse events").data
    lines = text.splitlines()
    assert len(lines) == 3 and "Subject" in lines[0] and "No adverse events" in lines[2]


def test_page_header_has_html_and_typst_parts():
    text = page_header('OPEN SESSION REPORT "draft" <b>').data
    assert '#metadata("OPEN SESSION REPORT \\"draft\\" <b>") <page-header>' in text
    assert "OPEN SESSION REPORT &quot;draft&quot; &lt;b&gt;" in text


def test_save_figure_bytes_do_not_change(tmp_path):
    digests = set()
    for run in range(2):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [1, 0])
        for suffix in (".png", ".svg", ".pdf"):
            path = save_figure(fig, tmp_path / f"run{run}{suffix}")
            digests.add((suffix, hashlib.sha256(path.read_bytes()).hexdigest()))
        plt.close(fig)
    assert len(digests) == 3
